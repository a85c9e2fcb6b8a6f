import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { formatBinary, formatCount, formatPercent } from '../../server/src/core/index.js';
import { describeDevNumber, parseCoreutilsSize, parseDockerSize, parseUnsigned, METADATA_BLOCK_BYTES, SECTOR_BYTES } from '../../server/src/core/text/units.js';

const GiB = 1024 ** 3;

function near(actual: number | undefined, expected: number, label: string): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= Math.abs(expected) * 1e-12, `${label}: ${actual} ≠ ${expected}`);
}

describe('formatBinary', () => {
  test('bytes, binary units, three significant digits with trailing zeros trimmed', () => {
    const cases: [number, string][] = [
      [0, '0 B'],
      [1, '1 B'],
      [512, '512 B'],
      [1023, '1023 B'],
      [1024, '1 KiB'],
      [1536, '1.5 KiB'],
      [10.5 * 1024, '10.5 KiB'],
      [65536, '64 KiB'],
      [100.4 * 1024, '100 KiB'],
      [26115 * 65536, '1.59 GiB'],
      [3.42 * 1024 ** 2, '3.42 MiB'],
      [200 * GiB, '200 GiB'],
      [2 * GiB, '2 GiB'],
      [1.6 * GiB, '1.6 GiB'],
      [1024 ** 4, '1 TiB'],
      [2 ** 64, '16 EiB'],
      [1024 ** 7, '1024 EiB'],
    ];
    for (const [bytes, text] of cases) assert.equal(formatBinary(bytes), text, String(bytes));
  });

  test('negative and unrepresentable values', () => {
    assert.equal(formatBinary(-1024), '-1 KiB');
    assert.equal(formatBinary(-1536), '-1.5 KiB');
    assert.equal(formatBinary(Number.NaN), 'an unrepresentable size');
    assert.equal(formatBinary(Number.POSITIVE_INFINITY), 'an unrepresentable size');
  });

  test('a value that rounds up to 1024 moves to the next unit', () => {
    assert.equal(formatBinary(1048575), '1 MiB');
    assert.equal(formatBinary(1024 ** 3 - 1), '1 GiB');
  });

  test('unit constants', () => {
    assert.equal(SECTOR_BYTES, 512);
    assert.equal(METADATA_BLOCK_BYTES, 4096);
  });
});

describe('formatPercent', () => {
  test('one decimal below 10 %, none above, <0.1 % for tiny shares', () => {
    const cases: [number, string][] = [
      [0, '0 %'],
      [0.0005, '<0.1 %'],
      [0.00079, '<0.1 %'],
      [0.001, '0.1 %'],
      [0.008, '0.8 %'],
      [26115 / 3276800, '0.8 %'],
      [0.0797, '8 %'],
      [0.099, '9.9 %'],
      [0.0996, '10 %'],
      [4391 / 16384, '27 %'],
      [0.5, '50 %'],
      [1, '100 %'],
      [1.5, '150 %'],
    ];
    for (const [ratio, text] of cases) assert.equal(formatPercent(ratio), text, String(ratio));
    assert.equal(formatPercent(Number.NaN), 'n/a');
    assert.equal(formatPercent(Number.POSITIVE_INFINITY), 'n/a');
  });
});

describe('formatCount', () => {
  test('thousands separators, locale-independent', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [999, '999'],
      [1000, '1,000'],
      [26115, '26,115'],
      [3276800, '3,276,800'],
      [-1234567, '-1,234,567'],
      [1234.5, '1,234.5'],
      [98_300_000_000, '98,300,000,000'],
    ];
    for (const [n, text] of cases) assert.equal(formatCount(n), text, String(n));
    assert.equal(formatCount(Number.NaN), 'NaN');
  });
});

describe('parseDockerSize (decimal HumanSize)', () => {
  test('with and without the space, every era', () => {
    assert.equal(parseDockerSize('65.54kB'), 65540);
    near(parseDockerSize('10.74 GB'), 10.74e9, '10.74 GB');
    assert.equal(parseDockerSize('0B'), 0);
    assert.equal(parseDockerSize('0 B'), 0);
    near(parseDockerSize('107.4GB'), 107.4e9, '107.4GB');
    near(parseDockerSize('2.147 GB'), 2.147e9, '2.147 GB');
    assert.equal(parseDockerSize('524.3kB'), 524300);
    assert.equal(parseDockerSize(' 17.91MB '), 17910000);
    assert.equal(parseDockerSize('1.2 TB'), 1.2e12);
    assert.equal(parseDockerSize('512B'), 512);
    assert.equal(parseDockerSize('65.54 KB'), 65540, 'unit letters are case-insensitive');
  });

  test('not Docker sizes', () => {
    for (const s of ['', 'abc', '12', '10.74 GiB', '1e3B', '-1kB', '10.74  GB', 'GB']) assert.equal(parseDockerSize(s), undefined, JSON.stringify(s));
  });
});

describe('parseCoreutilsSize (binary, one-letter suffixes)', () => {
  test('ls -h / du -h sizes', () => {
    assert.equal(parseCoreutilsSize('1.6G'), 1.6 * GiB);
    assert.equal(parseCoreutilsSize('200G'), 200 * GiB);
    assert.equal(parseCoreutilsSize('4.0K'), 4096);
    assert.equal(parseCoreutilsSize('4k'), 4096);
    assert.equal(parseCoreutilsSize('0'), 0);
    assert.equal(parseCoreutilsSize('0B'), 0);
    assert.equal(parseCoreutilsSize('64K'), 65536);
    assert.equal(parseCoreutilsSize('2.0M'), 2 * 1024 ** 2);
    assert.equal(parseCoreutilsSize('16G'), 16 * GiB);
    assert.equal(parseCoreutilsSize('1T'), 1024 ** 4);
    assert.equal(parseCoreutilsSize('1,5G'), 1.5 * GiB, 'decimal comma of some locales');
    assert.equal(parseCoreutilsSize('1.6GiB'), 1.6 * GiB);
  });

  test('not coreutils sizes', () => {
    for (const s of ['', 'x', '1.6 G', 'G', '1.6Q', '-1K']) assert.equal(parseCoreutilsSize(s), undefined, JSON.stringify(s));
  });
});

describe('parseUnsigned', () => {
  test('exact up to 2^53, kept but inexact beyond, rejected when not a plain integer', () => {
    assert.deepEqual(parseUnsigned('0'), { value: 0, exact: true });
    assert.deepEqual(parseUnsigned('9007199254740991'), { value: 9007199254740991, exact: true });
    assert.deepEqual(parseUnsigned('9007199254740993'), { value: 9007199254740992, exact: false });
    assert.equal(parseUnsigned('99999999999999999999')?.exact, false);
    assert.equal(parseUnsigned('1'.repeat(40))?.exact, false);
    for (const s of ['', 'x', '-1', '1.5', '1'.repeat(41), ' 1']) assert.equal(parseUnsigned(s), undefined, JSON.stringify(s));
  });
});

describe('describeDevNumber', () => {
  test('loop, SCSI disks and partitions, dynamic dm majors, others', () => {
    assert.equal(describeDevNumber(7, 1), 'loop1 (/dev/loop1)');
    assert.equal(describeDevNumber(7, 0), 'loop0 (/dev/loop0)');
    assert.equal(describeDevNumber(8, 0), '/dev/sda (SCSI/SATA disk)');
    assert.equal(describeDevNumber(8, 16), '/dev/sdb (SCSI/SATA disk)');
    assert.equal(describeDevNumber(8, 17), '/dev/sdb1 (SCSI/SATA disk)');
    assert.equal(describeDevNumber(8, 32), '/dev/sdc (SCSI/SATA disk)');
    assert.equal(describeDevNumber(253, 0), 'dm-0 (/dev/dm-0) if major 253 is device-mapper on this host (it is a dynamic major)');
    assert.equal(describeDevNumber(252, 3), 'dm-3 (/dev/dm-3) if major 252 is device-mapper on this host (it is a dynamic major)');
    assert.match(describeDevNumber(254, 1), /^dm-1 \(\/dev\/dm-1\) if major 254/);
    assert.equal(describeDevNumber(259, 3), 'blkext (NVMe, partitions beyond 15), minor 3');
    assert.equal(describeDevNumber(9, 0), 'md (software RAID), minor 0');
    assert.equal(describeDevNumber(202, 16), 'xvd (Xen virtual disk), minor 16');
    assert.equal(describeDevNumber(1234, 5), 'block device 1234:5');
  });
});
