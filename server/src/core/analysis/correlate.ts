import { docLine, poolForLoop, tableFor, type DocumentIndex, type Located } from '../transcript/documentIndex.js';
import type { PoolStatusFact } from '../transcript/facts.js';
import { SECTOR_BYTES } from '../text/units.js';

/** Docker's loop data file: `<data-root>/devicemapper/devicemapper/data` (devicemapper.md §1.8). */
const DOCKER_DATA_FILE = /\/devicemapper\/devicemapper\/data$/;

export interface FilePoolLink {
  pool: string;
  usedBytes?: number;
  statusLine: number;
  /** The link was guessed from Docker's naming, not proven by losetup/table/docker info. */
  assumed: boolean;
}

/** Bytes in use according to a status line: used blocks × (table block size, else length ÷ total). */
export function statusUsedBytes(index: DocumentIndex, s: PoolStatusFact): number | undefined {
  if (s.dataUsed === undefined || !s.dataTotal) return undefined;
  const table = tableFor(index, s.name);
  const blockSectors = table?.blockSectors ?? (s.lengthSectors % s.dataTotal === 0 ? s.lengthSectors / s.dataTotal : undefined);
  return blockSectors === undefined ? undefined : s.dataUsed * blockSectors * SECTOR_BYTES;
}

/** The entry whose line is closest to `line`; `sorted` is in document order (binary search). */
function nearestByLine(sorted: Located<PoolStatusFact>[], line: number): Located<PoolStatusFact> | undefined {
  if (sorted.length === 0) return undefined;
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (docLine(sorted[mid]!) < line) lo = mid + 1;
    else hi = mid;
  }
  const after = sorted[lo]!;
  const before = lo > 0 ? sorted[lo - 1]! : undefined;
  // On a tie the earlier line wins, as the linear scan did.
  return before && Math.abs(docLine(before) - line) <= Math.abs(docLine(after) - line) ? before : after;
}

/**
 * Which pool a sparse file backs, proven where possible:
 * losetup (file → loopN) + pool table (data dev 7:N); or docker info (Data loop
 * file + Pool Name); else, for Docker's default data file, the Docker pool whose
 * status is nearest in the document (marked as assumed).
 */
export function linkFileToPool(index: DocumentIndex, path: string, near: number): FilePoolLink | undefined {
  const make = (name: string, assumed: boolean, status = index.latestStatus.get(name)): FilePoolLink | undefined =>
    status ? { pool: name, usedBytes: statusUsedBytes(index, status.fact), statusLine: docLine(status), assumed } : undefined;

  for (const [loop, file] of index.loopFiles) {
    if (file !== path) continue;
    // The first pool (in poolTables' order) whose table's data device is this loop and that has a status line.
    const name = poolForLoop(index, loop);
    if (name) {
      const link = make(name, false);
      if (link) return link;
    }
  }
  if (index.dockerDataLoopFile === path && index.dockerPoolName) {
    const link = make(index.dockerPoolName, false);
    if (link) return link;
  }
  if (!DOCKER_DATA_FILE.test(path)) return undefined;
  const nearest = nearestByLine(index.dockerPoolStatuses, near);
  return nearest ? make(nearest.fact.name!, true, nearest) : undefined;
}
