import type { Connection, InlayHint } from 'vscode-languageserver/node';
import { inlayHints } from '../../core/index.js';
import type { DocumentStore } from '../documents.js';
import type { SettingsStore } from '../settings.js';
import { runSafe } from '../runSafe.js';

export function registerInlayHints(connection: Connection, docs: DocumentStore, settings: SettingsStore): void {
  connection.languages.inlayHint.on(async ({ textDocument, range }, token) => {
    const doc = docs.transcript(textDocument.uri);
    if (!doc) return [];
    const s = await settings.get(textDocument.uri);
    if (!s.inlayHints) return [];
    return runSafe<InlayHint[]>(connection, token, [], 'inlayHint', () =>
      inlayHints(doc.model, range.start.line, range.end.line + 1).map((h) => ({ position: h.position, label: h.label, paddingLeft: false })),
    );
  });
}
