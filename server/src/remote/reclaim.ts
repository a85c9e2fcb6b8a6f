/**
 * Executes a reclaim plan (core/reclaim) on one host, step by step: the
 * measure steps are full read-only inspections; every other step is one ssh
 * run of the fixed RECLAIM_SCRIPT with an operation name and, for fstrim, a
 * mount point checked against the plan and the fresh "before" measurement.
 * Stops at the first failure; cancellation stops before the next step and
 * kills the running one's ssh. Returns the whole audit trail.
 */
import {
  RECLAIM_SCRIPT,
  auditPool,
  checkMountPoint,
  measureReclaim,
  type HostReport,
  type PlanStep,
  type PoolMeasurement,
  type ReclaimPlan,
} from '../core/index.js';
import { inspectHost, type Inspection, type InspectOptions } from './inspect.js';
import { runRemoteScript, SshError, printable } from './ssh.js';

export type StepStatus = 'ok' | 'failed' | 'skipped' | 'cancelled';

export interface StepResult {
  step: PlanStep;
  status: StepStatus;
  exitCode?: number;
  /** What the command printed (capped), or why it failed. */
  output: string;
  startedAt: string;
  durationMs: number;
}

export interface ReclaimRun {
  host: string;
  executed: boolean;
  steps: StepResult[];
  before?: HostReport;
  after?: HostReport;
  /** The whole "after" inspection (report and raw transcript), for views that keep the latest one. */
  afterInspection?: Inspection;
  measurements: PoolMeasurement[];
  /** Why the run stopped early, if it did. */
  stopped?: string;
}

export interface ReclaimRunOptions extends InspectOptions {
  /** Called before and after each step (for progress and the audit trail). */
  onStep?: (result: StepResult, index: number, total: number, phase: 'start' | 'end') => void;
}

const OUTPUT_CAP = 64 * 1024;

export async function runReclaim(host: string, plan: ReclaimPlan, options: ReclaimRunOptions): Promise<ReclaimRun> {
  const run: ReclaimRun = { host, executed: false, steps: [], measurements: [] };
  const privilege = options.ssh.useSudo ? 'sudo' : 'direct';
  const trimmedPools = [...new Set(plan.steps.filter((s) => s.op === 'fstrim' && s.pool).map((s) => s.pool!))];
  const measuredPools = plan.audits.map((a) => a.pool);
  for (let i = 0; i < plan.steps.length; i++) {
    const step = plan.steps[i]!;
    const result: StepResult = { step, status: 'skipped', output: '', startedAt: new Date().toISOString(), durationMs: 0 };
    if (run.stopped) {
      run.steps.push(result);
      continue;
    }
    if (options.signal?.aborted) {
      result.status = 'cancelled';
      run.stopped = 'cancelled before this step';
      run.steps.push(result);
      continue;
    }
    options.onStep?.(result, i, plan.steps.length, 'start');
    const t0 = Date.now();
    try {
      if (step.op === 'measure') {
        const m = await inspectHost(host, options);
        if (!m.report.reachable) throw new StepFailure(m.report.error ?? 'host not reachable');
        if (!run.before) {
          run.before = m.report;
          // The host may have changed since the plan was shown: re-check what the plan relies on.
          const problem = recheck(plan, m.report);
          if (problem) throw new StepFailure(`the host changed since the plan was made: ${problem}; nothing was changed`);
        } else {
          run.after = m.report;
          run.afterInspection = m;
        }
        result.output = `${m.report.pools.length} pools read in ${m.durationMs} ms`;
      } else {
        run.executed = true;
        const args = [step.op, privilege];
        if (step.op === 'fstrim') {
          const mp = step.argv[2]!;
          const problem = checkMountPoint(mp);
          if (problem) throw new StepFailure(`refusing mount point ${printable(mp)}: ${problem}`);
          args.push(mp);
        }
        const r = await runRemoteScript(host, RECLAIM_SCRIPT, args, options.ssh, options.signal);
        result.exitCode = r.exitCode;
        result.output = printable((r.stdout + (r.stderr ? `\n${r.stderr}` : '')).trim()).slice(0, OUTPUT_CAP);
        if (r.exitCode !== 0) throw new StepFailure(`${step.argv.join(' ')} exited with ${r.exitCode}${r.stderr ? `: ${printable(r.stderr.trim().split('\n').pop() ?? '')}` : ''}`);
      }
      result.status = 'ok';
    } catch (e) {
      if (e instanceof SshError && e.kind === 'cancelled') {
        result.status = 'cancelled';
        result.output = 'cancelled: ssh was stopped';
        run.stopped = `cancelled during: ${step.argv.join(' ')}`;
      } else {
        result.status = 'failed';
        result.output = (result.output ? `${result.output}\n` : '') + (e instanceof Error ? e.message : String(e));
        run.stopped = `failed at: ${step.argv.join(' ')}`;
      }
    }
    result.durationMs = Date.now() - t0;
    run.steps.push(result);
    options.onStep?.(result, i, plan.steps.length, 'end');
  }
  // After a stop past the first measurement, measure anyway: the user must see what did happen.
  if (run.before && !run.after && run.executed && !options.signal?.aborted) {
    const m = await inspectHost(host, options).catch(() => undefined);
    if (m?.report.reachable) {
      run.after = m.report;
      run.afterInspection = m;
    }
  }
  if (run.before && run.after) run.measurements = measureReclaim(run.before, run.after, measuredPools.length ? measuredPools : trimmedPools);
  return run;
}

class StepFailure extends Error {}

/** Each fstrim target must still be a mounted thin filesystem of an eligible pool. */
function recheck(plan: ReclaimPlan, now: HostReport): string | undefined {
  for (const step of plan.steps.filter((s) => s.op === 'fstrim')) {
    const pool = now.pools.find((p) => p.name === step.pool);
    if (!pool) return `pool ${step.pool} is gone`;
    const audit = auditPool(pool);
    if (!audit.eligible) return `pool ${pool.name}: ${audit.refusal}`;
    if (!audit.mounts.some((m) => m.mountPoint === step.argv[2])) return `${step.argv[2]} is no longer a mounted thin filesystem of ${pool.name}`;
  }
  return undefined;
}
