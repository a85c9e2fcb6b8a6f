import type { FileSizeLine, Token } from '../transcript/lineTypes.js';
import { parseCoreutilsSize } from '../text/units.js';

/**
 * `ls -l[s][h]`, `du [-h] [--apparent-size]`, `stat -c '%s %b %B'`
 * (devicemapper.md §6.4): the allocated size (what the file occupies) versus
 * the apparent size (its logical length).
 */
const DATE = String.raw`(?:[A-Z][a-z]{2}\s+\d{1,2}\s+(?:\d{1,2}:\d{2}|\d{4})|\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: [+-]\d{4})?)?)`;
const LS = new RegExp(String.raw`^\s*(?:(\d+(?:[.,]\d+)?[KMGTPE]?)\s+)?([-dlcbps][rwxsStT-]{9}[.+@]?)\s+\d+\s+\S+\s+\S+\s+(\d+(?:[.,]\d+)?[KMGTPE]?|\d+,\s*\d+)\s+${DATE}\s+(.+)$`);

export interface SizeFlags {
  /** `-h`/`--human-readable` was given, or the numbers carry unit letters. */
  human: boolean;
  /** `ls -s` block size in bytes (coreutils default 1024). */
  blockBytes: number;
}

export function parseLsLine(raw: string): FileSizeLine | undefined {
  const line = raw.trimEnd();
  const m = LS.exec(line);
  if (!m) return undefined;
  const tokens: Token[] = [];
  const out: FileSizeLine = { kind: 'file-size', tool: 'ls', tokens };
  const path = m[4]!.replace(/ -> .*$/, '');
  const pathStart = line.lastIndexOf(m[4]!);
  out.path = path;
  if (m[1]) {
    const start = line.indexOf(m[1]);
    out.allocated = sizeOf(m[1], 1024);
    tokens.push({ start, end: start + m[1].length, role: 'file.allocated', text: m[1] });
  }
  if (!m[3]!.includes(',')) {
    const permEnd = line.indexOf(m[2]!) + m[2]!.length;
    const start = line.indexOf(m[3]!, permEnd + 1);
    const sizeStart = findSizeColumn(line, m[3]!, permEnd, pathStart);
    out.apparent = sizeOf(m[3]!, 1);
    tokens.push({ start: sizeStart >= 0 ? sizeStart : start, end: (sizeStart >= 0 ? sizeStart : start) + m[3]!.length, role: 'file.apparent', text: m[3]! });
  }
  tokens.push({ start: pathStart, end: pathStart + path.length, role: 'file.path', text: path });
  return out;
}

/** The size column is the last occurrence of the size text before the date; searching from the right avoids matching the link count. */
function findSizeColumn(line: string, size: string, from: number, to: number): number {
  const re = new RegExp(String.raw`\s${size.replace(/[.]/g, '\\.')}\s+${DATE}`, 'g');
  re.lastIndex = from;
  const m = re.exec(line);
  return m && m.index < to ? m.index + 1 : -1;
}

/** A number with an optional coreutils suffix; a bare number counts in `unit` bytes. */
function sizeOf(text: string, unit: number): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) * unit;
  return parseCoreutilsSize(text);
}

const DU = /^(\d+(?:[.,]\d+)?[KMGTPE]?)\t(.+)$/;

/** `du` prints `<size>\t<path>`; `--apparent-size`/`-b` switch it to the apparent size. */
export function parseDuLine(raw: string, apparent: boolean, human: boolean, bytes: boolean): FileSizeLine | undefined {
  const line = raw.trimEnd();
  const m = DU.exec(line);
  if (!m) return undefined;
  const value = /^\d+$/.test(m[1]!) ? Number(m[1]) * (bytes ? 1 : human ? 1 : 1024) : parseCoreutilsSize(m[1]!);
  const pathStart = m[1]!.length + 1;
  const out: FileSizeLine = {
    kind: 'file-size',
    tool: 'du',
    path: m[2],
    tokens: [
      { start: 0, end: m[1]!.length, role: apparent ? 'file.apparent' : 'file.allocated', text: m[1]! },
      { start: pathStart, end: pathStart + m[2]!.length, role: 'file.path', text: m[2]! },
    ],
  };
  if (apparent) out.apparent = value;
  else out.allocated = value;
  return out;
}

/** `stat -c '%s %b %B' <file>` → apparent bytes, allocated blocks, bytes per block; optionally followed by the name (`%n`). */
const STAT = /^(\d{1,20}) (\d{1,20}) (\d{1,6})(?: (.+))?$/;

export function parseStatLine(raw: string, fileArg: string | undefined): FileSizeLine | undefined {
  const line = raw.trimEnd();
  const m = STAT.exec(line);
  if (!m) return undefined;
  const s = m[1]!;
  const bStart = s.length + 1;
  const b = m[2]!;
  const BStart = bStart + b.length + 1;
  const tokens: Token[] = [
    { start: 0, end: s.length, role: 'file.apparent', text: s },
    { start: bStart, end: BStart + m[3]!.length, role: 'file.allocated', text: `${b} ${m[3]}` },
  ];
  const path = m[4] ?? fileArg;
  if (m[4]) tokens.push({ start: BStart + m[3]!.length + 1, end: line.trimEnd().length, role: 'file.path', text: m[4] });
  return { kind: 'file-size', tool: 'stat', path, apparent: Number(s), allocated: Number(b) * Number(m[3]), tokens };
}
