/**
 * The reclaim result webview (`dmLens.reclaim`): one panel per host, reused
 * and re-rendered by the next run on that host. Same rules as the report
 * pages (panels.ts): strict CSP with a fresh nonce per render, resources only
 * from media/report, and a page can only ask for its own three actions on its
 * own host and saved file.
 */
import * as vscode from 'vscode';
import { printable } from '../../../server/src/remote/ssh.js';
import { shell, webviewOptions } from './panels.js';
import type { ReclaimReportJson } from './reclaimJson.js';
import { renderReclaimPage } from './renderReclaim.js';

export const RECLAIM_VIEW_TYPE = 'dmLens.reclaim';

const RECLAIM_COMMANDS = ['openJson', 'showReport', 'showOutput'] as const;
type ReclaimCommand = (typeof RECLAIM_COMMANDS)[number];

/** `{command}` with a known command (and nothing else is trusted). */
export function reclaimMessage(m: unknown): ReclaimCommand | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const command = (m as { command?: unknown }).command;
  return typeof command === 'string' && (RECLAIM_COMMANDS as readonly string[]).includes(command) ? (command as ReclaimCommand) : undefined;
}

interface Entry {
  panel: vscode.WebviewPanel;
  report: ReclaimReportJson;
  saved: vscode.Uri | undefined;
}

export class ReclaimPanels implements vscode.Disposable {
  private readonly panels = new Map<string, Entry>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  dispose(): void {
    for (const { panel } of this.panels.values()) panel.dispose();
    this.panels.clear();
  }

  /** Hosts with an open result page. */
  hosts(): string[] {
    return [...this.panels.keys()];
  }

  show(report: ReclaimReportJson, saved: vscode.Uri | undefined): vscode.WebviewPanel {
    const host = report.host;
    const existing = this.panels.get(host);
    if (existing) {
      existing.report = report;
      existing.saved = saved;
      this.render(existing);
      existing.panel.reveal(undefined, false);
      return existing.panel;
    }
    const panel = vscode.window.createWebviewPanel(RECLAIM_VIEW_TYPE, `Reclaim: ${printable(host)}`, vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    const entry: Entry = { panel, report, saved };
    this.panels.set(host, entry);
    panel.onDidDispose(() => this.panels.delete(host));
    panel.webview.onDidReceiveMessage((m: unknown) => {
      const command = reclaimMessage(m);
      if (!command) {
        this.log.warn(`reclaim ${printable(host)}: ignored a message the page may not send`);
        return;
      }
      if (command === 'openJson') {
        if (entry.saved) void vscode.window.showTextDocument(entry.saved, { preview: false });
      } else if (command === 'showReport') void vscode.commands.executeCommand('dmLens.showReport', host);
      else void vscode.commands.executeCommand('dmLens.showOutput');
    });
    this.render(entry);
    return panel;
  }

  private render(entry: Entry): void {
    entry.panel.webview.html = renderReclaimPage(entry.report, { saved: entry.saved !== undefined }, shell(entry.panel.webview, this.extensionUri));
  }
}
