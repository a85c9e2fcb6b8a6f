/**
 * Remote inspection against the real lab guest (test/lab): real sshd, real
 * kernel dm-thin, real dmsetup, real dockerd 20.10 on devicemapper. Every
 * figure in the report is compared with what the guest itself prints.
 * Needs DMLENS_LAB_SSH_CONFIG (set by `node test/run-all.mjs --lab`, or by
 * hand after `npm run lab:start`); without it the suite is skipped.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectHost, inspectFleet } from '../../server/src/remote/inspect';
import { SshError, type SshSettings } from '../../server/src/remote/ssh';
import type { HostReport, PoolReport } from '../../server/src/core/index';
import { CLI, dmlens } from './dmlensProcess';

const CONFIG = process.env['DMLENS_LAB_SSH_CONFIG'];
const skip = CONFIG ? false : 'no lab (DMLENS_LAB_SSH_CONFIG unset; run with node test/run-all.mjs --lab)';
const HOST = 'dmlens-lab';
const WORK = mkdtempSync(join(tmpdir(), 'dmlens-remote-'));
after(() => rmSync(WORK, { recursive: true, force: true }));

const ssh = (extra: Partial<SshSettings> = {}): SshSettings => ({ configFile: CONFIG!, timeoutMs: 180_000, ...extra });

/** Runs a command in the guest as root (our own check, outside the code under test). */
function guest(args: string[], user = 'root'): string {
  // ssh joins its arguments into one remote command line: quote each for the guest's sh.
  const quoted = args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`));
  const r = spawnSync('ssh', ['-F', CONFIG!, '-l', user, HOST, ...quoted], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function pool(r: HostReport, name: string): PoolReport {
  const p = r.pools.find((x) => x.name === name);
  assert.ok(p, `pool ${name} in ${r.pools.map((x) => x.name).join(', ')}`);
  return p;
}

let root: HostReport;
let rootTranscript = '';
before(async () => {
  if (skip) return;
  const i = await inspectHost(HOST, { ssh: ssh() });
  root = i.report;
  rootTranscript = i.transcript ?? '';
  assert.ok(root.reachable, root.error);
}, { timeout: 240_000 });

test('pool figures equal what dmsetup prints in the guest', { skip }, () => {
  const status = guest(['dmsetup', 'status']);
  const table = guest(['dmsetup', 'table']);
  for (const name of ['lab-ext4', 'lab-jfs', 'lab-vfat', 'lab-oos', 'lab-oos-queue']) {
    const p = pool(root, name);
    const st = new RegExp(`^${name}: 0 (\\d+) thin-pool (\\d+) (\\d+)/(\\d+) (\\d+)/(\\d+) - (\\S+) (\\S+) (\\S+) (\\S+) (\\d+)`, 'm').exec(status);
    assert.ok(st, `${name} in dmsetup status`);
    assert.deepEqual(p.metadata, { used: Number(st[3]), total: Number(st[4]) }, name);
    assert.deepEqual(p.data, { used: Number(st[5]), total: Number(st[6]) }, name);
    assert.equal(p.mode, st[7]);
    assert.equal(p.discard, st[8]);
    assert.equal(p.noSpacePolicy, st[9]);
    assert.equal(p.metadataLowWaterMark, Number(st[11]));
    const tb = new RegExp(`^${name}: 0 \\d+ thin-pool (\\S+) (\\S+) (\\d+) (\\d+)`, 'm').exec(table)!;
    assert.equal(p.blockSizeBytes, Number(tb[3]) * 512);
    assert.equal(p.lowWaterMark, Number(tb[4]));
    assert.equal(p.backing?.devno, tb[2]);
  }
});

test('loop backing: apparent and allocated bytes equal stat, filesystem equals findmnt', { skip }, () => {
  for (const [name, file, fs] of [
    ['lab-ext4', '/srv/ext4/data.img', 'ext4'],
    ['lab-jfs', '/srv/jfs/data.img', 'jfs'],
    ['lab-vfat', '/srv/vfat/data.img', 'vfat'],
  ] as const) {
    const b = pool(root, name).backing!;
    const [size, blocks, unit] = guest(['stat', '-c', '%s %b %B', file]).trim().split(' ').map(Number);
    assert.equal(b.kind, 'loop');
    assert.equal(b.path, file);
    assert.equal(b.apparentBytes, size);
    assert.equal(b.allocatedBytes, blocks! * unit!);
    assert.equal(b.filesystem, fs);
    assert.equal(b.discardMaxBytes, Number(guest(['cat', `/sys/block/${b.device}/queue/discard_max_bytes`]).trim()));
  }
});

test('each scenario gets its verdict: ext4 host, jfs pool only, vfat trap, out of space, Fail', { skip }, () => {
  assert.equal(pool(root, 'lab-ext4').reclaim.verdict, 'host');
  assert.equal(pool(root, 'lab-ext4').backing?.punchHole, 'yes');

  const jfs = pool(root, 'lab-jfs');
  assert.equal(jfs.reclaim.verdict, 'pool-only');
  assert.match(jfs.reclaim.why, /accepts no discards, so the kernel disabled passdown/);
  assert.equal(jfs.backing?.punchHole, 'no');
  assert.ok(root.findings.some((f) => f.code === 'no-discard-passdown' && f.pool === 'lab-jfs'));

  const vfat = pool(root, 'lab-vfat');
  assert.equal(vfat.discard, 'discard_passdown', 'the status claims passdown');
  assert.equal(vfat.reclaim.verdict, 'pool-only');
  assert.match(vfat.reclaim.why, /vfat|op 0x3/);
  assert.ok(root.findings.some((f) => f.code === 'discard-not-effective' && f.pool === 'lab-vfat'));

  for (const name of ['lab-oos', 'lab-oos-queue']) {
    assert.equal(pool(root, name).mode, 'out_of_data_space');
    assert.ok(root.findings.some((f) => f.code === 'out-of-data-space' && f.pool === name && f.severity === 'error'), name);
  }
  const fail = pool(root, 'lab-fail');
  assert.equal(fail.mode, 'fail');
  assert.equal(fail.reclaim.verdict, 'none');
  assert.ok(root.findings.some((f) => f.code === 'pool-failed' && f.pool === 'lab-fail'));
  // The kernel said why, and the report carries it (a catalogue entry from dmesg).
  assert.ok(root.findings.some((f) => f.origin === 'log' && f.severity === 'error'));
  // Errors first.
  const order = root.findings.map((f) => ['error', 'warning', 'information', 'hint'].indexOf(f.severity));
  assert.deepEqual(order, [...order].sort((a, b) => a - b));
});

test('dockerd 20.10 on devicemapper: engine, loop-lvm pool, its real daemon.json judged for 20.10', { skip }, (t) => {
  if (!root.pools.some((p) => p.docker)) {
    t.skip('the lab was built without the docker image');
    return;
  }
  assert.match(root.engine.version ?? '', /^20\.10\./);
  assert.equal(root.engine.driver, 'devicemapper');
  assert.equal(root.engine.driverStatus, 'deprecated');
  const docker = root.pools.find((p) => p.docker)!;
  assert.match(docker.name, /^docker-\d+:\d+-\d+-pool$/);
  assert.equal(docker.backing?.path, '/var/lib/docker/devicemapper/devicemapper/data');
  assert.equal(docker.metadataBacking?.path, '/var/lib/docker/devicemapper/devicemapper/metadata');
  assert.equal(docker.features.includes('skip_block_zeroing'), true);
  assert.ok(root.findings.some((f) => f.code === 'loop-backed-pool' && f.pool === docker.name));
  assert.ok(root.findings.some((f) => f.code === 'driver-deprecated' && f.origin === 'host'));
  assert.equal(root.daemonJson?.text, guest(['cat', '/etc/docker/daemon.json']));
  // dm.loopdatasize=2G etc. are valid on 20.10: no error comes from daemon.json.
  assert.deepEqual(root.findings.filter((f) => f.origin === 'daemon.json' && f.severity === 'error'), []);
});

test('the raw transcript is a dm-thin transcript with every section under its command', { skip }, () => {
  assert.match(rootTranscript, /^# dmsetup status\n(?:.+\n)*lab-ext4: 0 \d+ thin-pool /m);
  assert.match(rootTranscript, /^# dmsetup table\n/m);
  assert.match(rootTranscript, /^# losetup -l\nNAME +SIZELIMIT/m);
  assert.ok(!rootTranscript.includes('@@'), 'no collector markers leak into the transcript');
});

test('ops through sudo -n sees the same pools; without sudo one clear permission message', { skip }, async () => {
  const viaSudo = (await inspectHost(`ops@${HOST}`, { ssh: ssh({ useSudo: true }) })).report;
  assert.equal(viaSudo.user, 'ops');
  assert.deepEqual(
    viaSudo.pools.map((p) => [p.name, p.mode, p.discard]),
    root.pools.map((p) => [p.name, p.mode, p.discard]),
  );
  assert.deepEqual(viaSudo.findings.filter((f) => f.code.startsWith('sudo')), []);

  const direct = (await inspectHost(`ops@${HOST}`, { ssh: ssh() })).report;
  assert.equal(direct.pools.length, 0);
  const denied = direct.findings.filter((f) => f.code === 'permission-denied');
  assert.equal(denied.length, 1, JSON.stringify(direct.findings));
  assert.match(denied[0]!.message, /ops may not read device-mapper state: .*Permission denied/);
  assert.match(denied[0]!.remedy ?? '', /sudo/);
});

test('sudo wanting a password gives one clear message and never a prompt', { skip }, async () => {
  const r = (await inspectHost(`nosudo@${HOST}`, { ssh: ssh({ useSudo: true }) })).report;
  assert.ok(r.reachable);
  const f = r.findings.filter((x) => x.code === 'sudo-password-required');
  assert.equal(f.length, 1, JSON.stringify(r.findings));
  assert.match(f[0]!.message, /sudo asks nosudo for a password/);
  assert.equal(r.pools.length, 0);
});

test('dmsetup missing: one error finding, the rest of the report still there', { skip }, async () => {
  guest(['chmod', '-x', '/usr/sbin/dmsetup']);
  try {
    const r = (await inspectHost(HOST, { ssh: ssh() })).report;
    assert.ok(r.reachable);
    assert.equal(r.pools.length, 0);
    const missing = r.findings.filter((f) => f.code === 'tool-missing' && f.severity === 'error');
    assert.equal(missing.length, 1);
    assert.match(missing[0]!.message, /dmsetup is not installed/);
    assert.ok(r.kernel, 'other sections still read');
  } finally {
    guest(['chmod', '+x', '/usr/sbin/dmsetup']);
  }
});

test('unreachable host, refused port, wrong host key: each one clear message', { skip }, async () => {
  const cfg = readFileSync(CONFIG!, 'utf8');
  const port = /Port (\d+)/.exec(cfg)![1]!;
  const wrongKeys = join(WORK, 'known_hosts.wrong');
  const identity = /IdentityFile (\S+)/.exec(cfg)![1]!;
  writeFileSync(wrongKeys, `[127.0.0.1]:${port} ${readFileSync(`${identity}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}\n`);
  const bad = join(WORK, 'ssh_config.bad');
  writeFileSync(
    bad,
    `Host wrong-key\n  HostName 127.0.0.1\n  Port ${port}\n  User root\n  IdentityFile ${identity}\n  UserKnownHostsFile ${wrongKeys}\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n` +
      `Host closed-port\n  HostName 127.0.0.1\n  Port 1\n  UserKnownHostsFile ${wrongKeys}\n\nHost *\n  ConnectTimeout 5\n`,
  );
  const cases: [string, string, RegExp][] = [
    ['wrong-key', 'host-key', /host key verification failed.*never disables host-key checking/],
    ['closed-port', 'refused', /connection refused/],
    ['nosuchhost.invalid', 'resolve', /does not resolve/],
  ];
  for (const [host, kind, message] of cases) {
    const r = (await inspectHost(host, { ssh: { configFile: bad, timeoutMs: 30_000 } })).report;
    assert.equal(r.reachable, false, host);
    assert.equal(r.errorKind, kind, `${host}: ${r.error}`);
    assert.match(r.error ?? '', message);
    assert.deepEqual(r.findings.map((f) => f.code), ['host-unreachable']);
  }
});

test('a host starting with "-" is refused before any ssh runs', async () => {
  const log = join(WORK, 'never.log');
  const r = (await inspectHost('-oProxyCommand=touch /tmp/pwned', { ssh: { sshPath: countingSsh(log) } })).report;
  assert.equal(r.reachable, false);
  assert.equal(r.errorKind, 'invalid-host');
  assert.equal(existsSync(log), false, 'ssh was not started');
});

/** A wrapper that records each start in `log`, then runs the real ssh: how we count processes. */
function countingSsh(log: string): string {
  const wrapper = join(WORK, `ssh-counting-${Math.random().toString(16).slice(2)}`);
  writeFileSync(wrapper, `#!/bin/sh\necho "$$ $*" >> '${log}'\nexec ssh "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

test('one ssh process per host per inspection, also in a fleet with an unreachable host', { skip }, async () => {
  const log = join(WORK, 'ssh-starts.log');
  const reports = await inspectFleet([HOST, 'nosuchhost.invalid'], { ssh: ssh({ sshPath: countingSsh(log) }), concurrency: 2 });
  const starts = readFileSync(log, 'utf8').trim().split('\n');
  assert.equal(starts.length, 2, starts.join('\n'));
  assert.equal(starts.filter((l) => l.includes(` ${HOST} sh -s -- `)).length, 1);
  assert.equal(starts.filter((l) => l.includes(' nosuchhost.invalid sh -s -- ')).length, 1);
  assert.deepEqual(reports.map((i) => [i.report.host, i.report.reachable]), [[HOST, true], ['nosuchhost.invalid', false]]);
});

test('cancel kills ssh: the run rejects as cancelled and no ssh process is left', { skip }, async () => {
  const log = join(WORK, 'cancel.log');
  const controller = new AbortController();
  const run = inspectHost(HOST, { ssh: ssh({ sshPath: countingSsh(log) }), signal: controller.signal });
  // Wait until ssh is really running, then cancel.
  for (let i = 0; i < 100 && !existsSync(log); i++) await new Promise((r) => setTimeout(r, 50));
  const pid = Number(readFileSync(log, 'utf8').split(' ')[0]);
  controller.abort();
  await assert.rejects(run, (e: unknown) => e instanceof SshError && e.kind === 'cancelled');
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(pid), false, `ssh (pid ${pid}) still running`);
});

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return false;
  }
}

test('dmlens inspect --json: the documented shape, exit 1 for error findings, 3 for an unreachable host', { skip }, async () => {
  assert.ok(existsSync(CLI), 'run npm run build first');
  const one = await dmlens(['inspect', '--json', '--ssh-config', CONFIG!, HOST]);
  assert.equal(one.code, 1, one.stderr); // lab-oos and lab-fail are errors
  const json = JSON.parse(one.stdout) as { hosts: Record<string, unknown>[] };
  assert.equal(json.hosts.length, 1);
  const h = json.hosts[0] as { host: string; reachable: boolean; error: null; engine: { version: string | null; driver: string | null }; pools: Record<string, unknown>[]; findings: Record<string, unknown>[] };
  assert.equal(h.host, HOST);
  assert.equal(h.reachable, true);
  assert.equal(h.error, null);
  const ext4 = h.pools.find((p) => p['name'] === 'lab-ext4')!;
  for (const key of ['name', 'mode', 'discard', 'noSpacePolicy', 'needsCheck', 'blockSizeBytes', 'data', 'metadata', 'backing']) assert.ok(key in ext4, key);
  assert.equal(typeof (ext4['data'] as { used: unknown }).used, 'number');
  const backing = ext4['backing'] as Record<string, unknown>;
  for (const key of ['kind', 'path', 'apparentBytes', 'allocatedBytes', 'filesystem', 'punchHole']) assert.ok(key in backing, key);
  assert.equal(backing['punchHole'], 'yes');
  for (const f of h.findings) for (const key of ['code', 'severity', 'message', 'pool']) assert.ok(key in f, key);

  const fleet = await dmlens(['inspect', '--json', '--concurrency', '2', '--ssh-config', CONFIG!, HOST, 'nosuchhost.invalid']);
  assert.equal(fleet.code, 3);
  const hosts = (JSON.parse(fleet.stdout) as { hosts: { host: string; reachable: boolean; error: string | null }[] }).hosts;
  assert.deepEqual(hosts.map((x) => [x.host, x.reachable]), [[HOST, true], ['nosuchhost.invalid', false]]);
  assert.match(hosts[1]!.error ?? '', /does not resolve/);

  const text = await dmlens(['inspect', '--ssh-config', CONFIG!, HOST]);
  assert.match(text.stdout, /^ {2}lab-jfs +rw +\d+\/8192 .*no passdown +\/srv\/jfs\/data\.img on jfs +pool-only$/m);
  assert.ok(!text.stdout.includes('\u001b['), 'no colour when stdout is not a terminal');
});

test('dmlens inspect: usage errors exit 2 and start no ssh', async () => {
  const log = join(WORK, 'usage.log');
  for (const args of [['inspect'], ['inspect', '--', '-oProxyCommand=x'], ['inspect', '--ssh-option', 'StrictHostKeyChecking=no', 'h'], ['inspect', '--concurrency', '0', 'h'], ['inspect', '--ssh', countingSsh(log), '--ssh-option', 'UserKnownHostsFile=/dev/null', 'h']]) {
    const r = await dmlens(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^dmlens: /);
  }
  assert.equal(existsSync(log), false);
});

after(() => {
  // No ssh child of ours may outlive the suite.
  const mine = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(WORK);
    } catch {
      return false;
    }
  });
  assert.deepEqual(mine, []);
});
