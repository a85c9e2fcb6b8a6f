import * as vscode from 'vscode';

/** The scheme of read-only copies of what an inspection fetched (a host's daemon.json, its transcript). */
export const REMOTE_SCHEME = 'dmlens-remote';

/**
 * The documents the language server serves. Transcripts by language; daemon.json by the globs of
 * `dmLens.daemonJson.files` (JSON and JSONC); logs: every file in VS Code's `log` language, and
 * plain text matching `dmLens.logs.files`. Only files and untitled documents: VS Code's own Output
 * channels are `log` documents too. Plus the read-only remote copies.
 * Used by the client's selector and by the entry to decide when to start the client at all.
 */
export function documentSelector(): vscode.DocumentFilter[] {
  const config = vscode.workspace.getConfiguration('dmLens');
  const daemonGlobs = config.get<string[]>('daemonJson.files', ['**/daemon.json']);
  const logGlobs = config.get<string[]>('logs.files', []);
  return [
    { scheme: 'file', language: 'dmsetup' },
    { scheme: 'untitled', language: 'dmsetup' },
    ...daemonGlobs.flatMap((pattern) => [
      { scheme: 'file', language: 'json', pattern },
      { scheme: 'file', language: 'jsonc', pattern },
    ]),
    { scheme: 'file', language: 'log' },
    { scheme: 'untitled', language: 'log' },
    ...logGlobs.map((pattern) => ({ scheme: 'file', language: 'plaintext', pattern })),
    { scheme: REMOTE_SCHEME, language: 'json' },
    { scheme: REMOTE_SCHEME, language: 'jsonc' },
    { scheme: REMOTE_SCHEME, language: 'dmsetup' },
  ];
}
