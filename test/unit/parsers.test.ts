import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseDmTargetLine } from '../../server/src/core/parsers/dmTargetLine.js';
import { parseDmLs, parseDmTree } from '../../server/src/core/parsers/dmsetupLs.js';
import { parseDmDeps, parseDmInfoField, parseDmMessage, parseDmTargets, parseDmVersion } from '../../server/src/core/parsers/dmsetupMisc.js';
import { parseColumnsHeader, parseColumnsRow } from '../../server/src/core/parsers/columns.js';
import { parseDockerInfo, parseDockerWarning } from '../../server/src/core/parsers/dockerInfo.js';
import { parseDuLine, parseLsLine, parseStatLine } from '../../server/src/core/parsers/fileSizes.js';
import { parseKernelLog } from '../../server/src/core/parsers/kernelLog.js';
import { parseLosetupA } from '../../server/src/core/parsers/losetup.js';
import { num, devno, parenDevno } from '../../server/src/core/parsers/numbers.js';
import { isPromptLine, parsePrompt, promptLength } from '../../server/src/core/parsers/prompt.js';
import type { ColumnsHeader, DmTargetLine, ThinPoolStatus, ThinPoolTable, ThinStatus, ThinTable, LinearTable } from '../../server/src/core/transcript/lineTypes.js';
import { TranscriptDocument } from '../../server/src/core/index.js';
import { spans, docOf, FIXTURES } from './helpers.js';

type Tok = [string, number, number, string];

/** Expected tokens, located by searching each text left to right in the line (an independent oracle for the offsets). */
function seq(line: string, expected: [role: string, text: string][]): Tok[] {
  let cursor = 0;
  return expected.map(([role, text]) => {
    const start = line.indexOf(text, cursor);
    assert.ok(start >= 0, `test bug: ${JSON.stringify(text)} not in ${JSON.stringify(line)}`);
    cursor = start + text.length;
    return [role, start, start + text.length, text];
  });
}

function target(line: string, ctx?: Parameters<typeof parseDmTargetLine>[1]): DmTargetLine {
  const p = parseDmTargetLine(line, ctx);
  assert.ok(p, `not parsed: ${JSON.stringify(line)}`);
  return p;
}

function poolStatus(p: DmTargetLine): ThinPoolStatus {
  assert.equal(p.params.form, 'thin-pool-status');
  return p.params;
}

describe('dmsetup status/table lines: thin-pool status in every kernel form', () => {
  test('moby#3182 line (7 fields, name with colons, trailing space)', () => {
    const line = 'docker-253:3-247472-pool: 0 209715200 thin-pool 79 179/524288 4688/1638400 - rw discard_passdown queue_if_no_space ';
    const p = target(line);
    assert.equal(p.source, 'status');
    assert.deepEqual(p.device, { name: 'docker-253:3-247472-pool', span: { start: 0, end: 24 }, fromCommand: false });
    assert.deepEqual(spans(p), [
      ['device.name', 0, 24, 'docker-253:3-247472-pool'],
      ['target.start', 26, 27, '0'],
      ['target.length', 28, 37, '209715200'],
      ['target.type', 38, 47, 'thin-pool'],
      ['pool.transaction', 48, 50, '79'],
      ['pool.metadata', 51, 61, '179/524288'],
      ['pool.data', 62, 74, '4688/1638400'],
      ['pool.heldRoot', 75, 76, '-'],
      ['pool.mode', 77, 79, 'rw'],
      ['pool.discard', 80, 96, 'discard_passdown'],
      ['pool.noSpace', 97, 114, 'queue_if_no_space'],
    ]);
    const s = poolStatus(p);
    assert.equal(s.transaction?.value, 79);
    assert.deepEqual([s.metaUsed?.value, s.metaTotal?.value, s.dataUsed?.value, s.dataTotal?.value], [179, 524288, 4688, 1638400]);
    assert.deepEqual(s.metaUsed?.span, { start: 51, end: 54 });
    assert.deepEqual(s.metaTotal?.span, { start: 55, end: 61 });
    assert.deepEqual(s.dataSpan, { start: 62, end: 74 });
    assert.deepEqual(s.heldRoot, { held: false, span: { start: 75, end: 76 }, value: undefined });
    assert.equal(s.needsCheck, undefined);
    assert.equal(s.metaLowWater, undefined);
    assert.deepEqual(s.unknown, []);
    assert.equal(s.problem, undefined);
  });

  test('4 fields (kernel 3.2): numbers and held root only', () => {
    const line = '0 2097152 thin-pool 0 105/4096 0/16384 -';
    const p = target(line);
    assert.deepEqual(spans(p), seq(line, [
      ['target.start', '0'], ['target.length', '2097152'], ['target.type', 'thin-pool'], ['pool.transaction', '0'],
      ['pool.metadata', '105/4096'], ['pool.data', '0/16384'], ['pool.heldRoot', '-'],
    ]));
    const s = poolStatus(p);
    assert.equal(s.mode, undefined);
    assert.equal(s.discard, undefined);
    assert.equal(s.problem, undefined);
  });

  test('3 fields (truncated after the data pair) is tolerated', () => {
    const s = poolStatus(target('0 409600 thin-pool 7 13/65536 10/3200'));
    assert.equal(s.dataUsed?.value, 10);
    assert.equal(s.heldRoot, undefined);
    assert.equal(s.problem, undefined);
  });

  test('6 fields (kernel ~3.6-3.13): mode then discard', () => {
    const line = 'k36-pool: 0 2097152 thin-pool 1 200/4096 100/16384 - rw discard_passdown ';
    const p = target(line);
    const s = poolStatus(p);
    assert.deepEqual(s.mode, { value: 'rw', span: { start: line.indexOf(' rw ') + 1, end: line.indexOf(' rw ') + 3 } });
    assert.equal(s.discard?.value, 'discard_passdown');
    assert.equal(s.noSpace, undefined);
  });

  test('8 fields (needs_check as "-") and 9 fields (metadata low water mark)', () => {
    const eight = 'p: 0 8 thin-pool 1 2/3 4/5 - rw discard_passdown queue_if_no_space - ';
    const s8 = poolStatus(target(eight));
    assert.deepEqual(s8.needsCheck, { value: false, span: { start: 67, end: 68 } });
    assert.equal(s8.metaLowWater, undefined);

    const nine = 'labvg-pool: 0 2097152 thin-pool 3 856/8192 4391/16384 - rw discard_passdown queue_if_no_space - 1024 ';
    const p9 = target(nine);
    assert.deepEqual(spans(p9), seq(nine, [
      ['device.name', 'labvg-pool'], ['target.start', '0'], ['target.length', '2097152'], ['target.type', 'thin-pool'],
      ['pool.transaction', '3'], ['pool.metadata', '856/8192'], ['pool.data', '4391/16384'], ['pool.heldRoot', '-'],
      ['pool.mode', 'rw'], ['pool.discard', 'discard_passdown'], ['pool.noSpace', 'queue_if_no_space'],
      ['pool.needsCheck', '-'], ['pool.metaLowWater', '1024'],
    ]));
    const s9 = poolStatus(p9);
    assert.equal(s9.metaLowWater?.value, 1024);
    assert.deepEqual(s9.metaLowWater?.span, { start: 96, end: 100 });
  });

  test('held metadata root, out_of_data_space, error_if_no_space, needs_check, ro, ignore_discard', () => {
    const held = poolStatus(target('0 2097152 thin-pool 3 857/8192 4391/16384 115 rw discard_passdown queue_if_no_space - 1024 '));
    assert.deepEqual(held.heldRoot, { held: true, span: { start: 42, end: 45 }, value: 115 });

    const oos = poolStatus(target('0 131072 thin-pool 0 219/2048 1024/1024 - out_of_data_space discard_passdown error_if_no_space - 512 '));
    assert.deepEqual(oos.mode, { value: 'out_of_data_space', span: { start: 42, end: 59 } });
    assert.deepEqual(oos.noSpace, { value: 'error_if_no_space', span: { start: 77, end: 94 } });

    const line = '0 2097152 thin-pool 3 3300/4096 300/16384 - ro ignore_discard queue_if_no_space needs_check ';
    const bad = poolStatus(target(line));
    assert.equal(bad.mode?.value, 'ro');
    assert.equal(bad.discard?.value, 'ignore_discard');
    assert.deepEqual(bad.needsCheck, { value: true, span: { start: 80, end: 91 } });
  });

  test('keywords after the numbers are order-independent', () => {
    const s = poolStatus(target('0 8 thin-pool 1 2/3 4/5 - queue_if_no_space no_discard_passdown rw'));
    assert.equal(s.mode?.value, 'rw');
    assert.equal(s.discard?.value, 'no_discard_passdown');
    assert.equal(s.noSpace?.value, 'queue_if_no_space');
  });

  test('unknown words are recorded with their spans', () => {
    const line = '0 8 thin-pool 1 2/3 4/5 - rw discard_passdown queue_if_no_space - 1024 frobnicate';
    const p = target(line);
    const s = poolStatus(p);
    // "1024" is not the last word any more, so it is unknown too.
    assert.deepEqual(s.unknown, [{ start: 66, end: 70 }, { start: 71, end: 81 }]);
    assert.deepEqual(spans(p).slice(-2), [['pool.unknown', 66, 70, '1024'], ['pool.unknown', 71, 81, 'frobnicate']]);
  });

  test('whole-status Fail and Error, with and without a name and trailing space', () => {
    for (const [line, word] of [
      ['failed-pool: 0 2097152 thin-pool Fail', 'Fail'],
      ['0 209715200 thin-pool Fail ', 'Fail'],
      ['broken-pool: 0 2097152 thin-pool Error', 'Error'],
      ['0 209715200 thin-pool Error ', 'Error'],
      // libdm: "Error" anywhere in the line means error
      ['0 8 thin-pool 1 2/3 Error', 'Error'],
    ] as const) {
      const p = target(line);
      const s = poolStatus(p);
      assert.equal(s.special, word, line);
      const start = line.lastIndexOf(word);
      assert.deepEqual(spans(p).at(-1), ['pool.special', start, start + word.length, word], line);
      assert.equal(s.dataUsed, undefined);
    }
  });

  test('problems: too few fields, non-numeric pairs, used > total, zero totals', () => {
    const truncated = poolStatus(target('pool: 0 209715200 thin-pool 79 179/52'));
    assert.match(truncated.problem ?? '', /this line has 2 fields/);
    assert.deepEqual(truncated.unknown, [{ start: 31, end: 37 }]);

    assert.match(poolStatus(target('0 8 thin-pool 1 x/3 4/5 - rw')).problem ?? '', /whole numbers/);
    assert.match(poolStatus(target('0 8 thin-pool 1 2/3 6/5 - rw')).problem ?? '', /used data blocks \(6\/5\) exceed the total/);
    assert.match(poolStatus(target('0 8 thin-pool 1 4/3 2/5 - rw')).problem ?? '', /used metadata blocks \(4\/3\) exceed the total/);
    assert.match(poolStatus(target('0 8 thin-pool 1 2/3 0/0 - rw')).problem ?? '', /0 data blocks/);
    assert.match(poolStatus(target('0 8 thin-pool 1 0/0 0/5 - rw')).problem ?? '', /0 metadata blocks/);
    assert.match(poolStatus(target('0 8 thin-pool', { source: 'status' })).problem ?? '', /this line has 0 fields/);
  });

  test('numbers beyond 2^53 are kept but marked inexact', () => {
    const s = poolStatus(target('0 8 thin-pool 1 99999999999999999999/99999999999999999999 5/10 - rw'));
    assert.equal(s.metaUsed?.exact, false);
    assert.equal(s.metaTotal?.exact, false);
    assert.equal(s.dataUsed?.exact, true);
    assert.equal(num({ start: 0, end: 16, text: '9007199254740993' })?.exact, false);
    assert.equal(num({ start: 0, end: 16, text: '9007199254740991' })?.exact, true);
    assert.equal(num({ start: 0, end: 41, text: '1'.repeat(41) }), undefined);
  });
});

describe('dmsetup table lines', () => {
  test('thin-pool table with one feature (Docker loop mode, moby#3182)', () => {
    const line = 'docker-253:3-247472-pool: 0 209715200 thin-pool 7:1 7:0 128 32768 1 skip_block_zeroing ';
    const p = target(line);
    assert.equal(p.source, 'table');
    assert.deepEqual(spans(p), [
      ['device.name', 0, 24, 'docker-253:3-247472-pool'],
      ['target.start', 26, 27, '0'],
      ['target.length', 28, 37, '209715200'],
      ['target.type', 38, 47, 'thin-pool'],
      ['table.metaDev', 48, 51, '7:1'],
      ['table.dataDev', 52, 55, '7:0'],
      ['table.blockSize', 56, 59, '128'],
      ['table.lowWater', 60, 65, '32768'],
      ['table.featureCount', 66, 67, '1'],
      ['table.feature', 68, 86, 'skip_block_zeroing'],
    ]);
    const t = p.params as ThinPoolTable;
    assert.deepEqual(t.metaDev.devno, { major: 7, minor: 1, span: { start: 48, end: 51 } });
    assert.deepEqual(t.dataDev.devno, { major: 7, minor: 0, span: { start: 52, end: 55 } });
    assert.deepEqual(t.features, [{ value: 'skip_block_zeroing', span: { start: 68, end: 86 } }]);
    assert.equal(t.problem, undefined);
  });

  test('featureless table ends in "0 " (trailing space)', () => {
    const line = 'labvg-pool: 0 2097152 thin-pool 7:1 7:0 128 2048 0 ';
    const p = target(line);
    const t = p.params as ThinPoolTable;
    assert.equal(t.form, 'thin-pool-table');
    assert.equal(t.featureCount?.value, 0);
    assert.deepEqual(t.features, []);
    assert.deepEqual(spans(p).at(-1), ['table.featureCount', 49, 50, '0']);
    assert.equal(t.problem, undefined);
  });

  test('table with paths (dmsetup create form) and several features', () => {
    const t = target('0 131072 thin-pool /dev/loop1 /dev/loop0 128 256 1 error_if_no_space').params as ThinPoolTable;
    assert.equal(t.form, 'thin-pool-table');
    assert.equal(t.dataDev.text, '/dev/loop0');
    assert.equal(t.dataDev.devno, undefined);
    const many = target('p: 0 8 thin-pool 253:4 253:5 1024 32768 3 ignore_discard no_discard_passdown read_only').params as ThinPoolTable;
    assert.deepEqual(many.features.map((f) => f.value), ['ignore_discard', 'no_discard_passdown', 'read_only']);
    assert.equal(many.problem, undefined);
  });

  test('table problems: bad block size, feature count mismatch, missing fields', () => {
    assert.match((target('0 8 thin-pool 7:1 7:0 100 2048 0', { source: 'table' }).params as ThinPoolTable).problem ?? '', /block size 100 sectors/);
    assert.match((target('0 8 thin-pool 7:1 7:0 4194304 2048 0', { source: 'table' }).params as ThinPoolTable).problem ?? '', /outside 128/);
    assert.match((target('0 8 thin-pool 7:1 7:0 128 2048 2 skip_block_zeroing', { source: 'table' }).params as ThinPoolTable).problem ?? '', /feature count says 2 but 1 feature word follow/);
    assert.match((target('0 8 thin-pool 7:1 7:0', { source: 'table' }).params as ThinPoolTable).problem ?? '', /needs/);
  });

  test('thin table with and without external origin', () => {
    const line = 'ext: 0 4194304 thin 253:0 7 8:16';
    const p = target(line);
    assert.equal(p.source, 'table');
    assert.deepEqual(spans(p).slice(-3), seq(line, [['thin.poolDev', '253:0'], ['thin.devId', '7'], ['thin.origin', '8:16']]));
    const t = p.params as ThinTable;
    assert.equal(t.devId?.value, 7);
    assert.deepEqual(t.origin?.devno, { major: 8, minor: 16, span: { start: 28, end: 32 } });
    const plain = target('labvg-snap1: 0 4194304 thin 253:0 3').params as ThinTable;
    assert.equal(plain.origin, undefined);
    assert.equal(target('0 2097152 thin /dev/mapper/docker-253:0-1311739-pool 42').params.form, 'thin-table');
  });

  test('linear table and the empty linear status (trailing space)', () => {
    const line = 'vg-lv: 1000 2000 linear 8:32 2048';
    const p = target(line);
    assert.equal(p.source, 'table');
    assert.deepEqual(spans(p), seq(line, [['device.name', 'vg-lv'], ['target.start', '1000'], ['target.length', '2000'], ['target.type', 'linear'], ['linear.dev', '8:32'], ['linear.offset', '2048']]));
    assert.deepEqual((p.params as LinearTable).dev.devno, { major: 8, minor: 32, span: { start: 24, end: 28 } });

    const st = target('vgdocker-lvdocker: 0 62906368 linear ');
    assert.equal(st.source, 'status');
    assert.equal(st.params.form, 'empty-status');
    assert.deepEqual(spans(st), [['device.name', 0, 17, 'vgdocker-lvdocker'], ['target.start', 19, 20, '0'], ['target.length', 21, 29, '62906368'], ['target.type', 30, 36, 'linear']]);
  });

  test('generic targets keep their parameters as tokens', () => {
    const line = 'vg-striped: 0 4096 striped 2 128 8:16 0 8:32 0';
    const p = target(line);
    assert.equal(p.params.form, 'generic');
    assert.deepEqual(spans(p).filter((t) => t[0] === 'generic.param').map((t) => t[3]), ['2', '128', '8:16', '0', '8:32', '0']);
    assert.equal(target('broken: 0 4096 error').params.form, 'generic');
    assert.equal(target('snap: 0 4096 snapshot Invalid').params.form, 'generic');
  });

  test('the command decides status vs table; the device argument names unprefixed lines', () => {
    const p = target('0 2097152 thin-pool 7:1 7:0 128 2048 0 ', { source: 'status', deviceArg: 'labvg-pool' });
    assert.equal(p.source, 'status');
    assert.deepEqual(p.device, { name: 'labvg-pool', span: { start: 0, end: 0 }, fromCommand: true });
    assert.equal(spans(p).some((t) => t[0] === 'device.name'), false, 'no device.name token for a name taken from the command');
  });

  test('not target lines', () => {
    for (const line of ['', 'hello world', '0 1', '0 1 2', 'x 0 1 thin', '0  2097152 thin-pool 1 2/3 4/5', ': 0 1 linear']) {
      assert.equal(parseDmTargetLine(line), undefined, JSON.stringify(line));
    }
  });
});

describe('thin status', () => {
  test('mapped and highest sectors', () => {
    const line = 'labvg-vol1: 0 4194304 thin 363648 4194303';
    const p = target(line);
    assert.deepEqual(spans(p).slice(-2), [['thin.mapped', 27, 33, '363648'], ['thin.highest', 34, 41, '4194303']]);
    const s = p.params as ThinStatus;
    assert.equal(s.mapped?.value, 363648);
  });

  test('"0 -": nothing mapped yet', () => {
    const p = target('0 2097152 thin 0 -');
    const s = p.params as ThinStatus;
    assert.equal(s.form, 'thin-status');
    assert.equal(s.mapped?.value, 0);
    assert.deepEqual(s.highest, { none: true, span: { start: 17, end: 18 } });
    assert.deepEqual(spans(p).slice(-2), [['thin.mapped', 15, 16, '0'], ['thin.highest', 17, 18, '-']]);
  });

  test('"-", Fail, Error as the whole status', () => {
    for (const word of ['-', 'Fail', 'Error'] as const) {
      const line = `0 2097152 thin ${word}`;
      const p = target(line);
      const s = p.params as ThinStatus;
      assert.equal(s.form, 'thin-status');
      assert.equal(s.special, word);
      assert.deepEqual(spans(p).at(-1), ['thin.special', 15, 15 + word.length, word]);
    }
  });
});

describe('dmsetup ls and ls --tree', () => {
  test('TAB and (maj:min)', () => {
    const p = parseDmLs('labvg-pool\t(253:0)', false);
    assert.ok(p);
    assert.deepEqual(spans(p), [['ls.name', 0, 10, 'labvg-pool'], ['devno', 11, 18, '(253:0)']]);
    assert.deepEqual(p.devno, { major: 253, minor: 0, span: { start: 11, end: 18 } });
    assert.equal(p.oldFormat, false);
  });

  test('old and --target form (253, 2), and (dm-N) with -o blkdevname', () => {
    const old = parseDmLs('docker-8:1-696417-pool\t(253, 2)', false);
    assert.ok(old);
    assert.equal(old.oldFormat, true);
    assert.deepEqual(spans(old), [['ls.name', 0, 22, 'docker-8:1-696417-pool'], ['devno', 23, 31, '(253, 2)']]);
    const blk = parseDmLs('labvg-vol1\t(dm-1)', false);
    assert.ok(blk);
    assert.equal(blk.blkdevname, 'dm-1');
    assert.equal(blk.devno, undefined);
    assert.deepEqual(spans(blk), [['ls.name', 0, 10, 'labvg-vol1'], ['devno', 11, 17, '(dm-1)']]);
  });

  test('spaces instead of the TAB: only inside a dmsetup ls block', () => {
    assert.equal(parseDmLs('labvg-pool    (253:0)', false), undefined);
    const p = parseDmLs('labvg-pool    (253:0)', true);
    assert.ok(p);
    assert.deepEqual(spans(p), [['ls.name', 0, 10, 'labvg-pool'], ['devno', 14, 21, '(253:0)']]);
    const doc = new TranscriptDocument('# dmsetup ls\nlabvg-pool    (253:0)\nlabvg-vol1      (253:1)\n');
    assert.deepEqual([1, 2].map((l) => doc.lineAt(l)?.kind), ['dm-ls', 'dm-ls']);
    assert.equal(doc.index.namesByDevno.get('253:1'), 'labvg-vol1');
    assert.equal(new TranscriptDocument('labvg-pool    (253:0)').lineAt(0)?.kind, 'text', 'outside an ls block the TAB is required');
  });

  test('tree, ASCII connectors (real 6.1 output)', () => {
    const root = parseDmTree('labvg-snap1 (253:3)');
    assert.ok(root);
    assert.equal(root.depth, 0);
    assert.deepEqual(spans(root), [['ls.name', 0, 11, 'labvg-snap1'], ['devno', 12, 19, '(253:3)']]);
    const child = parseDmTree(' `-labvg-pool (253:0)');
    assert.ok(child);
    assert.equal(child.depth, 1);
    assert.equal(child.name, 'labvg-pool');
    assert.deepEqual(spans(child), [['ls.name', 3, 13, 'labvg-pool'], ['devno', 14, 21, '(253:0)']]);
    const leaf = parseDmTree('    |- (7:0)');
    assert.ok(leaf);
    assert.equal(leaf.name, '');
    assert.deepEqual(leaf.devno, { major: 7, minor: 0, span: { start: 7, end: 12 } });
    assert.deepEqual(spans(leaf), [['devno', 7, 12, '(7:0)']]);
    assert.ok(parseDmTree('    `- (7:1)'));
  });

  test('tree, UTF-8 connectors ├─ └─ │', () => {
    const child = parseDmTree(' └─docker-253:0-1311739-pool (253:2)');
    assert.ok(child);
    assert.equal(child.depth, 1);
    assert.deepEqual(spans(child), [['ls.name', 3, 28, 'docker-253:0-1311739-pool'], ['devno', 29, 36, '(253:2)']]);
    const leaf = parseDmTree('    ├─ (7:1)');
    assert.ok(leaf);
    assert.deepEqual(spans(leaf), [['devno', 7, 12, '(7:1)']]);
    const nested = parseDmTree(' │ └─labvg-snap1 (253:3)');
    assert.ok(nested);
    assert.equal(nested.name, 'labvg-snap1');
    assert.deepEqual(spans(nested), [['ls.name', 5, 16, 'labvg-snap1'], ['devno', 17, 24, '(253:3)']]);
    assert.ok(parseDmTree('labvg-pool (253:0) [ACTIVE, RW, 3, LAB-POOL-0001]'), 'attributes after the number');
    assert.equal(parseDmTree('labvg-pool\t(253:0)'), undefined, 'a TAB means ls, not tree');
    assert.equal(parseDmTree('no device number here'), undefined);
  });

  test('tree leaf depth: a leaf under a depth-1 node is at depth 2', () => {
    assert.equal(parseDmTree('    |- (7:0)')?.depth, 2);
    assert.equal(parseDmTree('    ├─ (7:1)')?.depth, 2);
  });

  test('tree root with -o blkdevname (" <dm-N>" after the name) is a tree line', () => {
    const p = parseDmTree('labvg-pool <dm-0> (253:0) [ACTIVE, RW, 3, LAB-POOL-0001]');
    assert.ok(p, 'not parsed');
    assert.equal(p.name, 'labvg-pool');
    assert.deepEqual(p.devno, { major: 253, minor: 0, span: { start: 18, end: 25 } });
  });
});

describe('dmsetup info, info -c, deps, version, targets, messages', () => {
  test('info block fields (keys padded to column 20, UUID with one space)', () => {
    const name = parseDmInfoField('Name:              labvg-pool');
    assert.ok(name);
    assert.deepEqual(spans(name), [['info.key', 0, 4, 'Name'], ['info.value', 19, 29, 'labvg-pool']]);
    const mm = parseDmInfoField('Major, minor:      253, 0');
    assert.ok(mm);
    assert.deepEqual(spans(mm), [['info.key', 0, 12, 'Major, minor'], ['devno', 19, 25, '253, 0']]);
    assert.deepEqual(mm.devno, { major: 253, minor: 0, span: { start: 19, end: 25 } });
    const uuid = parseDmInfoField('UUID: LAB-POOL-0001');
    assert.ok(uuid);
    assert.deepEqual(spans(uuid), [['info.key', 0, 4, 'UUID'], ['info.value', 6, 19, 'LAB-POOL-0001']]);
    assert.equal(parseDmInfoField('State:             SUSPENDED (READ-ONLY)')?.value, 'SUSPENDED (READ-ONLY)');
    assert.equal(parseDmInfoField('Tables present:    LIVE & INACTIVE')?.value, 'LIVE & INACTIVE');
    assert.equal(parseDmInfoField('Colour:            blue'), undefined);
  });

  test('info -c header and rows: default columns with padded UUID, and -o order', () => {
    const header = parseColumnsHeader('Name             Maj Min Stat Open Targ Event  UUID                            ');
    assert.ok(header);
    assert.equal(header.table, 'dmsetup-info');
    assert.deepEqual(header.columns.map((c) => [c.name, c.start, c.end]), [['Name', 0, 4], ['Maj', 17, 20], ['Min', 21, 24], ['Stat', 25, 29], ['Open', 30, 34], ['Targ', 35, 39], ['Event', 40, 45], ['UUID', 47, 51]]);
    const row = parseColumnsRow('labvg-pool       253   0 L--w    3    1      0 LAB-POOL-0001                   ', header);
    assert.ok(row);
    assert.deepEqual(Object.fromEntries([...row.cells].map(([k, v]) => [k, [v.text, v.span.start, v.span.end]])), {
      Name: ['labvg-pool', 0, 10], Maj: ['253', 17, 20], Min: ['0', 23, 24], Stat: ['L--w', 25, 29], Open: ['3', 33, 34], Targ: ['1', 38, 39], Event: ['0', 45, 46], UUID: ['LAB-POOL-0001', 47, 60],
    });
    const empty = parseColumnsRow('pool-oos         253   0 L--w    1    1      2                                 ', header);
    assert.ok(empty);
    assert.equal(empty.cells.get('Event')?.text, '2');
    assert.equal(empty.cells.has('UUID'), false, 'an empty UUID cell stays empty');

    const h2 = parseColumnsHeader('Name             UUID                             Maj Min Open Targ Event  Stat');
    assert.ok(h2);
    const r2 = parseColumnsRow('labvg-snap1      LAB-THIN-3                       253   3    0    1      0 L--w', h2);
    assert.ok(r2);
    assert.deepEqual(['Name', 'UUID', 'Maj', 'Min', 'Open', 'Stat'].map((c) => r2.cells.get(c)?.text), ['labvg-snap1', 'LAB-THIN-3', '253', '3', '0', 'L--w']);
  });

  test('deps: (maj, min) and -o devname, with and without a name prefix', () => {
    const line = '2 dependencies\t: (7, 0) (7, 1)';
    const p = parseDmDeps(line);
    assert.ok(p);
    assert.deepEqual(spans(p), [['deps.count', 0, 1, '2'], ['devno', 17, 23, '(7, 0)'], ['devno', 24, 30, '(7, 1)']]);
    assert.deepEqual(p.deps.map((d) => d.devno && [d.devno.major, d.devno.minor]), [[7, 0], [7, 1]]);
    const named = parseDmDeps('docker-253:1-8790943-pool: 2 dependencies\t: (loop0) (loop1)');
    assert.ok(named);
    assert.equal(named.device, 'docker-253:1-8790943-pool');
    assert.deepEqual(spans(named), [['device.name', 0, 25, 'docker-253:1-8790943-pool'], ['deps.count', 27, 28, '2'], ['devno', 44, 51, '(loop0)'], ['devno', 52, 59, '(loop1)']]);
    assert.deepEqual(named.deps.map((d) => [d.text, d.devno]), [['loop0', undefined], ['loop1', undefined]]);
  });

  test('version and targets', () => {
    const lib = parseDmVersion('Library version:   1.02.185 (2022-05-18)');
    assert.ok(lib);
    assert.equal(lib.which, 'library');
    assert.deepEqual(spans(lib), [['version.value', 19, 40, '1.02.185 (2022-05-18)']]);
    const drv = parseDmVersion('Driver version:    4.47.0');
    assert.ok(drv);
    assert.deepEqual([drv.which, drv.version], ['driver', '4.47.0']);
    assert.deepEqual(spans(drv), [['version.value', 19, 25, '4.47.0']]);
    const t = parseDmTargets('thin-pool        v1.22.0');
    assert.ok(t);
    assert.deepEqual([t.name, t.version], ['thin-pool', '1.22.0']);
    assert.deepEqual(spans(t), [['targets.name', 0, 9, 'thin-pool']]);
    assert.equal(parseDmTargets('thin-pool 1.22.0'), undefined);
  });

  test('dmsetup messages', () => {
    assert.equal(parseDmMessage('No devices found')?.message, 'no-devices');
    assert.equal(parseDmMessage('Device does not exist.')?.message, 'no-such-device');
    assert.equal(parseDmMessage('Command failed.')?.message, 'command-failed');
    const e = parseDmMessage('device-mapper: message ioctl on docker-253:0-1311739-pool  failed: Device or resource busy');
    assert.ok(e);
    assert.equal(e.message, 'libdm-error');
    assert.deepEqual(spans(e), [['message.text', 0, 90, 'device-mapper: message ioctl on docker-253:0-1311739-pool  failed: Device or resource busy']]);
  });
});

describe('docker info', () => {
  test('one-space era (<= 18.09) with spaced units', () => {
    const p = parseDockerInfo(' Pool Blocksize: 65.54 kB', false);
    assert.ok(p);
    assert.deepEqual(spans(p), [['dockerInfo.key', 1, 15, 'Pool Blocksize'], ['dockerInfo.value', 17, 25, '65.54 kB']]);
    assert.equal(p.bytes, 65540);
    assert.equal(p.known, true);
    assert.equal(parseDockerInfo(' Data Space Total: 107.4 GB', false)?.bytes, 107.4e9);
  });

  test('two-space era (19.03+) without the space', () => {
    const p = parseDockerInfo('  Data Space Used: 11.63GB', false);
    assert.ok(p);
    assert.deepEqual(spans(p), [['dockerInfo.key', 2, 17, 'Data Space Used'], ['dockerInfo.value', 19, 26, '11.63GB']]);
    assert.equal(p.bytes, 11.63e9);
    const name = parseDockerInfo('  Pool Name: docker-254:1-1311739-pool', false);
    assert.ok(name);
    assert.equal(name.value, 'docker-254:1-1311739-pool');
    assert.equal(name.bytes, undefined, 'not a size key');
  });

  test('empty values, unknown keys only inside a docker info block', () => {
    const empty = parseDockerInfo(' Data file: ', false);
    assert.ok(empty);
    assert.equal(empty.value, '');
    assert.deepEqual(spans(empty), [['dockerInfo.key', 1, 10, 'Data file']]);
    assert.equal(parseDockerInfo(' Logging Driver: json-file', false), undefined);
    const unknown = parseDockerInfo(' Logging Driver: json-file', true);
    assert.ok(unknown);
    assert.equal(unknown.known, false);
    assert.equal(parseDockerInfo('just text', true), undefined);
  });

  test('a value aligned with several spaces ("Context:    default") starts at its first character', () => {
    const p = parseDockerInfo(' Context:    default', true);
    assert.ok(p);
    assert.equal(p.value, 'default');
    assert.deepEqual(p.valueSpan, { start: 13, end: 20 });
  });

  test('warnings of every era', () => {
    const cases: [string, string, number][] = [
      [' WARNING: Usage of loopback devices is strongly discouraged for production use. Either use `--storage-opt dm.thinpooldev` or use `--storage-opt dm.no_warn_on_loop_devices=true` to suppress this warning.', 'loopback', 1],
      [' WARNING: Usage of loopback devices is strongly discouraged for production use. Use `--storage-opt dm.thinpooldev` to specify a custom block storage device.', 'loopback', 1],
      ['WARNING: devicemapper: usage of loopback devices is strongly discouraged for production use.', 'loopback', 0],
      ['         Use `--storage-opt dm.thinpooldev` to specify a custom block storage device.', 'continuation', 9],
      ['WARNING: the devicemapper storage-driver is deprecated, and will be removed in a future release.', 'deprecated', 0],
      ['WARNING: The devicemapper storage-driver is deprecated, and will be removed in a future release.', 'deprecated', 0],
      ['         Refer to the documentation for more information: https://docs.docker.com/go/storage-driver/', 'continuation', 9],
      ['WARNING: No swap limit support', 'other', 0],
    ];
    for (const [line, kind, start] of cases) {
      const p = parseDockerWarning(line);
      assert.ok(p, line);
      assert.equal(p.warning, kind, line);
      assert.deepEqual(spans(p), [['dockerWarning.text', start, line.trimEnd().length, line.trim()]]);
    }
    assert.equal(parseDockerWarning('Pool Name: x'), undefined);
  });
});

describe('file sizes: ls -ls, ls -lsh, du, stat', () => {
  test('ls -ls without -h: allocated in KiB, apparent in bytes', () => {
    const line = '1675524 -rw------- 1 root root 214748364800 Nov 12 11:52 /var/lib/docker/devicemapper/devicemapper/data';
    const p = parseLsLine(line);
    assert.ok(p);
    assert.equal(p.allocated, 1675524 * 1024);
    assert.equal(p.apparent, 214748364800);
    assert.equal(p.path, '/var/lib/docker/devicemapper/devicemapper/data');
    assert.deepEqual(spans(p), [['file.allocated', 0, 7, '1675524'], ['file.apparent', 31, 43, '214748364800'], ['file.path', 57, 103, '/var/lib/docker/devicemapper/devicemapper/data']]);
    const padded = parseLsLine('  19040 -rw------- 1 root root   2147483648 Nov 12 11:52 /x/metadata');
    assert.ok(padded);
    assert.deepEqual(spans(padded).slice(0, 2), [['file.allocated', 2, 7, '19040'], ['file.apparent', 33, 43, '2147483648']]);
  });

  test('ls -lsh: human sizes', () => {
    const line = '1.6G -rw------- 1 root root 200G Nov 12 11:52 /var/lib/docker/devicemapper/devicemapper/data';
    const p = parseLsLine(line);
    assert.ok(p);
    assert.equal(p.allocated, 1.6 * 1024 ** 3);
    assert.equal(p.apparent, 200 * 1024 ** 3);
    assert.deepEqual(spans(p), [['file.allocated', 0, 4, '1.6G'], ['file.apparent', 28, 32, '200G'], ['file.path', 46, 92, '/var/lib/docker/devicemapper/devicemapper/data']]);
  });

  test('ls -l: size equal to the link count, year instead of time, ISO dates, devices and symlinks', () => {
    const same = parseLsLine('1 -rw------- 1 root root 1 Nov 12 11:52 x');
    assert.ok(same);
    assert.deepEqual(spans(same), [['file.allocated', 0, 1, '1'], ['file.apparent', 25, 26, '1'], ['file.path', 40, 41, 'x']]);
    assert.equal(parseLsLine('2.0M -rw------- 1 root root 2.0G Nov 12  2023 metadata')?.apparent, 2 * 1024 ** 3);
    assert.equal(parseLsLine('4 -rw-r--r-- 1 root root 100 2024-11-12 11:52 f')?.apparent, 100);
    const dev = parseLsLine('brw-rw---- 1 root disk 7, 0 Nov 12 11:52 /dev/loop0');
    assert.ok(dev);
    assert.equal(dev.apparent, undefined);
    assert.deepEqual(spans(dev), [['file.path', 41, 51, '/dev/loop0']]);
    const link = parseLsLine('lrwxrwxrwx 1 root root 7 Nov 12 11:52 /dev/mapper/docker-253:1-8790943-pool -> ../dm-0');
    assert.ok(link);
    assert.equal(link.path, '/dev/mapper/docker-253:1-8790943-pool');
    assert.equal(parseLsLine('total 1.6G'), undefined);
  });

  test('du: allocated by default (KiB, or human), apparent with --apparent-size/-b', () => {
    const h = parseDuLine('1.6G\t/var/lib/docker/devicemapper/devicemapper/data', false, true, false);
    assert.ok(h);
    assert.equal(h.allocated, 1.6 * 1024 ** 3);
    assert.deepEqual(spans(h), [['file.allocated', 0, 4, '1.6G'], ['file.path', 5, 51, '/var/lib/docker/devicemapper/devicemapper/data']]);
    const a = parseDuLine('200G\t/var/lib/docker/devicemapper/devicemapper/data', true, true, false);
    assert.ok(a);
    assert.equal(a.apparent, 200 * 1024 ** 3);
    assert.equal(a.allocated, undefined);
    assert.equal(spans(a)[0]![0], 'file.apparent');
    assert.equal(parseDuLine('1664104\t/var/lib/docker/devicemapper', false, false, false)?.allocated, 1664104 * 1024);
    assert.equal(parseDuLine('1664104\t/x', true, false, true)?.apparent, 1664104);
    assert.equal(parseDuLine('1.6G /x', false, true, false), undefined, 'du separates with a TAB');
  });

  test('stat -c "%s %b %B" with and without %n', () => {
    const p = parseStatLine('214748364800 3351048 512', '/var/data');
    assert.ok(p);
    assert.equal(p.apparent, 214748364800);
    assert.equal(p.allocated, 3351048 * 512);
    assert.equal(p.path, '/var/data');
    assert.deepEqual(spans(p), [['file.apparent', 0, 12, '214748364800'], ['file.allocated', 13, 24, '3351048 512']]);
    const n = parseStatLine('214748364800 3276832 512 /var/data', undefined);
    assert.ok(n);
    assert.deepEqual(spans(n).at(-1), ['file.path', 25, 34, '/var/data']);
    assert.equal(parseStatLine('12 x 512', undefined), undefined);
  });
});

describe('losetup, lsblk, lvs', () => {
  test('losetup -l header and rows', () => {
    const header = parseColumnsHeader('NAME       SIZELIMIT OFFSET AUTOCLEAR RO BACK-FILE                   DIO LOG-SEC');
    assert.ok(header);
    assert.equal(header.table, 'losetup');
    const row = parseColumnsRow('/dev/loop0         0      0         0  0 /mnt/host-ext4/lab-data.img   0     512', header);
    assert.ok(row);
    assert.deepEqual(row.cells.get('NAME'), { text: '/dev/loop0', span: { start: 0, end: 10 } });
    assert.deepEqual(row.cells.get('BACK-FILE'), { text: '/mnt/host-ext4/lab-data.img', span: { start: 41, end: 68 } });
    assert.equal(row.cells.get('LOG-SEC')?.text, '512');
  });

  test('losetup -l: a backing file with spaces stays one cell', () => {
    const header = parseColumnsHeader('NAME       SIZELIMIT OFFSET AUTOCLEAR RO BACK-FILE                   DIO LOG-SEC');
    assert.ok(header);
    const row = parseColumnsRow('/dev/loop1         0      0         0  0 /mnt/my files/lab meta.img   0     512', header);
    assert.equal(row?.cells.get('BACK-FILE')?.text, '/mnt/my files/lab meta.img');
    assert.equal(row?.cells.get('DIO')?.text, '0');
  });

  test('losetup -a / -j form', () => {
    const line = '/dev/loop0: [2049]:1234 (/var/lib/docker/devicemapper/devicemapper/data)';
    const p = parseLosetupA(line);
    assert.ok(p);
    assert.equal(p.table, 'losetup');
    assert.deepEqual(spans(p), [['column.value', 0, 10, '/dev/loop0'], ['file.path', 25, 71, '/var/lib/docker/devicemapper/devicemapper/data']]);
    assert.equal(p.cells.get('BACK-FILE')?.text, '/var/lib/docker/devicemapper/devicemapper/data');
    assert.equal(parseLosetupA('/dev/loop0: []:1234 (/x)'), undefined);
  });

  test('lsblk -D: DISC-MAX 0B and 4G, tree names', () => {
    const header = parseColumnsHeader('NAME                           DISC-ALN DISC-GRAN DISC-MAX DISC-ZERO');
    assert.ok(header);
    assert.equal(header.table, 'lsblk');
    const loop = parseColumnsRow('loop0                                 0        4K       4G         0', header);
    assert.deepEqual(loop?.cells.get('DISC-MAX'), { text: '4G', span: { start: 56, end: 58 } });
    const sdb = parseColumnsRow('sdb                                   0        0B       0B         0', header);
    assert.deepEqual(sdb?.cells.get('DISC-MAX'), { text: '0B', span: { start: 56, end: 58 } });
    assert.equal(sdb?.cells.get('DISC-GRAN')?.text, '0B');
    const pool = parseColumnsRow('└─docker-253:1-8790943-pool          0       64K      16G         0', header);
    assert.equal(pool?.cells.get('NAME')?.text, '└─docker-253:1-8790943-pool');
    assert.equal(pool?.cells.get('DISC-MAX')?.text, '16G');
  });

  test('lvs: cells land in their columns, empty cells stay empty', () => {
    const header = parseColumnsHeader('  LV              VG     Attr       LSize  Pool     Origin Data%  Meta%  Move Log Cpy%Sync Convert') as ColumnsHeader;
    assert.ok(header);
    assert.equal(header.table, 'lvs');
    const pool = parseColumnsRow('  thinpool        docker twi-aot--- 95.00g                 96.20  12.01                           ', header);
    assert.ok(pool);
    assert.deepEqual(Object.fromEntries([...pool.cells].map(([k, v]) => [k, v.text])), { LV: 'thinpool', VG: 'docker', Attr: 'twi-aot---', LSize: '95.00g', 'Data%': '96.20', 'Meta%': '12.01' });
    assert.deepEqual(pool.cells.get('Data%')?.span, { start: 59, end: 64 });
    const thin = parseColumnsRow('  lv1             docker Vwi-a-t--- 10.00g thinpool        98.21', header);
    assert.ok(thin);
    assert.deepEqual(Object.fromEntries([...thin.cells].map(([k, v]) => [k, v.text])), { LV: 'lv1', VG: 'docker', Attr: 'Vwi-a-t---', LSize: '10.00g', Pool: 'thinpool', 'Data%': '98.21' });
    const hidden = parseColumnsRow('  [thinpool_tdata] docker Twi-ao---- <95.00g', header);
    assert.equal(hidden?.cells.get('LV')?.text, '[thinpool_tdata]');
    assert.equal(hidden?.cells.has('Data%'), false);
  });

  test('headers are recognised by their names only', () => {
    assert.equal(parseColumnsHeader('NAME SIZE'), undefined);
    assert.equal(parseColumnsHeader('DEV MAPPED CREATE_TIME SNAP_TIME '), undefined, 'thin_ls is not a known table');
    assert.equal(parseColumnsHeader('Name Maj Min Foo Bar'), undefined, 'too many unknown headings');
  });
});

describe('kernel log lines', () => {
  test('dmesg [  64.77] prefix with maj:min', () => {
    const line = '[   64.772053] device-mapper: thin: 253:0: reached low water mark for data device: sending event.';
    const p = parseKernelLog(line);
    assert.ok(p);
    assert.equal(p.module, 'thin');
    assert.deepEqual(p.devno, { major: 253, minor: 0, span: { start: 36, end: 41 } });
    assert.deepEqual(spans(p), [['kernel.module', 30, 34, 'thin'], ['devno', 36, 41, '253:0'], ['kernel.message', 43, 97, 'reached low water mark for data device: sending event.']]);
    const short = parseKernelLog('[  64.77] device-mapper: thin: 253:0: switching pool to write mode');
    assert.ok(short);
    assert.deepEqual(spans(short)[0], ['kernel.module', 25, 29, 'thin']);
  });

  test('no maj:min, dmesg -T dates, bare lines, trailing spaces', () => {
    const p = parseKernelLog('[   21.214061] device-mapper: thin: Data device (loop0) discard unsupported: Disabling discard passdown.');
    assert.ok(p);
    assert.equal(p.devno, undefined);
    assert.equal(p.message, 'Data device (loop0) discard unsupported: Disabling discard passdown.');
    const t = parseKernelLog('[Tue Nov 12 11:52:01 2024] device-mapper: thin: 253:0: growing the data device from 1024 to 3072 blocks');
    assert.deepEqual(spans(t)[1], ['devno', 48, 53, '253:0']);
    const bare = parseKernelLog('device-mapper: thin: Data device (loop0) discard unsupported: Disabling discard passdown.');
    assert.deepEqual(spans(bare)[0], ['kernel.module', 15, 19, 'thin']);
    const trailing = parseKernelLog('[  64.77] device-mapper: thin: 253:0: switching pool to write mode   ');
    assert.deepEqual(spans(trailing).at(-1), ['kernel.message', 38, 66, 'switching pool to write mode']);
  });

  test('journal / syslog "kernel:" prefix, with and without a dmesg timestamp', () => {
    const line = 'Nov 12 11:52:01 host kernel: device-mapper: table: 253:3: thin-pool: Error opening metadata block device (-EBUSY)';
    const p = parseKernelLog(line);
    assert.ok(p);
    assert.equal(p.module, 'table');
    assert.deepEqual(spans(p), [['kernel.module', 44, 49, 'table'], ['devno', 51, 56, '253:3'], ['kernel.message', 58, 113, 'thin-pool: Error opening metadata block device (-EBUSY)']]);
    const ts = parseKernelLog('Nov 12 11:52:01 host kernel: [  812.112233] device-mapper: thin: 253:2: switching pool to read-only mode');
    assert.ok(ts);
    assert.deepEqual(ts.devno && [ts.devno.major, ts.devno.minor], [253, 2]);
  });

  test('the op 0x3:(DISCARD) error line names the device', () => {
    const line = '[   48.758789] operation not supported error, dev loop0, sector 100224 op 0x3:(DISCARD) flags 0x0 phys_seg 1 prio class 2';
    const p = parseKernelLog(line);
    assert.ok(p);
    assert.deepEqual(p.discardError, { device: 'loop0' });
    assert.deepEqual(spans(p), [['kernel.message', 50, 55, 'loop0']]);
    const journal = parseKernelLog('Nov 12 11:52:01 host kernel: I/O error, dev loop0, sector 0 op 0x3:(DISCARD) flags 0x0 phys_seg 1 prio class 2');
    assert.deepEqual(journal?.discardError, { device: 'loop0' });
    assert.equal(parseKernelLog('operation not supported error, dev loop0, sector 0 op 0x1:(WRITE) flags 0x0'), undefined);
  });

  test('not kernel lines', () => {
    assert.equal(parseKernelLog('dd: error writing: No space left on device'), undefined);
    assert.equal(parseKernelLog('device-mapper: message ioctl on docker-253:0-1311739-pool  failed: Device or resource busy'), undefined, 'a libdm error is a dmsetup message, not a kernel line');
  });
});

describe('prompts and numbers', () => {
  test('prompt forms and the length of the prompt', () => {
    assert.equal(promptLength('# dmsetup status'), 2);
    assert.equal(promptLength('$ sudo dmsetup table | grep pool'), 2);
    assert.equal(promptLength('[root@host ~]# ls -lsh /x'), 15);
    assert.equal(promptLength('root@host:~# docker info'), 13);
    assert.equal(promptLength('user@host:/var/lib$ sudo lvs -a'), 20);
    assert.equal(promptLength('host# dmsetup ls'), 6);
    assert.equal(promptLength('#!/bin/sh'), -1);
    assert.equal(promptLength('$HOME'), -1);
    assert.equal(promptLength(''), -1);
    assert.equal(isPromptLine('#   +5 s: dd is blocked (process state S)'), false, 'a comment is not a command');
    assert.equal(isPromptLine('Step# 1'), false);
    assert.equal(isPromptLine('#'), true);
  });

  test('command classification: wrappers, pipes, value options, device argument', () => {
    const p = parsePrompt('$ sudo dmsetup table | grep pool');
    assert.ok(p);
    assert.deepEqual(p.argv, ['dmsetup', 'table']);
    assert.equal(p.command, 'dmsetup-table');
    assert.deepEqual(spans(p), [['prompt.command', 2, 20, 'sudo dmsetup table']]);
    const host = parsePrompt('[root@host ~]# dmsetup status docker-8:1-696417-pool');
    assert.equal(host?.deviceArg, 'docker-8:1-696417-pool');
    assert.equal(parsePrompt('# dmsetup status --target thin-pool')?.deviceArg, undefined, '--target takes a value');
    assert.equal(parsePrompt('# dmsetup status --target=thin-pool pool')?.deviceArg, 'pool');
    assert.equal(parsePrompt('# /sbin/dmsetup status --target thin-pool 2>/dev/null')?.command, 'dmsetup-status');
    const kinds = {
      '# dmsetup ls': 'dmsetup-ls', '# dmsetup ls --tree': 'dmsetup-ls-tree', '# dmsetup info labvg-pool': 'dmsetup-info', '# dmsetup info -c': 'dmsetup-info-columns',
      '# dmsetup deps -o devname labvg-pool': 'dmsetup-deps', '# dmsetup version': 'dmsetup-version', '# dmsetup targets': 'dmsetup-targets',
      '# dmsetup message labvg-pool 0 reserve_metadata_snap': 'dmsetup-other', '# docker info': 'docker-info', '# docker system info': 'docker-info', '# docker rmi x': 'docker-other',
      '# ls -lsh /x': 'ls', '# du -h /x': 'du', '# stat -c %s /x': 'stat', '# losetup -l': 'losetup', '# lsblk -D': 'lsblk', '$ sudo lvs -a': 'lvs', '# dmesg -T': 'log', '# journalctl -k': 'log', '# uname -r': 'other',
    };
    for (const [line, kind] of Object.entries(kinds)) assert.equal(parsePrompt(line)?.command, kind, line);
  });

  test('stat -c with a quoted format keeps the file as the only file argument', () => {
    const p = parsePrompt("# stat -c '%s %b %B' /var/lib/docker/devicemapper/devicemapper/data");
    assert.deepEqual(p?.fileArgs, ['/var/lib/docker/devicemapper/devicemapper/data']);
  });

  test('devno and parenDevno', () => {
    assert.deepEqual(devno({ start: 4, end: 9, text: '253:0' }), { major: 253, minor: 0, span: { start: 4, end: 9 } });
    assert.equal(devno({ start: 0, end: 10, text: '/dev/loop0' }), undefined);
    assert.deepEqual(parenDevno('labvg-pool\t(253, 2)'), { major: 253, minor: 2, span: { start: 11, end: 19 } });
    assert.deepEqual(parenDevno('a (7:0) b (7:1)', 4), { major: 7, minor: 1, span: { start: 10, end: 15 } });
  });
});

describe('invariants over every fixture', () => {
  test('every token lies inside its line and its text is the text under its span', () => {
    for (const name of FIXTURES) {
      const doc = docOf(name);
      for (let i = 0; i < doc.lineCount; i++) {
        const line = doc.lineText(i);
        for (const t of doc.lineAt(i)!.tokens) {
          assert.ok(t.start >= 0 && t.start <= t.end && t.end <= line.length, `${name}:${i} ${t.role} [${t.start},${t.end})`);
          assert.equal(line.slice(t.start, t.end), t.text, `${name}:${i} ${t.role}`);
        }
      }
    }
  });
});
