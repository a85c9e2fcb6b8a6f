import type { Connection, InlayHint } from 'vscode-languageserver/node';
import { inlayHints } from '../../core/index.js';
import type { DocumentStore } from '../documents.js';
import type { SettingsStore } from '../settings.js';
import { runSafe } from '../runSafe.js';

export function registerInlayHints(connection: Connection, docs: DocumentStore, settings: SettingsStore): void {
  connection.languages.inlayHint.on(async (params, token) => {
    const doc = docs.transcript(params?.textDocument?.uri);
    const range = params?.range;
    // A malformed request (no document, no range) gets no hints rather than an internal error.
    if (!doc || typeof range?.start?.line !== 'number' || typeof range.end?.line !== 'number') return [];
    const s = await settings.get(doc.uri);
    if (!s.inlayHints) return [];
    return runSafe<InlayHint[]>(connection, token, [], 'inlayHint', () =>
      inlayHints(doc.model, range.start.line, range.end.line + 1).map((h) => ({ position: h.position, label: h.label, paddingLeft: false })),
    );
  });
}
