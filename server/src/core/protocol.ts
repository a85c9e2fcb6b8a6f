/**
 * Custom LSP notifications between our server and client: plain constants and types, shared by
 * both. The client imports this file directly (not through index.ts), so its language-client
 * bundle does not carry the core's tables.
 */

/**
 * Server → client: an outline or folding result was cut at `dmLens.maxItemsComputed` (or the
 * client's rangeLimit), as VS Code's JSON server says with `json/resultLimitReached`.
 */
export const RESULT_LIMIT_REACHED = 'dmLens/resultLimitReached';

export interface ResultLimitReached {
  uri: string;
  feature: 'outline' | 'folding';
  limit: number;
}
