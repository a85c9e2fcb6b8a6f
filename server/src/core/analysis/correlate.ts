import { docLine, tableFor, type DocumentIndex, type Located } from '../transcript/documentIndex.js';
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

/**
 * Which pool a sparse file backs, proven where possible:
 * losetup (file → loopN) + pool table (data dev 7:N); or docker info (Data loop
 * file + Pool Name); else, for Docker's default data file, the Docker pool whose
 * status is nearest in the document (marked as assumed).
 */
export function linkFileToPool(index: DocumentIndex, path: string, near: number): FilePoolLink | undefined {
  const latest = (name: string): Located<PoolStatusFact> | undefined => {
    let best: Located<PoolStatusFact> | undefined;
    for (const s of index.poolStatuses) if (s.fact.name === name) best = s;
    return best;
  };
  const make = (name: string, assumed: boolean, status = latest(name)): FilePoolLink | undefined =>
    status ? { pool: name, usedBytes: statusUsedBytes(index, status.fact), statusLine: docLine(status), assumed } : undefined;

  for (const [loop, file] of index.loopFiles) {
    if (file !== path) continue;
    const minor = Number(loop.replace(/^loop/, ''));
    for (const [name, t] of index.poolTables) {
      if ((t.fact.dataMajor === 7 && t.fact.dataMinor === minor) || t.fact.dataDev === `/dev/${loop}`) {
        const link = make(name, false);
        if (link) return link;
      }
    }
  }
  if (index.dockerDataLoopFile === path && index.dockerPoolName) {
    const link = make(index.dockerPoolName, false);
    if (link) return link;
  }
  if (!DOCKER_DATA_FILE.test(path)) return undefined;
  let nearest: Located<PoolStatusFact> | undefined;
  for (const s of index.poolStatuses) {
    if (!s.fact.name || !/^docker-.*-pool$/.test(s.fact.name)) continue;
    if (!nearest || Math.abs(docLine(s) - near) < Math.abs(docLine(nearest) - near)) nearest = s;
  }
  return nearest ? make(nearest.fact.name!, true, nearest) : undefined;
}
