import type { ColumnsHeader, ColumnsRow, Token } from '../transcript/lineTypes.js';
import { words } from '../text/words.js';

/**
 * Column reports (`dmsetup info -c`, `losetup -l`, `lsblk`, `lvs`). Headings
 * are recognised by their names; cells are assigned to the heading they overlap
 * most, which handles both left- and right-aligned columns and empty cells.
 */
const HEADINGS: Record<ColumnsHeader['table'], { required: string[]; known: string[] }> = {
  'dmsetup-info': { required: ['Name', 'Maj', 'Min'], known: ['Name', 'Maj', 'Min', 'Stat', 'Open', 'Targ', 'Event', 'UUID', 'BlkDevName', 'DevNo', 'DevNosUsed', 'DevNamesUsed', 'Suspended', 'Tables', 'RAhead', 'RefCnt', 'Subsys', 'VG', 'LV', 'LVLayer'] },
  losetup: { required: ['NAME', 'BACK-FILE'], known: ['NAME', 'SIZELIMIT', 'OFFSET', 'AUTOCLEAR', 'RO', 'BACK-FILE', 'DIO', 'LOG-SEC', 'BACK-INO', 'BACK-MAJ:MIN', 'MAJ:MIN', 'PARTSCAN', 'REF'] },
  lsblk: { required: ['NAME', 'DISC-MAX'], known: ['NAME', 'KNAME', 'TYPE', 'SIZE', 'MAJ:MIN', 'RM', 'RO', 'DISC-ALN', 'DISC-GRAN', 'DISC-MAX', 'DISC-ZERO', 'MOUNTPOINT', 'MOUNTPOINTS', 'FSTYPE'] },
  lvs: { required: ['LV', 'VG', 'Attr'], known: ['LV', 'VG', 'Attr', 'LSize', 'Pool', 'Origin', 'Data%', 'Meta%', 'Move', 'Log', 'Cpy%Sync', 'Convert', '#Thins', 'Mon', 'Health', 'Discards'] },
};

export function parseColumnsHeader(line: string): ColumnsHeader | undefined {
  const ws = words(line);
  if (ws.length < 3) return undefined;
  const names = new Set(ws.map((w) => w.text));
  for (const table of Object.keys(HEADINGS) as ColumnsHeader['table'][]) {
    const spec = HEADINGS[table];
    if (!spec.required.every((r) => names.has(r))) continue;
    const knownCount = ws.filter((w) => spec.known.includes(w.text)).length;
    if (knownCount < ws.length - 1) continue;
    const tokens: Token[] = ws.map((w) => ({ start: w.start, end: w.end, role: 'column.header', text: w.text }));
    return { kind: 'columns-header', table, columns: ws.map((w) => ({ name: w.text, start: w.start, end: w.end })), tokens };
  }
  return undefined;
}

/** Columns whose values may contain spaces; the columns around them hold single words. */
const FREE_TEXT: Partial<Record<ColumnsHeader['table'], string>> = { losetup: 'BACK-FILE' };

export function parseColumnsRow(line: string, header: ColumnsHeader): ColumnsRow | undefined {
  const ws = words(line);
  if (ws.length === 0) return undefined;
  const cols = header.columns;
  const free = FREE_TEXT[header.table];
  const freeIndex = free ? cols.findIndex((c) => c.name === free) : -1;
  if (freeIndex >= 0 && ws.length >= cols.length) {
    const after = cols.length - freeIndex - 1;
    const cells = new Map<string, { text: string; span: { start: number; end: number } }>();
    ws.slice(0, freeIndex).forEach((w, i) => cells.set(cols[i]!.name, { text: w.text, span: { start: w.start, end: w.end } }));
    const middle = ws.slice(freeIndex, ws.length - after);
    const first = middle[0]!;
    const last = middle[middle.length - 1]!;
    cells.set(free!, { text: line.slice(first.start, last.end), span: { start: first.start, end: last.end } });
    ws.slice(ws.length - after).forEach((w, i) => cells.set(cols[freeIndex + 1 + i]!.name, { text: w.text, span: { start: w.start, end: w.end } }));
    const tokens: Token[] = [...cells.values()].map((c) => ({ ...c.span, role: 'column.value', text: c.text }));
    return { kind: 'columns-row', table: header.table, cells, tokens };
  }
  const cells = new Map<string, { text: string; span: { start: number; end: number } }>();
  const tokens: Token[] = [];
  const lastCol = cols[cols.length - 1]!;
  for (const w of ws) {
    let best = -1;
    let bestScore = -Infinity;
    cols.forEach((c, i) => {
      const overlap = Math.min(c.end, w.end) - Math.max(c.start, w.start);
      const score = overlap > 0 ? overlap : -Math.min(Math.abs(c.start - w.start), Math.abs(c.end - w.end));
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    // A word past the last heading (e.g. a long UUID or a path with spaces) belongs to the last column.
    if (w.start >= lastCol.end && bestScore <= 0) best = cols.length - 1;
    const name = cols[best]!.name;
    const prev = cells.get(name);
    if (prev) {
      prev.text = line.slice(prev.span.start, w.end);
      prev.span = { start: prev.span.start, end: w.end };
    } else {
      cells.set(name, { text: w.text, span: { start: w.start, end: w.end } });
    }
  }
  for (const [, cell] of cells) tokens.push({ ...cell.span, role: 'column.value', text: cell.text });
  return { kind: 'columns-row', table: header.table, cells, tokens };
}
