/**
 * Hostile input never throws: binary data, huge files, deep nesting, every
 * kind of top-level value, random mutations of real configurations. Every range
 * lies inside the document; every message is plain text.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { analyzeDaemonJson, isDaemonJson, DAEMON_JSON_CODES, type DaemonFinding } from '../../server/src/core/daemonJson/index.js';
import { ramInBytes } from '../../server/src/core/text/ramInBytes.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'daemon-json');

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((l) => l.length);
}

function assertSane(text: string, fs: readonly DaemonFinding[], what: string): void {
  const lens = lineLengths(text);
  const inside = (p: { line: number; character: number }): boolean => Number.isInteger(p.line) && p.line >= 0 && p.line < lens.length && Number.isInteger(p.character) && p.character >= 0 && p.character <= lens[p.line]!;
  const check = (r: DaemonFinding['range'], label: string): void => {
    assert.ok(inside(r.start) && inside(r.end), `${what}: ${label} range ${JSON.stringify(r)}`);
    assert.ok(r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character), `${what}: ${label} reversed`);
  };
  for (const f of fs) {
    assert.ok(f.code in DAEMON_JSON_CODES, f.code);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(f.severity));
    assert.equal(typeof f.message, 'string');
    assert.ok(!/undefined|NaN|\[object Object\]/.test(f.message), `${what}: ${f.message}`);
    check(f.range, f.code);
    for (const r of f.related ?? []) check(r.range, `${f.code} related`);
    for (const fix of [f.fix, ...(f.moreFixes ?? [])]) for (const e of fix?.edits ?? []) check(e.range, `${f.code} edit`);
  }
}

function run(text: string, what: string, engine?: string): DaemonFinding[] {
  let fs: DaemonFinding[] = [];
  assert.doesNotThrow(() => {
    fs = analyzeDaemonJson(text, engine ? { engine } : {}).findings;
  }, what);
  assertSane(text, fs, what);
  assert.doesNotThrow(() => isDaemonJson('x.json', text));
  return fs;
}

describe('hostile daemon.json input', () => {
  test('every kind of top level', () => {
    for (const t of ['', ' ', '{', '}', '[', ']', '"', '"storage-driver"', '0', '-', 'true', 'null', '[]', '{}', '{"storage-opts"', '{"storage-opts":', '{"storage-opts":[', '{"storage-opts":["dm.', '{"storage-opts":["dm.fs=', ',', ':', '{,}', '{"a":1,,}', '\ufeff', '/*', '//', '{"storage-driver":"devicemapper","storage-opts":[""]}', '{"storage-driver":"devicemapper","storage-opts":["="]}', '{"storage-driver":"devicemapper","storage-opts":["==="]}']) {
      run(t, JSON.stringify(t));
      run(t, JSON.stringify(t), '24.0.7');
    }
  });

  test('binary data', () => {
    const rnd = prng(7);
    for (let n = 0; n < 50; n++) {
      let s = '';
      const len = Math.floor(rnd() * 400);
      for (let i = 0; i < len; i++) s += String.fromCharCode(Math.floor(rnd() * 0x10000));
      run(s, `binary #${n}`);
    }
    run('\u0000\u0001{"storage-driver":"devicemapper"\u0000}', 'NULs');
    run('{"storage-opts":["dm.fs=\ud800", "\udfff=1", "dm.basesize=\\ud800"]}', 'lone surrogates');
  });

  test('deep nesting', () => {
    const deep = '['.repeat(200_000);
    const fs = run(deep, 'deep arrays');
    assert.equal(fs.length, 1);
    assert.equal(fs[0]!.code, 'json-syntax');
    run(`{"a":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_001)}`, 'deep objects');
    run(`{"storage-opts":${'['.repeat(500)}"dm.fs=x"${']'.repeat(500)}}`, 'nested storage-opts');
  });

  test('huge files stay fast and capped', () => {
    const opts = Array.from({ length: 50_000 }, (_, i) => `"dm.basesize=${i}Q"`).join(',');
    const text = `{"storage-driver":"devicemapper","storage-opts":[${opts}]}`;
    const start = Date.now();
    const fs = run(text, 'huge', '24.0.7');
    assert.ok(Date.now() - start < 10_000, `${Date.now() - start} ms`);
    assert.equal(fs.length, 1000, 'findings are capped');
    const long = `{"storage-driver":"devicemapper","storage-opts":["dm.thinpooldev=p","dm.basesize=${'9'.repeat(200_000)}", "dm.${'x'.repeat(100_000)}=1"]}`;
    run(long, 'long strings');
    run(`{${Array.from({ length: 20_000 }, () => '"debug": true').join(',')}}`, 'many duplicates');
  });

  test('random mutations of the fixtures', () => {
    const files = ['direct-lvm', 'thinpool', 'loop', 'overlay2', 'typical-mistakes', 'object-form', 'direct-lvm-mistakes'].map((n) => readFileSync(join(DIR, `${n}.json`), 'utf8'));
    const alphabet = ['"', '\\', '{', '}', '[', ']', ',', ':', '=', ' ', '\n', '\r', 'dm.', '%', '-', '\u00a0', '/*', '//', 'é', '😀', '\\u00', 'G', 'i', '.'];
    const rnd = prng(42);
    const engines = [undefined, '1.9.1', '17.06.0-ce', '20.10.24', '24.0.7', '29.0.0'];
    for (let n = 0; n < 400; n++) {
      let t = files[n % files.length]!;
      const edits = 1 + Math.floor(rnd() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rnd() * (t.length + 1));
        const del = Math.floor(rnd() * 4);
        t = t.slice(0, at) + (rnd() < 0.7 ? alphabet[Math.floor(rnd() * alphabet.length)]! : '') + t.slice(at + del);
      }
      run(t, `mutation #${n}`, engines[n % engines.length]);
    }
  });

  test('ramInBytes on odd input', () => {
    for (const s of ['', ' ', '.', '..', '0x', '0xp1', '1e', 'inf ', 'nan ', '-0', '\u0000', '😀', '9'.repeat(1000), `${'1.'.repeat(1000)}G`]) {
      assert.doesNotThrow(() => ramInBytes(s), JSON.stringify(s));
      assert.doesNotThrow(() => ramInBytes(s, '24.0'), JSON.stringify(s));
    }
  });

  test('bad options never throw', () => {
    // @ts-expect-error: not a string
    assert.doesNotThrow(() => analyzeDaemonJson(undefined));
    assert.doesNotThrow(() => analyzeDaemonJson('{}', { engine: '💥', maxFindings: -5 }));
  });
});
