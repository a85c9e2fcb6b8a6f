import type { Connection } from 'vscode-languageserver/node';
import { RESULT_LIMIT_REACHED, type ResultLimitReached } from '../../core/index.js';

const told = new Set<string>();

/**
 * Tells the client (dmLens/resultLimitReached) that an outline or folding result was cut at its
 * limit; at most once per document, feature and limit in this server's life.
 */
export function resultLimitReached(connection: Connection, uri: string, feature: ResultLimitReached['feature'], limit: number): void {
  const key = `${feature}\u0000${limit}\u0000${uri}`;
  if (told.has(key)) return;
  told.add(key);
  void connection.sendNotification(RESULT_LIMIT_REACHED, { uri, feature, limit } satisfies ResultLimitReached);
}
