import { SymbolKind, type Connection, type DocumentSymbol } from 'vscode-languageserver/node';
import { documentSymbols, type LogSymbol, type TranscriptSymbol } from '../../core/index.js';
import { logAnalysis, type DocumentStore } from '../documents.js';
import { runSafe } from '../runSafe.js';

const KIND: Record<TranscriptSymbol['kind'] | LogSymbol['kind'], SymbolKind> = {
  command: SymbolKind.Event,
  pool: SymbolKind.Package,
  thin: SymbolKind.Module,
  device: SymbolKind.Object,
  file: SymbolKind.File,
  // A log's timeline: one symbol per pool episode, its state changes inside.
  episode: SymbolKind.Event,
  state: SymbolKind.EnumMember,
};

function convert(s: TranscriptSymbol | LogSymbol): DocumentSymbol {
  return { name: s.name || ' ', detail: s.detail, kind: KIND[s.kind], range: s.range, selectionRange: s.selectionRange, children: s.children.map(convert) };
}

export function registerDocumentSymbols(connection: Connection, docs: DocumentStore): void {
  connection.onDocumentSymbol(({ textDocument }, token) =>
    runSafe<DocumentSymbol[]>(connection, token, [], 'documentSymbol', () => {
      const doc = docs.get(textDocument.uri);
      if (doc?.kind === 'transcript') return documentSymbols(doc.model).map(convert);
      if (doc?.kind === 'log') return logAnalysis(doc).analysis.symbols.map(convert);
      return [];
    }),
  );
}
