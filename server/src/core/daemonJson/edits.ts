/**
 * Text edits on daemon.json for quick fixes: remove a property or an array
 * element with its comma, insert an element or a property in the file's own
 * indentation style. All edits are computed on the original text.
 */
import type { Node } from 'jsonc-parser';
import type { TextEdit } from './types.js';
import type { TextMap } from './textMap.js';

export function replaceEdit(map: TextMap, start: number, end: number, newText: string): TextEdit {
  return { range: map.range(start, end), newText };
}

const indexCache = new WeakMap<Node, Map<Node, number>>();

/** Position of a child among its siblings (cached per parent: large arrays stay linear). */
function indexOfChild(parent: Node, child: Node): number {
  let m = indexCache.get(parent);
  if (!m) {
    m = new Map((parent.children ?? []).map((c, i) => [c, i] as const));
    indexCache.set(parent, m);
  }
  return m.get(child) ?? -1;
}

/** Removes a child (property or element) of an object/array node, comma included. */
export function removeChildEdit(map: TextMap, child: Node): TextEdit {
  const parent = child.parent;
  const siblings = parent?.children ?? [];
  const i = parent ? indexOfChild(parent, child) : -1;
  if (!parent || i < 0) return replaceEdit(map, child.offset, child.offset + child.length, '');
  const next = siblings[i + 1];
  const prev = siblings[i - 1];
  if (next) return replaceEdit(map, child.offset, next.offset, '');
  if (prev) return replaceEdit(map, prev.offset + prev.length, child.offset + child.length, '');
  // The only child: empty the container.
  return replaceEdit(map, parent.offset + 1, parent.offset + parent.length - 1, '');
}

/** Inserts `json` as a new element after `after` (an element of an array), in the array's layout. */
export function insertElementAfterEdit(map: TextMap, after: Node, json: string): TextEdit {
  const parent = after.parent;
  const multiline = parent !== undefined && map.lineOf(parent.offset) !== map.lineOf(after.offset);
  const at = after.offset + after.length;
  const sep = multiline ? `,\n${map.indentAt(after.offset)}` : ', ';
  return replaceEdit(map, at, at, `${sep}${json}`);
}

/** Inserts `json` as a new element before `before`. */
export function insertElementBeforeEdit(map: TextMap, before: Node, json: string): TextEdit {
  const parent = before.parent;
  const multiline = parent !== undefined && map.lineOf(parent.offset) !== map.lineOf(before.offset);
  const sep = multiline ? `,\n${map.indentAt(before.offset)}` : ', ';
  return replaceEdit(map, before.offset, before.offset, `${json}${sep}`);
}

/** Inserts `"key": value` as the first property of an object node. */
export function insertFirstPropertyEdit(map: TextMap, object: Node, key: string, json: string): TextEdit {
  const first = object.children?.[0];
  const prop = `${JSON.stringify(key)}: ${json}`;
  if (!first) return replaceEdit(map, object.offset + 1, object.offset + object.length - 1, prop);
  const multiline = map.lineOf(object.offset) !== map.lineOf(first.offset);
  const sep = multiline ? `,\n${map.indentAt(first.offset)}` : ', ';
  return replaceEdit(map, first.offset, first.offset, `${prop}${sep}`);
}

/** Drops edits that overlap an earlier one and sorts them (LSP requires non-overlapping edits). */
export function normaliseEdits(edits: TextEdit[]): TextEdit[] {
  const off = (p: { line: number; character: number }): number => p.line * 1e9 + p.character;
  const sorted = [...edits].sort((a, b) => off(a.range.start) - off(b.range.start) || off(a.range.end) - off(b.range.end));
  const out: TextEdit[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && off(e.range.start) < off(last.range.end)) continue;
    out.push(e);
  }
  return out;
}
