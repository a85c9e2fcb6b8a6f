/**
 * Offsets → LSP positions (0-based lines, UTF-16 characters; CRLF, LF and CR end
 * a line, as everywhere in the core), and the map from a JSON string's decoded
 * characters back to its source, so a range can cover exactly the key or the
 * value inside `"dm.key=value"` even when the string uses escapes.
 */
import type { Node } from 'jsonc-parser';
import type { Position, Range } from '../text/position.js';

export class TextMap {
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      } else if (c === 10) {
        this.lineStarts.push(i + 1);
      }
    }
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.lineStarts[lo]! };
  }

  /** The offset of an LSP position; positions past a line's end clamp to it, past the last line to the text's end. */
  offsetAt(p: Position): number {
    if (p.line < 0) return 0;
    if (p.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[p.line]!;
    const next = p.line + 1 < this.lineStarts.length ? this.lineStarts[p.line + 1]! : this.text.length;
    let end = next;
    // Stop before the line break so a position past the end stays on its line.
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return Math.min(start + Math.max(0, p.character), end);
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(Math.max(start, end)) };
  }

  nodeRange(node: Node): Range {
    return this.range(node.offset, node.offset + node.length);
  }

  /** The whitespace before the first non-blank character of the line holding `offset`. */
  indentAt(offset: number): string {
    const line = this.positionAt(offset).line;
    const start = this.lineStarts[line]!;
    const m = /^[ \t]*/.exec(this.text.slice(start, Math.min(this.text.length, start + 200)));
    return m ? m[0] : '';
  }

  lineOf(offset: number): number {
    return this.positionAt(offset).line;
  }
}

/** A decoded JSON string and where each of its UTF-16 code units comes from. */
export interface StringMap {
  /** The decoded value (JSON escapes resolved). */
  value: string;
  /** Source offset of each code unit of `value`. */
  starts: number[];
  /** Source offset just after the last character (before the closing quote). */
  contentEnd: number;
  contentStart: number;
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Decodes the string token at `offset` (its opening quote) and maps it to the source. */
export function mapString(text: string, node: Node): StringMap {
  const limit = node.offset + node.length;
  const contentStart = node.offset + 1;
  let i = contentStart;
  let value = '';
  const starts: number[] = [];
  while (i < limit) {
    const ch = text[i]!;
    if (ch === '"') break;
    if (ch === '\\' && i + 1 < limit) {
      const e = text[i + 1]!;
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
        starts.push(i);
        value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      starts.push(i);
      value += SIMPLE_ESCAPES[e] ?? e;
      i += 2;
      continue;
    }
    starts.push(i);
    value += ch;
    i++;
  }
  return { value, starts, contentEnd: i, contentStart };
}

/** Source offsets of decoded code units [a, b). */
export function sourceSpan(m: StringMap, a: number, b: number): { start: number; end: number } {
  const start = a < m.starts.length ? m.starts[a]! : m.contentEnd;
  const end = b < m.starts.length ? m.starts[b]! : m.contentEnd;
  return { start, end: Math.max(start, end) };
}

/** What Go's JSON decoder makes of a decoded string: lone surrogates become U+FFFD. */
export function goString(s: string): string {
  return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** JSON string literal for an edit (keeps non-ASCII as is). */
export function jsonString(s: string): string {
  return JSON.stringify(s);
}

/** The content of a JSON string literal (no quotes), for edits inside a string. */
export function jsonStringContent(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}
