/**
 * The daemon.json checker: every mistake dockerd would reject (or silently
 * ignore) in the storage settings, found before the restart, for the engine the
 * user runs (issue 4 §3). Pure: text in, findings out.
 *
 * Rules and texts: ../shared/reference/devicemapper.md §1 (dm.* options) and §2
 * (daemon.json, version timeline); each rule cites its section.
 *
 * Engine awareness: with `options.engine` set, every rule that changed over time
 * is evaluated for that engine. Without it, rules are evaluated once per era
 * (knowledge/engineVersions.ts `eraSegments`); a finding that holds only for some
 * engines says which, and an error is lowered to a warning when other engines
 * accept the same text.
 */
import { type Node, type ParseError, parseTree } from 'jsonc-parser';
import type { Severity } from '../knowledge/findingCodes.js';
import type { Range } from '../text/position.js';
import { DAEMON_JSON_CODES, type DaemonJsonCode } from '../knowledge/daemonFindingCodes.js';
import {
  DEVICEMAPPER_ENGINES, type EngineRange, type EngineVersion, MILESTONES, atLeast, compareVersions, describeRange, describeRanges, eraSegments,
  formatVersion, groupByEra, inRange, parseEngineVersion, ver,
} from '../knowledge/engineVersions.js';
import {
  DAEMON_KEYS, DEVICEMAPPER_ALIASES, FLAG_NAME_ALIASES, FLAT_OPTIONS, GRAPH_AND_DATA_ROOT_ERROR, GRAPH_HISTORY, STORAGE_DRIVERS, daemonKeyKnownAt, isKnownDaemonKey,
} from '../knowledge/daemonKeys.js';
import {
  DM_KEYS, DM_MODE_NAMES, DM_OPTIONS, type DmKey, type DmMode, OVERLAY2_KEYS, OVERLAY2_OPTIONS, THINP_KEYS, driverOfOptionKey, isDmKey, isOverlay2Key,
} from '../knowledge/storageOptions.js';
import { goTrimSpace, ramInBytesEra, sizeEraOf } from '../text/ramInBytes.js';
import {
  DM_REMOVED_ERROR, DM_REMOVED_STARTUP, DM_SNAPSHOTTER_ERROR, dmDeprecationLog, dmUnknownOption, keyValueError, shown, startupLine, unknownDirectives,
} from './dockerdText.js';
import { insertElementAfterEdit, insertElementBeforeEdit, insertFirstPropertyEdit, normaliseEdits, removeChildEdit, replaceEdit } from './edits.js';
import { scanTokens } from './jsonTokens.js';
import { boolValue, checkOptionValue, percentValue, portableSize } from './optionValues.js';
import { entryFromProperty, entryFromString } from './storageOpts.js';
import { nearest } from './suggest.js';
import { TextMap, goString, jsonString, jsonStringContent, mapString } from './textMap.js';
import type { DaemonFinding, DaemonFix, DaemonJsonAnalysis, StorageOptEntry, TextEdit, ValidateOptions } from './types.js';

/** Deeper nesting is not parsed (jsonc-parser recurses); no real daemon.json comes close. */
const DEPTH_LIMIT = 1000;
const LOOP_WARNING = 'WARNING: devicemapper: usage of loopback devices is strongly discouraged for production use.';
const DEFERRED_DELETION_ERROR = 'devmapper: Deferred deletion can not be enabled as deferred removal is not enabled. Enable deferred removal using --storage-opt dm.use_deferred_removal=true parameter';

/** A rule's verdict at one engine version. */
interface Problem {
  key: string;
  message: string;
  /** The message when several eras are merged (no era-specific wording). */
  general?: string;
  dockerd?: string;
  severity?: Severity;
  code?: DaemonJsonCode;
}

interface Judged<P extends Problem> {
  /** The verdict for the engine, or for the newest era affected. */
  problem: P;
  message: string;
  /** Some engines (of those checked) accept it. */
  partial: boolean;
  appliesTo?: string;
}

function goJsonType(node: Node): string {
  return node.type === 'boolean' ? 'bool' : node.type;
}

const PARSE_ERROR_TEXT: Record<number, string> = {
  1: 'Unexpected character',
  2: 'Invalid number',
  3: 'A property name (a string in double quotes) is expected here',
  4: 'A value is expected here',
  5: 'A colon is expected here',
  6: 'A comma is expected here',
  7: 'A closing brace is expected here',
  8: 'A closing bracket is expected here',
  9: 'Text after the end of the JSON object: daemon.json holds exactly one object',
  10: 'Invalid comment',
  11: 'Unterminated comment',
  12: 'Unterminated string',
  13: 'Incomplete number',
  14: 'Invalid \\u escape',
  15: 'Invalid escape sequence',
  16: 'Control character inside a string: write it as an escape (\\t, \\n, \\u0000)',
};

class Checker {
  readonly map: TextMap;
  readonly findings: DaemonFinding[] = [];
  readonly max: number;
  root: Node | undefined;
  /** Top-level properties, the last of each name (Go's decoder keeps the last). */
  readonly top = new Map<string, Node>();

  constructor(readonly text: string, readonly engine: EngineVersion | undefined, options: ValidateOptions) {
    this.map = new TextMap(text);
    this.max = Math.max(1, options.maxFindings ?? 1000);
  }

  /** The cap is reached: later rules need not compute anything. */
  full(): boolean {
    return this.findings.length >= this.max;
  }

  add(code: DaemonJsonCode, range: Range, message: string, extra: Partial<DaemonFinding> = {}): DaemonFinding | undefined {
    if (this.full()) return undefined;
    const f: DaemonFinding = { code, severity: DAEMON_JSON_CODES[code].severity, message, range, ...extra };
    if (f.fix) f.fix = { ...f.fix, edits: normaliseEdits(f.fix.edits) };
    this.findings.push(f);
    return f;
  }

  /** Adds a finding from a judged rule: engine qualifier, severity lowered when only some engines are affected. */
  addJudged<P extends Problem>(code: DaemonJsonCode, range: Range, j: Judged<P>, extra: Partial<DaemonFinding> = {}): DaemonFinding | undefined {
    let severity: Severity = j.problem.severity ?? DAEMON_JSON_CODES[j.problem.code ?? code].severity;
    if (j.partial && severity === 'error') severity = 'warning';
    return this.add(j.problem.code ?? code, range, j.message, {
      severity,
      ...(j.problem.dockerd !== undefined ? { dockerd: j.problem.dockerd } : {}),
      ...(j.appliesTo ? { appliesTo: j.appliesTo } : {}),
      ...extra,
    });
  }

  /**
   * Evaluates `rule` for the engine (if it lies in `within`), or for every era of
   * `within` when the engine is unknown; identical verdicts are merged.
   */
  judge<P extends Problem>(within: EngineRange, rule: (v: EngineVersion) => P | undefined): Judged<P> | undefined {
    if (this.engine) {
      if (!inRange(this.engine, within)) return undefined;
      const p = rule(this.engine);
      return p && { problem: p, message: p.message, partial: false };
    }
    const groups = groupByEra(eraSegments(within), rule, (p) => (p ? `!${p.key}` : ''));
    const bad = groups.filter((g) => g.value !== undefined);
    if (bad.length === 0) return undefined;
    const good = groups.filter((g) => g.value === undefined);
    const latest = (g: (typeof bad)[number]): P => rule(g.lastAt) ?? g.value!;
    if (good.length === 0) {
      // Every era objects: one message, unless the eras disagree on what dockerd prints.
      const ps = bad.map(latest);
      const p = ps[ps.length - 1]!;
      if (ps.every((x) => x.dockerd === p.dockerd)) return { problem: p, message: bad.length > 1 ? (p.general ?? p.message) : p.message, partial: false };
    }
    const sortRanges = (rs: EngineRange[]): EngineRange[] => rs.sort((a, b) => (a.from ? (b.from ? compareVersions(a.from, b.from) : 1) : -1));
    const parts = bad.map((g) => `${describeRanges(g.ranges)}: ${latest(g).message}`);
    if (good.length) parts.push(`${describeRanges(sortRanges(good.flatMap((g) => g.ranges)))}: no problem.`);
    return {
      problem: latest(bad[bad.length - 1]!),
      message: parts.join(' '),
      partial: good.length > 0,
      ...(good.length ? { appliesTo: describeRanges(sortRanges(bad.flatMap((g) => g.ranges))) } : {}),
    };
  }

  /** `Engine 24.0` or, with no engine set, nothing (the caller says "some engines"). */
  engineName(): string {
    return this.engine ? `Engine ${formatVersion(this.engine)}` : 'dockerd';
  }

  contentRange(node: Node): Range {
    return node.type === 'string' ? this.map.range(node.offset + 1, Math.max(node.offset + 1, node.offset + node.length - 1)) : this.map.nodeRange(node);
  }

  keyRange(prop: Node): Range {
    const k = prop.children?.[0];
    return k ? this.contentRange(k) : this.map.nodeRange(prop);
  }

  /** Renames a property's key. */
  renameKeyEdit(prop: Node, newKey: string): TextEdit | undefined {
    const k = prop.children?.[0];
    return k ? replaceEdit(this.map, k.offset, k.offset + k.length, jsonString(newKey)) : undefined;
  }
}

// ---------------------------------------------------------------------------
// JSON level
// ---------------------------------------------------------------------------

function checkJson(c: Checker): boolean {
  const scan = scanTokens(c.text, DEPTH_LIMIT, c.max);
  if (scan.tooDeepAt !== undefined) {
    c.add('json-syntax', c.map.range(scan.tooDeepAt, scan.tooDeepAt + 1), `Nested more than ${DEPTH_LIMIT} levels deep: not analysed. (No daemon.json option nests like this.)`);
    return false;
  }
  const strayAt = new Set<number>();
  const strayEnds: number[] = [];
  for (const issue of scan.issues) {
    const range = c.map.range(issue.start, issue.end);
    if (issue.kind === 'comment') {
      c.add('jsonc-comment', range, `Comments are not allowed: dockerd reads daemon.json as strict JSON and fails with "${issue.goError}".`, {
        dockerd: issue.goError,
        fix: { title: 'Remove the comment', edits: [commentRemoval(c, issue.start, issue.end)], preferred: true },
      });
    } else if (issue.kind === 'trailing-comma') {
      c.add('json-syntax', range, `Trailing comma: dockerd's JSON decoder fails with "${issue.goError}".`, {
        dockerd: issue.goError,
        fix: { title: 'Remove the trailing comma', edits: [replaceEdit(c.map, issue.start, issue.end, '')], preferred: true },
      });
    } else {
      strayAt.add(issue.start);
      strayEnds.push(issue.tokenEnd);
      const nbsp = /\u00a0|\u2007|\u202f|\u3000/.test(c.text.slice(issue.start, issue.end));
      c.add('json-syntax', range, `Not valid JSON here: dockerd fails with "${issue.goError}".${nbsp ? ' (A non-breaking space, often pasted from a web page: JSON allows only spaces, tabs and line breaks.)' : ''}`, {
        dockerd: issue.goError,
        ...(nbsp ? { fix: { title: 'Replace with a space', edits: [replaceEdit(c.map, issue.start, issue.end, ' ')], preferred: true } } : {}),
      });
    }
  }
  const errors: ParseError[] = [];
  c.root = parseTree(c.text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  // jsonc-parser reports a follow-up error right after a stray character; Go stops at the character itself.
  const afterStray = new Set<number>();
  for (const end of strayEnds) {
    let i = end;
    while (i < c.text.length && /[ \t\r\n\u00a0]/.test(c.text[i]!)) i++;
    afterStray.add(i);
  }
  for (const e of errors) {
    const code = e.error as number;
    if (afterStray.has(e.offset) && code !== 1) continue;
    if (code === 1 && (strayAt.has(e.offset) || (e.offset === 0 && c.text.charCodeAt(0) === 0xfeff))) continue;
    let start = e.offset;
    let end = e.offset + Math.max(e.length, 1);
    if (code === 16) {
      // Point at the control character itself, not the whole string.
      for (let i = e.offset; i < e.offset + e.length; i++) {
        if (c.text.charCodeAt(i) < 0x20) {
          start = i;
          end = i + 1;
          break;
        }
      }
    }
    end = Math.min(end, c.text.length);
    c.add('json-syntax', c.map.range(Math.min(start, c.text.length), end), `${PARSE_ERROR_TEXT[code] ?? 'Syntax error'}: dockerd cannot decode the file and does not start.`);
  }
  return true;
}

function commentRemoval(c: Checker, start: number, end: number): TextEdit {
  const text = c.text;
  let ls = start;
  while (ls > 0 && text[ls - 1] !== '\n' && text[ls - 1] !== '\r') ls--;
  let le = end;
  while (le < text.length && text[le] !== '\n' && text[le] !== '\r') le++;
  if (/^[ \t]*$/.test(text.slice(ls, start)) && /^[ \t]*$/.test(text.slice(end, le))) {
    if (text[le] === '\r' && text[le + 1] === '\n') le += 2;
    else if (le < text.length) le += 1;
    return replaceEdit(c.map, ls, le, '');
  }
  return replaceEdit(c.map, start, end, '');
}

/** Duplicate keys at any depth: Go's decoder keeps the last value (devicemapper.md §2.2: the file is decoded with encoding/json). */
function checkDuplicates(c: Checker, root: Node): void {
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'object') {
      const last = new Map<string, Node>();
      for (const prop of node.children ?? []) {
        const k = prop.children?.[0];
        if (k?.type === 'string') last.set(goString(String(k.value)), prop);
      }
      for (const prop of node.children ?? []) {
        const k = prop.children?.[0];
        if (k?.type !== 'string') continue;
        const key = goString(String(k.value));
        const winner = last.get(key)!;
        if (winner === prop) continue;
        if (c.full()) return;
        c.add('duplicate-key', c.contentRange(k), `"${key}" is given again on line ${c.map.lineOf(winner.offset) + 1}: dockerd's JSON decoder keeps only the last value, so this one is ignored.`, {
          related: [{ range: c.keyRange(winner), message: 'the value dockerd uses' }],
          fix: { title: `Remove this "${key}"`, edits: [removeChildEdit(c.map, prop)] },
        });
      }
    }
    for (const child of node.children ?? []) if (child.type === 'object' || child.type === 'array' || child.type === 'property') stack.push(child);
  }
}

// ---------------------------------------------------------------------------
// Top-level keys
// ---------------------------------------------------------------------------

const ALL_KEYS = Object.keys(DAEMON_KEYS);

function suggestKey(key: string): string | undefined {
  const same = ALL_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
  return same ?? nearest(key, ALL_KEYS);
}

function checkTopLevelKeys(c: Checker): void {
  for (const [key, prop] of c.top) {
    const value = prop.children?.[1];
    if (key === 'storage-opts') continue;
    if (key === 'graph') continue; // checkGraph
    if (value?.type === 'object' && !FLAT_OPTIONS.has(key)) {
      // §2.1: dockerd flattens the object; its inner keys become top-level keys.
      for (const inner of value.children ?? []) {
        const ik = inner.children?.[0];
        if (ik?.type !== 'string') continue;
        const name = goString(String(ik.value));
        if (daemonKeyKnownAt(name, c.engine)) continue;
        const err = unknownDirectives([name]);
        c.add('unknown-directive', c.contentRange(ik), `dockerd flattens the object "${key}" into top-level keys, and "${name}" is not a configuration option: it fails with "${err}".`, { dockerd: err });
      }
      continue;
    }
    const alias = FLAG_NAME_ALIASES[key];
    if (alias) {
      const rename = c.top.has(alias) ? undefined : c.renameKeyEdit(prop, alias);
      c.add('flag-name-directive', c.keyRange(prop), `"${key}" is the name of the command-line flag. dockerd accepts it as a key but reads "${alias}" from the file, so this setting is silently ignored.`, {
        ...(rename ? { fix: { title: `Rename to "${alias}"`, edits: [rename], preferred: true } } : {}),
      });
      continue;
    }
    if (daemonKeyKnownAt(key, c.engine)) continue;
    const err = unknownDirectives([key]);
    if (isKnownDaemonKey(key)) {
      // Known to other engines than the one set (devicemapper.md §2.1: data-root from 17.05).
      const range = DAEMON_KEYS[key]!.range ?? {};
      const graphInstead = key === 'data-root' && !c.top.has('graph');
      const rename = graphInstead ? c.renameKeyEdit(prop, 'graph') : undefined;
      c.add('unknown-directive', c.keyRange(prop), `"${key}" exists only in ${describeRange(range)}: ${c.engineName()} fails with "${err}".${graphInstead ? ' Older engines call it "graph".' : ''}`, {
        dockerd: err,
        ...(rename ? { fix: { title: 'Rename to "graph"', edits: [rename] } } : {}),
      });
      continue;
    }
    const suggestion = suggestKey(key);
    const rename = suggestion && !c.top.has(suggestion) ? c.renameKeyEdit(prop, suggestion) : undefined;
    c.add('unknown-directive', c.keyRange(prop), `"${key}" is not a configuration option: dockerd fails with "${err}".${suggestion ? ` Did you mean "${suggestion}"?` : ''}`, {
      dockerd: err,
      ...(rename && suggestion ? { fix: { title: `Rename to "${suggestion}"`, edits: [rename], preferred: true } } : {}),
    });
  }
}

/** `graph` (devicemapper.md §2.1): deprecated 17.05, an error in 23.0, unknown from 24.0. */
function checkGraph(c: Checker): void {
  const prop = c.top.get('graph');
  if (!prop) return;
  const hasDataRoot = c.top.has('data-root');
  const j = c.judge({}, (v): Problem | undefined => {
    const era = GRAPH_HISTORY.find((e) => inRange(v, e.range));
    if (!era || era.behaviour === 'accepted') return undefined;
    if (era.behaviour === 'deprecated') {
      if (hasDataRoot) return { key: 'both', message: `"graph" and "data-root" together: dockerd fails with "${GRAPH_AND_DATA_ROOT_ERROR}".`, dockerd: GRAPH_AND_DATA_ROOT_ERROR, severity: 'error' };
      return { key: 'deprecated', message: `"graph" is deprecated: dockerd logs "${era.message}"`, dockerd: era.message, severity: 'warning' };
    }
    if (era.behaviour === 'error') return { key: 'error', message: `"graph" is no longer accepted: dockerd fails with "${era.message}".`, dockerd: era.message, severity: 'error' };
    return { key: 'unknown', message: `"graph" was removed in Engine 24.0: dockerd fails with "${era.message}".`, dockerd: era.message, severity: 'error', code: 'unknown-directive' };
  });
  if (!j) return;
  const rename = hasDataRoot ? undefined : c.renameKeyEdit(prop, 'data-root');
  const fix: DaemonFix = rename
    ? { title: 'Rename "graph" to "data-root"', edits: [rename], preferred: true }
    : { title: 'Remove "graph" ("data-root" is set)', edits: [removeChildEdit(c.map, prop)], preferred: true };
  // With no engine the finding spans eras, so it keeps its own code (not the 24.0+ unknown-directive).
  c.addJudged('graph-deprecated', c.keyRange(prop), c.engine ? j : { ...j, problem: { ...j.problem, code: undefined } }, { fix });
}

/** The JSON types of the storage keys (devicemapper.md §2.1); null decodes to nothing in Go. */
function checkTypes(c: Checker): void {
  for (const key of ['storage-driver', 'data-root', 'graph', 'exec-root']) {
    const prop = c.top.get(key);
    const value = prop?.children?.[1];
    if (!prop || !value || value.type === 'string' || value.type === 'null') continue;
    const err = `json: cannot unmarshal ${goJsonType(value)} into Go struct field …${key} of type string`;
    c.add('directive-type', c.map.nodeRange(value), `"${key}" must be a string: dockerd fails with "${err}" (the exact Go field path varies).`, { dockerd: err });
  }
}

// ---------------------------------------------------------------------------
// storage-driver
// ---------------------------------------------------------------------------

const DRIVER_NAMES = STORAGE_DRIVERS.map((d) => d.name);

function driverSuggestion(name: string): string | undefined {
  const t = name.trim().toLowerCase();
  if (DRIVER_NAMES.includes(t)) return t;
  if (DEVICEMAPPER_ALIASES.has(t)) return 'devicemapper';
  return nearest(t, DRIVER_NAMES);
}

function checkDriverName(c: Checker, prop: Node, name: string): string | undefined {
  if (DRIVER_NAMES.includes(name)) return undefined;
  const s = driverSuggestion(name);
  if (!s) return undefined;
  const value = prop.children![1]!;
  c.add('storage-driver-unknown', c.contentRange(value), `"${name}" is not a storage driver name; did you mean "${s}"? dockerd finds no driver of this name and does not start.`, {
    fix: { title: `Write "${s}"`, edits: [replaceEdit(c.map, value.offset, value.offset + value.length, jsonString(s))], preferred: true },
  });
  return s;
}

/** driver-deprecated / driver-removed (devicemapper.md §2.3, §2.4). */
function checkDeprecation(c: Checker, prop: Node, migrate: DaemonFix | undefined): void {
  const range = c.contentRange(prop.children![1]!);
  const extra = migrate ? { fix: migrate } : {};
  const v = c.engine;
  if (!v) {
    c.add('driver-deprecated', range, `devicemapper is deprecated (Engine 18.09) and was removed in Engine 25.0: from 25.0 dockerd does not start ("${DM_REMOVED_ERROR}"). From 23.0 it is only used when configured explicitly, as here. Migrate to overlay2, or set the engine version (dmLens.engineVersion, --engine) to check for your engine.`, {
      dockerd: DM_REMOVED_STARTUP, appliesTo: describeRange({ from: MILESTONES.dmDeprecated }), ...extra,
    });
    return;
  }
  if (!atLeast(v, MILESTONES.dmDeprecated)) return;
  if (atLeast(v, MILESTONES.dmRemoved)) {
    const snapshotter = atLeast(v, MILESTONES.containerdImageStore)
      ? ` With the containerd image store (the default from Engine 29 on a new host) the name is taken as a snapshotter and selection fails with "${DM_SNAPSHOTTER_ERROR}".`
      : '';
    c.add('driver-removed', range, `Engine ${formatVersion(v)} has no devicemapper driver (removed in 25.0): dockerd does not start — "${DM_REMOVED_STARTUP}".${snapshotter} Migrate to overlay2.`, { dockerd: DM_REMOVED_STARTUP, ...extra });
    return;
  }
  const log = dmDeprecationLog(v);
  const notAuto = atLeast(v, MILESTONES.dmNotAutoSelected) ? ' From 23.0 it is no longer selected automatically, only when configured explicitly.' : '';
  c.add('driver-deprecated', range, `devicemapper is deprecated since Engine 18.09 and removed in 25.0, where dockerd will not start with this setting.${log ? ` dockerd logs "${log}".` : ''}${notAuto} Migrate to overlay2 before upgrading.`, {
    ...(log ? { dockerd: log } : {}), ...extra,
  });
}

// ---------------------------------------------------------------------------
// storage-opts
// ---------------------------------------------------------------------------

interface Opts {
  prop?: Node;
  value?: Node;
  entries: StorageOptEntry[];
  /** Array element or object property of each entry. */
  nodes: Map<StorageOptEntry, Node>;
}

function collectStorageOpts(c: Checker): Opts {
  const prop = c.top.get('storage-opts');
  const value = prop?.children?.[1];
  const out: Opts = { entries: [], nodes: new Map(), ...(prop ? { prop } : {}), ...(value ? { value } : {}) };
  if (!prop || !value) return out;
  const push = (e: StorageOptEntry | undefined, n: Node): void => {
    if (!e) return;
    out.entries.push(e);
    out.nodes.set(e, n);
  };
  if (value.type === 'array') {
    for (const el of value.children ?? []) {
      if (el.type === 'string') {
        push(entryFromString(c.map, el), el);
      } else {
        const err = `json: cannot unmarshal ${goJsonType(el)} into Go struct field …storage-opts of type string`;
        c.add('storage-opt-syntax', c.map.nodeRange(el), `Each storage option must be a string "key=value": dockerd fails with "${err}".`, { dockerd: err });
      }
    }
  } else if (value.type === 'string') {
    const err = 'json: cannot unmarshal string into Go struct field …storage-opts of type []string';
    c.add('storage-opts-not-array', c.contentRange(value), `"storage-opts" must be an array of strings: dockerd fails with "${err}" (exact Go field path unverified).`, {
      dockerd: err,
      fix: { title: 'Put the option into an array', edits: [replaceEdit(c.map, value.offset, value.offset + value.length, `[${c.text.slice(value.offset, value.offset + value.length)}]`)], preferred: true },
    });
    push(entryFromString(c.map, value), value);
  } else if (value.type === 'object') {
    for (const p of value.children ?? []) push(entryFromProperty(c.map, p), p);
    const keys = out.entries.map((e) => e.raw.slice(0, e.raw.indexOf('=')));
    const err = unknownDirectives(keys);
    const convertible = (value.children ?? []).every((p) => ['string', 'number', 'boolean'].includes(p.children?.[1]?.type ?? ''));
    const fix: DaemonFix | undefined = convertible && out.entries.length > 0 ? { title: 'Convert to an array of "key=value" strings', edits: [replaceEdit(c.map, value.offset, value.offset + value.length, renderArray(c, value, out.entries.map((e) => jsonString(e.raw))))], preferred: true } : undefined;
    c.add('storage-opts-not-array', c.keyRange(prop), `"storage-opts" must be an array of "key=value" strings. Written as an object, dockerd flattens it into top-level keys and fails with "${err}".`, {
      dockerd: err, ...(fix ? { fix } : {}),
    });
  } else if (value.type !== 'null') {
    const err = `json: cannot unmarshal ${goJsonType(value)} into Go struct field …storage-opts of type []string`;
    c.add('storage-opts-not-array', c.map.nodeRange(value), `"storage-opts" must be an array of strings: dockerd fails with "${err}".`, { dockerd: err });
  }
  return out;
}

/** An array literal in the layout of `like` (multi-line if it was). */
function renderArray(c: Checker, like: Node, items: string[]): string {
  if (items.length === 0) return '[]';
  const first = like.children?.[0];
  const multiline = first !== undefined && c.map.lineOf(like.offset) !== c.map.lineOf(first.offset);
  if (!multiline) return `[${items.join(', ')}]`;
  const indent = c.map.indentAt(first.offset);
  const closing = c.map.indentAt(like.offset + like.length - 1);
  return `[\n${indent}${items.join(`,\n${indent}`)}\n${closing}]`;
}

function entryValueRange(e: StorageOptEntry): Range {
  return e.value ? e.valueRange! : e.range;
}

function replaceValueEdit(c: Checker, e: StorageOptEntry, newValue: string): TextEdit | undefined {
  if (!e.valueOffsets) return undefined;
  return replaceEdit(c.map, e.valueOffsets.start, e.valueOffsets.end, e.valueInString ? jsonStringContent(newValue) : jsonString(newValue));
}

function removeEntryEdit(c: Checker, opts: Opts, e: StorageOptEntry): TextEdit | undefined {
  const node = opts.nodes.get(e);
  if (!node) return undefined;
  if (node === opts.value) return opts.prop ? removeChildEdit(c.map, opts.prop) : undefined;
  return removeChildEdit(c.map, node);
}

function insertEntryEdit(c: Checker, opts: Opts, near: StorageOptEntry, text: string, before = false): TextEdit | undefined {
  const node = opts.nodes.get(near);
  if (!node || node === opts.value) return undefined;
  const lit = near.fromObject ? `${jsonString(text.slice(0, text.indexOf('=')))}: ${jsonString(text.slice(text.indexOf('=') + 1))}` : jsonString(text);
  return before ? insertElementBeforeEdit(c.map, node, lit) : insertElementAfterEdit(c.map, node, lit);
}

/** "Migrate to overlay2" (issue 4 §4; devicemapper.md §2.6). */
function migrateFix(c: Checker, opts: Opts, driverProp: Node | undefined): DaemonFix | undefined {
  const root = c.root;
  if (!root || root.type !== 'object') return undefined;
  const edits: TextEdit[] = [];
  const dv = driverProp?.children?.[1];
  if (dv) edits.push(replaceEdit(c.map, dv.offset, dv.offset + dv.length, '"overlay2"'));
  else edits.push(insertFirstPropertyEdit(c.map, root, 'storage-driver', '"overlay2"'));
  if (opts.prop && opts.value) {
    const isDm = (e: StorageOptEntry): boolean => e.lowerKey.startsWith('dm.');
    const entryOf = new Map<Node, StorageOptEntry>();
    for (const e of opts.entries) entryOf.set(opts.nodes.get(e)!, e);
    const keep = opts.value.type === 'array' ? (opts.value.children ?? []).filter((n) => {
      const e = entryOf.get(n);
      return !e || !isDm(e);
    }) : [];
    if (keep.length === 0) edits.push(removeChildEdit(c.map, opts.prop));
    else if (keep.length !== (opts.value.children ?? []).length) edits.push(replaceEdit(c.map, opts.value.offset, opts.value.offset + opts.value.length, renderArray(c, opts.value, keep.map((n) => c.text.slice(n.offset, n.offset + n.length)))));
  }
  return {
    title: 'Migrate to overlay2: set "storage-driver": "overlay2" and remove the dm.* options. Existing images and containers stay in the devicemapper pool and are not visible under overlay2 — save or push what you need first (docker save / docker push), then pull or rebuild',
    edits,
  };
}

/** Which option table applies (devicemapper.md §1.1 step 1: options go to the selected driver). */
type Target = { kind: 'devicemapper'; explicit: boolean } | { kind: 'overlay2'; explicit: boolean } | { kind: 'other'; driver: string } | { kind: 'none' };

function chooseTarget(driver: string | undefined, suggested: string | undefined, entries: StorageOptEntry[]): Target {
  const hasDm = entries.some((e) => e.lowerKey.startsWith('dm.'));
  const hasOverlay = entries.some((e) => e.lowerKey.startsWith('overlay2.'));
  if (driver === 'devicemapper') return { kind: 'devicemapper', explicit: true };
  if (driver === 'overlay2') return { kind: 'overlay2', explicit: true };
  if (driver !== undefined && DRIVER_NAMES.includes(driver)) return { kind: 'other', driver };
  if (suggested === 'devicemapper' || (hasDm && suggested !== 'overlay2')) return { kind: 'devicemapper', explicit: false };
  if (suggested === 'overlay2' || hasOverlay) return { kind: 'overlay2', explicit: false };
  return { kind: 'none' };
}

function checkEntrySyntax(c: Checker, opts: Opts, target: Target): void {
  const within = target.kind === 'devicemapper' ? DEVICEMAPPER_ENGINES : {};
  for (const e of opts.entries) {
    if (c.full()) return;
    if (e.flagPrefix > 0) {
      const node = opts.nodes.get(e)!;
      const start = node.offset + 1;
      const prefixText = c.text.slice(start, start + e.flagPrefix);
      const asKey = goTrimSpace(e.raw.slice(0, e.raw.indexOf('=') < 0 ? e.raw.length : e.raw.indexOf('='))).toLowerCase();
      const err = target.kind === 'overlay2' ? `overlay2: unknown option ${asKey}` : shown(dmUnknownOption(asKey, c.engine ?? MILESTONES.sizeHandWritten));
      c.add('storage-opt-flag-prefix', c.map.range(start, start + e.flagPrefix), `"${prefixText.trim()}" is the command-line flag, not part of the option: dockerd takes "${asKey}" as the option name and fails with "${err}".`, {
        dockerd: err,
        fix: { title: `Remove "${prefixText.trim()}"`, edits: [replaceEdit(c.map, start, start + e.flagPrefix, '')], preferred: true },
      });
    }
    if (e.value !== undefined || e.fromObject) continue;
    // §1.1 step 2: no `=`.
    const j = c.judge(within, (v) => {
      const err = keyValueError(e.raw, v);
      return { key: 'kv', message: `A storage option is "key=value": dockerd fails with "${err}".`, dockerd: err };
    });
    if (!j) continue;
    const m = /^([A-Za-z0-9_.-]+)(?:[ \t]+|[ \t]*:[ \t]*)(\S.*)$/.exec(goTrimSpace(e.raw.slice(0)));
    const fixed = m && (isDmKey(m[1]!.toLowerCase()) || isOverlay2Key(m[1]!.toLowerCase())) ? `${m[1]}=${m[2]}` : undefined;
    const node = opts.nodes.get(e)!;
    c.addJudged('storage-opt-syntax', e.range, j, fixed ? { fix: { title: `Write "${fixed}"`, edits: [replaceEdit(c.map, node.offset, node.offset + node.length, jsonString(fixed))], preferred: true } } : {});
  }
}

/** Engines that know a dm key (since its first release, until the driver's removal). */
function dmKeyRange(key: DmKey): EngineRange {
  return { from: ver(DM_OPTIONS[key].since), until: MILESTONES.dmRemoved };
}

function knownAtEngine(c: Checker, key: DmKey): boolean {
  return !c.engine || inRange(c.engine, dmKeyRange(key));
}

function checkDmEntries(c: Checker, opts: Opts, explicitDriver: boolean): Map<DmKey, StorageOptEntry> {
  const effective = new Map<DmKey, StorageOptEntry>();
  const all = new Map<DmKey, StorageOptEntry[]>();
  const driverName = explicitDriver ? 'devicemapper' : undefined;
  for (const e of opts.entries) {
    if (e.value === undefined) continue;
    const lk = e.lowerKey;
    const owner = driverOfOptionKey(lk);
    if (c.full()) {
      // Past the cap only the mode model is kept up to date.
      if (isDmKey(lk) && knownAtEngine(c, lk)) effective.set(lk, e);
      continue;
    }
    if (owner && owner !== 'devicemapper') {
      const err = shown(dmUnknownOption(lk, c.engine ?? MILESTONES.sizeHandWritten));
      const remove = removeEntryEdit(c, opts, e);
      c.add('driver-option-mismatch', e.keyRange, `${e.key} is an option of the ${owner} driver, but the storage driver is devicemapper: dockerd fails with "${err}".`, {
        dockerd: err, ...(remove ? { fix: { title: `Remove ${e.key}`, edits: [remove] } } : {}),
      });
      continue;
    }
    if (!isDmKey(lk)) {
      const noWarn = lk === 'dm.no_warn_on_loop_devices';
      const suggestion = noWarn ? undefined : nearest(lk, DM_KEYS, 'dm.');
      const j = c.judge(DEVICEMAPPER_ENGINES, (v) => {
        const err = dmUnknownOption(lk, v);
        return {
          key: 'unknown',
          message: noWarn
            ? `dm.no_warn_on_loop_devices was suggested by the 1.10–1.11 docker info warning but never implemented: dockerd fails with "${shown(err)}". Remove it (or leave loop-lvm, see dm-loopback-mode).`
            : `Unknown devicemapper option "${lk}": dockerd fails with "${shown(err)}".${suggestion ? ` Did you mean ${suggestion}?` : ''}`,
          dockerd: err,
        };
      });
      if (!j) continue;
      const remove = removeEntryEdit(c, opts, e);
      const fix: DaemonFix | undefined = suggestion
        ? { title: `Change to ${suggestion}`, edits: [replaceEdit(c.map, e.keyOffsets.start, e.keyOffsets.end, jsonStringContent(suggestion))], preferred: true }
        : noWarn && remove ? { title: 'Remove dm.no_warn_on_loop_devices', edits: [remove], preferred: true } : undefined;
      c.addJudged('dm-unknown-option', e.keyRange, j, fix ? { fix } : {});
      continue;
    }
    const doc = DM_OPTIONS[lk];
    if (c.engine && !knownAtEngine(c, lk)) {
      if (atLeast(c.engine, MILESTONES.dmRemoved)) continue; // driver-removed covers it
      const err = dmUnknownOption(lk, c.engine);
      c.add('dm-unknown-option', e.keyRange, `${lk} was added in Engine ${formatVersion(ver(doc.since))}: Engine ${formatVersion(c.engine)} fails with "${shown(err)}".`, { dockerd: err });
      continue;
    }
    const list = all.get(lk) ?? [];
    list.push(e);
    all.set(lk, list);
    effective.set(lk, e);
    // §1.1–1.3: the value through dockerd's parser.
    const j = c.judge(dmKeyRange(lk), (v) => checkOptionValue(doc, e.value!, v));
    if (j) {
      const startup = c.engine ? startupLine(j.problem.dockerd ?? '', c.engine, driverName) : undefined;
      const edit = j.problem.fixValue !== undefined ? replaceValueEdit(c, e, j.problem.fixValue) : undefined;
      const hint = /\s+dm\.[a-z_]+=/i.test(e.value) ? ' Put each option into its own array element.' : '';
      c.addJudged('dm-invalid-value', entryValueRange(e), { ...j, message: j.message + hint }, {
        ...(edit ? { fix: { title: j.problem.fixTitle ?? 'Fix the value', edits: [edit], preferred: true } } : {}),
        ...(startup && j.problem.dockerd ? { dockerd: startup } : {}),
      });
    }
  }
  // Earlier duplicates: every case overwrites except mkfsarg/mountopt (§1.3).
  for (const [key, list] of all) {
    if (DM_OPTIONS[key].repeatable || list.length < 2) continue;
    const winner = list[list.length - 1]!;
    for (const e of list.slice(0, -1)) {
      if (c.full()) break;
      const remove = removeEntryEdit(c, opts, e);
      c.add('dm-ignored-option', e.keyRange, `${key} is given again on line ${winner.keyRange.start.line + 1}; dockerd keeps the last value, so this one has no effect.`, {
        related: [{ range: winner.keyRange, message: 'the value dockerd uses' }],
        ...(remove ? { fix: { title: `Remove this ${key}`, edits: [remove] } } : {}),
      });
    }
  }
  return effective;
}

const DEVICE_KEYS: readonly DmKey[] = ['dm.datadev', 'dm.metadatadev', 'dm.thinpooldev', 'dm.directlvm_device'];

function checkDmModes(c: Checker, opts: Opts, eff: Map<DmKey, StorageOptEntry>, loopAnchor: Range | undefined, migrate: DaemonFix | undefined): DmMode {
  const removeFix = (e: StorageOptEntry, title: string): Partial<DaemonFinding> => {
    const r = removeEntryEdit(c, opts, e);
    return r ? { fix: { title, edits: [r] } } : {};
  };
  // An empty device value leaves the option unset (dockerd accepts it silently; §1.3 modes).
  const set = (k: DmKey): StorageOptEntry | undefined => {
    const e = eff.get(k);
    return e && e.value !== '' ? e : undefined;
  };
  for (const k of DEVICE_KEYS) {
    const e = eff.get(k);
    if (e && e.value === '') c.add('dm-ignored-option', e.range, `An empty ${k} leaves it unset${k === 'dm.thinpooldev' || k === 'dm.directlvm_device' ? ': Docker falls back to loop files' : ''}.`, removeFix(e, `Remove ${k}`));
  }
  const device = set('dm.directlvm_device');
  const pool = set('dm.thinpooldev');
  const data = set('dm.datadev');
  const meta = set('dm.metadatadev');
  const mode: DmMode = pool ? 'pool' : device ? 'dlvm' : data || meta ? 'raw' : 'loop';

  // §1.5, §1.6: direct-lvm validation. A zero percentage leaves the LVM config at its zero value.
  const thinp = THINP_KEYS.map((k) => [k, eff.get(k)] as const).filter(([, e]) => e && (percentValue(e.value, Infinity) ?? 1) !== 0);
  if (pool && device) {
    const err = 'cannot setup direct-lvm when `dm.thinpooldev` is also specified';
    c.add('dm-conflict', device.keyRange, `dm.directlvm_device and dm.thinpooldev exclude each other: dockerd fails with "${err}". Keep one: direct-lvm builds a pool on the device, dm.thinpooldev uses an existing one.`, {
      dockerd: err, related: [{ range: pool.keyRange, message: 'dm.thinpooldev' }],
    });
  }
  if (!device) {
    const err = 'must provide device path in `dm.directlvm_device` in order to configure direct-lvm';
    for (const [k, e] of thinp) c.add('dm-conflict', e!.keyRange, `${k} configures direct-lvm, which needs dm.directlvm_device: dockerd fails with "${err}".`, { dockerd: err, ...removeFix(e!, `Remove ${k}`) });
  }
  const pe = eff.get('dm.thinp_percent');
  const me = eff.get('dm.thinp_metapercent');
  const p = percentValue(pe?.value, 99);
  const m = percentValue(me?.value, 99);
  // Only when both sides are known: an unparsable value is reported by itself.
  const comparable = (pe === undefined || p !== undefined) && (me === undefined || m !== undefined);
  if (comparable && (p ?? 0) > 0 !== (m ?? 0) > 0) {
    const err = 'must set both `dm.thinp_percent` and `dm.thinp_metapercent` if either is specified';
    const [have, missing, def] = (p ?? 0) > 0 ? [pe!, 'dm.thinp_metapercent', '1'] as const : [me!, 'dm.thinp_percent', '95'] as const;
    const existing = eff.get(missing);
    const edit = existing ? replaceValueEdit(c, existing, def) : insertEntryEdit(c, opts, have, `${missing}=${def}`);
    c.add('dm-conflict', have.keyRange, `dm.thinp_percent and dm.thinp_metapercent go together: dockerd fails with "${err}".`, {
      dockerd: err, ...(edit ? { fix: { title: `Set ${missing}=${def} (the default)`, edits: [edit], preferred: true } } : {}),
    });
  }
  if (p !== undefined && m !== undefined && p + m > 100) {
    const err = 'combined `dm.thinp_percent` and `dm.thinp_metapercent` must not be greater than 100';
    c.add('dm-conflict', entryValueRange(pe!), `dm.thinp_percent + dm.thinp_metapercent = ${p + m} %: dockerd fails with "${err}".`, { dockerd: err, related: [{ range: entryValueRange(me!), message: 'dm.thinp_metapercent' }] });
  }

  checkDeferred(c, opts, eff);

  // §1.5 mode matrix: accepted but unused.
  const modeName = DM_MODE_NAMES[mode];
  const ignored = (k: DmKey, why: string): void => {
    const e = set(k);
    if (e) c.add('dm-ignored-option', e.keyRange, `${k} has no effect ${why}.`, removeFix(e, `Remove ${k}`));
  };
  if (mode === 'pool' || mode === 'dlvm') {
    const why = `with ${modeName}: Docker does not create the pool${mode === 'dlvm' ? ' from loop files' : ''}`;
    ignored('dm.loopdatasize', why);
    ignored('dm.loopmetadatasize', why);
    ignored('dm.blocksize', `with ${modeName}${mode === 'dlvm' ? ' (direct-lvm always uses 512 KiB)' : ': the pool\'s block size was fixed when it was created'}`);
    ignored('dm.datadev', `with ${modeName}`);
    ignored('dm.metadatadev', `with ${modeName}`);
  }
  if (mode === 'raw') {
    if (data) ignored('dm.loopdatasize', 'with dm.datadev: the data is on that device, not in a loop file');
    if (meta) ignored('dm.loopmetadatasize', 'with dm.metadatadev: the metadata is on that device, not in a loop file');
  }
  if (!device) ignored('dm.directlvm_device_force', 'without dm.directlvm_device: it only lets direct-lvm wipe a device that has a filesystem');
  if (eff.get('dm.fs')?.value === 'ext4') ignored('dm.xfs_nospace_max_retries', 'with dm.fs=ext4: it configures XFS only');
  if (c.engine && inRange(c.engine, { from: MILESTONES.udevWarnOnlyFrom, until: MILESTONES.udevWarnOnlyUntil })) {
    ignored('dm.override_udev_sync_check', `in Engine ${formatVersion(c.engine)}: 1.7.1–1.10 only warn when udev sync is unsupported`);
  }

  // dm.blocksize: the kernel's rule, only where Docker creates the pool (§1.3, §3.1).
  const bs = set('dm.blocksize');
  if (bs && (mode === 'loop' || mode === 'raw')) {
    const j = c.judge(dmKeyRange('dm.blocksize'), (v) => {
      const r = ramInBytesEra(bs.value!, sizeEraOf(v));
      if (!r.ok || r.overflow || !Number.isFinite(r.bytes)) return undefined;
      const sectors = Number(BigInt.asUintN(32, BigInt(Math.trunc(r.bytes))) >> 9n);
      if (sectors >= 128 && sectors <= 2097152 && sectors % 128 === 0) return undefined;
      return {
        key: `sectors:${sectors}`,
        message: `dm.blocksize=${bs.value} is ${sectors} sectors of 512 bytes; the kernel takes 64 KiB to 1 GiB in multiples of 64 KiB, so creating the pool fails ("device-mapper: table: <maj:min>: thin-pool: Invalid block size"; dockerd: "devicemapper: Error running deviceCreate (CreatePool) dm_task_run failed").`,
        dockerd: 'devicemapper: Error running deviceCreate (CreatePool) dm_task_run failed',
        bytes: r.bytes,
      };
    });
    if (j) {
      const want = Math.min(1024 ** 3, Math.max(65536, Math.round((j.problem.bytes < 2 ** 32 ? j.problem.bytes : 65536) / 65536) * 65536));
      const edit = replaceValueEdit(c, bs, portableSize(want));
      c.addJudged('dm-invalid-value', entryValueRange(bs), j, edit ? { fix: { title: `Use dm.blocksize=${portableSize(want)}`, edits: [edit] } } : {});
    }
  }

  // dm-loopback-mode (§1.5, §4.4).
  if (loopAnchor && (!c.engine || !atLeast(c.engine, MILESTONES.dmRemoved))) {
    const dlvmHint = !c.engine || atLeast(c.engine, ver('17.06')) ? 'direct-lvm (dm.directlvm_device=<an empty block device>; Docker builds the LVM thin pool), or ' : '';
    const extra = migrate ? { moreFixes: [migrate] } : {};
    if (mode === 'loop') {
      c.add('dm-loopback-mode', loopAnchor, `devicemapper without dm.thinpooldev or dm.directlvm_device runs in loop-lvm mode: the pool lives in sparse files under <data-root>/devicemapper/devicemapper on loop devices, which Docker strongly discourages for production (slow, and space is hard to reclaim; docker info: "${LOOP_WARNING}"). Use ${dlvmHint}an LVM thin pool given with dm.thinpooldev — or migrate to overlay2.`, { dockerd: LOOP_WARNING, ...extra });
    } else if (mode === 'raw' && (!data || !meta)) {
      const side = data ? 'metadata' : 'data';
      c.add('dm-loopback-mode', loopAnchor, `Only dm.${data ? 'datadev' : 'metadatadev'} is set, so the pool's ${side} still lives in a loop file (loop-lvm for that side). Give both devices, or use dm.thinpooldev / direct-lvm.`, extra);
    }
  }

  // dm-blkdiscard-off (§1.3, §6.2): explicit false where the default is on.
  const bd = eff.get('dm.blkdiscard');
  if (bd && boolValue(bd.value) === false && (mode === 'loop' || mode === 'dlvm')) {
    const where = mode === 'loop'
      ? 'the sparse loop data file never shrinks, so the host filesystem does not get the space back'
      : 'the blocks are never discarded down to the LVM volume and the disk underneath';
    const edit = replaceValueEdit(c, bd, 'true');
    c.add('dm-blkdiscard-off', entryValueRange(bd), `With dm.blkdiscard=false Docker does not discard a thin device's blocks before deleting it: deleting images and containers frees space inside the pool, but ${where}. (Discarding makes removal slower on large devices.)`, {
      ...(edit ? { fix: { title: 'Set dm.blkdiscard=true', edits: [edit] } } : {}),
    });
  }
  return mode;
}

/** Deferred deletion needs deferred removal, including the 17.07+ default trap (devicemapper.md §1.3). */
function checkDeferred(c: Checker, opts: Opts, eff: Map<DmKey, StorageOptEntry>): void {
  const re = eff.get('dm.use_deferred_removal');
  const de = eff.get('dm.use_deferred_deletion');
  const R = boolValue(re?.value);
  const D = boolValue(de?.value);
  const err = DEFERRED_DELETION_ERROR;
  if (D === true && R === false) {
    const edit = replaceValueEdit(c, re!, 'true');
    c.add('dm-conflict', entryValueRange(de!), `Deferred deletion needs deferred removal, which is set to false: dockerd fails with "${err}".`, {
      dockerd: err, related: [{ range: entryValueRange(re!), message: 'dm.use_deferred_removal=false' }],
      ...(edit ? { fix: { title: 'Set dm.use_deferred_removal=true', edits: [edit], preferred: true } } : {}),
    });
  }
  if (D === true && re === undefined) {
    const j = c.judge(dmKeyRange('dm.use_deferred_deletion'), (v) => (atLeast(v, MILESTONES.deferredDefault) ? undefined : { key: 'old', message: `Deferred deletion needs deferred removal, which is off by default before Engine 17.07: dockerd fails with "${err}".`, dockerd: err }));
    const edit = insertEntryEdit(c, opts, de!, 'dm.use_deferred_removal=true', true);
    if (j) c.addJudged('dm-conflict', entryValueRange(de!), j, edit ? { fix: { title: 'Add dm.use_deferred_removal=true', edits: [edit], preferred: true } } : {});
  }
  if (R === false && de === undefined) {
    const j = c.judge(dmKeyRange('dm.use_deferred_removal'), (v) => (!atLeast(v, MILESTONES.deferredDefault) ? undefined : {
      key: 'trap',
      message: `From Engine 17.07 deferred deletion defaults to true where the kernel supports deferred removal (dm driver ≥ 4.27, kernel 3.13+), so turning only removal off makes dockerd fail with "${err}". Set dm.use_deferred_deletion=false too.`,
      dockerd: err,
    }));
    const edit = insertEntryEdit(c, opts, re!, 'dm.use_deferred_deletion=false');
    if (j) c.addJudged('dm-conflict', entryValueRange(re!), j, edit ? { fix: { title: 'Add dm.use_deferred_deletion=false', edits: [edit], preferred: true } } : {});
  }
}

function checkOverlay2Entries(c: Checker, opts: Opts, explicit: boolean): void {
  for (const e of opts.entries) {
    if (c.full()) return;
    if (e.value === undefined) continue;
    const lk = e.lowerKey;
    const owner = driverOfOptionKey(lk);
    if (owner && owner !== 'overlay2') {
      if (!explicit && owner === 'devicemapper') continue;
      const err = `overlay2: unknown option ${lk}`;
      const remove = removeEntryEdit(c, opts, e);
      c.add('driver-option-mismatch', e.keyRange, `${e.key} is an option of the ${owner} driver, but the storage driver is overlay2: dockerd fails with "${err}".`, {
        dockerd: err, ...(remove ? { fix: { title: `Remove ${e.key}`, edits: [remove] } } : {}),
      });
      continue;
    }
    if (!isOverlay2Key(lk)) {
      const err = `overlay2: unknown option ${lk}`;
      const suggestion = nearest(lk, OVERLAY2_KEYS, 'overlay2.');
      c.add('overlay2-unknown-option', e.keyRange, `Unknown overlay2 option "${lk}": dockerd fails with "${err}".${suggestion ? ` Did you mean ${suggestion}?` : ''}`, {
        dockerd: err,
        ...(suggestion ? { fix: { title: `Change to ${suggestion}`, edits: [replaceEdit(c.map, e.keyOffsets.start, e.keyOffsets.end, jsonStringContent(suggestion))], preferred: true } } : {}),
      });
      continue;
    }
    const doc = OVERLAY2_OPTIONS[lk];
    const j = c.judge({ from: ver('1.12') }, (v) => checkOptionValue(doc, e.value!, v));
    if (j) {
      const edit = j.problem.fixValue !== undefined ? replaceValueEdit(c, e, j.problem.fixValue) : undefined;
      c.addJudged('overlay2-invalid-value', entryValueRange(e), j, edit ? { fix: { title: j.problem.fixTitle ?? 'Fix the value', edits: [edit], preferred: true } } : {});
    }
  }
}

// ---------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------

function run(c: Checker, out: DaemonJsonAnalysis): void {
  if (goTrimSpace(c.text.replace(/^\ufeff/, '')) === '') return; // dockerd: an empty file is an empty configuration (§2.2)
  if (!checkJson(c)) return;
  const root = c.root;
  if (!root) return;
  if (root.type !== 'object') {
    if (root.type === 'null') return; // decodes to nothing
    const err = `json: cannot unmarshal ${goJsonType(root)} into Go value of type map[string]interface {}`;
    c.add('json-syntax', c.map.nodeRange(root), `daemon.json must hold one JSON object ({ … }): dockerd fails with "${err}".`, { dockerd: err });
    return;
  }
  checkDuplicates(c, root);
  for (const prop of root.children ?? []) {
    const k = prop.children?.[0];
    if (k?.type === 'string') c.top.set(goString(String(k.value)), prop);
  }
  checkTopLevelKeys(c);
  checkGraph(c);
  checkTypes(c);

  const driverProp = c.top.get('storage-driver');
  const dv = driverProp?.children?.[1];
  const driver = dv?.type === 'string' ? goString(mapString(c.text, dv).value) : undefined;
  if (driverProp && driver !== undefined) out.driver = { name: driver, range: c.contentRange(dv!) };
  const suggested = driverProp && driver !== undefined ? checkDriverName(c, driverProp, driver) : undefined;

  const opts = collectStorageOpts(c);
  out.storageOpts = opts.entries;
  if (opts.prop) out.storageOptsKeyRange = c.keyRange(opts.prop);
  const target = chooseTarget(driver, suggested, opts.entries);
  const migrate = target.kind === 'devicemapper' ? migrateFix(c, opts, driverProp) : undefined;

  if (driver === 'devicemapper' && driverProp) checkDeprecation(c, driverProp, migrate);
  checkEntrySyntax(c, opts, target);

  if (target.kind === 'devicemapper') {
    const hasDm = opts.entries.some((e) => e.lowerKey.startsWith('dm.'));
    if (!target.explicit && !driver && hasDm && opts.prop) {
      // §2.3: without storage-driver dockerd picks a driver; overlay2 rejects dm.* options.
      const first = opts.entries.find((e) => e.lowerKey.startsWith('dm.'))!;
      const j = c.judge({}, (v) => {
        if (atLeast(v, MILESTONES.dmRemoved)) return { key: 'removed', message: `No "storage-driver" is set and Engine 25+ has no devicemapper: dockerd picks another driver (overlay2) which fails with "overlay2: unknown option ${first.lowerKey}".`, dockerd: `overlay2: unknown option ${first.lowerKey}`, severity: 'error' };
        if (atLeast(v, MILESTONES.dmNotAutoSelected)) return { key: 'explicit', message: `No "storage-driver" is set: from Engine 23.0 devicemapper is never selected automatically, so dockerd picks overlay2, which fails with "overlay2: unknown option ${first.lowerKey}". Set "storage-driver": "devicemapper".`, dockerd: `overlay2: unknown option ${first.lowerKey}`, severity: 'error' };
        return { key: 'auto', message: `No "storage-driver" is set: dockerd chooses a driver by itself (overlay2 on most hosts), and any driver but devicemapper fails on dm.* options ("overlay2: unknown option ${first.lowerKey}"). Set "storage-driver": "devicemapper".`, severity: 'warning' };
      });
      if (j) {
        const fix: DaemonFix = { title: 'Add "storage-driver": "devicemapper"', edits: [insertFirstPropertyEdit(c.map, root, 'storage-driver', '"devicemapper"')], preferred: true };
        c.addJudged('driver-option-mismatch', c.keyRange(opts.prop), j, c.engine && atLeast(c.engine, MILESTONES.dmRemoved) ? {} : { fix });
      }
    }
    if (c.engine && atLeast(c.engine, MILESTONES.dmRemoved)) return;
    const eff = checkDmEntries(c, opts, target.explicit);
    const anchor = target.explicit && driverProp ? c.contentRange(driverProp.children![1]!) : opts.prop ? c.keyRange(opts.prop) : undefined;
    out.mode = checkDmModes(c, opts, eff, anchor, migrate);
    return;
  }
  if (target.kind === 'overlay2') {
    checkOverlay2Entries(c, opts, target.explicit);
    return;
  }
  if (target.kind === 'other') {
    for (const e of opts.entries) {
      const owner = driverOfOptionKey(e.lowerKey);
      if (!owner || owner === target.driver) continue;
      const remove = removeEntryEdit(c, opts, e);
      c.add('driver-option-mismatch', e.keyRange, `${e.key} is an option of the ${owner} driver, but the storage driver is ${target.driver}, which rejects options it does not know: dockerd does not start.`, remove ? { fix: { title: `Remove ${e.key}`, edits: [remove] } } : {});
    }
  }
}

/** Everything the checker learnt: findings plus the storage model (for hovers, completion and quick fixes). */
export function analyzeDaemonJson(text: string, options: ValidateOptions = {}): DaemonJsonAnalysis {
  const engine = parseEngineVersion(options.engine);
  const out: DaemonJsonAnalysis = { findings: [], storageOpts: [], ...(engine ? { engine } : {}) };
  const c = new Checker(typeof text === 'string' ? text : '', engine, options);
  try {
    run(c, out);
  } catch {
    // Never throw on user input; keep what was found so far.
  }
  // Reading order, as editors and the CLI list them (rules run grouped by concern, not by position).
  out.findings = c.findings.slice().sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return out;
}

/** The findings for a daemon.json text (issue 4 §3). `options.engine`: e.g. `17.06.0-ce`, `20.10.24`; unset = unknown. */
export function validateDaemonJson(text: string, options: { engine?: string; maxFindings?: number } = {}): DaemonFinding[] {
  return analyzeDaemonJson(text, options).findings;
}

const DETECT_LIMIT = 1 << 20;

/** daemon.json by file name, or JSON whose top level has "storage-driver" or "storage-opts". */
export function isDaemonJson(path: string, text: string): boolean {
  const base = (path.split(/[\\/]/).pop() ?? '').toLowerCase();
  if (base === 'daemon.json') return true;
  if (typeof text !== 'string') return false;
  const head = text.length > DETECT_LIMIT ? text.slice(0, DETECT_LIMIT) : text;
  if (!/"storage-(?:driver|opts)"\s*:/.test(head)) return false;
  try {
    if (scanTokens(head, DEPTH_LIMIT, 0).tooDeepAt !== undefined) return false;
    const root = parseTree(head, [], { allowTrailingComma: true, disallowComments: false });
    if (root?.type !== 'object') return false;
    return (root.children ?? []).some((p) => {
      const k = p.children?.[0];
      return k?.type === 'string' && (k.value === 'storage-driver' || k.value === 'storage-opts');
    });
  } catch {
    return false;
  }
}
