/**
 * Whole logs: findings per recognised line, pool episodes and the symbol
 * timeline, on the exact kernel lines of real-kernel-observations.md §9 and
 * on the same events in other envelopes (issue 5 §4).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { analyzeLog, LogAnalyzer, type LogAnalysis } from '../../server/src/core/logs/index.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'logs');
const read = (name: string): string[] => readFileSync(join(DIR, name), 'utf8').split('\n');

/** real-kernel-observations.md §9, verbatim. */
const SECTION_9 = `[    2.686078] device-mapper: core: CONFIG_IMA_DISABLE_HTABLE is disabled. Duplicate IMA measurements will not be recorded in the IMA log.
[    2.686661] device-mapper: uevent: version 1.0.3
[    2.688651] device-mapper: ioctl: 4.47.0-ioctl (2022-07-28) initialised: dm-devel@redhat.com
[   21.214061] device-mapper: thin: Data device (loop0) discard unsupported: Disabling discard passdown.
[   30.426669] device-mapper: thin: Data device (loop0) discard unsupported: Disabling discard passdown.
[   48.758789] operation not supported error, dev loop0, sector 100224 op 0x3:(DISCARD) flags 0x0 phys_seg 1 prio class 2
[   48.784483] operation not supported error, dev loop0, sector 345984 op 0x3:(DISCARD) flags 0x0 phys_seg 1 prio class 2
[   48.787449] operation not supported error, dev loop0, sector 0 op 0x3:(DISCARD) flags 0x0 phys_seg 1 prio class 2
[   64.772053] device-mapper: thin: 253:0: reached low water mark for data device: sending event.
[   64.972134] device-mapper: thin: 253:0: switching pool to out-of-data-space (error IO) mode
[   65.409561] device-mapper: thin: 253:0: switching pool to write mode
[   65.409656] device-mapper: thin: 253:0: growing the data device from 1024 to 3072 blocks
[   67.635821] device-mapper: thin: 253:0: reached low water mark for data device: sending event.
[   67.857048] device-mapper: thin: 253:0: switching pool to out-of-data-space (queue IO) mode
[   77.992591] device-mapper: thin: 253:0: switching pool to out-of-data-space (error IO) mode
[   85.765532] device-mapper: thin: 253:0: reached low water mark for data device: sending event.
[   85.935610] device-mapper: thin: 253:0: switching pool to out-of-data-space (queue IO) mode
[   90.835992] device-mapper: thin: 253:0: switching pool to write mode
[   90.836078] device-mapper: thin: 253:0: growing the data device from 1024 to 4096 blocks`.split('\n');

const EPISODE_NAMES = [
  'pool 253:0: out of data space (error), grown 1024 → 3072 blocks',
  'pool 253:0: out of data space (queue → error)',
  'pool 253:0: out of data space (queue), grown 1024 → 4096 blocks',
];

const STATES = [
  ['low-water-mark', 'out-of-data-space-error', 'write', 'grown'],
  ['low-water-mark', 'out-of-data-space-queue', 'out-of-data-space-error'],
  ['low-water-mark', 'out-of-data-space-queue', 'write', 'grown'],
];

function codes(a: LogAnalysis): string[] {
  return a.findings.map((f) => `${f.range.start.line} ${f.code} ${f.severity}`);
}

describe('log episodes: the kernel lines of real-kernel-observations.md §9', () => {
  const a = analyzeLog(SECTION_9);

  test('every line is recognised with its catalogue severity', () => {
    assert.deepEqual(codes(a), [
      '0 dm-core-ima-htable hint',
      '1 dm-uevent-version hint',
      '2 dm-ioctl-version hint',
      '3 thin-discard-passdown-disabled warning',
      '4 thin-discard-passdown-disabled warning',
      '5 discard-not-effective warning',
      '6 discard-not-effective warning',
      '7 discard-not-effective warning',
      '8 thin-low-water-mark warning',
      '9 thin-out-of-data-space-error error',
      '10 thin-write-mode information',
      '11 thin-pool-grown information',
      '12 thin-low-water-mark warning',
      '13 thin-out-of-data-space-queue warning',
      '14 thin-out-of-data-space-error error',
      '15 thin-low-water-mark warning',
      '16 thin-out-of-data-space-queue warning',
      '17 thin-write-mode information',
      '18 thin-pool-grown information',
    ]);
  });

  test('finding ranges are the message spans; messages carry the values', () => {
    const f = a.findings[11]!;
    assert.deepEqual(f.range, { start: { line: 11, character: 15 }, end: { line: 11, character: SECTION_9[11]!.length } });
    assert.equal(f.message, 'Pool 253:0: data device grown from 1024 to 3072 blocks (3×)');
    assert.equal(a.findings[5]!.message, 'DISCARD failed on loop0 (operation not supported error, sector 100224) — discard passdown is not effective');
  });

  test('three episodes: error mode then grown; queue → error after no_space_timeout; queue then grown', () => {
    assert.deepEqual(a.episodes.map((e) => e.name), EPISODE_NAMES);
    assert.deepEqual(a.episodes.map((e) => e.changes.map((c) => c.state)), STATES);
    assert.deepEqual(a.episodes.map((e) => [e.startLine, e.endLine, e.pool, e.poolKind, e.lineCount]), [[8, 11, '253:0', 'devno', 4], [12, 14, '253:0', 'devno', 3], [15, 18, '253:0', 'devno', 4]]);
    const timeout = a.episodes[1]!.changes[2]!;
    assert.equal(timeout.after, 10.136);
    assert.equal(timeout.timestamp, '77.992591');
  });

  test('symbols: one per episode, children are the state changes with line ranges', () => {
    assert.deepEqual(a.symbols.map((s) => s.name), EPISODE_NAMES);
    const s = a.symbols[1]!;
    assert.equal(s.kind, 'episode');
    assert.deepEqual(s.range, { start: { line: 12, character: 0 }, end: { line: 14, character: SECTION_9[14]!.length } });
    assert.deepEqual(s.selectionRange, a.findings[12]!.range);
    assert.equal(s.detail, '67.635821 – 77.992591 · 3 lines');
    assert.deepEqual(s.children.map((c) => [c.name, c.detail, c.range.start.line, c.kind]), [
      ['low water mark (data)', '67.635821', 12, 'state'],
      ['out of data space (queue IO)', '67.857048 +0.22 s', 13, 'state'],
      ['out of data space (error IO)', '77.992591 +10.1 s in queue mode (no_space_timeout)', 14, 'state'],
    ]);
    for (const sym of a.symbols) for (const c of sym.children) {
      assert.ok(c.range.start.line >= sym.range.start.line && c.range.end.line <= sym.range.end.line, 'child inside parent');
    }
  });

  test('related information links the other lines of the same episode', () => {
    const queue = a.findings[13]!;
    assert.deepEqual(queue.related?.map((r) => [r.range.start.line, r.message]), [
      [12, 'pool 253:0: low water mark (data) (67.635821)'],
      [14, 'pool 253:0: out of data space (error IO) (77.992591)'],
    ]);
    // lines outside episodes relate to the same message about the same device
    assert.deepEqual(a.findings[5]!.related?.map((r) => r.range.start.line), [6, 7]);
    assert.deepEqual(a.findings[3]!.related?.map((r) => r.range.start.line), [4]);
    assert.equal(a.findings[0]!.related, undefined);
  });

  test('the fixtures in other envelopes give the same episodes', () => {
    for (const name of ['kernel-dmesg.log', 'kernel-dmesg-T.log', 'kernel-syslog.log', 'kernel-journal-iso.txt']) {
      const b = analyzeLog(read(name));
      assert.deepEqual(b.episodes.map((e) => e.name), EPISODE_NAMES, name);
      assert.deepEqual(b.episodes.map((e) => e.changes.map((c) => c.state)), STATES, name);
      assert.equal(b.findings.length, 19, name);
    }
    const syslog = analyzeLog(read('kernel-syslog.log'));
    assert.equal(syslog.episodes[0]!.host, 'thinlab');
    assert.equal(syslog.episodes[1]!.changes[2]!.after, 10.136, 'kernel stamps inside syslog are used for timing');
  });

  test('streaming through LogAnalyzer gives the same analysis', () => {
    const s = new LogAnalyzer();
    for (const l of SECTION_9) s.push(l);
    const b = s.finish();
    assert.deepEqual(codes(b), codes(a));
    assert.deepEqual(b.symbols, a.symbols);
  });
});

describe('log episodes: other sequences', () => {
  test('metadata exhaustion: low water mark → metadata failure → read-only → fail (§6)', () => {
    const lines = read('metadata-exhaustion.log');
    const a = analyzeLog(lines);
    assert.deepEqual(codes(a), [
      '2 thin-metadata-low-water-mark warning',
      '3 space-map-metadata-alloc-failed error',
      '4 thin-metadata-operation-failed error',
      '5 thin-metadata-abort error',
      '6 thin-read-only error',
      '7 thin-messages-refused error',
      '8 thin-messages-refused error',
      '9 thin-fail error',
      '10 dm-device-io-error error',
      '11 dm-device-io-error error',
    ]);
    assert.deepEqual(a.episodes.map((e) => e.name), ['pool 253:3: metadata operation failed, read-only → fail']);
    assert.deepEqual(a.episodes[0]!.changes.map((c) => [c.label, c.line, c.lastLine, c.count]), [
      ['low water mark (metadata)', 2, 2, 1],
      ['metadata operation failed', 4, 5, 2],
      ['read-only mode', 6, 8, 3],
      ['fail mode', 9, 9, 1],
    ]);
    assert.equal(a.symbols[0]!.children[2]!.detail, '419.560412 +0.01 s ×3');
  });

  test("dockerd: Docker's pool below dm.min_free_space, repeats folded; busy devices related", () => {
    const lines = read('dockerd-journal.log');
    const a = analyzeLog(lines);
    assert.deepEqual(codes(a), [
      '4 dm-loopback-discouraged warning',
      '5 devicemapper-deprecated warning',
      '10 dm-pool-data-min-free-space error',
      '11 dm-pool-data-min-free-space error',
      '13 dm-ioctl-failed error',
      '14 dm-device-busy error',
      '15 dm-deferred-deletion-failed warning',
    ]);
    assert.deepEqual(a.episodes.map((e) => [e.name, e.host, e.changes.length, e.changes[0]!.count]), [["Docker's thin pool: below dm.min_free_space (data)", 'dockerhost', 1, 2]]);
    assert.equal(a.findings[2]!.message, 'Thin Pool has 162394 free data blocks, less than the minimum 163840 (99.1 % of the minimum; dm.min_free_space) — Docker refuses new images and containers');
    assert.equal(a.findings[3]!.message, 'Thin Pool has 161020 free data blocks, less than the minimum 163840 (98.3 % of the minimum; dm.min_free_space) — Docker refuses new images and containers');
    // the finding covers the logrus msg value, escapes included
    const busy = a.findings[5]!;
    assert.ok(lines[14]!.slice(busy.range.start.character, busy.range.end.character).startsWith('Error removing container 3a5c7f1e9b2d: driver \\"devicemapper\\"'));
  });

  test('start-up failures across engine versions', () => {
    const a = analyzeLog(read('dockerd-startup-errors.log'));
    assert.deepEqual(codes(a), [
      '1 dm-udev-sync-unsupported error',
      '2 dm-unknown-option error',
      '3 graphdriver-prior-driver-failed error',
      '5 dm-base-uuid-mismatch error',
      '6 graphdriver-prior-driver-deprecated error',
      '7 devicemapper-removed error',
    ]);
    assert.deepEqual(a.episodes, []);
  });

  test('a long pause or a reboot starts a new episode', () => {
    const a = analyzeLog([
      '[  100.000000] device-mapper: thin: 253:0: reached low water mark for data device: sending event.',
      '[ 9000.000000] device-mapper: thin: 253:0: switching pool to out-of-data-space (queue IO) mode',
      '[   12.000000] device-mapper: thin: 253:0: switching pool to out-of-data-space (error IO) mode',
    ]);
    assert.deepEqual(a.episodes.map((e) => e.changes.map((c) => c.state)), [['low-water-mark'], ['out-of-data-space-queue'], ['out-of-data-space-error']]);
  });

  test('the same maj:min on two hosts are two pools; two pools on one host are two episodes', () => {
    const a = analyzeLog([
      'Mar 05 10:00:00 hostA kernel: device-mapper: thin: 253:0: reached low water mark for data device: sending event.',
      'Mar 05 10:00:01 hostB kernel: device-mapper: thin: 253:0: reached low water mark for data device: sending event.',
      'Mar 05 10:00:02 hostA kernel: device-mapper: thin: 253:0: switching pool to out-of-data-space (queue IO) mode',
      'Mar 05 10:00:03 hostA kernel: device-mapper: thin: 253:4: switching pool to out-of-data-space (queue IO) mode',
      'Mar 05 10:00:04 hostB kernel: device-mapper: thin: 253:0: switching pool to write mode',
      'Mar 05 10:00:04 hostB kernel: device-mapper: thin: 253:0: growing the data device from 100 to 150 blocks',
    ]);
    assert.deepEqual(a.episodes.map((e) => [e.host, e.pool, e.name]), [
      ['hostA', '253:0', 'pool 253:0: out of data space (queue)'],
      ['hostB', '253:0', 'pool 253:0: low water mark reached, grown 100 → 150 blocks'],
      ['hostA', '253:4', 'pool 253:4: out of data space (queue)'],
    ]);
    assert.equal(a.symbols[1]!.detail, 'hostB · Mar 05 10:00:01 – Mar 05 10:00:04 · 3 lines');
  });

  test('dmeventd warnings form an episode per pool name', () => {
    const a = analyzeLog([
      'Mar 05 10:00:00 host dmeventd[456]: WARNING: Thin pool vg-pool-tpool data is now 81.23% full.',
      'Mar 05 10:05:00 host dmeventd[456]: WARNING: Thin pool vg-pool-tpool data is now 86.00% full.',
    ]);
    assert.deepEqual(a.episodes.map((e) => [e.pool, e.poolKind, e.name, e.changes[0]!.count]), [['vg-pool-tpool', 'name', 'pool vg-pool-tpool: data 81.23 % full', 2]]);
  });

  test('unrelated lines, blank lines and comments raise nothing', () => {
    const a = analyzeLog(['', '# comment', 'hello', 'Mar 05 10:00:00 host systemd[1]: Started Session 1 of user root.']);
    assert.deepEqual(a, { matches: [], findings: [], episodes: [], symbols: [] });
  });
});
