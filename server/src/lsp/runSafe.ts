import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';

/**
 * Runs a request handler so that a bug in one feature never takes the server
 * down (the pattern of VS Code's own JSON server): a request already cancelled
 * is answered with RequestCancelled (-32800), as the LSP asks, so the client
 * never mistakes it for an empty result; an exception is logged and answered
 * with the neutral value.
 */
export function runSafe<T>(connection: Connection, token: CancellationToken | undefined, neutral: T, name: string, fn: () => T): T {
  if (token?.isCancellationRequested) throw cancelled();
  try {
    return fn();
  } catch (e) {
    connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return neutral;
  }
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}
