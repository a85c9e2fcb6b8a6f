import type { Span } from '../text/position.js';
import type { DiscardMode, DmTargetLine, NoSpacePolicy, ParsedLine, PoolMode, ThinPoolStatus, ThinPoolTable } from './lineTypes.js';
import type { PoolStatusFact, PoolTableFact } from './facts.js';
import type { ParsedBlock } from './parseBlock.js';

/**
 * What a segment keeps of its lines after parsing. A segment does not hold a
 * ParsedLine (tokens, spans) per line: it keeps its facts and, for the lines
 * that can give a finding, a **record** with exactly what diagnosis reads.
 * Thin-pool status and table lines — the bulk of a transcript — are compact
 * objects that are at the same time their fact and their entry in the
 * document index (`fact` is the record itself, `block` its segment), so such a
 * line costs one object. Other lines that matter keep their ParsedLine.
 * Hovers, inlay hints and symbols re-parse the lines they show (ParsedBlock.lines).
 */

export const STATUS_RECORD = 0;
export const TABLE_RECORD = 1;
export const LINE_RECORD = 2;

export const NO_SPANS: readonly Span[] = Object.freeze([]);
export const NO_FEATURES: readonly string[] = Object.freeze([]);

/** A span [start, end) of a line (both ≤ 16 384) packed in one small integer. */
const SPAN = 32768;
export function packSpan(start: number, end: number): number {
  return start * SPAN + end;
}
export function spanStart(packed: number): number {
  return Math.floor(packed / SPAN);
}
export function spanEnd(packed: number): number {
  return packed % SPAN;
}

/** What few status lines have: a special word, a problem, inexact numbers, unknown words, a held snapshot. */
export interface StatusExtra {
  special?: 'Fail' | 'Error';
  /** The special word's span (the line's last token). */
  specialStart: number;
  specialEnd: number;
  problem?: string;
  /** End of the invalid-status-line range: the last token, an unknown word or the target, whichever ends last. */
  problemEnd: number;
  /** Start and length beyond 2^53, in that order (number-too-large). */
  targetInexact: readonly Span[];
  /** Transaction, metadata used/total, data used/total beyond 2^53, in that order. */
  numbersInexact: readonly Span[];
  unknown: readonly Span[];
  /** A held metadata snapshot root (a number in field 4). */
  held: boolean;
  heldValue?: number;
  heldStart: number;
  heldEnd: number;
}

export function statusExtra(): StatusExtra {
  return { specialStart: 0, specialEnd: 0, problemEnd: 0, targetInexact: NO_SPANS, numbersInexact: NO_SPANS, unknown: NO_SPANS, held: false, heldStart: 0, heldEnd: 0 };
}

/** A thin-pool status line: its fact, its index entry and every field its diagnosis reads. */
export interface PoolStatusRecord extends PoolStatusFact {
  readonly tag: typeof STATUS_RECORD;
  name: string | undefined;
  line: number;
  dataUsed: number | undefined;
  dataTotal: number | undefined;
  lengthSectors: number;
  /** The segment (set when the segment is made). */
  block: ParsedBlock;
  metaUsed: number | undefined;
  metaTotal: number | undefined;
  /** End of the `<name>: ` prefix (the device span is [0, prefixEnd)); 0 when the name came from the command line or there is none. */
  prefixEnd: number;
  /** Packed spans (packSpan) of the target word, `used/total` of metadata and data (0: absent), and the keywords. */
  target: number;
  meta: number;
  data: number;
  mode: PoolMode | undefined;
  modeSpan: number;
  discard: DiscardMode | undefined;
  discardSpan: number;
  noSpace: NoSpacePolicy | undefined;
  noSpaceSpan: number;
  needsCheck: boolean | undefined;
  needsCheckSpan: number;
  extra: StatusExtra | undefined;
  /** The record is its own fact (index entries are `{ fact, block }`). */
  fact: PoolStatusRecord;
}

/**
 * A new status record. Made by one object literal (not a class) on purpose:
 * records live as long as their segment, and V8 allocates objects of a literal
 * site that keep surviving straight in the old generation, sparing the young
 * generation the copying.
 */
export function newStatusRecord(line: number): PoolStatusRecord {
  const r: PoolStatusRecord = {
    tag: STATUS_RECORD,
    name: undefined,
    line,
    dataUsed: undefined,
    dataTotal: undefined,
    lengthSectors: 0,
    block: null as unknown as ParsedBlock,
    metaUsed: undefined,
    metaTotal: undefined,
    prefixEnd: 0,
    target: 0,
    meta: 0,
    data: 0,
    mode: undefined,
    modeSpan: 0,
    discard: undefined,
    discardSpan: 0,
    noSpace: undefined,
    noSpaceSpan: 0,
    needsCheck: undefined,
    needsCheckSpan: 0,
    extra: undefined,
    fact: null as unknown as PoolStatusRecord,
  };
  r.fact = r;
  return r;
}

/** What few table lines have: a problem or inexact numbers. */
export interface TableExtra {
  problem?: string;
  /** End of the invalid-table-line range (the line's last token). */
  problemEnd: number;
  targetInexact: readonly Span[];
}

/** A thin-pool table line: its fact, its index entry and what its diagnosis reads. */
export interface PoolTableRecord extends PoolTableFact {
  readonly tag: typeof TABLE_RECORD;
  name: string | undefined;
  line: number;
  blockSectors: number | undefined;
  lowWater: number | undefined;
  dataDev: string;
  dataMajor: number | undefined;
  dataMinor: number | undefined;
  features: string[];
  block: ParsedBlock;
  /** The `related` link findings share for this table, and the line it was made for (analysis/diagnose.ts). */
  link: unknown;
  linkLine: number;
  prefixEnd: number;
  targetStart: number;
  /** The target's length (the word before `thin-pool`), for the inlay hint beside it. */
  lengthSectors: number;
  /** Packed span of the data device. */
  dataSpan: number;
  /** The data device is a loop device (loop-backed-pool). */
  loop: boolean;
  extra: TableExtra | undefined;
  fact: PoolTableRecord;
}

/** A new table record (one literal site, like newStatusRecord). */
export function newTableRecord(line: number): PoolTableRecord {
  const r: PoolTableRecord = {
    tag: TABLE_RECORD,
    name: undefined,
    line,
    blockSectors: undefined,
    lowWater: undefined,
    dataDev: '',
    dataMajor: undefined,
    dataMinor: undefined,
    features: NO_FEATURES as string[],
    block: null as unknown as ParsedBlock,
    link: undefined,
    linkLine: -1,
    prefixEnd: 0,
    targetStart: 0,
    lengthSectors: 0,
    dataSpan: 0,
    loop: false,
    extra: undefined,
    fact: null as unknown as PoolTableRecord,
  };
  r.fact = r;
  return r;
}

/** Any other line that can give a finding (docker info, warnings, lvs rows, kernel and log lines, other targets). */
export interface LineRecord {
  readonly tag: typeof LINE_RECORD;
  line: number;
  p: ParsedLine;
}

export type DiagRecord = PoolStatusRecord | PoolTableRecord | LineRecord;

const LOOP_DEV = /^\/dev\/loop\d+$/;

export function isLoopDataDev(text: string, major: number | undefined): boolean {
  return major === 7 || (text.length > 9 && text.charCodeAt(0) === 47 && LOOP_DEV.test(text));
}

/** Features written by the kernel, shared instead of sliced from every table line. */
const KNOWN_FEATURES = new Map<string, string[]>(
  ['skip_block_zeroing', 'ignore_discard', 'no_discard_passdown', 'read_only', 'error_if_no_space'].map((f) => [f, Object.freeze([f]) as unknown as string[]]),
);

/** A one-feature list; the common ones are shared (frozen) arrays. */
export function singleFeature(f: string): string[] {
  return KNOWN_FEATURES.get(f) ?? [f];
}

function inexactOf(p: DmTargetLine): readonly Span[] {
  if (p.start.exact && p.length.exact) return NO_SPANS;
  const out: Span[] = [];
  for (const n of [p.start, p.length]) if (!n.exact) out.push(n.span);
  return out;
}

function lastTokenEnd(p: ParsedLine): number {
  return p.tokens.length > 0 ? p.tokens[p.tokens.length - 1]!.end : 0;
}

/** The record of a status line read by the full parser (any form, problems included). */
export function statusRecordOf(p: DmTargetLine, s: ThinPoolStatus, line: number): PoolStatusRecord {
  const r = newStatusRecord(line);
  r.name = p.device?.name;
  r.dataUsed = s.dataUsed?.value;
  r.dataTotal = s.dataTotal?.value;
  r.lengthSectors = p.length.value;
  r.prefixEnd = p.device && !p.device.fromCommand ? p.device.span.end : 0;
  r.target = packSpan(p.target.span.start, p.target.span.end);
  const x = statusExtra();
  x.targetInexact = inexactOf(p);
  if (s.special) {
    const last = p.tokens[p.tokens.length - 1]!;
    x.special = s.special;
    x.specialStart = last.start;
    x.specialEnd = last.end;
  }
  if (s.problem) {
    x.problem = s.problem;
    let end = lastTokenEnd(p);
    for (const u of s.unknown) if (u.end > end) end = u.end;
    x.problemEnd = Math.max(end, p.target.span.end);
  }
  const numbers = [s.transaction, s.metaUsed, s.metaTotal, s.dataUsed, s.dataTotal];
  if (numbers.some((n) => n && !n.exact)) x.numbersInexact = numbers.filter((n) => n !== undefined && !n.exact).map((n) => n!.span);
  r.metaUsed = s.metaUsed?.value;
  r.metaTotal = s.metaTotal?.value;
  if (s.metaSpan) r.meta = packSpan(s.metaSpan.start, s.metaSpan.end);
  if (s.dataSpan) r.data = packSpan(s.dataSpan.start, s.dataSpan.end);
  if (s.heldRoot?.held) {
    x.held = true;
    x.heldValue = s.heldRoot.value;
    x.heldStart = s.heldRoot.span.start;
    x.heldEnd = s.heldRoot.span.end;
  }
  if (s.mode) {
    r.mode = s.mode.value;
    r.modeSpan = packSpan(s.mode.span.start, s.mode.span.end);
  }
  if (s.discard) {
    r.discard = s.discard.value;
    r.discardSpan = packSpan(s.discard.span.start, s.discard.span.end);
  }
  if (s.noSpace) {
    r.noSpace = s.noSpace.value;
    r.noSpaceSpan = packSpan(s.noSpace.span.start, s.noSpace.span.end);
  }
  if (s.needsCheck) {
    r.needsCheck = s.needsCheck.value;
    r.needsCheckSpan = packSpan(s.needsCheck.span.start, s.needsCheck.span.end);
  }
  if (s.unknown.length > 0) x.unknown = s.unknown;
  if (x.special || x.problem || x.targetInexact.length > 0 || x.numbersInexact.length > 0 || x.unknown.length > 0 || x.held) r.extra = x;
  return r;
}

/** The record of a table line read by the full parser. */
export function tableRecordOf(p: DmTargetLine, t: ThinPoolTable, line: number): PoolTableRecord {
  const r = newTableRecord(line);
  r.name = p.device?.name;
  r.blockSectors = t.blockSectors?.value;
  r.lowWater = t.lowWater?.value;
  r.dataDev = t.dataDev.text;
  r.dataMajor = t.dataDev.devno?.major;
  r.dataMinor = t.dataDev.devno?.minor;
  r.features = t.features.map((f) => f.value);
  r.prefixEnd = p.device && !p.device.fromCommand ? p.device.span.end : 0;
  r.targetStart = p.target.span.start;
  r.lengthSectors = p.length.value;
  const inexact = inexactOf(p);
  if (t.problem || inexact.length > 0) r.extra = { problem: t.problem, problemEnd: t.problem ? lastTokenEnd(p) : 0, targetInexact: inexact };
  r.dataSpan = packSpan(t.dataDev.span.start, t.dataDev.span.end);
  r.loop = isLoopDataDev(t.dataDev.text, t.dataDev.devno?.major);
  return r;
}

/** A table record gives a finding only with a problem, a loop data device or an inexact number. */
export function tableNeedsDiagnosis(r: PoolTableRecord): boolean {
  return r.loop || r.extra !== undefined;
}
