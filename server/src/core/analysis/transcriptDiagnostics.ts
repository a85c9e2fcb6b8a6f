import type { DocumentChanges, TranscriptDocument } from '../transcript/document.js';
import type { ParsedBlock } from '../transcript/parseBlock.js';
import type { Thresholds } from '../knowledge/thresholds.js';
import type { Finding } from './finding.js';
import { diagnoseDocument, diagnoseSegment, relatedTo } from './diagnose.js';
import { docLine, type DocumentIndex, type Located } from '../transcript/documentIndex.js';
import type { PoolTableFact } from '../transcript/facts.js';

interface Cached {
  thresholds: string;
  /** The segment's first line when `findings` were made. */
  start: number;
  findings: Finding[];
  /** Per finding, the table its `related` link points to (see SegmentDiagnosis). */
  tables: (Located<PoolTableFact> | undefined)[] | undefined;
  /** The first and last line of a linked table when the links were resolved (-1: no links). */
  linkedFrom: number;
  linkedUpTo: number;
  fallback: boolean;
  dockerLoop: boolean;
}

const NO_CHANGES: DocumentChanges = { all: false, tableNames: new Set(), fallback: false, dockerLoop: false, touched: [] };

/**
 * Diagnostics of a transcript with per-segment caching: after an edit only the
 * re-parsed segments are diagnosed again, plus the segments whose findings read
 * something the edit changed (the table of a pool they name, the fallback
 * table, docker info's data loop file) or when the thresholds change. Segments
 * that merely moved get their findings shifted; findings whose table moved get
 * their `related` line updated.
 */
export class TranscriptDiagnostics {
  private readonly cache = new WeakMap<ParsedBlock, Cached>();
  /** The document's change number at the last compute (-1: none yet). */
  private seen = -1;

  constructor(private readonly doc: TranscriptDocument) {}

  compute(t: Thresholds): Finding[] {
    const key = JSON.stringify(t);
    const index = this.doc.index;
    const changes = this.seen < 0 ? NO_CHANGES : this.doc.changesSince(this.seen);
    this.seen = this.doc.changeNumber;
    const dirty = changes.all ? undefined : dependents(index, changes.tableNames);
    const blocks = this.doc.blocks;
    const caches: Cached[] = new Array<Cached>(blocks.length);
    let total = 0;
    for (let b = 0; b < blocks.length; b++) {
      const block = blocks[b]!;
      let c = this.cache.get(block);
      if (!c || c.thresholds !== key || changes.all || dirty?.has(block) || (changes.fallback && c.fallback) || (changes.dockerLoop && c.dockerLoop) || !this.refresh(c, block, index, changes)) {
        c = fresh(block, index, t, key);
        this.cache.set(block, c);
      }
      caches[b] = c;
      total += c.findings.length;
    }
    // Document-level findings are few and cheap (one per file line), and their related lines
    // move with every shift, so they are recomputed each time.
    const documentFindings = diagnoseDocument(index, t);
    // One array of the final size (appending hundreds of thousands of findings one by one is several times slower).
    const out: Finding[] = new Array<Finding>(total + documentFindings.length);
    let k = 0;
    for (const c of caches) {
      const fs = c.findings;
      for (let i = 0; i < fs.length; i++) out[k++] = fs[i]!;
    }
    for (const f of documentFindings) out[k++] = f;
    return out;
  }

  /**
   * Brings a cached segment's findings up to date with moves: its own (a shift of
   * every line) and its linked tables'. False when a link's table is gone (diagnose afresh).
   */
  private refresh(c: Cached, block: ParsedBlock, index: DocumentIndex, changes: DocumentChanges): boolean {
    const delta = block.start - c.start;
    const tables = c.tables;
    let checkLinks = false;
    if (tables) for (const r of changes.touched) if (r.from <= c.linkedUpTo && c.linkedFrom < r.to) checkLinks = true;
    if (delta === 0 && !checkLinks) return true;
    let moved = delta !== 0;
    if (!moved && tables) {
      for (let i = 0; i < tables.length && !moved; i++) {
        const loc = tables[i];
        if (loc && (loc.block.dead || docLine(loc) !== c.findings[i]!.related![0]!.range.start.line)) moved = true;
      }
    }
    if (!moved) return true;
    const findings = c.findings;
    const next: Finding[] = new Array<Finding>(findings.length);
    let linkedFrom = -1;
    let linkedUpTo = -1;
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i]!;
      let loc = tables?.[i];
      if (loc?.block.dead) {
        loc = index.poolTables.get(loc.fact.name!);
        if (!loc) return false;
        tables![i] = loc;
      }
      if (loc) {
        const line = docLine(loc);
        if (line > linkedUpTo) linkedUpTo = line;
        if (linkedFrom < 0 || line < linkedFrom) linkedFrom = line;
      }
      if (delta === 0 && (!loc || f.related![0]!.range.start.line === docLine(loc))) {
        next[i] = f;
        continue;
      }
      const r = f.range;
      const range = delta === 0 ? r : { start: { line: r.start.line + delta, character: r.start.character }, end: { line: r.end.line + delta, character: r.end.character } };
      next[i] = loc ? { code: f.code, severity: f.severity, message: f.message, range, related: relatedTo(loc) } : { code: f.code, severity: f.severity, message: f.message, range };
    }
    c.findings = next;
    c.start = block.start;
    c.linkedFrom = linkedFrom;
    c.linkedUpTo = linkedUpTo;
    return true;
  }
}

function fresh(block: ParsedBlock, index: DocumentIndex, t: Thresholds, key: string): Cached {
  const d = diagnoseSegment(block, index, t);
  let linkedFrom = -1;
  let linkedUpTo = -1;
  if (d.tables) {
    for (const loc of d.tables) {
      if (loc) {
        const line = docLine(loc);
        if (line > linkedUpTo) linkedUpTo = line;
        if (linkedFrom < 0 || line < linkedFrom) linkedFrom = line;
      }
    }
  }
  return { thresholds: key, start: block.start, findings: d.findings, tables: d.tables, linkedFrom, linkedUpTo, fallback: d.fallback, dockerLoop: d.dockerLoop };
}

/** Segments with a status line of one of `names` (their findings read those pools' tables). */
function dependents(index: DocumentIndex, names: ReadonlySet<string>): Set<ParsedBlock> | undefined {
  if (names.size === 0) return undefined;
  const out = new Set<ParsedBlock>();
  const statuses = index.poolStatuses;
  if (names.size <= 4) {
    const list = [...names];
    for (const l of statuses) {
      const n = l.fact.name;
      if (n === undefined) continue;
      for (const x of list) {
        if (n === x) {
          out.add(l.block);
          break;
        }
      }
    }
  } else {
    for (const l of statuses) if (l.fact.name !== undefined && names.has(l.fact.name)) out.add(l.block);
  }
  return out;
}
