import type { Connection, FoldingRange } from 'vscode-languageserver/node';
import { foldingRanges } from '../../core/index.js';
import type { DocumentStore } from '../documents.js';
import type { SettingsStore } from '../settings.js';
import { runSafe } from '../runSafe.js';
import { resultLimitReached } from './resultLimit.js';

/** Folding per command block, at most the client's rangeLimit (VS Code: editor.foldingMaximumRegions) and dmLens.maxItemsComputed. */
export function registerFoldingRanges(connection: Connection, docs: DocumentStore, settings: SettingsStore, clientRangeLimit: () => number | undefined): void {
  connection.onFoldingRanges(async (params, token) => {
    const doc = docs.transcript(params?.textDocument?.uri);
    if (!doc) return [];
    const { maxItemsComputed } = await settings.get(doc.uri);
    const limit = Math.min(maxItemsComputed, clientRangeLimit() ?? Infinity);
    return runSafe<FoldingRange[]>(connection, token, [], 'foldingRange', () => {
      // One more than the limit tells whether some were left out.
      const ranges = foldingRanges(doc.model, limit + 1);
      if (ranges.length <= limit) return ranges;
      resultLimitReached(connection, doc.uri, 'folding', limit);
      return ranges.slice(0, limit);
    });
  });
}
