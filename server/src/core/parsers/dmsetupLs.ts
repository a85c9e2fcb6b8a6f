import type { DmLsLine, DmTreeLine, Token } from '../transcript/lineTypes.js';
import { parenDevno } from './numbers.js';

/**
 * `dmsetup ls`: `<name>\t(<maj>:<min>)`; before lvm2 2.02.91 and with
 * `--target`, `(<maj>, <min>)`; with `-o blkdevname`, `(dm-N)` (devicemapper.md §3.7).
 * Pasted terminals often turn the TAB into spaces, so inside a `dmsetup ls`
 * block spaces are accepted too; elsewhere the TAB is required.
 */
const LS_TAB = /^(\S[^\t]*?)\t\((?:(\d{1,10})(:|, ?)(\d{1,10})|(dm-\d+))\)\s*$/;
const LS_SPACES = /^(\S+)\s+\((?:(\d{1,10})(:|, ?)(\d{1,10})|(dm-\d+))\)\s*$/;

export function parseDmLs(line: string, inLsBlock: boolean): DmLsLine | undefined {
  const m = LS_TAB.exec(line) ?? (inLsBlock ? LS_SPACES.exec(line) : null);
  if (!m) return undefined;
  const name = m[1]!;
  const tokens: Token[] = [{ start: 0, end: name.length, role: 'ls.name', text: name }];
  const open = line.indexOf('(', name.length);
  const close = line.indexOf(')', open);
  if (m[5]) {
    tokens.push({ start: open, end: close + 1, role: 'devno', text: line.slice(open, close + 1) });
    return { kind: 'dm-ls', name, blkdevname: m[5], oldFormat: false, tokens };
  }
  const devno = { major: Number(m[2]), minor: Number(m[4]), span: { start: open, end: close + 1 } };
  tokens.push({ ...devno.span, role: 'devno', text: line.slice(open, close + 1) });
  return { kind: 'dm-ls', name, devno, oldFormat: m[3] !== ':', tokens };
}

/**
 * `dmsetup ls --tree`: one root per top-level device, children indented with
 * UTF-8 (`├─ └─ │`) or ASCII (`|- \`- |`) connectors; non-dm leaves have an
 * empty name: ` (7:0)`.
 */
const TREE = /^((?:[├└][─-]|[|`]-|[ │|])*)([^\s(<][^\s]*)?(?: <[\w-]{1,32}>)? ?\((\d{1,10}):(\d{1,10})\)(?:\s.*)?$/;

export function parseDmTree(line: string): DmTreeLine | undefined {
  if (line.includes('\t')) return undefined;
  const m = TREE.exec(line);
  if (!m) return undefined;
  const prefix = m[1]!;
  const name = m[2] ?? '';
  const devno = parenDevno(line, prefix.length + name.length);
  if (!devno) return undefined;
  const tokens: Token[] = [];
  if (name) tokens.push({ start: prefix.length, end: prefix.length + name.length, role: 'ls.name', text: name });
  tokens.push({ ...devno.span, role: 'devno', text: line.slice(devno.span.start, devno.span.end) });
  // Each level is one space plus a two-character connector; the space before "(" of a nameless leaf is not a level.
  return { kind: 'dm-tree', depth: Math.ceil(prefix.trimEnd().length / 3), name, devno, tokens };
}
