import type { Range } from '../text/position.js';
import { LineBuffer } from '../text/lineBuffer.js';
import { isPromptLine } from '../parsers/prompt.js';
import type { ParsedLine, PromptLine } from './lineTypes.js';
import { parseBlock, MAX_PARSED_LINE, type ParsedBlock } from './parseBlock.js';
import { sameFacts } from './facts.js';
import { buildIndex, patchIndex, type DocumentIndex } from './documentIndex.js';

/** A content change as LSP sends it: a range replacement, or (no range) the whole text. */
export interface ContentChange {
  range?: Range;
  text: string;
}

/**
 * What changed since a given point, for caches of findings (TranscriptDiagnostics):
 * everything, or the pools whose table changed, the fallback table, the docker
 * loop file, and the first line from which tables may have moved or been re-parsed.
 */
export interface DocumentChanges {
  all: boolean;
  tableNames: ReadonlySet<string>;
  fallback: boolean;
  dockerLoop: boolean;
  /** Line ranges [from, to) where tables may have moved or been replaced (to is Infinity after a shift). */
  touched: readonly { from: number; to: number }[];
}

interface ChangeRecord {
  seq: number;
  all: boolean;
  tableNames: readonly string[];
  fallback: boolean;
  dockerLoop: boolean;
  touched?: { from: number; to: number };
}

/** How many edits the change log remembers; a cache further behind starts over. */
const MAX_CHANGE_RECORDS = 256;

/**
 * A parsed dm-thin transcript that updates incrementally. The document is cut
 * into segments (see ParsedBlock); an edit re-parses only the segments it
 * touches — plus the rest of a command block whose prompt line changed — and
 * patches the document index with what those segments say.
 */
export class TranscriptDocument {
  private readonly buffer: LineBuffer;
  private segments: ParsedBlock[] = [];
  private cachedIndex: DocumentIndex | undefined;
  /** Incremented whenever some segment's facts changed. */
  indexVersion = 0;
  private changeSeq = 0;
  private changeLog: ChangeRecord[] = [];

  constructor(text: string) {
    this.buffer = new LineBuffer(text);
    this.segments = this.parseRange(0, this.buffer.lineCount, undefined);
  }

  get lineCount(): number {
    return this.buffer.lineCount;
  }

  get blocks(): readonly ParsedBlock[] {
    return this.segments;
  }

  lineText(line: number): string {
    return this.buffer.line(line);
  }

  get index(): DocumentIndex {
    this.cachedIndex ??= buildIndex(this.segments);
    return this.cachedIndex;
  }

  /** The segment holding `line` (binary search). */
  segmentAt(line: number): ParsedBlock | undefined {
    const seg = this.segments[this.indexOfSegment(line)];
    return seg && line >= seg.start && line < seg.start + seg.lineCount ? seg : undefined;
  }

  /** The full model of one line (re-parsed on demand: see ParsedBlock.line). */
  lineAt(line: number): ParsedLine | undefined {
    const seg = this.segmentAt(line);
    return seg?.line(line - seg.start);
  }

  /** The number of the latest change (see changesSince). */
  get changeNumber(): number {
    return this.changeSeq;
  }

  /** What changed after change number `since` (everything when that is too far back). */
  changesSince(since: number): DocumentChanges {
    const touched: { from: number; to: number }[] = [];
    const out = { all: false, tableNames: new Set<string>(), fallback: false, dockerLoop: false, touched };
    if (since >= this.changeSeq) return out;
    const log = this.changeLog;
    if (log.length === 0 || log[0]!.seq > since + 1) {
      out.all = true;
      return out;
    }
    for (const r of log) {
      if (r.seq <= since) continue;
      if (r.all) out.all = true;
      for (const n of r.tableNames) out.tableNames.add(n);
      if (r.fallback) out.fallback = true;
      if (r.dockerLoop) out.dockerLoop = true;
      if (r.touched) touched.push(r.touched);
    }
    return out;
  }

  /** Applies LSP content changes in order. Returns the segments that were re-parsed. */
  update(changes: readonly ContentChange[]): ParsedBlock[] {
    const changed: ParsedBlock[] = [];
    for (const change of changes) {
      if (!change.range) {
        for (const s of this.segments) s.dead = true;
        this.buffer.reset(change.text);
        this.segments = this.parseRange(0, this.buffer.lineCount, undefined);
        this.cachedIndex = undefined;
        this.indexVersion++;
        this.log({ all: true, tableNames: [], fallback: true, dockerLoop: true, touched: { from: 0, to: Infinity } });
        for (const s of this.segments) changed.push(s);
        continue;
      }
      for (const s of this.applyOne(change.range, change.text)) changed.push(s);
    }
    return changed;
  }

  private log(r: Omit<ChangeRecord, 'seq'>): void {
    this.changeLog.push({ seq: ++this.changeSeq, ...r });
    if (this.changeLog.length > MAX_CHANGE_RECORDS) this.changeLog.splice(0, this.changeLog.length - MAX_CHANGE_RECORDS);
  }

  private applyOne(range: Range, text: string): ParsedBlock[] {
    const splice = this.buffer.applyEdit(range, text);
    const delta = splice.inserted - splice.removed;
    const segs = this.segments;
    // First affected segment: the one holding the edit's first line; one earlier when the edit
    // touches a segment's first line, because that line may stop being a boundary.
    let first = this.indexOfSegment(splice.start);
    if (first > 0 && segs[first]!.start === splice.start) first--;
    // Segments that start after the removed lines are untouched (only shifted).
    let last = this.indexOfSegment(splice.start + splice.removed - 1);
    let regionEnd = segEnd(segs, last) + delta; // in new coordinates
    // The line after the region may stop starting a segment (e.g. a blank line was filled in), so
    // the following segment is re-split too.
    if (last + 1 < segs.length) {
      last++;
      regionEnd = segEnd(segs, last) + delta;
    }
    const regionStart = segs[first]!.start;
    const inherited = first > 0 ? segs[first - 1]!.prompt : undefined;
    const fresh = this.parseRange(regionStart, regionEnd, inherited);
    // A prompt change inside the region changes how the rest of its command block reads.
    let tail = last + 1;
    let context = fresh.length > 0 ? fresh[fresh.length - 1]!.prompt : inherited;
    while (tail < segs.length && !segs[tail]!.ownsPrompt && segs[tail]!.prompt !== context && !samePrompt(segs[tail]!.prompt, context)) {
      const s = segs[tail]!;
      const start = s.start + delta;
      const redone = parseBlock(this.buffer.slice(start, start + s.lineCount), start, context);
      fresh.push(redone);
      context = redone.prompt;
      tail++;
    }
    const old = segs.slice(first, tail);
    let same = old.length === fresh.length;
    for (let k = 0; same && k < old.length; k++) same = sameFacts(old[k]!.facts, fresh[k]!.facts);
    if (!same) this.indexVersion++;
    let hadTables = false;
    for (const s of old) {
      s.dead = true;
      if (s.facts.poolTables.length > 0) hadTables = true;
    }
    for (const s of fresh) if (s.facts.poolTables.length > 0) hadTables = true;
    if (delta !== 0) for (let i = tail; i < segs.length; i++) segs[i]!.start += delta;
    this.segments = spliceArray(segs, first, tail - first, fresh);
    // Tables moved from the region on (a shift), or were replaced inside it.
    const touched = delta !== 0 ? { from: regionStart, to: Infinity } : hadTables ? { from: regionStart, to: segEnd(fresh, fresh.length - 1) } : undefined;
    if (this.cachedIndex) {
      const c = patchIndex(this.cachedIndex, this.segments, first, old, fresh);
      this.log({ all: false, tableNames: c.tableNames, fallback: c.fallback, dockerLoop: c.dockerLoop, touched });
    } else {
      // Nothing can have been derived from an index that was never built.
      this.log({ all: true, tableNames: [], fallback: true, dockerLoop: true, touched: { from: 0, to: Infinity } });
    }
    return fresh;
  }

  /** Index of the last segment starting at or before `line` (binary search). */
  private indexOfSegment(line: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid]!.start <= line) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Splits lines [from, to) into segments and parses them. */
  private parseRange(from: number, to: number, inherited: PromptLine | undefined): ParsedBlock[] {
    const out: ParsedBlock[] = [];
    const lines = this.buffer.all();
    let segStart = from;
    let prompt = inherited;
    let prevBlank = false;
    for (let i = from; i < to; i++) {
      const line = lines[i]!;
      const blank = isBlank(line);
      if (i > segStart && !blank && (prevBlank || (line.length <= MAX_PARSED_LINE && isPromptLine(line)))) {
        const seg = parseBlock(lines.slice(segStart, i), segStart, prompt);
        prompt = seg.prompt;
        out.push(seg);
        segStart = i;
      }
      prevBlank = blank;
    }
    if (to > segStart) out.push(parseBlock(lines.slice(segStart, to), segStart, prompt));
    if (out.length === 0) out.push(parseBlock([this.buffer.line(from)], from, inherited));
    return out;
  }
}

/** Blank for segmenting: only spaces and tabs. */
function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function segEnd(segs: readonly ParsedBlock[], i: number): number {
  const s = segs[i]!;
  return s.start + s.lineCount;
}

function samePrompt(a: PromptLine | undefined, b: PromptLine | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.argv.join('\u0000') === b.argv.join('\u0000'));
}

function spliceArray<T>(arr: T[], start: number, remove: number, insert: T[]): T[] {
  if (insert.length < 10_000) {
    arr.splice(start, remove, ...insert);
    return arr;
  }
  return arr.slice(0, start).concat(insert, arr.slice(start + remove));
}
