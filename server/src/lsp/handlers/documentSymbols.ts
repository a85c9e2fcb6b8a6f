import { SymbolKind, type Connection, type DocumentSymbol } from 'vscode-languageserver/node';
import { documentSymbols, type TranscriptSymbol } from '../../core/index.js';
import type { DocumentStore } from '../documents.js';
import { runSafe } from '../runSafe.js';

const KIND: Record<TranscriptSymbol['kind'], SymbolKind> = {
  command: SymbolKind.Event,
  pool: SymbolKind.Package,
  thin: SymbolKind.Module,
  device: SymbolKind.Object,
  file: SymbolKind.File,
};

function convert(s: TranscriptSymbol): DocumentSymbol {
  return { name: s.name || ' ', detail: s.detail, kind: KIND[s.kind], range: s.range, selectionRange: s.selectionRange, children: s.children.map(convert) };
}

export function registerDocumentSymbols(connection: Connection, docs: DocumentStore): void {
  connection.onDocumentSymbol(({ textDocument }, token) =>
    runSafe<DocumentSymbol[]>(connection, token, [], 'documentSymbol', () => {
      const doc = docs.transcript(textDocument.uri);
      return doc ? documentSymbols(doc.model).map(convert) : [];
    }),
  );
}
