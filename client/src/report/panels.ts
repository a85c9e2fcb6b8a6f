/**
 * The report webviews: one `dmLens.report` panel per host (reused and
 * re-rendered when that host is inspected again) and one `dmLens.fleet` panel.
 * Scripts run under a strict CSP with a fresh nonce per render; resources
 * come only from media/report. Messages from a page are checked against the
 * page's own commands; the host a report page acts on is the panel's, never
 * one the page names.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { Inspection } from '../../../server/src/remote/inspect.js';
import { printable } from '../../../server/src/remote/ssh.js';
import type { HostReport } from '../../../server/src/core/index.js';
import type { InspectionStore } from '../remote/inspections.js';
import { usageThresholds } from '../remote/config.js';
import { makeNonce, page, type PageShell } from './html.js';
import { renderReportBody } from './renderReport.js';
import { withReclaimAction } from './renderReclaim.js';
import { renderFleetPage } from './renderFleet.js';

export const REPORT_VIEW_TYPE = 'dmLens.report';
export const FLEET_VIEW_TYPE = 'dmLens.fleet';

const REPORT_COMMANDS = ['openTranscript', 'openDaemonJson', 'refresh', 'reclaim'] as const;
type ReportCommand = (typeof REPORT_COMMANDS)[number];

/** What the report buttons do; implemented by the commands. */
export interface ReportActions {
  openTranscript(host: string): unknown;
  openDaemonJson(host: string): unknown;
  refresh(host: string): unknown;
  reclaim(host: string): unknown;
}

/** `{command}` with a known command (and nothing else is trusted). */
export function reportMessage(m: unknown): ReportCommand | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const command = (m as { command?: unknown }).command;
  return typeof command === 'string' && (REPORT_COMMANDS as readonly string[]).includes(command) ? (command as ReportCommand) : undefined;
}

function mediaRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'media', 'report');
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return { enableScripts: true, enableCommandUris: false, enableFindWidget: true, localResourceRoots: [mediaRoot(extensionUri)] };
}

export function shell(webview: vscode.Webview, extensionUri: vscode.Uri): PageShell {
  return {
    cspSource: webview.cspSource,
    nonce: makeNonce((n) => randomBytes(n)),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot(extensionUri), 'report.css')).toString(),
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot(extensionUri), 'report.js')).toString(),
  };
}

export class ReportPanels implements vscode.Disposable {
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; inspection: Inspection }>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: InspectionStore,
    private readonly actions: ReportActions,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions = [
      store.onDidChange((hosts) => {
        for (const host of hosts) if (this.panels.has(host)) this.render(host);
      }),
      // The reclaim button depends on trust.
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        for (const host of this.panels.keys()) this.render(host);
      }),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const { panel } of this.panels.values()) panel.dispose();
    this.panels.clear();
  }

  /** Hosts with an open report panel. */
  hosts(): string[] {
    return [...this.panels.keys()];
  }

  /** Opens (or reuses and reveals) the host's panel with this inspection. */
  show(inspection: Inspection, reveal = true): vscode.WebviewPanel {
    const host = inspection.report.host;
    const existing = this.panels.get(host);
    if (existing) {
      existing.inspection = inspection;
      this.render(host);
      if (reveal) existing.panel.reveal(undefined, true);
      return existing.panel;
    }
    const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, `Thin pools: ${printable(host)}`, { viewColumn: vscode.ViewColumn.Active, preserveFocus: !reveal }, webviewOptions(this.extensionUri));
    this.panels.set(host, { panel, inspection });
    panel.onDidDispose(() => this.panels.delete(host));
    panel.webview.onDidReceiveMessage((m: unknown) => {
      const command = reportMessage(m);
      if (!command) {
        this.log.warn(`report ${printable(host)}: ignored a message the page may not send`);
        return;
      }
      if (command === 'openTranscript') void this.actions.openTranscript(host);
      else if (command === 'openDaemonJson') void this.actions.openDaemonJson(host);
      else if (command === 'reclaim') void this.actions.reclaim(host);
      else void this.actions.refresh(host);
    });
    this.render(host);
    return panel;
  }

  private render(host: string): void {
    const entry = this.panels.get(host);
    if (!entry) return;
    // The store's result is the newest; a panel opened on a result the store never had (a refused host) keeps its own.
    const latest = this.store.get(host);
    if (latest && latest.startedAt >= entry.inspection.startedAt) entry.inspection = latest;
    const i = entry.inspection;
    const busy = this.store.busyHosts().has(host);
    const body = renderReportBody(i.report, { thresholds: usageThresholds(), hasTranscript: i.transcript !== undefined, startedAt: i.startedAt, durationMs: i.durationMs, busy });
    const why = !vscode.workspace.isTrusted
      ? 'Reclaim runs ssh, which is off in an untrusted workspace'
      : !i.report.reachable
        ? 'The host was not reached'
        : i.report.pools.length === 0
          ? 'No thin pools on this host'
          : busy
            ? 'An inspection is running'
            : undefined;
    entry.panel.webview.html = page(shell(entry.panel.webview, this.extensionUri), `Thin pools: ${i.report.host}`, withReclaimAction(body, { enabled: why === undefined, ...(why ? { why } : {}) }));
  }
}

export class FleetPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private reports = new Map<string, HostReport>();
  private meta: { startedAt?: string; durationMs?: number } = {};
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: InspectionStore,
    private readonly openHost: (host: string, fallback: HostReport) => unknown,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = store.onDidChange((hosts) => {
      if (!this.panel || !hosts.some((h) => this.reports.has(h))) return;
      for (const h of hosts) {
        const r = this.store.get(h)?.report;
        if (r && this.reports.has(h)) this.reports.set(h, r);
      }
      this.render();
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.panel?.dispose();
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  show(reports: readonly HostReport[], meta: { startedAt?: string; durationMs?: number }): void {
    this.reports = new Map(reports.map((r) => [r.host, r]));
    this.meta = meta;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(FLEET_VIEW_TYPE, 'Thin pools: fleet', vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        const host = m && typeof m === 'object' && (m as { command?: unknown }).command === 'openHost' ? (m as { host?: unknown }).host : undefined;
        // Only a host of this table: the page cannot make us open (or inspect) anything else.
        const report = typeof host === 'string' ? this.reports.get(host) : undefined;
        if (!report) {
          this.log.warn('fleet report: ignored a message the page may not send');
          return;
        }
        void this.openHost(report.host, report);
      });
    } else {
      this.panel.reveal(undefined, false);
    }
    this.render();
  }

  private render(): void {
    if (!this.panel) return;
    this.panel.webview.html = renderFleetPage([...this.reports.values()], { thresholds: usageThresholds(), ...this.meta }, shell(this.panel.webview, this.extensionUri));
  }
}
