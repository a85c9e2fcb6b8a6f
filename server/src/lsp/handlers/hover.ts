import { MarkupKind, type Connection } from 'vscode-languageserver/node';
import { hoverAt } from '../../core/index.js';
import type { DocumentStore } from '../documents.js';
import { runSafe } from '../runSafe.js';

export function registerHover(connection: Connection, docs: DocumentStore): void {
  connection.onHover(({ textDocument, position }, token) =>
    runSafe(connection, token, null, 'hover', () => {
      const doc = docs.transcript(textDocument.uri);
      const h = doc && hoverAt(doc.model, position.line, position.character);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: h.range } : null;
    }),
  );
}
