import type { ParsedBlock } from './parseBlock.js';
import type { FileFact, PoolStatusFact, PoolTableFact } from './facts.js';

/** A fact together with the segment it came from, so its document line stays right after shifts. */
export interface Located<T> {
  fact: T;
  block: ParsedBlock;
}

export function docLine<T extends { line: number }>(l: Located<T>): number {
  return l.block.start + l.fact.line;
}

/**
 * Everything one part of a transcript can tell another: which table belongs to
 * which pool, which name a device number has, which file backs a loop device.
 */
export interface DocumentIndex {
  /** Pool tables by device name (the last one printed wins). */
  poolTables: Map<string, Located<PoolTableFact>>;
  /** Tables printed without a name (`dmsetup table <pool>`), in order. */
  unnamedPoolTables: Located<PoolTableFact>[];
  poolStatuses: Located<PoolStatusFact>[];
  /** "253:0" → device name. */
  namesByDevno: Map<string, string>;
  /** "loop0" → backing file. */
  loopFiles: Map<string, string>;
  files: Located<FileFact>[];
  dockerPoolName?: string;
  dockerDataLoopFile?: string;
  dockerDataFile?: string;
  /** Kernel devices ("loop0") with failing discards. */
  discardErrorDevices: Set<string>;
}

export function buildIndex(blocks: readonly ParsedBlock[]): DocumentIndex {
  const index: DocumentIndex = {
    poolTables: new Map(),
    unnamedPoolTables: [],
    poolStatuses: [],
    namesByDevno: new Map(),
    loopFiles: new Map(),
    files: [],
    discardErrorDevices: new Set(),
  };
  for (const block of blocks) {
    const f = block.facts;
    for (const t of f.poolTables) {
      if (t.name) index.poolTables.set(t.name, { fact: t, block });
      else index.unnamedPoolTables.push({ fact: t, block });
    }
    for (const s of f.poolStatuses) index.poolStatuses.push({ fact: s, block });
    for (const d of f.devices) index.namesByDevno.set(`${d.major}:${d.minor}`, d.name);
    for (const l of f.loops) index.loopFiles.set(l.loop.replace(/^\/dev\//, ''), l.file);
    for (const file of f.files) index.files.push({ fact: file, block });
    if (f.dockerPoolName) index.dockerPoolName = f.dockerPoolName;
    if (f.dockerDataLoopFile) index.dockerDataLoopFile = f.dockerDataLoopFile;
    if (f.dockerDataFile) index.dockerDataFile = f.dockerDataFile;
    for (const e of f.discardErrors) index.discardErrorDevices.add(e.device);
  }
  return index;
}

/** The table of a pool: by name, else the only unnamed table in the document. */
export function tableFor(index: DocumentIndex, name: string | undefined): PoolTableFact | undefined {
  if (name) {
    const t = index.poolTables.get(name);
    if (t) return t.fact;
  }
  if (index.unnamedPoolTables.length === 1 && index.poolTables.size === 0) return index.unnamedPoolTables[0]!.fact;
  return undefined;
}
