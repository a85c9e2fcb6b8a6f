import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TranscriptDocument, TranscriptDiagnostics, DEFAULT_THRESHOLDS, normaliseThresholds, TRANSCRIPT_CODES, logEntry, type Finding, type Thresholds } from '../../server/src/core/index.js';
import { docOf, findingKeys, type FixtureName } from './helpers.js';

/** Every code any test in this file produced; checked against TRANSCRIPT_CODES by the last test. */
const produced = new Set<string>();

function run(doc: TranscriptDocument, t: Thresholds = DEFAULT_THRESHOLDS): Finding[] {
  const fs = new TranscriptDiagnostics(doc).compute(t);
  for (const f of fs) {
    produced.add(f.code);
    // Every finding: a known code (the transcript's own, or a log catalogue id for a log line pasted
    // into the transcript) with its documented severity, a range inside one line of the document.
    const known = f.code in TRANSCRIPT_CODES ? TRANSCRIPT_CODES[f.code as keyof typeof TRANSCRIPT_CODES].severity : logEntry(f.code)?.severity;
    assert.ok(known, `unknown code ${f.code}`);
    assert.equal(f.severity, known, f.code);
    assert.equal(f.range.start.line, f.range.end.line, `${f.code} spans lines`);
    assert.ok(f.range.start.line >= 0 && f.range.start.line < doc.lineCount, `${f.code} line ${f.range.start.line}`);
    const len = doc.lineText(f.range.start.line).length;
    assert.ok(f.range.start.character >= 0 && f.range.start.character <= f.range.end.character && f.range.end.character <= len, `${f.code} characters ${f.range.start.character}-${f.range.end.character} of ${len}`);
    assert.ok(f.message.length > 20, `${f.code} has a message`);
    assert.equal('relatedTableOf' in f, false, 'internal field leaked');
    for (const r of f.related ?? []) assert.ok(r.range.start.line >= 0 && r.range.start.line < doc.lineCount, `${f.code} related line`);
  }
  return fs;
}

function keysOf(doc: TranscriptDocument, t?: Thresholds): string[] {
  return findingKeys(doc, run(doc, t));
}

function text(lines: string[]): TranscriptDocument {
  return new TranscriptDocument(lines.join('\n'));
}

const q = (code: string, line: number, token: string): string => `${code}@${line} ${JSON.stringify(token)}`;
const D = '/var/lib/docker/devicemapper/devicemapper/data';
/** Kernel lines of real-kernel-observations.md §9 (the messages, without the dmesg timestamp). */
const LW = 'device-mapper: thin: 253:0: reached low water mark for data device: sending event.';
const OOS_ERROR = 'device-mapper: thin: 253:0: switching pool to out-of-data-space (error IO) mode';
const OOS_QUEUE = 'device-mapper: thin: 253:0: switching pool to out-of-data-space (queue IO) mode';
const WRITE_MODE = 'device-mapper: thin: 253:0: switching pool to write mode';
const grown = (from: number, to: number): string => `device-mapper: thin: 253:0: growing the data device from ${from} to ${to} blocks`;

/** The exact findings of each fixture: code, line, and the text under the range (the offending token). */
const EXPECTED: Record<FixtureName, string[]> = {
  'user-transcript': [q('no-discard-passdown', 4, 'no_discard_passdown'), q('no-discard-passdown', 6, 'no_discard_passdown'), q('queue-if-no-space', 11, 'queue_if_no_space')],
  'live-pool-6.1': [q('loop-backed-pool', 46, '7:0'), q('queue-if-no-space', 52, 'queue_if_no_space'), q('queue-if-no-space', 58, 'queue_if_no_space')],
  'out-of-space-error': [
    q('loop-backed-pool', 2, '7:0'),
    q('no-space-left-on-device', 6, "dd: error writing '/dev/mapper/thin-oos': No space left on device"),
    q('data-usage-critical', 11, '1024/1024'),
    q('out-of-data-space', 11, 'out_of_data_space'),
    // The kernel's lines after the status, explained by the log catalogue.
    q('thin-low-water-mark', 16, LW),
    q('thin-out-of-data-space-error', 17, OOS_ERROR),
    q('thin-write-mode', 25, WRITE_MODE),
    q('thin-pool-grown', 26, grown(1024, 3072)),
  ],
  'out-of-space-queue': [
    q('loop-backed-pool', 2, '7:0'),
    q('queue-if-no-space', 4, 'queue_if_no_space'),
    q('data-usage-critical', 6, '1024/1024'),
    q('out-of-data-space', 6, 'out_of_data_space'),
    q('data-usage-critical', 8, '1024/1024'),
    q('out-of-data-space', 8, 'out_of_data_space'),
    q('no-space-timeout-expired', 8, 'error_if_no_space'),
    q('thin-low-water-mark', 11, LW),
    q('thin-out-of-data-space-queue', 12, OOS_QUEUE),
    q('thin-out-of-data-space-error', 13, OOS_ERROR),
    q('data-usage-critical', 16, '1024/1024'),
    q('out-of-data-space', 16, 'out_of_data_space'),
    q('queue-if-no-space', 25, 'queue_if_no_space'),
    q('thin-low-water-mark', 30, LW),
    q('thin-out-of-data-space-queue', 31, OOS_QUEUE),
    q('thin-write-mode', 32, WRITE_MODE),
    q('thin-pool-grown', 33, grown(1024, 4096)),
  ],
  'metadata-snapshot': [q('metadata-snapshot-held', 2, '115'), q('queue-if-no-space', 2, 'queue_if_no_space')],
  'old-kernels': [
    q('loop-backed-pool', 1, '7:0'),
    q('loop-backed-pool', 2, '7:2'),
    q('queue-if-no-space', 7, 'queue_if_no_space'),
    q('queue-if-no-space', 8, 'queue_if_no_space'),
    q('low-water-mark-reached', 8, '783/32768'),
    q('no-discard-passdown', 16, 'no_discard_passdown'),
    q('metadata-usage-high', 17, '3300/4096'),
    q('pool-read-only', 17, 'ro'),
    q('ignore-discard', 17, 'ignore_discard'),
    q('queue-if-no-space', 17, 'queue_if_no_space'),
    q('needs-check', 17, 'needs_check'),
    q('metadata-usage-critical', 18, '4000/4096'),
    q('queue-if-no-space', 18, 'queue_if_no_space'),
    q('pool-failed', 19, 'Fail'),
    q('pool-status-error', 20, 'Error'),
    q('metadata-usage-high', 27, '3300/4096'),
    q('pool-read-only', 27, 'ro'),
    q('ignore-discard', 27, 'ignore_discard'),
    q('queue-if-no-space', 27, 'queue_if_no_space'),
    q('needs-check', 27, 'needs_check'),
    q('metadata-usage-critical', 29, '4000/4096'),
    q('queue-if-no-space', 29, 'queue_if_no_space'),
    q('pool-failed', 31, 'Fail'),
    q('pool-failed', 33, 'Fail'),
    q('pool-status-error', 35, 'Error'),
    q('no-discard-passdown', 41, 'no_discard_passdown'),
  ],
  'docker-info-old': [q('data-usage-high', 14, '98.3 GB'), q('host-filesystem-limit', 16, '1.2 GB'), q('min-free-space-reached', 16, '1.2 GB'), q('loop-backed-pool', 25, D)],
  'docker-info-new': [q('udev-sync-unsupported', 17, 'false'), q('loop-backed-pool', 20, D), q('driver-deprecated', 37, 'WARNING: the devicemapper storage-driver is deprecated, and will be removed in a future release.')],
  sizes: [
    q('no-discard-passdown', 1, 'no_discard_passdown'),
    q('queue-if-no-space', 1, 'queue_if_no_space'),
    q('loop-file-not-shrinking', 4, '1675524'),
    q('loop-file-not-shrinking', 17, '3351048 512'),
    q('loop-file-not-shrinking', 8, '1.6G'),
    q('loop-file-not-shrinking', 11, '1.6G'),
    q('data-usage-critical', 31, '96.20'),
  ],
  'kernel-messages': [
    q('dm-core-ima-htable', 1, 'device-mapper: core: CONFIG_IMA_DISABLE_HTABLE is disabled. Duplicate IMA measurements will not be recorded in the IMA log.'),
    q('dm-uevent-version', 2, 'device-mapper: uevent: version 1.0.3'),
    q('dm-ioctl-version', 3, 'device-mapper: ioctl: 4.47.0-ioctl (2022-07-28) initialised: dm-devel@redhat.com'),
    q('thin-discard-passdown-disabled', 4, 'device-mapper: thin: Data device (loop0) discard unsupported: Disabling discard passdown.'),
    q('thin-discard-passdown-disabled', 5, 'device-mapper: thin: Data device (loop0) discard unsupported: Disabling discard passdown.'),
    q('discard-not-effective', 6, 'loop0'),
    q('discard-not-effective', 7, 'loop0'),
    q('discard-not-effective', 8, 'loop0'),
    q('thin-low-water-mark', 9, LW),
    q('thin-out-of-data-space-error', 10, OOS_ERROR),
    q('thin-write-mode', 11, WRITE_MODE),
    q('thin-pool-grown', 12, grown(1024, 3072)),
    q('thin-low-water-mark', 13, LW),
    q('thin-out-of-data-space-queue', 14, OOS_QUEUE),
    q('thin-out-of-data-space-error', 15, OOS_ERROR),
    q('thin-low-water-mark', 16, LW),
    q('thin-out-of-data-space-queue', 17, OOS_QUEUE),
    q('thin-write-mode', 18, WRITE_MODE),
    q('thin-pool-grown', 19, grown(1024, 4096)),
  ],
};

describe('exact findings of every fixture', () => {
  for (const [name, expected] of Object.entries(EXPECTED) as [FixtureName, string[]][]) {
    test(name, () => {
      const doc = docOf(name);
      const keys = keysOf(doc);
      assert.deepEqual(keys, [...expected].sort());
    });
  }

  test('docker info 19.03+: one loop-lvm finding, not one for "Data loop file" and another for the warning printed after the blank line', () => {
    const doc = docOf('docker-info-new');
    assert.deepEqual(run(doc).filter((f) => f.code === 'loop-backed-pool').map((f) => f.range.start.line), [20]);
  });

  test('sizes: stat -c \'%s %b %B\' <file> is linked to the pool like ls and du', () => {
    const doc = docOf('sizes');
    assert.equal(keysOf(doc).includes(q('loop-file-not-shrinking', 17, '3351048 512')), true);
  });

  test('related information points at the pool table', () => {
    const doc = docOf('out-of-space-queue');
    const fs = run(doc).filter((f) => f.code === 'no-space-timeout-expired');
    assert.equal(fs.length, 1);
    assert.deepEqual(fs[0]!.related, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, message: 'table of pool-oos' }]);
    const sizes = run(docOf('sizes')).find((f) => f.code === 'loop-file-not-shrinking');
    assert.match(sizes?.related?.[0]?.message ?? '', /status of docker-253:1-8790943-pool \(assumed: the nearest Docker pool\)/);
    assert.equal(sizes?.related?.[0]?.range.start.line, 1);
  });

  test('messages carry the computed numbers', () => {
    const oos = run(docOf('out-of-space-queue'));
    const crit = oos.find((f) => f.code === 'data-usage-critical' && f.range.start.line === 6);
    assert.match(crit?.message ?? '', /Pool pool-oos data space is 100 % used \(1,024 of 1,024 × 64 KiB = 64 MiB of 64 MiB \(100 %\)\)/);
    const queue = oos.find((f) => f.code === 'out-of-data-space' && f.range.start.line === 6);
    assert.match(queue?.message ?? '', /writers are blocked/);
    const err = run(docOf('out-of-space-error')).find((f) => f.code === 'out-of-data-space');
    assert.match(err?.message ?? '', /fail with ENOSPC/);
    const low = run(docOf('old-kernels')).find((f) => f.code === 'low-water-mark-reached');
    assert.match(low?.message ?? '', /Free data blocks \(31985 = 1\.95 GiB\).*low water mark \(32768 blocks\).*Docker 20\.10/);
    const gap = run(docOf('sizes')).find((f) => f.code === 'loop-file-not-shrinking' && f.range.start.line === 8);
    assert.match(gap?.message ?? '', /occupies 1\.6 GiB on disk but pool docker-253:1-8790943-pool uses only 203 MiB/);
    const host = run(docOf('docker-info-old')).find((f) => f.code === 'host-filesystem-limit');
    assert.match(host?.message ?? '', /Only 1\.2 GB available although Total − Used is 9\.1GB/);
  });
});

describe('inputs for the remaining codes', () => {
  test('invalid-status-line on a truncated status line', () => {
    const doc = text(['# dmsetup status', 'pool: 0 209715200 thin-pool 79 179/52']);
    const fs = run(doc);
    assert.deepEqual(fs.map((f) => [f.code, f.range.start.line, f.range.start.character]), [['invalid-status-line', 1, 18]]);
    assert.match(fs[0]!.message, /this line has 2 fields.*truncated/);
  });

  test('invalid-status-line on a truncated line covers the damaged field', () => {
    const doc = text(['# dmsetup status', 'pool: 0 209715200 thin-pool 79 179/52']);
    assert.deepEqual(keysOf(doc), [q('invalid-status-line', 1, 'thin-pool 79 179/52')]);
  });

  test('invalid-status-line when used > total', () => {
    const doc = text(['# dmsetup status', 'pool: 0 2097152 thin-pool 1 10/4096 20000/16384 - rw discard_passdown queue_if_no_space - 1024 ']);
    const fs = run(doc);
    assert.deepEqual(findingKeys(doc, fs), [q('invalid-status-line', 1, 'thin-pool 1 10/4096 20000/16384 - rw discard_passdown queue_if_no_space - 1024')]);
    assert.match(fs[0]!.message, /exceed the total/);
  });

  test('invalid-table-line: bad block size and feature count', () => {
    const doc = text(['# dmsetup table', 'p: 0 8 thin-pool 253:4 253:5 100 32768 0 ', 'r: 0 8 thin-pool 253:6 253:7 128 32768 2 skip_block_zeroing ']);
    assert.deepEqual(keysOf(doc), [q('invalid-table-line', 1, 'thin-pool 253:4 253:5 100 32768 0'), q('invalid-table-line', 2, 'thin-pool 253:6 253:7 128 32768 2 skip_block_zeroing')]);
  });

  test('number-too-large on numbers beyond 2^53 (status and target length)', () => {
    const doc = text(['# dmsetup status', 'pool: 0 99999999999999999999 thin-pool 1 99999999999999999999/99999999999999999999 5/10 - rw discard_passdown queue_if_no_space - 1024 ']);
    const keys = keysOf(doc);
    assert.equal(keys.filter((k) => k.startsWith('number-too-large@1 "99999999999999999999"')).length, 3);
    assert.ok(keys.includes(q('metadata-usage-critical', 1, '99999999999999999999/99999999999999999999')));
  });

  test('unknown-status-field on a word no kernel prints', () => {
    const doc = text(['0 8 thin-pool 1 2/30 4/50 - rw discard_passdown error_if_no_space - 7 frobnicate']);
    assert.deepEqual(keysOf(doc), [q('unknown-status-field', 0, '7'), q('unknown-status-field', 0, 'frobnicate')]);
  });

  test('content-based lines outside any block: Fail and out_of_data_space without a prompt', () => {
    const doc = text(['docker-253:1-8790943-pool: 0 209715200 thin-pool Fail', 'p: 0 131072 thin-pool 0 219/2048 1024/1024 - out_of_data_space discard_passdown queue_if_no_space - 512 ']);
    assert.deepEqual(keysOf(doc), [q('pool-failed', 0, 'Fail'), q('data-usage-critical', 1, '1024/1024'), q('out-of-data-space', 1, 'out_of_data_space')].sort());
  });

  test('lvs: Data% and Meta% against the thresholds', () => {
    const doc = text([
      '# lvs',
      '  LV       VG     Attr       LSize  Pool Origin Data%  Meta%  Move Log Cpy%Sync Convert',
      '  thinpool docker twi-aot--- 95.00g             85.00  96.50                           ',
      '  lv1      docker Vwi-a-t--- 10.00g thinpool    12.00                                  ',
    ]);
    assert.deepEqual(keysOf(doc), [q('data-usage-high', 2, '85.00'), q('metadata-usage-critical', 2, '96.50')]);
  });

  test('docker info metadata usage', () => {
    const doc = text(['# docker info', ' Metadata Space Used: 2.1 GB', ' Metadata Space Total: 2.147 GB', ' Metadata Space Available: 47 MB']);
    assert.deepEqual(keysOf(doc), [q('metadata-usage-critical', 1, '2.1 GB')]);
  });

  test('every finding code is produced by at least one input of this file', () => {
    const missing = Object.keys(TRANSCRIPT_CODES).filter((c) => !produced.has(c));
    assert.deepEqual(missing, []);
  });
});

describe('thresholds', () => {
  test('normaliseThresholds: defaults, bad values ignored, error never below warning', () => {
    assert.deepEqual(normaliseThresholds(undefined), DEFAULT_THRESHOLDS);
    assert.deepEqual(normaliseThresholds({}), DEFAULT_THRESHOLDS);
    const bad = normaliseThresholds({ dataWarning: -1, dataError: Number.NaN, metadataWarning: Number.POSITIVE_INFINITY, metadataError: 'x' as unknown as number });
    assert.deepEqual(bad, DEFAULT_THRESHOLDS);
    assert.equal(normaliseThresholds({ dataWarning: 0 }).dataWarning, 0);
    assert.deepEqual(normaliseThresholds({ dataWarning: 90, dataError: 50 }), { ...DEFAULT_THRESHOLDS, dataWarning: 90, dataError: 90 });
    assert.deepEqual(normaliseThresholds({ metadataWarning: 99 }), { ...DEFAULT_THRESHOLDS, metadataWarning: 99, metadataError: 99 });
    assert.notEqual(normaliseThresholds({}), DEFAULT_THRESHOLDS, 'a copy, so callers cannot change the defaults');
  });

  test('dataWarning 0: data-usage-high appears for every pool', () => {
    const doc = docOf('user-transcript');
    const keys = keysOf(doc, normaliseThresholds({ dataWarning: 0 }));
    assert.deepEqual(keys.filter((k) => k.startsWith('data-usage')), [q('data-usage-high', 11, '32432/1638400'), q('data-usage-high', 4, '0/3200'), q('data-usage-high', 6, '26115/3276800')]);
  });

  test('dataWarning and dataError below the pool usage: critical wins', () => {
    const keys = keysOf(docOf('user-transcript'), normaliseThresholds({ dataWarning: 0.5, dataError: 0.5 }));
    assert.deepEqual(keys.filter((k) => k.startsWith('data-usage')), [q('data-usage-critical', 11, '32432/1638400'), q('data-usage-critical', 6, '26115/3276800')]);
  });

  test('metadataWarning 0.1 %', () => {
    const keys = keysOf(docOf('user-transcript'), normaliseThresholds({ metadataWarning: 0.1 }));
    assert.deepEqual(keys.filter((k) => k.startsWith('metadata-usage')), [q('metadata-usage-high', 11, '876/524288'), q('metadata-usage-high', 6, '633/524288')]);
  });

  test('raising thresholds removes findings (status, lvs, docker info)', () => {
    const high = normaliseThresholds({ dataWarning: 100, dataError: 100, metadataWarning: 100, metadataError: 100 });
    assert.deepEqual(keysOf(docOf('old-kernels'), high).filter((k) => k.startsWith('metadata-usage')), []);
    assert.deepEqual(keysOf(docOf('out-of-space-error'), high).filter((k) => k.startsWith('data-usage')), [q('data-usage-critical', 11, '1024/1024')], '100 % used still reaches a 100 % threshold');
    assert.deepEqual(keysOf(docOf('sizes'), normaliseThresholds({ dataError: 97 })).filter((k) => k.startsWith('data-usage')), [q('data-usage-high', 31, '96.20')]);
    assert.deepEqual(keysOf(docOf('docker-info-old'), normaliseThresholds({ dataWarning: 95 })).filter((k) => k.startsWith('data-usage')), []);
  });

  test('hostLimitRatio and the loop-gap thresholds', () => {
    assert.equal(keysOf(docOf('docker-info-old'), normaliseThresholds({ hostLimitRatio: 0 })).some((k) => k.startsWith('host-filesystem-limit')), false);
    assert.equal(keysOf(docOf('sizes'), normaliseThresholds({ loopGapMinBytes: 10 * 1024 ** 3 })).some((k) => k.startsWith('loop-file-not-shrinking')), false);
    assert.equal(keysOf(docOf('sizes'), normaliseThresholds({ loopGapRatio: 100 })).some((k) => k.startsWith('loop-file-not-shrinking')), false);
    assert.equal(keysOf(docOf('user-transcript'), normaliseThresholds({ loopGapRatio: 0, loopGapMinBytes: 0 })).some((k) => k.startsWith('loop-file-not-shrinking@1')), true, 'with no gap required the ls line is flagged');
  });

  test('the per-segment cache follows threshold changes', () => {
    const doc = docOf('user-transcript');
    const diagnostics = new TranscriptDiagnostics(doc);
    const a = diagnostics.compute(DEFAULT_THRESHOLDS).length;
    const b = diagnostics.compute(normaliseThresholds({ dataWarning: 0 })).length;
    const c = diagnostics.compute(DEFAULT_THRESHOLDS).length;
    assert.equal(a, 3);
    assert.equal(b, 6);
    assert.equal(c, 3);
  });
});

describe('loop file correlation', () => {
  test('proven link: losetup + pool table (data device 7:0), not assumed', () => {
    const doc = text([
      '# dmsetup table',
      'labvg-pool: 0 2097152 thin-pool 7:1 7:0 128 2048 0 ',
      '# dmsetup status',
      'labvg-pool: 0 2097152 thin-pool 3 850/8192 400/16384 - rw no_discard_passdown queue_if_no_space - 1024 ',
      '# losetup -l',
      'NAME       SIZELIMIT OFFSET AUTOCLEAR RO BACK-FILE                   DIO LOG-SEC',
      '/dev/loop0         0      0         0  0 /mnt/host-ext4/lab-data.img   0     512',
      '# ls -ls /mnt/host-ext4/lab-data.img',
      '281280 -rw-r--r-- 1 root root 1073741824 Nov 12 11:52 /mnt/host-ext4/lab-data.img',
      '# du -h /mnt/host-ext4/lab-data.img',
      '1.1G\t/mnt/host-ext4/lab-data.img',
    ]);
    const fs = run(doc).filter((f) => f.code === 'loop-file-not-shrinking');
    // ls: 281280 KiB = 274.7 MiB vs 400 × 64 KiB = 25 MiB: ratio > 1.5 but the gap is below 1 GiB; du: 1.1 GiB - 25 MiB > 1 GiB.
    assert.deepEqual(fs.map((f) => [f.range.start.line, f.related?.[0]?.message]), [[10, 'status of labvg-pool']]);
  });

  test('docker info links the data loop file to the pool by name', () => {
    const doc = text([
      '# dmsetup status',
      'docker-253:1-8790943-pool: 0 209715200 thin-pool 339 876/524288 3243/1638400 - rw discard_passdown queue_if_no_space ',
      '# docker info',
      ' Pool Name: docker-253:1-8790943-pool',
      ` Data loop file: ${D}`,
      `# ls -lsh ${D}`,
      `1.6G -rw------- 1 root root 200G Nov 12 11:52 ${D}`,
    ]);
    const f = run(doc).find((x) => x.code === 'loop-file-not-shrinking');
    assert.ok(f);
    assert.deepEqual(f.related, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, message: 'status of docker-253:1-8790943-pool' }]);
  });

  test('no pool in the document: no loop-file finding', () => {
    const doc = text([`# ls -lsh ${D}`, `1.6G -rw------- 1 root root 200G Nov 12 11:52 ${D}`]);
    assert.deepEqual(keysOf(doc), []);
  });
});
