import type { Span } from './position.js';

export interface Word extends Span {
  text: string;
}

/** Splits at runs of spaces and tabs, keeping each word's offsets in the line. */
export function words(line: string, from = 0, to = line.length): Word[] {
  const out: Word[] = [];
  let i = from;
  while (i < to) {
    while (i < to && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 9)) i++;
    if (i >= to) break;
    const start = i;
    while (i < to && line.charCodeAt(i) !== 32 && line.charCodeAt(i) !== 9) i++;
    out.push({ start, end: i, text: line.slice(start, i) });
  }
  return out;
}
