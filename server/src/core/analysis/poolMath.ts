import type { DmTargetLine, ThinPoolStatus } from '../transcript/lineTypes.js';
import { tableFor, type DocumentIndex } from '../transcript/documentIndex.js';
import type { PoolTableFact } from '../transcript/facts.js';
import { SECTOR_BYTES, formatBinary, formatCount, formatPercent } from '../text/units.js';

/** A thin-pool status line with the unit of its data blocks resolved (devicemapper.md §3.6). */
export interface PoolGeometry {
  name?: string;
  blockBytes?: number;
  /** 'table': from the pool's table in this document; 'derived': Docker's rule, length ÷ total blocks. */
  blockSource?: 'table' | 'derived';
  table?: PoolTableFact;
}

export function poolGeometry(line: DmTargetLine, status: ThinPoolStatus, index: DocumentIndex): PoolGeometry {
  return poolGeometryOf(line.device?.name, line.length.value, status.dataTotal?.value, index);
}

/** poolGeometry from the figures alone (a status record has them without a parsed line). */
export function poolGeometryOf(name: string | undefined, lengthSectors: number, dataTotal: number | undefined, index: DocumentIndex): PoolGeometry {
  const table = tableFor(index, name);
  if (table?.blockSectors) return { name, table, blockBytes: table.blockSectors * SECTOR_BYTES, blockSource: 'table' };
  if (dataTotal && lengthSectors % dataTotal === 0) {
    return { name, table, blockBytes: (lengthSectors / dataTotal) * SECTOR_BYTES, blockSource: 'derived' };
  }
  return { name, table };
}

export interface Usage {
  used: number;
  total: number;
  ratio: number;
}

export function usage(used: number | undefined, total: number | undefined): Usage | undefined {
  if (used === undefined || total === undefined || total === 0) return undefined;
  return { used, total, ratio: used / total };
}

/** "26,115 of 3,276,800 × 64 KiB = 1.59 GiB of 200 GiB (0.8 %)". */
export function describeBlocks(u: Usage, blockBytes: number | undefined): string {
  const counts = `${formatCount(u.used)} of ${formatCount(u.total)}`;
  if (!blockBytes) return `${counts} (${formatPercent(u.ratio)})`;
  return `${counts} × ${formatBinary(blockBytes)} = ${formatBinary(u.used * blockBytes)} of ${formatBinary(u.total * blockBytes)} (${formatPercent(u.ratio)})`;
}
