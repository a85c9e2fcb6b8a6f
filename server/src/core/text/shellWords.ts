import type { Word } from './words.js';

/**
 * Splits a command line the way a POSIX shell would for simple commands:
 * whitespace separates words, '…' and "…" group (quotes removed), a backslash
 * escapes the next character. Spans cover the word as typed, quotes included.
 * Stops at an unquoted `|`, `;`, `&`, `<` or `>`: what follows is another command.
 */
export function shellWords(line: string, from = 0): Word[] {
  const out: Word[] = [];
  let i = from;
  const n = line.length;
  while (i < n) {
    while (i < n && (line[i] === ' ' || line[i] === '\t')) i++;
    if (i >= n || '|;&<>'.includes(line[i]!)) break;
    const start = i;
    let text = '';
    while (i < n && line[i] !== ' ' && line[i] !== '\t' && !'|;&<>'.includes(line[i]!)) {
      const c = line[i]!;
      if (c === "'" || c === '"') {
        const close = line.indexOf(c, i + 1);
        const end = close < 0 ? n : close;
        text += line.slice(i + 1, end);
        i = close < 0 ? n : close + 1;
      } else if (c === '\\' && i + 1 < n) {
        text += line[i + 1];
        i += 2;
      } else {
        text += c;
        i++;
      }
    }
    out.push({ start, end: i, text });
  }
  return out;
}

/** The inverse of `shellWords` for display: an argv as a shell would need it typed. */
export function quoteCommand(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
}
