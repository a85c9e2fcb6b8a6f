import { SymbolKind, type Connection, type DocumentSymbol } from 'vscode-languageserver/node';
import { limitedDocumentSymbols, type LogSymbol, type TranscriptSymbol } from '../../core/index.js';
import { logAnalysis, type DocumentStore } from '../documents.js';
import type { SettingsStore } from '../settings.js';
import { runSafe } from '../runSafe.js';
import { resultLimitReached } from './resultLimit.js';

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

/** The first `max` symbols of a tree, counted in document order (parents before their children). */
function capTree(symbols: readonly LogSymbol[], max: number): { symbols: LogSymbol[]; limited: boolean } {
  let budget = max;
  let limited = false;
  const walk = (list: readonly LogSymbol[]): LogSymbol[] => {
    const out: LogSymbol[] = [];
    for (const s of list) {
      if (budget <= 0) {
        limited = true;
        break;
      }
      budget--;
      out.push({ ...s, children: walk(s.children) });
    }
    return out;
  };
  return { symbols: walk(symbols), limited };
}

/**
 * The last answer per document, for its version and limit: VS Code asks again and again for one
 * version (outline, breadcrumbs, sticky scroll), and on a huge document the answer is thousands
 * of symbols.
 */
const lastAnswer = new WeakMap<object, { version: number; limit: number; symbols: DocumentSymbol[] }>();

export function registerDocumentSymbols(connection: Connection, docs: DocumentStore, settings: SettingsStore): void {
  connection.onDocumentSymbol(async (params, token) => {
    const doc = docs.get(params?.textDocument?.uri);
    if (!doc || doc.kind === 'daemon-json') return [];
    const { maxItemsComputed } = await settings.get(doc.uri);
    const last = lastAnswer.get(doc);
    return runSafe<DocumentSymbol[]>(connection, token, [], 'documentSymbol', () => {
      if (last && last.version === doc.version && last.limit === maxItemsComputed) return last.symbols;
      const { symbols, limited } = doc.kind === 'transcript' ? limitedDocumentSymbols(doc.model, maxItemsComputed) : capTree(logAnalysis(doc).analysis.symbols, maxItemsComputed);
      if (limited) resultLimitReached(connection, doc.uri, 'outline', maxItemsComputed);
      const answer = symbols.map(convert);
      lastAnswer.set(doc, { version: doc.version, limit: maxItemsComputed, symbols: answer });
      return answer;
    });
  });
}
