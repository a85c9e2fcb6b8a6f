/**
 * The status-bar item for pinned hosts: the fullest pool among them after
 * their last inspection ("$(database) 87 % host:pool"), with the warning or
 * error background by `dmLens.thresholds.*`; a click inspects the pinned
 * hosts. Hidden when nothing is pinned.
 */
import * as vscode from 'vscode';
import { formatPercent, type HostReport } from '../../../server/src/core/index.js';
import { printable } from '../../../server/src/remote/ssh.js';
import { pinnedHosts, usageThresholds } from '../remote/config.js';
import type { InspectionStore } from '../remote/inspections.js';
import { poolLevel } from '../report/renderReport.js';
import { worstPool } from './poolTree.js';

/** Remote text as status-bar text: control characters visible, and `$(…)` escaped so it cannot render as an icon. */
export function noIcons(s: string): string {
  return printable(s).replace(/\$\(/g, '\\$(');
}

export class PinnedStatus implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  /** Whether the item is shown (the API has no getter). */
  visible = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly store: InspectionStore) {
    this.item = vscode.window.createStatusBarItem('dmLens.pinned', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'Devicemapper: pinned hosts';
    this.item.command = 'dmLens.inspectPinned';
    this.subscriptions = [
      this.item,
      store.onDidChange(() => this.update()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('dmLens.pinnedHosts') || e.affectsConfiguration('dmLens.thresholds')) this.update();
      }),
    ];
    this.update();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  update(): void {
    const pinned = pinnedHosts();
    if (pinned.length === 0) {
      this.item.hide();
      this.visible = false;
      return;
    }
    const busy = pinned.some((h) => this.store.busyHosts().has(h));
    const reports = this.store.reports(pinned);
    const t = usageThresholds();
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**Pinned hosts** (click to inspect them)\n\n');
    let worst: { ratio: number; host: string; pool: string } | undefined;
    const rank = { ok: 0, warning: 1, error: 2 } as const;
    const state: { level: keyof typeof rank } = { level: 'ok' };
    const raise = (l: keyof typeof rank) => {
      if (rank[l] > rank[state.level]) state.level = l;
    };
    for (const host of pinned) {
      const r: HostReport | undefined = reports.find((x) => x.host === host);
      md.appendMarkdown('- ').appendText(host).appendText(': ');
      if (!r) {
        md.appendText('not inspected yet\n');
        continue;
      }
      if (!r.reachable) {
        raise('warning');
        md.appendText(`unreachable — ${r.error ?? ''}\n`);
        continue;
      }
      for (const p of r.pools) raise(poolLevel(p, t));
      const w = worstPool(r);
      if (w && (!worst || w.ratio > worst.ratio)) worst = { ...w, host };
      md.appendText(w ? `${formatPercent(w.ratio)} ${w.pool}\n` : 'no thin pools\n');
    }
    const unreachable = reports.filter((r) => !r.reachable).length;
    let text: string;
    if (busy) text = '$(sync~spin) dm: inspecting…';
    else if (reports.length === 0) text = '$(database) dm: not inspected';
    else if (worst) text = `$(database) ${formatPercent(worst.ratio)} ${noIcons(worst.host)}:${noIcons(worst.pool)}`;
    else text = '$(database) dm: no pools';
    if (!busy && unreachable > 0) text += ` $(debug-disconnect) ${unreachable}`;
    this.item.text = text;
    this.item.tooltip = md;
    this.item.backgroundColor = state.level === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : state.level === 'warning' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: `Devicemapper pinned hosts: ${text.replace(/\$\([\w~-]+\)\s*/g, '')}` };
    this.item.show();
    this.visible = true;
  }
}
