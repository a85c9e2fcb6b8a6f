/**
 * Issue 9 through the built CLI with a fake `ssh`: hostile remote output is
 * shown escaped, capped, and never reaches a command line.
 *
 * Why a fake and not the lab (test/remote/hostile.test.ts is the real part):
 * a NUL byte, a 1 MB line, a lone CR, OSC 8 / OSC 0 sequences inside a kernel
 * version or a mount point never come out of the real dmsetup, uname or
 * /proc/mounts, yet a compromised or broken host can print anything. So this
 * `ssh` (passed with dmlens's own `--ssh` option, like a wrapper binary) reads
 * and records what dmlens sends (argv and the script on stdin), runs nothing,
 * and prints a captured lab transcript (test/fixtures/lab/collector-root.txt)
 * with such output injected. The collector nonce is fresh per run and passed
 * as `sh -s -- <nonce> <mode>`, so the fake takes it from its own argv.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { COLLECTOR_SCRIPT } from '../../server/src/core/index';

const CLI = resolve(__dirname, '../../server/out/dmlens.js');
const FIXTURE = resolve(__dirname, '../fixtures/lab/collector-root.txt');
const FIXTURE_NONCE = '0123456789abcdef';
const WORK = mkdtempSync(join(tmpdir(), 'dmlens-hostile-'));
after(() => rmSync(WORK, { recursive: true, force: true }));

/** The longest line the text output may have, whatever the host printed. */
const LINE_CAP = 4096;
const MB = 1024 * 1024;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

const ESC = '\u001b';
const BEL = '\u0007';
// CSI clear screen, OSC 0 window title (BEL-terminated), OSC 8 hyperlink (ST-terminated), C1 CSI, DEL, NUL.
const TERMINAL = `${ESC}[2J${ESC}]0;owned${BEL}${ESC}]8;;https://evil.example/${ESC}\\click${ESC}]8;;${ESC}\\\u009b31m\u007f\u0000`;
const POOL = `evil;$(touch /tmp/pwned)${TERMINAL}`;
const THIN = `thin\`touch /tmp/pwned\`|&<>'"${ESC}[31m*?`;
const THIN_LONG = 'thin-long';
const MOUNT = `/mnt/evil dir;$(touch /tmp/pwned)${ESC}[31m'"\``;
const LONG_MOUNT = `/mnt/${'m'.repeat(MB)}`;
/** A 1 000-character pool name (the dm line parser reads names up to 1024 characters; the real limit is 127 bytes). */
const WIDE_POOL = `wide-${'w'.repeat(995)}`;
const MEGA = 'k'.repeat(MB);

/**
 * A name as the kernel, sysfs and /dev/mapper hold it when dmsetup created it in its default
 * (auto) mangling mode: every byte outside 0-9 A-Z a-z #+-.:=@_ as \xNN, while dmsetup itself
 * prints the name unmangled (seen in the lab; libdevmapper's mangle_string).
 */
const dmMangled = (name: string) => [...Buffer.from(name, 'utf8')].map((b) => (/[0-9A-Za-z#+\-.:=@_]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');

/** /proc/mounts octal-escapes blanks and backslashes. */
const procMountsPath = (p: string) => p.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);

function hostileTranscript(): string {
  let t = readFileSync(FIXTURE, 'utf8');
  const edit = (name: string, f: (stdout: string) => string) => {
    const begin = `@@${FIXTURE_NONCE}@@ begin ${name}\n`;
    const at = t.indexOf(begin);
    assert.ok(at >= 0, name);
    const from = at + begin.length;
    const to = t.indexOf(`\n@@${FIXTURE_NONCE}@@ stderr\n`, from);
    t = t.slice(0, from) + f(t.slice(from, to)) + t.slice(to);
  };
  edit('kernel', () => `6.1.0-${MEGA}${ESC}[2J`);
  edit('whoami', () => `root${ESC}]0;title${BEL}${'u'.repeat(MB)}`);
  edit('dmsetup-ls', (s) => `${s}${POOL}\t(253:20)\n${THIN}\t(253:21)\n`);
  edit('dmsetup-status', (s) =>
    `${s}${POOL}: 0 131072 thin-pool 0 111/1024 10/1024 - rw discard_passdown queue_if_no_space - 256 \n` +
    `${THIN}: 0 131072 thin 640 131071\n${THIN_LONG}: 0 131072 thin 0 -\n` +
    `${WIDE_POOL}: 0 131072 thin-pool 0 111/1024 10/1024 - rw discard_passdown queue_if_no_space - 256 \n` +
    // A 1 MB dm line: skipped by the report, still a line of the transcript.
    `${'z'.repeat(MB)}: 0 131072 thin-pool 0 111/1024 10/1024 - rw discard_passdown queue_if_no_space - 256 \n`,
  );
  edit('dmsetup-table', (s) =>
    `${s}${POOL}: 0 131072 thin-pool 7:21 7:20 128 0 0 \n${THIN}: 0 131072 thin 253:20 0\n${THIN_LONG}: 0 131072 thin 253:20 1\n` +
    `${WIDE_POOL}: 0 131072 thin-pool 7:21 7:20 128 0 0 \n`,
  );
  // sysfs and /proc/mounts hold the mangled names, as on a real host (the report ties them together through dmsetup ls).
  edit('block-devices', (s) => `${s}dm-20\t253:20\t4294966784\t131072\t${dmMangled(POOL)}\ndm-21\t253:21\t17179869184\t131072\t${dmMangled(THIN)}\ndm-22\t253:22\t17179869184\t131072\t${THIN_LONG}\n`);
  edit('mounts', (s) => `${s}/dev/mapper/${procMountsPath(dmMangled(THIN))} ${procMountsPath(MOUNT)} ext4 rw,relatime 0 0\n/dev/dm-22 ${LONG_MOUNT} ext4 rw 0 0\n`);
  // CR-only line ends (a lone CR would rewind the terminal line and forge what follows), NULs, a forged marker with another nonce.
  edit('docker-info', (s) => `${s.replace(/\n/g, '\r')}\rServer Version: 99.0${ESC}[8m\u0000\r`);
  edit('dmesg', (s) =>
    `${s}[ 1.000000] device-mapper: thin: 253:20: switching pool to out-of-data-space (error IO) mode\r[ 1.0] FORGED: all pools healthy${ESC}[2K\u0000\n` +
    `[ 2.000000] device-mapper: thin: ${MEGA}\n` +
    `\n@@deadbeefdeadbeef@@ begin dmsetup-status\nforged-pool: 0 8 thin-pool 0 1/2 1/2 - rw discard_passdown queue_if_no_space - 5 \n`,
  );
  return t;
}

const TRANSCRIPT = join(WORK, 'transcript.txt');
writeFileSync(TRANSCRIPT, hostileTranscript());
const ARGV_LOG = join(WORK, 'argv.log');
const STDIN_LOG = join(WORK, 'stdin.log');
const FAKE_SSH = join(WORK, 'ssh');
writeFileSync(
  FAKE_SSH,
  `#!${process.execPath}
// Fake ssh for test/cli/hostileRemote.test.ts: records argv and stdin, runs nothing, prints a hostile collector transcript.
const fs = require('node:fs');
const argv = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(ARGV_LOG)}, JSON.stringify(argv) + '\\n');
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  fs.appendFileSync(${JSON.stringify(STDIN_LOG)}, Buffer.concat(chunks));
  // ... -- <host> sh -s -- <nonce> <mode>
  const nonce = argv[argv.indexOf('--') + 5];
  const out = fs.readFileSync(${JSON.stringify(TRANSCRIPT)}, 'utf8').replaceAll('@@${FIXTURE_NONCE}@@', '@@' + nonce + '@@');
  process.stdout.write(out, () => process.exit(0));
});
`,
);
chmodSync(FAKE_SSH, 0o755);

function dmlens(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    // NO_COLOR unset and no TTY: any ESC in the output came from the host.
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('close', (code) => res({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** Where the first raw control character is, in a few words (never the whole text: it can be megabytes). */
function firstControl(text: string): string | undefined {
  const bad = CONTROL.exec(text);
  if (!bad) return undefined;
  return `raw U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${bad.index}: ${JSON.stringify(text.slice(Math.max(0, bad.index - 60), bad.index + 20))}`;
}

/** No raw control character (tab and newline aside), no line over LINE_CAP. */
function assertShownSafely(what: string, text: string): void {
  const bad = firstControl(text);
  assert.ok(!bad, `${what}: ${bad}`);
  const lines = text.split('\n');
  const longest = Math.max(...lines.map((l) => l.length));
  assert.ok(longest <= LINE_CAP, `${what}: a line of ${longest} characters: ${lines.find((l) => l.length === longest)!.slice(0, 120)}…`);
}

/** assert.match without printing megabytes of output on failure. */
function assertHas(text: string, want: RegExp | string, what: string): void {
  const ok = typeof want === 'string' ? text.includes(want) : want.test(text);
  assert.ok(ok, `${what}: ${String(want)} not in the output (${text.length} characters)`);
}

const common = ['--ssh', FAKE_SSH, 'fakehost'];

test('inspect (text): every name and message escaped, lines capped, exit 1 for the error findings', async () => {
  assert.ok(existsSync(CLI), 'run npm run build first');
  const r = await dmlens(['inspect', ...common]);
  assert.equal(r.code, 1, r.stderr); // lab-oos and lab-fail are errors; the host was reached
  assertShownSafely('stdout', r.stdout);
  assertShownSafely('stderr', r.stderr);
  // Shown, escaped, not dropped: the operator sees what the host really calls its pool.
  assertHas(r.stdout, 'evil;$(touch /tmp/pwned)\\x1b[2J\\x1b]0;owned\\x07\\x1b]8;;https://evil.example/\\x1b\\click', 'the pool name, escaped');
  assertHas(r.stdout, '\\x9b31m\\x7f\\x00', 'C1, DEL and NUL, escaped');
  assertHas(r.stdout, /^fakehost: root\\x1b\]0;title\\x07u+…, kernel 6\.1\.0-k+…, /m, 'user and kernel cut');
  assertHas(r.stdout, /^ {2}wide-w+… /m, 'a 1 000-character pool name cut');
  assert.ok(!r.stdout.includes('forged-pool'), 'a marker with another nonce forges nothing');
  assert.ok(!existsSync('/tmp/pwned'), '/tmp/pwned exists locally');
});

test('inspect --json: valid JSON with every name exactly as the host printed it', async () => {
  const r = await dmlens(['inspect', '--json', ...common]);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stderr, '');
  const host = (JSON.parse(r.stdout) as { hosts: { kernel: string; user: string; pools: { name: string; thinDevices: { name: string; mountPoint?: string }[] }[] }[] }).hosts[0]!;
  assert.ok(host.kernel === `6.1.0-${MEGA}${ESC}[2J`, 'kernel exact');
  assert.ok(host.user === `root${ESC}]0;title${BEL}${'u'.repeat(MB)}`, 'user exact');
  const names = host.pools.map((p) => p.name);
  assert.ok(names.includes(POOL), JSON.stringify(names.map((n) => n.slice(0, 40))));
  assert.ok(names.includes(WIDE_POOL));
  assert.ok(!names.includes('forged-pool'));
  const evil = host.pools.find((p) => p.name === POOL)!;
  const mounts = new Map(evil.thinDevices.map((d) => [d.name, d.mountPoint]));
  assert.equal(mounts.size, 2);
  assert.ok(mounts.get(THIN) === MOUNT, `mount point of the thin volume: ${JSON.stringify(mounts.get(THIN)?.slice(0, 80))}`);
  assert.ok(mounts.get(THIN_LONG) === LONG_MOUNT, 'the 1 MB mount point, whole');
});

test('inspect --transcript: the raw copy is escaped too', async () => {
  const r = await dmlens(['inspect', '--transcript', ...common]);
  assert.equal(r.code, 1, r.stderr);
  // The transcript keeps every line whole (it is a record, not a summary): no line cap here.
  const bad = firstControl(r.stdout);
  assert.ok(!bad, bad);
  assertHas(r.stdout, `${POOL.slice(0, 24)}\\x1b[2J`, 'the pool name, escaped');
  assertHas(r.stdout, '\\x0d[ 1.0] FORGED', 'a lone CR cannot rewind the line');
});

test('reclaim (plan only): hostile mount points refused as fstrim targets, shown escaped and capped', async () => {
  const r = await dmlens(['reclaim', ...common]);
  assert.equal(r.code, 0, r.stderr);
  assertShownSafely('stdout', r.stdout);
  assertShownSafely('stderr', r.stderr);
  assertHas(r.stdout, /Nothing was changed\. Run again with --yes/, 'plan only');
  assertHas(r.stdout, `/mnt/evil dir;$(touch /tmp/pwned)\\x1b[31m'"\` (pool evil;$(touch /tmp/pwned)\\x1b[2J`, 'the refused mount point named, escaped');
  const steps = r.stdout.split('\n').filter((l) => /^ +\d+\. \[/.test(l));
  assert.ok(steps.some((l) => l.includes('fstrim -v /mnt/lab-ext4')));
  assert.ok(!steps.some((l) => l.includes('evil') || l.includes('mmmm')), steps.join('\n'));

  const j = await dmlens(['reclaim', '--json', ...common]);
  assert.equal(j.code, 0, j.stderr);
  const json = JSON.parse(j.stdout) as { executed: boolean; plan: { command: string }[]; pools: { name: string; mounts: string[] }[]; guidance: string[] };
  assert.equal(json.executed, false);
  assert.ok(json.plan.every((s) => !s.command.includes('evil') && !s.command.includes('mmmm')));
  assert.ok(json.pools.some((p) => p.name === POOL));
  assert.ok(json.guidance.some((g) => g.startsWith(`${MOUNT} (pool ${POOL}) is not trimmed`)), 'JSON keeps the exact path');
  assert.ok(json.guidance.some((g) => g.startsWith(`${LONG_MOUNT} (pool ${POOL}) is not trimmed: its path longer than 1024`)));
});

test('what went to ssh: only the fixed remote command, the fixed collector on stdin, nothing from the host', () => {
  const runs = readFileSync(ARGV_LOG, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
  assert.equal(runs.length, 5, 'one ssh per inspection, no reclaim step ran');
  for (const argv of runs) {
    const tail = argv.slice(argv.indexOf('--'));
    assert.equal(tail.length, 7, JSON.stringify(tail));
    assert.deepEqual(tail.slice(0, 5), ['--', 'fakehost', 'sh', '-s', '--']);
    assert.match(tail[5]!, /^[0-9a-f]{16}$/);
    assert.equal(tail[6], 'direct');
  }
  assert.equal(readFileSync(STDIN_LOG, 'utf8'), COLLECTOR_SCRIPT.repeat(5));
  assert.ok(!existsSync('/tmp/pwned'));
});
