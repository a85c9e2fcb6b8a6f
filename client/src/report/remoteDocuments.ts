/**
 * Read-only copies of what an inspection brought back, as documents our
 * language server judges: `/etc/docker/daemon.json` through the
 * `dmlens-remote:` scheme (JSON, with the host's engine version in the URI's
 * query so the server checks it against that engine), and the raw transcript
 * as an untitled `dmsetup` document.
 */
import * as vscode from 'vscode';
import type { ConfigurationItem } from 'vscode-languageclient/node';
import type { InspectionStore } from '../remote/inspections.js';
import { REMOTE_SCHEME } from '../servedDocuments.js';

export { REMOTE_SCHEME };

/** `dmlens-remote:/<host>/etc/docker/daemon.json?engine=<version>` */
export function daemonJsonUri(host: string, engineVersion: string | undefined): vscode.Uri {
  const query = engineVersion ? `engine=${encodeURIComponent(engineVersion)}` : '';
  return vscode.Uri.from({ scheme: REMOTE_SCHEME, path: `/${host}/etc/docker/daemon.json`, query });
}

function hostOfUri(uri: vscode.Uri): string | undefined {
  return uri.path.split('/')[1] || undefined;
}

/** The engine version a dmlens-remote URI carries ('' when the host's engine is unknown). */
export function engineOfUri(uri: vscode.Uri): string {
  const v = new URLSearchParams(uri.query).get('engine') ?? '';
  return /^[\w.+~-]{1,64}$/.test(v) ? v : '';
}

/**
 * The language client's `workspace/configuration` answer for a dmlens-remote
 * document: `dmLens.engineVersion` is the host's engine, whatever the user's
 * setting says (the server pulls per resource: server/src/lsp/settings.ts).
 */
export function remoteConfiguration(item: ConfigurationItem, value: unknown): unknown {
  if (!item.scopeUri?.startsWith(`${REMOTE_SCHEME}:`)) return value;
  const engine = engineOfUri(vscode.Uri.parse(item.scopeUri));
  if (item.section === 'dmLens') return { ...(value && typeof value === 'object' ? value : {}), engineVersion: engine };
  if (item.section === 'dmLens.engineVersion') return engine;
  return value;
}

export class RemoteDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly store: InspectionStore) {
    this.subscriptions = [
      vscode.workspace.registerTextDocumentContentProvider(REMOTE_SCHEME, this),
      // A refresh brings a new daemon.json: open copies follow it.
      store.onDidChange((hosts) => {
        for (const doc of vscode.workspace.textDocuments) {
          if (doc.uri.scheme === REMOTE_SCHEME && hosts.includes(hostOfUri(doc.uri) ?? '')) this.changed.fire(doc.uri);
        }
      }),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const host = hostOfUri(uri);
    const report = host ? this.store.get(host)?.report : undefined;
    return report?.daemonJson?.text ?? '';
  }

  /** Opens the host's daemon.json (read-only) as JSON; undefined when the last inspection found none. */
  async openDaemonJson(host: string): Promise<vscode.Uri | undefined> {
    const report = this.store.get(host)?.report;
    if (!report?.daemonJson) {
      void vscode.window.showInformationMessage(`Devicemapper Lens: ${host} has no /etc/docker/daemon.json in its last inspection.`);
      return undefined;
    }
    let doc = await vscode.workspace.openTextDocument(daemonJsonUri(host, report.engine.version));
    if (doc.languageId !== 'json') doc = await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc.uri;
  }

  /** Opens the raw transcript of the host's last inspection as an untitled dm-thin transcript. */
  async openTranscript(host: string): Promise<vscode.Uri | undefined> {
    const transcript = this.store.get(host)?.transcript;
    if (transcript === undefined) {
      void vscode.window.showInformationMessage(`Devicemapper Lens: no transcript for ${host}: inspect it first (an unreachable host has none).`);
      return undefined;
    }
    const doc = await vscode.workspace.openTextDocument({ language: 'dmsetup', content: transcript });
    await vscode.window.showTextDocument(doc, { preview: false });
    return doc.uri;
  }
}
