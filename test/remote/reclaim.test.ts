/**
 * The reclaim workflow on the real lab guest: delete data on the thin
 * filesystems, run `dmlens reclaim`, and compare the report with what the
 * guest's own `stat` and `dmsetup status` say. ext4 gives space back to the
 * host; jfs frees the pool only; vfat is the trap; Fail is refused; cancel
 * leaves only completed fstrims; dockerd's image removal returns space where
 * discards reach the file. Needs DMLENS_LAB_SSH_CONFIG (see inspect.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { buildReclaimPlan } from '../../server/src/core/index';
import { inspectHost } from '../../server/src/remote/inspect';
import { runReclaim } from '../../server/src/remote/reclaim';
import { CLI, dmlens } from './dmlensProcess';

const CONFIG = process.env['DMLENS_LAB_SSH_CONFIG'];
const skip = CONFIG ? false : 'no lab (DMLENS_LAB_SSH_CONFIG unset; run with node test/run-all.mjs --lab)';
const HOST = 'dmlens-lab';
const MiB = 1024 * 1024;

function guest(args: string[], user = 'root'): string {
  const quoted = args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`));
  const r = spawnSync('ssh', ['-F', CONFIG!, '-l', user, HOST, ...quoted], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Writes `mib` MiB into each mounted scenario filesystem, then deletes it: blocks the pool still holds. */
function writeAndDelete(fsNames: string[], mib: number): void {
  const script = fsNames.map((fs) => `dd if=/dev/zero of=/mnt/lab-${fs}/payload bs=1M count=${mib} conv=fsync 2>/dev/null && rm /mnt/lab-${fs}/payload`).join(' && ');
  guest(['sh', '-c', `${script} && sync`]);
}

function allocated(file: string): number {
  const [blocks, unit] = guest(['stat', '-c', '%b %B', file]).trim().split(' ').map(Number);
  return blocks! * unit!;
}

function usedBlocks(pool: string): number {
  // <start> <length> thin-pool <transaction> <meta used/total> <data used/total> …
  const line = guest(['dmsetup', 'status', pool]);
  return Number(line.split(' ')[5]!.split('/')[0]);
}

interface PoolJson {
  name: string;
  verdict: string;
  why: string;
  eligible: boolean;
  refusal: string | null;
  before: { dataUsed: number; allocatedBytes: number | null } | null;
  after: { dataUsed: number; allocatedBytes: number | null } | null;
  reclaimedPoolBytes: number | null;
  reclaimedHostBytes: number | null;
  explanation: string | null;
}
interface RunJson {
  host: string;
  executed: boolean;
  plan: { command: string; kind: string; pool: string | null; status?: string }[];
  pools: PoolJson[];
}

test('without --yes: the plan with exact commands, and nothing changes', { skip }, async () => {
  writeAndDelete(['ext4'], 50);
  const before = allocated('/srv/ext4/data.img');
  const r = await dmlens(['reclaim', '--json', '--ssh-config', CONFIG!, HOST]);
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(r.stdout) as RunJson;
  assert.equal(json.executed, false);
  assert.deepEqual(
    json.plan.map((s) => [s.kind, s.command]),
    [['read-only', 'sh -s'], ['mutating', 'sync'], ['mutating', 'fstrim -v /mnt/lab-ext4'], ['mutating', 'fstrim -v /mnt/lab-jfs'], ['mutating', 'fstrim -v /mnt/lab-vfat'], ['read-only', 'sh -s']],
  );
  for (const s of json.plan) assert.doesNotMatch(s.command, /blkdiscard|thin_trim|dmsetup message|dd /);
  const fail = json.pools.find((p) => p.name === 'lab-fail')!;
  assert.equal(fail.eligible, false);
  assert.match(fail.refusal ?? '', /fail mode/);
  assert.equal(allocated('/srv/ext4/data.img'), before, 'nothing was trimmed');
  const text = await dmlens(['reclaim', '--ssh-config', CONFIG!, HOST]);
  assert.match(text.stdout, /Nothing was changed\. Run again with --yes/);
  assert.match(text.stdout, /Offline thin_trim is refused on this host: thin-provisioning-tools 0\.9\.0/);
});

test('ext4 shrinks, jfs frees the pool only, vfat is the trap: measured, and equal to stat and dmsetup (as ops with sudo -n)', { skip }, async () => {
  writeAndDelete(['ext4', 'jfs', 'vfat'], 100);
  const r = await dmlens(['reclaim', '--yes', '--json', '--sudo', '--ssh-config', CONFIG!, `ops@${HOST}`]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const json = JSON.parse(r.stdout) as RunJson;
  assert.equal(json.executed, true);
  assert.ok(json.plan.every((s) => s.status === 'ok'), JSON.stringify(json.plan));
  const pool = (name: string) => json.pools.find((p) => p.name === name)!;

  const ext4 = pool('lab-ext4');
  assert.equal(ext4.verdict, 'host');
  assert.ok(ext4.reclaimedPoolBytes! >= 90 * MiB, `pool freed ${ext4.reclaimedPoolBytes}`);
  assert.ok(ext4.reclaimedHostBytes! >= 90 * MiB, `file shrank by ${ext4.reclaimedHostBytes}`);
  assert.equal(ext4.after!.allocatedBytes, allocated('/srv/ext4/data.img'));
  assert.equal(ext4.after!.dataUsed, usedBlocks('lab-ext4'));
  assert.match(ext4.explanation ?? '', /gave .* back to/);

  const jfs = pool('lab-jfs');
  assert.ok(jfs.reclaimedPoolBytes! >= 90 * MiB);
  assert.ok(Math.abs(jfs.reclaimedHostBytes!) < MiB, `jfs file changed by ${jfs.reclaimedHostBytes}`);
  assert.equal(jfs.after!.allocatedBytes, allocated('/srv/jfs/data.img'));
  assert.match(jfs.explanation ?? '', /did not shrink: .*kernel disabled passdown.*What would help: move the pool/);

  const vfat = pool('lab-vfat');
  assert.ok(vfat.reclaimedPoolBytes! >= 90 * MiB);
  assert.ok(Math.abs(vfat.reclaimedHostBytes!) < MiB);
  assert.match(vfat.explanation ?? '', /did not shrink: The status says discard_passdown, but vfat cannot punch holes/);
});

test('cancel mid-way: completed fstrims stand, the running one is stopped, nothing after it runs', { skip }, async () => {
  const audit = await inspectHost(HOST, { ssh: { configFile: CONFIG! } });
  const plan = buildReclaimPlan(audit.report);
  const controller = new AbortController();
  const run = await runReclaim(HOST, plan, {
    ssh: { configFile: CONFIG! },
    signal: controller.signal,
    onStep: (r, _i, _n, phase) => {
      // Cancel as the second fstrim starts.
      if (phase === 'start' && r.step.op === 'fstrim' && r.step.pool === 'lab-jfs') setTimeout(() => controller.abort(), 0);
    },
  });
  const status = run.steps.map((s) => `${s.step.op}${s.step.pool ? `:${s.step.pool}` : ''}=${s.status}`);
  assert.equal(status[0], 'measure=ok');
  assert.equal(status[1], 'sync=ok');
  assert.equal(status[2], 'fstrim:lab-ext4=ok');
  assert.match(status[3]!, /^fstrim:lab-jfs=(cancelled|ok)$/);
  assert.deepEqual(status.slice(4), ['fstrim:lab-vfat=skipped', 'measure=skipped']);
  assert.match(run.stopped ?? '', /cancel/);
});

test('a failed pool is refused and never trimmed; a pool filter keeps the plan to that pool', { skip }, async () => {
  const audit = await inspectHost(HOST, { ssh: { configFile: CONFIG! } });
  const only = buildReclaimPlan(audit.report, { pools: ['lab-fail'] });
  assert.equal(only.empty, true);
  assert.equal(only.audits[0]!.eligible, false);
  const r = await dmlens(['reclaim', '--yes', '--pool', 'lab-fail', '--ssh-config', CONFIG!, HOST]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /refused — the pool is in fail mode/);
  assert.match(r.stdout, /Nothing to do/);
  const bad = await dmlens(['reclaim', '--pool', 'no-such-pool', '--ssh-config', CONFIG!, HOST]);
  assert.equal(bad.code, 2);
});

test('dockerd on devicemapper: pruning a dangling image returns its blocks to the pool and, on ext4, to the host', { skip }, async (t) => {
  const audit = await inspectHost(HOST, { ssh: { configFile: CONFIG! } });
  const docker = audit.report.pools.find((p) => p.docker);
  if (!docker) {
    t.skip('the lab was built without the docker image');
    return;
  }
  // An image of 24 MiB of fresh random data, then another image under the same tag: the first
  // dangles. (Re-importing the same tar would share its content-addressed layer and free nothing.)
  guest(['sh', '-c', 'set -e; d=$(mktemp -d); mkdir $d/a $d/b; dd if=/dev/urandom of=$d/a/blob bs=1M count=24 2>/dev/null; echo small > $d/b/blob; ' +
    'tar -cf $d/a.tar -C $d/a .; tar -cf $d/b.tar -C $d/b .; docker import $d/a.tar lab/junk:1 >/dev/null; docker import $d/b.tar lab/junk:1 >/dev/null; rm -rf $d']);
  const r = await dmlens(['reclaim', '--yes', '--json', '--prune-images', '--pool', docker.name, '--ssh-config', CONFIG!, HOST]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const json = JSON.parse(r.stdout) as RunJson;
  assert.ok(json.plan.some((s) => s.command === 'docker image prune -f' && s.kind === 'destructive' && s.status === 'ok'));
  const p = json.pools.find((x) => x.name === docker.name)!;
  assert.equal(p.verdict, 'host');
  assert.ok(p.reclaimedPoolBytes! >= 16 * MiB, `pool freed ${p.reclaimedPoolBytes}`);
  assert.ok(p.reclaimedHostBytes! >= 16 * MiB, `data file shrank by ${p.reclaimedHostBytes}`);
  assert.equal(p.after!.allocatedBytes, allocated('/var/lib/docker/devicemapper/devicemapper/data'));
});

test('the CLI refuses without a host and with two', async () => {
  assert.ok(existsSync(CLI));
  assert.equal((await dmlens(['reclaim'])).code, 2);
  assert.equal((await dmlens(['reclaim', 'a', 'b'])).code, 2);
  assert.equal((await dmlens(['reclaim', '--', '-x'])).code, 2);
});
