import type { Range } from './position.js';

/** What an edit did to the line array: lines [start, start+removed) became [start, start+inserted). */
export interface LineSplice {
  start: number;
  removed: number;
  inserted: number;
}

const BREAK = /\r\n|\r|\n/g;

/** Splits text into lines and the break after each line (the last line has none). */
function split(text: string): { lines: string[]; breaks: string[] } {
  const lines: string[] = [];
  if (text.indexOf('\r') < 0) {
    // The common case, LF only: indexOf runs natively and no match objects are made.
    const breaks: string[] = [];
    let from = 0;
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', from)) {
      lines.push(text.slice(from, at));
      breaks.push('\n');
      from = at + 1;
    }
    lines.push(text.slice(from));
    return { lines, breaks };
  }
  const breaks: string[] = [];
  let from = 0;
  BREAK.lastIndex = 0;
  for (let m = BREAK.exec(text); m; m = BREAK.exec(text)) {
    lines.push(text.slice(from, m.index));
    breaks.push(m[0]);
    from = m.index + m[0].length;
  }
  lines.push(text.slice(from));
  return { lines, breaks };
}

/**
 * The lines of a document, updated in place by incremental edits.
 * Applying an edit costs O(lines touched) plus one array splice, so a one-line
 * change in a 300 000-line document never re-splits the whole text. Line breaks
 * are kept per line, so a CR typed before an LF joins it into one CRLF break,
 * as in the editor.
 */
export class LineBuffer {
  private lines: string[];
  private breaks: string[];

  constructor(text: string) {
    ({ lines: this.lines, breaks: this.breaks } = split(text));
  }

  get lineCount(): number {
    return this.lines.length;
  }

  line(index: number): string {
    return this.lines[index] ?? '';
  }

  slice(start: number, end: number): string[] {
    return this.lines.slice(start, end);
  }

  all(): readonly string[] {
    return this.lines;
  }

  /** Replaces the whole content. */
  reset(text: string): LineSplice {
    const removed = this.lines.length;
    ({ lines: this.lines, breaks: this.breaks } = split(text));
    return { start: 0, removed, inserted: this.lines.length };
  }

  /**
   * Applies one LSP-style content change. Positions past the end are clamped,
   * as VS Code's own TextDocument does, so a malformed change cannot throw.
   * The neighbouring line on each side is re-split with the edit, because a CR
   * and an LF on either side of the edit may now form one break.
   */
  applyEdit(range: Range, text: string): LineSplice {
    const last = this.lines.length - 1;
    const startLine = clamp(range.start.line, 0, last);
    const endLine = clamp(range.end.line, startLine, last);
    const head = this.lines[startLine]!;
    const tail = this.lines[endLine]!;
    const startChar = clamp(range.start.character, 0, head.length);
    const endChar = startLine === endLine ? clamp(range.end.character, startChar, tail.length) : clamp(range.end.character, 0, tail.length);
    const from = startLine > 0 ? startLine - 1 : startLine;
    const to = endLine < last ? endLine + 1 : endLine;
    const before = from < startLine ? this.lines[from]! + this.breaks[from]! : '';
    const after = to > endLine ? this.breaks[endLine]! + this.lines[to]! : '';
    const region = split(before + head.slice(0, startChar) + text + tail.slice(endChar) + after);
    const removed = to - from + 1;
    // The break after the region is unchanged: it belonged to line `to`.
    const tailBreak = this.breaks[to];
    if (tailBreak !== undefined) region.breaks.push(tailBreak);
    this.lines = spliceInto(this.lines, from, removed, region.lines);
    this.breaks = spliceInto(this.breaks, from, tailBreak !== undefined ? removed : removed - 1, region.breaks);
    return { start: from, removed, inserted: region.lines.length };
  }

  text(): string {
    let out = '';
    for (let i = 0; i < this.lines.length; i++) out += this.lines[i]! + (this.breaks[i] ?? '');
    return out;
  }
}

function spliceInto<T>(arr: T[], start: number, remove: number, insert: T[]): T[] {
  if (insert.length < 10_000) {
    arr.splice(start, remove, ...insert);
    return arr;
  }
  // Spreading a huge paste into splice() would overflow the call stack.
  return arr.slice(0, start).concat(insert, arr.slice(start + remove));
}

function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(Math.max(Math.trunc(value), min), max);
}
