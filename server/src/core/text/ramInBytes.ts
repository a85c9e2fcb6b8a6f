/**
 * Docker's size parser `units.RAMInBytes` in its four eras, and the pieces of
 * Go's `strconv`/`strings` that dockerd runs on storage-option values, so the
 * editor reports exactly the text dockerd would print.
 * Source: ../shared/reference/devicemapper.md §1.1 (value parsers), §1.2 (RAMInBytes eras; S8, S9).
 */
import { type EngineRange, type EngineVersion, MILESTONES, compareVersions, describeRange, parseEngineVersion } from '../knowledge/engineVersions.js';

// ---------------------------------------------------------------------------
// Go string helpers
// ---------------------------------------------------------------------------

/** `unicode.IsSpace`: what Go's `strings.TrimSpace` removes (not U+FEFF, but U+0085). */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

export function isGoSpace(ch: string): boolean {
  return ch.length > 0 && GO_SPACE.test(ch);
}

/** Go's `strings.TrimSpace`, returning the kept span too. */
export function goTrimSpan(s: string): { start: number; end: number } {
  let start = 0;
  let end = s.length;
  while (start < end && isGoSpace(s[start]!)) start++;
  while (end > start && isGoSpace(s[end - 1]!)) end--;
  return { start, end };
}

export function goTrimSpace(s: string): string {
  const { start, end } = goTrimSpan(s);
  return s.slice(start, end);
}

const GO_PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Go's `strconv.Quote` (as used in `NumError` messages). Lone surrogates print as U+FFFD, as Go's JSON decoder makes them. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd';
    else if (GO_PRINTABLE.test(ch)) out += ch;
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\v') out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out + '"';
}

/** Number of UTF-8 bytes of a string (Go's `len`). */
export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

// ---------------------------------------------------------------------------
// Go strconv
// ---------------------------------------------------------------------------

export type GoParse<T> = { ok: true; value: T } | { ok: false; error: string };

function numError(fn: string, s: string, what: 'invalid syntax' | 'value out of range'): { ok: false; error: string } {
  return { ok: false, error: `strconv.${fn}: parsing ${goQuote(s)}: ${what}` };
}

/** `strconv.ParseBool` (devicemapper.md §1.1). */
export function goParseBool(s: string): GoParse<boolean> {
  switch (s) {
    case '1': case 't': case 'T': case 'TRUE': case 'true': case 'True':
      return { ok: true, value: true };
    case '0': case 'f': case 'F': case 'FALSE': case 'false': case 'False':
      return { ok: true, value: false };
    default:
      return numError('ParseBool', s, 'invalid syntax');
  }
}

/** The digit loop of Go's ParseUint (base 10): a range error wins as soon as the value overflows, even if a bad character follows. */
function parseUintCore(s: string, bits: 32 | 64): { ok: true; value: bigint } | { ok: false; what: 'invalid syntax' | 'value out of range' } {
  if (s === '') return { ok: false, what: 'invalid syntax' };
  const max = (1n << BigInt(bits)) - 1n;
  let n = 0n;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return { ok: false, what: 'invalid syntax' };
    n = n * 10n + BigInt(c - 48);
    if (n > max) return { ok: false, what: 'value out of range' };
  }
  return { ok: true, value: n };
}

/** `strconv.ParseUint(s, 10, bits)`: digits only, no sign, no underscores. */
export function goParseUint(s: string, bits: 32 | 64): GoParse<bigint> {
  const r = parseUintCore(s, bits);
  return r.ok ? r : numError('ParseUint', s, r.what);
}

/** `strconv.ParseInt(s, 10, bits)`. */
export function goParseInt(s: string, bits: 32 | 64): GoParse<bigint> {
  let body = s;
  let neg = false;
  if (body[0] === '+' || body[0] === '-') {
    neg = body[0] === '-';
    body = body.slice(1);
  }
  const r = parseUintCore(body, bits);
  if (!r.ok) return numError('ParseInt', s, r.what);
  const cutoff = 1n << BigInt(bits - 1);
  if (!neg && r.value >= cutoff) return numError('ParseInt', s, 'value out of range');
  if (neg && r.value > cutoff) return numError('ParseInt', s, 'value out of range');
  return { ok: true, value: neg ? -r.value : r.value };
}

function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && /[box]/i.test(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1]!.toLowerCase() === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-f]/i.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/**
 * `strconv.ParseFloat(s, 64)`: Go float syntax (decimal, hexadecimal with a `p`
 * exponent, `_` digit separators, `inf`/`infinity`/`nan`); overflow is a range error.
 */
export function goParseFloat(s: string): GoParse<number> {
  const special = /^([+-]?)(inf|infinity)$/i.exec(s);
  if (special) return { ok: true, value: special[1] === '-' ? -Infinity : Infinity };
  if (/^nan$/i.test(s)) return { ok: true, value: NaN };
  const syntax = numError('ParseFloat', s, 'invalid syntax');
  let i = 0;
  let sign = 1;
  if (s[i] === '+' || s[i] === '-') {
    if (s[i] === '-') sign = -1;
    i++;
  }
  let hex = false;
  if (i + 2 < s.length && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X')) {
    hex = true;
    i += 2;
  }
  const isDigit = (c: string): boolean => (c >= '0' && c <= '9') || (hex && /^[0-9a-f]$/i.test(c));
  let mant = '';
  let sawDot = false;
  let sawDigits = false;
  let underscores = false;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '_') {
      underscores = true;
      continue;
    }
    if (c === '.') {
      if (sawDot) break;
      sawDot = true;
      mant += '.';
      continue;
    }
    if (isDigit(c)) {
      sawDigits = true;
      mant += c;
      continue;
    }
    break;
  }
  if (!sawDigits) return syntax;
  let exp = 0;
  let expText = '';
  const expChar = hex ? 'p' : 'e';
  if (i < s.length && s[i]!.toLowerCase() === expChar) {
    i++;
    if (i >= s.length) return syntax;
    let esign = '';
    if (s[i] === '+' || s[i] === '-') {
      esign = s[i] === '-' ? '-' : '';
      i++;
    }
    if (i >= s.length || s[i]! < '0' || s[i]! > '9') return syntax;
    for (; i < s.length && ((s[i]! >= '0' && s[i]! <= '9') || s[i] === '_'); i++) {
      if (s[i] === '_') {
        underscores = true;
        continue;
      }
      expText += s[i];
    }
    exp = Number(esign + expText);
  } else if (hex) {
    return syntax;
  }
  if (i !== s.length) return syntax;
  if (underscores && !underscoreOK(s)) return syntax;
  let value: number;
  if (hex) {
    const [intPart = '', fracPart = ''] = mant.split('.');
    const digits = intPart + fracPart;
    value = digits === '' ? 0 : parseInt(digits.slice(0, 30), 16) * Math.pow(16, Math.max(0, digits.length - 30));
    value *= Math.pow(2, exp - 4 * fracPart.length);
  } else {
    value = Number(`${mant.startsWith('.') ? '0' : ''}${mant}${mant.endsWith('.') ? '0' : ''}${expText ? `e${exp}` : ''}`);
  }
  if (!Number.isFinite(value)) return numError('ParseFloat', s, 'value out of range');
  return { ok: true, value: sign * value };
}

// ---------------------------------------------------------------------------
// RAMInBytes
// ---------------------------------------------------------------------------

export type SizeEra = 'int-regexp' | 'decimal-regexp' | 'binary-i-regexp' | 'hand-written';

export interface SizeEraDoc {
  era: SizeEra;
  range: EngineRange;
  label: string;
  accepted: string;
}

/** devicemapper.md §1.2, the table "The size parser across versions". */
export const SIZE_ERAS: readonly SizeEraDoc[] = [
  { era: 'int-regexp', range: { until: MILESTONES.sizeDecimals }, label: describeRange({ until: MILESTONES.sizeDecimals }), accepted: 'integers with one optional unit letter k/m/g/t/p and an optional b: `10G`, `10gb`' },
  { era: 'decimal-regexp', range: { from: MILESTONES.sizeDecimals, until: MILESTONES.sizeBinaryI }, label: describeRange({ from: MILESTONES.sizeDecimals, until: MILESTONES.sizeBinaryI }), accepted: 'decimals and one optional space: `1.5G`, `10 GB` (no `GiB`)' },
  { era: 'binary-i-regexp', range: { from: MILESTONES.sizeBinaryI, until: MILESTONES.sizeHandWritten }, label: describeRange({ from: MILESTONES.sizeBinaryI, until: MILESTONES.sizeHandWritten }), accepted: 'as before, plus an `i`: `10GiB`, `512Ki`' },
  { era: 'hand-written', range: { from: MILESTONES.sizeHandWritten }, label: describeRange({ from: MILESTONES.sizeHandWritten }), accepted: 'a Go float, one optional space, then `b`, `<u>`, `<u>b` or `<u>ib` (case-insensitive)' },
];

export function sizeEraOf(v: EngineVersion): SizeEra {
  if (compareVersions(v, MILESTONES.sizeDecimals) < 0) return 'int-regexp';
  if (compareVersions(v, MILESTONES.sizeBinaryI) < 0) return 'decimal-regexp';
  if (compareVersions(v, MILESTONES.sizeHandWritten) < 0) return 'binary-i-regexp';
  return 'hand-written';
}

export type SizeParse = { ok: true; bytes: number; overflow?: boolean } | { ok: false; error: string };

const UNIT: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };
const INT64_MAX = 2n ** 63n - 1n;
const TWO63 = 2 ** 63;

/** Go's `int64(f)` for a non-negative float; beyond int64 the conversion overflows (flagged). */
function toInt64(f: number): { bytes: number; overflow?: boolean } {
  if (!(f < TWO63)) return { bytes: f, overflow: true };
  return { bytes: Math.trunc(f) };
}

const ERA_REGEXP: Record<Exclude<SizeEra, 'hand-written'>, RegExp> = {
  'int-regexp': /^(\d+)([kKmMgGtTpP])?[bB]?$/,
  'decimal-regexp': /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[bB]?$/,
  'binary-i-regexp': /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/,
};

/** RAMInBytes of one era: bytes, or the exact error text (devicemapper.md §1.2). */
export function ramInBytesEra(size: string, era: SizeEra): SizeParse {
  if (era === 'hand-written') return handWritten(size);
  const m = ERA_REGEXP[era].exec(size);
  if (!m) return { ok: false, error: `invalid size: '${size}'` };
  const mul = m[2] ? UNIT[m[2].toLowerCase()]! : 1;
  if (era === 'int-regexp') {
    // strconv.ParseInt(matches[1], 10, 0), then an int64 multiplication that wraps silently.
    const n = goParseInt(m[1]!, 64);
    if (!n.ok) return n;
    const product = n.value * BigInt(mul);
    if (product > INT64_MAX) return { ok: true, bytes: Number(BigInt.asIntN(64, product)), overflow: true };
    return { ok: true, bytes: Number(product) };
  }
  const f = goParseFloat(m[1]!);
  if (!f.ok) return f;
  return { ok: true, ...toInt64(f.value * mul) };
}

/** go-units v0.5.0 `parseSize` (Engine 23.0+). */
function handWritten(sizeStr: string): SizeParse {
  let sep = -1;
  for (let i = sizeStr.length - 1; i >= 0; i--) {
    if ('01234567890. '.includes(sizeStr[i]!)) {
      sep = i;
      break;
    }
  }
  if (sep === -1) return { ok: false, error: `invalid size: '${sizeStr}'` };
  const num = sizeStr[sep] !== ' ' ? sizeStr.slice(0, sep + 1) : sizeStr.slice(0, sep);
  let sfx = sizeStr.slice(sep + 1);
  const f = goParseFloat(num);
  if (!f.ok) return f;
  let size = f.value;
  // Backward compatibility in go-units: negative sizes are rejected.
  if (size < 0) return { ok: false, error: `invalid size: '${sizeStr}'` };
  if (sfx.length === 0) return { ok: true, ...toInt64(size) };
  const bad = (): SizeParse => ({ ok: false, error: `invalid suffix: '${sfx}'` });
  if (utf8Length(sfx) > 3) return bad();
  sfx = sfx.toLowerCase();
  if (sfx[0] === 'b') return utf8Length(sfx) > 1 ? bad() : { ok: true, ...toInt64(size) };
  const mul = UNIT[sfx[0]!];
  if (mul === undefined) return bad();
  size *= mul;
  const len = utf8Length(sfx);
  if (len === 2 && sfx[1] !== 'b') return bad();
  if (len === 3 && sfx.slice(1) !== 'ib') return bad();
  return { ok: true, ...toInt64(size) };
}

export interface SizeEraOutcome {
  era: SizeEra;
  /** `Engine 1.13–18.06` */
  label: string;
  range: EngineRange;
  result: SizeParse;
}

export interface RamInBytesResult {
  /** Accepted by every era evaluated (one era when the engine is known). */
  ok: boolean;
  /** The byte count when every accepting era agrees on it. */
  bytes?: number;
  /** The error text when every era rejects the value with the same text. */
  error?: string;
  eras: SizeEraOutcome[];
}

/**
 * `units.RAMInBytes(text)` as dockerd of `engine` runs it. With no (or an
 * unparsable) engine, every era is evaluated and `eras` says which accept it.
 * `text` is used verbatim (dockerd trims option values before parsing them).
 */
export function ramInBytes(text: string, engine?: string | EngineVersion): RamInBytesResult {
  const v = typeof engine === 'string' ? parseEngineVersion(engine) : engine;
  const docs = v ? SIZE_ERAS.filter((d) => d.era === sizeEraOf(v)) : SIZE_ERAS;
  const eras = docs.map((d) => ({ era: d.era, label: d.label, range: d.range, result: ramInBytesEra(text, d.era) }));
  const ok = eras.every((e) => e.result.ok);
  const accepted = new Set(eras.flatMap((e) => (e.result.ok ? [e.result.bytes] : [])));
  const errors = new Set(eras.flatMap((e) => (e.result.ok ? [] : [e.result.error])));
  const out: RamInBytesResult = { ok, eras };
  if (accepted.size === 1) out.bytes = [...accepted][0];
  if (!eras.some((e) => e.result.ok) && errors.size === 1) out.error = [...errors][0];
  return out;
}
