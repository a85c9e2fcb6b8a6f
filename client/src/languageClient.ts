import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type DocumentSelector, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { remoteConfiguration } from './report/remoteDocuments.js';
import { documentSelector } from './servedDocuments.js';
// Straight from the protocol module, not index.ts: index would pull the core's tables into this bundle.
import { RESULT_LIMIT_REACHED, type ResultLimitReached } from '../../server/src/core/protocol.js';

/**
 * The language client (its own bundle, loaded by extension.ts when the first document it serves
 * is open: vscode-languageclient alone costs more to load than the entry's whole budget).
 */

function createClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): LanguageClient {
  const serverModule = context.asAbsolutePath('server/out/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector() as DocumentSelector,
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

/** Starts, restarts and stops the one language client; a failed start is logged and shown, never thrown. */
export class LanguageClientController {
  private client: LanguageClient | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async start(): Promise<void> {
    if (!this.client) {
      this.client = createClient(this.context, this.log);
      this.client.onNotification(RESULT_LIMIT_REACHED, (p: ResultLimitReached) => this.limitReached(p));
    }
    try {
      await this.client.start();
      this.log.info('language server started');
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log.error(`language server failed to start: ${message}`);
      void vscode.window.showErrorMessage(`Devicemapper Lens: the language server failed to start (${message}). See the "Devicemapper Lens" output.`);
    }
  }

  /** Said once per document and feature: the outline or folding of a huge document was cut. */
  private limitReached({ uri, feature, limit }: ResultLimitReached): void {
    const what = feature === 'outline' ? 'outline' : 'folding regions';
    this.log.warn(`${vscode.workspace.asRelativePath(vscode.Uri.parse(uri))}: ${what} limited to the first ${limit.toLocaleString('en-US')} items (dmLens.maxItemsComputed)`);
    void vscode.window.setStatusBarMessage(`$(warning) Devicemapper Lens: ${what} limited to ${limit.toLocaleString('en-US')} items`, 8000);
  }

  async restart(): Promise<void> {
    if (!this.client) return this.start();
    await this.client.restart();
  }

  /** The document selector is fixed when a client starts: a new glob list needs a new client. */
  async recreate(): Promise<void> {
    await this.client?.stop();
    this.client = undefined;
    await this.start();
  }

  async stop(): Promise<void> {
    await this.client?.stop();
    this.client = undefined;
  }
}
