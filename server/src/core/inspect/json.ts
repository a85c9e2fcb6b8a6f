/**
 * The stable JSON of `dmlens inspect --json` (issue 7 scope 6): block counts
 * as numbers, bytes as numbers, verdicts as words. Extra fields may be added;
 * none is renamed or removed without a major version.
 */
import type { HostReport, PoolReport } from './hostReport.js';
import type { Severity } from '../knowledge/findingCodes.js';

export interface InspectJsonHost {
  host: string;
  reachable: boolean;
  error: string | null;
  errorKind: string | null;
  user: string | null;
  kernel: string | null;
  engine: { version: string | null; driver: string | null; driverStatus: string };
  pools: {
    name: string;
    mode: string;
    discard: string | null;
    noSpacePolicy: string | null;
    needsCheck: boolean;
    blockSizeBytes: number | null;
    lowWaterMark: number | null;
    data: { used: number; total: number } | null;
    metadata: { used: number; total: number } | null;
    docker: boolean;
    backing: {
      kind: 'loop' | 'block';
      path: string | null;
      device: string | null;
      apparentBytes: number | null;
      allocatedBytes: number | null;
      filesystem: string | null;
      freeBytes: number | null;
      discardMaxBytes: number | null;
      punchHole: 'yes' | 'no' | 'unknown';
    } | null;
    reclaim: { verdict: string; why: string };
    thinDevices: { name: string; deviceId: number | null; sizeBytes: number | null; mappedBytes: number | null; mountPoint: string | null }[];
  }[];
  findings: { code: string; severity: Severity; message: string; pool: string | null; remedy: string | null; count: number | null; origin: string | null }[];
}

const n = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

export function inspectJson(r: HostReport): InspectJsonHost {
  return {
    host: r.host,
    reachable: r.reachable,
    error: n(r.error),
    errorKind: n(r.errorKind),
    user: n(r.user),
    kernel: n(r.kernel),
    engine: { version: n(r.engine.version), driver: n(r.engine.driver), driverStatus: r.engine.driverStatus },
    pools: r.pools.map(poolJson),
    findings: r.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, pool: n(f.pool), remedy: n(f.remedy), count: n(f.count), origin: n(f.origin) })),
  };
}

function poolJson(p: PoolReport): InspectJsonHost['pools'][number] {
  const b = p.backing;
  return {
    name: p.name,
    mode: p.mode,
    discard: n(p.discard),
    noSpacePolicy: n(p.noSpacePolicy),
    needsCheck: p.needsCheck ?? false,
    blockSizeBytes: n(p.blockSizeBytes),
    lowWaterMark: n(p.lowWaterMark),
    data: p.data ? { used: p.data.used, total: p.data.total } : null,
    metadata: p.metadata ? { used: p.metadata.used, total: p.metadata.total } : null,
    docker: p.docker,
    backing: b
      ? {
          kind: b.kind,
          path: n(b.path),
          device: n(b.device),
          apparentBytes: n(b.apparentBytes),
          allocatedBytes: n(b.allocatedBytes),
          filesystem: n(b.filesystem),
          freeBytes: n(b.freeBytes),
          discardMaxBytes: n(b.discardMaxBytes),
          punchHole: b.punchHole,
        }
      : null,
    reclaim: p.reclaim,
    thinDevices: p.thinDevices.map((t) => ({ name: t.name, deviceId: n(t.deviceId), sizeBytes: n(t.sizeBytes), mappedBytes: n(t.mappedBytes), mountPoint: n(t.mountPoint) })),
  };
}

export interface FleetRow {
  host: string;
  reachable: boolean;
  /** Highest data or metadata usage over the host's pools, 0–1; -1 when unknown. */
  worstUsage: number;
  worstPool?: string;
  errors: number;
  warnings: number;
  error?: string;
}

/** One row per host, worst first: unreachable hosts, then by highest pool usage. */
export function fleetSummary(reports: readonly HostReport[]): FleetRow[] {
  const rows = reports.map((r): FleetRow => {
    let worst = -1;
    let worstPool: string | undefined;
    for (const p of r.pools) {
      const ratios = [p.data, p.metadata].filter((u): u is { used: number; total: number } => !!u && u.total > 0).map((u) => u.used / u.total);
      const failed = p.mode === 'fail' || p.mode === 'error' || p.mode === 'out_of_data_space' ? 1 : 0;
      const m = Math.max(failed, ...ratios);
      if (m > worst) {
        worst = m;
        worstPool = p.name;
      }
    }
    return {
      host: r.host,
      reachable: r.reachable,
      worstUsage: worst,
      ...(worstPool ? { worstPool } : {}),
      errors: r.findings.filter((f) => f.severity === 'error').length,
      warnings: r.findings.filter((f) => f.severity === 'warning').length,
      ...(r.error ? { error: r.error } : {}),
    };
  });
  return rows.sort((a, b) => Number(a.reachable) - Number(b.reachable) || b.worstUsage - a.worstUsage || b.errors - a.errors || a.host.localeCompare(b.host));
}
