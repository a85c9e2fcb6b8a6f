/**
 * Issue 9 on the real lab guest: device-mapper names full of shell
 * metacharacters and terminal escapes, a thin filesystem mounted under such
 * a directory, and `dmlens inspect` / `dmlens reclaim` against them. The
 * text output shows them escaped (\x1b, never a raw ESC), JSON carries them
 * exactly, nothing the host named ever runs as a command (no `pwned` file
 * appears, here or on the guest), and a plan step holds a mount point as one
 * whole argv element or not at all. A real `reclaim --yes` trims the pool.
 *
 * The kernel refuses '/' in a dm name (and 128 bytes or more), so the
 * payloads in names reach /tmp with `cd` instead of a path; the mount point
 * can hold a whole `$(touch /tmp/pwned)`.
 *
 * Needs DMLENS_LAB_SSH_CONFIG (see inspect.test.ts); skipped without it.
 * About 2 minutes under TCG on an idle 2-core machine (the read-only runs go
 * in parallel); several times that when the machine is busy.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReclaimPlan, type HostReport } from '../../server/src/core/index';
import { inspectHost } from '../../server/src/remote/inspect';
import { CLI, dmlens } from './dmlensProcess';

const CONFIG = process.env['DMLENS_LAB_SSH_CONFIG'];
const skip = CONFIG ? false : 'no lab (DMLENS_LAB_SSH_CONFIG unset; run with node test/run-all.mjs --lab)';
const HOST = 'dmlens-lab';
const WORK = mkdtempSync(join(tmpdir(), 'dmlens-hostile-lab-'));
after(() => rmSync(WORK, { recursive: true, force: true }));
/** ssh as dmlens starts it, recorded word by word (NUL-separated), then the real ssh: what really reached a command line. */
const SSH_LOG = join(WORK, 'ssh-argv.log');
const SSH_WRAPPER = join(WORK, 'ssh');
writeFileSync(SSH_WRAPPER, `#!/bin/sh\n{ for a in "$@"; do printf '%s\\0' "$a"; done; printf '\\n'; } >> '${SSH_LOG}'\nexec ssh "$@"\n`);
chmodSync(SSH_WRAPPER, 0o755);

const ESC = '\u001b';
const BEL = '\u0007';
const PAYLOAD = 'cd;cd ..;cd ..;cd ..;cd tmp;touch pwned';
// Created with dmsetup's default (auto) name mangling: the kernel, sysfs and /dev/mapper hold
// `pool\x3b\x24…`, while dmsetup status/table/ls print the names as given here.
const POOL = `pool;$(${PAYLOAD})${ESC}]0;owned${BEL}${ESC}[2J`;
const THIN = `thin\`${PAYLOAD}\`|&<>'"${ESC}[31m*?`;
const TRIM = `trim;$(${PAYLOAD})`;
/** Made with --manglename none: the kernel holds the raw bytes, and plain `dmsetup status` refuses to print it. */
const RAW = `raw;$(${PAYLOAD})${ESC}[31m`;
/** Mounted via its /dev/mapper node: refused as an fstrim target (characters a shell would read). */
const MNT = `/mnt/dmlens hostile;$(touch /tmp/pwned)'"${ESC}[31m\`touch /tmp/pwned\``;
/** Mounted via /dev/dm-N: odd but safe characters, so the real reclaim trims it. */
const MNT2 = '/mnt/dmlens-hostile,a=b@c+d:e';
const DIR = '/srv/ext4/dmlens-hostile';

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
/** What ssh's remote command line may carry (sshArgs): words no shell splits or expands. */
const SAFE_WORD = /^[\w.=@+:,/-]{1,1024}$/;

const shq = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
/** A name as dmsetup's default (auto) mangling stores it: each byte outside 0-9 A-Z a-z #+-.:=@_ as \xNN. */
const mangled = (name: string) => [...Buffer.from(name, 'utf8')].map((b) => (/[0-9A-Za-z#+\-.:=@_]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
const names = `POOL=${shq(POOL)} THIN=${shq(THIN)} TRIM=${shq(TRIM)} RAW=${shq(RAW)} MNT=${shq(MNT)} MNT2=${shq(MNT2)} D=${DIR}`;

/** Runs a script in the guest as root through `sh -s` (our own set-up, outside the code under test). */
function guestScript(script: string): string {
  const r = spawnSync('ssh', ['-F', CONFIG!, '-l', 'root', HOST, 'sh', '-s'], { input: `export DM_DISABLE_UDEV=1 PATH=/usr/sbin:/usr/bin:/sbin:/bin\n${names}\n${script}`, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `${script.split('\n')[0]}: ${r.stderr}`);
  return r.stdout;
}

const SETUP = `set -eu
mkdir -p "$D" "$MNT" "$MNT2"
truncate -s 256M "$D/data.img"
truncate -s 8M "$D/meta.img"
data=$(losetup -f --show "$D/data.img")
meta=$(losetup -f --show "$D/meta.img")
dd if=/dev/zero of="$meta" bs=4096 count=1 conv=fsync 2>/dev/null
dmsetup create "$POOL" -u DMLENS-HOSTILE-POOL --table "0 524288 thin-pool $meta $data 128 0 0"
pool=$(dmsetup info -c --noheadings -o major,minor --separator : -u DMLENS-HOSTILE-POOL)
dmsetup message -u DMLENS-HOSTILE-POOL 0 create_thin 0
dmsetup message -u DMLENS-HOSTILE-POOL 0 create_thin 1
dmsetup create "$THIN" -u DMLENS-HOSTILE-THIN --table "0 131072 thin $pool 0"
dmsetup create "$TRIM" -u DMLENS-HOSTILE-TRIM --table "0 131072 thin $pool 1"
thin=$(dmsetup info -c --noheadings -o minor -u DMLENS-HOSTILE-THIN | tr -d ' ')
trim=$(dmsetup info -c --noheadings -o minor -u DMLENS-HOSTILE-TRIM | tr -d ' ')
for n in $thin $trim; do mkfs.ext4 -q -E lazy_itable_init=0,lazy_journal_init=0,nodiscard /dev/dm-$n; done
mount -t ext4 "/dev/mapper/$(cat /sys/block/dm-$thin/dm/name)" "$MNT"
mount -t ext4 /dev/dm-$trim "$MNT2"
# Blocks the pool still holds after a delete: what the real reclaim gives back.
dd if=/dev/urandom of="$MNT2/payload" bs=1M count=16 conv=fsync 2>/dev/null
rm "$MNT2/payload"
sync
`;

const CLEANUP = `
umount "$MNT" 2>/dev/null
umount "$MNT2" 2>/dev/null
dmsetup remove --manglename none -u DMLENS-HOSTILE-RAW 2>/dev/null
for n in "$THIN" "$TRIM" "$POOL"; do dmsetup remove "$n" 2>/dev/null; done
for u in THIN TRIM POOL; do dmsetup remove -u DMLENS-HOSTILE-$u 2>/dev/null; done
for f in "$D/data.img" "$D/meta.img"; do for l in $(losetup -j "$f" | cut -d: -f1); do losetup -d "$l"; done; done
# Nodes under unmangled names (--manglename none makes them; so does "dmsetup mknodes"): never left behind.
rm -f "/dev/mapper/$POOL" "/dev/mapper/$THIN" "/dev/mapper/$TRIM" "/dev/mapper/$RAW"
# And under mangled ones, should a removal by uuid (no name known) have left them.
rm -f ${[POOL, THIN, TRIM].map((n) => shq(`/dev/mapper/${mangled(n)}`)).join(' ')}
rm -rf "$D" "$MNT2" ${shq(MNT.split('/').slice(0, 3).join('/'))}
echo "$(dmsetup info -c --noheadings -o uuid | grep -c DMLENS-HOSTILE) $(ls /dev/mapper | grep -c pwned)"
exit 0
`;

/** Files named pwned anywhere on the guest's root filesystem (the payloads' only effect, had any run). */
function guestPwned(): string {
  return guestScript('ls -d /tmp/pwned /root/pwned /pwned 2>/dev/null; find / -xdev -type f -name "pwned*" 2>/dev/null; exit 0').trim();
}

const localPwned = () => (existsSync('/tmp/pwned') ? statSync('/tmp/pwned').mtimeMs : undefined);
let localBefore: number | undefined;

function assertNoControl(what: string, text: string): void {
  const bad = CONTROL.exec(text);
  assert.ok(!bad, `${what}: raw U+${bad?.[0].charCodeAt(0).toString(16).padStart(4, '0')} in ${JSON.stringify(text.slice(Math.max(0, (bad?.index ?? 0) - 80), (bad?.index ?? 0) + 20))}`);
}

/** printable(): what the text output must show for a host-supplied string. */
const escaped = (s: string) => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

// Generous: the guest is emulated, and four runs at once on a busy machine took over 2 min each.
const ssh = ['--timeout', '400', '--ssh-config', CONFIG ?? '', HOST];
type Run = Awaited<ReturnType<typeof dmlens>>;
let text: Run;
let json: Run;
let planJson: Run;
let report: HostReport;
let rawText: Run | undefined;

before(async () => {
  if (skip) return;
  assert.ok(existsSync(CLI), 'run npm run build first');
  localBefore = localPwned();
  guestScript(CLEANUP); // leftovers of an interrupted run
  guestScript(SETUP);
  // Read-only, so all at once: four collector runs share the guest's two emulated CPUs.
  [text, json, planJson, report] = await Promise.all([
    dmlens(['inspect', ...ssh]),
    dmlens(['inspect', '--json', ...ssh]),
    dmlens(['reclaim', '--json', ...ssh]),
    inspectHost(HOST, { ssh: { configFile: CONFIG!, timeoutMs: 400_000 } }).then((i) => i.report),
  ]);
}, { timeout: 480_000 });

after(() => {
  if (skip) return;
  assert.equal(guestScript(CLEANUP).trim(), '0 0', 'every hostile device and /dev/mapper node removed');
});

test('inspect (text): the names shown escaped, never a raw control character', { skip }, () => {
  assert.equal(text.code, 1, text.stderr); // lab-oos and lab-fail are errors
  assertNoControl('stdout', text.stdout);
  assertNoControl('stderr', text.stderr);
  assert.ok(text.stdout.includes(`\n  ${escaped(POOL)}  rw `), text.stdout);
  assert.ok(text.stdout.includes('\\x1b]0;owned\\x07\\x1b[2J'));
  assert.match(text.stdout, new RegExp(`^  ${escaped(POOL).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} .* ${DIR}/data\\.img on ext4 +host$`, 'm'));
});

test('inspect --json: the exact names and mount points, thin volumes found through their mangled kernel names', { skip }, () => {
  assert.equal(json.code, 1, json.stderr);
  const host = (JSON.parse(json.stdout) as { hosts: { pools: { name: string; thinDevices: { name: string; mountPoint?: string }[] }[] }[] }).hosts[0]!;
  const pool = host.pools.find((p) => p.name === POOL);
  assert.ok(pool, JSON.stringify(host.pools.map((p) => p.name)));
  assert.deepEqual(pool.thinDevices.map((t) => [t.name, t.mountPoint]), [[THIN, MNT], [TRIM, MNT2]]);
  // The kernel holds the mangled name (`pool\x3b…`); dmsetup ls tied the printed one to its maj:min.
  assert.match(report.pools.find((p) => p.name === POOL)?.devno ?? '', /^253:\d+$/);
});

test('reclaim plan: the safe mount point is one whole argv element, the hostile one is refused', { skip }, () => {
  const audit = buildReclaimPlan(report);
  const a = audit.audits.find((x) => x.pool === POOL)!;
  assert.deepEqual(a.mounts.map((m) => m.mountPoint), [MNT2]);
  assert.deepEqual(a.refusedMounts.map((m) => m.mountPoint), [MNT]);
  const mine = audit.steps.filter((s) => s.pool === POOL);
  assert.deepEqual(mine.map((s) => s.argv), [['fstrim', '-v', MNT2]]);
  for (const s of audit.steps) {
    for (const word of s.argv) {
      assert.match(word, SAFE_WORD, `step ${s.op}: ${JSON.stringify(word)}`);
      assert.ok(!word.includes('pwned') && !word.includes(ESC), JSON.stringify(s.argv));
    }
  }

  assert.equal(planJson.code, 0, planJson.stderr);
  const j = JSON.parse(planJson.stdout) as { executed: boolean; plan: { command: string; pool: string | null }[]; pools: { name: string; mounts: string[] }[]; guidance: string[] };
  assert.equal(j.executed, false);
  assert.deepEqual(j.plan.filter((s) => s.pool === POOL).map((s) => s.command), [`fstrim -v ${MNT2}`]);
  assert.ok(j.plan.every((s) => !s.command.includes('pwned')), JSON.stringify(j.plan));
  assert.deepEqual(j.pools.find((p) => p.name === POOL)?.mounts, [MNT2]);
  assert.ok(j.guidance.some((g) => g.startsWith(`${MNT} (pool ${POOL}) is not trimmed`)));
  assert.equal(guestPwned(), '');
});

test('reclaim --yes on the hostile pool: the plan shown escaped, fstrim of the safe mount point, space measured, nothing run from a name', { skip, timeout: 600_000 }, async () => {
  const r = await dmlens(['reclaim', '--yes', '--pool', POOL, '--ssh', SSH_WRAPPER, ...ssh]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assertNoControl('stdout', r.stdout);
  assertNoControl('stderr', r.stderr);
  // The plan, printed before it runs (as without --yes).
  assert.ok(r.stdout.includes(`  pool ${escaped(POOL)}: space can return to the host\n`), r.stdout);
  assert.ok(r.stdout.includes(`[mutating] fstrim -v ${MNT2}   (pool ${escaped(POOL)})`), r.stdout);
  assert.ok(r.stdout.includes(`Note: ${escaped(MNT)} (pool ${escaped(POOL)}) is not trimmed: its path contains characters that are not safe on a command line`), r.stdout);
  assert.ok(r.stderr.includes(`] fstrim -v ${MNT2}\n`), r.stderr);
  assert.match(r.stderr, /\] ok: \/mnt\/dmlens-hostile,a=b@c\+d:e: [\d.]+ \w+ \(\d+ bytes\) trimmed/);
  const done = new RegExp(`^  ${escaped(POOL).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: pool \\+([\\d.]+) MiB, host \\+([\\d.]+) MiB\\.`, 'm').exec(r.stdout);
  assert.ok(done, r.stdout);
  assert.ok(Number(done[1]) >= 8 && Number(done[2]) >= 8, `freed ${done[1]} MiB in the pool, ${done[2]} MiB on the host (16 MiB deleted)`);
  // The ssh command lines of the run: audit, measure, sync, fstrim, measure. The remote words are
  // fixed ones, a nonce, and the mount point as one whole word a shell would leave alone.
  const runs = readFileSync(SSH_LOG, 'utf8').split('\0\n').filter(Boolean).map((rec) => rec.split('\0'));
  const remote = runs.map((argv) => argv.slice(argv.indexOf('--') + 2));
  assert.deepEqual(remote.map((w) => (w[3] === 'fstrim' || w[3] === 'sync' ? w.join(' ') : w.slice(0, 3).join(' '))), ['sh -s --', 'sh -s --', 'sh -s -- sync direct', `sh -s -- fstrim direct ${MNT2}`, 'sh -s --']);
  for (const words of remote) for (const w of words) assert.match(w, SAFE_WORD);
  assert.ok(runs.every((argv) => !argv.some((a) => a.includes('pwned') || a.includes(ESC))), JSON.stringify(runs));
  assert.equal(guestPwned(), '');
  assert.equal(localPwned(), localBefore, '/tmp/pwned created or touched on this machine');
});

test('a name only --manglename none can make: dmsetup refuses to list, the output stays escaped', { skip, timeout: 480_000 }, async () => {
  guestScript('dmsetup create --manglename none "$RAW" -u DMLENS-HOSTILE-RAW --table "0 8 error"');
  try {
    const [t, j] = await Promise.all([dmlens(['inspect', ...ssh]), dmlens(['inspect', '--transcript', ...ssh])]);
    rawText = t;
    assert.ok(t.code === 0 || t.code === 1, t.stderr);
    assertNoControl('stdout', t.stdout);
    assertNoControl('stderr', t.stderr);
    // dmsetup's own complaint carries the raw name: in the transcript, escaped.
    assertNoControl('transcript', j.stdout);
    assert.ok(j.stdout.includes(`[exit status 1] The name "${escaped(RAW)}" should be mangled but it contains blacklisted characters.`), j.stdout.slice(0, 3000));
  } finally {
    guestScript('dmsetup remove --manglename none -u DMLENS-HOSTILE-RAW 2>/dev/null; rm -f "/dev/mapper/$RAW"; exit 0');
  }
  assert.equal(guestPwned(), '');
});

test('…and the report says that dmsetup could not list the devices (step-failed), never a silent "0 pools"', { skip }, () => {
  assert.ok(rawText, 'the previous test ran');
  assert.equal(rawText.code, 1, 'step-failed is an error');
  assert.match(rawText.stdout, /step-failed[^\n]*The dmsetup-(status|table|ls) step failed \(exit \d+\)/);
});
