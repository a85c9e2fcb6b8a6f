import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/**
 * Activation is wiring only: start the language server for dm-thin transcripts
 * and register the commands. Language activation is implicit (VS Code ≥ 1.74),
 * so this runs only when a transcript is opened or a command is invoked.
 */
let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Devicemapper Lens', { log: true });
  context.subscriptions.push(log);
  const serverModule = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'dmsetup' },
      { scheme: 'untitled', language: 'dmsetup' },
    ],
    synchronize: { configurationSection: 'dmLens' },
    outputChannel: log,
  };
  client = new LanguageClient('dmLens', 'Devicemapper Lens', serverOptions, clientOptions);
  context.subscriptions.push(
    vscode.commands.registerCommand('dmLens.restartServer', async () => {
      log.info('restarting the language server');
      await client?.restart();
    }),
    vscode.commands.registerCommand('dmLens.showOutput', () => log.show(true)),
  );
  try {
    await client.start();
    log.info('language server started');
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    log.error(`language server failed to start: ${message}`);
    void vscode.window.showErrorMessage(`Devicemapper Lens: the language server failed to start (${message}). See the "Devicemapper Lens" output.`);
  }
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
