import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const SERVER = resolve(__dirname, '../../server/out/server.js');

/**
 * A real LSP client over stdio against the built server bundle: the same
 * bytes VS Code would send. No mocks: the server process is the shipped one.
 */
export class LspClient {
  readonly connection: MessageConnection;
  private readonly proc: ChildProcess;
  private readonly diagnostics = new Map<string, { version?: number; diagnostics: Diagnostic[] }>();
  private readonly waiters: (() => void)[] = [];
  readonly stderr: string[] = [];
  configuration: Record<string, unknown> = {};

  constructor() {
    this.proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stderr!.on('data', (d: Buffer) => this.stderr.push(d.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number; diagnostics: Diagnostic[] }) => {
      this.diagnostics.set(p.uri, { version: p.version, diagnostics: p.diagnostics });
      for (const w of this.waiters.splice(0)) w();
    });
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => this.configuration));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/inlayHint/refresh', () => null);
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.listen();
  }

  async initialize(options: { pullConfiguration?: boolean } = {}): Promise<InitializeResult> {
    const result = await this.connection.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: options.pullConfiguration ?? true, didChangeConfiguration: { dynamicRegistration: false }, inlayHint: { refreshSupport: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, synchronization: { dynamicRegistration: false } },
      },
      initializationOptions: { debounceMs: 0 },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, text: string, languageId = 'dmsetup', version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, contentChanges: unknown[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  /** Waits (polling on notifications, no fixed sleep) until diagnostics for `uri` at `version` arrive. */
  async diagnosticsFor(uri: string, version?: number, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const d = this.diagnostics.get(uri);
      if (d && (version === undefined || d.version === version)) return d.diagnostics;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no diagnostics for ${uri} version ${version}; stderr: ${this.stderr.join('')}`);
      await new Promise<void>((res) => {
        const t = setTimeout(res, left);
        this.waiters.push(() => {
          clearTimeout(t);
          res();
        });
      });
    }
  }

  forgetDiagnostics(uri: string): void {
    this.diagnostics.delete(uri);
  }

  /** The server's process id (the stress tests read its resident memory from /proc/<pid>/status). */
  get pid(): number {
    return this.proc.pid!;
  }

  /**
   * Writes bytes to the server's stdin as they are, past the JSON-RPC writer: for malformed
   * frames. Call it only while no other message is being written.
   */
  writeRaw(bytes: string | Uint8Array): Promise<void> {
    return new Promise((res, rej) => this.proc.stdin!.write(bytes, (e) => (e ? rej(e) : res())));
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest<T>(method, params);
  }

  async shutdown(): Promise<number | null> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await new Promise<number | null>((res) => {
      if (this.proc.exitCode !== null) res(this.proc.exitCode);
      else this.proc.once('exit', (c) => res(c));
    });
    this.connection.dispose();
    return code;
  }

  kill(): void {
    this.proc.kill('SIGKILL');
  }
}

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string;
  source?: string;
  message: string;
  relatedInformation?: { location: { uri: string; range: unknown }; message: string }[];
}

export interface InitializeResult {
  capabilities: Record<string, unknown>;
  serverInfo?: { name: string };
}
