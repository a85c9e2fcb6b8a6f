import type { Connection, FoldingRange } from 'vscode-languageserver/node';
import { foldingRanges } from '../../core/index.js';
import type { DocumentStore } from '../documents.js';
import { runSafe } from '../runSafe.js';

export function registerFoldingRanges(connection: Connection, docs: DocumentStore): void {
  connection.onFoldingRanges(({ textDocument }, token) =>
    runSafe<FoldingRange[]>(connection, token, [], 'foldingRange', () => {
      const doc = docs.transcript(textDocument.uri);
      return doc ? foldingRanges(doc.model) : [];
    }),
  );
}
