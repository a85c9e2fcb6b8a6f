import type { ParsedBlock } from './parseBlock.js';
import { sameTable, type BlockFacts, type FileFact, type PoolStatusFact, type PoolTableFact } from './facts.js';
import type { PoolStatusRecord, PoolTableRecord } from './records.js';

/** A fact together with the segment it came from, so its document line stays right after shifts. */
export interface Located<T> {
  fact: T;
  block: ParsedBlock;
  /** The `related` link findings share for a table at a line (analysis/diagnose.ts). */
  link?: unknown;
  linkLine?: number;
}

export function docLine<T extends { line: number }>(l: Located<T>): number {
  return l.block.start + l.fact.line;
}

/**
 * Everything one part of a transcript can tell another: which table belongs to
 * which pool, which name a device number has, which file backs a loop device.
 *
 * Built once, then patched by each edit (`patchIndex`): an edit replaces a
 * contiguous run of segments, so the ordered lists are spliced at one place and
 * only the names those segments mention are looked up again.
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
  /** @internal The document's segments, in order. */
  blocks: readonly ParsedBlock[];
  /** @internal Incremented when the pool tables change (keys or values). */
  tablesEpoch: number;
  /** @internal Incremented when the set of names in latestStatus changes. */
  statusNamesEpoch: number;
  /** @internal How many winning tables name each data device key (`7:<minor>`, or the device text). */
  dataDevCount: Map<string, number>;
  /** @internal Answers of poolForLoop, valid for one tablesEpoch/statusNamesEpoch. */
  loopPoolCache?: { tablesEpoch: number; statusNamesEpoch: number; pools: Map<string, string | undefined> };
  /** @internal statusesNamed's map, built on first use; dropped whenever poolStatuses changes. */
  statusesByName?: Map<string, Located<PoolStatusFact>[]>;
  /** @internal devnosNamed's map, built on first use for one namesByDevno map (replaced, never mutated, by a patch). */
  devnosByName?: { of: Map<string, string>; names: Map<string, string[]> };
}

/** What an index patch changed that findings of other segments may depend on. */
export interface IndexChange {
  /** Pools whose table (the one tableFor returns) appeared, vanished, moved or changed. */
  tableNames: string[];
  /** The table tableFor falls back to (a single unnamed table) changed. */
  fallback: boolean;
  /** Whether a `Data loop file` is known changed. */
  dockerLoop: boolean;
}

/** `^docker-.*-pool$` without running a regex for the names that cannot match. */
const DOCKER_POOL = /^docker-.*-pool$/;
function isDockerPool(name: string): boolean {
  return name.length >= 12 && name.startsWith('docker-') && name.endsWith('-pool') && DOCKER_POOL.test(name);
}

const DEV_PREFIX = /^\/dev\//;

function loopKey(loop: string): string {
  return loop.startsWith('/dev/') ? loop.replace(DEV_PREFIX, '') : loop;
}

/**
 * The index object. `latestStatus` is built on first use (only linking a file to
 * its pool asks for it), then kept up to date by patchIndex like the rest.
 */
class TranscriptIndex implements DocumentIndex {
  poolTables = new Map<string, Located<PoolTableFact>>();
  unnamedPoolTables: Located<PoolTableFact>[] = [];
  poolStatuses: Located<PoolStatusFact>[] = [];
  dockerPoolStatuses: Located<PoolStatusFact>[] = [];
  namesByDevno = new Map<string, string>();
  loopFiles = new Map<string, string>();
  files: Located<FileFact>[] = [];
  dockerPoolName?: string;
  dockerDataLoopFile?: string;
  dockerDataFile?: string;
  discardErrorDevices = new Set<string>();
  tablesEpoch = 0;
  statusNamesEpoch = 0;
  dataDevCount = new Map<string, number>();
  loopPoolCache?: { tablesEpoch: number; statusNamesEpoch: number; pools: Map<string, string | undefined> };
  latest: Map<string, Located<PoolStatusFact>> | undefined = undefined;

  constructor(public blocks: readonly ParsedBlock[]) {}

  get latestStatus(): Map<string, Located<PoolStatusFact>> {
    if (!this.latest) {
      const m = new Map<string, Located<PoolStatusFact>>();
      for (const s of this.poolStatuses) if (s.fact.name) m.set(s.fact.name, s);
      this.latest = m;
    }
    return this.latest;
  }
}

export function buildIndex(blocks: readonly ParsedBlock[]): DocumentIndex {
  const index = new TranscriptIndex(blocks);
  for (const block of blocks) {
    const f = block.facts;
    // Pool records are their own index entries ({ fact, block }).
    for (const t of f.poolTables) {
      if (t.name) index.poolTables.set(t.name, t);
      else index.unnamedPoolTables.push(t);
    }
    for (const s of f.poolStatuses) {
      index.poolStatuses.push(s);
      if (s.name && isDockerPool(s.name)) index.dockerPoolStatuses.push(s);
    }
    for (const file of f.files) index.files.push({ fact: file, block });
    addDevicesAndLoops(index, f);
    addDocker(index, f);
  }
  for (const l of index.poolTables.values()) countDataDev(index, l.fact, 1);
  return index;
}

function addDevicesAndLoops(index: DocumentIndex, f: BlockFacts): void {
  for (const d of f.devices) index.namesByDevno.set(`${d.major}:${d.minor}`, d.name);
  for (const l of f.loops) index.loopFiles.set(loopKey(l.loop), l.file);
  for (const e of f.discardErrors) index.discardErrorDevices.add(e.device);
}

function addDocker(index: DocumentIndex, f: BlockFacts): void {
  if (f.dockerPoolName) index.dockerPoolName = f.dockerPoolName;
  if (f.dockerDataLoopFile) index.dockerDataLoopFile = f.dockerDataLoopFile;
  if (f.dockerDataFile) index.dockerDataFile = f.dockerDataFile;
}

/** The keys a table's data device answers to in poolForLoop: `7:<minor>` for a loop major, and the device text. */
function countDataDev(index: DocumentIndex, t: PoolTableFact, by: number): void {
  if (t.dataMajor === 7 && t.dataMinor !== undefined) addCount(index.dataDevCount, `7:${t.dataMinor}`, by);
  if (t.dataDev.startsWith('/dev/')) addCount(index.dataDevCount, t.dataDev, by);
}

function addCount(counts: Map<string, number>, key: string, by: number): void {
  const n = (counts.get(key) ?? 0) + by;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}

/** The table of a pool: by name, else the only unnamed table in the document. */
/**
 * Every status line of the pool `name`, in document order. A hover asks this of a 300 000-line
 * transcript with 150 000 status lines; a scan per hover took tens of milliseconds.
 */
export function statusesNamed(index: DocumentIndex, name: string): readonly Located<PoolStatusFact>[] {
  if (!index.statusesByName) {
    const m = new Map<string, Located<PoolStatusFact>[]>();
    for (const s of index.poolStatuses) {
      const n = s.fact.name;
      if (!n) continue;
      const list = m.get(n);
      if (list) list.push(s);
      else m.set(n, [s]);
    }
    index.statusesByName = m;
  }
  return index.statusesByName.get(name) ?? [];
}

/** The device numbers ("253:0") that `namesByDevno` gives the name `name`, in its order. */
export function devnosNamed(index: DocumentIndex, name: string): readonly string[] {
  if (index.devnosByName?.of !== index.namesByDevno) {
    const names = new Map<string, string[]>();
    for (const [devno, n] of index.namesByDevno) {
      const list = names.get(n);
      if (list) list.push(devno);
      else names.set(n, [devno]);
    }
    index.devnosByName = { of: index.namesByDevno, names };
  }
  return index.devnosByName.names.get(name) ?? [];
}

export function tableFor(index: DocumentIndex, name: string | undefined): PoolTableFact | undefined {
  if (name) {
    const t = index.poolTables.get(name);
    if (t) return t.fact;
  }
  if (index.unnamedPoolTables.length === 1 && index.poolTables.size === 0) return index.unnamedPoolTables[0]!.fact;
  return undefined;
}

/** The located table tableFor falls back to, if any. */
function fallbackOf(index: DocumentIndex): Located<PoolTableFact> | undefined {
  return index.unnamedPoolTables.length === 1 && index.poolTables.size === 0 ? index.unnamedPoolTables[0] : undefined;
}

/**
 * The first pool, in the order a fresh build inserts pool names (their first
 * table in the document), whose table's data device is `loop` (`loop0`: 7:0 or
 * /dev/loop0) and that has a status line. Cached until the tables or the set of
 * status names change.
 */
export function poolForLoop(index: DocumentIndex, loop: string): string | undefined {
  let cache = index.loopPoolCache;
  if (!cache || cache.tablesEpoch !== index.tablesEpoch || cache.statusNamesEpoch !== index.statusNamesEpoch) {
    cache = { tablesEpoch: index.tablesEpoch, statusNamesEpoch: index.statusNamesEpoch, pools: new Map() };
    index.loopPoolCache = cache;
  }
  if (cache.pools.has(loop)) return cache.pools.get(loop);
  const minor = Number(loop.replace(/^loop/, ''));
  const dev = `/dev/${loop}`;
  let found: string | undefined;
  if ((Number.isFinite(minor) && index.dataDevCount.has(`7:${minor}`)) || index.dataDevCount.has(dev)) {
    const seen = new Set<string>();
    outer: for (const block of index.blocks) {
      for (const t of block.facts.poolTables) {
        const name = t.name;
        if (!name || seen.has(name)) continue;
        seen.add(name);
        const w = index.poolTables.get(name)!.fact;
        if (((w.dataMajor === 7 && w.dataMinor === minor) || w.dataDev === dev) && index.latestStatus.has(name)) {
          found = name;
          break outer;
        }
      }
    }
  }
  cache.pools.set(loop, found);
  return found;
}

/**
 * Updates the index after segments `old` were replaced by `fresh`, which now sit
 * at `first` in `blocks` (later segments already shifted). `old` are marked dead.
 */
export function patchIndex(index: DocumentIndex, blocks: readonly ParsedBlock[], first: number, old: readonly ParsedBlock[], fresh: readonly ParsedBlock[]): IndexChange {
  index.blocks = blocks;
  const regionStart = fresh.length > 0 ? fresh[0]!.start : old.length > 0 ? old[0]!.start : 0;
  const fallbackBefore = fallbackOf(index);
  const dockerLoopBefore = !!index.dockerDataLoopFile;
  const change: IndexChange = { tableNames: [], fallback: false, dockerLoop: false };

  // Pool tables: named ones by last-wins, unnamed ones in order.
  const tableNames = new Set<string>();
  const newestTable = new Map<string, PoolTableRecord>();
  const unnamed: PoolTableRecord[] = [];
  let hadUnnamed = false;
  for (const b of old) {
    for (const t of b.facts.poolTables) {
      if (t.name) tableNames.add(t.name);
      else hadUnnamed = true;
    }
  }
  for (const b of fresh) {
    for (const t of b.facts.poolTables) {
      if (t.name) {
        tableNames.add(t.name);
        newestTable.set(t.name, t);
      } else unnamed.push(t);
    }
  }
  for (const name of tableNames) {
    const before = index.poolTables.get(name);
    if (before) countDataDev(index, before.fact, -1);
    const after = updateWinner(index.poolTables as Map<string, Located<unknown>>, name, newestTable.get(name), blocks, first, regionStart, tablesOf) as Located<PoolTableFact> | undefined;
    if (after) countDataDev(index, after.fact, 1);
    if (tableChanged(before, after)) change.tableNames.push(name);
  }
  if (hadUnnamed || unnamed.length > 0) spliceOrdered(index.unnamedPoolTables, regionStart, unnamed);
  if (!sameTableSequence(old, fresh)) index.tablesEpoch++;

  // Status lines: the ordered lists, then last-wins by name.
  const statusNames = new Set<string>();
  const newestStatus = new Map<string, PoolStatusRecord>();
  const statuses: PoolStatusRecord[] = [];
  const dockerStatuses: PoolStatusRecord[] = [];
  let hadStatuses = false;
  let hadDocker = false;
  for (const b of old) {
    for (const s of b.facts.poolStatuses) {
      hadStatuses = true;
      if (s.name) {
        statusNames.add(s.name);
        if (isDockerPool(s.name)) hadDocker = true;
      }
    }
  }
  for (const b of fresh) {
    for (const s of b.facts.poolStatuses) {
      statuses.push(s);
      if (s.name) {
        statusNames.add(s.name);
        newestStatus.set(s.name, s);
        if (isDockerPool(s.name)) dockerStatuses.push(s);
      }
    }
  }
  if (hadStatuses || statuses.length > 0) {
    spliceOrdered(index.poolStatuses, regionStart, statuses);
    index.statusesByName = undefined;
  }
  if (hadDocker || dockerStatuses.length > 0) spliceOrdered(index.dockerPoolStatuses, regionStart, dockerStatuses);
  const latest = index instanceof TranscriptIndex ? index.latest : index.latestStatus;
  if (latest) {
    for (const name of statusNames) {
      const had = latest.has(name);
      const after = updateWinner(latest as Map<string, Located<unknown>>, name, newestStatus.get(name), blocks, first, regionStart, statusesOf);
      if (had !== (after !== undefined)) index.statusNamesEpoch++;
    }
  } else if (statusNames.size > 0) {
    index.statusNamesEpoch++;
  }

  // Files, in order.
  const files: Located<FileFact>[] = [];
  let hadFiles = false;
  for (const b of old) if (b.facts.files.length > 0) hadFiles = true;
  for (const b of fresh) for (const file of b.facts.files) files.push({ fact: file, block: b });
  if (hadFiles || files.length > 0) spliceOrdered(index.files, regionStart, files);

  // The small maps: rebuilt from every segment when the replaced segments touch them, so their order is a fresh build's.
  const touches = (pick: (f: BlockFacts) => boolean): boolean => old.some((b) => pick(b.facts)) || fresh.some((b) => pick(b.facts));
  if (touches((f) => f.devices.length > 0 || f.loops.length > 0 || f.discardErrors.length > 0)) {
    index.namesByDevno = new Map();
    index.loopFiles = new Map();
    index.discardErrorDevices = new Set();
    for (const b of blocks) if (b.facts.devices.length > 0 || b.facts.loops.length > 0 || b.facts.discardErrors.length > 0) addDevicesAndLoops(index, b.facts);
    index.loopPoolCache = undefined;
  }
  if (touches((f) => !!(f.dockerPoolName || f.dockerDataLoopFile || f.dockerDataFile))) {
    index.dockerPoolName = undefined;
    index.dockerDataLoopFile = undefined;
    index.dockerDataFile = undefined;
    for (const b of blocks) addDocker(index, b.facts);
  }
  change.fallback = fallbackOf(index) !== fallbackBefore;
  change.dockerLoop = !!index.dockerDataLoopFile !== dockerLoopBefore;
  return change;
}

/** Whether the replaced segments and the new ones hold the same tables at the same lines (poolForLoop stays valid). */
function sameTableSequence(old: readonly ParsedBlock[], fresh: readonly ParsedBlock[]): boolean {
  const a: PoolTableRecord[] = [];
  const b: PoolTableRecord[] = [];
  for (const blk of old) for (const t of blk.facts.poolTables) a.push(t);
  for (const blk of fresh) for (const t of blk.facts.poolTables) b.push(t);
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (docLine(a[i]!) !== docLine(b[i]!) || !sameTable(a[i]!, b[i]!)) return false;
  return true;
}

function tablesOf(b: ParsedBlock): readonly PoolTableRecord[] {
  return b.facts.poolTables;
}

function statusesOf(b: ParsedBlock): readonly PoolStatusRecord[] {
  return b.facts.poolStatuses;
}

/** Whether what tableFor returns for a name changed in a way a finding can see (values or line). */
function tableChanged(before: Located<PoolTableFact> | undefined, after: Located<PoolTableFact> | undefined): boolean {
  if (before === after) return false;
  if (!before || !after) return true;
  const a = before.fact;
  const b = after.fact;
  if (docLine(before) !== docLine(after) || a.blockSectors !== b.blockSectors || a.lowWater !== b.lowWater || a.features.length !== b.features.length) return true;
  for (let i = 0; i < a.features.length; i++) if (a.features[i] !== b.features[i]) return true;
  return false;
}

/**
 * The last fact named `key` in document order, after the replaced segments
 * (dead) gave way to new ones starting at `regionStart`: a winner after the
 * region stays; else the newest in the region; else a winner before it stays;
 * else the segments before the region are searched backwards.
 */
function updateWinner<R extends Located<unknown> & { name?: string }>(
  map: Map<string, Located<unknown>>,
  key: string,
  newest: R | undefined,
  blocks: readonly ParsedBlock[],
  first: number,
  regionStart: number,
  pick: (b: ParsedBlock) => readonly R[],
): Located<unknown> | undefined {
  const w = map.get(key);
  const live = w !== undefined && !w.block.dead;
  if (live && w.block.start >= regionStart) return w;
  if (newest) {
    map.set(key, newest);
    return newest;
  }
  if (live) return w;
  for (let j = first - 1; j >= 0; j--) {
    const facts = pick(blocks[j]!);
    for (let k = facts.length - 1; k >= 0; k--) {
      if (facts[k]!.name === key) {
        map.set(key, facts[k]!);
        return facts[k]!;
      }
    }
  }
  map.delete(key);
  return undefined;
}

/** Replaces the entries of dead segments (contiguous, at `regionStart`) with `fresh`, keeping document order. */
function spliceOrdered<T extends { line: number }>(list: Located<T>[], regionStart: number, fresh: Located<T>[]): void {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (docLine(list[mid]!) < regionStart) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < list.length && list[end]!.block.dead) end++;
  if (end === lo && fresh.length === 0) return;
  if (fresh.length < 10_000) list.splice(lo, end - lo, ...fresh);
  else {
    const tail = list.slice(end);
    list.length = lo;
    for (const l of fresh) list.push(l);
    for (const l of tail) list.push(l);
  }
}
