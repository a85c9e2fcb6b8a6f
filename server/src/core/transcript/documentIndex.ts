import type { ParsedBlock } from './parseBlock.js';
import type { FileFact, PoolStatusFact, PoolTableFact } from './facts.js';

/** A fact together with the segment it came from, so its document line stays right after shifts. */
export interface Located<T> {
  fact: T;
  block: ParsedBlock;
}

/** Points the index entries of `old` at `replacement` (a re-parse of the same segment with equal facts). */
export function moveEntries(index: DocumentIndex, old: ParsedBlock, replacement: ParsedBlock): void {
  const list = index.byBlock.get(old);
  if (!list) return;
  for (const l of list) l.block = replacement;
  index.byBlock.delete(old);
  index.byBlock.set(replacement, list);
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
  /** The last status line printed for each named pool. */
  latestStatus: Map<string, Located<PoolStatusFact>>;
  /** Status lines of Docker pools (`docker-…-pool`), in document order. */
  dockerPoolStatuses: Located<PoolStatusFact>[];
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
  /** Every Located entry by its segment, so a re-parsed segment with equal facts can take over its entries. */
  byBlock: Map<ParsedBlock, Located<unknown>[]>;
}

const DOCKER_POOL = /^docker-.*-pool$/;

export function buildIndex(blocks: readonly ParsedBlock[]): DocumentIndex {
  const index: DocumentIndex = {
    poolTables: new Map(),
    unnamedPoolTables: [],
    poolStatuses: [],
    latestStatus: new Map(),
    dockerPoolStatuses: [],
    namesByDevno: new Map(),
    loopFiles: new Map(),
    files: [],
    discardErrorDevices: new Set(),
    byBlock: new Map(),
  };
  for (const block of blocks) {
    const f = block.facts;
    const located: Located<unknown>[] = [];
    const at = <T>(fact: T): Located<T> => {
      const l = { fact, block };
      located.push(l);
      return l;
    };
    for (const t of f.poolTables) {
      if (t.name) index.poolTables.set(t.name, at(t));
      else index.unnamedPoolTables.push(at(t));
    }
    for (const s of f.poolStatuses) {
      const l = at(s);
      index.poolStatuses.push(l);
      if (s.name) {
        index.latestStatus.set(s.name, l);
        if (DOCKER_POOL.test(s.name)) index.dockerPoolStatuses.push(l);
      }
    }
    for (const d of f.devices) index.namesByDevno.set(`${d.major}:${d.minor}`, d.name);
    for (const l of f.loops) index.loopFiles.set(l.loop.replace(/^\/dev\//, ''), l.file);
    for (const file of f.files) index.files.push(at(file));
    if (located.length > 0) index.byBlock.set(block, located);
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
