import * as path from 'node:path';
import * as vscode from 'vscode';
import { REMOTE_COMMAND_IDS, TEST_HOOK_IDS, type RemoteCommandId } from './commandIds.js';
import { documentSelector } from './servedDocuments.js';
import type * as LanguageClientModule from './languageClient.js';
import type * as RemoteInspectionModule from './remoteInspection.js';

/**
 * Activation is wiring only, and cheap: the extension activates on every JSON, log and plain-text
 * file, so this entry bundle holds no library. The two heavy parts are separate bundles, loaded
 * when first needed:
 *  - client/out/languageClient.js (vscode-languageclient) when a document the server serves is
 *    open — a dm-thin transcript, a daemon.json matching `dmLens.daemonJson.files`, a log;
 *  - client/out/remoteInspection.js (ssh, inventories, pages, tree, status bar) when a remote
 *    command runs, the Thin Pools view is shown, or pinned hosts / polling are configured.
 */

/** Test builds count the lazily loaded bundles (`dmLens._test.loadedBundles`). */
const loaded = new Set<string>();
function load<T>(bundle: string): T {
  loaded.add(bundle);
  // A runtime require of a sibling bundle: esbuild leaves a non-literal require alone.
  const file = path.join(__dirname, bundle);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a sibling bundle, loaded on demand by design
  return require(file) as T;
}

let language: LanguageClientModule.LanguageClientController | undefined;
let remote: RemoteInspectionModule.RemoteInspection | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Devicemapper Lens', { log: true });
  context.subscriptions.push(log);

  // The language client, started by the first document it serves.
  let selector: vscode.DocumentFilter[] | undefined;
  let languageModule: typeof LanguageClientModule | undefined;
  const startLanguage = async (): Promise<void> => {
    if (language) return;
    languageModule ??= load<typeof LanguageClientModule>('languageClient.js');
    language = new languageModule.LanguageClientController(context, log);
    await language.start();
  };
  // Which documents the server serves is cheap to know without the client: the same globs.
  const serves = (doc: vscode.TextDocument): boolean => {
    selector ??= documentSelector();
    return vscode.languages.match(selector, doc) > 0;
  };

  // Remote inspection, built once on first use.
  const remoteInspection = (): RemoteInspectionModule.RemoteInspection => {
    if (!remote) {
      remote = load<typeof RemoteInspectionModule>('remoteInspection.js').createRemoteInspection(context, log);
      context.subscriptions.push(...remote.disposables, remote.tree.onDidChangeTreeData((e) => treeChanged.fire(e)));
    }
    return remote;
  };
  const treeChanged = new vscode.EventEmitter<unknown>();
  // The view is registered now; its provider asks the remote module only when the view is shown.
  type Node = Parameters<RemoteInspectionModule.RemoteInspection['tree']['getTreeItem']>[0];
  const treeProvider: vscode.TreeDataProvider<Node> = {
    onDidChangeTreeData: treeChanged.event as vscode.Event<Node | undefined>,
    getChildren: (node) => remoteInspection().tree.getChildren(node),
    getTreeItem: (node) => remoteInspection().tree.getTreeItem(node),
    getParent: (node) => remoteInspection().tree.getParent(node),
  };
  const handlerIds: readonly string[] = context.extensionMode === vscode.ExtensionMode.Production ? REMOTE_COMMAND_IDS : [...REMOTE_COMMAND_IDS, ...TEST_HOOK_IDS];
  context.subscriptions.push(
    treeChanged,
    vscode.window.createTreeView('dmLens.thinPools', { treeDataProvider: treeProvider, showCollapseAll: true }),
    ...handlerIds.map((id) =>
      vscode.commands.registerCommand(id, (...args: unknown[]) => {
        // Each handler narrows its own arguments (tree nodes, hosts, options) from what VS Code passes.
        const handler = remoteInspection().commands.get(id as RemoteCommandId) as ((...a: unknown[]) => unknown) | undefined;
        return handler?.(...args);
      }),
    ),
    vscode.commands.registerCommand('dmLens.restartServer', async () => {
      log.info('restarting the language server');
      if (language) await language.restart();
      else await startLanguage();
    }),
    vscode.commands.registerCommand('dmLens.showOutput', () => log.show(true)),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (!language && serves(doc)) void startLanguage();
    }),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (e.affectsConfiguration('dmLens.daemonJson.files') || e.affectsConfiguration('dmLens.logs.files')) {
        selector = undefined;
        if (language) {
          log.info('file globs changed: restarting the language server');
          await language.recreate();
        } else if (vscode.workspace.textDocuments.some(serves)) await startLanguage();
      }
      if (e.affectsConfiguration('dmLens.pinnedHosts') || e.affectsConfiguration('dmLens.inspect.refreshInterval')) {
        if (remoteWanted()) remoteInspection();
      }
    }),
  );
  if (context.extensionMode !== vscode.ExtensionMode.Production) {
    context.subscriptions.push(vscode.commands.registerCommand('dmLens._test.loadedBundles', () => [...loaded].sort()));
  }
  void vscode.commands.executeCommand('setContext', 'dmLens.hasInspections', false);
  // Pinned hosts show in the status bar and polling runs from the start: both need the remote module.
  if (remoteWanted()) remoteInspection();
  if (vscode.workspace.textDocuments.some(serves)) await startLanguage();
}

function remoteWanted(): boolean {
  const config = vscode.workspace.getConfiguration('dmLens');
  return config.get<string[]>('pinnedHosts', []).length > 0 || config.get<number>('inspect.refreshInterval', 0) > 0;
}

export async function deactivate(): Promise<void> {
  await language?.stop();
  language = undefined;
  remote = undefined;
}
