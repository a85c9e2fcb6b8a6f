import type { Range } from './position.js';
import { splitLines } from './lines.js';

/** What an edit did to the line array: lines [start, start+removed) became [start, start+inserted). */
export interface LineSplice {
  start: number;
  removed: number;
  inserted: number;
}

/**
 * The lines of a document, updated in place by incremental edits.
 * Applying an edit costs O(lines touched) plus one array splice, so a one-line
 * change in a 300 000-line document never re-splits the whole text.
 */
export class LineBuffer {
  private lines: string[];

  constructor(text: string) {
    this.lines = splitLines(text);
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
    this.lines = splitLines(text);
    return { start: 0, removed, inserted: this.lines.length };
  }

  /**
   * Applies one LSP-style content change. Positions past the end are clamped,
   * as VS Code's own TextDocument does, so a malformed change cannot throw.
   */
  applyEdit(range: Range, text: string): LineSplice {
    const last = this.lines.length - 1;
    const startLine = clamp(range.start.line, 0, last);
    const endLine = clamp(range.end.line, startLine, last);
    const head = this.lines[startLine]!;
    const tail = this.lines[endLine]!;
    const startChar = clamp(range.start.character, 0, head.length);
    const endChar = startLine === endLine ? clamp(range.end.character, startChar, tail.length) : clamp(range.end.character, 0, tail.length);
    const replacement = splitLines(head.slice(0, startChar) + text + tail.slice(endChar));
    const removed = endLine - startLine + 1;
    if (replacement.length < 10_000) {
      this.lines.splice(startLine, removed, ...replacement);
    } else {
      // Spreading a huge paste into splice() would overflow the call stack.
      this.lines = this.lines.slice(0, startLine).concat(replacement, this.lines.slice(endLine + 1));
    }
    return { start: startLine, removed, inserted: replacement.length };
  }

  text(eol = '\n'): string {
    return this.lines.join(eol);
  }
}

function clamp(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return min;
  return Math.min(Math.max(Math.trunc(value), min), max);
}
