import type { CancellationToken, Connection } from 'vscode-languageserver/node';

/**
 * Runs a request handler so that a bug in one feature never takes the server
 * down: cancellation returns the neutral value, exceptions are logged and
 * answered with it (the pattern of VS Code's own JSON server).
 */
export function runSafe<T>(connection: Connection, token: CancellationToken | undefined, neutral: T, name: string, fn: () => T): T {
  if (token?.isCancellationRequested) return neutral;
  try {
    return fn();
  } catch (e) {
    connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return neutral;
  }
}
