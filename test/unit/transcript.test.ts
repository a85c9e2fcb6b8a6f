import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TranscriptDocument, TranscriptDiagnostics, DEFAULT_THRESHOLDS, splitLines, type ContentChange, type Finding, type Range } from '../../server/src/core/index.js';
import { FIXTURES, allLines, applyEditToString, docOf, kinds, parseSnapshot, prng, readFixture, segmentSnapshot, spans, type FixtureName } from './helpers.js';

describe('TranscriptDocument on the user transcript', () => {
  const doc = docOf('user-transcript');

  test('every line is classified', () => {
    assert.equal(doc.lineCount, 13);
    assert.deepEqual(kinds(doc), [
      'prompt', // # ls -lsh /var/lib/docker/devicemapper/devicemapper/data
      'file-size', // 1.6G -rw------- 1 root root 200G ...
      'blank',
      'prompt', // # dmsetup status
      'dm-target', // yy_pool: ... thin-pool ...
      'dm-target', // docker-8:1-696417-base: ... thin ...
      'dm-target', // docker-8:1-696417-pool: ... thin-pool ...
      'blank',
      'prompt', // # docker rmi dbyin/httpd
      'blank',
      'prompt', // # dmsetup status
      'dm-target', // docker-253:1-8790943-pool: ...
      'blank', // after the final newline
    ]);
  });

  test('parsed details of each output line', () => {
    const ls = doc.lineAt(1);
    assert.ok(ls?.kind === 'file-size');
    assert.equal(ls.tool, 'ls');
    assert.equal(ls.path, '/var/lib/docker/devicemapper/devicemapper/data');
    assert.equal(ls.allocated, 1.6 * 1024 ** 3);
    assert.equal(ls.apparent, 200 * 1024 ** 3);

    const forms = [4, 5, 6, 11].map((l) => {
      const p = doc.lineAt(l);
      assert.ok(p?.kind === 'dm-target');
      return [p.device?.name, p.source, p.params.form];
    });
    assert.deepEqual(forms, [
      ['yy_pool', 'status', 'thin-pool-status'],
      ['docker-8:1-696417-base', 'status', 'thin-status'],
      ['docker-8:1-696417-pool', 'status', 'thin-pool-status'],
      ['docker-253:1-8790943-pool', 'status', 'thin-pool-status'],
    ]);
    const pool = doc.lineAt(6);
    assert.ok(pool?.kind === 'dm-target' && pool.params.form === 'thin-pool-status');
    assert.deepEqual(spans(pool).find((t) => t[0] === 'pool.data'), ['pool.data', 60, 73, '26115/3276800']);
    const prompt = doc.lineAt(8);
    assert.ok(prompt?.kind === 'prompt');
    assert.deepEqual([prompt.command, prompt.argv], ['docker-other', ['docker', 'rmi', 'dbyin/httpd']]);
  });

  test('segments: one per command block, blank lines stay in the block before them', () => {
    assert.deepEqual(segmentSnapshot(doc), ['0+3 prompt ls -lsh /var/lib/docker/devicemapper/devicemapper/data', '3+5 prompt dmsetup status', '8+2 prompt docker rmi dbyin/httpd', '10+3 prompt dmsetup status']);
  });

  test('segmentAt and lineAt', () => {
    for (let line = 0; line < doc.lineCount; line++) {
      const seg = doc.segmentAt(line);
      assert.ok(seg, `line ${line}`);
      assert.ok(line >= seg.start && line < seg.start + seg.lines.length);
      assert.equal(doc.lineAt(line), seg.lines[line - seg.start]);
    }
    assert.equal(doc.segmentAt(3)?.start, 3);
    assert.equal(doc.segmentAt(7)?.start, 3);
    assert.equal(doc.segmentAt(9)?.start, 8);
    assert.equal(doc.segmentAt(13), undefined);
    assert.equal(doc.segmentAt(-1), undefined);
    assert.equal(doc.lineAt(13), undefined);
    assert.equal(doc.lineAt(-5), undefined);
    assert.equal(doc.lineText(99), '');
  });

  test('document index', () => {
    const idx = doc.index;
    assert.deepEqual(idx.poolStatuses.map((s) => [s.fact.name, s.block.start + s.fact.line, s.fact.dataUsed, s.fact.dataTotal]), [
      ['yy_pool', 4, 0, 3200],
      ['docker-8:1-696417-pool', 6, 26115, 3276800],
      ['docker-253:1-8790943-pool', 11, 32432, 1638400],
    ]);
    assert.deepEqual(idx.files.map((f) => f.fact.path), ['/var/lib/docker/devicemapper/devicemapper/data']);
    assert.equal(idx.poolTables.size, 0);
  });
});

describe('segmenting and context', () => {
  test('a segment after a blank line inherits the command block (docker info 19.03+)', () => {
    const doc = docOf('docker-info-new');
    assert.deepEqual(segmentSnapshot(doc), ['0+5 prompt docker info', '5+30 docker info', '35+4 docker info']);
    assert.equal(doc.lineAt(1)?.kind, 'docker-info', 'unknown keys like "Client:" are accepted inside docker info');
    assert.equal(doc.lineAt(35)?.kind, 'docker-warning');
    assert.equal(doc.lineAt(36)?.kind, 'docker-warning');
  });

  test('live pool (6.1): kinds of every line', () => {
    const doc = docOf('live-pool-6.1');
    const k = kinds(doc);
    const expect = (from: number, to: number, kind: string): void => {
      for (let i = from; i <= to; i++) assert.equal(k[i], kind, `line ${i}: ${doc.lineText(i)}`);
    };
    for (const l of [0, 6, 20, 27, 34, 45, 51, 57, 60, 63, 66]) assert.equal(k[l], 'prompt', `line ${l}`);
    for (const l of [5, 19, 26, 33, 44, 50, 56, 59, 62, 65, 70]) assert.equal(k[l], 'blank', `line ${l}`);
    expect(1, 4, 'dm-ls');
    expect(7, 18, 'dm-tree');
    assert.equal(k[21], 'columns-header');
    expect(22, 25, 'columns-row');
    assert.equal(k[28], 'columns-header');
    expect(29, 32, 'columns-row');
    expect(35, 43, 'dm-info');
    expect(46, 49, 'dm-target');
    expect(52, 55, 'dm-target');
    assert.equal(k[58], 'dm-target');
    assert.equal(k[61], 'dm-deps');
    assert.equal(k[64], 'dm-deps');
    assert.equal(k[67], 'columns-header');
    expect(68, 69, 'columns-row');
    const idx = doc.index;
    assert.deepEqual([...idx.namesByDevno].sort(), [['253:0', 'labvg-pool'], ['253:1', 'labvg-vol1'], ['253:2', 'labvg-vol2'], ['253:3', 'labvg-snap1']]);
    assert.deepEqual([...idx.loopFiles].sort(), [['loop0', '/mnt/host-ext4/lab-data.img'], ['loop1', '/mnt/host-ext4/lab-meta.img']]);
    assert.equal(idx.poolTables.get('labvg-pool')?.fact.blockSectors, 128);
    assert.deepEqual(idx.poolTables.get('labvg-pool')?.fact.features, []);
  });

  test('a comment line ("#   +5 s: ...") does not open a block; status lines under it keep the command', () => {
    const doc = docOf('out-of-space-queue');
    assert.equal(doc.lineAt(5)?.kind, 'text');
    const p = doc.lineAt(6);
    assert.ok(p?.kind === 'dm-target');
    assert.equal(p.source, 'status');
    assert.deepEqual(p.device, { name: 'pool-oos', span: { start: 0, end: 0 }, fromCommand: true });
  });

  test('every fixture: every non-blank line of a dmsetup status/table block is a target line', () => {
    for (const name of ['live-pool-6.1', 'old-kernels', 'out-of-space-error', 'out-of-space-queue', 'user-transcript'] as const) {
      const doc = docOf(name);
      for (const seg of doc.blocks) {
        if (seg.prompt?.command !== 'dmsetup-status' && seg.prompt?.command !== 'dmsetup-table') continue;
        seg.lines.forEach((p, i) => {
          const text = doc.lineText(seg.start + i);
          if (i === 0 && seg.ownsPrompt) return;
          if (text.trim() === '' || text.startsWith('#')) return;
          assert.equal(p.kind, 'dm-target', `${name}:${seg.start + i} ${text}`);
        });
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Incremental updates
// ---------------------------------------------------------------------------------------------

/** Block-level findings (without the cross-block `related` links and document-level findings). */
function blockFindings(fs: Finding[]): string[] {
  return fs.filter((f) => f.code !== 'loop-file-not-shrinking').map((f) => JSON.stringify({ ...f, related: undefined })).sort();
}
function allFindings(fs: Finding[]): string[] {
  return fs.map((f) => JSON.stringify(f)).sort();
}

interface Edit {
  range: Range;
  text: string;
  label: string;
}

const SNIPPETS = [
  '# dmsetup status\n',
  '# dmsetup table\n',
  '\n',
  '\n\n',
  '# ',
  'x',
  ' ',
  '\t',
  '# dmsetup table\nlabvg-pool: 0 2097152 thin-pool 7:1 7:0 128 2048 0 \n',
  '0 131072 thin-pool 0 219/2048 1024/1024 - out_of_data_space discard_passdown queue_if_no_space - 512 \n',
  'docker-8:1-696417-pool: 0 419430400 thin-pool 73 633/524288 26115/3276800 - rw no_discard_passdown',
  'a\r\nb\r\n',
  '\r\n',
  '# docker info\n Data Space Used: 98.3 GB\n Data Space Total: 107.4 GB\n Data Space Available: 1.2 GB\n',
  '1.6G -rw------- 1 root root 200G Nov 12 11:52 /var/lib/docker/devicemapper/devicemapper/data\n',
  '# losetup -l\nNAME       SIZELIMIT OFFSET AUTOCLEAR RO BACK-FILE                   DIO LOG-SEC\n/dev/loop0         0      0         0  0 /var/lib/docker/devicemapper/devicemapper/data   0     512\n',
  '[   48.758789] operation not supported error, dev loop0, sector 0 op 0x3:(DISCARD) flags 0x0 phys_seg 1 prio class 2\n',
  'labvg-pool\t(253:0)\n',
];

/** A random edit: insert/delete characters or lines, paste snippets, split or join lines. */
function randomEdit(text: string, rnd: () => number): Edit {
  const lines = splitLines(text);
  const pick = <T,>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const line = Math.floor(rnd() * lines.length);
  const len = lines[line]!.length;
  const ch = Math.floor(rnd() * (len + 1));
  const at = { line, character: ch };
  switch (Math.floor(rnd() * 8)) {
    case 0: // insert one character
      return { range: { start: at, end: at }, text: pick(['x', '1', ':', '/', '-', ' ', '#', '\t', '(', ')']), label: 'insert char' };
    case 1: {
      // delete characters inside a line
      const end = Math.min(len, ch + 1 + Math.floor(rnd() * 6));
      return { range: { start: at, end: { line, character: end } }, text: '', label: 'delete chars' };
    }
    case 2: // paste a snippet (often multi-line)
      return { range: { start: at, end: at }, text: pick(SNIPPETS), label: 'paste' };
    case 3: {
      // delete whole lines
      const last = Math.min(lines.length - 1, line + 1 + Math.floor(rnd() * 3));
      return { range: { start: { line, character: 0 }, end: { line: last, character: 0 } }, text: '', label: 'delete lines' };
    }
    case 4: // split a line / insert a blank line
      return { range: { start: at, end: at }, text: pick(['\n', '\n\n', '\r\n']), label: 'newline' };
    case 5: {
      // join with the next line (removes the line break: may join two segments)
      if (line + 1 >= lines.length) return { range: { start: at, end: at }, text: '', label: 'noop' };
      return { range: { start: { line, character: len }, end: { line: line + 1, character: 0 } }, text: '', label: 'join lines' };
    }
    case 6: {
      // replace a range spanning lines with a snippet
      const last = Math.min(lines.length - 1, line + Math.floor(rnd() * 3));
      const endCh = Math.floor(rnd() * (lines[last]!.length + 1));
      const end = last === line ? Math.max(ch, endCh) : endCh;
      return { range: { start: at, end: { line: last, character: end } }, text: pick(SNIPPETS), label: 'replace' };
    }
    default: {
      // rewrite the command of a prompt line, if there is one
      const prompts = lines.map((l, i) => [l, i] as const).filter(([l]) => /^[#$] \w/.test(l));
      if (prompts.length === 0) return { range: { start: at, end: at }, text: '# dmsetup status\n', label: 'new prompt' };
      const [l, i] = pick(prompts);
      return { range: { start: { line: i, character: 2 }, end: { line: i, character: l.length } }, text: pick(['dmsetup status', 'dmsetup table', 'dmsetup ls', 'docker info', 'ls -lsh x', 'dmsetup status pool-oos', 'echo hi', 'lsblk -D']), label: 'rewrite prompt' };
    }
  }
}

function throwsOnFreshParse(text: string): boolean {
  try {
    new TranscriptDiagnostics(new TranscriptDocument(text)).compute(DEFAULT_THRESHOLDS);
    return false;
  } catch {
    return true;
  }
}

interface Run {
  edits: number;
  skipped: number;
}

/**
 * Applies `count` random edits to each fixture and checks after every edit that the incrementally
 * updated document equals a document parsed from scratch from the same text.
 * Edits whose result makes even a fresh parse throw (a known core bug, see hostile.test.ts) are skipped.
 */
function randomEditRun(seed: number, fixtures: readonly FixtureName[], count: number, compareFull: boolean): Run {
  const rnd = prng(seed);
  const run: Run = { edits: 0, skipped: 0 };
  for (const name of fixtures) {
    let text = readFixture(name);
    const doc = new TranscriptDocument(text);
    const diagnostics = new TranscriptDiagnostics(doc);
    diagnostics.compute(DEFAULT_THRESHOLDS);
    for (let i = 0; i < count; i++) {
      const edit = randomEdit(text, rnd);
      const next = applyEditToString(text, edit.range, edit.text);
      if (throwsOnFreshParse(next)) {
        run.skipped++;
        continue;
      }
      text = next;
      doc.update([{ range: edit.range, text: edit.text }]);
      run.edits++;
      const fresh = new TranscriptDocument(text);
      const where = `seed ${seed}, ${name}, edit ${i} (${edit.label} ${JSON.stringify(edit.range)} ${JSON.stringify(edit.text)})`;
      assert.equal(doc.lineCount, fresh.lineCount, `line count after ${where}`);
      assert.deepEqual(parseSnapshot(doc), parseSnapshot(fresh), `lines/kinds/tokens after ${where}`);
      assert.deepEqual(segmentSnapshot(doc), segmentSnapshot(fresh), `segments after ${where}`);
      const inc = diagnostics.compute(DEFAULT_THRESHOLDS);
      const ref = new TranscriptDiagnostics(fresh).compute(DEFAULT_THRESHOLDS);
      assert.deepEqual(blockFindings(inc), blockFindings(ref), `block diagnostics after ${where}`);
      if (compareFull) assert.deepEqual(allFindings(inc), allFindings(ref), `all diagnostics (with related lines) after ${where}`);
    }
  }
  return run;
}

describe('incremental updates equal a fresh parse', () => {
  test('scripted edits', () => {
    const cases: { fixture: FixtureName; edits: ContentChange[]; check?: (doc: TranscriptDocument) => void }[] = [
      {
        // change a prompt line: the status block becomes a table block, its lines are re-read
        fixture: 'user-transcript',
        edits: [{ range: { start: { line: 3, character: 10 }, end: { line: 3, character: 16 } }, text: 'table' }],
        check: (doc) => {
          const p = doc.lineAt(4);
          assert.ok(p?.kind === 'dm-target');
          assert.equal(p.source, 'table');
        },
      },
      {
        // insert a blank line inside a status block: the second half inherits the command
        fixture: 'live-pool-6.1',
        edits: [{ range: { start: { line: 53, character: 0 }, end: { line: 53, character: 0 } }, text: '\n' }],
        check: (doc) => {
          assert.equal(doc.lineAt(53)?.kind, 'blank');
          const p = doc.lineAt(54);
          assert.ok(p?.kind === 'dm-target');
          assert.equal(p.source, 'status');
        },
      },
      {
        // join two segments by deleting the blank line between them
        fixture: 'user-transcript',
        edits: [{ range: { start: { line: 7, character: 0 }, end: { line: 8, character: 0 } }, text: '' }],
      },
      {
        // delete a prompt line: its output now belongs to the block before it
        fixture: 'live-pool-6.1',
        edits: [{ range: { start: { line: 45, character: 0 }, end: { line: 46, character: 0 } }, text: '' }],
      },
      {
        // paste a multi-line block in the middle of a line
        fixture: 'user-transcript',
        edits: [{ range: { start: { line: 5, character: 10 }, end: { line: 5, character: 10 } }, text: '\n# dmsetup table\nlabvg-pool: 0 2097152 thin-pool 7:1 7:0 128 2048 0 \n# dmsetup status\nlabvg' }],
      },
      {
        // CRLF text pasted
        fixture: 'old-kernels',
        edits: [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: '# dmsetup status k36-pool\r\n0 2097152 thin-pool 1 200/4096 100/16384 - rw discard_passdown \r\n\r\n' }],
      },
      {
        // several changes in one update, applied in order
        fixture: 'out-of-space-queue',
        edits: [
          { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# uname -r\n6.1.0-56-amd64\n\n' },
          { range: { start: { line: 5, character: 0 }, end: { line: 6, character: 0 } }, text: '' },
          { range: { start: { line: 9, character: 0 }, end: { line: 9, character: 0 } }, text: '# dmsetup table pool-oos\n' },
        ],
      },
      {
        // whole-document replacement (no range)
        fixture: 'sizes',
        edits: [{ text: readFixture('docker-info-old') }],
      },
      {
        // positions past the end are clamped, as VS Code does
        fixture: 'user-transcript',
        edits: [{ range: { start: { line: 99, character: 99 }, end: { line: 120, character: 0 } }, text: '\n# dmsetup ls\nlabvg-pool\t(253:0)' }],
      },
    ];
    for (const c of cases) {
      let text = readFixture(c.fixture);
      const doc = new TranscriptDocument(text);
      const diagnostics = new TranscriptDiagnostics(doc);
      diagnostics.compute(DEFAULT_THRESHOLDS);
      doc.update(c.edits);
      for (const e of c.edits) text = e.range ? applyEditToString(text, e.range, e.text) : e.text;
      const fresh = new TranscriptDocument(text);
      const label = `${c.fixture} ${JSON.stringify(c.edits).slice(0, 120)}`;
      assert.deepEqual(allLines(doc), allLines(fresh), label);
      assert.deepEqual(parseSnapshot(doc), parseSnapshot(fresh), label);
      assert.deepEqual(segmentSnapshot(doc), segmentSnapshot(fresh), label);
      assert.deepEqual(blockFindings(diagnostics.compute(DEFAULT_THRESHOLDS)), blockFindings(new TranscriptDiagnostics(fresh).compute(DEFAULT_THRESHOLDS)), label);
      c.check?.(doc);
    }
  });

  test('update() returns the re-parsed segments; the index version moves only when facts change', () => {
    const doc = docOf('user-transcript');
    void doc.index;
    const v0 = doc.indexVersion;
    // typing into a prompt's command that does not change any fact
    const changed = doc.update([{ range: { start: { line: 8, character: 24 }, end: { line: 8, character: 24 } }, text: ':latest' }]);
    assert.ok(changed.length >= 1);
    assert.ok(changed.some((s) => s.start === 8));
    assert.equal(doc.indexVersion, v0, 'no fact changed');
    // changing a number of a pool status changes the facts
    doc.update([{ range: { start: { line: 6, character: 60 }, end: { line: 6, character: 65 } }, text: '99999' }]);
    assert.ok(doc.indexVersion > v0);
    assert.equal(doc.index.poolStatuses[1]?.fact.dataUsed, 99999);
  });

  test('~360 random edits over six fixtures: lines, kinds, tokens, segments and block diagnostics', (t) => {
    const fixtures: FixtureName[] = ['user-transcript', 'live-pool-6.1', 'out-of-space-queue', 'old-kernels', 'docker-info-new', 'sizes'];
    let edits = 0;
    let skipped = 0;
    for (const seed of [1, 2, 3]) {
      const run = randomEditRun(seed, fixtures, 20, false);
      edits += run.edits;
      skipped += run.skipped;
    }
    t.diagnostic(`${edits} edits applied, ${skipped} skipped because a fresh parse of the result throws`);
    assert.ok(edits >= 300, `only ${edits} edits were applied`);
  });

  test('random edits: all diagnostics including related lines and loop-file findings', () => {
    for (const seed of [1, 2, 3]) randomEditRun(seed, ['sizes', 'out-of-space-queue', 'user-transcript'], 20, true);
  });

  test('stale index, minimal case: loop-file-not-shrinking after a line is added to the status block above', () => {
    const D = '/var/lib/docker/devicemapper/devicemapper/data';
    const text = ['# dmsetup status', 'docker-253:1-8790943-pool: 0 209715200 thin-pool 339 876/524288 3243/1638400 - rw no_discard_passdown queue_if_no_space ', '', `# ls -lsh ${D}`, `1.6G -rw------- 1 root root 200G Nov 12 11:52 ${D}`, ''].join('\n');
    const doc = new TranscriptDocument(text);
    const diagnostics = new TranscriptDiagnostics(doc);
    const before = diagnostics.compute(DEFAULT_THRESHOLDS).filter((f) => f.code === 'loop-file-not-shrinking');
    assert.deepEqual(before.map((f) => f.range.start.line), [4]);
    const line1 = text.split('\n')[1]!;
    doc.update([{ range: { start: { line: 1, character: line1.length }, end: { line: 1, character: line1.length } }, text: '\nnote' }]);
    assert.equal(doc.lineText(5), `1.6G -rw------- 1 root root 200G Nov 12 11:52 ${D}`);
    const after = diagnostics.compute(DEFAULT_THRESHOLDS).filter((f) => f.code === 'loop-file-not-shrinking');
    assert.deepEqual(after.map((f) => f.range.start.line), [5]);
  });

  test('stale index, minimal case: "related" link to the pool table after a line is added above the table', () => {
    const text = ['# uname -r', '6.1.0-56-amd64', '# dmsetup table pool-oos', '0 131072 thin-pool 7:1 7:0 128 256 0 ', '# dmsetup status pool-oos', '0 131072 thin-pool 0 219/2048 1024/1024 - out_of_data_space discard_passdown queue_if_no_space - 512 '].join('\n');
    const doc = new TranscriptDocument(text);
    const diagnostics = new TranscriptDiagnostics(doc);
    diagnostics.compute(DEFAULT_THRESHOLDS);
    doc.update([{ range: { start: { line: 1, character: 14 }, end: { line: 1, character: 14 } }, text: '\nmore' }]);
    assert.equal(doc.lineText(4), '0 131072 thin-pool 7:1 7:0 128 256 0 ');
    const oos = diagnostics.compute(DEFAULT_THRESHOLDS).find((f) => f.code === 'out-of-data-space');
    assert.equal(oos?.related?.[0]?.range.start.line, 4);
  });

  test('inserting a lone CR right before an existing LF keeps the line count of the text', () => {
    const doc = new TranscriptDocument('a\nb');
    doc.update([{ range: { start: { line: 0, character: 1 }, end: { line: 0, character: 1 } }, text: '\r' }]);
    assert.equal(doc.lineCount, new TranscriptDocument('a\r\nb').lineCount);
  });
});

function typeCharByChar(full: string): TranscriptDocument {
  const doc = new TranscriptDocument('');
  let text = '';
  for (const ch of full) {
    const lines = splitLines(text);
    const end = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
    doc.update([{ range: { start: end, end }, text: ch }]);
    text += ch;
  }
  return doc;
}

describe('typing a transcript one character at a time', () => {
  test('user-transcript, docker-info-old and sizes typed at the end equal a fresh parse', () => {
    for (const name of ['user-transcript', 'docker-info-old', 'sizes'] as const) {
      const full = readFixture(name);
      assert.deepEqual(parseSnapshot(typeCharByChar(full)), parseSnapshot(new TranscriptDocument(full)), name);
    }
  });

  test('typing a pool table under "# dmsetup table" does not throw', () => {
    for (const name of ['out-of-space-error', 'live-pool-6.1'] as const) {
      const full = readFixture(name);
      assert.deepEqual(parseSnapshot(typeCharByChar(full)), parseSnapshot(new TranscriptDocument(full)), name);
    }
  });
});

test('all fixtures parse without throwing', () => {
  for (const name of FIXTURES) assert.doesNotThrow(() => docOf(name), name);
});
