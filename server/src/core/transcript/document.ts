import type { Range } from '../text/position.js';
import { LineBuffer } from '../text/lineBuffer.js';
import { isPromptLine } from '../parsers/prompt.js';
import type { ParsedLine, PromptLine } from './lineTypes.js';
import { parseBlock, MAX_PARSED_LINE, type ParsedBlock } from './parseBlock.js';
import { factsKey } from './facts.js';
import { buildIndex, moveEntries, type DocumentIndex } from './documentIndex.js';

/** A content change as LSP sends it: a range replacement, or (no range) the whole text. */
export interface ContentChange {
  range?: Range;
  text: string;
}

/**
 * A parsed dm-thin transcript that updates incrementally. The document is cut
 * into segments (see ParsedBlock); an edit re-parses only the segments it
 * touches — plus the rest of a command block whose prompt line changed — and
 * rebuilds the document index only when some segment's facts changed.
 */
export class TranscriptDocument {
  private readonly buffer: LineBuffer;
  private segments: ParsedBlock[] = [];
  private cachedIndex: DocumentIndex | undefined;
  /** Incremented whenever the document index may have changed. */
  indexVersion = 0;

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
    return seg && line >= seg.start && line < seg.start + seg.lines.length ? seg : undefined;
  }

  lineAt(line: number): ParsedLine | undefined {
    const seg = this.segmentAt(line);
    return seg?.lines[line - seg.start];
  }

  /** Applies LSP content changes in order. Returns the segments that were re-parsed. */
  update(changes: readonly ContentChange[]): ParsedBlock[] {
    const changed: ParsedBlock[] = [];
    for (const change of changes) {
      if (!change.range) {
        this.buffer.reset(change.text);
        this.segments = this.parseRange(0, this.buffer.lineCount, undefined);
        this.invalidateIndex();
        changed.push(...this.segments);
        continue;
      }
      changed.push(...this.applyOne(change.range, change.text));
    }
    return changed;
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
      const redone = parseBlock(this.buffer.slice(start, start + s.lines.length), start, context);
      fresh.push(redone);
      context = redone.prompt;
      tail++;
    }
    const old = segs.slice(first, tail);
    const sameFacts = old.length === fresh.length && old.every((s, k) => factsKey(s.facts) === factsKey(fresh[k]!.facts));
    if (!sameFacts) this.invalidateIndex();
    else if (this.cachedIndex) old.forEach((s, k) => moveEntries(this.cachedIndex!, s, fresh[k]!));
    for (let i = tail; i < segs.length; i++) segs[i]!.start += delta;
    this.segments = spliceArray(segs, first, tail - first, fresh);
    return fresh;
  }

  private invalidateIndex(): void {
    this.cachedIndex = undefined;
    this.indexVersion++;
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
    let segStart = from;
    let prompt = inherited;
    let prevBlank = false;
    const flush = (end: number): void => {
      if (end <= segStart) return;
      const seg = parseBlock(this.buffer.slice(segStart, end), segStart, prompt);
      prompt = seg.prompt;
      out.push(seg);
      segStart = end;
    };
    for (let i = from; i < to; i++) {
      const line = this.buffer.line(i);
      const blank = isBlank(line);
      if (i > segStart && !blank && (prevBlank || (line.length <= MAX_PARSED_LINE && isPromptLine(line)))) flush(i);
      prevBlank = blank;
    }
    flush(to);
    if (out.length === 0) out.push(parseBlock([this.buffer.line(from)], from, inherited));
    return out;
  }
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

function segEnd(segs: readonly ParsedBlock[], i: number): number {
  const s = segs[i]!;
  return s.start + s.lines.length;
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
