/**
 * The "Thin Pools" view: hosts (dmLens.hosts, pinned, recent) → pools → thin
 * devices, from each host's last inspection. Descriptions carry the usage,
 * icons the severity, tooltips the details (Markdown with every remote value
 * appended as text, so nothing from a host is read as Markdown).
 */
import * as vscode from 'vscode';
import { formatBinary, formatPercent, type HostReport, type PoolReport, type ThinDeviceReport } from '../../../server/src/core/index.js';
import { printable } from '../../../server/src/remote/ssh.js';
import type { Inspection } from '../../../server/src/remote/inspect.js';
import { configuredHosts, pinnedHosts, usageThresholds } from '../remote/config.js';
import type { InspectionStore } from '../remote/inspections.js';
import { poolLevel, type UsageThresholds } from '../report/renderReport.js';

export const TREE_VIEW_ID = 'dmLens.thinPools';

export type PoolTreeNode =
  | { kind: 'host'; host: string }
  | { kind: 'pool'; host: string; pool: string }
  | { kind: 'thin'; host: string; pool: string; name: string };

type Level = 'ok' | 'warning' | 'error';

const LEVEL_COLOR: Record<Level, string> = { ok: 'charts.green', warning: 'editorWarning.foreground', error: 'errorForeground' };

function usageText(p: PoolReport): string {
  const pct = (u: { used: number; total: number } | undefined) => (u && u.total > 0 ? formatPercent(u.used / u.total) : '?');
  const usage = `data ${pct(p.data)} · meta ${pct(p.metadata)}`;
  return p.mode === 'rw' ? usage : `${p.mode.replace(/_/g, ' ')} · ${usage}`;
}

export function hostLevel(r: HostReport, t: UsageThresholds): Level {
  if (!r.reachable) return 'error';
  const levels = [...r.pools.map((p) => poolLevel(p, t)), ...r.findings.map((f): Level => (f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'ok'))];
  return levels.includes('error') ? 'error' : levels.includes('warning') ? 'warning' : 'ok';
}

/** "87 % lab-oos": the fullest pool (data or metadata), or undefined when no pool has figures. */
export function worstPool(r: HostReport): { ratio: number; pool: string } | undefined {
  let worst: { ratio: number; pool: string } | undefined;
  for (const p of r.pools) {
    for (const u of [p.data, p.metadata]) {
      if (!u || u.total <= 0) continue;
      const ratio = u.used / u.total;
      if (!worst || ratio > worst.ratio) worst = { ratio, pool: p.name };
    }
  }
  return worst;
}

export interface TreeSnapshot {
  hosts: { host: string; description: string; contextValue: string; pools: { name: string; description: string; thins: { name: string; description: string }[] }[] }[];
}

export class PoolTreeProvider implements vscode.TreeDataProvider<PoolTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PoolTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly store: InspectionStore) {
    this.subscriptions = [
      store.onDidChange(() => this.refresh()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['dmLens.hosts', 'dmLens.pinnedHosts', 'dmLens.thresholds'].some((k) => e.affectsConfiguration(k))) this.refresh();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  /** The hosts the view lists: dmLens.hosts, then pinned, then recently inspected ones. */
  hosts(): string[] {
    return [...new Set([...configuredHosts(), ...pinnedHosts(), ...this.store.recent()])];
  }

  getChildren(node?: PoolTreeNode): PoolTreeNode[] {
    if (!node) return this.hosts().map((host) => ({ kind: 'host', host }));
    const report = this.store.get(node.host)?.report;
    if (!report) return [];
    if (node.kind === 'host') return report.pools.map((p) => ({ kind: 'pool', host: node.host, pool: p.name }));
    if (node.kind === 'pool') return (report.pools.find((p) => p.name === node.pool)?.thinDevices ?? []).map((d) => ({ kind: 'thin', host: node.host, pool: node.pool, name: d.name }));
    return [];
  }

  getParent(node: PoolTreeNode): PoolTreeNode | undefined {
    if (node.kind === 'pool') return { kind: 'host', host: node.host };
    if (node.kind === 'thin') return { kind: 'pool', host: node.host, pool: node.pool };
    return undefined;
  }

  getTreeItem(node: PoolTreeNode): vscode.TreeItem {
    const inspection = this.store.get(node.host);
    if (node.kind === 'host') return this.hostItem(node.host, inspection);
    const pool = inspection?.report.pools.find((p) => p.name === node.pool);
    if (node.kind === 'pool') return pool ? this.poolItem(node.host, pool) : new vscode.TreeItem(printable(node.pool));
    const thin = pool?.thinDevices.find((d) => d.name === node.name);
    return thin ? this.thinItem(node.host, node.pool, thin) : new vscode.TreeItem(printable(node.name));
  }

  private hostItem(host: string, inspection: Inspection | undefined): vscode.TreeItem {
    const item = new vscode.TreeItem(printable(host));
    item.id = `host:${host}`;
    const pinned = pinnedHosts().includes(host);
    const busy = this.store.busyHosts().has(host);
    const r = inspection?.report;
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**').appendText(host).appendMarkdown('**');
    if (pinned) md.appendText(' (pinned to the status bar)');
    md.appendMarkdown('\n\n');
    const flags = [`pinned=${pinned ? 'yes' : 'no'}`, `inspected=${r ? 'yes' : 'no'}`, `transcript=${inspection?.transcript !== undefined ? 'yes' : 'no'}`, `daemonJson=${r?.daemonJson ? 'yes' : 'no'}`];
    item.contextValue = `dmLens.host;${flags.join(';')}`;
    if (!r) {
      item.description = busy ? 'inspecting…' : 'not inspected';
      item.iconPath = new vscode.ThemeIcon(busy ? 'sync~spin' : 'server');
      md.appendText('Not inspected yet: use Inspect (the ssh connection uses your own ssh configuration).');
    } else if (!r.reachable) {
      item.description = busy ? 'inspecting…' : `unreachable: ${printable(r.error ?? r.errorKind ?? 'not inspected')}`;
      item.iconPath = busy ? new vscode.ThemeIcon('sync~spin') : new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor(LEVEL_COLOR.error));
      md.appendMarkdown('Unreachable: ').appendText(r.error ?? 'not inspected');
      if (r.errorKind) md.appendMarkdown(' (`').appendText(r.errorKind).appendMarkdown('`)');
    } else {
      const level = hostLevel(r, usageThresholds());
      const worst = worstPool(r);
      const parts = [`${r.pools.length} pool${r.pools.length === 1 ? '' : 's'}`];
      if (worst) parts.push(`worst ${formatPercent(worst.ratio)} ${printable(worst.pool)}`);
      item.description = busy ? `inspecting… · ${parts.join(' · ')}` : parts.join(' · ');
      item.iconPath = busy ? new vscode.ThemeIcon('sync~spin') : new vscode.ThemeIcon('server', new vscode.ThemeColor(LEVEL_COLOR[level]));
      item.collapsibleState = r.pools.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
      md.appendText(`${r.user ?? '?'}${r.privilege === 'sudo' ? ' (sudo -n)' : ''} · kernel ${r.kernel ?? '?'} · ${r.engine.version ? `Docker ${r.engine.version}` : 'no Docker'}`);
      const errors = r.findings.filter((f) => f.severity === 'error').length;
      const warnings = r.findings.filter((f) => f.severity === 'warning').length;
      md.appendMarkdown('\n\n').appendText(`${errors} error(s), ${warnings} warning(s) · inspected ${inspection.startedAt}`);
      item.command = { command: 'dmLens.showReport', title: 'Show Report', arguments: [host] };
    }
    item.tooltip = md;
    return item;
  }

  private poolItem(host: string, p: PoolReport): vscode.TreeItem {
    const item = new vscode.TreeItem(printable(p.name), p.thinDevices.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `pool:${host}/${p.name}`;
    item.description = usageText(p);
    const level = poolLevel(p, usageThresholds());
    item.iconPath = new vscode.ThemeIcon(p.mode === 'fail' || p.mode === 'error' ? 'error' : 'database', new vscode.ThemeColor(LEVEL_COLOR[level]));
    item.contextValue = 'dmLens.pool';
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**').appendText(p.name).appendMarkdown('**');
    if (p.docker) md.appendText(' (Docker’s pool)');
    md.appendMarkdown('\n\n').appendText(`mode ${p.mode} · ${p.discard ?? 'discard ?'} · ${p.noSpacePolicy ?? 'no-space policy ?'}${p.needsCheck ? ' · needs_check' : ''}`);
    if (p.backing) {
      const b = p.backing;
      md.appendMarkdown('\n\n').appendText(`backing: ${b.kind === 'loop' ? 'loop file' : 'block device'} ${b.path ?? b.device ?? '?'}${b.filesystem ? ` on ${b.filesystem}` : ''} · punch hole ${b.punchHole}`);
    }
    md.appendMarkdown('\n\n').appendText(`reclaim: ${p.reclaim.verdict}${p.reclaim.why ? ` — ${p.reclaim.why}` : ''}`);
    item.tooltip = md;
    item.command = { command: 'dmLens.showReport', title: 'Show Report', arguments: [host] };
    return item;
  }

  private thinItem(host: string, pool: string, d: ThinDeviceReport): vscode.TreeItem {
    const item = new vscode.TreeItem(printable(d.name));
    item.id = `thin:${host}/${pool}/${d.name}`;
    const parts: string[] = [];
    if (d.mappedBytes !== undefined) parts.push(`mapped ${formatBinary(d.mappedBytes)}${d.sizeBytes ? ` of ${formatBinary(d.sizeBytes)}` : ''}`);
    else if (d.sizeBytes !== undefined) parts.push(formatBinary(d.sizeBytes));
    if (d.mountPoint) parts.push(printable(d.mountPoint));
    if (d.failed) parts.push('failed');
    item.description = parts.join(' · ');
    item.iconPath = d.failed ? new vscode.ThemeIcon('error', new vscode.ThemeColor(LEVEL_COLOR.error)) : new vscode.ThemeIcon('layers');
    item.contextValue = 'dmLens.thin';
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**').appendText(d.name).appendMarkdown('**\n\n');
    md.appendText([d.deviceId !== undefined ? `device id ${d.deviceId}` : '', d.mountPoint ? `mounted on ${d.mountPoint}${d.fsType ? ` (${d.fsType})` : ''}` : 'not mounted'].filter(Boolean).join(' · '));
    item.tooltip = md;
    return item;
  }

  /** The whole tree as plain data (the test-only command `dmLens._test.treeSnapshot`). */
  snapshot(): TreeSnapshot {
    const desc = (n: PoolTreeNode) => String(this.getTreeItem(n).description ?? '');
    return {
      hosts: this.getChildren().map((h) => ({
        host: h.host,
        description: desc(h),
        contextValue: this.getTreeItem(h).contextValue ?? '',
        pools: this.getChildren(h).map((p) => ({
          name: (p as { pool: string }).pool,
          description: desc(p),
          thins: this.getChildren(p).map((t) => ({ name: (t as { name: string }).name, description: desc(t) })),
        })),
      })),
    };
  }
}
