/**
 * Completion in daemon.json: `storage-driver` values, the option keys of the
 * configured driver inside `storage-opts` (with their documentation and a
 * value snippet), and enumerated values after `=`. Top-level keys are left to
 * VS Code's JSON support and our schema (schemas/daemon.schema.json).
 */
import { getLocation, type Node } from 'jsonc-parser';
import type { Position, Range } from '../text/position.js';
import { compareVersions, formatVersion, type EngineVersion } from '../knowledge/engineVersions.js';
import { STORAGE_DRIVERS } from '../knowledge/daemonKeys.js';
import { DM_OPTIONS, OVERLAY2_OPTIONS, type StorageOptionDoc } from '../knowledge/storageOptions.js';
import { optionMarkdown, unknownToEngine } from './optionMarkdown.js';
import { optionDoc } from './hover.js';
import { TextMap } from './textMap.js';
import { analyzeDaemonJson } from './validate.js';

export type DaemonCompletionKind = 'option' | 'value' | 'driver';

export interface DaemonCompletion {
  label: string;
  kind: DaemonCompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Replaces `range`; LSP snippet syntax when `snippet`. */
  insertText: string;
  snippet: boolean;
  range: Range;
  /** Unknown to the chosen engine (shown struck through). */
  deprecated?: boolean;
  /** Orders the list: options of the chosen mode first, then the rest alphabetically. */
  sortText: string;
}

/** The string literal the cursor is in: its content's offsets (escapes are rare in options; they are kept as typed). */
function stringAt(text: string, node: Node | undefined, offset: number): { start: number; end: number } | undefined {
  if (!node || node.type !== 'string') return undefined;
  const start = node.offset + 1;
  const closed = node.length >= 2 && text[node.offset + node.length - 1] === '"';
  const end = closed ? node.offset + node.length - 1 : node.offset + node.length;
  return offset >= start && offset <= end ? { start, end } : undefined;
}

/** The nearest character before/after `offset` that is not JSON whitespace, with its offset. */
function neighbour(text: string, offset: number, step: -1 | 1): { ch: string; at: number } | undefined {
  for (let i = step < 0 ? offset - 1 : offset; i >= 0 && i < text.length; i += step) {
    if (!/[ \t\r\n]/.test(text[i]!)) return { ch: text[i]!, at: i };
  }
  return undefined;
}

/** A character that starts a JSON value (or a stray word jsonc-parser reads as one). */
const VALUE_START = /^[^\],}:]$/;

function optionsFor(driver: string | undefined): StorageOptionDoc[] {
  const dm = Object.values<StorageOptionDoc>(DM_OPTIONS);
  const overlay = Object.values<StorageOptionDoc>(OVERLAY2_OPTIONS);
  if (driver === 'devicemapper') return dm;
  if (driver === 'overlay2') return overlay;
  if (driver === undefined) return [...dm, ...overlay];
  return [];
}

function valuesOf(doc: StorageOptionDoc): readonly string[] {
  if (doc.values) return doc.values;
  if (doc.type === 'bool') return ['true', 'false'];
  // The choices a placeholder lists, e.g. `${1|3,4,5,6,7,2|}`.
  const m = /^\$\{1\|([^|]*)\|\}$/.exec(doc.valueSnippet);
  return m ? m[1]!.split(',') : [];
}

export function daemonJsonCompletions(text: string, position: Position, engineText?: string): DaemonCompletion[] {
  const map = new TextMap(text);
  const offset = map.offsetAt(position);
  const analysis = analyzeDaemonJson(text, engineText ? { engine: engineText } : {});
  const engine: EngineVersion | undefined = analysis.engine;
  let loc: ReturnType<typeof getLocation>;
  try {
    loc = getLocation(text, offset);
  } catch {
    return [];
  }
  const path = loc.path;
  const inString = stringAt(text, loc.previousNode, offset);

  if (path.length === 1 && path[0] === 'storage-driver' && !loc.isAtPropertyKey) {
    let range = inString ? map.range(inString.start, inString.end) : map.range(offset, offset);
    if (!inString) {
      // A value is already there (`"overlay2"|`, `|"overlay2"`): replace it instead of writing a second
      // value beside it (invalid JSON); give nothing when it cannot be replaced on the cursor's line.
      const prev = loc.previousNode;
      if (prev) {
        const start = Math.min(prev.offset, offset);
        const end = Math.max(prev.offset + prev.length, offset);
        if (map.lineOf(start) !== map.lineOf(end)) return [];
        range = map.range(start, end);
      } else if (VALUE_START.test(neighbour(text, offset, 1)?.ch ?? ']')) {
        return [];
      }
    }
    return STORAGE_DRIVERS.map((d, i) => {
      const gone = !!(engine && d.range?.until && compareVersions(engine, d.range.until) >= 0);
      return {
        label: d.name,
        kind: 'driver' as const,
        detail: 'storage driver',
        documentation: d.description,
        insertText: inString ? d.name : JSON.stringify(d.name),
        snippet: false,
        range,
        ...(gone ? { deprecated: true } : {}),
        sortText: String(i).padStart(3, '0'),
      };
    });
  }

  if (path.length !== 2 || path[0] !== 'storage-opts' || typeof path[1] !== 'number') return [];
  const driver = analysis.driver?.name;
  const preferred = analysis.mode;
  // Keys set elsewhere in the file; the entry being edited does not count.
  const present = new Set(analysis.storageOpts.filter((e) => !(map.offsetAt(e.range.start) <= offset && offset <= map.offsetAt(e.range.end))).map((e) => e.lowerKey));

  if (inString) {
    const content = text.slice(inString.start, inString.end);
    const eq = content.indexOf('=');
    const cursor = offset - inString.start;
    if (eq >= 0 && cursor > eq) {
      const doc = optionDoc(content.slice(0, eq).trim().toLowerCase());
      if (!doc) return [];
      const range = map.range(inString.start + eq + 1, inString.end);
      return valuesOf(doc).map((v, i) => ({
        label: v,
        kind: 'value' as const,
        detail: doc.key,
        insertText: v,
        snippet: false,
        range,
        sortText: String(i).padStart(3, '0'),
      }));
    }
    // Replace the key (and keep a value already typed after `=`).
    const keyEnd = eq >= 0 ? inString.start + eq : inString.end;
    const range = map.range(inString.start, keyEnd);
    return optionsFor(driver).map((doc) => item(doc, eq >= 0 ? doc.key : `${doc.key}=${doc.valueSnippet}`, eq < 0, range));
  }
  // Between elements: insert a whole quoted entry, with the commas needed to keep the array valid JSON.
  const prevNode = loc.previousNode;
  if (prevNode && offset > prevNode.offset && offset < prevNode.offset + prevNode.length) return []; // inside `true`, `12`…
  const before = neighbour(text, offset, -1);
  const after = neighbour(text, offset, 1);
  const lead = before && before.ch !== '[' && before.ch !== ',' ? ', ' : '';
  const trail = after && VALUE_START.test(after.ch) ? (map.lineOf(after.at) !== map.lineOf(offset) ? ',' : ', ') : '';
  const range = map.range(offset, offset);
  return optionsFor(driver).map((doc) => item(doc, `${lead}"${doc.key}=${doc.valueSnippet}"${trail}`, true, range));

  function item(doc: StorageOptionDoc, insertText: string, snippet: boolean, range: Range): DaemonCompletion {
    const inMode = !preferred || doc.modes.length === 0 || doc.modes.includes(preferred);
    const unknown = unknownToEngine(doc, engine);
    return {
      label: doc.key,
      kind: 'option',
      detail: unknown && engine ? `${doc.driver} option — unknown to Engine ${formatVersion(engine)}` : `${doc.driver} option`,
      documentation: optionMarkdown(doc, engine),
      insertText,
      snippet,
      range,
      ...(unknown ? { deprecated: true } : {}),
      // Options of the chosen mode first; unknown to the engine or already set (and not repeatable) last.
      sortText: `${unknown ? 3 : present.has(doc.key) && !doc.repeatable ? 2 : inMode ? 0 : 1}${doc.key}`,
    };
  }
}
