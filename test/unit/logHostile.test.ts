/**
 * Hostile input never throws and stays linear: 1 MB lines, anchors repeated
 * to tempt backtracking, NULs, ANSI escapes, unterminated logrus quotes, CRLF,
 * lone backslashes, random mutations of the fixture lines. Every range lies
 * inside its line. Lines over 16 KiB are matched on their first 16 KiB.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { analyzeLog, matchLogLine, parseEnvelope, logHoverAt, MAX_MATCH_CHARS, type LogAnalysis } from '../../server/src/core/logs/index.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'logs');
const FIXTURE_LINES = readdirSync(DIR)
  .filter((f) => !f.endsWith('.md'))
  .flatMap((f) => readFileSync(join(DIR, f), 'utf8').split('\n'));

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function assertSane(lines: readonly string[], a: LogAnalysis, what: string): void {
  const inside = (p: { line: number; character: number }): boolean => Number.isInteger(p.line) && p.line >= 0 && p.line < lines.length && Number.isInteger(p.character) && p.character >= 0 && p.character <= lines[p.line]!.length;
  const check = (r: { start: { line: number; character: number }; end: { line: number; character: number } }, label: string): void => {
    assert.ok(inside(r.start) && inside(r.end), `${what}: ${label} ${JSON.stringify(r)}`);
    assert.ok(r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character), `${what}: ${label} reversed`);
  };
  for (const f of a.findings) {
    check(f.range, f.code);
    assert.ok(!/undefined|NaN|\[object Object\]/.test(f.message), `${what}: ${f.message}`);
    for (const r of f.related ?? []) check(r.range, `${f.code} related`);
  }
  for (const m of a.matches) {
    const len = lines[m.line]!.length;
    for (const [name, v] of Object.entries(m.match.variables)) assert.ok(v.start >= 0 && v.start <= v.end && v.end <= len, `${what}: ${name} ${v.start}-${v.end} of ${len}`);
    assert.ok(m.match.messageRange.start <= m.match.messageRange.end && m.match.messageRange.end <= len, `${what}: message range`);
  }
  for (const s of a.symbols) {
    check(s.range, 'symbol');
    check(s.selectionRange, 'symbol selection');
    for (const c of s.children) check(c.range, 'child');
  }
}

describe('hostile log input', () => {
  const dmLine = '[   64.772053] device-mapper: thin: 253:0: switching pool to out-of-data-space (queue IO) mode';

  test('1 MB lines: random text, repeated anchors, repeated gates — bounded time, no throw', () => {
    const r = prng(1);
    const random = Array.from({ length: 1 << 20 }, () => String.fromCharCode(32 + Math.floor(r() * 95))).join('');
    const hostile = [
      random,
      'device-mapper: thin: '.repeat(50_000),
      'switching pool to write mode '.repeat(40_000),
      `Failed to mount; dmesg: ${': mount x:'.repeat(100_000)}`,
      `error initializing graphdriver: ${'devmap'.repeat(170_000)}`,
      `devmapper ${'a'.repeat(1 << 20)} no space left on device`,
      `Thin Pool has ${'1'.repeat(1 << 20)}`,
      `time="${'a\\"'.repeat(300_000)}`,
      `time="x" level=error msg="${'\\'.repeat(1 << 20)}`,
      `${'\x1b['.repeat(300_000)}device-mapper: thin: 253:0: switching pool to write mode`,
      '['.repeat(1 << 20),
      `device-mapper: table: 253:0: thin-pool: ${'x'.repeat(1 << 20)} (-EINVAL)`,
      `operation not supported error, dev ${'a'.repeat(1 << 20)}`,
      `${'Data device ('.repeat(80_000)}`,
      `libdevmapper(3): ${'a:1 (0) '.repeat(100_000)}`,
    ];
    const started = Date.now();
    for (const l of hostile) {
      assert.doesNotThrow(() => matchLogLine(l));
      assert.doesNotThrow(() => parseEnvelope(l));
    }
    const a = analyzeLog(hostile);
    assertSane(hostile, a, 'hostile');
    // Not a benchmark: a guard against catastrophic backtracking (which would take minutes).
    assert.ok(Date.now() - started < 20_000, `${Date.now() - started} ms`);
  });

  test('lines over 16 KiB: the head is matched, the tail is not read', () => {
    const head = matchLogLine(`${dmLine} ${'x'.repeat(1 << 20)}`);
    assert.equal(head?.entry.id, 'thin-out-of-data-space-queue');
    assert.equal(head?.truncated, true);
    assert.ok(head.messageRange.end <= MAX_MATCH_CHARS);
    assert.equal(matchLogLine(`${'x'.repeat(MAX_MATCH_CHARS)} ${dmLine}`), undefined);
    const logrus = matchLogLine(`time="2019-03-05T10:11:12Z" level=error msg="devmapper: Unknown option dm.foo ${'y'.repeat(40_000)}" storage-driver=devicemapper`);
    assert.equal(logrus?.entry.id, 'dm-unknown-option');
    assert.equal(logrus?.envelope.unterminated, true);
  });

  test('NULs, control characters, CRLF, ANSI, BOM, lone surrogates', () => {
    const lines = [
      `${dmLine}\r`,
      `\ufeff${dmLine}`,
      `[   64.772053] device-mapper: thin: 253:0:\0switching pool to write mode`,
      `\0\0\0${dmLine}`,
      `[   64.772053] \x1b[1;31mdevice-mapper: thin: 253:0: switching pool to write mode\x1b[0m`,
      `[   64.772053] device-mapper: thin: \ud800253:0: switching pool to write mode`,
      'time="2019-03-05T10:11:12Z" level=error msg="devmapper: Unknown option \\',
      'time="2019-03-05T10:11:12Z" level=error msg="devmapper: Unknown option \\U0011ffff \\x4 \\u12"',
      '{"msg":"devmapper: Unknown option dm.x',
      'ERRO[',
      '\r',
    ];
    const a = analyzeLog(lines);
    assertSane(lines, a, 'control');
    assert.equal(a.matches.find((m) => m.line === 0)?.match.entry.id, 'thin-out-of-data-space-queue');
    assert.equal(a.matches.find((m) => m.line === 4)?.match.entry.id, 'thin-write-mode');
    for (let i = 0; i < lines.length; i++) for (let c = 0; c <= lines[i]!.length; c += 7) assert.doesNotThrow(() => logHoverAt(lines, i, c));
  });

  test('random mutations of every fixture line never throw; all ranges stay in their lines', () => {
    const r = prng(2024);
    const noise = ['\0', '\x1b[0m', '"', '\\', '\\"', '\r', ':', ' ', '(', ')', '[', ']', '=', '253:0', 'msg="', 'time="', '\u00e9', '\ud83d'];
    const lines: string[] = [];
    for (let round = 0; round < 20; round++) {
      for (const base of FIXTURE_LINES) {
        let s = base;
        const edits = 1 + Math.floor(r() * 4);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(r() * (s.length + 1));
          const op = r();
          if (op < 0.4) s = s.slice(0, at) + noise[Math.floor(r() * noise.length)]! + s.slice(at);
          else if (op < 0.7) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 5));
          else if (op < 0.85) s = s.slice(0, at) + s.slice(at, at + 20) + s.slice(at);
          else s = s.slice(0, at);
        }
        lines.push(s);
      }
    }
    let a: LogAnalysis | undefined;
    assert.doesNotThrow(() => (a = analyzeLog(lines)));
    assertSane(lines, a!, 'mutations');
    for (let i = 0; i < lines.length; i += 13) assert.doesNotThrow(() => logHoverAt(lines, i, Math.floor(r() * (lines[i]!.length + 1))));
  });

  test('non-string entries are skipped, not thrown on', () => {
    const lines = [dmLine, undefined, null, 42] as unknown as string[];
    const a = analyzeLog(lines);
    assert.equal(a.findings.length, 1);
  });
});
