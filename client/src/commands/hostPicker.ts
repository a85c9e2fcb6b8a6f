/**
 * The host picker of "Inspect Host…": recent hosts, dmLens.hosts, the ssh
 * config's aliases and the inventory, in sections; anything typed is offered
 * too, checked as ssh would receive it.
 */
import * as vscode from 'vscode';
import { checkHost, printable } from '../../../server/src/remote/ssh.js';
import { allHostEntries, type HostEntry, type HostSource } from '../remote/hostSources.js';

interface HostPick extends vscode.QuickPickItem {
  host?: string;
  problem?: string;
}

const SECTIONS: Record<HostSource, { label: string; icon: string }> = {
  recent: { label: 'Recent', icon: 'history' },
  configured: { label: 'dmLens.hosts', icon: 'settings-gear' },
  'ssh-config': { label: 'ssh config', icon: 'terminal' },
  inventory: { label: 'Ansible inventory', icon: 'list-tree' },
};

function itemsOf(entries: readonly HostEntry[]): HostPick[] {
  const items: HostPick[] = [];
  for (const source of Object.keys(SECTIONS) as HostSource[]) {
    const group = entries.filter((e) => e.source === source);
    if (group.length === 0) continue;
    items.push({ label: SECTIONS[source].label, kind: vscode.QuickPickItemKind.Separator });
    for (const e of group) {
      items.push({ label: printable(e.host), host: e.host, iconPath: new vscode.ThemeIcon(SECTIONS[source].icon), ...(e.detail ? { description: printable(e.detail) } : {}) });
    }
  }
  return items;
}

function typedItem(value: string): HostPick {
  const problem = checkHost(value);
  return problem
    ? { label: printable(value), description: `$(error) ${problem}`, problem, alwaysShow: true }
    : { label: printable(value), description: 'inspect this host', host: value, iconPath: new vscode.ThemeIcon('arrow-right'), alwaysShow: true };
}

/** Resolves to the chosen host, or undefined when dismissed. */
export function pickHost(recent: readonly string[]): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick<HostPick>();
  qp.title = 'Devicemapper: Inspect Host';
  qp.placeholder = 'An ssh alias, a host name or user@host (your ssh config applies)';
  qp.matchOnDescription = true;
  qp.ignoreFocusOut = false;
  qp.busy = true;
  let base: HostPick[] = [];
  const refreshItems = () => {
    const value = qp.value.trim();
    const known = value !== '' && base.some((i) => i.host === value);
    qp.items = value && !known ? [typedItem(value), ...base] : base;
  };
  void allHostEntries(recent).then(
    (entries) => {
      base = itemsOf(entries);
      qp.busy = false;
      refreshItems();
    },
    () => (qp.busy = false),
  );
  return new Promise((resolve) => {
    let done = false;
    const finish = (host: string | undefined) => {
      if (done) return;
      done = true;
      resolve(host);
      qp.dispose();
    };
    qp.onDidChangeValue(refreshItems);
    qp.onDidAccept(() => {
      const picked = qp.selectedItems[0] ?? typedItem(qp.value.trim());
      if (picked.host) finish(picked.host);
      // A refused name stays in the list with its reason; the picker stays open.
    });
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}
