/**
 * The reclaim plan and measurement as pure functions, on a host report built
 * from collector output captured in the lab (test/fixtures/lab). What may run,
 * in which order, what is refused, and what the measurement says.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildReclaimPlan, checkMountPoint, hostReportFromOutput, measureReclaim, RECLAIM_SCRIPT, type HostReport } from '../../server/src/core/index';

const NONCE = '0123456789abcdef';
const report = (): HostReport => hostReportFromOutput('dmlens-lab', readFileSync(join(__dirname, '../fixtures/lab/collector-root.txt'), 'utf8'), NONCE).report;

test('the plan: measure, sync, one fstrim per mounted thin filesystem of an eligible pool, measure', () => {
  const plan = buildReclaimPlan(report());
  assert.deepEqual(
    plan.steps.map((s) => `${s.kind} ${s.argv.join(' ')}`),
    ['read-only sh -s', 'mutating sync', 'mutating fstrim -v /mnt/lab-ext4', 'mutating fstrim -v /mnt/lab-jfs', 'mutating fstrim -v /mnt/lab-vfat', 'read-only sh -s'],
  );
  assert.equal(plan.empty, false);
  const fail = plan.audits.find((a) => a.pool === 'lab-fail')!;
  assert.equal(fail.eligible, false);
  assert.match(fail.refusal!, /fail mode/);
  // Never anything else.
  for (const s of plan.steps) assert.ok(['measure', 'sync', 'fstrim'].includes(s.op));
});

test('prune steps only when ticked and only where dockerd runs devicemapper; they are destructive', () => {
  const r = report();
  const withDocker = r.engine.driver === 'devicemapper';
  const plan = buildReclaimPlan(r, { pruneImages: true, pruneContainers: true });
  const prunes = plan.steps.filter((s) => s.op.startsWith('prune'));
  if (withDocker) assert.deepEqual(prunes.map((s) => [s.kind, s.argv.join(' ')]), [['destructive', 'docker container prune -f'], ['destructive', 'docker image prune -f']]);
  const noDocker = buildReclaimPlan({ ...r, engine: { driverStatus: 'unknown', driverStatusPairs: [] } }, { pruneImages: true });
  assert.deepEqual(noDocker.steps.filter((s) => s.op.startsWith('prune')), []);
  assert.deepEqual(buildReclaimPlan(r).steps.filter((s) => s.op.startsWith('prune')), []);
});

test('read-only, needs_check, ignore_discard pools are refused; a plan with nothing to trim is empty', () => {
  const r = report();
  const ext4 = r.pools.find((p) => p.name === 'lab-ext4')!;
  for (const change of [{ mode: 'ro' as const }, { needsCheck: true }, { discard: 'ignore_discard' as const }]) {
    const plan = buildReclaimPlan({ ...r, pools: [{ ...ext4, ...change }] });
    assert.equal(plan.audits[0]!.eligible, false, JSON.stringify(change));
    assert.equal(plan.empty, true);
    assert.deepEqual(plan.steps.map((s) => s.op), ['measure']);
  }
});

test('mount points from the host reach fstrim only when they are plain absolute paths', () => {
  for (const ok of ['/mnt/lab-ext4', '/var/lib/docker/devicemapper/mnt/4f2e9a', '/srv/a_b.c@d+e:f,g=h']) assert.equal(checkMountPoint(ok), undefined, ok);
  for (const bad of ['mnt/x', '/mnt/x y', '/mnt/$(reboot)', '/mnt/`id`', "/mnt/a'b", '/mnt/a;b', '/mnt/../etc', '/mnt/\nx', `/${'a'.repeat(1100)}`, '/mnt/a|b', '/mnt/*']) {
    assert.ok(checkMountPoint(bad), JSON.stringify(bad));
  }
  const r = report();
  const ext4 = r.pools.find((p) => p.name === 'lab-ext4')!;
  const hostile = { ...ext4, thinDevices: [{ ...ext4.thinDevices[0]!, mountPoint: '/mnt/x; rm -rf /' }] };
  const plan = buildReclaimPlan({ ...r, pools: [hostile] });
  assert.deepEqual(plan.steps.filter((s) => s.op === 'fstrim'), []);
  assert.match(plan.guidance.join('\n'), /\/mnt\/x; rm -rf \/ \(pool lab-ext4\) is not trimmed/);
});

test('thin_trim is guidance only, refused outright for thin-provisioning-tools 0.9', () => {
  const r = report();
  assert.match(buildReclaimPlan(r).guidance.join('\n'), /Offline thin_trim is refused on this host: thin-provisioning-tools 0\.9\.0/);
  const newer = buildReclaimPlan({ ...r, thinTools: { version: '1.0.9' } });
  assert.match(newer.guidance.join('\n'), /never run by this workflow/);
  assert.ok(!RECLAIM_SCRIPT.includes('thin_trim') && !RECLAIM_SCRIPT.includes('blkdiscard') && !RECLAIM_SCRIPT.includes('dmsetup'));
});

test('measurement: pool and host figures, and the explanation when the host gets nothing back', () => {
  const before = report();
  const after = structuredClone(before);
  const shrink = (name: string, blocks: number, fileBytes: number) => {
    const p = after.pools.find((x) => x.name === name)!;
    p.data = { ...p.data!, used: p.data!.used - blocks };
    p.backing = { ...p.backing!, allocatedBytes: p.backing!.allocatedBytes! - fileBytes };
  };
  shrink('lab-ext4', 1600, 1600 * 65536);
  shrink('lab-jfs', 1600, 0);
  const m = measureReclaim(before, after, ['lab-ext4', 'lab-jfs', 'lab-fail']);
  const ext4 = m[0]!;
  assert.equal(ext4.reclaimedPoolBytes, 100 * 1024 * 1024);
  assert.equal(ext4.reclaimedHostBytes, 100 * 1024 * 1024);
  assert.match(ext4.explanation, /gave 100 MiB back to \/srv\/ext4/);
  const jfs = m[1]!;
  assert.equal(jfs.reclaimedHostBytes, 0);
  assert.match(jfs.explanation, /did not shrink: .*kernel disabled passdown.*What would help/);
  assert.equal(m[2]!.reclaimedPoolBytes, null, 'a failed pool has no usage to compare');
});
