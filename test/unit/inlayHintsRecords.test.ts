/**
 * Inlay hints read from thin-pool records (the fast path for segments of pool lines only) equal
 * the hints of every line re-parsed, and a line parsed alone equals it in its segment's parse, — on the generated benchmark transcript, on every transcript
 * fixture, and on random near-valid transcripts (fast-check).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { TranscriptDocument } from '../../server/src/core/index';
import { inlayHints, inlayHintsReparsed } from '../../server/src/core/analysis/inlayHints';
import { createRequire } from 'node:module';

// An ES module without types, loaded with require (as the stress test does).
const { generateTranscript } = createRequire(__filename)('../perf/transcript.bench.mjs') as { generateTranscript: (lines: number, o?: { quiet?: boolean; seed?: number }) => string };

const RUNS = Number(process.env['DMLENS_PROPERTY_RUNS'] ?? 1000);

function same(text: string, what: string): number {
  const doc = new TranscriptDocument(text);
  const n = doc.lineCount;
  // One line parsed alone (segments of pool lines only) equals that line in its whole segment's parse.
  for (const seg of doc.blocks) {
    const alone = Array.from({ length: seg.lineCount }, (_, i) => seg.line(i));
    assert.deepEqual(alone, seg.lines, `${what}: segment at line ${seg.start}`);
  }
  const fast = inlayHints(doc, 0, n);
  assert.deepEqual(fast, inlayHintsReparsed(doc, 0, n), what);
  // Windows that start and end inside segments, too.
  for (const [a, b] of [[1, 7], [3, Math.min(n, 40)], [Math.floor(n / 2), n]] as const) assert.deepEqual(inlayHints(doc, a, b), inlayHintsReparsed(doc, a, b), `${what} [${a}, ${b})`);
  return fast.length;
}

test('the generated benchmark transcript (loop-lvm and quiet pools)', () => {
  assert.ok(same(generateTranscript(3000), 'generated') > 2000, 'the record path was exercised');
  same(generateTranscript(3000, { quiet: true, seed: 4 }), 'generated quiet');
});

test('every transcript fixture', () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (!/\.(json|log)$/.test(f)) files.push(p);
    }
  };
  walk(join(__dirname, '..', 'fixtures'));
  assert.ok(files.length > 10);
  for (const f of files) same(readFileSync(f, 'utf8'), f);
});

test('property: random near-valid pool blocks, tabs, names from the command, odd numbers', () => {
  const num = fc.oneof(fc.nat(5_000_000).map(String), fc.constantFrom('0', '007', '99999999999999999999', '1e3', '-'));
  const status = fc.tuple(fc.constantFrom('', 'pool: ', 'docker-8:1-5-pool: ', 'a b: '), num, num, num, num, num, num, fc.constantFrom(' - rw discard_passdown queue_if_no_space - ', ' - ro', ' Fail', ' Error', ' 5 rw', '', ' out_of_data_space no_discard_passdown error_if_no_space needs_check 1024 '), fc.constantFrom(' ', '\t', '  '))
    .map(([p, s, l, t, mu, mt, du, rest, sep]) => `${p}${s} ${l} thin-pool ${t}${sep}${mu}/${mt} ${du}/${mt}${rest}`);
  const table = fc.tuple(fc.constantFrom('', 'pool: ', 'docker-8:1-5-pool: '), num, num, fc.constantFrom('7:1 7:0', '/dev/loop1 /dev/loop0', '253:1\t253:2', 'x'), num, num, fc.constantFrom('', ' 0', ' 1 skip_block_zeroing', ' 2 a'))
    .map(([p, s, l, devs, bs, lw, f]) => `${p}${s} ${l} thin-pool ${devs} ${bs} ${lw}${f}`);
  const block = fc.tuple(fc.constantFrom('# dmsetup status', '# dmsetup table', '$ sudo dmsetup status pool', '# dmsetup table pool', ''), fc.array(fc.oneof(status, table, fc.constant(''), fc.constant('0 2048 linear 7:0 0')), { maxLength: 6 }))
    .map(([prompt, lines]) => [prompt, ...lines].join('\n'));
  fc.assert(
    fc.property(fc.array(block, { maxLength: 5 }), (blocks) => {
      same(blocks.join('\n'), JSON.stringify(blocks));
    }),
    { numRuns: RUNS },
  );
});
