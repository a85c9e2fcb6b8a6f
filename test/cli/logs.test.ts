import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(__dirname, '../../server/out/dmlens.js');
const LOGS = resolve(__dirname, '../fixtures/logs');
const dir = mkdtempSync(join(tmpdir(), 'dmlens-logs-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function dmlens(args: string[], nodeArgs: string[] = []): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [...nodeArgs, CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

const KERNEL = readFileSync(join(LOGS, 'kernel-dmesg.log'), 'utf8');

test('a file named messages is a log: catalogue codes, exit 1 on error-severity lines', () => {
  const f = write('messages', readFileSync(join(LOGS, 'kernel-syslog.log'), 'utf8'));
  const r = dmlens(['check', '--format', 'json', f]);
  assert.equal(r.code, 1, r.stderr);
  const file = JSON.parse(r.stdout).files[0];
  assert.equal(file.language, 'log');
  const codes = file.diagnostics.map((d: { code: string }) => d.code);
  assert.ok(codes.includes('thin-out-of-data-space-error'));
  assert.ok(codes.includes('thin-low-water-mark'));
  assert.ok(codes.includes('discard-not-effective'));
});

test('detection by a timestamped first line; --language log forces it; unrelated logs are silent and exit 0', () => {
  const byContent = write('capture.txt', KERNEL.split('\n').filter((l) => !l.startsWith('#')).join('\n'));
  assert.equal(JSON.parse(dmlens(['check', '--format', 'json', byContent]).stdout).files[0].language, 'log');
  const quiet = write('quiet.txt', 'Mar  5 10:00:00 h systemd[1]: Started Session 3 of user ops.\nMar  5 10:00:01 h sshd[22]: Accepted publickey for ops\n');
  const r = dmlens(['check', '--format', 'json', quiet]);
  assert.equal(r.code, 0);
  assert.deepEqual(JSON.parse(r.stdout).files[0].diagnostics, []);
  const forced = write('notes', 'device-mapper: thin: 253:0: switching pool to out-of-data-space (queue IO) mode\n');
  const f = JSON.parse(dmlens(['check', '--format', 'json', '--language', 'log', forced]).stdout).files[0];
  assert.equal(f.language, 'log');
  assert.deepEqual(f.diagnostics.map((d: { code: string; range: unknown }) => [d.code, d.range]), [
    ['thin-out-of-data-space-queue', { start: { line: 0, character: 0 }, end: { line: 0, character: 79 } }],
  ]);
});

test('explain on a log line: meaning, remedy and the numbers of the line', () => {
  const f = write('dockerd.log', readFileSync(join(LOGS, 'dockerd-journal.log'), 'utf8'));
  const n = readFileSync(f, 'utf8').split('\n').findIndex((l) => l.includes('162394 free data blocks')) + 1;
  const r = dmlens(['explain', f, String(n)]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /dm\.min_free_space/);
  assert.match(r.stdout, /99\.1 %/);
  const none = dmlens(['explain', f, '1']);
  assert.equal(none.code, 1);
});

test('a 400 000-line journal goes through check in bounded memory', () => {
  const noise = [
    'Mar  5 10:00:00 host systemd[1]: Started Session 3 of user ops.',
    'Mar  5 10:00:00 host sshd[2231]: Accepted publickey for ops from 10.0.0.5 port 51122 ssh2',
    'Mar  5 10:00:00 host kernel: [ 1234.567890] EXT4-fs (dm-3): mounted filesystem with ordered data mode. Quota mode: none.',
    'Mar  5 10:00:00 host dockerd[812]: time="2024-03-05T10:00:00.000000000Z" level=info msg="ignoring event" module=libcontainerd namespace=moby',
  ];
  const dm = 'Mar  5 10:00:00 host kernel: [ 1234.567890] device-mapper: thin: 253:0: reached low water mark for data device: sending event.';
  const lines: string[] = [];
  for (let i = 0; i < 400_000; i++) lines.push(i % 1000 === 999 ? dm : noise[i % noise.length]!);
  const f = write('journal-big.txt', lines.join('\n') + '\n');
  // A heap of 256 MB for a 40 MB file: the analysis keeps only the 400 recognised lines.
  const r = dmlens(['check', '--format', 'json', f], ['--max-old-space-size=256']);
  assert.equal(r.stderr, '');
  const diags = JSON.parse(r.stdout).files[0].diagnostics as { code: string }[];
  assert.equal(diags.length, 400);
  assert.ok(diags.every((d) => d.code === 'thin-low-water-mark'));
});
