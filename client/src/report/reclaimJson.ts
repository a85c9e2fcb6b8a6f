/**
 * The reclaim workflow's texts and saved report, pure (no vscode, no I/O), so
 * they are unit-tested in plain Node (test/unit/renderReclaim.test.ts):
 *
 * * `reclaimReportJson` — the JSON saved under globalStorage/reclaim: the
 *   shape of `dmlens reclaim --json` (server/src/cli/reclaim.ts `planJson`,
 *   copied, not imported: the client never imports the CLI) plus the full
 *   measurements, each step's exit code and timing, and the pools' block size.
 * * `confirmationText` — the modal's message and detail: every step with its
 *   kind and exact command, the refused pools, the guidance.
 * * `emptyPlanReasons`, `pruneOffered`, `resultSummary`.
 *
 * Host strings go through `visible()` wherever they end up in plain text, so
 * an ANSI escape in a pool name shows as `\x1b`, never as a live escape.
 */
import type { HostReport, PlanStep, PoolAudit, PoolMeasurement, ReclaimPlan, ReclaimVerdict, StepKind } from '../../../server/src/core/index.js';
import { formatBinary } from '../../../server/src/core/index.js';
import { visible } from './html.js';

/** StepResult['status'] of server/src/remote/reclaim.ts (re-declared: this file stays free of the remote layer). */
export type StepStatus = 'ok' | 'failed' | 'skipped' | 'cancelled';

/** The part of server/src/remote/reclaim.ts's ReclaimRun this file reads. */
export interface RunLike {
  executed: boolean;
  stopped?: string;
  steps: readonly { status: StepStatus; exitCode?: number; output: string; startedAt: string; durationMs: number }[];
  before?: HostReport;
  measurements: readonly PoolMeasurement[];
}

export interface SnapshotJson {
  dataUsed: number | null;
  allocatedBytes: number | null;
  hostFreeBytes: number | null;
}

export interface ReclaimStepJson {
  command: string;
  kind: StepKind;
  pool: string | null;
  why: string;
  /** Present once the plan ran (as in the CLI's JSON). */
  status?: StepStatus;
  output?: string;
  /** Added by the client: the exit code of a remote command, when and how long. */
  exitCode?: number | null;
  startedAt?: string;
  durationMs?: number;
}

export interface ReclaimPoolJson {
  name: string;
  verdict: ReclaimVerdict;
  why: string;
  eligible: boolean;
  refusal: string | null;
  mounts: string[];
  before: SnapshotJson | null;
  after: SnapshotJson | null;
  reclaimedPoolBytes: number | null;
  reclaimedHostBytes: number | null;
  explanation: string | null;
  /** Added by the client: the pool's data block size, to show used blocks as bytes. */
  blockSizeBytes: number | null;
}

export interface ReclaimReportJson {
  host: string;
  executed: boolean;
  stopped?: string;
  plan: ReclaimStepJson[];
  pools: ReclaimPoolJson[];
  guidance: string[];
  /** Added by the client: measureReclaim's result as is. */
  measurements: PoolMeasurement[];
  /** Added by the client: when the run started, how long it took, how the commands ran. */
  startedAt?: string;
  durationMs?: number;
  privilege?: 'direct' | 'sudo';
}

/** An argv as a shell would need it typed: the core's `quoteCommand`, as the CLI shows it. */
import { quoteCommand as shownCommand } from '../../../server/src/core/index.js';
export { shownCommand };

function snapshotJson(s: PoolMeasurement['before']): SnapshotJson {
  return { dataUsed: s.dataUsed, allocatedBytes: s.allocatedBytes, hostFreeBytes: s.hostFreeBytes };
}

export interface ReclaimReportMeta {
  /** The audit the plan was built from (block sizes when the run has no "before"). */
  audit?: HostReport;
  startedAt?: string;
  durationMs?: number;
  privilege?: 'direct' | 'sudo';
}

/** The saved report: the CLI's `planJson(plan, run)` shape, plus measurements and timings. */
export function reclaimReportJson(plan: ReclaimPlan, run: RunLike | undefined, meta: ReclaimReportMeta = {}): ReclaimReportJson {
  const measurements = new Map((run?.measurements ?? []).map((m) => [m.name, m]));
  const blockSize = (pool: string): number | null => (run?.before ?? meta.audit)?.pools.find((p) => p.name === pool)?.blockSizeBytes ?? null;
  return {
    host: plan.host,
    executed: run?.executed ?? false,
    ...(run?.stopped ? { stopped: run.stopped } : {}),
    plan: plan.steps.map((s, i) => {
      const r = run?.steps[i];
      return {
        command: shownCommand(s.argv),
        kind: s.kind,
        pool: s.pool ?? null,
        why: s.why,
        ...(run ? { status: r?.status ?? 'skipped', output: r?.output ?? '', exitCode: r?.exitCode ?? null, ...(r ? { startedAt: r.startedAt, durationMs: r.durationMs } : {}) } : {}),
      };
    }),
    pools: plan.audits.map((a) => {
      const m = measurements.get(a.pool);
      return {
        name: a.pool,
        verdict: a.verdict,
        why: a.why,
        eligible: a.eligible,
        refusal: a.refusal ?? null,
        mounts: a.mounts.map((x) => x.mountPoint),
        before: m ? snapshotJson(m.before) : null,
        after: m ? snapshotJson(m.after) : null,
        reclaimedPoolBytes: m?.reclaimedPoolBytes ?? null,
        reclaimedHostBytes: m?.reclaimedHostBytes ?? null,
        explanation: m?.explanation ?? null,
        blockSizeBytes: blockSize(a.pool),
      };
    }),
    guidance: [...plan.guidance],
    measurements: [...(run?.measurements ?? [])],
    ...(meta.startedAt ? { startedAt: meta.startedAt } : {}),
    ...(meta.durationMs !== undefined ? { durationMs: meta.durationMs } : {}),
    ...(meta.privilege ? { privilege: meta.privilege } : {}),
  };
}

/** True when Docker runs devicemapper on the host and one of the chosen pools is its eligible pool: the prune tick boxes apply (as buildReclaimPlan decides). */
export function pruneOffered(report: HostReport, plan: ReclaimPlan): boolean {
  const dockerRuns = !!report.engine.version && report.engine.driver === 'devicemapper';
  return dockerRuns && plan.audits.some((a) => a.docker && a.eligible);
}

export const VERDICT_TEXT: Record<ReclaimVerdict, string> = {
  host: 'freed space returns to the host',
  'pool-only': 'freed space returns to the pool only',
  none: 'freed space is not reclaimed',
  unknown: 'where freed space goes is unknown',
};

/** Why a plan has nothing to run, one reason per pool (or for the host). */
export function emptyPlanReasons(plan: ReclaimPlan): string[] {
  if (plan.audits.length === 0) return ['the host has no thin pools'];
  const out: string[] = [];
  for (const a of plan.audits) {
    if (!a.eligible) out.push(`${visible(a.pool)} is refused: ${visible(a.refusal ?? 'not eligible')}`);
    else if (a.mounts.length === 0) out.push(`${visible(a.pool)} has no mounted thin filesystem, so there is nothing for fstrim`);
    for (const m of a.refusedMounts) out.push(`${visible(m.mountPoint)} (pool ${visible(a.pool)}) is not trimmed: its path ${visible(m.why)}`);
  }
  return out;
}

/** "Devicemapper: nothing to reclaim on h: …. Nothing was changed." */
export function emptyPlanMessage(plan: ReclaimPlan): string {
  return `Devicemapper: nothing to reclaim on ${visible(plan.host)}: ${emptyPlanReasons(plan).join('; ')}. Nothing was changed.`;
}

function stepLine(s: PlanStep, i: number, measureIndex: number): string {
  const label = `${i + 1}. [${s.kind}] ${visible(shownCommand(s.argv))}`;
  if (s.op === 'measure') return `${label}   (${measureIndex === 0 ? 'measure before' : 'measure after'}: the read-only inspection script on stdin)`;
  return s.pool ? `${label}   (pool ${visible(s.pool)})` : label;
}

function auditLine(a: PoolAudit): string {
  if (!a.eligible) return `• ${visible(a.pool)}: refused — ${visible(a.refusal ?? 'not eligible')}`;
  const where = a.mounts.length > 0 ? a.mounts.map((m) => visible(m.mountPoint)).join(', ') : 'nothing mounted';
  return `• ${visible(a.pool)}: ${VERDICT_TEXT[a.verdict] ?? a.verdict} (${where})`;
}

export interface Confirmation {
  message: string;
  detail: string;
  /** The confirming button: "Run N steps". */
  button: string;
}

/** The modal warning: nothing runs without it. */
export function confirmationText(plan: ReclaimPlan, options: { useSudo: boolean }): Confirmation {
  const destructive = plan.steps.filter((s) => s.kind === 'destructive').length;
  const mutating = plan.steps.filter((s) => s.kind === 'mutating').length;
  const n = plan.steps.length;
  let measures = 0;
  const lines: string[] = [];
  lines.push(`These commands run on ${visible(plan.host)} over ssh${options.useSudo ? ', through sudo -n' : ''}, in this order; the first failure stops the rest:`);
  plan.steps.forEach((s, i) => lines.push(stepLine(s, i, s.op === 'measure' ? measures++ : 0)));
  lines.push('');
  lines.push('Pools:');
  for (const a of plan.audits) lines.push(auditLine(a));
  const refusedMounts = plan.audits.flatMap((a) => a.refusedMounts.map((m) => `• ${visible(m.mountPoint)} (pool ${visible(a.pool)}): ${visible(m.why)}`));
  if (refusedMounts.length > 0) lines.push('', 'Not trimmed:', ...refusedMounts);
  if (plan.guidance.length > 0) lines.push('', 'Notes (never run by this workflow):', ...plan.guidance.map((g) => `• ${visible(g)}`));
  const kinds = [`${mutating} mutating`, ...(destructive > 0 ? [`${destructive} DESTRUCTIVE`] : [])].join(', ');
  return {
    message: `Reclaim thin-pool space on ${visible(plan.host)}? ${n} step${n === 1 ? '' : 's'} (${kinds}).`,
    detail: lines.join('\n'),
    button: `Run ${n} step${n === 1 ? '' : 's'}`,
  };
}

function signedBytes(n: number | null): string {
  if (n === null) return '?';
  return n >= 0 ? formatBinary(n) : `none (grew by ${formatBinary(-n)})`;
}

/** One line for the notification after a run. */
export function resultSummary(json: ReclaimReportJson): string {
  const measured = json.pools.filter((p) => p.before && p.after);
  const parts = measured.map((p) => `${visible(p.name)}: ${signedBytes(p.reclaimedPoolBytes)} to the pool, ${p.reclaimedHostBytes === null ? 'n/a' : signedBytes(p.reclaimedHostBytes)} to the host`);
  const head = json.stopped ? `Devicemapper: reclaim on ${visible(json.host)} stopped (${visible(json.stopped)})` : `Devicemapper: reclaim on ${visible(json.host)} done`;
  return parts.length > 0 ? `${head}: ${parts.join('; ')}.` : `${head}.`;
}

/** `<host>-<ISO time>.json` with only portable characters (no ':' on Windows, no '/'). */
export function reportFileName(host: string, isoTime: string): string {
  const safeHost = host.replace(/[^A-Za-z0-9._@-]/g, '_').slice(0, 100) || 'host';
  return `${safeHost}-${isoTime.replace(/:/g, '-')}.json`;
}
