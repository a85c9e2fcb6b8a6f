/**
 * Mixed logs: thousands of unrelated but plausible lines (systemd, sshd, cron,
 * kernel USB/EXT4/XFS/network, dockerd and containerd with overlay2, kubelet)
 * raise nothing; devicemapper lines interleaved are found exactly; the
 * dispatch rejects unrelated lines before any catalogue regex runs, and a
 * 400 000-line journal streams through keeping only its matches (issue 5 §5).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { analyzeLog, LogAnalyzer, matchLogLine, logMatchStats, resetLogMatchStats, logDispatchGates, LOG_WORDING_COUNT } from '../../server/src/core/logs/index.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'logs');
const read = (name: string): string[] => readFileSync(join(DIR, name), 'utf8').split('\n');

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEX = '0123456789abcdef';

/** Plausible lines from a Docker host that has nothing to do with devicemapper. */
function unrelatedLines(count: number, seed: number): Generator<string> {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (n: number): number => Math.floor(r() * n);
  const hex = (n: number): string => Array.from({ length: n }, () => HEX[int(16)]).join('');
  const ip = (): string => `10.${int(256)}.${int(256)}.${int(256)}`;
  const bodies: (() => string)[] = [
    () => `systemd[1]: Started Session ${int(9000)} of User root.`,
    () => `systemd[1]: Starting Daily apt upgrade and clean activities...`,
    () => `systemd[1]: docker-${hex(12)}.scope: Deactivated successfully.`,
    () => `systemd[1]: run-docker-runtime\\x2drunc-moby-${hex(64)}-runc.${hex(6)}.mount: Deactivated successfully.`,
    () => `systemd-logind[611]: New session ${int(9000)} of user ops.`,
    () => `sshd[${int(60000)}]: Accepted publickey for ops from ${ip()} port ${int(65535)} ssh2: ED25519 SHA256:${hex(43)}`,
    () => `sshd[${int(60000)}]: pam_unix(sshd:session): session closed for user ops`,
    () => `sshd[${int(60000)}]: Disconnected from user ops ${ip()} port ${int(65535)}`,
    () => `CRON[${int(60000)}]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)`,
    () => `kernel: usb 1-1: new high-speed USB device number ${int(20)} using xhci_hcd`,
    () => `kernel: usb-storage 1-1:1.0: USB Mass Storage device detected`,
    () => `kernel: EXT4-fs (sda1): mounted filesystem ${hex(8)}-${hex(4)} r/w with ordered data mode. Quota mode: none.`,
    () => `kernel: EXT4-fs (sdb1): re-mounted ${hex(8)}. Quota mode: none.`,
    () => `kernel: XFS (sdc1): Mounting V5 Filesystem ${hex(8)}-${hex(4)}`,
    () => `kernel: XFS (sdc1): Ending clean mount`,
    () => `kernel: e1000e 0000:00:1f.6 eno1: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: None`,
    () => `kernel: docker0: port ${int(9)}(veth${hex(7)}) entered forwarding state`,
    () => `kernel: audit: type=1400 audit(1709633472.123:${int(999)}): apparmor="STATUS" operation="profile_load" name="docker-default" pid=${int(60000)}`,
    () => `kernel: loop${int(8)}: detected capacity change from 0 to ${int(999999)}`,
    () => `kernel: nvme nvme0: 8/0/0 default/read/poll queues`,
    () => `NetworkManager[702]: <info>  [1709633472.1234] device (veth${hex(7)}): carrier: link connected`,
    () => `dockerd[812]: time="2024-03-05T10:${int(60)}:${int(60)}.${int(1e9)}Z" level=info msg="Loading containers: done."`,
    () => `dockerd[812]: time="2024-03-05T10:11:12.${int(1e9)}Z" level=info msg="Docker daemon" commit=a61e2b4 containerd-snapshotter=false storage-driver=overlay2 version=24.0.7`,
    () => `dockerd[812]: time="2024-03-05T10:11:12Z" level=info msg="ignoring event" container=${hex(64)} module=libcontainerd namespace=moby topic=/tasks/delete type="*events.TaskDelete"`,
    () => `dockerd[812]: time="2024-03-05T10:11:12Z" level=warning msg="failed to prune image docker.io/library/alpine@sha256:${hex(64)}: No such image"`,
    () => `dockerd[812]: time="2024-03-05T10:11:12Z" level=info msg="[graphdriver] using prior storage driver: overlay2"`,
    () => `dockerd[812]: time="2024-03-05T10:11:12Z" level=error msg="Handler for POST /v1.43/containers/${hex(12)}/start returned error: driver failed programming external connectivity on endpoint web (${hex(64)}): Bind for 0.0.0.0:80 failed: port is already allocated"`,
    () => `containerd[700]: time="2024-03-05T10:11:12.${int(1e9)}Z" level=info msg="loading plugin \\"io.containerd.snapshotter.v1.overlayfs\\"..." runtime=io.containerd.runc.v2 type=io.containerd.snapshotter.v1`,
    () => `containerd[700]: time="2024-03-05T10:11:12Z" level=info msg="shim disconnected" id=${hex(64)} namespace=moby`,
    () => `kubelet[1500]: I0305 10:11:12.${int(999999)}    1500 kubelet_node_status.go:70] "Attempting to register node" node="worker-${int(9)}"`,
    () => `kubelet[1500]: E0305 10:11:12.123456    1500 pod_workers.go:1298] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with CrashLoopBackOff" pod="default/app-${hex(5)}"`,
    () => `rsyslogd[640]: [origin software="rsyslogd" swVersion="8.2302.0" x-pid="640" x-info="https://www.rsyslog.com"] rsyslogd was HUPed`,
    () => `fstrim[${int(9000)}]: /: 12.4 GiB (13314203648 bytes) trimmed on /dev/sda1`,
    () => `lvm[${int(900)}]: 2 logical volume(s) in volume group "vg0" now active`,
    () => `systemd[1]: Finished Discard unused blocks on filesystems from /etc/fstab.`,
    () => `smartd[650]: Device: /dev/sda [SAT], SMART Usage Attribute: 194 Temperature_Celsius changed from 34 to 35`,
    () => `nothing to see here, something within the usual thin margins of the pool party`,
  ];
  const prefixes: (() => string)[] = [
    () => `Mar 0${1 + int(9)} ${String(int(24)).padStart(2, '0')}:${String(int(60)).padStart(2, '0')}:${String(int(60)).padStart(2, '0')} dockerhost `,
    () => `Mar ${1 + int(9)} 10:11:12 dockerhost `.replace(/^Mar (\d) /, 'Mar  $1 '),
    () => `2024-03-05T10:${String(int(60)).padStart(2, '0')}:12.${int(999999)}+0000 dockerhost `,
  ];
  return (function* () {
    for (let i = 0; i < count; i++) yield `${pick(prefixes)()}${pick(bodies)()}`;
  })();
}

describe('mixed logs', () => {
  test('5 000 unrelated lines raise nothing and run no catalogue regex', () => {
    const lines = [...unrelatedLines(5000, 42)];
    resetLogMatchStats();
    const a = analyzeLog(lines);
    const stats = logMatchStats();
    assert.deepEqual(a.matches.map((m) => lines[m.line]), []);
    assert.deepEqual([a.findings.length, a.episodes.length, a.symbols.length], [0, 0, 0]);
    assert.equal(stats.lines, 5000);
    assert.equal(stats.regexRuns, 0, 'no catalogue regex ran on unrelated lines');
    // Only lines with a gate word pass (here dockerd's "[graphdriver] using prior storage driver: overlay2").
    assert.ok(stats.gated < 250, `most unrelated lines are rejected by the gate alone (${stats.gated} of 5000 passed)`);
  });

  test('devicemapper lines interleaved are found exactly, with the same episodes', () => {
    const dm = [...read('kernel-journal-iso.txt'), ...read('dockerd-journal.log'), ...read('metadata-exhaustion.log')];
    const alone = analyzeLog(dm);
    const r = prng(7);
    const mixed: string[] = [];
    const expected: [number, string][] = [];
    const filler = unrelatedLines(5000, 43);
    let next = 0;
    for (const l of filler) {
      mixed.push(l);
      if (next < dm.length && r() < 0.02) {
        const own = alone.matches.find((m) => m.line === next);
        if (own) expected.push([mixed.length, own.match.entry.id]);
        mixed.push(dm[next++]!);
      }
    }
    while (next < dm.length) {
      const own = alone.matches.find((m) => m.line === next);
      if (own) expected.push([mixed.length, own.match.entry.id]);
      mixed.push(dm[next++]!);
    }
    const a = analyzeLog(mixed);
    assert.deepEqual(a.findings.map((f) => [f.range.start.line, f.code]), expected);
    assert.deepEqual(a.episodes.map((e) => e.name), alone.episodes.map((e) => e.name));
    assert.deepEqual(a.episodes.map((e) => e.changes.map((c) => c.state)), alone.episodes.map((e) => e.changes.map((c) => c.state)));
  });
});

describe('dispatch: cheap keys first, never every regex on every line', () => {
  test('a line with no gate is rejected before the envelope or any regex', () => {
    resetLogMatchStats();
    assert.equal(matchLogLine('Mar 05 10:00:00 host sshd[1]: Accepted publickey for ops from 10.0.0.5 port 51122 ssh2'), undefined);
    assert.deepEqual(logMatchStats(), { lines: 1, gated: 0, regexRuns: 0 });
  });

  test('a line past a gate but with no anchor runs no regex', () => {
    resetLogMatchStats();
    assert.equal(matchLogLine('[   12.345678] device-mapper: multipath: 253:1: Failing path 8:16.'), undefined);
    assert.deepEqual(logMatchStats(), { lines: 1, gated: 1, regexRuns: 0 });
  });

  test('a recognised line runs only the regexes of its anchors', () => {
    const lines = [
      '[   65.409561] device-mapper: thin: 253:0: switching pool to write mode',
      '[   64.772053] device-mapper: thin: 253:0: reached low water mark for data device: sending event.',
      'time="2019-03-05T10:11:12Z" level=error msg="devmapper: Thin Pool has 162394 free data blocks which is less than minimum required 163840 free data blocks."',
      'time="2019-03-05T10:11:12Z" level=error msg="libdevmapper(7): libdm-common.c:1461 (0) Removed /dev/mapper/docker-253:0-1048578-abc"',
    ];
    for (const l of lines) {
      resetLogMatchStats();
      assert.ok(matchLogLine(l), l);
      const runs = logMatchStats().regexRuns;
      assert.ok(runs >= 1 && runs <= 4, `${runs} regexes for ${l}`);
    }
    assert.ok(LOG_WORDING_COUNT > 100, 'the catalogue has far more wordings than any line runs');
  });

  test('the gates are few, quote-free, and cover every wording', () => {
    const gates = logDispatchGates();
    assert.ok(gates.length <= 48, `${gates.length} gates`);
    for (const g of gates) {
      assert.ok(g.gate.length >= 3, g.gate);
      assert.equal(/["\\]/.test(g.gate), false, g.gate);
    }
    assert.equal(gates.reduce((n, g) => n + g.wordings, 0), LOG_WORDING_COUNT);
  });

  test('400 000 journal lines stream through; only matches are kept', () => {
    const dm = read('kernel-dmesg.log').filter((l) => l.startsWith('['));
    const a = new LogAnalyzer();
    resetLogMatchStats();
    let i = 0;
    let planted = 0;
    for (const l of unrelatedLines(400_000, 99)) {
      a.push(l);
      if (i++ % 20_000 === 0) {
        a.push(dm[planted % dm.length]!);
        planted++;
      }
    }
    const result = a.finish();
    const stats = logMatchStats();
    assert.equal(result.matches.length, planted);
    assert.equal(result.findings.length, planted);
    assert.ok(stats.regexRuns <= planted * 4, `${stats.regexRuns} regex runs for ${planted} devicemapper lines among ${stats.lines}`);
  });
});
