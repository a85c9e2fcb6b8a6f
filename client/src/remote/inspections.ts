/**
 * The client's record of remote inspections: the last result per host, the
 * runs in flight (each with its AbortController, so Cancel kills ssh), the
 * recently inspected hosts (globalState, last 10) and one log line per start
 * and end. The tree, the status bar and the report panels listen to
 * `onDidChange`. The work itself is server/src/remote's.
 */
import * as vscode from 'vscode';
import { inspectFleet, inspectHost, type Inspection } from '../../../server/src/remote/inspect.js';
import { printable, SshError } from '../../../server/src/remote/ssh.js';
import type { HostReport } from '../../../server/src/core/index.js';
import { remoteConfig, usageThresholds } from './config.js';

const RECENT_KEY = 'dmLens.recentHosts';
const MAX_RECENT = 10;

export class InspectionStore implements vscode.Disposable {
  private readonly last = new Map<string, Inspection>();
  private readonly running = new Map<AbortController, readonly string[]>();
  private readonly changed = new vscode.EventEmitter<readonly string[]>();
  /** Fires with the hosts whose result or busy state changed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  dispose(): void {
    this.cancelAll();
    this.changed.dispose();
  }

  get(host: string): Inspection | undefined {
    return this.last.get(host);
  }

  all(): Inspection[] {
    return [...this.last.values()];
  }

  /** Hosts being inspected right now. */
  busyHosts(): Set<string> {
    return new Set([...this.running.values()].flat());
  }

  get busy(): boolean {
    return this.running.size > 0;
  }

  recent(): string[] {
    const v = this.state.get<unknown>(RECENT_KEY, []);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, MAX_RECENT) : [];
  }

  private async remember(hosts: readonly string[]): Promise<void> {
    const recent = [...hosts, ...this.recent().filter((h) => !hosts.includes(h))].slice(0, MAX_RECENT);
    await this.state.update(RECENT_KEY, recent);
  }

  /** Aborts every run in flight (their ssh processes are killed). */
  cancelAll(): void {
    for (const c of this.running.keys()) c.abort();
  }

  private record(i: Inspection): void {
    this.last.set(i.report.host, i);
    const r = i.report;
    const took = `${(i.durationMs / 1000).toFixed(1)} s`;
    if (r.reachable) {
      const errors = r.findings.filter((f) => f.severity === 'error').length;
      const warnings = r.findings.filter((f) => f.severity === 'warning').length;
      this.log.info(`inspect ${printable(r.host)}: done in ${took}: ${r.pools.length} pool(s), ${errors} error(s), ${warnings} warning(s)${r.truncated ? ', output truncated' : ''}`);
    } else {
      this.log.warn(`inspect ${printable(r.host)}: not inspected after ${took} (${r.errorKind ?? 'error'}): ${printable(r.error ?? '')}`);
    }
  }

  private async run<T>(hosts: readonly string[], signal: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const abort = () => controller.abort();
    if (signal?.aborted) controller.abort();
    signal?.addEventListener('abort', abort, { once: true });
    this.running.set(controller, hosts);
    this.changed.fire(hosts);
    void this.remember(hosts);
    const started = Date.now();
    try {
      return await work(controller.signal);
    } catch (e) {
      if (e instanceof SshError && e.kind === 'cancelled') this.log.info(`inspect ${hosts.map(printable).join(', ')}: cancelled after ${((Date.now() - started) / 1000).toFixed(1)} s; ssh was stopped`);
      else this.log.error(`inspect ${hosts.map(printable).join(', ')}: failed: ${e instanceof Error ? printable(e.message) : String(e)}`);
      throw e;
    } finally {
      signal?.removeEventListener('abort', abort);
      this.running.delete(controller);
      this.changed.fire(hosts);
    }
  }

  /** Keeps an inspection made elsewhere (the measurement after a reclaim run) as the host's latest. */
  adopt(i: Inspection): void {
    this.record(i);
    this.changed.fire([i.report.host]);
  }

  /** One host. Throws SshError('cancelled') when cancelled; an unreachable host gives a report with reachable=false. */
  inspect(host: string, signal?: AbortSignal): Promise<Inspection> {
    const config = remoteConfig();
    this.log.info(`inspect ${printable(host)}: start (${config.ssh.useSudo ? 'sudo -n' : 'direct'}${config.ssh.configFile ? ', own ssh config file' : ''})`);
    return this.run([host], signal, async (s) => {
      const i = await inspectHost(host, { ssh: config.ssh, thresholds: usageThresholds(), signal: s });
      this.record(i);
      return i;
    });
  }

  /** Several hosts with `dmLens.inspect.concurrency`; `onHost` reports progress as each finishes. */
  fleet(hosts: readonly string[], signal: AbortSignal | undefined, onHost?: (i: Inspection, done: number, total: number) => void): Promise<Inspection[]> {
    const config = remoteConfig();
    this.log.info(`inspect fleet: start, ${hosts.length} host(s), concurrency ${config.concurrency}`);
    return this.run(hosts, signal, async (s) => {
      const started = Date.now();
      const all = await inspectFleet(hosts, {
        ssh: config.ssh,
        thresholds: usageThresholds(),
        concurrency: config.concurrency,
        signal: s,
        onHost: (i, done, total) => {
          this.record(i);
          this.changed.fire([i.report.host]);
          onHost?.(i, done, total);
        },
      });
      const reached = all.filter((i) => i.report.reachable).length;
      this.log.info(`inspect fleet: done in ${((Date.now() - started) / 1000).toFixed(1)} s, ${reached}/${all.length} reached`);
      return all;
    });
  }

  /** The last reports of these hosts (those inspected at least once). */
  reports(hosts: readonly string[]): HostReport[] {
    return hosts.map((h) => this.last.get(h)?.report).filter((r): r is HostReport => r !== undefined);
  }
}
