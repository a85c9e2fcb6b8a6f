/**
 * The reclaim workflow as data (issue 8): an audit of each pool from a host
 * report, then an ordered plan of steps, each tagged read-only / mutating /
 * destructive with the exact command it runs. Pure: the remote layer executes
 * a plan step by step through a fixed script (reclaimScript.ts), never a
 * string built from host output.
 *
 * Allowed: sync; `fstrim -v <mountpoint>` for each mounted thin filesystem of
 * an eligible pool; `docker image prune -f` / `docker container prune -f`
 * only when asked. Never: blkdiscard, pool messages, writes to loop files,
 * thin_trim on live metadata (devicemapper.md §6.5, §6.6).
 */
import type { HostReport, PoolReport, ReclaimVerdict } from '../inspect/hostReport.js';
import { backingFilesystem } from '../knowledge/backingFilesystems.js';

export type StepKind = 'read-only' | 'mutating' | 'destructive';

/** The operations the fixed remote script knows; nothing else can run. */
export type StepOp = 'measure' | 'sync' | 'fstrim' | 'prune-containers' | 'prune-images';

export interface PlanStep {
  op: StepOp;
  kind: StepKind;
  /** The command as the host runs it (argv; `sudo -n` is added by the executor when configured). */
  argv: string[];
  /** The pool this step serves, for fstrim. */
  pool?: string;
  /** Why the step is there, in one sentence. */
  why: string;
}

export interface PoolAudit {
  pool: string;
  /** Eligible for the workflow (rw, no needs_check, discards accepted). */
  eligible: boolean;
  /** Why not, when not eligible. */
  refusal?: string;
  verdict: ReclaimVerdict;
  why: string;
  /** Thin filesystems of this pool mounted on the host: fstrim targets. */
  mounts: { device: string; mountPoint: string; fsType?: string }[];
  /** Mount points seen but refused as fstrim targets (odd characters). */
  refusedMounts: { mountPoint: string; why: string }[];
  docker: boolean;
}

export interface ReclaimOptions {
  /** Only these pools (default: every pool). */
  pools?: readonly string[];
  /** Tick boxes: Docker's own prune commands (they delete data: stopped containers, dangling images). */
  pruneContainers?: boolean;
  pruneImages?: boolean;
}

export interface ReclaimPlan {
  host: string;
  audits: PoolAudit[];
  steps: PlanStep[];
  /** Offline advice that is never executed (thin_trim and friends). */
  guidance: string[];
  /** Nothing would run: no eligible pool with something to trim and no prune ticked. */
  empty: boolean;
}

/**
 * A mount point we are willing to pass to fstrim: absolute, no `..`, only
 * characters that need no quoting on a shell command line (ssh joins its
 * arguments into one remote command line, so the argument must survive that
 * unchanged).
 */
// Each `/` ends a non-empty segment, so a path splits one way only: the former
// /^\/(?:[…]+\/?)*$/ tried every split of a segment before refusing a bad character
// after it, exponential in the segment's length (a Docker mount point's 64 hex digits
// followed by a blank never returned). Same paths accepted.
const SAFE_PATH = /^\/(?:[A-Za-z0-9._@+:,=-]+\/)*[A-Za-z0-9._@+:,=-]*$/;
export function checkMountPoint(path: string): string | undefined {
  if (path.length > 1024) return 'longer than 1024 characters';
  if (!SAFE_PATH.test(path)) return 'contains characters that are not safe on a command line';
  if (path.split('/').some((seg) => seg === '..' || seg === '.')) return 'contains "." or ".." segments';
  return undefined;
}

export function auditPool(pool: PoolReport): PoolAudit {
  const audit: PoolAudit = { pool: pool.name, eligible: true, verdict: pool.reclaim.verdict, why: pool.reclaim.why, mounts: [], refusedMounts: [], docker: pool.docker };
  const refuse = (why: string) => {
    audit.eligible = false;
    audit.refusal ??= why;
  };
  if (pool.mode === 'fail' || pool.mode === 'error') refuse('the pool is in fail mode: discards error and the metadata needs an offline repair first');
  else if (pool.mode === 'ro') refuse('the pool is read-only: discards would complete without effect');
  else if (pool.mode === 'unknown') refuse('the pool status could not be read');
  if (pool.needsCheck) refuse('needs_check is set: the pool stays read-only until thin_check clears it');
  if (pool.discard === 'ignore_discard') refuse('the pool ignores discards (ignore_discard): fstrim would fail with "not supported"');
  for (const t of pool.thinDevices) {
    if (!t.mountPoint) continue;
    const problem = checkMountPoint(t.mountPoint);
    if (problem) audit.refusedMounts.push({ mountPoint: t.mountPoint, why: problem });
    else audit.mounts.push({ device: t.name, mountPoint: t.mountPoint, ...(t.fsType ? { fsType: t.fsType } : {}) });
  }
  return audit;
}

export function buildReclaimPlan(report: HostReport, options: ReclaimOptions = {}): ReclaimPlan {
  const wanted = options.pools && options.pools.length > 0 ? new Set(options.pools) : undefined;
  const audits = report.pools.filter((p) => !wanted || wanted.has(p.name)).map(auditPool);
  const steps: PlanStep[] = [];
  // The measurement is the inspection's own read-only collector, sent on stdin to `sh -s`.
  const measure: PlanStep = { op: 'measure', kind: 'read-only', argv: ['sh', '-s'], why: 'the read-only collector (dmsetup status/table, losetup, stat of the loop files, findmnt, df, dmesg): pool usage, loop file allocation, free space.' };
  steps.push({ ...measure, why: `Measure before: ${measure.why}` });
  const dockerRuns = !!report.engine.version && report.engine.driver === 'devicemapper';
  const dockerEligible = audits.some((a) => a.docker && a.eligible);
  if (options.pruneContainers && dockerRuns && dockerEligible) {
    steps.push({ op: 'prune-containers', kind: 'destructive', argv: ['docker', 'container', 'prune', '-f'], why: 'Removes every stopped container and its writable layer (asked for).' });
  }
  if (options.pruneImages && dockerRuns && dockerEligible) {
    steps.push({ op: 'prune-images', kind: 'destructive', argv: ['docker', 'image', 'prune', '-f'], why: 'Removes dangling images; Docker deletes their thin devices (with dm.blkdiscard, discarding them first).' });
  }
  const trims = audits.filter((a) => a.eligible).flatMap((a) => a.mounts.map((m) => ({ a, m })));
  const mutating = trims.length > 0 || steps.length > 1;
  if (mutating) {
    // An immediate fstrim after rm reclaimed almost nothing on ext4 (devicemapper.md §6.5): sync first.
    steps.push({ op: 'sync', kind: 'mutating', argv: ['sync'], why: 'Flush deletions to disk so fstrim sees the freed blocks.' });
    for (const { a, m } of trims) {
      steps.push({ op: 'fstrim', kind: 'mutating', argv: ['fstrim', '-v', m.mountPoint], pool: a.pool, why: `Send the free extents of ${m.mountPoint} (${m.device}) down to pool ${a.pool}.` });
    }
    steps.push({ ...measure, why: `Measure after: ${measure.why}` });
  }
  return { host: report.host, audits, steps, guidance: guidance(report, audits), empty: !mutating };
}

function guidance(report: HostReport, audits: PoolAudit[]): string[] {
  const out: string[] = [];
  const tools = report.thinTools?.version ?? report.thinTools?.packageVersion;
  const poolOnly = audits.filter((a) => a.verdict === 'pool-only');
  if (poolOnly.length > 0) {
    const fsNames = [...new Set(report.pools.filter((p) => poolOnly.some((a) => a.pool === p.name)).map((p) => p.backing?.filesystem).filter((f): f is string => !!f))];
    out.push(
      `Freed blocks of ${poolOnly.map((a) => a.pool).join(', ')} stay in the pool${fsNames.length ? ` (backing on ${fsNames.join(', ')}${fsNames.some((f) => backingFilesystem(f).punchHole !== 'yes') ? ', which does not punch holes' : ''})` : ''}. To give space back to the host: move the pool's files (or Docker's data-root) to ext4 or xfs, enable discard passdown on a device that supports it, or migrate to overlay2.`,
    );
  }
  if (tools && /^0\.9\./.test(tools)) {
    out.push(`Offline thin_trim is refused on this host: thin-provisioning-tools ${tools} discards the highest used data block (data corruption seen on Debian 12). Use fstrim on mounted thin filesystems; offline trim only with thin-provisioning-tools ≥ 1.0.`);
  } else {
    out.push('Offline alternative (never run by this workflow): stop every user of the pool and Docker, deactivate the pool, run thin_check, then thin_trim --metadata-dev … --data-dev … on the inactive metadata (thin-provisioning-tools ≥ 1.0 only).');
  }
  for (const a of audits) for (const m of a.refusedMounts) out.push(`${m.mountPoint} (pool ${a.pool}) is not trimmed: its path ${m.why}; run fstrim on it by hand if you trust it.`);
  return out;
}
