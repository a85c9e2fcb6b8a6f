import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(__dirname, '../../server/out/dmlens.js');
const FIX = resolve(__dirname, '../fixtures/transcripts');

function dmlens(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmpFile(name: string, text: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'dmlens-'));
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

test('check --format json on the user transcript: LSP-shaped, 0-based, exit 0 without errors', () => {
  const r = dmlens(['check', '--format', 'json', join(FIX, 'user-transcript.dmsetup')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const json = JSON.parse(r.stdout);
  assert.equal(json.files.length, 1);
  assert.equal(json.files[0].language, 'dmsetup');
  const d = json.files[0].diagnostics;
  assert.deepEqual(d.map((x: { code: string }) => x.code), ['no-discard-passdown', 'no-discard-passdown', 'queue-if-no-space']);
  assert.deepEqual(d[0].range, { start: { line: 4, character: 51 }, end: { line: 4, character: 70 } });
  assert.equal(d[0].severity, 'warning');
});

test('check exits 1 when a finding has error severity, text format is file:line:col', () => {
  const f = tmpFile('full.dmsetup', 'pool-oos: 0 131072 thin-pool 0 219/2048 1024/1024 - out_of_data_space discard_passdown error_if_no_space - 512 \n');
  const r = dmlens(['check', f]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:1:\\d+: error data-usage-critical: `, 'm'));
  assert.match(r.stdout, /error out-of-data-space: /);
  assert.match(r.stdout, /2 errors, 0 warnings, 0 information, 0 hints in 1 file\n$/);
  assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colour when stdout is not a terminal');
});

test('usage errors and unreadable files exit 2 with one line on stderr', () => {
  for (const args of [['check'], ['check', '--format', 'xml', 'x'], ['frobnicate'], ['check', '/nonexistent/file'], ['check', tmpdir()], ['explain', 'x'], ['check', '--language', 'cobol', 'x']]) {
    const r = dmlens(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}`);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /^dmlens: /);
  }
  if (process.getuid?.() !== 0) {
    const f = tmpFile('secret.dmsetup', 'x');
    chmodSync(f, 0);
    assert.equal(dmlens(['check', f]).code, 2);
  }
});

test('explain prints the hover of a place as Markdown (1-based line:column)', () => {
  const r = dmlens(['explain', join(FIX, 'user-transcript.dmsetup'), '7:70']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /26,115 of 3,276,800 × 64 KiB = 1\.59 GiB of 200 GiB \(0\.8 %\)/);
  const ls = dmlens(['explain', join(FIX, 'user-transcript.dmsetup'), '2']);
  assert.equal(ls.code, 0);
  assert.match(ls.stdout, /Allocated 1\.6 GiB of apparent 200 GiB/);
  const blank = dmlens(['explain', join(FIX, 'user-transcript.dmsetup'), '3:1']);
  assert.equal(blank.code, 1);
  assert.equal(blank.stdout, '');
  assert.equal(dmlens(['explain', join(FIX, 'user-transcript.dmsetup'), '999']).code, 2);
});

test('hostile input: binary garbage, CRLF and a 10 MB line are checked without crashing', () => {
  const garbage = Buffer.alloc(200_000);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) % 256;
  const r1 = dmlens(['check', '--format', 'json', tmpFile('garbage.dmsetup', garbage)]);
  assert.ok(r1.code === 0 || r1.code === 1, r1.stderr);
  JSON.parse(r1.stdout);
  const crlf = 'pool: 0 2097152 thin-pool 3 856/8192 16000/16384 - rw no_discard_passdown queue_if_no_space - 1024 \r\n\r\n';
  const r2 = JSON.parse(dmlens(['check', '--format', 'json', tmpFile('crlf.dmsetup', crlf)]).stdout);
  assert.deepEqual(r2.files[0].diagnostics.map((d: { code: string }) => d.code).sort(), ['data-usage-critical', 'no-discard-passdown', 'queue-if-no-space']);
  const huge = 'x'.repeat(10 * 1024 * 1024) + '\npool: 0 2097152 thin-pool 3 856/8192 4391/16384 - ro discard_passdown queue_if_no_space - 1024 \n';
  const r3 = dmlens(['check', '--format', 'json', tmpFile('huge.dmsetup', huge)]);
  assert.equal(r3.code, 1);
  assert.deepEqual(JSON.parse(r3.stdout).files[0].diagnostics.map((d: { code: string; range: { start: { line: number } } }) => `${d.range.start.line}:${d.code}`), ['1:pool-read-only', '1:queue-if-no-space']);
});

test('--help and --version', () => {
  const h = dmlens(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /dmlens check/);
  assert.match(dmlens(['--version']).stdout, /^dmlens \d+\.\d+\.\d+\n$/);
  assert.equal(dmlens([]).code, 2);
  for (const args of [['inspect', '--help'], ['reclaim', 'somehost', '-h'], ['check', '--help']]) {
    const r = dmlens(args);
    assert.equal(r.code, 0, args.join(' '));
    assert.match(r.stdout, /dmlens inspect \[--json\]/, args.join(' '));
  }
  // After `--`, "--help" is an operand (a file named so), not a request for help.
  assert.notEqual(dmlens(['check', '--', '--help']).stdout.includes('Usage:'), true);
});
