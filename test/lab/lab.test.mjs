// Proves the lab is real (issue 6, "Tests that prove the lab is real"): over
// real SSH (StrictHostKeyChecking=yes, BatchMode=yes) against Debian's kernel
// in QEMU. Run: node --test test/lab/lab.test.mjs
// DMLENS_LAB_UPDATE_FIXTURES=1 also rewrites test/fixtures/lab/ with what the
// guest printed (dmesg timestamps and loop numbers change from run to run, so
// this is opt-in rather than on every run).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLab, attachLab, labDir, repoRoot } from './lab.mjs';

const fixturesDir = join(repoRoot, 'test', 'fixtures', 'lab');
const updateFixtures = process.env.DMLENS_LAB_UPDATE_FIXTURES === '1';
const fixture = (name, text) => {
  if (!updateFixtures) return;
  mkdirSync(fixturesDir, { recursive: true });
  writeFileSync(join(fixturesDir, name), text);
};

/** @type {Awaited<ReturnType<typeof startLab>>} */
let lab;
before(
  async () => {
    // test/run-all.mjs shares one guest between suites (DMLENS_LAB_RUN_DIR); alone, the
    // suite boots its own in its own run directory, so a lab from `npm run lab:start` is left alone.
    const shared = process.env.DMLENS_LAB_RUN_DIR;
    lab = shared ? attachLab(shared) : await startLab({ runDir: join(labDir, 'run-test') });
    console.log(`# lab: ${lab.accel}, timings ${JSON.stringify(lab.timings)}`);
  },
  { timeout: 480_000 },
);
// Stops the guest by its PID even when tests failed; lab.mjs also kills it on process exit.
after(async () => {
  await lab?.stop();
});

/** Runs as `user`, asserts exit 0, returns stdout. */
async function ok(args, user = 'root', input) {
  const r = await lab.ssh(args, { user, input });
  assert.equal(r.code, 0, `${user}: ${args.join(' ')} → rc ${r.code}\n${r.stderr}`);
  return r.stdout;
}

test('the ssh config printed for people works with strict host-key checking', () => {
  const r = spawnSync('ssh', ['-F', lab.sshConfigFile, 'dmlens-lab', 'dmsetup', 'status'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^lab-ext4: 0 \d+ thin-pool /m);
  const cfg = readFileSync(lab.sshConfigFile, 'utf8');
  assert.match(cfg, /StrictHostKeyChecking yes/);
  assert.match(cfg, /BatchMode yes/);
});

test('a wrong host key is refused, not accepted', () => {
  // The client's own public key posing as the host key: ssh must refuse to connect.
  const fake = join(lab.runDir, 'known_hosts.wrong');
  const pub = readFileSync(`${lab.identityFile}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
  writeFileSync(fake, `[127.0.0.1]:${lab.port} ${pub}\n`);
  const r = spawnSync('ssh', ['-F', lab.sshConfigFile, '-o', `UserKnownHostsFile=${fake}`, 'dmlens-lab', 'true'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 255);
  assert.match(r.stderr, /Host key verification failed/);
});

test('dmsetup status: root directly, ops through sudo -n, nosudo refused', async () => {
  const asRoot = await ok(['dmsetup', 'status']);
  for (const pool of ['lab-ext4', 'lab-jfs', 'lab-vfat', 'lab-oos', 'lab-oos-queue', 'lab-fail']) {
    assert.match(asRoot, new RegExp(`^${pool}: 0 \\d+ thin-pool `, 'm'), pool);
  }
  const asOps = await ok(['sudo', '-n', 'dmsetup', 'status'], 'ops');
  assert.equal(asOps, asRoot);

  // Without sudo, ops cannot open the control device.
  const direct = await lab.ssh(['/usr/sbin/dmsetup', 'status'], { user: 'ops' });
  assert.notEqual(direct.code, 0);
  assert.match(direct.stderr, /\/dev\/mapper\/control: open failed: Permission denied/);

  // sudo is limited to inspection and reclaim: a mutating dmsetup is refused.
  const remove = await lab.ssh(['sudo', '-n', 'dmsetup', 'remove', 'lab-ext4-thin'], { user: 'ops' });
  assert.equal(remove.code, 1);
  assert.match(remove.stderr, /^sudo: /m);

  const nosudo = await lab.ssh(['sudo', '-n', 'dmsetup', 'status'], { user: 'nosudo' });
  assert.equal(nosudo.code, 1);
  assert.match(nosudo.stderr, /^sudo: a password is required$/m);

  fixture('dmsetup-status.txt', asRoot);
  fixture('sudo-ops-dmsetup-remove.stderr.txt', remove.stderr);
  fixture('sudo-nosudo-dmsetup-status.stderr.txt', nosudo.stderr);
  fixture('ops-dmsetup-status-without-sudo.stderr.txt', direct.stderr);
});

test('inspection commands as ops through sudo -n', async () => {
  const outputs = {
    'dmsetup-table.txt': ['dmsetup', 'table'],
    'dmsetup-ls.txt': ['dmsetup', 'ls'],
    'dmsetup-ls-tree.txt': ['dmsetup', 'ls', '--tree'],
    'dmsetup-info-c.txt': ['dmsetup', 'info', '-c'],
    'dmsetup-info-lab-ext4.txt': ['dmsetup', 'info', 'lab-ext4'],
    'losetup-l.txt': ['losetup', '-l'],
    'losetup-lJ.json': ['losetup', '-l', '-J'],
    'lsblk.json': ['lsblk', '-J', '-o', 'NAME,TYPE,SIZE,DISC-GRAN,DISC-MAX,MOUNTPOINT'],
  };
  for (const [file, args] of Object.entries(outputs)) {
    const out = await ok(['sudo', '-n', ...args], 'ops');
    assert.ok(out.length > 0, file);
    fixture(file, out);
  }
  assert.match(await ok(['sudo', '-n', 'dmsetup', 'table', 'lab-ext4'], 'ops'), /^0 1048576 thin-pool 7:\d+ 7:\d+ 128 1024 0 $/m);
});

test('scenarios are idempotent: running one again creates nothing', async () => {
  const r = await lab.scenario('ext4');
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /dmsetup create/);
  assert.match(r.stdout, /thin-pool 0 \d+\/4096 \d+\/8192 - rw discard_passdown/);
});

/**
 * Write 100 MiB into the thin fs, delete, sync, fstrim; measure the backing
 * data file's allocated blocks (stat %b) and the pool's used data blocks.
 * Writing is root's; measuring and reclaiming are ops's sudo commands.
 */
async function reclaim(fs) {
  const mnt = `/mnt/lab-${fs}`;
  const dataImg = `/srv/${fs}/data.img`;
  const transcript = [];
  const step = async (label, args, user = 'ops') => {
    const out = await ok(args, user);
    // Output kept verbatim (status lines end in a space); only ssh's final newline goes.
    const shown = args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a}'`)).join(' ');
    transcript.push(`# ${user === 'ops' ? '' : `(${user}) `}${shown}${label ? `   (${label})` : ''}`, ...(out ? [out.replace(/\n$/, '')] : []));
    return out;
  };
  const allocatedKiB = async (label) => {
    const [blocks, unit] = (await step(label, ['sudo', '-n', 'stat', '-c', '%b %B', dataImg])).trim().split(' ').map(Number);
    return (blocks * unit) / 1024;
  };
  const poolUsed = async (label) => {
    const line = await step(label, ['sudo', '-n', 'dmsetup', 'status', `lab-${fs}`]);
    const [used] = line.split(' ')[5].split('/').map(Number);
    return { used, line };
  };
  const before = await allocatedKiB('before');
  await step('', ['dd', 'if=/dev/zero', `of=${mnt}/payload`, 'bs=1M', 'count=100', 'conv=fsync'], 'root');
  const written = await allocatedKiB('after write');
  const poolWritten = await poolUsed('after write');
  await step('', ['rm', `${mnt}/payload`], 'root');
  await step('', ['sudo', '-n', 'sync']);
  const trim = await step('', ['sudo', '-n', 'fstrim', '-v', mnt]);
  const trimmed = await allocatedKiB('after rm + sync + fstrim');
  const poolTrimmed = await poolUsed('after rm + sync + fstrim');
  fixture(`reclaim-${fs}.txt`, transcript.join('\n') + '\n');
  return { before, written, trimmed, poolWritten, poolTrimmed, trim };
}

test('ext4 backing file: discard_passdown, and the file really shrinks', async () => {
  const r = await reclaim('ext4');
  assert.match(r.poolWritten.line, / rw discard_passdown /);
  assert.ok(r.written - r.before >= 90 * 1024, `file grew by ${r.written - r.before} KiB`);
  assert.ok(r.poolTrimmed.used <= r.poolWritten.used - 1400, `pool ${r.poolWritten.used} → ${r.poolTrimmed.used}`);
  assert.ok(r.written - r.trimmed >= 90 * 1024, `file shrank by only ${r.written - r.trimmed} KiB`);
  assert.match(r.trim, /^\/mnt\/lab-ext4: .* trimmed$/m);
});

test('jfs backing file: passdown disabled by the kernel, the file never shrinks', async () => {
  const r = await reclaim('jfs');
  assert.match(r.poolWritten.line, / rw no_discard_passdown /);
  assert.ok(r.written - r.before >= 90 * 1024, `file grew by ${r.written - r.before} KiB`);
  assert.ok(r.poolTrimmed.used <= r.poolWritten.used - 1400, 'the pool itself still frees blocks');
  assert.equal(r.trimmed, r.written, 'jfs cannot punch holes: the file keeps every block');
  const dmesg = await ok(['dmesg']);
  assert.match(dmesg, /device-mapper: thin: Data device \(loop\d+\) discard unsupported: Disabling discard passdown\./);
});

test('vfat backing file: status says discard_passdown, yet the file never shrinks', async () => {
  const r = await reclaim('vfat');
  assert.match(r.poolWritten.line, / rw discard_passdown /);
  assert.ok(r.poolTrimmed.used <= r.poolWritten.used - 1400, 'the pool itself still frees blocks');
  assert.equal(r.trimmed, r.written, 'FAT has no PUNCH_HOLE: the file keeps every block');
  assert.equal(r.before, r.written, 'FAT files are never sparse: fully allocated from the start');
  // The only evidence: failed discards on the data loop device.
  const dmesg = await ok(['dmesg']);
  assert.match(dmesg, /operation not supported error, dev loop\d+, sector \d+ op 0x3:\(DISCARD\)/);
});

test('out of data space: status flag and kernel lines, both no-space policies', async () => {
  const errorPool = await ok(['dmsetup', 'status', 'lab-oos']);
  assert.match(errorPool, /^0 131072 thin-pool \d+ \d+\/2048 1024\/1024 - out_of_data_space discard_passdown error_if_no_space - 512 $/m);
  // queue_if_no_space in the table, but after no_space_timeout the status field flips.
  assert.match(await ok(['dmsetup', 'table', 'lab-oos-queue']), /^0 131072 thin-pool 7:\d+ 7:\d+ 128 256 0 $/m);
  const queuePool = await ok(['dmsetup', 'status', 'lab-oos-queue']);
  assert.match(queuePool, / out_of_data_space discard_passdown error_if_no_space - 512 $/m);

  const dmesg = await ok(['dmesg']);
  const dmLines = dmesg.split('\n').filter((l) => /device-mapper|thin|DISCARD|loop\d/.test(l));
  assert.match(dmesg, /device-mapper: thin: 253:\d+: reached low water mark for data device: sending event\./);
  assert.match(dmesg, /device-mapper: thin: 253:\d+: switching pool to out-of-data-space \(error IO\) mode/);
  assert.match(dmesg, /device-mapper: thin: 253:\d+: switching pool to out-of-data-space \(queue IO\) mode/);
  fixture('oos-status.txt', `# dmsetup status lab-oos\n${errorPool}# dmsetup status lab-oos-queue\n${queuePool}`);
  fixture('dmesg-dm.txt', dmLines.join('\n') + '\n');
  fixture('scenario-oos.log', readFileSync(join(lab.runDir, 'scenario-oos.log'), 'utf8'));
});

test('metadata exhaustion: read-only, then Fail', async () => {
  const status = await ok(['dmsetup', 'status']);
  assert.match(status, /^lab-fail: 0 \d+ thin-pool Fail$/m);
  assert.match(status, /^lab-fail-thin: 0 \d+ thin Fail$/m);
  const dmesg = await ok(['dmesg']);
  assert.match(dmesg, /device-mapper: thin: 253:\d+: reached low water mark for metadata device: sending event\./);
  assert.match(dmesg, /device-mapper: thin: No free metadata blocks/);
  assert.match(dmesg, /device-mapper: thin: 253:\d+: switching pool to read-only mode/);
  assert.match(dmesg, /device-mapper: thin: 253:\d+: switching pool to fail mode/);
  // A failed pool refuses messages.
  const msg = await lab.ssh(['dmsetup', 'message', 'lab-fail', '0', 'create_thin', '1']);
  assert.notEqual(msg.code, 0);
  fixture('fail-status.txt', status.split('\n').filter((l) => l.startsWith('lab-fail')).join('\n') + '\n');
  fixture('fail-dmesg.txt', dmesg.split('\n').filter((l) => /device-mapper: (thin|space map)/.test(l) && /metadata|read-only|fail mode|space map|aborting|needs_check/.test(l)).join('\n') + '\n');
  fixture('fail-message.stderr.txt', msg.stderr);
  fixture('scenario-fail.log', readFileSync(join(lab.runDir, 'scenario-fail.log'), 'utf8'));
});

test('dockerd 20.10 on devicemapper (loop-lvm): its pool, docker info and the real daemon.json', async (t) => {
  const info = await lab.ssh(['sh', '-c', 'PATH=/opt/docker/bin:$PATH docker info']);
  if (info.code !== 0 && /not found/.test(info.stderr)) {
    t.skip('docker image not built (DMLENS_LAB_DOCKER=0)');
    return;
  }
  assert.equal(info.code, 0, info.stderr);
  assert.match(info.stdout, /^ Storage Driver: devicemapper$/m);
  assert.match(info.stdout, /^ {2}Pool Name: docker-\d+:\d+-\d+-pool$/m);
  assert.match(info.stdout, /^ {2}Data loop file: \/var\/lib\/docker\/devicemapper\/devicemapper\/data$/m);
  assert.match(info.stdout, /^ Server Version: 20\.10\./m);
  const status = await ok(['sudo', '-n', 'dmsetup', 'status'], 'ops');
  assert.match(status, /^docker-\d+:\d+-\d+-pool: 0 4194304 thin-pool \d+ \d+\/32768 \d+\/32768 - rw discard_passdown queue_if_no_space - 1024 $/m);
  // ops may read daemon.json through sudo, as the extension's inspection does.
  const daemonJson = await ok(['sudo', '-n', 'cat', '/etc/docker/daemon.json'], 'ops');
  assert.equal(JSON.parse(daemonJson)['storage-driver'], 'devicemapper');
  fixture('docker-info.txt', info.stdout);
  fixture('docker-daemon.json', daemonJson);
  fixture('docker-dmsetup-status.txt', status.split('\n').filter((l) => l.startsWith('docker-')).join('\n') + '\n');
});
