/**
 * Hover on a log line: meaning, remedy, severity, origin, versions, link and
 * the line's values with computed figures (issue 5 §4).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeLog, logHoverAt, matchLogLine } from '../../server/src/core/logs/index.js';

const LWM = '[   64.772053] device-mapper: thin: 253:0: reached low water mark for data device: sending event.';
const GROW = '[   65.409656] device-mapper: thin: 253:0: growing the data device from 1024 to 3072 blocks';
const MIN_FREE = 'Mar 05 11:42:17 dockerhost dockerd[812]: time="2024-03-05T11:42:17Z" level=error msg="Handler for POST /v1.41/images/create returned error: devmapper: Thin Pool has 162394 free data blocks which is less than minimum required 163840 free data blocks. Create more free space in thin pool or use dm.min_free_space option to change behavior"';

function at(line: string, text: string, offset = 1): number {
  const i = line.indexOf(text);
  assert.ok(i >= 0, text);
  return i + offset;
}

describe('log hover', () => {
  test('on the pool: device-mapper minor, meaning, remedy, severity, origin, link, source', () => {
    const h = logHoverAt([LWM], 0, at(LWM, '253:0'));
    assert.ok(h);
    assert.deepEqual(h.range, { start: { line: 0, character: 36 }, end: { line: 0, character: 41 } });
    assert.equal(LWM.slice(36, 41), '253:0');
    for (const part of ['**Pool reached the low water mark for data** · Warning · kernel · `thin-low-water-mark`', 'device-mapper minor 0', '`/dev/dm-0`', '**What to do:** Extend the pool now', '(https://docs.kernel.org/admin-guide/device-mapper/thin-provisioning.html)', '_Source: devicemapper.md §5.3 #54']) {
      assert.ok(h.markdown.includes(part), `missing ${part}\n${h.markdown}`);
    }
    assert.ok(h.markdown.includes('**`pool`** = `253:0`'), 'the hovered value is first and bold');
  });

  test('elsewhere in the message: the whole message is the range', () => {
    const h = logHoverAt(LWM, 0, at(LWM, 'low water'));
    assert.deepEqual(h?.range, { start: { line: 0, character: 15 }, end: { line: 0, character: LWM.length } });
  });

  test('free blocks against the minimum: percentage and shortfall', () => {
    const h = logHoverAt(MIN_FREE, 0, at(MIN_FREE, '162394'))!;
    assert.equal(MIN_FREE.slice(h.range.start.character, h.range.end.character), '162394');
    for (const part of ['Thin Pool has 162394 free data blocks, less than the minimum 163840 (99.1 % of the minimum; dm.min_free_space)', '162,394 of the 163,840 required = 99.1 % of the minimum; 1,446 blocks short', 'Printed by: 1.11+', '· Error · dockerd ·']) {
      assert.ok(h.markdown.includes(part), `missing ${part}\n${h.markdown}`);
    }
  });

  test('growth: factor and sizes', () => {
    const h = logHoverAt(GROW, 0, at(GROW, '3072'))!;
    assert.ok(h.markdown.includes('1,024 → 3,072 blocks: 3× (+2,048 blocks)'), h.markdown);
    assert.ok(h.markdown.includes('64 MiB → 192 MiB'), h.markdown);
    const meta = '[   65.4] device-mapper: thin: 253:0: growing the metadata device from 2048 to 4096 blocks';
    assert.ok(logHoverAt(meta, 0, at(meta, '4096'))!.markdown.includes('8 MiB → 16 MiB (4 KiB metadata blocks)'));
  });

  test('sectors become bytes; block sizes in sectors become bytes', () => {
    const discard = '[   48.758789] operation not supported error, dev loop0, sector 100224 op 0x3:(DISCARD) flags 0x0 phys_seg 1 prio class 2';
    const h = logHoverAt(discard, 0, at(discard, '100224'))!;
    assert.ok(h.markdown.includes('sector 100,224 × 512 B = byte offset 51,314,688 (48.9 MiB) into the device, i.e. into its backing file'), h.markdown);
    assert.ok(h.markdown.includes('`/dev/loop0`, a loop device'), h.markdown);
    const bs = 'device-mapper: thin metadata: changing the data block size (from 128 to 256) is not supported';
    assert.ok(logHoverAt(bs, 0, at(bs, '128'))!.markdown.includes('128 sectors × 512 B = 64 KiB per block'));
  });

  test('errno, dmeventd percentage, ioctl version, libdevmapper level', () => {
    const op = "device-mapper: thin: 253:3: metadata operation 'dm_pool_commit_metadata' failed: error = -28";
    assert.ok(logHoverAt(op, 0, at(op, '-28'))!.markdown.includes('ENOSPC (no space left on device)'));
    const dme = 'WARNING: Thin pool vg-pool-tpool data is now 96.10% full.';
    assert.ok(logHoverAt(dme, 0, at(dme, '96.10'))!.markdown.includes('may unmount at 95 % (reached)'));
    const io = '[    2.688651] device-mapper: ioctl: 4.47.0-ioctl (2022-07-28) initialised: dm-devel@redhat.com';
    assert.ok(logHoverAt(io, 0, at(io, '4.47.0'))!.markdown.includes('4.47.0 ≥ 4.27.0: deferred removal is supported'));
    const libdm = 'time="2019-03-05T10:11:12Z" level=error msg="libdevmapper(3): ioctl/libdm-iface.c:1927 (-1) device-mapper: message ioctl on docker-253:0-1048578-pool  failed: Device or resource busy"';
    const h = logHoverAt(libdm, 0, at(libdm, 'Device or'))!;
    assert.ok(h.markdown.includes('3 = error'), h.markdown);
    assert.ok(h.markdown.includes('EBUSY: something holds the device open'), h.markdown);
  });

  test('the episode is named when the analysis is given', () => {
    const lines = [LWM, '[   64.972134] device-mapper: thin: 253:0: switching pool to out-of-data-space (error IO) mode', '[   65.409561] device-mapper: thin: 253:0: switching pool to write mode', GROW];
    const a = analyzeLog(lines);
    const h = logHoverAt(lines, 1, 40, { analysis: a })!;
    assert.ok(h.markdown.includes('**Episode** (lines 1–4): pool 253:0: out of data space (error), grown 1024 → 3072 blocks'), h.markdown);
  });

  test('lines as one text; a match instead of a character; a precomputed match', () => {
    const text = `hello\r\n${LWM}\r\nbye`;
    const h = logHoverAt(text, 1, at(LWM, '253:0'));
    assert.equal(h?.range.start.character, 36);
    const m = matchLogLine(LWM)!;
    assert.deepEqual(logHoverAt([LWM], 0, m)?.range, { start: { line: 0, character: 15 }, end: { line: 0, character: LWM.length } });
    assert.equal(logHoverAt(['something else'], 0, 20, { match: m })?.range.start.character, 15);
  });

  test('no hover on the timestamp, on unrelated lines, or outside the document', () => {
    assert.equal(logHoverAt([LWM], 0, 3), undefined);
    assert.equal(logHoverAt(['Mar 05 10:00:00 host systemd[1]: Started.'], 0, 30), undefined);
    assert.equal(logHoverAt([LWM], 5, 30), undefined);
    assert.equal(logHoverAt('a\nb', 7, 0), undefined);
    assert.equal(logHoverAt([LWM], 0, Number.NaN), undefined);
  });

  test('a value inside an escaped logrus message: the range covers its raw characters', () => {
    const line = 'time="2019-03-05T10:11:12Z" level=error msg="failed to start daemon: error initializing graphdriver: strconv.ParseBool: parsing \\"yes\\": invalid syntax"';
    const h = logHoverAt(line, 0, at(line, 'yes'))!;
    assert.equal(line.slice(h.range.start.character, h.range.end.character), 'yes');
    assert.ok(h.markdown.includes('Invalid boolean "yes"'), h.markdown);
  });

  test('a line longer than 16 KiB says it was cut', () => {
    const long = `${LWM} ${'x'.repeat(20_000)}`;
    const h = logHoverAt(long, 0, at(long, '253:0'))!;
    assert.ok(h.markdown.includes('only its first 16 KiB were read'));
  });
});
