#!/usr/bin/env node
// Remote inspection on the lab (issue 9): the real CLI (server/out/dmlens.js) inspects the real
// QEMU guest (test/lab: sshd, kernel dm-thin, dmsetup, dockerd) over the system ssh.
//
//   sshPerHost   how many ssh processes one inspection starts, counted by an ssh wrapper that
//                logs each start and execs the real ssh — budget 1 (the collector goes on stdin
//                of one `ssh host sh -s`; no second connection, no per-command round trips);
//   wallRatio    inspection wall time ÷ one `ssh host true` round trip, both best of N in this
//                run (what the collector costs on top of the connection; reported, no budget: the
//                guest runs under TCG emulation here, where dmsetup and docker info are slow).
//
// The lab boots from its own run directory (.cache/lab/bench) with only the ext4 scenario, and is
// stopped at the end; it is built first when needed (test/lab/build.sh, also part of the README's
// test command). When it cannot start, the figures come back as `{ missing: why }`.
//
// Run: node --import tsx test/perf/remote.bench.mjs [--quick] [--json]
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(root, 'server/out/dmlens.js');
const HOST = 'dmlens-lab';
export const SSH_PER_HOST_BUDGET = 1;

function timedMs(fn) {
  const t = performance.now();
  const r = fn();
  return { ms: performance.now() - t, r };
}

/**
 * Boots the lab, measures, stops it. Resolves to { sshPerHost, wallRatio, inspectionMs,
 * roundTripMs, pools, accel, ok } or { missing: why }.
 */
export async function runRemoteBench({ quick = false } = {}) {
  if (!existsSync(CLI)) spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  const { labDir, startLab } = await import('../lab/lab.mjs');
  let lab;
  try {
    // Builds the lab first when needed (test/lab/build.sh: apt packages and Debian's kernel).
    lab = await startLab({ runDir: join(labDir, 'bench'), scenarios: ['ext4'] });
  } catch (e) {
    return { missing: `the lab did not start: ${e instanceof Error ? e.message.split('\n')[0] : e}` };
  }
  const work = mkdtempSync(join(tmpdir(), 'dmlens-bench-remote-'));
  try {
    const runs = quick ? 1 : 3;
    const starts = join(work, 'ssh-starts.log');
    const wrapper = join(work, 'ssh');
    // Counts starts, then runs the real ssh with the same arguments.
    writeFileSync(wrapper, `#!/bin/sh\necho "$$" >> '${starts}'\nexec ssh "$@"\n`);
    chmodSync(wrapper, 0o755);

    const roundTrip = [];
    for (let i = 0; i < runs + 1; i++) {
      const t = timedMs(() => spawnSync('ssh', ['-F', lab.sshConfigFile, HOST, 'true'], { encoding: 'utf8', timeout: 60_000 }));
      if (t.r.status !== 0) throw new Error(`ssh ${HOST} true failed: ${t.r.stderr}`);
      if (i > 0) roundTrip.push(t.ms); // the first one warms the guest's sshd and page cache
    }

    const inspections = [];
    const perRun = [];
    let pools = 0;
    for (let i = 0; i < runs; i++) {
      writeFileSync(starts, '');
      const t = timedMs(() => spawnSync(process.execPath, [CLI, 'inspect', '--json', '--ssh', wrapper, '--ssh-config', lab.sshConfigFile, '--timeout', '600', HOST], { encoding: 'utf8', timeout: 900_000, maxBuffer: 1 << 26 }));
      if (t.r.status !== 0 && t.r.status !== 1) throw new Error(`dmlens inspect exited ${t.r.status}: ${t.r.stderr}`);
      const report = JSON.parse(t.r.stdout);
      const host = (report.hosts ?? [report])[0];
      if (!host?.reachable) throw new Error(`the lab was not inspected: ${host?.error ?? t.r.stdout.slice(0, 300)}`);
      pools = host.pools.length;
      inspections.push(t.ms);
      perRun.push(readFileSync(starts, 'utf8').split('\n').filter(Boolean).length);
    }
    const sshPerHost = Math.max(...perRun);
    const inspectionMs = Math.min(...inspections);
    const roundTripMs = Math.min(...roundTrip);
    return { sshPerHost, wallRatio: inspectionMs / roundTripMs, inspectionMs: Math.round(inspectionMs), roundTripMs: Math.round(roundTripMs), pools, runs, accel: lab.accel, ok: sshPerHost === SSH_PER_HOST_BUDGET };
  } finally {
    rmSync(work, { recursive: true, force: true });
    await lab.stop();
  }
}

async function main() {
  const args = process.argv.slice(2);
  const r = await runRemoteBench({ quick: args.includes('--quick') });
  if (args.includes('--json')) console.log(JSON.stringify(r));
  else if (r.missing) console.log(`not measured: ${r.missing}`);
  else {
    console.log(`lab (${r.accel}), ${r.pools} pools, best of ${r.runs}`);
    console.log(`ssh processes per host: ${r.sshPerHost} (budget ${SSH_PER_HOST_BUDGET})`);
    console.log(`inspection ${r.inspectionMs} ms ÷ ssh round trip ${r.roundTripMs} ms = ${r.wallRatio.toFixed(1)}`);
  }
  process.exitCode = r.missing || r.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
