/**
 * One inspection = one ssh process: the fixed collector on stdin, its marked
 * sections back, the pure core turns them into a host report. Fleets run
 * several of these with a bound on concurrency. Shared by the CLI and the
 * VS Code client.
 */
import { randomBytes } from 'node:crypto';
import {
  COLLECTOR_SCRIPT,
  collectedTranscript,
  hostReportFromOutput,
  nonceFromBytes,
  unreachableReport,
  type CollectedOutput,
  type HostReport,
  type Thresholds,
} from '../core/index.js';
import { runRemoteScript, SshError, printable, type SshSettings } from './ssh.js';

export interface InspectOptions {
  ssh: SshSettings;
  thresholds?: Partial<Thresholds>;
  signal?: AbortSignal;
}

export interface Inspection {
  report: HostReport;
  /** The collected output as a dm-thin transcript (absent when the host was not reached). */
  transcript?: string;
  collected?: CollectedOutput;
  durationMs: number;
  /** When the run started (ISO 8601). */
  startedAt: string;
}

export async function inspectHost(host: string, options: InspectOptions): Promise<Inspection> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const privilege = options.ssh.useSudo ? 'sudo' : 'direct';
  const nonce = nonceFromBytes(randomBytes(8));
  try {
    const r = await runRemoteScript(host, COLLECTOR_SCRIPT, [nonce, privilege], options.ssh, options.signal);
    const { report, collected } = hostReportFromOutput(host, r.stdout, nonce, { privilege, ...(options.thresholds ? { thresholds: options.thresholds } : {}) });
    if (!collected.sections.collector) {
      // The script never started: no sh, a forced command, a restricted shell.
      const why = printable(r.stderr.trim().split('\n').slice(-2).join(' ')).slice(0, 300);
      return { report: unreachableReport(host, 'remote-failed', `${printable(host)}: the inspection script did not run (exit ${r.exitCode})${why ? `: ${why}` : ''}`, privilege), durationMs: Date.now() - started, startedAt };
    }
    const transcript = collectedTranscript(collected, { host, ...(report.user ? { user: report.user } : {}), privilege, collectedAt: startedAt });
    return { report, transcript, collected, durationMs: Date.now() - started, startedAt };
  } catch (e) {
    if (e instanceof SshError) {
      if (e.kind === 'cancelled') throw e;
      return { report: unreachableReport(host, e.kind, e.message, privilege), durationMs: Date.now() - started, startedAt };
    }
    throw e;
  }
}

export interface FleetOptions extends InspectOptions {
  /** Hosts inspected at once (default 4, at most 32). */
  concurrency?: number;
  /** Called as each host finishes, in completion order. */
  onHost?: (inspection: Inspection, done: number, total: number) => void;
}

/** Inspects every host with bounded concurrency; results in the order of `hosts`. One host's failure never hides another's result. */
export async function inspectFleet(hosts: readonly string[], options: FleetOptions): Promise<Inspection[]> {
  const limit = Math.max(1, Math.min(32, Math.floor(options.concurrency ?? 4)));
  const results: Inspection[] = new Array<Inspection>(hosts.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < hosts.length) {
      const i = next++;
      if (options.signal?.aborted) throw new SshError('cancelled', 'cancelled');
      results[i] = await inspectHost(hosts[i]!, options);
      done++;
      options.onHost?.(results[i], done, hosts.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, hosts.length) }, worker));
  return results;
}
