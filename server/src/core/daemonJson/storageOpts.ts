/**
 * `storage-opts` entries split the way dockerd splits them: at the first `=`,
 * key and value trimmed with Go's `strings.TrimSpace`, key lower-cased
 * (devicemapper.md §1.1 steps 2–3), with source ranges for key and value even
 * through JSON escapes.
 */
import type { Node } from 'jsonc-parser';
import { goTrimSpan } from '../text/ramInBytes.js';
import { type TextMap, goString, mapString, sourceSpan } from './textMap.js';
import type { StorageOptEntry } from './types.js';

/** `--storage-opt dm.x=y` or `--storage-opt=dm.x=y` written inside the string (devicemapper.md §1.4). */
const FLAG_PREFIX = /^[\t\n\v\f\r \u0085\u00a0]*--storage-opts?(?:[\t ]+|=)/i;

/** One array element (a JSON string). */
export function entryFromString(map: TextMap, node: Node): StorageOptEntry {
  const m = mapString(map.text, node);
  const s = goString(m.value);
  const prefix = FLAG_PREFIX.exec(s);
  const flagPrefix = prefix ? prefix[0].length : 0;
  const body = s.slice(flagPrefix);
  const eq = body.indexOf('=');
  const keyPart = eq < 0 ? body : body.slice(0, eq);
  const k = goTrimSpan(keyPart);
  const key = keyPart.slice(k.start, k.end);
  const keyOffsets = sourceSpan(m, flagPrefix + k.start, flagPrefix + k.end);
  const whole = { start: m.contentStart, end: m.contentEnd };
  const entry: StorageOptEntry = {
    raw: s,
    key,
    lowerKey: key.toLowerCase(),
    range: map.range(whole.start, whole.end),
    keyRange: key.length > 0 ? map.range(keyOffsets.start, keyOffsets.end) : map.range(whole.start, whole.end),
    keyOffsets,
    nodeOffsets: { start: node.offset, end: node.offset + node.length },
    flagPrefix: prefix ? sourceSpan(m, 0, flagPrefix).end - m.contentStart : 0,
    fromObject: false,
    valueInString: true,
  };
  if (eq >= 0) {
    const valuePart = body.slice(eq + 1);
    const t = goTrimSpan(valuePart);
    const base = flagPrefix + eq + 1;
    const valueOffsets = sourceSpan(m, base + t.start, base + t.end);
    entry.value = valuePart.slice(t.start, t.end);
    entry.valueOffsets = valueOffsets;
    entry.valueRange = map.range(valueOffsets.start, valueOffsets.end);
  }
  return entry;
}

/** One property of the object form `{"dm.basesize": "20G"}` (converted in mind to `dm.basesize=20G`). */
export function entryFromProperty(map: TextMap, prop: Node): StorageOptEntry | undefined {
  const keyNode = prop.children?.[0];
  const valueNode = prop.children?.[1];
  if (!keyNode || keyNode.type !== 'string') return undefined;
  const km = mapString(map.text, keyNode);
  const rawKey = goString(km.value);
  const k = goTrimSpan(rawKey);
  const keyOffsets = sourceSpan(km, k.start, k.end);
  const key = rawKey.slice(k.start, k.end);
  let value: string | undefined;
  let valueOffsets: { start: number; end: number } | undefined;
  if (valueNode?.type === 'string') {
    const vm = mapString(map.text, valueNode);
    const raw = goString(vm.value);
    const t = goTrimSpan(raw);
    value = raw.slice(t.start, t.end);
    valueOffsets = sourceSpan(vm, t.start, t.end);
  } else if (valueNode && (valueNode.type === 'number' || valueNode.type === 'boolean')) {
    value = map.text.slice(valueNode.offset, valueNode.offset + valueNode.length);
    valueOffsets = { start: valueNode.offset, end: valueNode.offset + valueNode.length };
  }
  const entry: StorageOptEntry = {
    raw: `${rawKey}=${value ?? ''}`,
    key,
    lowerKey: key.toLowerCase(),
    range: map.range(prop.offset, prop.offset + prop.length),
    keyRange: map.range(keyOffsets.start, keyOffsets.end),
    keyOffsets,
    nodeOffsets: { start: prop.offset, end: prop.offset + prop.length },
    flagPrefix: 0,
    fromObject: true,
    valueInString: valueNode?.type === 'string',
  };
  if (value !== undefined && valueOffsets) {
    entry.value = value;
    entry.valueOffsets = valueOffsets;
    entry.valueRange = map.range(valueOffsets.start, valueOffsets.end);
  }
  return entry;
}
