import type { DevNo, Num } from '../transcript/lineTypes.js';
import type { Word } from '../text/words.js';
import { parseUnsigned } from '../text/units.js';

export function num(w: Word | undefined): Num | undefined {
  if (!w) return undefined;
  const n = parseUnsigned(w.text);
  return n ? { value: n.value, exact: n.exact, span: { start: w.start, end: w.end } } : undefined;
}

/** `253:0` (table form) → DevNo. */
export function devno(w: Word | undefined): DevNo | undefined {
  if (!w) return undefined;
  const m = /^(\d{1,10}):(\d{1,10})$/.exec(w.text);
  return m ? { major: Number(m[1]), minor: Number(m[2]), span: { start: w.start, end: w.end } } : undefined;
}

/** Finds `(253:2)`, `(253, 2)` or `(7:0)` in a line, starting at `from`. */
export function parenDevno(line: string, from = 0): DevNo | undefined {
  const re = /\((\d{1,10})(?::|, ?)(\d{1,10})\)/g;
  re.lastIndex = from;
  const m = re.exec(line);
  return m ? { major: Number(m[1]), minor: Number(m[2]), span: { start: m.index, end: m.index + m[0].length } } : undefined;
}
