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
}

export interface BlockFacts {
  poolTables: PoolTableFact[];
  poolStatuses: PoolStatusFact[];
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

/** A cheap structural key; equal keys mean equal facts. */
export function factsKey(f: BlockFacts): string {
  return JSON.stringify(f);
}
