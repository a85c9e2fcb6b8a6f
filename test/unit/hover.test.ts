import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { hoverAt, inlayHints, documentSymbols, foldingRanges, TranscriptDocument, type TranscriptDocument as Doc } from '../../server/src/core/index.js';
import { FLAG_DOCS } from '../../server/src/core/knowledge/flags.js';
import { docOf } from './helpers.js';

/** Where the nth whole-word occurrence of `token` starts on a line (words end at spaces, TABs, or a name's colon). */
function wordAt(text: string, token: string, nth: number): number {
  let found = -1;
  for (let at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1)) {
    const before = at === 0 ? ' ' : text[at - 1]!;
    const after = text[at + token.length] ?? ' ';
    if (/[\s]/.test(before) && /[\s:]/.test(after) && nth-- === 0) {
      found = at;
      break;
    }
  }
  return found;
}

/** Hover at the nth whole-word occurrence of `token` on `line` (cursor inside the token); checks the hover range is the token. */
function hoverOn(doc: Doc, line: number, token: string, nth = 0): { markdown: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } } {
  const at = wordAt(doc.lineText(line), token, nth);
  assert.ok(at >= 0, `test bug: ${token} not on line ${line}`);
  const h = hoverAt(doc, line, at + Math.floor(token.length / 2));
  assert.ok(h, `no hover on ${JSON.stringify(token)} at line ${line}`);
  assert.deepEqual(h.range, { start: { line, character: at }, end: { line, character: at + token.length } }, `hover range of ${token}`);
  return h;
}

describe('hoverAt on the user transcript', () => {
  const doc = docOf('user-transcript');

  test('data blocks: counts, block size, bytes and percentage', () => {
    const h = hoverOn(doc, 6, '26115/3276800');
    assert.ok(h.markdown.includes('26,115 of 3,276,800 × 64 KiB = 1.59 GiB of 200 GiB (0.8 %)'), h.markdown);
    assert.match(h.markdown, /block size derived as length ÷ total blocks/);
    assert.match(h.markdown, /Free: 198 GiB/);
    assert.match(h.markdown, /^\*\*Data blocks used\/total\*\* · data blocks/);
    assert.match(h.markdown, /_Source: devicemapper\.md §3\.2 field 3_$/);
  });

  test('metadata blocks', () => {
    assert.ok(hoverOn(doc, 6, '633/524288').markdown.includes('633 of 524,288 × 4 KiB = 2.47 MiB of 2 GiB (0.1 %)'));
    assert.ok(hoverOn(doc, 4, '13/65536').markdown.includes('13 of 65,536 × 4 KiB = 52 KiB of 256 MiB (<0.1 %)'));
  });

  test('ls -lsh allocated size against the apparent size and the pool', () => {
    const h = hoverOn(doc, 1, '1.6G');
    assert.match(h.markdown, /^\*\*Allocated size\*\* · bytes on disk/);
    assert.ok(h.markdown.includes('1.6 GiB'), h.markdown);
    assert.ok(h.markdown.includes('200 GiB'), h.markdown);
    assert.ok(h.markdown.includes('Allocated 1.6 GiB of apparent 200 GiB (0.8 % allocated: a sparse file).'), h.markdown);
    assert.ok(h.markdown.includes("Backs pool `docker-8:1-696417-pool` (assumed from Docker's naming), which uses 1.59 GiB (status on line 7)."), h.markdown);
    assert.ok(hoverOn(doc, 1, '200G').markdown.includes('Allocated 1.6 GiB of apparent 200 GiB'));
  });

  test('sectors show bytes', () => {
    assert.ok(hoverOn(doc, 6, '419430400').markdown.includes('419,430,400 sectors × 512 B = 200 GiB'));
    assert.ok(hoverOn(doc, 4, '409600').markdown.includes('409,600 sectors × 512 B = 200 MiB'));
    assert.ok(hoverOn(doc, 5, '928768').markdown.includes('928,768 sectors × 512 B = 454 MiB'));
    assert.ok(hoverOn(doc, 5, '41943039').markdown.includes('Sector 41,943,039: the mapped data reaches 20 GiB into the device.'));
    assert.ok(hoverOn(doc, 11, '209715200').markdown.includes('209,715,200 sectors × 512 B = 100 GiB'));
  });

  test('flags show their meaning and consequence', () => {
    for (const [line, flag] of [[4, 'no_discard_passdown'], [11, 'discard_passdown'], [11, 'queue_if_no_space'], [6, 'rw']] as const) {
      const h = hoverOn(doc, line, flag);
      const f = FLAG_DOCS[flag]!;
      assert.ok(h.markdown.includes(`\`${flag}\`: ${f.meaning}`), `${flag}: ${h.markdown}`);
      assert.ok(h.markdown.includes(f.consequence), `${flag} consequence`);
    }
    assert.ok(hoverOn(doc, 4, '-').markdown.includes('`-`: no metadata snapshot is held.'));
  });

  test('device names: Docker naming explained', () => {
    assert.ok(hoverOn(doc, 6, 'docker-8:1-696417-pool').markdown.includes('Docker naming: the driver home is on device 8:1, inode 696417; `pool` is the thin pool.'));
    assert.ok(hoverOn(doc, 5, 'docker-8:1-696417-base').markdown.includes('`base` is the base device every image is snapshotted from'));
  });

  test('positions: end boundary, whitespace, outside the document', () => {
    const line = doc.lineText(6);
    const end = line.indexOf('26115/3276800') + '26115/3276800'.length;
    assert.equal(hoverAt(doc, 6, end)?.range.start.character, line.indexOf('26115/3276800'), 'the end boundary still hovers the token');
    assert.equal(hoverAt(doc, 2, 0), undefined, 'blank line');
    assert.equal(hoverAt(doc, 0, 1), undefined, 'between the prompt sign and the command');
    assert.equal(hoverAt(doc, 99, 0), undefined);
    assert.equal(hoverAt(doc, -1, 0), undefined);
    assert.equal(hoverAt(doc, 6, 10_000), undefined);
    assert.match(hoverAt(doc, 3, 5)?.markdown ?? '', /^\*\*Command\*\*/);
  });
});

describe('hoverAt on other fixtures', () => {
  test('table: 7:1 is loop1 and its backing file; block size and low water mark', () => {
    const doc = docOf('live-pool-6.1');
    assert.ok(hoverOn(doc, 46, '7:1').markdown.includes('`7:1` is loop1 (/dev/loop1), backed by `/mnt/host-ext4/lab-meta.img`.'));
    assert.ok(hoverOn(doc, 46, '7:0').markdown.includes('`7:0` is loop0 (/dev/loop0), backed by `/mnt/host-ext4/lab-data.img`.'));
    assert.ok(hoverOn(doc, 46, '128').markdown.includes('128 sectors = 64 KiB per data block.'));
    assert.ok(hoverOn(doc, 46, '2048').markdown.includes('2,048 blocks × 64 KiB = 128 MiB of free space left when the event fires.'));
    assert.match(hoverOn(doc, 46, '0', 1).markdown, /A featureless pool prints `0 `/);
    assert.ok(hoverOn(doc, 47, '253:0').markdown.includes('named `labvg-pool` in this transcript'));
    assert.ok(hoverOn(doc, 1, 'labvg-pool').markdown.includes('thin-pool; its table is on line 47: data device 7:0, 64 KiB blocks. Other status lines of this device: 53, 59. Device number 253:0.'));
    assert.ok(hoverOn(doc, 9, '(7:0)').markdown.includes('`7:0` is loop0 (/dev/loop0), backed by `/mnt/host-ext4/lab-data.img`.'));
    assert.ok(hoverOn(doc, 61, '(7, 1)').markdown.includes('`7:1` is loop1'));
    assert.ok(hoverOn(doc, 52, '1024').markdown.includes('1,024 blocks × 4 KiB = 4 MiB; 7,336 metadata blocks are free now.'));
    assert.ok(hoverOn(doc, 52, '4391/16384').markdown.includes("4,391 of 16,384 × 64 KiB = 274 MiB of 1 GiB (27 %); block size from the pool's table in this transcript."));
    assert.match(hoverOn(doc, 22, 'L--w').markdown, /L\/- live table/);
  });

  test('table of a pool in the old-kernel form (moby#3182)', () => {
    const doc = docOf('old-kernels');
    assert.ok(hoverOn(doc, 1, '7:1').markdown.includes('`7:1` is loop1 (/dev/loop1)'));
    assert.ok(hoverOn(doc, 1, 'skip_block_zeroing').markdown.includes(FLAG_DOCS.skip_block_zeroing!.consequence));
    assert.ok(hoverOn(doc, 3, '8:16').markdown.includes('`8:16` is /dev/sdb (SCSI/SATA disk).'));
    assert.ok(hoverOn(doc, 3, '2048').markdown.includes('2,048 sectors × 512 B = 1 MiB'));
    assert.ok(hoverOn(doc, 17, 'ro').markdown.includes(FLAG_DOCS.ro!.consequence));
    assert.ok(hoverOn(doc, 17, 'needs_check').markdown.includes(FLAG_DOCS.needs_check!.consequence));
    assert.ok(hoverOn(doc, 17, 'ignore_discard').markdown.includes(FLAG_DOCS.ignore_discard!.consequence));
    assert.ok(hoverOn(doc, 19, 'Fail').markdown.includes(FLAG_DOCS.Fail!.consequence));
    assert.ok(hoverOn(doc, 20, 'Error').markdown.includes(FLAG_DOCS.Error!.consequence));
    assert.ok(hoverOn(doc, 39, '-').markdown.includes('Nothing is mapped yet.'));
    assert.ok(hoverOn(doc, 2, 'docker-254:1-1311739-pool').markdown.includes('its table is on line 3: data device 7:2, 64 KiB blocks. Other status lines of this device: 9.'));
  });

  test('metadata snapshot root, docker info, lvs, lsblk, kernel devno, stat', () => {
    assert.ok(hoverOn(docOf('metadata-snapshot'), 2, '115').markdown.includes('its root is metadata block 115'));
    const dock = docOf('docker-info-old');
    assert.ok(hoverOn(dock, 14, '98.3 GB').markdown.includes('98.3 GB (decimal) = 98,300,000,000 bytes ≈ 91.5 GiB.'));
    assert.ok(hoverOn(dock, 9, '65.54 kB').markdown.includes('65,540 bytes ≈ 64 KiB'));
    assert.ok(hoverOn(dock, 14, 'Data Space Used').markdown.includes('Used data blocks × block size'));
    assert.ok(hoverOn(dock, 10, 'Base Device Size').markdown.includes('(since Engine 1.9)'));
    const sizes = docOf('sizes');
    assert.ok(hoverOn(sizes, 31, '96.20').markdown.includes('Column `Data%`: `96.20`. lvs Data%'));
    assert.ok(hoverOn(sizes, 27, '0B', 1).markdown.includes('DISC-MAX 0: this device does not accept discards'));
    assert.ok(hoverOn(sizes, 25, '4G').markdown.includes('DISC-MAX 4G: the device accepts discards up to this size per request.'));
    assert.ok(hoverOn(sizes, 17, '3351048 512').markdown.includes('Allocated 1.6 GiB of apparent 200 GiB (0.8 % allocated: a sparse file).'));
    assert.ok(hoverOn(sizes, 14, '200G').markdown.includes('Apparent size 200 GiB'));
    assert.ok(hoverOn(docOf('kernel-messages'), 9, '253:0').markdown.includes('`253:0` is dm-0 (/dev/dm-0)'));
    const ver = new TranscriptDocument('# dmsetup version\nLibrary version:   1.02.185 (2022-05-18)\nDriver version:    4.47.0\n');
    assert.ok(hoverOn(ver, 2, '4.47.0').markdown.includes('deferred removal needs ≥ 4.27.0'));
  });
});

describe('inlay hints', () => {
  test('user transcript: sizes and percentages beside the raw numbers', () => {
    const doc = docOf('user-transcript');
    assert.deepEqual(inlayHints(doc, 0, doc.lineCount).map((h) => [h.position.line, h.position.character, h.label]), [
      [1, 32, ' (allocated 1.6 GiB, 0.8 %)'],
      [4, 17, ' 200 MiB'],
      [4, 38, ' 52 KiB/256 MiB <0.1 %'],
      [4, 45, ' 0 B/200 MiB 0 %'],
      [5, 34, ' 20 GiB'],
      [5, 46, ' 454 MiB'],
      [6, 35, ' 200 GiB'],
      [6, 59, ' 2.47 MiB/2 GiB 0.1 %'],
      [6, 73, ' 1.59 GiB/200 GiB 0.8 %'],
      [11, 38, ' 100 GiB'],
      [11, 63, ' 3.42 MiB/2 GiB 0.2 %'],
      [11, 77, ' 1.98 GiB/100 GiB 2 %'],
    ]);
  });

  test('line ranges are honoured and clamped', () => {
    const doc = docOf('user-transcript');
    assert.deepEqual(inlayHints(doc, 5, 6).map((h) => h.position.line), [5, 5]);
    assert.deepEqual(inlayHints(doc, -10, 2).map((h) => h.position.line), [1]);
    assert.equal(inlayHints(doc, 0, 1_000_000).length, 12);
    assert.deepEqual(inlayHints(doc, 7, 3), []);
  });

  test('table block size, docker info sizes, stat', () => {
    assert.deepEqual(inlayHints(docOf('live-pool-6.1'), 46, 47).map((h) => [h.position.character, h.label]), [[21, ' 1 GiB'], [43, ' 64 KiB']]);
    assert.deepEqual(inlayHints(docOf('docker-info-old'), 14, 15).map((h) => [h.position.character, h.label]), [[25, ' ≈ 91.5 GiB']]);
    assert.deepEqual(inlayHints(docOf('sizes'), 17, 18).map((h) => [h.position.character, h.label]), [[12, ' (allocated 1.6 GiB, 0.8 %)']]);
  });
});

describe('document symbols and folding ranges', () => {
  test('user transcript: one symbol per command block, devices and files as children', () => {
    const doc = docOf('user-transcript');
    const syms = documentSymbols(doc);
    assert.deepEqual(syms.map((s) => [s.name, s.kind, s.range.start.line, s.range.end.line, s.range.end.character]), [
      ['ls -lsh /var/lib/docker/devicemapper/devicemapper/data', 'command', 0, 1, 92],
      ['dmsetup status', 'command', 3, 6, 98],
      ['docker rmi dbyin/httpd', 'command', 8, 8, 24],
      ['dmsetup status', 'command', 10, 11, 117],
    ]);
    assert.deepEqual(syms.map((s) => s.selectionRange), [0, 3, 8, 10].map((l) => ({ start: { line: l, character: 0 }, end: { line: l, character: doc.lineText(l).length } })));
    assert.deepEqual(syms[0]!.children.map((c) => [c.name, c.kind, c.detail, c.selectionRange.start.character, c.selectionRange.end.character]), [['/var/lib/docker/devicemapper/devicemapper/data', 'file', 'ls', 46, 92]]);
    assert.deepEqual(syms[1]!.children.map((c) => [c.name, c.kind, c.detail, c.selectionRange.start.line, c.selectionRange.end.character]), [
      ['yy_pool', 'pool', 'data 0 %, rw', 4, 7],
      ['docker-8:1-696417-base', 'thin', 'thin status', 5, 22],
      ['docker-8:1-696417-pool', 'pool', 'data 0.8 %, rw', 6, 22],
    ]);
    assert.deepEqual(syms[3]!.children.map((c) => [c.name, c.detail]), [['docker-253:1-8790943-pool', 'data 2 %, rw']]);
  });

  test('user transcript folding: blocks with more than one non-blank line', () => {
    assert.deepEqual(foldingRanges(docOf('user-transcript')), [{ startLine: 0, endLine: 1 }, { startLine: 3, endLine: 6 }, { startLine: 10, endLine: 11 }]);
  });

  test('live pool: a symbol and a folding range per command block', () => {
    const doc = docOf('live-pool-6.1');
    const syms = documentSymbols(doc);
    assert.deepEqual(syms.map((s) => s.name), ['dmsetup ls', 'dmsetup ls --tree', 'dmsetup info -c', 'dmsetup info -c -o name,uuid,major,minor,open,segments,events,attr', 'dmsetup info labvg-pool', 'dmsetup table', 'dmsetup status', 'dmsetup status --target thin-pool', 'dmsetup deps labvg-pool', 'dmsetup deps -o devname labvg-pool', 'losetup -l']);
    assert.deepEqual(foldingRanges(doc).map((r) => [r.startLine, r.endLine]), [[0, 4], [6, 18], [20, 25], [27, 32], [34, 43], [45, 49], [51, 55], [57, 58], [60, 61], [63, 64], [66, 69]]);
    assert.deepEqual(syms[5]!.children.map((c) => [c.name, c.kind, c.detail]), [['labvg-pool', 'pool', 'thin-pool table'], ['labvg-snap1', 'thin', 'thin table'], ['labvg-vol1', 'thin', 'thin table'], ['labvg-vol2', 'thin', 'thin table']]);
    assert.deepEqual(syms[6]!.children[0]!.detail, 'data 27 %, rw');
    assert.deepEqual(syms[0]!.children.map((c) => [c.name, c.detail]), [['labvg-pool', '253:0'], ['labvg-snap1', '253:3'], ['labvg-vol1', '253:1'], ['labvg-vol2', '253:2']]);
  });

  test('output without a prompt; special statuses', () => {
    const doc = new TranscriptDocument('pool: 0 8 thin-pool Fail\n\n# dmsetup status\nq: 0 8 thin-pool 1 2/3 4/5 - out_of_data_space\n');
    const syms = documentSymbols(doc);
    assert.deepEqual(syms.map((s) => s.name), ['output', 'dmsetup status']);
    assert.deepEqual(syms[0]!.children.map((c) => c.detail), ['thin-pool Fail']);
    assert.deepEqual(syms[1]!.children.map((c) => c.detail), ['data 80 %, out_of_data_space']);
    assert.deepEqual(foldingRanges(doc), [{ startLine: 2, endLine: 3 }]);
  });
});
