import { NO_FEATURES, isLoopDataDev, newStatusRecord, newTableRecord, type PoolStatusRecord, type PoolTableRecord, packSpan, singleFeature, statusExtra } from '../transcript/records.js';

/**
 * The hot path of transcript parsing: a well-formed thin-pool status or table
 * line read with character-code checks straight into its record, without the
 * word objects, tokens and spans of a ParsedLine.
 *
 * It accepts only what `parseDmTargetLine` reads as a thin-pool status or table
 * line **without** a problem, an unknown word, a special word (Fail, Error) or
 * a number beyond 15 digits; anything else returns undefined and takes the full
 * parser (whose result is turned into the same record), so both paths give the
 * same facts and findings. The rules mirror dmTargetLine.ts step by step.
 */

/** Word boundaries of the parameters, reused for every line (no allocation per word). */
const MAX_WORDS = 128;
const WORD_START = new Int32Array(MAX_WORDS);
const WORD_END = new Int32Array(MAX_WORDS);

/** Number read by `readDigits` (valid when it returns true). */
let digitsValue = 0;

/** JavaScript's WhiteSpace and LineTerminator (what String.prototype.trimEnd removes). */
export function isJsSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Length of `line.trimEnd()`, without making the string. */
export function trimmedEnd(line: string): number {
  let end = line.length;
  while (end > 0 && isJsSpace(line.charCodeAt(end - 1))) end--;
  return end;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isWordOrDash(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45;
}

/** [s, e) is 1–15 digits; the value goes to digitsValue (exact below 10^15). */
function readDigits(line: string, s: number, e: number): boolean {
  const n = e - s;
  if (n < 1 || n > 15) return false;
  let v = 0;
  for (let i = s; i < e; i++) {
    const c = line.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    v = v * 10 + (c - 48);
  }
  digitsValue = v;
  return true;
}

function allDigits(line: string, s: number, e: number): boolean {
  if (e <= s) return false;
  for (let i = s; i < e; i++) if (!isDigit(line.charCodeAt(i))) return false;
  return true;
}

/** [s, e) of the line is `word` (the length first: most candidates differ there). */
function is(line: string, s: number, e: number, word: string): boolean {
  return e - s === word.length && line.startsWith(word, s);
}

/** Positions found by `head`: start and length numbers, and the target word. */
let headStartEnd = 0;
let headLengthStart = 0;
let headLengthEnd = 0;
let headTargetStart = 0;

/**
 * HEAD of dmTargetLine.ts at `pos`: /^(\d{1,20}) (\d{1,20}) ([A-Za-z][\w-]{0,63})(?= |$)/
 * over the trimmed text [pos, end). Returns the end of the target word, or -1.
 */
function head(line: string, pos: number, end: number): number {
  let i = pos;
  while (i < end && isDigit(line.charCodeAt(i))) i++;
  if (i === pos || i - pos > 20 || i >= end || line.charCodeAt(i) !== 32) return -1;
  headStartEnd = i;
  const l0 = ++i;
  while (i < end && isDigit(line.charCodeAt(i))) i++;
  if (i === l0 || i - l0 > 20 || i >= end || line.charCodeAt(i) !== 32) return -1;
  headLengthStart = l0;
  headLengthEnd = i;
  const t0 = ++i;
  if (i >= end) return -1;
  const c = line.charCodeAt(i);
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return -1;
  i++;
  while (i < end && isWordOrDash(line.charCodeAt(i))) i++;
  if (i - t0 > 64) return -1;
  if (i < end && line.charCodeAt(i) !== 32) return -1;
  headTargetStart = t0;
  return i;
}

export interface FastContext {
  source: 'status' | 'table' | undefined;
  deviceArg: string | undefined;
}

/**
 * A thin-pool status or table line as its record, or undefined when the full
 * parser must read it (not a target line, another target, or anything unusual).
 */
export function scanPoolLine(line: string, ctx: FastContext, lineNo: number): PoolStatusRecord | PoolTableRecord | undefined {
  const end = trimmedEnd(line);
  let targetEnd = head(line, 0, end);
  let prefixEnd = 0;
  let name: string | undefined;
  if (targetEnd < 0) {
    const sep = line.indexOf(': ');
    if (sep <= 0 || sep > 1024 || sep + 2 > end) return undefined;
    targetEnd = head(line, sep + 2, end);
    if (targetEnd < 0) return undefined;
    prefixEnd = sep;
    name = line.slice(0, sep);
  } else if (ctx.deviceArg) {
    name = ctx.deviceArg;
  }
  const targetStart = headTargetStart;
  if (!is(line, targetStart, targetEnd, 'thin-pool')) return undefined;
  const startOk = headStartEnd - (prefixEnd ? prefixEnd + 2 : 0) <= 15;
  if (!startOk || !readDigits(line, headLengthStart, headLengthEnd)) return undefined;
  const lengthSectors = digitsValue;
  // The parameters: runs of spaces and tabs separate words (words() in text/words.ts).
  let n = 0;
  let i = targetEnd;
  while (i < end) {
    let c = line.charCodeAt(i);
    while (i < end && (c === 32 || c === 9)) c = line.charCodeAt(++i);
    if (i >= end) break;
    if (n === MAX_WORDS) return undefined;
    WORD_START[n] = i;
    while (i < end && c !== 32 && c !== 9) c = line.charCodeAt(++i);
    WORD_END[n++] = i;
  }
  // looksLikePoolTable: the first parameter is maj:min or a path.
  let asTable = false;
  if (n > 0) {
    const s = WORD_START[0]!;
    const e = WORD_END[0]!;
    if (line.charCodeAt(s) === 47) asTable = true;
    else {
      const colon = line.indexOf(':', s);
      asTable = colon > s && colon < e - 1 && allDigits(line, s, colon) && allDigits(line, colon + 1, e);
    }
  }
  const source = ctx.source ?? (asTable ? 'table' : 'status');
  return source === 'table' ? scanTable(line, n, name, prefixEnd, targetStart, lengthSectors, lineNo) : scanStatus(line, n, name, prefixEnd, targetStart, targetEnd, lengthSectors, lineNo);
}

/** Reads word k as `<used>/<total>`; false unless both are 1–15 digits. */
let ratioUsed = 0;
let ratioTotal = 0;
function ratio(line: string, k: number): boolean {
  const s = WORD_START[k]!;
  const e = WORD_END[k]!;
  const slash = line.indexOf('/', s);
  if (slash <= s || slash >= e) return false;
  if (!readDigits(line, s, slash)) return false;
  ratioUsed = digitsValue;
  if (!readDigits(line, slash + 1, e)) return false;
  ratioTotal = digitsValue;
  return true;
}

function scanStatus(line: string, n: number, name: string | undefined, prefixEnd: number, targetStart: number, targetEnd: number, lengthSectors: number, lineNo: number): PoolStatusRecord | undefined {
  // Fewer than three fields, a bad transaction or ratio, 'Fail'/'Error' or a huge number: full parser.
  if (n < 3) return undefined;
  if (!readDigits(line, WORD_START[0]!, WORD_END[0]!)) return undefined;
  if (!ratio(line, 1)) return undefined;
  const metaUsed = ratioUsed;
  const metaTotal = ratioTotal;
  if (!ratio(line, 2)) return undefined;
  const dataUsed = ratioUsed;
  const dataTotal = ratioTotal;
  // The problems parsePoolStatus reports after reading every field.
  if (dataUsed > dataTotal || metaUsed > metaTotal || dataTotal === 0 || metaTotal === 0) return undefined;
  const r = newStatusRecord(lineNo);
  r.name = name;
  r.dataUsed = dataUsed;
  r.dataTotal = dataTotal;
  r.lengthSectors = lengthSectors;
  r.prefixEnd = prefixEnd;
  r.target = packSpan(targetStart, targetEnd);
  r.metaUsed = metaUsed;
  r.metaTotal = metaTotal;
  r.meta = packSpan(WORD_START[1]!, WORD_END[1]!);
  r.data = packSpan(WORD_START[2]!, WORD_END[2]!);
  if (n > 3) {
    const s = WORD_START[3]!;
    const e = WORD_END[3]!;
    if (e - s === 1 && line.charCodeAt(s) === 45) {
      // '-': no snapshot held.
    } else if (readDigits(line, s, e)) {
      const x = statusExtra();
      x.held = true;
      x.heldValue = digitsValue;
      x.heldStart = s;
      x.heldEnd = e;
      r.extra = x;
    } else {
      return undefined;
    }
  }
  for (let k = 4; k < n; k++) {
    const s = WORD_START[k]!;
    const e = WORD_END[k]!;
    const len = e - s;
    if (r.mode === undefined && ((len === 2 && (is(line, s, e, 'rw') || is(line, s, e, 'ro'))) || is(line, s, e, 'out_of_data_space'))) {
      r.mode = line.charCodeAt(s + 1) === 119 ? 'rw' : line.charCodeAt(s + 1) === 111 ? 'ro' : 'out_of_data_space';
      r.modeSpan = packSpan(s, e);
    } else if (r.discard === undefined && (is(line, s, e, 'discard_passdown') || is(line, s, e, 'no_discard_passdown') || is(line, s, e, 'ignore_discard'))) {
      r.discard = len === 16 ? 'discard_passdown' : len === 19 ? 'no_discard_passdown' : 'ignore_discard';
      r.discardSpan = packSpan(s, e);
    } else if (r.noSpace === undefined && (is(line, s, e, 'queue_if_no_space') || is(line, s, e, 'error_if_no_space'))) {
      r.noSpace = line.charCodeAt(s) === 113 ? 'queue_if_no_space' : 'error_if_no_space';
      r.noSpaceSpan = packSpan(s, e);
    } else if (r.needsCheck === undefined && ((len === 1 && line.charCodeAt(s) === 45) || is(line, s, e, 'needs_check'))) {
      r.needsCheck = len !== 1;
      r.needsCheckSpan = packSpan(s, e);
    } else if (k === n - 1 && allDigits(line, s, e)) {
      // The metadata low water mark (4.19+): not part of any finding.
    } else {
      return undefined;
    }
  }
  return r;
}

const KERNEL_FEATURES = ['skip_block_zeroing', 'ignore_discard', 'no_discard_passdown', 'read_only', 'error_if_no_space'];

/** A one-feature list: a shared one for the features the kernel writes, without slicing the line. */
function featureList(line: string, s: number, e: number): string[] {
  for (const f of KERNEL_FEATURES) if (is(line, s, e, f)) return singleFeature(f);
  return [line.slice(s, e)];
}

function scanTable(line: string, n: number, name: string | undefined, prefixEnd: number, targetStart: number, lengthSectors: number, lineNo: number): PoolTableRecord | undefined {
  // "<meta dev> <data dev> <block size> <low water> [<#features> <feature>…]"; anything else: full parser.
  if (n < 4) return undefined;
  if (!readDigits(line, WORD_START[2]!, WORD_END[2]!)) return undefined;
  const blockSectors = digitsValue;
  if (blockSectors < 128 || blockSectors > 2097152 || blockSectors % 128 !== 0) return undefined;
  if (!readDigits(line, WORD_START[3]!, WORD_END[3]!)) return undefined;
  const lowWater = digitsValue;
  if (n > 4) {
    if (!readDigits(line, WORD_START[4]!, WORD_END[4]!)) return undefined;
    if (digitsValue !== n - 5) return undefined;
  }
  const r = newTableRecord(lineNo);
  r.name = name;
  r.blockSectors = blockSectors;
  r.lowWater = lowWater;
  const ds = WORD_START[1]!;
  const de = WORD_END[1]!;
  r.dataDev = line.slice(ds, de);
  // devno(): /^(\d{1,10}):(\d{1,10})$/
  const colon = line.indexOf(':', ds);
  if (colon > ds && colon < de && colon - ds <= 10 && de - colon - 1 <= 10 && colon + 1 < de && readDigits(line, ds, colon)) {
    const major = digitsValue;
    if (readDigits(line, colon + 1, de)) {
      r.dataMajor = major;
      r.dataMinor = digitsValue;
    }
  }
  if (n === 6) {
    r.features = featureList(line, WORD_START[5]!, WORD_END[5]!);
  } else if (n > 6) {
    const features: string[] = [];
    for (let k = 5; k < n; k++) features.push(line.slice(WORD_START[k], WORD_END[k]));
    r.features = features;
  } else {
    r.features = NO_FEATURES as string[];
  }
  r.prefixEnd = prefixEnd;
  r.targetStart = targetStart;
  r.lengthSectors = lengthSectors;
  r.dataSpan = packSpan(ds, de);
  r.loop = isLoopDataDev(r.dataDev, r.dataMajor);
  return r;
}
