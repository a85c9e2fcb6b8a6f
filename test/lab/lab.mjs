// The dm-thin lab: a QEMU guest running Debian's stock kernel with dm-thin,
// reachable over SSH on 127.0.0.1 (issue 6; recipe in
// ../shared/guides/dm-thin-lab.md, cited below as §n).
//
//   import { startLab } from './lab.mjs';
//   const lab = await startLab();            // build if needed, boot, set up scenarios
//   await lab.ssh(['dmsetup', 'status']);    // → { code, stdout, stderr }
//   await lab.stop();
//
// As a command (the npm scripts lab:start, lab:stop, lab:ssh):
//   node test/lab/lab.mjs start   boots detached, state in .cache/lab/run, prints "ssh config: <path>"
//   node test/lab/lab.mjs stop    stops the guest named by .cache/lab/run/qemu.pid
//   node test/lab/lab.mjs ssh …   ssh -F <config> dmlens-lab …
//
// Every QEMU process is stopped by the PID from its pidfile, never by name:
// other QEMU instances may run on the same machine (§13).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, openSync, ftruncateSync, closeSync, accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
export const labDir = process.env.DMLENS_LAB_DIR ?? join(repoRoot, '.cache', 'lab');
export const defaultRunDir = join(labDir, 'run');
const keysDir = join(labDir, 'keys');
const outDir = join(labDir, 'out');

export const USERS = Object.freeze({ root: 'root', ops: 'ops', nosudo: 'nosudo' });
export const SCENARIOS = Object.freeze(['ext4', 'jfs', 'vfat', 'oos', 'fail', 'docker']);
// Docker binaries image (§11), attached read-only after the scratch disks when built.
const dockerImage = join(outDir, 'docker.img');

// Guest disks, in QEMU argument order = vda, vdb, … (no udev, no by-id links: §6, §12.2).
// Recreated sparse on every boot. The scenarios know which letter is theirs.
const GiB = 2 ** 30;
const DISKS = [
  { name: 'fs-ext4', size: 4 * GiB }, // vda: backing fs of lab-ext4
  { name: 'fs-jfs', size: 4 * GiB }, // vdb: lab-jfs
  { name: 'fs-vfat', size: 1 * GiB }, // vdc: lab-vfat (FAT zero-fills its files: keep it small)
  { name: 'fs-misc', size: 16 * GiB }, // vdd: lab-oos and lab-fail (an 8 GiB sparse data file)
];

const log = (msg) => process.stderr.write(`lab: ${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs the build step (build.sh); incremental, under a second when nothing changed. */
export function buildLab() {
  const started = Date.now();
  const r = spawnSync('bash', [join(here, 'build.sh')], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DMLENS_LAB_DIR: labDir } });
  if (r.status !== 0) throw new Error(`lab build failed (exit ${r.status ?? r.signal})`);
  return (Date.now() - started) / 1000;
}

/** Is `pid` a live QEMU process started for `runDir`? Guards against killing a reused PID. */
function isOurQemu(pid, runDir) {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes('qemu-system') && cmdline.includes(runDir);
  } catch {
    return false;
  }
}

function readPid(runDir) {
  try {
    const pid = Number.parseInt(readFileSync(join(runDir, 'qemu.pid'), 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A free TCP port on 127.0.0.1 (asked from the kernel, released just before QEMU binds it). */
function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/**
 * KVM only where it can run a stock kernel (§7.3): /dev/kvm usable and no
 * kvm_pvm (PVM hosts only run PVM-enlightened guests). Whether KVM really
 * works is then proven by booting: a failed KVM boot falls back to TCG.
 */
function accelCandidates(requested) {
  if (requested === 'kvm' || requested === 'tcg') return [requested];
  let kvmUsable = false;
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    kvmUsable = !existsSync('/sys/module/kvm_pvm');
  } catch {
    kvmUsable = false;
  }
  return kvmUsable ? ['kvm', 'tcg'] : ['tcg'];
}

const accelArgs = {
  // plain `-cpu host` failed with "failed to set MSR 0x10a" on the guide's host (§7.3)
  kvm: ['-accel', 'kvm', '-cpu', 'host,-arch-capabilities'],
  tcg: ['-accel', 'tcg,thread=multi', '-cpu', 'max'],
};

function sshBaseArgs(cfg) {
  return ['-F', cfg.sshConfigFile];
}

/** Single-quotes one argument for the guest's /bin/sh (dash), so ssh(args) keeps argv intact. */
const shQuote = (s) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${String(s).replaceAll("'", `'\\''`)}'`);

/** Runs `args` in the guest as `user`; never throws on a non-zero exit. */
export function sshRun(cfg, args, { user = 'root', input, timeoutMs = 120_000 } = {}) {
  return new Promise((res, rej) => {
    const child = spawn('ssh', [...sshBaseArgs(cfg), '-l', user, '--', 'dmlens-lab', ...args.map(shQuote)], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      rej(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      res({ code: code ?? (signal ? 128 : 1), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => {}); // the remote side may exit before reading everything
    child.stdin.end(input ?? '');
  });
}

function writeSshFiles(runDir, port) {
  const hostKey = readFileSync(join(outDir, 'host_key.pub'), 'utf8').trim();
  const identityFile = join(keysDir, 'id_ed25519');
  const knownHostsFile = join(runDir, 'known_hosts');
  const sshConfigFile = join(runDir, 'ssh_config');
  // The bracketed form is what OpenSSH looks up for a port other than 22 (§5).
  writeFileSync(knownHostsFile, `[127.0.0.1]:${port} ${hostKey}\n`, { mode: 0o644 });
  writeFileSync(
    sshConfigFile,
    [
      '# dm-thin lab guest (test/lab). Host keys are checked strictly against a',
      '# known_hosts generated at build time; nothing ever prompts.',
      'Host dmlens-lab',
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      '  User root',
      `  IdentityFile ${identityFile}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${knownHostsFile}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '  BatchMode yes',
      '  ConnectTimeout 5',
      '  LogLevel ERROR',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return { identityFile, knownHostsFile, sshConfigFile };
}

function makeDisks(runDir) {
  return DISKS.map(({ name, size }) => {
    const file = join(runDir, `${name}.img`);
    rmSync(file, { force: true });
    const fd = openSync(file, 'w');
    ftruncateSync(fd, size);
    closeSync(fd);
    return file;
  });
}

function qemuArgs({ accel, runDir, port, memory, smp, disks }) {
  const args = [
    ...accelArgs[accel],
    '-M', 'q35', '-m', String(memory), '-smp', String(smp),
    '-kernel', join(outDir, 'vmlinuz'), '-initrd', join(outDir, 'initramfs.cpio.gz'),
    // panic=-1 with -no-reboot: a kernel panic ends QEMU instead of looping (§7.1)
    '-append', 'console=ttyS0 panic=-1 loglevel=6',
    '-nodefaults', '-display', 'none', '-no-reboot',
    '-serial', `file:${join(runDir, 'console.log')}`,
    // hostfwd bound to 127.0.0.1 only: the guest takes key-only root logins (§7.1);
    // restrict=on: the guest cannot reach the host or the outside, only answer the forward
    '-netdev', `user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:${port}-:22`, '-device', 'virtio-net-pci,netdev=n0',
    '-device', 'virtio-rng-pci',
  ];
  disks.forEach((file, i) => {
    const serial = DISKS[i].name;
    args.push('-drive', `file=${file},if=none,id=d${i},format=raw,cache=unsafe,discard=unmap,aio=threads`, '-device', `virtio-blk-pci,drive=d${i},serial=${serial}`);
  });
  if (existsSync(dockerImage)) {
    args.push('-drive', `file=${dockerImage},if=none,id=dockerbin,format=raw,readonly=on`, '-device', 'virtio-blk-pci,drive=dockerbin,serial=dockerbin');
  }
  args.push('-pidfile', join(runDir, 'qemu.pid'), '-daemonize');
  return args;
}

/** Kills the QEMU of `runDir` by its PID: poweroff over SSH first, then TERM, then KILL (§13). */
export async function stopRunDir(runDir = defaultRunDir, { poweroff = true } = {}) {
  const pid = readPid(runDir);
  if (pid && isOurQemu(pid, runDir)) {
    const cfgFile = join(runDir, 'ssh_config');
    if (poweroff && existsSync(cfgFile)) {
      await sshRun({ sshConfigFile: cfgFile }, ['poweroff'], { timeoutMs: 10_000 }).catch(() => undefined);
      for (let i = 0; i < 50 && isOurQemu(pid, runDir); i++) await sleep(200);
    }
    if (isOurQemu(pid, runDir)) {
      signal(pid, 'SIGTERM');
      for (let i = 0; i < 5 && isOurQemu(pid, runDir); i++) await sleep(200);
    }
    if (isOurQemu(pid, runDir)) signal(pid, 'SIGKILL');
  }
  rmSync(join(runDir, 'qemu.pid'), { force: true });
}

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch {
    /* exited meanwhile */
  }
}

/** Synchronous last resort for process exit hooks: no SSH, just the PID. */
function killSync(runDir) {
  const pid = readPid(runDir);
  if (pid && isOurQemu(pid, runDir)) signal(pid, 'SIGKILL');
  rmSync(join(runDir, 'qemu.pid'), { force: true });
}

const exitHooked = new Set();
function hookExit(runDir) {
  if (exitHooked.has(runDir)) return;
  exitHooked.add(runDir);
  process.on('exit', () => killSync(runDir));
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      killSync(runDir);
      process.exit(128 + (sig === 'SIGINT' ? 2 : sig === 'SIGTERM' ? 15 : 1));
    });
  }
}
function unhookExit(runDir) {
  exitHooked.delete(runDir);
}

async function waitForSsh(cfg, pid, runDir, deadline) {
  // Poll instead of sleeping a fixed time (§7.2).
  while (Date.now() < deadline) {
    if (!isOurQemu(pid, runDir)) return 'qemu exited';
    const r = await sshRun(cfg, ['true'], { timeoutMs: 5_000 }).catch(() => ({ code: 255 }));
    if (r.code === 0) return undefined;
    await sleep(200);
  }
  return 'timed out';
}

function consoleTail(runDir, lines = 30) {
  try {
    return readFileSync(join(runDir, 'console.log'), 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no console log)';
  }
}

/** Pipes lib.sh + scenarios/<name>.sh into `sh -s` as root (§8); returns the ssh result. */
export async function runScenario(cfg, name, { args = [], timeoutMs = 300_000 } = {}) {
  // ext4/jfs/vfat are one script (discard.sh) with their own parameters.
  const files = ['lib.sh', `${name}.sh`, ...(['ext4', 'jfs', 'vfat'].includes(name) ? ['discard.sh'] : [])];
  const script = files.map((f) => readFileSync(join(here, 'scenarios', f), 'utf8')).join('\n');
  return sshRun(cfg, ['sh', '-s', '--', ...args], { input: script, timeoutMs });
}

/**
 * Builds (if needed) and boots the lab, waits for SSH, sets up the scenarios.
 * Options: runDir, accel ('auto'|'kvm'|'tcg'), memory (MiB), smp, bootTimeoutMs,
 * scenarios (names, default all), detached (no exit hooks: lab:start).
 */
export async function startLab(opts = {}) {
  const {
    runDir = defaultRunDir,
    accel = process.env.DMLENS_LAB_ACCEL ?? 'auto',
    memory = 2048,
    smp = 2,
    bootTimeoutMs = 180_000,
    scenarios = SCENARIOS,
    detached = false,
  } = opts;
  const timings = { build: buildLab() };

  mkdirSync(runDir, { recursive: true });
  const old = readPid(runDir);
  if (old && isOurQemu(old, runDir)) throw new Error(`a lab is already running from ${runDir} (pid ${old}); stop it first (npm run lab:stop)`);

  let lastError = 'no accelerator tried';
  for (const acc of accelCandidates(accel)) {
    const port = await freePort();
    const files = writeSshFiles(runDir, port);
    const cfg = { host: '127.0.0.1', port, users: { ...USERS }, ...files, runDir, accel: acc };
    const disks = makeDisks(runDir);
    rmSync(join(runDir, 'console.log'), { force: true });
    const bootStart = Date.now();
    const q = spawnSync('qemu-system-x86_64', qemuArgs({ accel: acc, runDir, port, memory, smp, disks }), { encoding: 'utf8' });
    const pid = readPid(runDir);
    if (q.status !== 0 || !pid) {
      lastError = `qemu (${acc}) did not start: ${(q.stderr || '').trim()}`;
      log(lastError);
      continue;
    }
    if (!detached) hookExit(runDir);
    const failure = await waitForSsh(cfg, pid, runDir, bootStart + (acc === 'kvm' ? 60_000 : bootTimeoutMs));
    if (failure) {
      lastError = `boot with ${acc} failed (${failure}); console tail:\n${consoleTail(runDir)}`;
      log(lastError);
      await stopRunDir(runDir, { poweroff: false });
      continue;
    }
    timings.boot = (Date.now() - bootStart) / 1000;
    log(`guest up with ${acc} on 127.0.0.1:${port} after ${timings.boot.toFixed(2)} s`);
    writeFileSync(join(runDir, 'lab.json'), JSON.stringify({ port, accel: acc, pid, ...files }, null, 2));

    const lab = makeHandle(cfg, timings);
    try {
      const t0 = Date.now();
      // docker needs the optional image (DMLENS_LAB_DOCKER=0 skips building it).
      for (const name of scenarios.filter((n) => n !== 'docker' || existsSync(dockerImage))) {
        const t = Date.now();
        const r = await runScenario(cfg, name);
        writeFileSync(join(runDir, `scenario-${name}.log`), r.stdout + (r.stderr ? `\n--- stderr ---\n${r.stderr}` : ''));
        if (r.code !== 0) throw new Error(`scenario ${name} failed (rc ${r.code}); log: ${join(runDir, `scenario-${name}.log`)}\n${(r.stdout + r.stderr).split('\n').slice(-15).join('\n')}`);
        timings[`scenario:${name}`] = (Date.now() - t) / 1000;
      }
      timings.scenarios = (Date.now() - t0) / 1000;
    } catch (e) {
      await lab.stop();
      throw e;
    }
    return lab;
  }
  throw new Error(lastError);
}

/**
 * A handle on a lab that is already running from `runDir` (started by
 * `lab:start` or by test/run-all.mjs, which share one guest across suites).
 * Its `stop()` leaves the guest alone: whoever started it stops it.
 */
export function attachLab(runDir) {
  const pid = readPid(runDir);
  if (!pid || !isOurQemu(pid, runDir)) throw new Error(`no lab running from ${runDir}`);
  const info = JSON.parse(readFileSync(join(runDir, 'lab.json'), 'utf8'));
  const cfg = { host: '127.0.0.1', port: info.port, users: { ...USERS }, identityFile: info.identityFile, knownHostsFile: info.knownHostsFile, sshConfigFile: info.sshConfigFile, runDir, accel: info.accel };
  return { ...makeHandle(cfg, { attached: true }), stop: async () => {} };
}

function makeHandle(cfg, timings) {
  return {
    host: cfg.host,
    port: cfg.port,
    users: cfg.users,
    identityFile: cfg.identityFile,
    knownHostsFile: cfg.knownHostsFile,
    sshConfigFile: cfg.sshConfigFile,
    runDir: cfg.runDir,
    accel: cfg.accel,
    timings,
    /** ssh(args[], {user, input, timeoutMs}) → {code, stdout, stderr}; args are quoted for the guest shell. */
    ssh: (args, options) => sshRun(cfg, args, options),
    scenario: (name, options) => runScenario(cfg, name, options),
    async stop() {
      await stopRunDir(cfg.runDir);
      unhookExit(cfg.runDir);
    },
  };
}

// ---- command line: start | stop | ssh ----
async function main(argv) {
  const [cmd, ...rest] = argv;
  if (cmd === 'start') {
    const lab = await startLab({ detached: true });
    const t = lab.timings;
    log(`build ${t.build.toFixed(1)} s, boot ${t.boot.toFixed(1)} s, scenarios ${t.scenarios.toFixed(1)} s (${lab.accel})`);
    console.log(`ssh config: ${lab.sshConfigFile}`);
    console.log(`try: ssh -F ${lab.sshConfigFile} dmlens-lab dmsetup status`);
    return 0;
  }
  if (cmd === 'stop') {
    await stopRunDir(defaultRunDir);
    log('stopped');
    return 0;
  }
  if (cmd === 'ssh') {
    const cfgFile = join(defaultRunDir, 'ssh_config');
    if (!existsSync(cfgFile)) {
      log('no lab running (npm run lab:start first)');
      return 1;
    }
    // Interactive passthrough: the arguments mean what they mean to ssh.
    return spawnSync('ssh', ['-F', cfgFile, 'dmlens-lab', ...rest], { stdio: 'inherit' }).status ?? 1;
  }
  log('usage: node test/lab/lab.mjs start|stop|ssh [command…]');
  return 2;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      log(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
