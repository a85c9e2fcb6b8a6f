/**
 * What came back (issue 8 scope 5): pool used blocks, the loop file's
 * allocated bytes and the host filesystem's free space, before and after —
 * never fstrim's own "trimmed" figure, which counts what it sent, not what
 * was freed (real-kernel-observations.md §3.3 point 6).
 */
import type { HostReport, PoolReport, ReclaimVerdict } from '../inspect/hostReport.js';
import { formatBinary } from '../text/units.js';

export interface PoolSnapshot {
  dataUsed: number | null;
  allocatedBytes: number | null;
  hostFreeBytes: number | null;
}

export interface PoolMeasurement {
  name: string;
  verdict: ReclaimVerdict;
  why: string;
  before: PoolSnapshot;
  after: PoolSnapshot;
  /** Freed data blocks × block size (≥ 0 means freed; negative means the pool grew meanwhile). */
  reclaimedPoolBytes: number | null;
  /** Bytes the backing file gave back to the host filesystem. */
  reclaimedHostBytes: number | null;
  /** One or two sentences: what happened and, when the host got nothing back, what would help. */
  explanation: string;
}

function snapshot(p: PoolReport | undefined): PoolSnapshot {
  return {
    dataUsed: p?.data?.used ?? null,
    allocatedBytes: p?.backing?.kind === 'loop' ? (p.backing.allocatedBytes ?? null) : null,
    hostFreeBytes: p?.backing?.kind === 'loop' ? (p.backing.freeBytes ?? null) : null,
  };
}

export function measureReclaim(before: HostReport, after: HostReport, pools?: readonly string[]): PoolMeasurement[] {
  const names = pools ?? before.pools.map((p) => p.name);
  return names.map((name) => {
    const b = before.pools.find((p) => p.name === name);
    const a = after.pools.find((p) => p.name === name);
    const sb = snapshot(b);
    const sa = snapshot(a);
    const block = b?.blockSizeBytes ?? a?.blockSizeBytes;
    const pool = sb.dataUsed !== null && sa.dataUsed !== null && block ? (sb.dataUsed - sa.dataUsed) * block : null;
    const host = sb.allocatedBytes !== null && sa.allocatedBytes !== null ? sb.allocatedBytes - sa.allocatedBytes : null;
    const verdict = b?.reclaim.verdict ?? 'unknown';
    const why = b?.reclaim.why ?? '';
    return { name, verdict, why, before: sb, after: sa, reclaimedPoolBytes: pool, reclaimedHostBytes: host, explanation: explain(pool, host, b) };
  });
}

function explain(pool: number | null, host: number | null, p: PoolReport | undefined): string {
  if (!p) return 'The pool was not found in the first measurement.';
  if (pool === null) return 'The pool usage could not be measured.';
  if (pool <= 0) return 'Nothing came back to the pool: there was no deleted data on the trimmed filesystems (or it had already been discarded).';
  const poolText = `The pool freed ${formatBinary(pool)}.`;
  if (p.backing?.kind !== 'loop') return `${poolText} The data device is a block device: what it does with discards is up to it (${p.reclaim.why})`;
  if (host === null) return `${poolText} The backing file could not be measured.`;
  // A file shrinking by less than 1/8 of what the pool freed is "did not shrink" (metadata, rounding).
  if (host * 8 < pool) {
    return `${poolText} The backing file ${p.backing.path ?? ''} did not shrink${host > 0 ? ` (only ${formatBinary(host)})` : ''}: ${p.reclaim.why} What would help: move the pool (or Docker's data-root) to ext4 or xfs, enable discard passdown on a device that supports it, or migrate to overlay2.`;
  }
  return `${poolText} The backing file gave ${formatBinary(host)} back to ${p.backing.mountPoint ?? 'the host'}.`;
}
