/**
 * What the remote commands share: the trust gate, argument checks (commands
 * can be called by anyone with anything), and a cancellable progress
 * notification whose Cancel aborts the ssh processes.
 */
import * as vscode from 'vscode';
import { SshError } from '../../../server/src/remote/ssh.js';

/** True (and a message) when the workspace is not trusted: remote commands then run nothing. */
export function refuseUntrusted(log: vscode.LogOutputChannel, what: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  log.warn(`${what}: refused: the workspace is not trusted, so no ssh command runs`);
  void vscode.window
    .showWarningMessage(`Devicemapper: ${what} runs ssh, which is off in an untrusted workspace. Trust the workspace to inspect hosts.`, 'Manage Workspace Trust')
    .then((choice) => (choice ? vscode.commands.executeCommand('workbench.trust.manage') : undefined));
  return true;
}

/** The host a command was given: a string, or a tree node / object with a `host` string. */
export function hostOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && typeof (arg as { host?: unknown }).host === 'string') return (arg as { host: string }).host;
  return undefined;
}

export interface CommandOptions {
  /** Cancels the run like the notification's Cancel button. */
  token?: vscode.CancellationToken;
  /** Open (or reveal) the report panel; default true. */
  reveal?: boolean;
}

/** The options argument, kept only when it has the right shape. */
export function optionsOf(arg: unknown): CommandOptions {
  if (!arg || typeof arg !== 'object') return {};
  const o = arg as { token?: unknown; reveal?: unknown };
  const out: CommandOptions = {};
  const t = o.token as vscode.CancellationToken | undefined;
  if (t && typeof t.isCancellationRequested === 'boolean' && typeof t.onCancellationRequested === 'function') out.token = t;
  if (typeof o.reveal === 'boolean') out.reveal = o.reveal;
  return out;
}

/**
 * Runs `work` under a cancellable notification. Cancel (or `external`) aborts
 * the signal, which kills ssh; a cancelled run resolves to undefined.
 */
export function withCancellableProgress<T>(
  title: string,
  external: vscode.CancellationToken | undefined,
  work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string; increment?: number }>) => Promise<T>,
): Thenable<T | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const abort = () => controller.abort();
    const subscriptions = [token.onCancellationRequested(abort), ...(external ? [external.onCancellationRequested(abort)] : [])];
    if (token.isCancellationRequested || external?.isCancellationRequested) abort();
    try {
      return await work(controller.signal, progress);
    } catch (e) {
      if (e instanceof SshError && e.kind === 'cancelled') return undefined;
      throw e;
    } finally {
      for (const s of subscriptions) s.dispose();
    }
  });
}
