/**
 * `dmlens reclaim <host>`: audit (a read-only inspection), plan, and — only
 * with --yes — execute and measure. Without --yes nothing on the host
 * changes: the plan is printed with every exact command.
 * Exit codes: 0 done (or plan shown), 1 a step failed, 3 host not inspected,
 * 2 usage error, 130 cancelled.
 */
import { writeFileSync } from 'node:fs';
import { buildReclaimPlan, formatBinary, quoteCommand, type PoolMeasurement, type ReclaimPlan } from '../core/index.js';
import { inspectHost } from '../remote/inspect.js';
import { runReclaim, type ReclaimRun } from '../remote/reclaim.js';
import { checkHost, printable, SshError, type SshSettings } from '../remote/ssh.js';
import { shownName, shownText } from './shown.js';
import { sshFlag } from './sshFlags.js';
import { UsageError } from './usageError.js';

interface ReclaimArgs {
  host: string;
  yes: boolean;
  json: boolean;
  save?: string;
  pools: string[];
  pruneImages: boolean;
  pruneContainers: boolean;
  ssh: SshSettings & { options: string[] };
}

function parse(args: string[]): ReclaimArgs {
  const ssh: SshSettings & { options: string[] } = { options: [] };
  const out: Omit<ReclaimArgs, 'host'> & { host?: string } = { yes: false, json: false, pools: [], pruneImages: false, pruneContainers: false, ssh };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--yes' || flag === '-y') out.yes = true;
    else if (flag === '--json') out.json = true;
    else if (flag === '--save') out.save = value();
    else if (flag === '--pool') out.pools.push(value());
    else if (flag === '--prune-images') out.pruneImages = true;
    else if (flag === '--prune-containers') out.pruneContainers = true;
    else if (sshFlag(flag, value, ssh)) continue;
    else if (a.startsWith('-') && a !== '--') throw new UsageError(`unknown option ${printable(a)}`);
    else {
      const host = a === '--' ? args[++i] : a;
      if (host === undefined) throw new UsageError('reclaim needs a host');
      if (out.host !== undefined) throw new UsageError('reclaim works on one host at a time');
      const problem = checkHost(host);
      if (problem) throw new UsageError(`refusing host: ${problem}`);
      out.host = host;
    }
  }
  if (out.host === undefined) throw new UsageError('reclaim needs a host');
  return out as ReclaimArgs;
}

export async function reclaimCommand(args: string[]): Promise<number> {
  const opts = parse(args);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const audit = await inspectHost(opts.host, { ssh: opts.ssh, signal: controller.signal });
    if (!audit.report.reachable) {
      process.stderr.write(`dmlens: ${shownText(audit.report.error ?? 'host not reachable')}\n`);
      if (opts.json) process.stdout.write(JSON.stringify({ host: opts.host, executed: false, error: audit.report.error ?? null, plan: [], pools: [] }, null, 2) + '\n');
      return 3;
    }
    const unknown = opts.pools.filter((p) => !audit.report.pools.some((q) => q.name === p));
    if (unknown.length > 0) throw new UsageError(`no such pool on ${printable(opts.host)}: ${unknown.map((p) => shownName(p)).join(', ')}`);
    const plan = buildReclaimPlan(audit.report, { pools: opts.pools, pruneImages: opts.pruneImages, pruneContainers: opts.pruneContainers });
    if (!opts.yes || plan.empty) {
      if (opts.json) process.stdout.write(JSON.stringify(planJson(plan, undefined), null, 2) + '\n');
      else printPlan(plan, opts.yes);
      return 0;
    }
    if (!opts.json) printPlan(plan, true);
    const run = await runReclaim(opts.host, plan, {
      ssh: opts.ssh,
      signal: controller.signal,
      onStep: (r, i, n, phase) => {
        if (opts.json) return;
        // The output (and a failure's message) can carry what the host printed: escaped and cut like the rest.
        if (phase === 'start') process.stderr.write(`dmlens: [${i + 1}/${n}] ${shownText(quoteCommand(r.step.argv))}\n`);
        else if (r.status !== 'ok' || r.step.op === 'fstrim') process.stderr.write(`dmlens: [${i + 1}/${n}] ${r.status}${r.output ? `: ${shownText(r.output.split('\n')[0]!)}` : ''}\n`);
      },
    });
    const json = planJson(plan, run);
    if (opts.save) writeFileSync(opts.save, JSON.stringify(json, null, 2) + '\n');
    if (opts.json) process.stdout.write(JSON.stringify(json, null, 2) + '\n');
    else printRun(run);
    if (run.steps.some((s) => s.status === 'cancelled')) return 130;
    return run.steps.some((s) => s.status === 'failed') ? 1 : 0;
  } catch (e) {
    if (e instanceof SshError && e.kind === 'cancelled') {
      process.stderr.write('dmlens: cancelled; ssh was stopped\n');
      return 130;
    }
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function planJson(plan: ReclaimPlan, run: ReclaimRun | undefined) {
  const measurements = new Map((run?.measurements ?? []).map((m) => [m.name, m]));
  return {
    host: plan.host,
    executed: run?.executed ?? false,
    ...(run?.stopped ? { stopped: run.stopped } : {}),
    plan: plan.steps.map((s, i) => ({
      command: quoteCommand(s.argv),
      kind: s.kind,
      pool: s.pool ?? null,
      why: s.why,
      ...(run ? { status: run.steps[i]?.status ?? 'skipped', output: run.steps[i]?.output ?? '' } : {}),
    })),
    pools: plan.audits.map((a) => {
      const m: PoolMeasurement | undefined = measurements.get(a.pool);
      return {
        name: a.pool,
        verdict: a.verdict,
        why: a.why,
        eligible: a.eligible,
        refusal: a.refusal ?? null,
        mounts: a.mounts.map((x) => x.mountPoint),
        before: m ? { dataUsed: m.before.dataUsed, allocatedBytes: m.before.allocatedBytes, hostFreeBytes: m.before.hostFreeBytes } : null,
        after: m ? { dataUsed: m.after.dataUsed, allocatedBytes: m.after.allocatedBytes, hostFreeBytes: m.after.hostFreeBytes } : null,
        reclaimedPoolBytes: m?.reclaimedPoolBytes ?? null,
        reclaimedHostBytes: m?.reclaimedHostBytes ?? null,
        explanation: m?.explanation ?? null,
      };
    }),
    guidance: plan.guidance,
  };
}

function printPlan(plan: ReclaimPlan, executing: boolean): void {
  const w = (s: string) => process.stdout.write(s);
  w(`Reclaim plan for ${shownName(plan.host)}:\n`);
  for (const a of plan.audits) {
    w(`  pool ${shownName(a.pool)}: ${a.eligible ? `space can return ${a.verdict === 'host' ? 'to the host' : a.verdict === 'pool-only' ? 'to the pool only' : a.verdict === 'none' ? 'nowhere' : '(unknown where)'}` : `refused — ${shownText(a.refusal ?? '')}`}\n`);
    if (a.why) w(`      ${shownText(a.why)}\n`);
  }
  if (plan.empty) {
    w('Nothing to do: no eligible pool has a mounted thin filesystem to trim, and no prune was asked for. Nothing was changed.\n');
  } else {
    w('Steps:\n');
    plan.steps.forEach((s, i) => w(`  ${String(i + 1).padStart(2)}. [${s.kind}] ${shownText(quoteCommand(s.argv))}${s.pool ? `   (pool ${shownName(s.pool)})` : ''}\n`));
  }
  for (const g of plan.guidance) w(`Note: ${shownText(g)}\n`);
  if (!executing && !plan.empty) w('Nothing was changed. Run again with --yes to execute these steps.\n');
}

function printRun(run: ReclaimRun): void {
  const w = (s: string) => process.stdout.write(s);
  w(run.stopped ? `Stopped: ${shownText(run.stopped)}\n` : 'Done.\n');
  for (const m of run.measurements) {
    const pool = m.reclaimedPoolBytes === null ? '?' : formatBinary(Math.max(0, m.reclaimedPoolBytes));
    const host = m.reclaimedHostBytes === null ? '-' : formatBinary(Math.max(0, m.reclaimedHostBytes));
    w(`  ${shownName(m.name)}: pool +${pool}, host +${host}. ${shownText(m.explanation)}\n`);
  }
}
