/**
 * Optional background refresh (`dmLens.inspect.refreshInterval`, seconds;
 * 0 = off, anything below 60 is taken as 60) of the pinned and configured
 * hosts. A tick is skipped while any inspection is in flight, in an untrusted
 * workspace, and when there is nothing to inspect.
 */
import * as vscode from 'vscode';
import { checkHost } from '../../../server/src/remote/ssh.js';
import { configuredHosts, pinnedHosts, remoteConfig } from './config.js';
import type { InspectionStore } from './inspections.js';

export class Poller implements vscode.Disposable {
  private timer: ReturnType<typeof setInterval> | undefined;
  private seconds = 0;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: InspectionStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('dmLens.inspect.refreshInterval')) this.configure();
    });
    this.configure();
  }

  dispose(): void {
    this.subscription.dispose();
    if (this.timer) clearInterval(this.timer);
  }

  private configure(): void {
    const seconds = remoteConfig().refreshIntervalSeconds;
    if (seconds === this.seconds) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.seconds = seconds;
    if (seconds > 0) {
      this.timer = setInterval(() => void this.tick(), seconds * 1000);
      this.log.info(`background refresh every ${seconds} s`);
    }
  }

  private async tick(): Promise<void> {
    if (!vscode.workspace.isTrusted || this.store.busy) return;
    const config = remoteConfig();
    if (config.problems.length > 0) return;
    const hosts = [...new Set([...pinnedHosts(), ...configuredHosts()])].filter((h) => checkHost(h) === undefined);
    if (hosts.length === 0) return;
    try {
      await this.store.fleet(hosts, undefined);
    } catch {
      // Logged by the store; the next tick tries again.
    }
  }
}
