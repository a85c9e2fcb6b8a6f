/**
 * Wiring of remote inspection (issue 7): the store, the report pages, the
 * read-only remote documents, the Thin Pools view, the status-bar item, the
 * background refresh and the commands. Each piece lives in its own file.
 */
import * as vscode from 'vscode';
import { InspectionStore } from './remote/inspections.js';
import { Poller } from './remote/poller.js';
import { FleetPanel, ReportPanels } from './report/panels.js';
import { RemoteDocuments } from './report/remoteDocuments.js';
import { PoolTreeProvider } from './views/poolTree.js';
import { PinnedStatus } from './views/statusBar.js';
import { inspectHostCommand, showReportCommand } from './commands/inspectHost.js';
import { inspectFleetCommand, inspectPinnedCommand, refreshAllCommand } from './commands/inspectFleet.js';
import { pinHostCommand, unpinHostCommand } from './commands/pinning.js';
import { hostOf } from './commands/common.js';
import { reclaimCommand, vscodeUi, type ReclaimUi, type Tick } from './commands/reclaim.js';
import { ReclaimPanels } from './report/reclaimPanel.js';
import { allHostEntries } from './remote/hostSources.js';
import { printable } from '../../server/src/remote/ssh.js';
import type { HostReport } from '../../server/src/core/index.js';
import type { CommandHandler, RemoteCommandId, TestHookId } from './commandIds.js';

/** Picks a host among those with a last inspection that has `what` (palette use without an argument). */
async function inspectedHost(store: InspectionStore, arg: unknown, has: (host: string) => boolean, what: string): Promise<string | undefined> {
  const given = hostOf(arg);
  if (given !== undefined) return given;
  const hosts = store.all().map((i) => i.report.host).filter(has);
  if (hosts.length === 0) {
    void vscode.window.showInformationMessage(`Devicemapper: no inspected host has ${what} yet.`);
    return undefined;
  }
  if (hosts.length === 1) return hosts[0];
  const pick = await vscode.window.showQuickPick(hosts.map((h) => ({ label: printable(h), host: h })), { title: `Devicemapper: open ${what} of…` });
  return pick?.host;
}

/** What the extension entry wires: command handlers by id, the Thin Pools tree, and what to dispose. */
export interface RemoteInspection {
  readonly commands: ReadonlyMap<RemoteCommandId | TestHookId, CommandHandler>;
  readonly tree: PoolTreeProvider;
  readonly disposables: vscode.Disposable[];
}

/**
 * Builds remote inspection: the store, pages, tree, status bar and poller, and the handlers of the
 * remote commands. The entry (extension.ts) registers the commands and the view itself, so this
 * module (with ssh, execa and the inventory parsers) loads only when first needed.
 */
export function createRemoteInspection(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): RemoteInspection {
  const store = new InspectionStore(context.globalState, log);
  const documents = new RemoteDocuments(store);
  const panels = new ReportPanels(
    context.extensionUri,
    store,
    {
      openTranscript: (host) => vscode.commands.executeCommand('dmLens.openRawTranscript', host),
      openDaemonJson: (host) => vscode.commands.executeCommand('dmLens.openDaemonJson', host),
      refresh: (host) => vscode.commands.executeCommand('dmLens.refreshHost', host),
      reclaim: (host) => vscode.commands.executeCommand('dmLens.reclaim', host),
    },
    log,
  );
  const openFromFleet = (host: string, fallback: HostReport) => {
    const inspection = store.get(host) ?? { report: fallback, durationMs: 0, startedAt: new Date(0).toISOString() };
    panels.show(inspection);
  };
  const fleet = new FleetPanel(context.extensionUri, store, openFromFleet, log);
  const tree = new PoolTreeProvider(store);
  const status = new PinnedStatus(store);
  const poller = new Poller(store, log);
  const hostDeps = { log, store, panels };
  const reclaimPanels = new ReclaimPanels(context.extensionUri, log);
  // Production always asks with the real modal; only a test hook (below, never in production) replaces it.
  let reclaimUi: ReclaimUi = vscodeUi;
  const reclaimDeps = { log, store, panels: reclaimPanels, storage: context.globalStorageUri, ui: () => reclaimUi };
  const fleetDeps = { log, store, fleet };

  const setContext = () => void vscode.commands.executeCommand('setContext', 'dmLens.hasInspections', store.all().length > 0);
  const disposables: vscode.Disposable[] = [
    store,
    documents,
    panels,
    fleet,
    reclaimPanels,
    tree,
    status,
    poller,
    store.onDidChange(setContext),
  ];
  const commands = new Map<RemoteCommandId | TestHookId, CommandHandler>([
    ['dmLens.inspectHost', (arg?: unknown, options?: unknown) => inspectHostCommand(hostDeps, arg, options)],
    // "Inspect" on a view item: the same run, for a host never inspected before.
    ['dmLens.inspectTreeHost', (arg?: unknown) => {
      const host = hostOf(arg);
      return host === undefined ? undefined : inspectHostCommand(hostDeps, host);
    }],
    ['dmLens.refreshHost', (arg?: unknown, options?: unknown) => {
      const host = hostOf(arg);
      // Refresh keeps the user where they are: an open page updates, no new page opens.
      return host === undefined ? undefined : inspectHostCommand(hostDeps, host, { ...(options && typeof options === 'object' ? options : {}), reveal: false });
    }],
    ['dmLens.showReport', (arg?: unknown) => showReportCommand(hostDeps, arg)],
    ['dmLens.inspectFleet', (arg?: unknown, options?: unknown) => inspectFleetCommand(fleetDeps, arg, options)],
    ['dmLens.inspectPinned', (options?: unknown) => inspectPinnedCommand(fleetDeps, options)],
    ['dmLens.refreshAll', (options?: unknown) => refreshAllCommand(fleetDeps, tree.hosts(), options)],
    ['dmLens.reclaim', (arg?: unknown, options?: unknown) => reclaimCommand(reclaimDeps, arg, options)],
    ['dmLens.pinHost', (arg?: unknown) => pinHostCommand(arg)],
    ['dmLens.unpinHost', (arg?: unknown) => unpinHostCommand(arg)],
    ['dmLens.openRawTranscript', async (arg?: unknown) => {
      const host = await inspectedHost(store, arg, (h) => store.get(h)?.transcript !== undefined, 'a raw transcript');
      return host === undefined ? undefined : documents.openTranscript(host);
    }],
    ['dmLens.openDaemonJson', async (arg?: unknown) => {
      const host = await inspectedHost(store, arg, (h) => store.get(h)?.report.daemonJson !== undefined, 'a daemon.json');
      return host === undefined ? undefined : documents.openDaemonJson(host);
    }],
  ]);

  const reclaimPrompts: Record<string, unknown>[] = [];
  // Test hooks, never in a packaged extension's palette or API (not contributed, and only outside production).
  if (context.extensionMode !== vscode.ExtensionMode.Production) {
    const hooks: [TestHookId, CommandHandler][] = [
      ['dmLens._test.treeSnapshot', () => tree.snapshot()],
      ['dmLens._test.cancelAll', () => store.cancelAll()],
      ['dmLens._test.hostEntries', () => allHostEntries(store.recent())],
      ['dmLens._test.state', () => ({
        reportPanels: panels.hosts(),
        fleetPanel: fleet.isOpen,
        busy: [...store.busyHosts()],
        statusBar: { text: status.item.text, visible: status.visible },
      })],
      // Answers the reclaim modal and tick boxes without UI, and records what would have been asked; undefined restores the real UI.
      ['dmLens._test.autoConfirm', (answers?: { confirm?: unknown; ticks?: unknown }) => {
        reclaimPrompts.length = 0;
        if (!answers) {
          reclaimUi = vscodeUi;
          return;
        }
        const ticks = Array.isArray(answers.ticks) ? answers.ticks.filter((t): t is Tick => t === 'prune-containers' || t === 'prune-images') : [];
        reclaimUi = {
          pickTicks: (host, offered) => {
            reclaimPrompts.push({ kind: 'ticks', host, offered: [...offered] });
            return Promise.resolve(ticks.filter((t) => offered.includes(t)));
          },
          confirm: (message, detail, button) => {
            reclaimPrompts.push({ kind: 'confirm', message, detail, button });
            return Promise.resolve(answers.confirm === true);
          },
          info: (message) => {
            reclaimPrompts.push({ kind: 'info', message });
          },
        };
      }],
      ['dmLens._test.reclaimState', () => ({ prompts: [...reclaimPrompts], panels: reclaimPanels.hosts() })],
    ];
    for (const [id, handler] of hooks) commands.set(id, handler);
  }
  setContext();
  return { commands, tree, disposables };
}
