import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type DocumentSelector, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/**
 * Activation is wiring only: start the language server for dm-thin transcripts
 * and daemon.json files, and register the commands. Language activation is
 * implicit (VS Code ≥ 1.74); `workspaceContains:**\/daemon.json` covers the JSON side.
 */
let client: LanguageClient | undefined;

/** Transcripts by language; daemon.json by the file globs of `dmLens.daemonJson.files` (JSON and JSONC). */
function documentSelector(): DocumentSelector {
  const globs = vscode.workspace.getConfiguration('dmLens').get<string[]>('daemonJson.files', ['**/daemon.json']);
  return [
    { scheme: 'file', language: 'dmsetup' },
    { scheme: 'untitled', language: 'dmsetup' },
    ...globs.flatMap((pattern) => [
      { scheme: 'file', language: 'json', pattern },
      { scheme: 'file', language: 'jsonc', pattern },
    ]),
  ];
}

function createClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageClient {
  const serverModule = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    synchronize: { configurationSection: 'dmLens' },
    outputChannel: log,
  };
  return new LanguageClient('dmLens', 'Devicemapper Lens', serverOptions, clientOptions);
}

async function start(log: vscode.LogOutputChannel): Promise<void> {
  try {
    await client?.start();
    log.info('language server started');
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    log.error(`language server failed to start: ${message}`);
    void vscode.window.showErrorMessage(`Devicemapper Lens: the language server failed to start (${message}). See the "Devicemapper Lens" output.`);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Devicemapper Lens', { log: true });
  context.subscriptions.push(log);
  client = createClient(context, log);
  context.subscriptions.push(
    vscode.commands.registerCommand('dmLens.restartServer', async () => {
      log.info('restarting the language server');
      await client?.restart();
    }),
    vscode.commands.registerCommand('dmLens.showOutput', () => log.show(true)),
    // The document selector is fixed when a client starts: a new glob list needs a new client.
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration('dmLens.daemonJson.files')) return;
      log.info('daemon.json globs changed: restarting the language server');
      await client?.stop();
      client = createClient(context, log);
      await start(log);
    }),
  );
  await start(log);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
