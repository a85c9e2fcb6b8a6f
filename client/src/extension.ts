import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type DocumentSelector, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerRemoteInspection } from './remoteInspection.js';
import { REMOTE_SCHEME, remoteConfiguration } from './report/remoteDocuments.js';

/**
 * Activation is wiring only: start the language server for dm-thin transcripts,
 * daemon.json files and logs, register the commands, and wire remote
 * inspection (client/src/remoteInspection.ts). Activation is on the languages
 * involved (json, jsonc, log, plaintext), `workspaceContains:**\/daemon.json`,
 * and (implicitly) the remote commands and the Thin Pools view.
 */
let client: LanguageClient | undefined;

/**
 * Transcripts by language; daemon.json by the globs of `dmLens.daemonJson.files` (JSON and JSONC);
 * logs: every file in VS Code's `log` language, and plain text matching `dmLens.logs.files`.
 * Only files and untitled documents: VS Code's own Output channels are `log` documents too.
 * Plus the read-only copies of remote inspections (`dmlens-remote:`): a host's daemon.json
 * and transcripts.
 */
function documentSelector(): DocumentSelector {
  const config = vscode.workspace.getConfiguration('dmLens');
  const daemonGlobs = config.get<string[]>('daemonJson.files', ['**/daemon.json']);
  const logGlobs = config.get<string[]>('logs.files', []);
  return [
    { scheme: 'file', language: 'dmsetup' },
    { scheme: 'untitled', language: 'dmsetup' },
    ...daemonGlobs.flatMap((pattern) => [
      { scheme: 'file', language: 'json', pattern },
      { scheme: 'file', language: 'jsonc', pattern },
    ]),
    { scheme: 'file', language: 'log' },
    { scheme: 'untitled', language: 'log' },
    ...logGlobs.map((pattern) => ({ scheme: 'file', language: 'plaintext', pattern })),
    { scheme: REMOTE_SCHEME, language: 'json' },
    { scheme: REMOTE_SCHEME, language: 'jsonc' },
    { scheme: REMOTE_SCHEME, language: 'dmsetup' },
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
    middleware: {
      workspace: {
        // A remote daemon.json is judged for its host's engine (carried in its URI), not the user's dmLens.engineVersion.
        configuration: async (params, token, next) => {
          const result: unknown = await next(params, token);
          return Array.isArray(result) ? params.items.map((item, i) => remoteConfiguration(item, result[i])) : (result as ReturnType<typeof next>);
        },
      },
    },
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
    ...registerRemoteInspection(context, log),
    // The document selector is fixed when a client starts: a new glob list needs a new client.
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration('dmLens.daemonJson.files') && !e.affectsConfiguration('dmLens.logs.files')) return;
      log.info('file globs changed: restarting the language server');
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
