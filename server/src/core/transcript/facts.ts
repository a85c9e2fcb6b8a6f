import type { Span } from '../text/position.js';
import type { PoolStatusRecord, PoolTableRecord } from './records.js';

/**
 * What one command block contributes to the document-wide picture. Facts are
 * small, so re-deriving the document index after an edit is cheap, and a
 * block whose facts did not change cannot change any other block's findings.
 */
export interface PoolTableFact {
  name?: string;
  line: number;
  blockSectors?: number;
  lowWater?: number;
  dataDev: string;
  dataMajor?: number;
  dataMinor?: number;
  features: string[];
}

export interface PoolStatusFact {
  name?: string;
  line: number;
  dataUsed?: number;
  dataTotal?: number;
  lengthSectors: number;
}

export interface FileFact {
  path: string;
  line: number;
  allocated?: number;
  apparent?: number;
  /** Where the allocated size is on its line (the range of loop-file-not-shrinking). */
  allocatedSpan?: Span;
}

export interface BlockFacts {
  /** Each one is the line's record too (records.ts): what its diagnosis reads. */
  poolTables: PoolTableRecord[];
  poolStatuses: PoolStatusRecord[];
  /** name ↔ major:minor from ls, tree, info, info -c. */
  devices: { name: string; major: number; minor: number }[];
  /** loop device → backing file (losetup). */
  loops: { loop: string; file: string }[];
  files: FileFact[];
  dockerPoolName?: string;
  dockerDataLoopFile?: string;
  dockerDataFile?: string;
  /** Devices that reported `op 0x3:(DISCARD)` errors. */
  discardErrors: { device: string; line: number }[];
}

export function emptyFacts(): BlockFacts {
  return { poolTables: [], poolStatuses: [], devices: [], loops: [], files: [], discardErrors: [] };
}

/** Whether two segments' facts are equal (what other segments can see of them). */
export function sameFacts(a: BlockFacts, b: BlockFacts): boolean {
  if (a.dockerPoolName !== b.dockerPoolName || a.dockerDataLoopFile !== b.dockerDataLoopFile || a.dockerDataFile !== b.dockerDataFile) return false;
  if (!sameList(a.poolTables, b.poolTables, sameTable) || !sameList(a.poolStatuses, b.poolStatuses, sameStatus)) return false;
  if (!sameList(a.devices, b.devices, (x, y) => x.name === y.name && x.major === y.major && x.minor === y.minor)) return false;
  if (!sameList(a.loops, b.loops, (x, y) => x.loop === y.loop && x.file === y.file)) return false;
  if (!sameList(a.files, b.files, (x, y) => x.path === y.path && x.line === y.line && x.allocated === y.allocated && x.apparent === y.apparent)) return false;
  return sameList(a.discardErrors, b.discardErrors, (x, y) => x.device === y.device && x.line === y.line);
}

export function sameTable(x: PoolTableFact, y: PoolTableFact): boolean {
  return (
    x.name === y.name &&
    x.line === y.line &&
    x.blockSectors === y.blockSectors &&
    x.lowWater === y.lowWater &&
    x.dataDev === y.dataDev &&
    x.dataMajor === y.dataMajor &&
    x.dataMinor === y.dataMinor &&
    sameList(x.features, y.features, (f, g) => f === g)
  );
}

function sameStatus(x: PoolStatusFact, y: PoolStatusFact): boolean {
  return x.name === y.name && x.line === y.line && x.dataUsed === y.dataUsed && x.dataTotal === y.dataTotal && x.lengthSectors === y.lengthSectors;
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!)) return false;
  return true;
}
