/**
 * The envelope around a log message: the timestamp, host, process and level
 * that journald, syslog, dmesg or logrus put around the text a program printed.
 * `parseEnvelope` finds the message and keeps a map from message offsets back
 * to line offsets, so spans found in an unescaped logrus `msg="…"` (or in a
 * line with ANSI colours removed) still point at the right characters.
 *
 * Formats (issue 5 §2): logrus `time="…" level=… msg="…" k=v` (also the TTY
 * form `ERRO[0001] …` and the JSON form), optionally inside a journal or
 * syslog line; journalctl short / short-precise / short-iso / short-monotonic
 * and `-o cat` (bare); syslog (`Mar  5 10:11:12 host kernel: [ 123.4] …`);
 * dmesg `[  123.456789] …` (with `dmesg -x` facility:level prefixes, raw
 * `<N>` priorities and `[T123]` caller ids); `dmesg -T` `[Tue Mar  5 … 2024]`.
 *
 * Never throws; linear in the line length: every regex here is sticky
 * (anchored at a known position) with bounded repetitions, and the logrus
 * fields are read by a hand-written scanner.
 */

export type LogFormat = 'logrus' | 'journal-short' | 'journal-iso' | 'syslog' | 'dmesg' | 'dmesg-T' | 'bare';

/**
 * `boot`: seconds since boot (dmesg); `epoch`: a date with a year; `year-less`:
 * a syslog/journal date without a year; `since-start`: logrus TTY seconds since
 * dockerd started.
 */
export type LogClock = 'boot' | 'epoch' | 'year-less' | 'since-start';

export interface LogTimestamp {
  text: string;
  start: number;
  end: number;
  /** Seconds since boot for dmesg; milliseconds since the epoch where a year is known. */
  value?: number;
  clock: LogClock;
  /** Seconds on `clock`, comparable between lines of the same clock (year-less: since 1 January). */
  seconds: number;
}

/** A logrus field other than time, level and msg (e.g. `storage-driver`, `error`). */
export interface LogField {
  key: string;
  value: string;
  /** The value's span in the line (without quotes). */
  start: number;
  end: number;
  toLine: (valueOffset: number) => number;
  toLineEnd: (valueOffset: number) => number;
}

export interface LogEnvelope {
  format: LogFormat;
  /** The journal/syslog/dmesg line a logrus record was wrapped in. */
  wrapper?: Exclude<LogFormat, 'logrus' | 'bare'>;
  /** The most precise timestamp: logrus `time=` when present, else the format's own. */
  timestamp?: LogTimestamp;
  /** The wrapper's timestamp when `timestamp` is the logrus one. */
  outerTimestamp?: LogTimestamp;
  /** A kernel `[  123.456]` stamp inside a syslog or journal line. */
  kernelTimestamp?: LogTimestamp;
  host?: string;
  process?: string;
  pid?: number;
  /** logrus level, syslog priority name, or dmesg -x level. */
  level?: string;
  fields?: readonly LogField[];
  message: string;
  /** The message's span in the line. */
  messageStart: number;
  messageEnd: number;
  /** A quoted logrus msg without its closing quote (cut or damaged line). */
  unterminated?: boolean;
  /** Message offset (0…message.length) → line offset of that character. */
  toLine: (messageOffset: number) => number;
  /** The same for the end of a span: an escape before the offset is included, a removed colour code is not. */
  toLineEnd: (messageOffset: number) => number;
}

/**
 * Offset map from a derived text (unescaped, ANSI-free) to the original:
 * piecewise linear. Between two pieces the original has extra characters:
 * for escapes they belong to the character before (`\"` is one `"`), for ANSI
 * sequences to nothing — `mapEnd` includes them in an end offset or not.
 */
class OffsetMap {
  readonly from: number[] = [];
  readonly to: number[] = [];
  constructor(private readonly gapsBelongToPrevious: boolean) {}
  add(from: number, to: number): void {
    const n = this.from.length;
    if (n > 0 && this.from[n - 1] === from) this.to[n - 1] = to;
    else {
      this.from.push(from);
      this.to.push(to);
    }
  }
  private piece(offset: number): number {
    const f = this.from;
    let lo = 0;
    let hi = f.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (f[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  /** Where the character at `offset` starts in the original. */
  map(offset: number): number {
    if (this.from.length === 0) return offset;
    const i = this.piece(offset);
    return this.to[i]! + (offset - this.from[i]!);
  }
  /** Where a span ending at `offset` ends in the original. */
  mapEnd(offset: number): number {
    if (this.from.length === 0 || offset <= this.from[0]!) return this.map(offset);
    const i = this.piece(offset - 1);
    if (this.gapsBelongToPrevious && i + 1 < this.from.length && this.from[i + 1] === offset) return this.to[i + 1]!;
    return this.to[i]! + (offset - 1 - this.from[i]!) + 1;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const SYSLOG_LEVELS = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
const TTY_LEVELS: Record<string, string> = { INFO: 'info', WARN: 'warning', ERRO: 'error', DEBU: 'debug', FATA: 'fatal', PANI: 'panic', TRAC: 'trace' };

// Sticky: each runs at one position only.
const KMSG_PRIORITY = /<(\d{1,3})>/y;
const DMESG_X = /(kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7]) {0,8}:(emerg|alert|crit|err|warn|notice|info|debug) {0,8}: /y;
const DMESG_TS = /\[ {0,12}(\d{1,10}\.\d{1,9})\]/y;
const CALLER_ID = /\[ {0,8}[TC]\d{1,8}\]/y;
const DMESG_T = /\[(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ \d]?\d) (\d\d):(\d\d):(\d\d) (\d{4})\]/y;
const SYSLOG_DATE = /(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([ \d]?\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? /y;
const ISO_DATE = /(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(Z|[+-]\d\d(?::?\d\d)?)?/y;
// journald escapes nothing here; host names have no ':' and process names no spaces.
const HOST_PROCESS = /([^\s:[\]]{1,255}) ([^\s:[\]]{1,128})(?:\[(\d{1,10})\])?: /y;
const KERNEL_PROCESS = /([^\s:[\]]{1,255}) (kernel|[^\s:[\]]{1,128}\[\d{1,10}\]): /y;
const TTY_LOGRUS = /(INFO|WARN|ERRO|DEBU|FATA|PANI|TRAC)\[(\d{1,10})\] ?/y;

function sticky(re: RegExp, text: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(text);
}

function fraction(digits: string | undefined): number {
  return digits ? Number(`0.${digits}`) : 0;
}

function isoMillis(m: RegExpExecArray): number | undefined {
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return undefined;
  let ms = Date.UTC(y, mo - 1, d, h, mi, s) + Math.floor(fraction(m[7]) * 1000);
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
    ms -= sign * offset * 60_000;
  }
  return Number.isFinite(ms) ? ms : undefined;
}

function stamp(text: string, start: number, end: number, clock: LogClock, seconds: number, value?: number): LogTimestamp {
  const t: LogTimestamp = { text: text.slice(start, end), start, end, clock, seconds };
  if (value !== undefined) t.value = value;
  return t;
}

function dmesgStamp(text: string, pos: number): { ts: LogTimestamp; next: number } | undefined {
  const m = sticky(DMESG_TS, text, pos);
  if (!m) return undefined;
  const seconds = Number(m[1]);
  let next = pos + m[0].length;
  const caller = sticky(CALLER_ID, text, next);
  if (caller) next += caller[0].length;
  return { ts: stamp(text, pos, pos + m[0].length, 'boot', seconds, seconds), next: skipSpaces(text, next) };
}

function skipSpaces(text: string, pos: number): number {
  while (pos < text.length && text.charCodeAt(pos) === 32) pos++;
  return pos;
}

function hex(text: string, from: number, count: number): number | undefined {
  if (from + count > text.length) return undefined;
  let v = 0;
  for (let i = from; i < from + count; i++) {
    const c = text.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) return undefined;
    v = v * 16 + d;
  }
  return v;
}

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', "'": "'" };

interface Decoded {
  text: string;
  map: OffsetMap | undefined;
  /** Index of the closing quote, or the end of the text when unterminated. */
  close: number;
  unterminated: boolean;
}

/** A Go %q / JSON string body starting after its opening quote. */
function decodeQuoted(src: string, start: number, end: number): Decoded {
  const parts: string[] = [];
  let map: OffsetMap | undefined;
  let out = 0;
  let runStart = start;
  let i = start;
  while (i < end) {
    const c = src.charCodeAt(i);
    if (c === 34 /* " */) break;
    if (c !== 92 /* \ */) {
      i++;
      continue;
    }
    // flush the literal run
    if (i > runStart) {
      parts.push(src.slice(runStart, i));
      out += i - runStart;
    }
    const e = src[i + 1];
    let decoded: string | undefined;
    let len = 2;
    if (e !== undefined && e in SIMPLE_ESCAPES) decoded = SIMPLE_ESCAPES[e];
    else if (e === 'x') {
      const v = hex(src, i + 2, 2);
      if (v !== undefined) {
        decoded = String.fromCharCode(v);
        len = 4;
      }
    } else if (e === 'u') {
      const v = hex(src, i + 2, 4);
      if (v !== undefined) {
        decoded = String.fromCharCode(v);
        len = 6;
      }
    } else if (e === 'U') {
      const v = hex(src, i + 2, 8);
      if (v !== undefined && v <= 0x10ffff) {
        decoded = String.fromCodePoint(v);
        len = 10;
      }
    }
    const literal = decoded === undefined;
    if (decoded === undefined) {
      // Unknown escape or a lone backslash at the end: keep it literally.
      decoded = src.slice(i, Math.min(i + 2, end));
      len = decoded.length;
    }
    if (!map) {
      map = new OffsetMap(true);
      map.add(0, start);
    }
    map.add(out, i);
    // A kept escape maps character for character: mapping both to `i` left its backslash an
    // empty span [i, i). The characters a real escape decodes to all come from its start.
    for (let k = 1; k < decoded.length; k++) map.add(out + k, literal ? i + k : i);
    parts.push(decoded);
    out += decoded.length;
    i += len;
    map.add(out, i);
    runStart = i;
  }
  if (i > runStart) parts.push(src.slice(runStart, i));
  const unterminated = i >= end;
  return { text: parts.join(''), map, close: i, unterminated };
}

interface Pair {
  key: string;
  value: Decoded | { text: string; map: undefined; close: number; unterminated: false };
  valueStart: number;
}

/** logfmt pairs from `pos`: key=value or key="quoted". Stops at the first thing that is not a pair. */
function scanLogfmt(text: string, pos: number, end: number): Pair[] {
  const pairs: Pair[] = [];
  let p = pos;
  while (p < end) {
    const keyStart = p;
    while (p < end) {
      const c = text.charCodeAt(p);
      const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 45 || c === 46;
      if (!ok) break;
      p++;
    }
    if (p === keyStart || p >= end || text.charCodeAt(p) !== 61 /* = */) break;
    const key = text.slice(keyStart, p);
    p++;
    if (text.charCodeAt(p) === 34) {
      const d = decodeQuoted(text, p + 1, end);
      pairs.push({ key, value: d, valueStart: p + 1 });
      p = d.unterminated ? end : d.close + 1;
    } else {
      const vs = p;
      while (p < end && text.charCodeAt(p) !== 32) p++;
      pairs.push({ key, value: { text: text.slice(vs, p), map: undefined, close: p, unterminated: false }, valueStart: vs });
    }
    if (p < end && text.charCodeAt(p) !== 32) break;
    p = skipSpaces(text, p);
  }
  return pairs;
}

function mapper(start: number, map: OffsetMap | undefined, length: number): { toLine: (o: number) => number; toLineEnd: (o: number) => number } {
  const clamp = (o: number): number => Math.max(0, Math.min(length, o));
  if (!map) {
    const f = (o: number): number => start + clamp(o);
    return { toLine: f, toLineEnd: f };
  }
  return { toLine: (o) => map.map(clamp(o)), toLineEnd: (o) => map.mapEnd(clamp(o)) };
}

/** ANSI escape sequences (colours from a TTY dockerd, `journalctl` with colour): removed before parsing. */
function stripAnsi(line: string): { text: string; map: OffsetMap } | undefined {
  if (line.indexOf('\x1b') < 0) return undefined;
  const parts: string[] = [];
  const map = new OffsetMap(false);
  map.add(0, 0);
  let out = 0;
  let run = 0;
  let i = 0;
  const n = line.length;
  while (i < n) {
    if (line.charCodeAt(i) !== 27) {
      i++;
      continue;
    }
    let j = i + 1;
    const kind = line[j];
    if (kind === '[') {
      j++;
      while (j < n && line.charCodeAt(j) >= 0x30 && line.charCodeAt(j) <= 0x3f) j++;
      while (j < n && line.charCodeAt(j) >= 0x20 && line.charCodeAt(j) <= 0x2f) j++;
      if (j < n) j++;
    } else if (kind === ']') {
      // OSC: up to BEL or ST
      j++;
      while (j < n && line.charCodeAt(j) !== 7 && !(line.charCodeAt(j) === 27 && line[j + 1] === '\\')) j++;
      if (j < n) j += line.charCodeAt(j) === 7 ? 1 : 2;
    } else if (j < n) j++;
    if (i > run) {
      parts.push(line.slice(run, i));
      out += i - run;
    }
    i = Math.min(j, n);
    run = i;
    map.add(out, i);
  }
  if (n > run) parts.push(line.slice(run));
  return { text: parts.join(''), map };
}

interface Mutable {
  format: LogFormat;
  wrapper?: LogEnvelope['wrapper'];
  timestamp?: LogTimestamp;
  outerTimestamp?: LogTimestamp;
  kernelTimestamp?: LogTimestamp;
  host?: string;
  process?: string;
  pid?: number;
  level?: string;
  fields?: LogField[];
  message: string;
  messageStart: number;
  messageEnd: number;
  unterminated?: boolean;
  toLine: (o: number) => number;
  toLineEnd: (o: number) => number;
}

export function parseEnvelope(line: string): LogEnvelope {
  try {
    const ansi = stripAnsi(line);
    const env = parseClean(ansi ? ansi.text : line);
    return ansi ? remap(env, ansi.map) : env;
  } catch {
    return bare(line, 0, line.length);
  }
}

function bare(text: string, start: number, end: number): Mutable {
  const message = start === 0 && end === text.length ? text : text.slice(start, end);
  return { format: 'bare', message, messageStart: start, messageEnd: end, ...mapper(start, undefined, message.length) };
}

function remap(env: Mutable, map: OffsetMap): Mutable {
  const m = (o: number): number => map.map(o);
  const me = (o: number): number => map.mapEnd(o);
  const ts = (t: LogTimestamp | undefined): LogTimestamp | undefined => (t ? { ...t, start: m(t.start), end: me(t.end) } : undefined);
  const inner = env.toLine;
  const innerEnd = env.toLineEnd;
  // An empty message (or field value) where a colour code was removed would start after the code
  // and end before it: the end is kept at or after the start, so the span is never reversed.
  const messageStart = m(env.messageStart);
  const out: Mutable = { ...env, messageStart, messageEnd: Math.max(messageStart, me(env.messageEnd)), toLine: (o) => m(inner(o)), toLineEnd: (o) => me(innerEnd(o)) };
  if (env.timestamp) out.timestamp = ts(env.timestamp);
  if (env.outerTimestamp) out.outerTimestamp = ts(env.outerTimestamp);
  if (env.kernelTimestamp) out.kernelTimestamp = ts(env.kernelTimestamp);
  if (env.fields) out.fields = env.fields.map((f) => ({ ...f, start: m(f.start), end: Math.max(m(f.start), me(f.end)), toLine: (o: number) => m(f.toLine(o)), toLineEnd: (o: number) => me(f.toLineEnd(o)) }));
  return out;
}

function parseClean(text: string): Mutable {
  let end = text.length;
  while (end > 0 && (text.charCodeAt(end - 1) === 13 || text.charCodeAt(end - 1) === 10)) end--;
  let pos = 0;
  let level: string | undefined;

  const prio = sticky(KMSG_PRIORITY, text, pos);
  if (prio) {
    level = SYSLOG_LEVELS[Number(prio[1]) & 7];
    pos += prio[0].length;
  }
  const dx = sticky(DMESG_X, text, pos);
  if (dx) {
    level = dx[2] === 'warn' ? 'warning' : dx[2];
    pos += dx[0].length;
  }

  let format: LogFormat | undefined;
  let timestamp: LogTimestamp | undefined;
  let host: string | undefined;
  let processName: string | undefined;
  let pid: number | undefined;
  let kernelTimestamp: LogTimestamp | undefined;

  const c0 = text.charCodeAt(pos);
  if (c0 === 91 /* [ */) {
    const d = dmesgStamp(text, pos);
    if (d) {
      timestamp = d.ts;
      pos = d.next;
      format = 'dmesg';
      // journalctl -o short-monotonic: "[  123.456789] host kernel: …"
      const hp = sticky(KERNEL_PROCESS, text, pos);
      if (hp) {
        format = 'journal-short';
        ({ host, processName, pid } = hostProcess(hp));
        pos += hp[0].length;
      }
    } else {
      const t = sticky(DMESG_T, text, pos);
      if (t) {
        const ms = Date.UTC(Number(t[6]), MONTHS.indexOf(t[1]!), Number(t[2]), Number(t[3]), Number(t[4]), Number(t[5]));
        timestamp = stamp(text, pos, pos + t[0].length, 'epoch', ms / 1000, ms);
        pos = skipSpaces(text, pos + t[0].length);
        format = 'dmesg-T';
      }
    }
  } else if (c0 >= 65 && c0 <= 90) {
    const s = sticky(SYSLOG_DATE, text, pos);
    if (s) {
      const after = pos + s[0].length;
      const hp = sticky(HOST_PROCESS, text, after);
      if (hp) {
        const mon = MONTHS.indexOf(s[1]!);
        const day = Number(s[2]);
        const seconds = (DAYS_BEFORE[mon]! + day - 1) * 86400 + Number(s[3]) * 3600 + Number(s[4]) * 60 + Number(s[5]) + fraction(s[6]);
        timestamp = stamp(text, pos, after - 1, 'year-less', seconds);
        ({ host, processName, pid } = hostProcess(hp));
        pos = after + hp[0].length;
        // syslog pads the day with a space; journalctl with a zero. Ambiguous days (10–31) count as journal.
        format = s[2]!.startsWith(' ') || s[2]!.length === 1 ? 'syslog' : 'journal-short';
      }
    }
  } else if (c0 >= 48 && c0 <= 57) {
    const s = sticky(ISO_DATE, text, pos);
    if (s) {
      const after = pos + s[0].length;
      const ms = isoMillis(s);
      const ts = stamp(text, pos, after, ms === undefined ? 'year-less' : 'epoch', ms === undefined ? 0 : ms / 1000, ms);
      const hp = text.charCodeAt(after) === 32 ? sticky(HOST_PROCESS, text, after + 1) : null;
      if (hp) {
        timestamp = ts;
        ({ host, processName, pid } = hostProcess(hp));
        pos = after + 1 + hp[0].length;
        format = 'journal-iso';
      }
    }
  }

  // rsyslog keeps the kernel's own "[  123.456]" in the text.
  if (format && format !== 'dmesg' && format !== 'dmesg-T' && text.charCodeAt(pos) === 91) {
    const d = dmesgStamp(text, pos);
    if (d) {
      kernelTimestamp = d.ts;
      pos = d.next;
      if (format === 'journal-short') format = 'syslog';
    }
  }

  const out = logrus(text, pos, end) ?? bare(text, pos, end);
  if (out.format === 'logrus') {
    if (format && format !== 'bare') out.wrapper = format as LogEnvelope['wrapper'];
    if (timestamp) {
      if (out.timestamp) out.outerTimestamp = timestamp;
      else out.timestamp = timestamp;
    }
  } else {
    if (format) out.format = format;
    if (timestamp) out.timestamp = timestamp;
  }
  if (kernelTimestamp) out.kernelTimestamp = kernelTimestamp;
  if (host !== undefined) out.host = host;
  if (processName !== undefined) out.process = processName;
  if (pid !== undefined) out.pid = pid;
  if (level !== undefined && out.level === undefined) out.level = level;
  return out;
}

function hostProcess(m: RegExpExecArray): { host: string; processName: string; pid: number | undefined } {
  const proc = m[2]!;
  const bracket = proc.indexOf('[');
  if (bracket > 0) return { host: m[1]!, processName: proc.slice(0, bracket), pid: Number(proc.slice(bracket + 1, -1)) };
  return { host: m[1]!, processName: proc, pid: m[3] === undefined ? undefined : Number(m[3]) };
}

/** A logrus record at `pos` (text, TTY or JSON form), or undefined. */
function logrus(text: string, pos: number, end: number): Mutable | undefined {
  const c = text.charCodeAt(pos);
  if (c === 116 /* t */ || c === 108 /* l */) {
    if (!text.startsWith('time=', pos) && !text.startsWith('level=', pos)) return undefined;
    const pairs = scanLogfmt(text, pos, end);
    const msg = pairs.find((p) => p.key === 'msg');
    if (!msg) return undefined;
    const message = msg.value.text;
    const out: Mutable = {
      format: 'logrus',
      message,
      messageStart: msg.valueStart,
      messageEnd: msg.value.unterminated ? end : msg.value.close,
      ...mapper(msg.valueStart, msg.value.map, message.length),
    };
    if (msg.value.unterminated) out.unterminated = true;
    const fields: LogField[] = [];
    for (const p of pairs) {
      if (p.key === 'level') out.level = p.value.text;
      else if (p.key === 'time') {
        const iso = sticky(ISO_DATE, p.value.text, 0);
        const ms = iso ? isoMillis(iso) : undefined;
        if (ms !== undefined) out.timestamp = stamp(text, p.valueStart, p.valueStart + p.value.text.length, 'epoch', ms / 1000, ms);
      } else if (p !== msg) {
        fields.push({ key: p.key, value: p.value.text, start: p.valueStart, end: p.value.unterminated ? end : p.value.close, ...mapper(p.valueStart, p.value.map, p.value.text.length) });
      }
    }
    if (fields.length > 0) out.fields = fields;
    return out;
  }
  if (c === 123 /* { */) return jsonLogrus(text, pos, end);
  const tty = sticky(TTY_LOGRUS, text, pos);
  if (tty) {
    const start = pos + tty[0].length;
    const out = bare(text, start, end);
    out.format = 'logrus';
    out.level = TTY_LEVELS[tty[1]!];
    const seconds = Number(tty[2]);
    out.timestamp = stamp(text, pos + tty[1]!.length + 1, pos + tty[1]!.length + 1 + tty[2]!.length, 'since-start', seconds, seconds);
    return out;
  }
  return undefined;
}

/** logrus JSONFormatter: {"level":"error","msg":"…","time":"…"}. Keys are found by a literal search. */
function jsonLogrus(text: string, pos: number, end: number): Mutable | undefined {
  const key = text.indexOf('"msg":"', pos);
  if (key < 0 || key >= end) return undefined;
  const start = key + 7;
  const d = decodeQuoted(text, start, end);
  const out: Mutable = { format: 'logrus', message: d.text, messageStart: start, messageEnd: d.unterminated ? end : d.close, ...mapper(start, d.map, d.text.length) };
  if (d.unterminated) out.unterminated = true;
  const lv = text.indexOf('"level":"', pos);
  if (lv >= 0 && lv < end) {
    const close = text.indexOf('"', lv + 9);
    if (close > 0 && close - lv < 40) out.level = text.slice(lv + 9, close);
  }
  const tm = text.indexOf('"time":"', pos);
  if (tm >= 0 && tm < end) {
    const iso = sticky(ISO_DATE, text, tm + 8);
    const ms = iso ? isoMillis(iso) : undefined;
    if (iso && ms !== undefined) out.timestamp = stamp(text, tm + 8, tm + 8 + iso[0].length, 'epoch', ms / 1000, ms);
  }
  return out;
}
