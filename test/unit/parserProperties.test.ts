/**
 * Property tests (fast-check) for the single-line and single-section parsers
 * and validators that properties.test.ts does not reach directly: one test per
 * module. On arbitrary and on near-valid input they never throw, every span
 * lies inside its input (and a token's text is the input's text there),
 * parsing twice gives the same answer, and where an inverse exists the round
 * trip holds (quote → split, format → parse, render → parse). The thin-pool
 * fast path (fastPoolLine.ts) must agree with the full parser on every line it
 * accepts. 1 000 cases each here; `npm run bench` runs 100 000
 * (DMLENS_PROPERTY_RUNS).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { parseColumnsHeader, parseColumnsRow } from '../../server/src/core/parsers/columns.js';
import { parseDmTargetLine, type TargetContext } from '../../server/src/core/parsers/dmTargetLine.js';
import { parseDmLs, parseDmTree } from '../../server/src/core/parsers/dmsetupLs.js';
import { parseDmDeps, parseDmInfoField, parseDmMessage, parseDmTargets, parseDmVersion } from '../../server/src/core/parsers/dmsetupMisc.js';
import { parseDockerInfo, parseDockerWarning } from '../../server/src/core/parsers/dockerInfo.js';
import { isJsSpace, scanPoolLine, trimmedEnd, type FastContext } from '../../server/src/core/parsers/fastPoolLine.js';
import { parseDuLine, parseLsLine, parseStatLine } from '../../server/src/core/parsers/fileSizes.js';
import { parseKernelLog } from '../../server/src/core/parsers/kernelLog.js';
import { parseLosetupA } from '../../server/src/core/parsers/losetup.js';
import { devno, num, parenDevno } from '../../server/src/core/parsers/numbers.js';
import { isPromptLine, parsePrompt, promptLength } from '../../server/src/core/parsers/prompt.js';
import { quoteCommand, shellWords } from '../../server/src/core/text/shellWords.js';
import { describeDevNumber, formatBinary, formatCount, formatDecimal, formatPercent, parseCoreutilsSize, parseDockerSize, parseUnsigned } from '../../server/src/core/text/units.js';
import { words } from '../../server/src/core/text/words.js';
import { splitLines } from '../../server/src/core/text/lines.js';
import { lineRange, type Range, type Span } from '../../server/src/core/text/position.js';
import { LineBuffer } from '../../server/src/core/text/lineBuffer.js';
import { goTrimSpan } from '../../server/src/core/text/ramInBytes.js';
import { entryFromProperty, entryFromString } from '../../server/src/core/daemonJson/storageOpts.js';
import { goString, mapString, TextMap } from '../../server/src/core/daemonJson/textMap.js';
import { scanTokens } from '../../server/src/core/daemonJson/jsonTokens.js';
import { dmDeprecationLog, dmUnknownOption, dmUnsupportedFs, keyValueError, shown, startupLine } from '../../server/src/core/daemonJson/dockerdText.js';
import { atLeast, compareVersions, MILESTONES, type EngineVersion } from '../../server/src/core/knowledge/engineVersions.js';
import { DOCKER_INFO_KEYS } from '../../server/src/core/knowledge/dockerInfoKeys.js';
import { nonceFromBytes, parseCollectorOutput } from '../../server/src/core/inspect/sections.js';
import { COLLECTOR_SECTIONS } from '../../server/src/core/inspect/collector.js';
import { parseArgv, parseBlockDevices, parseDockerDriver, parseFilesystems, parseLoopFiles, parseMounts, parseThinTools } from '../../server/src/core/inspect/sectionParsers.js';
import { measureReclaim } from '../../server/src/core/reclaim/measure.js';
import { RECLAIM_SCRIPT } from '../../server/src/core/reclaim/reclaimScript.js';
import { checkMountPoint, type StepOp } from '../../server/src/core/reclaim/plan.js';
import { parseEnvelope, type LogEnvelope } from '../../server/src/core/logs/envelope.js';
import { hostTokenProblem, parseSshConfigHosts } from '../../server/src/core/hosts/sshConfig.js';
import { detectInventoryFormat, MAX_RANGE_HOSTS, parseAnsibleInventory } from '../../server/src/core/hosts/ansibleInventory.js';
import { statusRecordOf, tableRecordOf } from '../../server/src/core/transcript/records.js';
import type { ColumnsRow } from '../../server/src/core/transcript/lineTypes.js';
import { hostReportFromOutput, type HostReport } from '../../server/src/core/index';
import { sshArgs } from '../../server/src/remote/ssh.js';

const RUNS = Number(process.env['DMLENS_PROPERTY_RUNS'] ?? 1000);
// The failing assertion's own message in the report, not only the counterexample.
const opts = { numRuns: RUNS, includeErrorInReport: true };
/** For the few properties too slow for 10^5 cases in `npm run bench` (YAML parsing): at most `max`. */
const capped = (max: number) => ({ ...opts, numRuns: Math.min(RUNS, max) });

// ─── helpers ────────────────────────────────────────────────────────────────

// The checks below build their failure message only when they fail: they run millions of times at 10^5 cases.
function check(ok: boolean, message: () => string): void {
  if (!ok) assert.fail(message());
}

function spanInside(s: Span, text: string, what: string): void {
  if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= text.length)) assert.fail(`${what}: [${s.start}, ${s.end}) outside ${JSON.stringify(text)}`);
}

/** Every token lies inside the line and its text is the line's text there. */
function tokensInside(tokens: readonly { start: number; end: number; text: string; role?: string }[], line: string, what: string): void {
  for (const t of tokens) {
    if (!(Number.isInteger(t.start) && Number.isInteger(t.end) && t.start >= 0 && t.start <= t.end && t.end <= line.length)) spanInside(t, line, `${what} ${t.role ?? ''}`);
    if (line.slice(t.start, t.end) !== t.text) assert.fail(`${what} ${t.role ?? ''}: token text ${JSON.stringify(t.text)} is not the line's text at [${t.start}, ${t.end}) of ${JSON.stringify(line)}`);
  }
}

function rangeInside(r: Range, lines: readonly string[], what: string): void {
  const ok = (p: { line: number; character: number }) => p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line]!.length;
  if (!(ok(r.start) && ok(r.end))) assert.fail(`${what}: ${JSON.stringify(r)} outside a ${lines.length}-line document`);
  if (!(r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character))) assert.fail(`${what}: reversed range ${JSON.stringify(r)}`);
}

const anyText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));
/** Characters that break formats in interesting ways (inserted by `near`); '' makes an edit a pure deletion. */
const ODD = ['', ' ', '  ', '\t', ':', '/', '-', '(', ')', '[', ']', ',', '.', '0', '9', 'x', '"', "'", '\\', '=', '#', '$', '%', 'é', '\u00a0', '\u3000', '\u2028', '\ufeff', '\r', '\u0000', '\u001b[31m', '🙂', '\ud800'];

/** A real-looking line, or one with a few characters inserted, deleted or replaced, or anything at all. */
function near(base: fc.Arbitrary<string>, weights: [base: number, mutated: number, any: number] = [5, 3, 1]): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat(), fc.nat({ max: 3 }), fc.constantFrom(...ODD));
  const mutated = fc.tuple(base, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([s, edits]) =>
    edits.reduce((t, [at, del, ins]) => {
      const i = at % (t.length + 1);
      return t.slice(0, i) + ins + t.slice(i + del);
    }, s),
  );
  return fc.oneof({ weight: weights[0], arbitrary: base }, { weight: weights[1], arbitrary: mutated }, { weight: weights[2], arbitrary: anyText });
}

/** Decimal numbers as dmsetup prints them, and the edge cases: leading zeros, 15/16 digits (the fast path's limit), beyond 2^53, beyond 40 digits. */
const digits = fc.oneof(
  { weight: 6, arbitrary: fc.nat({ max: 100_000 }).map(String) },
  { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }).map(String) },
  { weight: 1, arbitrary: fc.stringMatching(/^\d{1,22}$/) },
  { weight: 1, arbitrary: fc.constantFrom('0', '00', '007', '999999999999999', '1000000000000000', '9007199254740993', '99999999999999999999', '123456789012345678901', '9'.repeat(41)) },
);
/** What separates words: mostly one space, sometimes several, tabs. */
const gap = fc.constantFrom(' ', ' ', ' ', ' ', ' ', '  ', '\t', ' \t', '\t\t');
const trailing = fc.constantFrom('', '', '', ' ', '\t', '  ', '\u00a0', '\u3000', '\r', '\ufeff');

/** Joins words with generated gaps. */
function spaced(parts: fc.Arbitrary<string[]>): fc.Arbitrary<string> {
  return fc.tuple(parts, fc.array(gap, { minLength: 24, maxLength: 24 })).map(([ps, gs]) => ps.reduce((out, p, i) => (i === 0 ? p : out + gs[i % gs.length]! + p), ''));
}

/** JSON round trip: drops undefined and functions, keeps what a caller would compare. */
function plain(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x, (_k, v: unknown) => (v instanceof Map ? [...v.entries()] : v instanceof Set ? [...v] : v)) ?? 'null');
}

// ─── thin-pool lines (dmTargetLine and the fast path) ───────────────────────

/** Mostly numbers the fast path reads (≤ 15 digits), now and then an edge case. */
const n15 = fc.oneof({ weight: 10, arbitrary: fc.nat({ max: 100_000 }).map(String) }, { weight: 3, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }).map(String) }, { weight: 1, arbitrary: digits });
const rarely = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
const POOL_KEYWORDS = ['rw', 'ro', 'out_of_data_space', 'discard_passdown', 'no_discard_passdown', 'ignore_discard', 'queue_if_no_space', 'error_if_no_space', 'needs_check', '-'];
const ratio = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(n15, n15).map(([a, b]) => (BigInt(a) <= BigInt(b) ? `${a}/${b}` : `${b}/${a}`)) },
  { weight: 1, arbitrary: fc.tuple(digits, digits).map(([a, b]) => `${a}/${b}`) },
  { weight: 1, arbitrary: fc.constantFrom('0/0', '5/0', '0/5', '/5', '5/', '1/2/3', 'x/1', '1/x', '633/524288', '26115/1638400') },
);
const poolStatusParams = fc
  .tuple(
    n15,
    ratio,
    ratio,
    fc.oneof({ weight: 6, arbitrary: fc.constant('-') }, { weight: 3, arbitrary: n15 }, { weight: 1, arbitrary: fc.constantFrom('x', 'Fail', '-1') }),
    fc.shuffledSubarray(POOL_KEYWORDS),
    fc.option(n15, { nil: undefined }),
    rarely(fc.tuple(fc.nat(), fc.constantFrom('rw', 'ro', '-', 'needs_check', 'Fail', 'Error', 'x', 'rw,', 'RW', '12'))),
    fc.oneof({ weight: 6, arbitrary: fc.constant(99) }, { weight: 1, arbitrary: fc.nat({ max: 6 }) }),
  )
  .map(([tx, meta, data, held, kws, low, odd, keep]) => {
    const ps = [tx, meta, data, held, ...kws];
    if (low !== undefined) ps.push(low);
    if (odd) ps.splice(3 + (odd[0] % (ps.length - 2)), 0, odd[1]);
    return ps.slice(0, keep);
  });
const devArg = fc.constantFrom('253:1', '253:2', '7:0', '7:1', '/dev/loop0', '/dev/loop12', '/dev/loop', '/dev/sdb', '/dev/mapper/vg-pool_tdata', '12345678901:1', '1:12345678901', '0253:00', 'a:b', '253:', ':1', 'x');
const FEATURES = ['skip_block_zeroing', 'ignore_discard', 'no_discard_passdown', 'read_only', 'error_if_no_space', 'odd_feature'];
const poolTableParams = fc
  .tuple(
    devArg,
    devArg,
    fc.oneof({ weight: 6, arbitrary: fc.constantFrom('128', '256', '1024', '65536', '2097152') }, { weight: 1, arbitrary: fc.constantFrom('0', '100', '2097280', '0128', '127') }, { weight: 1, arbitrary: digits }),
    n15,
    fc.array(fc.constantFrom(...FEATURES), { maxLength: 4 }),
    fc.oneof({ weight: 8, arbitrary: fc.constant('right') }, { weight: 1, arbitrary: fc.constantFrom('none', 'wrong', 'word') }),
    digits,
    fc.oneof({ weight: 6, arbitrary: fc.constant(99) }, { weight: 1, arbitrary: fc.nat({ max: 6 }) }),
  )
  .map(([meta, data, block, low, features, count, wrong, keep]) => {
    const ps = [meta, data, block, low];
    if (count === 'right') ps.push(String(features.length), ...features);
    else if (count === 'wrong') ps.push(wrong, ...features);
    else if (count === 'word') ps.push('x', ...features);
    return ps.slice(0, keep);
  });
const devicePrefix = fc.oneof(
  { weight: 6, arbitrary: fc.constant('') },
  { weight: 4, arbitrary: fc.constantFrom('docker-253:0-1-pool: ', 'vg-tpool: ', 'pool: ', 'x:y: ') },
  { weight: 1, arbitrary: fc.constantFrom(': ', 'a: b: ', 'n'.repeat(1030) + ': ', 'p:  ', 'p:\t', `${'n'.repeat(1022)}: `) },
);
const headNumber = fc.oneof({ weight: 4, arbitrary: n15 }, { weight: 1, arbitrary: fc.constantFrom('0', '209715200') });
const targetName = fc.oneof({ weight: 12, arbitrary: fc.constant('thin-pool') }, { weight: 1, arbitrary: fc.constantFrom('thin', 'linear', 'thin-pool2', 'Thin-pool', 'striped', 'thin-pool:') });
const headGap = fc.oneof({ weight: 16, arbitrary: fc.constant(' ') }, { weight: 1, arbitrary: fc.constantFrom('  ', '\t') });
/** Near-valid `dmsetup status` / `dmsetup table` lines of thin pools (and a few other targets). */
const poolLine = near(
  fc
    .tuple(devicePrefix, headNumber, headGap, headNumber, headGap, targetName, spaced(fc.oneof(poolStatusParams, poolTableParams)), headGap, trailing)
    .map(([prefix, start, g1, length, g2, target, ps, g3, end]) => `${prefix}${start}${g1}${length}${g2}${target}${ps ? g3 + ps : ''}${end}`),
  [12, 3, 1],
);
const targetCtx = fc.record({ source: fc.constantFrom(undefined, 'status' as const, 'table' as const), deviceArg: fc.constantFrom(undefined, 'pool', '') });

/** A record without its links to the segment and to itself (set when a segment is made). */
function withoutLinks<T extends object>(r: T): Partial<T> {
  const out: Partial<T> = { ...r };
  delete (out as { block?: unknown }).block;
  delete (out as { fact?: unknown }).fact;
  return out;
}

test('fastPoolLine: wherever the fast path accepts a thin-pool line, its record equals the full parser\'s', () => {
  let accepted = 0;
  let statuses = 0;
  fc.assert(
    fc.property(poolLine, targetCtx, (line, ctx: FastContext) => {
      const fast = scanPoolLine(line, ctx, 7);
      if (!fast) return;
      accepted++;
      // What parseBlock does when the fast path declines: the full parser on the trimmed line, same context.
      const slow = parseDmTargetLine(line.trimEnd(), ctx);
      if (!slow) assert.fail(`fast path accepted a line the full parser rejects: ${JSON.stringify(line)}`);
      const params = slow.params;
      if (params.form === 'thin-pool-status') {
        statuses++;
        check(params.problem === undefined, () => `fast path accepted a status line with a problem: ${JSON.stringify(line)}`);
        assert.deepEqual(withoutLinks(fast), withoutLinks(statusRecordOf(slow, params, 7)));
      } else if (params.form === 'thin-pool-table') {
        check(params.problem === undefined, () => `fast path accepted a table line with a problem: ${JSON.stringify(line)}`);
        assert.deepEqual(withoutLinks(fast), withoutLinks(tableRecordOf(slow, params, 7)));
      } else {
        assert.fail(`fast path accepted a ${params.form} line: ${JSON.stringify(line)}`);
      }
    }),
    opts,
  );
  // The property must not hold vacuously: the generator reaches both forms.
  assert.ok(accepted >= RUNS / 10 && statuses > 0 && statuses < accepted, `fast path accepted ${accepted} of ${RUNS} lines (${statuses} statuses)`);
  // trimmedEnd mirrors String.prototype.trimEnd for every UTF-16 code unit.
  for (let c = 0; c <= 0xffff; c++) check(isJsSpace(c) === (String.fromCharCode(c).trimEnd() === ''), () => `U+${c.toString(16)}`);
  fc.assert(fc.property(near(poolLine), (line) => assert.equal(trimmedEnd(line), line.trimEnd().length)), opts);
});

test('dmTargetLine: never throws; tokens and spans inside the line; the same parse twice and with trailing blanks', () => {
  const otherTargets = near(
    spaced(
      fc.tuple(devicePrefix, digits, digits, fc.constantFrom('thin', 'linear', 'striped', 'error', 'thin-pool'), fc.array(fc.oneof(digits, devArg, fc.constantFrom('-', 'Fail', 'Error', '/dev/loop0')), { maxLength: 4 })).map(([p, s, l, t, rest]) => [`${p}${s}`, l, t, ...rest]),
    ),
  );
  fc.assert(
    fc.property(fc.oneof(poolLine, otherTargets), targetCtx, trailing, (line, ctx: TargetContext, blank) => {
      const p = parseDmTargetLine(line, ctx);
      assert.deepEqual(parseDmTargetLine(line, ctx), p);
      assert.deepEqual(parseDmTargetLine(line + blank + ' ', ctx), p);
      if (!p) return;
      const text = line.trimEnd();
      tokensInside(p.tokens, text, 'dm-target');
      for (const s of [p.start.span, p.length.span, p.target.span, ...(p.device ? [p.device.span] : [])]) spanInside(s, text, 'dm-target head');
      for (const n of [p.start, p.length]) {
        assert.equal(n.value, Number(text.slice(n.span.start, n.span.end)));
        assert.equal(n.exact, Number.isSafeInteger(n.value));
      }
      const q = p.params;
      const spans: Span[] = [];
      if (q.form === 'thin-pool-status') {
        spans.push(...q.unknown);
        for (const x of [q.transaction, q.metaUsed, q.metaTotal, q.dataUsed, q.dataTotal, q.metaLowWater, q.heldRoot, q.mode, q.discard, q.noSpace, q.needsCheck]) if (x) spans.push(x.span);
        for (const x of [q.metaSpan, q.dataSpan]) if (x) spans.push(x);
      } else if (q.form === 'thin-pool-table') {
        spans.push(q.metaDev.span, q.dataDev.span, ...q.features.map((f) => f.span));
        for (const x of [q.blockSectors, q.lowWater, q.featureCount, q.metaDev.devno, q.dataDev.devno]) if (x) spans.push(x.span);
      }
      for (const s of spans) spanInside(s, text, `${q.form} field`);
    }),
    opts,
  );
});

// ─── other transcript line parsers ──────────────────────────────────────────

test('columns: headers and rows stay inside the line; aligned rows give every cell back to its column', () => {
  const TABLES: Record<string, { required: string[]; known: string[] }> = {
    'dmsetup-info': { required: ['Name', 'Maj', 'Min'], known: ['Stat', 'Open', 'Targ', 'Event', 'UUID', 'BlkDevName', 'DevNo'] },
    losetup: { required: ['NAME', 'BACK-FILE'], known: ['SIZELIMIT', 'OFFSET', 'AUTOCLEAR', 'RO', 'DIO', 'LOG-SEC', 'MAJ:MIN'] },
    lsblk: { required: ['NAME', 'DISC-MAX'], known: ['KNAME', 'TYPE', 'SIZE', 'MAJ:MIN', 'RM', 'RO', 'DISC-ALN', 'DISC-GRAN', 'DISC-ZERO', 'MOUNTPOINT'] },
    lvs: { required: ['LV', 'VG', 'Attr'], known: ['LSize', 'Pool', 'Origin', 'Data%', 'Meta%', 'Move', 'Log', 'Cpy%Sync', '#Thins', 'Health'] },
  };
  const cellWord = fc.stringMatching(/^[A-Za-z0-9_./:%-]{1,12}$/);
  const table = fc
    .constantFrom(...Object.keys(TABLES))
    .chain((t) => fc.tuple(fc.constant(t), fc.shuffledSubarray(TABLES[t]!.known, { minLength: 1 }), fc.nat()))
    .chain(([t, extra, at]) => {
      const names = [...TABLES[t]!.required];
      for (const e of extra) names.splice(at % (names.length + 1), 0, e);
      const cell = (name: string) => (name === 'BACK-FILE' ? fc.array(cellWord, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' ')) : cellWord);
      const row = fc.tuple(...names.map(cell));
      return fc.tuple(fc.constant(names), fc.array(row, { minLength: 1, maxLength: 4 }), fc.array(fc.nat({ max: 3 }), { minLength: names.length, maxLength: names.length }));
    });
  fc.assert(
    fc.property(table, fc.array(near(fc.constant('x')), { maxLength: 3 }), ([names, rows, pads], junk) => {
      // Left-aligned columns, each as wide as its longest entry plus 1–4 spaces.
      const widths = names.map((n, i) => Math.max(n.length, ...rows.map((r) => r[i]!.length)) + 1 + pads[i]!);
      const render = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('');
      const headerLine = render(names);
      const header = parseColumnsHeader(headerLine);
      assert.ok(header, headerLine);
      assert.deepEqual(header.columns.map((c) => c.name), names);
      tokensInside(header.tokens, headerLine, 'header');
      assert.deepEqual(parseColumnsHeader(headerLine), header);
      for (const r of rows) {
        const line = render(r);
        const row: ColumnsRow = parseColumnsRow(line, header)!;
        tokensInside(row.tokens, line, 'row');
        assert.deepEqual(parseColumnsRow(line, header), row);
        assert.deepEqual(Object.fromEntries([...row.cells].map(([k, v]) => [k, v.text])), Object.fromEntries(names.map((n, i) => [n, r[i]])));
        for (const [, c] of row.cells) assert.equal(line.slice(c.span.start, c.span.end), c.text);
      }
      // Any line under any header: cells inside, named after columns.
      for (const j of [...junk, headerLine.slice(3), ` ${rows[0]!.join('  ')}   extra words`]) {
        const row = parseColumnsRow(j, header);
        if (!row) continue;
        tokensInside(row.tokens, j, 'junk row');
        for (const [k, c] of row.cells) {
          assert.ok(names.includes(k));
          spanInside(c.span, j, 'cell');
        }
      }
    }),
    opts,
  );
  fc.assert(
    fc.property(near(spaced(fc.array(fc.constantFrom('NAME', 'Name', 'Maj', 'Min', 'BACK-FILE', 'DISC-MAX', 'LV', 'VG', 'Attr', 'x', 'UUID'), { maxLength: 6 }))), (line) => {
      const h = parseColumnsHeader(line);
      assert.deepEqual(parseColumnsHeader(line), h);
      if (h) tokensInside(h.tokens, line, 'header');
    }),
    opts,
  );
});

test('dmsetupLs: ls and ls --tree lines stay inside the line; a TAB line parses the same inside and outside an ls block', () => {
  const name = fc.constantFrom('docker-253:0-1-pool', 'vg-tpool', 'pool', 'a b', 'x(1:2)', 'docker-8:1-1-base', 'é');
  const devnoText = fc.tuple(fc.oneof(digits, fc.constant('253')), fc.constantFrom(':', ', ', ','), fc.oneof(digits, fc.constant('0'))).map(([a, s, b]) => `(${a}${s}${b})`);
  const lsLine = near(fc.tuple(name, fc.constantFrom('\t', '\t', ' ', '  '), fc.oneof(devnoText, fc.constantFrom('(dm-0)', '(dm-12)', '(dm-)')), trailing).map((ps) => ps.join('')));
  const connector = fc.constantFrom(' ├─', ' └─', ' │ ', ' |-', ' `-', ' | ', '   ', '├-');
  const treeLine = near(
    fc.tuple(fc.array(connector, { maxLength: 4 }), fc.constantFrom('', 'pool', 'docker-253:0-1-pool', 'vg-tpool_tdata'), fc.constantFrom('', ' <thin-pool>', ' <bad type>'), fc.constantFrom(' ', '', '  '), devnoText, fc.constantFrom('', ' extra', '\textra')).map(([c, n, t, s, d, e]) => `${c.join('')}${n}${t}${s}${d}${e}`),
  );
  fc.assert(
    fc.property(lsLine, treeLine, (ls, tree) => {
      for (const inBlock of [false, true]) {
        const p = parseDmLs(ls, inBlock);
        assert.deepEqual(parseDmLs(ls, inBlock), p);
        if (!p) continue;
        tokensInside(p.tokens, ls, 'dm-ls');
        if (p.devno) assert.match(ls.slice(p.devno.span.start, p.devno.span.end), /^\(\d+(:|, ?)\d+\)$/);
        if (!inBlock) assert.deepEqual(parseDmLs(ls, true), p);
      }
      const t = parseDmTree(tree);
      assert.deepEqual(parseDmTree(tree), t);
      if (t) {
        tokensInside(t.tokens, tree, 'dm-tree');
        assert.ok(Number.isInteger(t.depth) && t.depth >= 0);
        assert.equal(tree.slice(t.devno.span.start, t.devno.span.end), `(${tree.slice(t.devno.span.start + 1, t.devno.span.end - 1)})`);
      }
    }),
    opts,
  );
});

test('dmsetupMisc: info, deps, version, targets and message lines stay inside the line and parse the same twice', () => {
  const info = fc
    .tuple(fc.constantFrom('Name', 'State', 'Read Ahead', 'Tables present', 'Open count', 'Event number', 'Major, minor', 'Number of targets', 'UUID', 'Blkdevname', 'Deferred remove', 'Other'), fc.constantFrom(':', ': ', ':              ', ':\t'), fc.constantFrom('', 'ACTIVE', '253, 0', '253,0', 'LVM-abc', '256', 'docker-253:0-1-pool', '0, 0 x'))
    .map(([k, s, v]) => `${k}${s}${v}`);
  const deps = fc
    .tuple(fc.constantFrom('', 'pool: ', 'docker-253:0-1-pool: ', 'a: b: '), digits, fc.constantFrom(' dependencies\t: ', ' dependencies  :', ' dependencies:'), fc.array(fc.constantFrom('(7, 0)', '(7,1)', '(loop0)', '(253, 2)', '(a b)', '()'), { maxLength: 3 }))
    .map(([d, n, s, ds]) => `${d}${n}${s}${ds.join(' ')}`);
  const version = fc.tuple(fc.constantFrom('Library', 'Driver', 'Kernel'), fc.constantFrom(' version:', ' version:  ', ' version:\t'), fc.constantFrom('1.02.175 (2021-01-08)', '4.45.0', '', '1.02.175 (2021-01-08)   ')).map((ps) => ps.join(''));
  const targets = fc.tuple(fc.constantFrom('thin-pool', 'thin', 'linear', 'Striped', 'a'.repeat(33)), fc.constantFrom('\t', ' ', '  ', ''), fc.constantFrom('v1.22.0', 'v1.2', '1.2.3', 'v1.22.0 ')).map((ps) => ps.join(''));
  const message = fc.constantFrom('No devices found', 'Device does not exist.', 'Command failed', 'Command failed.', 'device-mapper: reload ioctl on pool  failed: Device or resource busy', 'device-mapper: ioctl on  failed:');
  fc.assert(
    fc.property(near(fc.oneof(info, deps, version, targets, message)), trailing, (raw, blank) => {
      const line = raw + blank;
      for (const parse of [parseDmInfoField, parseDmDeps, parseDmVersion, parseDmTargets, parseDmMessage]) {
        const p = parse(line);
        assert.deepEqual(parse(line), p);
        if (!p) continue;
        tokensInside(p.tokens, line, p.kind);
        if (p.kind === 'dm-info') {
          assert.equal(line.slice(p.valueSpan.start, p.valueSpan.end), p.value);
          if (p.devno) assert.equal(p.key, 'Major, minor');
        }
        if (p.kind === 'dm-deps') for (const d of p.deps) assert.equal(line.slice(d.span.start, d.span.end), d.text.startsWith('(') ? d.text : `(${d.text})`);
      }
    }),
    opts,
  );
});

test('dockerInfo: key/value and warning lines stay inside the line; sizes read back what HumanSize printed', () => {
  const keys = Object.keys(DOCKER_INFO_KEYS);
  const sizeKeys = keys.filter((k) => DOCKER_INFO_KEYS[k]!.size);
  const value = fc.oneof(fc.constantFrom('', 'devicemapper', '1.59 GB', '65.54kB', '0B', '107.4GB', '1e3 GB', '12 XB', 'true', ' padded '), fc.string({ maxLength: 12 }));
  const kv = fc.tuple(fc.constantFrom('', ' ', '  ', '\t', '         '), fc.oneof(fc.constantFrom(...keys), fc.constantFrom('Unknown Key', 'lower key', 'Storage Driver2')), fc.constantFrom(':', ': ', ':\t', ':   '), value).map((ps) => ps.join(''));
  const warning = fc.tuple(fc.constantFrom('', ' ', '\t'), fc.constantFrom('WARNING: Usage of loopback devices is strongly discouraged for production use.', 'WARNING: the devicemapper storage-driver is deprecated, and will be removed in a future release.', 'Use `--storage-opt dm.thinpooldev` to specify a custom block storage device.', 'WARNING: No swap limit support', 'Refer to the documentation for more information.')).map((ps) => ps.join(''));
  fc.assert(
    fc.property(near(fc.oneof(kv, warning)), (line) => {
      for (const inBlock of [false, true]) {
        const p = parseDockerInfo(line, inBlock);
        assert.deepEqual(parseDockerInfo(line, inBlock), p);
        if (!p) continue;
        if (!inBlock) assert.deepEqual(parseDockerInfo(line, true), p);
        const text = line.trimEnd();
        tokensInside(p.tokens, text, 'docker-info');
        assert.equal(text.slice(p.valueSpan.start, p.valueSpan.end), p.value);
        assert.equal(p.known, Object.hasOwn(DOCKER_INFO_KEYS, p.key));
        if (p.bytes !== undefined) assert.ok(p.bytes >= 0, `${line} → ${p.bytes}`);
      }
      const w = parseDockerWarning(line);
      assert.deepEqual(parseDockerWarning(line), w);
      if (w) tokensInside(w.tokens, line, 'docker-warning');
    }),
    opts,
  );
  fc.assert(
    fc.property(fc.constantFrom(...sizeKeys), fc.maxSafeNat(), fc.constantFrom(' ', '  '), fc.boolean(), (key, bytes, indent, space) => {
      const printed = formatDecimal(bytes);
      const shownValue = space ? printed.replace(/(?=[kMGTPE]?B$)/, ' ') : printed;
      const p = parseDockerInfo(`${indent}${key}: ${shownValue}`, false)!;
      assert.ok(p.bytes !== undefined && Math.abs(p.bytes - bytes) <= bytes * 5e-4 + 0.5, `${bytes} → ${shownValue} → ${p.bytes}`);
    }),
    opts,
  );
});

test('fileSizes: ls, du and stat lines stay inside the line; sizes are never negative or NaN', () => {
  const perms = fc.constantFrom('-rw-r--r--', '-rw-------.', 'drwxr-xr-x', 'lrwxrwxrwx', 'brw-rw----', '-rwsr-xr-T+', 'crw-rw-rw-@');
  const size = fc.oneof(digits, fc.constantFrom('1.6G', '200G', '4.0K', '0', '1,5M', '12K', '253, 0', '7,1', '100'));
  const date = fc.constantFrom('Mar  5 10:01', 'Jan 12  2023', '2024-03-05', '2024-03-05 10:01', '2024-03-05 10:01:04.123456789 +0100');
  const path = fc.constantFrom('data', '/var/lib/docker/devicemapper/devicemapper/data', 'a file with spaces', 'link -> target', '100', 'Mar', '1.6G');
  const ls = fc.tuple(fc.option(size, { nil: undefined }), perms, fc.constantFrom('1', '2', '100'), fc.constantFrom('root', '100', 'u g'), fc.constantFrom('root', 'docker'), size, date, path).map(([blocks, p, links, owner, group, s, d, f]) => `${blocks !== undefined ? `${blocks} ` : ''}${p} ${links} ${owner} ${group} ${s} ${d} ${f}`);
  const du = fc.tuple(size, fc.constantFrom('\t', ' ', '\t\t'), path).map((ps) => ps.join(''));
  const stat = fc.tuple(digits, digits, fc.constantFrom('512', '4096', '1234567'), fc.constantFrom('', ' data', ' a b', ' ')).map(([s, b, u, n]) => `${s} ${b} ${u}${n}`);
  fc.assert(
    fc.property(near(fc.oneof(spaced(ls.map((l) => l.split(' '))), ls, du, stat)), trailing, fc.boolean(), fc.boolean(), fc.boolean(), (raw, blank, a, h, b) => {
      const line = raw + blank;
      const parsed = [parseLsLine(line), parseDuLine(line, a, h, b), parseStatLine(line, 'arg'), parseStatLine(line, undefined)];
      assert.deepEqual([parseLsLine(line), parseDuLine(line, a, h, b), parseStatLine(line, 'arg'), parseStatLine(line, undefined)], parsed);
      for (const p of parsed) {
        if (!p) continue;
        tokensInside(p.tokens, line.trimEnd(), `${p.tool} line`);
        for (const v of [p.allocated, p.apparent]) if (v !== undefined) assert.ok(v >= 0, `${line} → ${v}`);
        const pathToken = p.tokens.find((t) => t.role === 'file.path');
        if (pathToken) assert.equal(pathToken.text, p.path);
      }
    }),
    opts,
  );
});

test('kernelLog: device-mapper and discard-error lines; every token is the line\'s text at its span', () => {
  const prefix = fc.constantFrom('', '[   64.772053] ', '[  12.5]', '[Tue Mar  5 10:01:04 2024] ', 'Mar  5 10:01:04 thinlab kernel: ', 'Mar  5 10:01:04 thinlab kernel: [   64.772053] ', '2024-03-05T10:01:04+0100 host kernel: ', 'x kernel: ', 'device-mapper: x kernel: ', 'error, dev a kernel: ', 'device-mapper: thin: kernel: ');
  const dm = fc.tuple(prefix, fc.constantFrom('thin', 'thin-pool', 'ioctl', 'table', 'a b', ''), fc.constantFrom(': ', ':'), fc.constantFrom('', '253:0: ', '253:00: ', '12345678901:1: ', '7:1:'), fc.constantFrom('switching pool to out-of-data-space (queue IO) mode', 'reached low water mark for data device: sending event.', '', 'device-mapper: thin: 1:2: nested')).map(([p, m, s, d, msg]) => `${p}device-mapper: ${m}${s}${d}${msg}`);
  const discard = fc.tuple(prefix, fc.constantFrom('operation not supported', 'I/O', 'critical target', 'blk_update_request', 'x y'), fc.constantFrom('sda', 'loop0', 'dm-3', 'a b'), digits, fc.constantFrom('', ' prio class 0', ' 0x3:(DISCARD)')).map(([p, kind, dev, sector, rest]) => `${p}${kind} error, dev ${dev}, sector ${sector} op 0x3:(DISCARD)${rest}`);
  fc.assert(
    fc.property(near(fc.oneof(dm, discard)), trailing, (raw, blank) => {
      const line = raw + blank;
      const p = parseKernelLog(line);
      assert.deepEqual(parseKernelLog(line), p);
      if (!p) return;
      tokensInside(p.tokens, line.trimEnd(), 'kernel-log');
      if (p.devno) assert.deepEqual(line.slice(p.devno.span.start, p.devno.span.end).split(':').map(Number), [p.devno.major, p.devno.minor]);
    }),
    opts,
  );
  // Found by this property: the module, device number and discard device were located at the
  // first "device-mapper: " / ", dev " of the line, not where the pattern matched.
  for (const line of ['device-mapper: x kernel: device-mapper: thin: 253:0: msg', 'x error, dev a kernel: I/O error, dev sda, sector 1 op 0x3:(DISCARD)']) {
    tokensInside(parseKernelLog(line)!.tokens, line, 'kernel-log regression');
  }
});

test('losetup: `losetup -a` lines stay inside the line; the back file is the text between the outer parentheses', () => {
  const file = fc.oneof(fc.constantFrom('/var/lib/docker/devicemapper/devicemapper/data', '/a b/c (deleted)', '(x)', '((', '))', '/f) (g', ' ', 'a) ', '( '), fc.string({ maxLength: 10 }));
  const line = fc.tuple(fc.constantFrom('/dev/loop0', '/dev/loop12', '/dev/loop', '/dev/sda'), fc.constantFrom('[2049]', '[0805]', '[fd00:3]', '[]'), digits, file, fc.constantFrom('', ' ', '\t', ') ', ' )')).map(([d, dev, ino, f, end]) => `${d}: ${dev}:${ino} (${f})${end}`);
  fc.assert(
    fc.property(near(line), (l) => {
      const p = parseLosetupA(l);
      assert.deepEqual(parseLosetupA(l), p);
      if (!p) return;
      tokensInside(p.tokens, l, 'losetup');
      for (const [, c] of p.cells) assert.equal(l.slice(c.span.start, c.span.end), c.text);
      const file = p.cells.get('BACK-FILE')!;
      assert.equal(l[file.span.start - 1], '(');
      assert.match(l.slice(file.span.end), /^\)\s*$/);
    }),
    opts,
  );
});

test('numbers: num, devno and parenDevno read exactly the digits at their span', () => {
  const word = fc.oneof(digits, devArg, fc.constantFrom('', '-1', '1e3', '0x10', '١٢'));
  const line = near(fc.tuple(fc.string({ maxLength: 6 }), fc.constantFrom('(253:2)', '(253, 2)', '(7,0)', '(12345678901:1)', '(1:)', '(:1)', '(0:0)'), fc.string({ maxLength: 6 })).map((ps) => ps.join('')));
  fc.assert(
    fc.property(word, fc.nat({ max: 20 }), line, fc.nat({ max: 30 }), (w, at, l, from) => {
      const span = { start: at, end: at + w.length, text: w };
      const n = num(span);
      if (n) {
        assert.match(w, /^\d{1,40}$/);
        assert.equal(n.value, Number(w));
        assert.equal(n.exact, Number.isSafeInteger(n.value));
        assert.deepEqual(n.span, { start: span.start, end: span.end });
      } else assert.doesNotMatch(w, /^\d{1,40}$/);
      const d = devno(span);
      if (d) assert.deepEqual(w.split(':').map(Number), [d.major, d.minor]);
      const p = parenDevno(l, from);
      if (p) {
        spanInside(p.span, l, 'parenDevno');
        assert.ok(p.span.start >= from);
        const m = /^\((\d+)(?::|, ?)(\d+)\)$/.exec(l.slice(p.span.start, p.span.end))!;
        assert.deepEqual([p.major, p.minor], [Number(m[1]), Number(m[2])]);
      }
      assert.equal(num(undefined), undefined);
    }),
    opts,
  );
});

test('prompt: the shortcut agrees with the prompt pattern; prompt lines parse the same twice and name the dmsetup command', () => {
  // Copied from prompt.ts: promptLength's character checks must give what this pattern gives.
  const PROMPT = /^(?:\[[^\]]{1,200}\]\s?[#$]|[\w.-]{1,64}@[\w.-]{1,253}(?::[^\s#$]{0,200})?\s?[#$]|[\w.-]{1,64}[#$]|[#$])(?: |$)/;
  const sign = fc.constantFrom('# ', '$ ', '[root@host ~]# ', 'user@host:~$ ', 'ops@web-1:/var/lib$ ', 'host# ', 'h.example.com$ ', '#', '$', 'Step# ', '-x@y# ', '.h# ', `${'a'.repeat(64)}# `, `${'a'.repeat(65)}# `, `${'a'.repeat(63)}@h# `, '#!', '$HOME ', '[x] # ', '[]# ');
  const command = fc.constantFrom('dmsetup status', 'sudo -n dmsetup table pool', 'dmsetup ls --tree', 'env A=1 time dmsetup info -c', 'docker info', 'docker system info', 'ls -lsh /var/lib/docker', 'du -h --apparent-size x', "stat -c '%s %b %B' data", 'losetup -a', 'journalctl -k | grep thin', 'dmesg -T', "echo 'a b' > f", '/usr/sbin/dmsetup deps', '1', '', '   ', 'x; dmsetup status');
  fc.assert(
    fc.property(near(fc.tuple(sign, command).map(([s, c]) => s + c)), (line) => {
      const m = PROMPT.exec(line);
      const expected = m && !/^[.-]/.test(line) ? m[0].length : -1;
      check(promptLength(line) === expected, () => `promptLength(${JSON.stringify(line)}) = ${promptLength(line)}, the pattern says ${expected}`);
      const p = parsePrompt(line);
      assert.equal(isPromptLine(line), p !== undefined);
      assert.deepEqual(parsePrompt(line), p);
      if (!p) return;
      tokensInside(p.tokens, line, 'prompt');
      const ws = shellWords(line, expected).map((w) => w.text);
      assert.deepEqual(ws.slice(ws.length - p.argv.length), p.argv);
    }),
    opts,
  );
  const dev = fc.constantFrom(undefined, 'pool', 'docker-253:0-1-pool', "'a b'");
  fc.assert(
    fc.property(fc.constantFrom('# ', '$ ', '[root@h ~]# '), fc.shuffledSubarray(['sudo -n', 'env DM_X=1', 'time']), fc.constantFrom('dmsetup', '/sbin/dmsetup'), fc.shuffledSubarray(['--noheadings', '-v', '--target thin-pool', '-j 253', '--target=thin-pool']), fc.constantFrom('status', 'table', 'deps'), dev, (s, wrap, prog, options, sub, d) => {
      const line = [s.trimEnd(), ...wrap, prog, ...options, sub, ...(d ? [d] : [])].join(' ');
      const p = parsePrompt(line)!;
      assert.equal(p.command, sub === 'deps' ? 'dmsetup-deps' : `dmsetup-${sub}`, line);
      assert.equal(p.deviceArg, d?.replaceAll("'", ''), line);
    }),
    opts,
  );
});

// ─── text ───────────────────────────────────────────────────────────────────

test('shellWords: spans in order inside the line, each word re-reads alone the same; quoteCommand is its inverse', () => {
  const piece = fc.oneof(fc.constantFrom(' ', '\t', "'", '"', '\\', '|', ';', '&', '<', '>', "'a b'", '"c d"', 'x\\ y', '$HOME', 'é'), fc.string({ maxLength: 6 }));
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 12 }).map((ps) => ps.join('')), fc.nat({ max: 5 }), (line, from) => {
      const ws = shellWords(line, from);
      assert.deepEqual(shellWords(line, from), ws);
      let prev = Math.min(from, line.length);
      for (const w of ws) {
        spanInside(w, line, 'shell word');
        assert.ok(w.start >= prev && w.end > w.start, 'words in order, not empty as typed');
        prev = w.end;
        assert.deepEqual(shellWords(line.slice(w.start, w.end)), [{ start: 0, end: w.end - w.start, text: w.text }]);
      }
    }),
    opts,
  );
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }), fc.constantFrom('', "'", "a'b", '--x=1', '/dev/mapper/x', '|', 'a b')), { maxLength: 6 }), (argv) => {
      const typed = quoteCommand(argv);
      assert.deepEqual(shellWords(typed).map((w) => w.text), argv, typed);
    }),
    opts,
  );
});

test('units: format → parse round trips within the printed precision; counts keep their digits', () => {
  fc.assert(
    fc.property(fc.oneof(fc.maxSafeNat(), fc.nat({ max: 5000 }), fc.bigInt({ min: 0n, max: 2n ** 64n }).map(Number)), (bytes) => {
      const b = formatBinary(bytes);
      const back = parseCoreutilsSize(b.replace(' ', ''))!;
      assert.ok(back !== undefined && Math.abs(back - bytes) <= bytes * 0.005 + 1e-9, `${bytes} → ${b} → ${back}`);
      const d = formatDecimal(bytes);
      const back2 = parseDockerSize(d)!;
      assert.ok(back2 !== undefined && Math.abs(back2 - bytes) <= bytes * 5e-4 + 1e-9, `${bytes} → ${d} → ${back2}`);
    }),
    opts,
  );
  fc.assert(
    fc.property(fc.oneof(fc.double(), fc.integer(), fc.maxSafeInteger()), (x) => {
      assert.equal(formatCount(x).replaceAll(',', ''), String(x));
      const pct = formatPercent(x);
      if (Number.isFinite(x) && x >= 0 && x < 1e15) assert.match(pct, /^(?:<0\.1|\d+(?:\.\d)?) %$/, `${x} → ${pct}`);
      assert.equal(typeof formatBinary(x), 'string');
      assert.equal(typeof describeDevNumber(Math.trunc(x) || 0, Math.abs(Math.trunc(x)) % 4096 || 0), 'string');
    }),
    opts,
  );
  fc.assert(
    fc.property(near(fc.oneof(digits, fc.constantFrom('1.6G', '4.0K', '0', '1,5M', '2KiB', '1.59 GB', '65.54kB', '0B', ' 1 TB ', '1e3B'))), (s) => {
      const u = parseUnsigned(s);
      if (u) {
        assert.match(s, /^\d{1,40}$/);
        assert.equal(u.value, Number(s));
        assert.equal(u.exact, Number.isSafeInteger(u.value));
      }
      for (const v of [parseCoreutilsSize(s), parseDockerSize(s)]) if (v !== undefined) assert.ok(v >= 0, `${s} → ${v}`);
    }),
    opts,
  );
});

test('words: the words and the blanks between them make up the line', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(fc.constantFrom(' ', '\t', '  ', '\u00a0', '\r'), fc.string({ maxLength: 5 })), { maxLength: 10 }).map((ps) => ps.join('')), fc.nat({ max: 40 }), fc.nat({ max: 40 }), (line, a, b) => {
      const from = Math.min(a, line.length);
      const to = Math.min(Math.max(from, b), line.length);
      const ws = words(line, from, to);
      let at = from;
      for (const w of ws) {
        assert.match(line.slice(at, w.start), /^[ \t]*$/);
        assert.ok(w.start >= at && w.end > w.start && w.end <= to);
        assert.equal(w.text, line.slice(w.start, w.end));
        assert.doesNotMatch(w.text, /[ \t]/);
        at = w.end;
      }
      assert.match(line.slice(at, to), /^[ \t]*$/);
      assert.deepEqual(words(line, from, to), ws);
    }),
    opts,
  );
});

const docText = fc.array(fc.oneof(fc.constantFrom('\n', '\r\n', '\r', 'a', 'xy', ' ', '', '\u2028'), fc.string({ maxLength: 4 })), { maxLength: 14 }).map((ps) => ps.join(''));

test('lines: splitLines counts CR, LF and CRLF as one break each and loses nothing else', () => {
  fc.assert(
    fc.property(docText, (text) => {
      const lines = splitLines(text);
      assert.equal(lines.join('\n'), text.replace(/\r\n?/g, '\n'));
      assert.equal(lines.length, (text.match(/\r\n|\r|\n/g) ?? []).length + 1);
      for (const l of lines) assert.doesNotMatch(l, /[\r\n]/);
      const buf = new LineBuffer(text);
      assert.deepEqual(buf.all(), lines);
      assert.equal(buf.text(), text);
    }),
    opts,
  );
});

test('position: lineRange keeps the span on its line', () => {
  fc.assert(
    fc.property(fc.nat(), fc.nat(), fc.nat(), (line, a, b) => {
      const r = lineRange(line, { start: Math.min(a, b), end: Math.max(a, b) });
      assert.deepEqual(r, { start: { line, character: Math.min(a, b) }, end: { line, character: Math.max(a, b) } });
    }),
    opts,
  );
});

test('lineBuffer: any sequence of edits (positions out of range included) gives the text a plain string edit gives', () => {
  const coord = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -1, max: 12 }) }, { weight: 1, arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity, 1.5, 1e9) });
  const edit = fc.record({ sl: coord, sc: coord, el: coord, ec: coord, text: fc.array(fc.constantFrom('\n', '\r', '\r\n', '', 'x', 'yz', ' '), { maxLength: 4 }).map((ps) => ps.join('')) });
  const clamp = (v: number, lo: number, hi: number) => (Number.isFinite(v) ? Math.min(Math.max(Math.trunc(v), lo), hi) : lo);
  fc.assert(
    fc.property(docText, fc.array(edit, { maxLength: 6 }), (text, edits) => {
      const buf = new LineBuffer(text);
      let model = text;
      for (const e of edits) {
        // The model: offsets of the clamped positions in the plain string.
        const lines = splitLines(model);
        const starts: number[] = [0];
        const re = /\r\n|\r|\n/g;
        for (let m = re.exec(model); m; m = re.exec(model)) starts.push(m.index + m[0].length);
        const last = lines.length - 1;
        const sl = clamp(e.sl, 0, last);
        const el = clamp(e.el, sl, last);
        const sc = clamp(e.sc, 0, lines[sl]!.length);
        const ec = sl === el ? clamp(e.ec, sc, lines[el]!.length) : clamp(e.ec, 0, lines[el]!.length);
        const before = buf.all().slice();
        model = model.slice(0, starts[sl]! + sc) + e.text + model.slice(starts[el]! + ec);
        const splice = buf.applyEdit({ start: { line: e.sl, character: e.sc }, end: { line: e.el, character: e.ec } }, e.text);
        assert.equal(buf.text(), model);
        assert.deepEqual(buf.all(), splitLines(model));
        assert.equal(buf.lineCount, buf.all().length);
        // Lines outside the reported splice are untouched.
        assert.deepEqual(buf.slice(0, splice.start), before.slice(0, splice.start));
        assert.deepEqual(buf.slice(splice.start + splice.inserted, buf.lineCount), before.slice(splice.start + splice.removed));
      }
    }),
    opts,
  );
});

// ─── daemon.json ────────────────────────────────────────────────────────────

/** A JSON string literal for `s`, some characters written as \uXXXX escapes (chosen by `mask`). */
function jsonLiteral(s: string, mask: number): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    out += (mask >> i % 30) & 1 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : JSON.stringify(c).slice(1, -1);
  }
  return `${out}"`;
}

/** Decodes a slice of a JSON string literal's content, the way Go's decoder would see it. */
function decodeSlice(text: string, s: { start: number; end: number }): string {
  return goString(JSON.parse(`"${text.slice(s.start, s.end)}"`) as string);
}

test('storageOpts: key and value ranges point at exactly the source of the key and the value, through escapes', () => {
  const blank = fc.constantFrom('', ' ', '\t', '\u00a0', '\u0085', '\u3000', '\n', '\ufeff');
  const entry = fc
    .tuple(blank, fc.constantFrom('', '', '--storage-opt ', '--storage-opt=', '--STORAGE-OPTS\t'), fc.constantFrom('dm.basesize', 'DM.FS', 'dm.thinpooldev', 'dm.x', '', 'é', '\ud83d\ude00'), blank, fc.option(fc.tuple(blank, fc.constantFrom('20G', 'xfs', '/dev/mapper/x', '', 'a=b', '10 %', '"q"', '\\'), blank), { nil: undefined }), blank)
    .map(([b0, flag, key, b1, value, b3]) => `${b0}${flag}${key}${b1}${value ? `=${value.join('')}` : ''}${b3}`);
  const doc = fc.tuple(fc.array(fc.tuple(fc.oneof(entry, fc.string({ maxLength: 12 })), fc.nat()), { maxLength: 5 }), fc.array(fc.tuple(fc.oneof(entry, fc.string({ maxLength: 8 })), fc.nat(), fc.oneof(fc.tuple(fc.oneof(entry, fc.string({ maxLength: 6 })), fc.nat()).map(([s, m]) => jsonLiteral(s, m)), fc.constantFrom('12', 'true', 'null', '1.5e3', '[]'))), { maxLength: 4 }), fc.constantFrom('\n', '\r\n', ' '));
  fc.assert(
    fc.property(doc, ([arr, obj, eol]) => {
      const text = `{${eol}"storage-opts": [${arr.map(([s, m]) => jsonLiteral(s, m)).join(`,${eol}`)}],${eol}"opts": {${obj.map(([k, m, v]) => `${jsonLiteral(k, m)}: ${v}`).join(`,${eol}`)}}${eol}}`;
      const root = parseTree(text)!;
      const map = new TextMap(text);
      const lines = splitLines(text);
      const check = (e: NonNullable<ReturnType<typeof entryFromProperty>>, node: JsonNode) => {
        for (const r of [e.range, e.keyRange, ...(e.valueRange ? [e.valueRange] : [])]) rangeInside(r, lines, 'storage-opt range');
        for (const s of [e.keyOffsets, ...(e.valueOffsets ? [e.valueOffsets] : [])]) assert.ok(s.start >= node.offset && s.end <= node.offset + node.length && s.start <= s.end);
        assert.equal(e.lowerKey, e.key.toLowerCase());
        const kt = goTrimSpan(e.key);
        assert.deepEqual(kt, { start: 0, end: e.key.length }, 'key is Go-trimmed');
        if (e.value !== undefined) assert.deepEqual(goTrimSpan(e.value), { start: 0, end: e.value.length }, 'value is Go-trimmed');
      };
      const arrayNode = root.children![0]!.children![1]!;
      for (const el of arrayNode.children ?? []) {
        const m = mapString(text, el);
        const raw = JSON.parse(text.slice(el.offset, el.offset + el.length)) as string;
        assert.equal(m.value, raw);
        const e = entryFromString(map, el);
        check(e, el);
        assert.equal(e.raw, goString(raw));
        if (e.key) assert.equal(decodeSlice(text, e.keyOffsets), e.key);
        if (e.valueOffsets) assert.equal(decodeSlice(text, e.valueOffsets), e.value);
        // A `--storage-opt` flag written inside the string is not part of the key (devicemapper.md §1.4).
        assert.equal(e.value !== undefined, e.raw.replace(/^[\t\n\v\f\r \u0085\u00a0]*--storage-opts?(?:[\t ]+|=)/i, '').includes('='));
        assert.deepEqual(entryFromString(map, el), e);
      }
      const objNode = root.children![1]!.children![1]!;
      for (const prop of objNode.children ?? []) {
        const e = entryFromProperty(map, prop)!;
        check(e, prop);
        assert.equal(decodeSlice(text, e.keyOffsets), e.key);
        const valueNode = prop.children![1]!;
        if (valueNode.type === 'string') assert.equal(decodeSlice(text, e.valueOffsets!), e.value);
        else if (valueNode.type === 'number' || valueNode.type === 'boolean') assert.equal(text.slice(e.valueOffsets!.start, e.valueOffsets!.end), e.value);
        else assert.equal(e.value, undefined);
      }
    }),
    opts,
  );
});

test('jsonTokens: valid JSON gives no issue and its true depth; a comment put between tokens is the one issue; spans inside', () => {
  const depthOf = (v: unknown): number => (v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0);
  fc.assert(
    fc.property(fc.jsonValue(), fc.constantFrom(undefined, 1, 2), fc.nat(), fc.nat({ max: 6 }), (value, indent, at, limit) => {
      const text = JSON.stringify(value, null, indent);
      const scan = scanTokens(text, limit);
      assert.deepEqual(scan.issues, [], text);
      assert.equal(scan.maxDepth, depthOf(value));
      assert.equal(scan.tooDeepAt !== undefined, scan.maxDepth > limit);
      // Between two lines of pretty JSON there is never a string: a comment there is one issue.
      if (indent) {
        const breaks = [...text.matchAll(/\n/g)].map((m) => m.index);
        if (breaks.length > 0) {
          const pos = breaks[at % breaks.length]!;
          const commented = `${text.slice(0, pos)}\n// note${text.slice(pos)}`;
          const c = scanTokens(commented, 64);
          assert.deepEqual(c.issues.map((i) => [i.kind, i.start, i.end]), [['comment', pos + 1, pos + 8]]);
          assert.match(c.issues[0]!.goError, /^invalid character '\/' (looking for beginning of (value|object key string)|after (array element|object key:value pair|top-level value|object key))$/);
        }
      }
    }),
    opts,
  );
  fc.assert(
    fc.property(near(fc.array(fc.constantFrom('{', '}', '[', ']', ',', ':', '"a"', '1', 'true', '/*c*/', '// x\n', "'", '\ufeff', ' ', '\n', '@', '🙂'), { maxLength: 20 }).map((ps) => ps.join(''))), fc.nat({ max: 5 }), fc.nat({ max: 4 }), (text, limit, max) => {
      const scan = scanTokens(text, limit, max);
      assert.deepEqual(scanTokens(text, limit, max), scan);
      assert.ok(scan.issues.length <= max);
      for (const i of scan.issues) {
        check(i.start >= 0 && i.start < i.end && i.end <= i.tokenEnd && i.tokenEnd <= text.length, () => JSON.stringify(i));
        assert.match(i.goError, /^invalid character '.+' /su);
      }
      assert.equal(scan.tooDeepAt !== undefined, scan.maxDepth > limit);
      if (scan.tooDeepAt !== undefined) assert.ok('{['.includes(text[scan.tooDeepAt]!));
    }),
    opts,
  );
  // Found by this property (at 10^5 cases): a text ending in "/*" gave a comment issue ending past the text.
  assert.deepEqual(scanTokens('/*', 64).issues.map((i) => [i.start, i.end, i.tokenEnd]), [[0, 2, 2]]);
});

test('dockerdText: dockerd\'s messages for every engine version keep their input and change wording only forward in time', () => {
  const version = fc.record({ major: fc.integer({ min: 0, max: 40 }), minor: fc.integer({ min: 0, max: 20 }), patch: fc.integer({ min: 0, max: 30 }) });
  fc.assert(
    fc.property(version, version, fc.stringMatching(/^[^\n]{0,20}$/), fc.constantFrom('', '\n'), fc.option(fc.constantFrom('devicemapper', 'overlay2'), { nil: undefined }), (v1, v2, s, nl, driver) => {
      const [a, b]: [EngineVersion, EngineVersion] = compareVersions(v1, v2) <= 0 ? [v1, v2] : [v2, v1];
      for (const v of [a, b]) {
        assert.ok(keyValueError(s, v).endsWith(`to parse key/value option: ${s}`));
        for (const m of [dmUnknownOption(s, v), dmUnsupportedFs(s, v)]) {
          assert.ok(shown(m).endsWith(s), m);
          assert.equal(m.endsWith('\n'), !atLeast(v, MILESTONES.noTrailingNewline), m);
        }
        const line = startupLine(s + nl, v, driver);
        assert.match(line, /^(failed to start daemon|Error starting daemon): error (initializing|intializing) graphdriver: /);
        assert.ok(line.includes(`graphdriver: ${s}`) && !line.endsWith('\n'), line);
        assert.equal(shown(s + nl), s);
      }
      // A message changes once at its milestone: a later version never goes back to the older wording.
      if (dmUnknownOption('k', a).startsWith('devmapper: ')) assert.ok(dmUnknownOption('k', b).startsWith('devmapper: '));
      if (!dmUnknownOption('k', a).endsWith('\n')) assert.ok(!dmUnknownOption('k', b).endsWith('\n'));
      if (startupLine('e', a).startsWith('failed')) assert.ok(startupLine('e', b).startsWith('failed'));
      if (keyValueError('o', a).startsWith('unable')) assert.ok(keyValueError('o', b).startsWith('unable'));
      if (dmDeprecationLog(a) !== undefined) assert.ok(dmDeprecationLog(b) !== undefined);
    }),
    opts,
  );
});

// ─── inspection sections ────────────────────────────────────────────────────

const NONCE = '0123456789abcdef';

test('sections: collector output rendered from any sections parses back to them; foreign markers stay text', () => {
  const body = fc
    .array(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('\n', '\n\n', '@@', '\n@@fedcba9876543210@@ end 0\n', '\n@@0123456789abcdef@@begin kernel', 'end 0', '\r\n')), { maxLength: 5 })
    .map((ps) => ps.join(''))
    .filter((s) => !s.includes(`@@${NONCE}@@ `));
  const section = fc.record({ name: fc.constantFrom(...COLLECTOR_SECTIONS), stdout: body, stderr: body, rc: fc.integer({ min: 0, max: 999 }) });
  fc.assert(
    fc.property(fc.uniqueArray(section, { selector: (s) => s.name, maxLength: 6 }), body, fc.boolean(), (sections, banner, cut) => {
      // As collector.ts prints them: begin, stdout, stderr marker, stderr, end marker, each marker on a line of its own.
      const text = banner + sections.map((s, i) => `\n@@${NONCE}@@ begin ${s.name}\n${s.stdout}\n@@${NONCE}@@ stderr\n${s.stderr}${cut && i === sections.length - 1 ? '' : `\n@@${NONCE}@@ end ${s.rc}\n`}`).join('');
      const out = parseCollectorOutput(text, NONCE);
      assert.deepEqual(parseCollectorOutput(text, NONCE), out);
      assert.equal(out.stray, banner);
      assert.deepEqual(out.truncated, cut && sections.length ? [sections[sections.length - 1]!.name] : []);
      sections.forEach((s, i) => {
        const last = cut && i === sections.length - 1;
        assert.deepEqual(out.sections[s.name], { name: s.name, stdout: s.stdout, stderr: s.stderr, rc: last ? -1 : s.rc });
      });
      assert.deepEqual(Object.keys(out.sections).sort(), sections.map((s) => s.name).sort());
    }),
    opts,
  );
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 20 }), (bytes) => {
      if (bytes.length < 8) assert.throws(() => nonceFromBytes(bytes));
      else assert.equal(nonceFromBytes(bytes), Buffer.from(bytes.subarray(0, 8)).toString('hex'));
    }),
    opts,
  );
});

test('sectionParsers: the collector\'s own formats parse back to what was printed, and junk lines are skipped', () => {
  const field = fc.stringMatching(/^[^\r\n]{0,12}$/);
  const kname = fc.stringMatching(/^[\w.-]{1,12}$/);
  const devNo = fc.tuple(fc.nat({ max: 300 }), fc.nat({ max: 4000 })).map(([a, b]) => `${a}:${b}`);
  const safe = fc.oneof(fc.maxSafeNat(), fc.nat({ max: 1 << 30 }));
  const junk = fc.stringMatching(/^[^\t\r\n|]{0,16}$/).filter((s) => !/^(?:loop |dir |mnt |df )/.test(s));
  const path = fc.stringMatching(/^\/[\w .|()-]{0,16}$/).filter((p) => !p.endsWith(' (deleted)'));
  const escapeFindmnt = (s: string) => s.replace(/[ \t\\]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  const escapeOctal = (s: string) => s.replace(/[ \t\n\\]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
  fc.assert(
    fc.property(
      fc.array(fc.record({ kname, devno: devNo, discard: fc.option(safe, { nil: undefined }), sectors: fc.option(fc.nat({ max: 2 ** 40 }), { nil: undefined }), dmName: fc.option(fc.stringMatching(/^[^\r\n]{1,12}$/), { nil: undefined }) }), { maxLength: 4 }),
      fc.array(fc.record({ loop: kname, path, deleted: fc.boolean(), numbers: fc.option(fc.tuple(safe, fc.nat({ max: 1 << 20 }), fc.constantFrom(512, 4096)), { nil: undefined }) }), { maxLength: 3 }),
      fc.array(fc.record({ dir: field, fsType: fc.stringMatching(/^[a-z0-9]{1,6}$/), target: fc.stringMatching(/^\/(?:\S| |\t){0,10}$/), source: fc.stringMatching(/^\/(?:\S| |\t){0,10}$/), df: fc.option(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat({ max: 100 })), { nil: undefined }) }), { maxLength: 3 }),
      fc.array(fc.record({ source: fc.stringMatching(/^[^\r]{1,10}$/), target: fc.stringMatching(/^[^\r]{1,10}$/), fsType: fc.stringMatching(/^[a-z0-9]{1,6}$/), options: fc.stringMatching(/^[a-z0-9,=]{1,10}$/) }), { maxLength: 3 }),
      junk,
      (devs, loops, filesystems, mounts, noise) => {
        const devText = [noise, ...devs.map((d) => [d.kname, d.devno, d.discard ?? '', d.sectors ?? '', d.dmName ?? ''].join('\t'))].join('\n');
        assert.deepEqual(
          parseBlockDevices(devText),
          devs.map((d) => ({ kname: d.kname, devno: d.devno, ...(d.discard !== undefined ? { discardMaxBytes: d.discard } : {}), ...(d.sectors !== undefined ? { sizeBytes: d.sectors * 512 } : {}), ...(d.dmName ? { dmName: d.dmName } : {}) })),
        );
        const loopText = [noise, ...loops.flatMap((l) => [`loop ${l.loop} ${l.path}${l.deleted ? ' (deleted)' : ''}`, ...(l.numbers ? [`${l.path}|${l.numbers.join('|')}`] : [])])].join('\n');
        assert.deepEqual(
          parseLoopFiles(loopText),
          loops.map((l) => ({ loop: l.loop, path: l.path, deleted: l.deleted, ...(l.numbers ? { apparentBytes: l.numbers[0], allocatedBytes: l.numbers[1] * l.numbers[2] } : {}) })),
        );
        const fsText = filesystems.flatMap((f) => [`dir ${f.dir}`, `mnt ${f.fsType} ${escapeFindmnt(f.target)} ${escapeFindmnt(f.source)}`, ...(f.df ? [`df ${escapeFindmnt(f.source)} ${f.df[0]} ${f.df[1]} ${f.df[2]} ${f.df[3]}% ${escapeFindmnt(f.target)}`] : [])]).join('\n');
        assert.deepEqual(
          parseFilesystems(`${noise}\n${fsText}`),
          filesystems.map((f) => ({ dir: f.dir, fsType: f.fsType, mountPoint: f.target, source: f.source, ...(f.df ? { totalBytes: f.df[0] * 1024, usedBytes: f.df[1] * 1024, freeBytes: f.df[2] * 1024 } : {}) })),
        );
        const mountText = mounts.map((m) => `${escapeOctal(m.source)} ${escapeOctal(m.target)} ${m.fsType} ${m.options} 0 0`).join('\n');
        assert.deepEqual(parseMounts(`${noise.replaceAll(' ', '')}\n${mountText}`), mounts.map((m) => ({ ...m })));
        const argv = [...devs.map((d) => d.kname), ...filesystems.map((f) => f.dir)].filter((a) => a.length > 0);
        assert.deepEqual(parseArgv(argv.join('\n')), argv);
      },
    ),
    opts,
  );
  fc.assert(
    fc.property(fc.oneof(fc.stringMatching(/^[\w.-]{1,20}$/), field), fc.array(fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })), { maxLength: 4 }), fc.oneof(fc.stringMatching(/^\/[^\r\n]{0,12}$/), field), near(fc.constantFrom('thin_check 0.9.0', 'thin_check version 1.0.9', 'dpkg thin-provisioning-tools 0.9.0-2', 'rpm device-mapper-persistent-data-0.9.0')), (driver, status, root, tools) => {
      const d = parseDockerDriver(`${driver}\n${JSON.stringify(status)}\n${root}`);
      assert.deepEqual(d, { status, ...(/^[\w.-]{1,64}$/.test(driver.trim()) ? { driver: driver.trim() } : {}), ...(root.trim().startsWith('/') ? { rootDir: root.trim() } : {}) });
      const t = parseThinTools(tools);
      assert.deepEqual(parseThinTools(tools), t);
      if (t.version) assert.match(t.version, /^\d+\.\d+(?:\.\d+)?$/);
      for (const parse of [parseBlockDevices, parseLoopFiles, parseFilesystems, parseMounts, parseDockerDriver, parseThinTools, parseArgv]) parse(tools);
    }),
    opts,
  );
});

// ─── reclaim ────────────────────────────────────────────────────────────────

test('reclaim measure: the figures are the differences of the two reports, for any change between them', () => {
  const lab = hostReportFromOutput('dmlens-lab', readFileSync(join(__dirname, '../fixtures/lab/collector-root.txt'), 'utf8'), NONCE).report;
  const names = lab.pools.map((p) => p.name);
  assert.ok(names.length > 0);
  const change = fc.record({ drop: fc.boolean(), used: fc.integer({ min: -5000, max: 5000 }), file: fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), noBlock: fc.boolean(), noData: fc.boolean() });
  fc.assert(
    fc.property(fc.array(change, { minLength: names.length, maxLength: names.length }), fc.option(fc.array(fc.constantFrom(...names, 'missing'), { maxLength: 4 }), { nil: undefined }), (changes, only) => {
      // Shallow copies: only pool fields are replaced or deleted below.
      const before: HostReport = { ...lab, pools: lab.pools.map((p) => ({ ...p })) };
      const after: HostReport = { ...lab, pools: lab.pools.map((p) => ({ ...p })) };
      changes.forEach((c, i) => {
        const b = before.pools[i]!;
        if (c.noBlock) delete b.blockSizeBytes;
        const a = after.pools[i]!;
        if (c.noBlock) delete a.blockSizeBytes;
        if (a.data) a.data = { ...a.data, used: a.data.used - c.used };
        if (c.noData) delete a.data;
        if (a.backing?.allocatedBytes !== undefined) a.backing = { ...a.backing, allocatedBytes: a.backing.allocatedBytes - c.file };
      });
      after.pools = after.pools.filter((_p, i) => !changes[i]!.drop);
      const ms = measureReclaim(before, after, only);
      assert.deepEqual(ms.map((m) => m.name), only ?? names);
      for (const m of ms) {
        const b = before.pools.find((p) => p.name === m.name);
        const a = after.pools.find((p) => p.name === m.name);
        const block = b?.blockSizeBytes ?? a?.blockSizeBytes;
        const expectPool = b?.data && a?.data && block ? (b.data.used - a.data.used) * block : null;
        assert.equal(m.reclaimedPoolBytes, expectPool);
        const fileOf = (p: typeof a) => (p?.backing?.kind === 'loop' ? (p.backing.allocatedBytes ?? null) : null);
        const fb = fileOf(b);
        const fa = fileOf(a);
        assert.equal(m.reclaimedHostBytes, fb !== null && fa !== null ? fb - fa : null);
        assert.equal(m.verdict, b?.reclaim.verdict ?? 'unknown');
        assert.ok(m.explanation.length > 0 && !m.explanation.includes('undefined') && !m.explanation.includes('NaN'), m.explanation);
      }
      assert.deepEqual(measureReclaim(before, after, only), ms);
      for (const m of measureReclaim(before, { ...before, pools: before.pools.map((p) => ({ ...p })) })) assert.ok(m.reclaimedPoolBytes === null || m.reclaimedPoolBytes === 0);
    }),
    opts,
  );
});

test('reclaim script: a mount point checkMountPoint accepts reaches the script as one plain absolute word; the check is fast on any path', () => {
  const ops: StepOp[] = ['sync', 'fstrim', 'prune-containers', 'prune-images'];
  for (const op of ops) assert.match(RECLAIM_SCRIPT, new RegExp(`^${op}\\)$`, 'm'), op);
  const seg = fc.oneof(fc.stringMatching(/^[A-Za-z0-9._@+:,=-]{1,70}$/), fc.constantFrom('..', '.', '', 'a b', '$(id)', "a'b", 'x\ny', 'é', '*', '0123456789abcdef'.repeat(4)));
  const mountPoint = fc.tuple(fc.constantFrom('/', '', '//', './'), fc.array(seg, { maxLength: 5 }), fc.constantFrom('', '/', ' ', '!', '\n', '~')).map(([a, ss, z]) => `${a}${ss.join('/')}${z}`);
  fc.assert(
    fc.property(mountPoint, (mp) => {
      const t0 = performance.now();
      const problem = checkMountPoint(mp);
      check(performance.now() - t0 < 1000, () => `checkMountPoint took ${Math.round(performance.now() - t0)} ms on ${JSON.stringify(mp)}`);
      if (problem !== undefined) return;
      assert.ok(mp.startsWith('/') && mp.length <= 1024 && !mp.split('/').includes('..'));
      assert.equal(quoteCommand([mp]), mp, 'needs no quoting');
      const argv = ['sh', '-s', '--', 'fstrim', 'sudo', mp];
      assert.deepEqual(shellWords(quoteCommand(argv)).map((w) => w.text), argv);
      assert.deepEqual(sshArgs('host', {}, argv).slice(-argv.length), argv);
    }),
    opts,
  );
  // The linear pattern accepts exactly what the former one did (compared where the former is still quick).
  const FORMER = /^\/(?:[A-Za-z0-9._@+:,=-]+\/?)*$/;
  fc.assert(
    fc.property(fc.array(fc.constantFrom('/', 'a', '.', '-', ' ', '$', '//'), { maxLength: 12 }).map((cs) => cs.join('')), (p) => {
      check((checkMountPoint(p) === undefined) === (FORMER.test(p) && !p.split('/').some((s) => s === '.' || s === '..')), () => JSON.stringify(p));
    }),
    opts,
  );
  // Found by this property: the pattern was exponential in the length of a segment followed by a refused
  // character (a 64-hex-digit Docker mount point with a trailing blank took longer than any timeout).
  for (const mp of [`/var/lib/docker/devicemapper/mnt/${'0123456789abcdef'.repeat(4)} `, `/${'a'.repeat(1000)}!`]) {
    const t0 = performance.now();
    assert.ok(checkMountPoint(mp));
    assert.ok(performance.now() - t0 < 1000);
  }
});

// ─── logs ───────────────────────────────────────────────────────────────────

/** The envelope with its offset maps evaluated at every message offset, for comparing two parses. */
function envelopeShape(e: LogEnvelope): unknown {
  const offsets = Array.from({ length: e.message.length + 1 }, (_, o) => o);
  return { ...(plain(e) as object), map: offsets.map((o) => [e.toLine(o), e.toLineEnd(o)]), fields: e.fields?.map((f) => ({ ...(plain(f) as object), map: Array.from({ length: f.value.length + 1 }, (_, o) => [f.toLine(o), f.toLineEnd(o)]) })) };
}

test('log envelope: never throws; the message maps back into its line character by character, through escapes and colours', () => {
  // A caller id after a blank is not part of the dmesg stamp: what follows it is the message, logrus or not.
  const TEXT_WRAPPER = '[  12.5] [T123] ';
  const wrapper = fc.constantFrom('', '<3>', 'kern  :err   : ', '[   64.772053] ', '[  168.856214][ T3526] ', '[  12.5] [T123] ', '[Tue Mar  5 10:01:04 2024] ', 'Mar  5 10:01:04 thinlab kernel: ', 'Mar 05 10:01:04.123456 thinlab dockerd[123]: ', '2024-03-05T10:01:04+0100 host kernel: ', '2024-03-05T10:01:04.123Z host dockerd[1]: ', '[  123.456789] host kernel: ', 'Mar  5 10:01:04 thinlab kernel: [ 64.7] ', '2024-13-45T99:99:99 h p: ');
  const message = fc.oneof(fc.string({ maxLength: 16 }), fc.string({ unit: 'binary', maxLength: 10 }), fc.constantFrom('devmapper: Thin Pool has 1 free data blocks', 'device-mapper: thin: 253:0: switching pool to write mode', 'a "quoted" \\ back\nslash', ''));
  const body = fc.oneof(
    message.map((m) => ({ kind: 'bare' as const, m, text: m })),
    // Without time= or level= first, msg="…" is not logrus: plain text.
    fc.tuple(message, fc.constantFrom('', 'time="2024-01-01T00:00:00.123456789Z" ', 'level=error ', 'time="bad" level=warning '), fc.constantFrom('', ' storage-driver=devicemapper', ' error="x \\"y\\""', ' k=', ' bad')).map(([m, pre, post]) => ({ kind: pre ? ('logrus' as const) : ('bare' as const), m, text: `${pre}msg=${JSON.stringify(m)}${post}` })),
    fc.tuple(message, fc.constantFrom('ERRO[0001] ', 'INFO[0000]', 'WARN[12345678901] ')).map(([m, tty]) => ({ kind: 'tty' as const, m, text: tty + m })),
    message.map((m) => ({ kind: 'json' as const, m, text: `{"level":"error","msg":${JSON.stringify(m)},"time":"2024-03-05T10:01:04Z"}` })),
  );
  const ansi = fc.constantFrom('\u001b[31m', '\u001b[0m', '\u001b[1;33m', '\u001b]0;title\u0007', '\u001b');
  fc.assert(
    fc.property(wrapper, body, fc.array(fc.tuple(fc.nat(), ansi), { maxLength: 2 }), fc.constantFrom('', '\r', '\r\n'), fc.nat({ max: 8 }), (w, b, colours, eol, cut) => {
      let line = w + b.text;
      for (const [at, code] of colours) {
        const i = at % (line.length + 1);
        line = line.slice(0, i) + code + line.slice(i);
      }
      line += eol;
      const e = parseEnvelope(line);
      assert.deepEqual(envelopeShape(parseEnvelope(line)), envelopeShape(e));
      check(e.messageStart >= 0 && e.messageStart <= e.messageEnd && e.messageEnd <= line.length, () => JSON.stringify(e));
      let prev = 0;
      let prevEnd = 0;
      for (let o = 0; o <= e.message.length; o++) {
        const at = e.toLine(o);
        const end = e.toLineEnd(o);
        check(at >= prev && at <= line.length && end >= prevEnd && end <= line.length, () => `offset ${o} of ${JSON.stringify(e.message)} → ${at}/${end} in ${JSON.stringify(line)}`);
        prev = at;
        prevEnd = end;
      }
      assert.equal(e.toLine(0), e.messageStart);
      // (An empty message at a removed colour code: its end maps before the code, the span is kept unreversed.)
      assert.equal(Math.max(e.messageStart, e.toLineEnd(e.message.length)), e.messageEnd);
      for (const t of [e.timestamp, e.outerTimestamp, e.kernelTimestamp]) {
        if (!t) continue;
        spanInside(t, line, 'timestamp');
        assert.ok(Number.isFinite(t.seconds));
      }
      for (const f of e.fields ?? []) spanInside(f, line, `field ${f.key}`);
      // Each message character comes from the line: literally, or as the escape that wrote it; colours removed.
      for (let o = 0; o < e.message.length; o++) {
        const src = line.slice(e.toLine(o), e.toLineEnd(o + 1)).replace(/\u001b(?:\[[0-?]*[ -/]*[\s\S]?|\](?:[^\u0007\u001b]|\u001b(?!\\))*(?:\u0007|\u001b\\)?|[\s\S]?)/g, '');
        const ch = e.message[o]!;
        if (src === ch) continue;
        assert.ok((b.kind === 'logrus' || b.kind === 'json') && src.startsWith('\\') && JSON.parse(`"${src}"`) === ch, `message[${o}] ${JSON.stringify(ch)} from ${JSON.stringify(src)} in ${JSON.stringify(line)}`);
      }
      // A logrus or JSON record without colours gives back the exact message it was written with.
      if (!line.includes('\u001b') && w !== TEXT_WRAPPER && (b.kind === 'logrus' || b.kind === 'json')) {
        assert.equal(e.format, 'logrus');
        assert.equal(e.message, b.m);
      }
      // A cut line never throws either.
      parseEnvelope(line.slice(0, Math.max(0, line.length - cut)));
    }),
    opts,
  );
  // Found by this property: an empty message or field value where a colour code was removed had a
  // reversed span ([37, 32), [28, 23)),
  const colourOnly = parseEnvelope('Mar  5 10:01:04 thinlab kernel: \u001b[31m');
  assert.deepEqual([colourOnly.message, colourOnly.messageStart, colourOnly.messageEnd], ['', 37, 37]);
  const emptyField = parseEnvelope('level=error msg="  " k=\u001b[31m').fields![0]!;
  assert.deepEqual([emptyField.key, emptyField.value, emptyField.start, emptyField.end], ['k', '', 28, 28]);
  // and the backslash of an escape kept as written (not a valid escape) mapped to an empty span.
  const kept = 'level=error msg="a \\q"';
  const k = parseEnvelope(kept);
  assert.equal(k.message, 'a \\q');
  assert.deepEqual([...k.message].map((_, o) => kept.slice(k.toLine(o), k.toLineEnd(o + 1))), ['a', ' ', '\\', 'q']);
});

// ─── hosts ──────────────────────────────────────────────────────────────────

const hostName = fc.stringMatching(/^[a-z][a-z0-9.-]{0,10}$/);

test('ssh config: the aliases of generated configs come back with their settings; any config gives safe, unique aliases', () => {
  const block = fc.record({ names: fc.uniqueArray(hostName, { minLength: 1, maxLength: 3 }), hostName: fc.option(fc.constantFrom('10.0.0.1', 'web.example.com', '"quoted name"'), { nil: undefined }), user: fc.option(fc.constantFrom('ops', 'root'), { nil: undefined }), port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), style: fc.constantFrom('Host {}', 'host={}', '  HOST  =  {}', 'Host\t{}'), extra: fc.constantFrom('', '*.wild', '!NOPE', '-x', 'QUOTED') });
  fc.assert(
    fc.property(fc.uniqueArray(block, { selector: (b) => b.names[0], maxLength: 4 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), (blocks, eol, bom) => {
      const seen = new Set<string>();
      const unique = blocks.map((b) => ({ ...b, names: b.names.filter((n) => !seen.has(n) && (seen.add(n), true)) })).filter((b) => b.names.length > 0);
      const lines: string[] = ['# generated', 'Include ~/.ssh/conf.d/*'];
      unique.forEach((b, i) => {
        const extra = b.extra === 'QUOTED' ? `"Q${i}"` : b.extra;
        lines.push(b.style.replace('{}', [...b.names, ...(extra ? [extra] : [])].join(' ')));
        if (b.hostName) lines.push(`  HostName ${b.hostName}`);
        if (b.user) lines.push(`  User=${b.user}`);
        if (b.port) lines.push(`  Port ${b.port}`);
        lines.push('');
      });
      const text = (bom ? '\ufeff' : '') + lines.join(eol);
      const parsed = parseSshConfigHosts(text);
      assert.deepEqual(parseSshConfigHosts(text), parsed);
      assert.deepEqual(parseSshConfigHosts(lines.join('\n')), parsed);
      assert.deepEqual(parsed.includes, ['~/.ssh/conf.d/*']);
      const expected = unique.flatMap((b, i) => [...b.names, ...(b.extra === 'QUOTED' ? [`Q${i}`] : [])].map((alias) => ({ alias, hostName: b.hostName?.replaceAll('"', ''), user: b.user, port: b.port })));
      assert.deepEqual(parsed.aliases.map((a) => ({ alias: a.alias, hostName: a.hostName, user: a.user, port: a.port })), expected);
    }),
    opts,
  );
  const cfgLine = fc.oneof(fc.constantFrom('Host a b -c *.x !y !a', 'HostName 10.0.0.1', 'Match all', 'Port 0', 'Port 65536', 'Port 22', 'User ops', '  # comment', 'Host="q r"', "Host 'unterminated", 'Host a\\ b', 'Host \u0085x', 'Host é', 'Host\u00a0x'), fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 12 }));
  fc.assert(
    fc.property(fc.array(cfgLine, { maxLength: 16 }), (cfg) => {
      const text = cfg.join('\n');
      const parsed = parseSshConfigHosts(text);
      assert.deepEqual(parseSshConfigHosts(text), parsed);
      const lines = splitLines(text);
      assert.equal(new Set(parsed.aliases.map((a) => a.alias)).size, parsed.aliases.length);
      for (const a of parsed.aliases) {
        assert.equal(hostTokenProblem(a.alias), undefined, a.alias);
        assert.ok(!/[*?]/.test(a.alias) && !a.alias.startsWith('!'));
        assert.ok(a.line >= 0 && a.line < lines.length && /^\s*host\b/i.test(lines[a.line]!), `line ${a.line}`);
        if (a.port !== undefined) assert.ok(Number.isInteger(a.port) && a.port >= 1 && a.port <= 65535);
      }
    }),
    opts,
  );
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 })), (s) => {
      assert.equal(hostTokenProblem(s) === undefined, s.length > 0 && !s.startsWith('-') && !/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/u.test(s));
    }),
    opts,
  );
});

test('Ansible inventories: INI and YAML written from the same model give the same hosts; any inventory gives safe, unique hosts inside the file', () => {
  // Any name but PyYAML's booleans and null (which Ansible, too, would not read as the text written);
  // plain scalars the yaml package alone types (y, e0, 1e3, 08) included.
  const notTyped = (n: string) => !/^(?:yes|no|true|false|on|off|null)$/.test(n);
  const host = fc.record({ name: fc.oneof({ weight: 8, arbitrary: fc.stringMatching(/^[a-z][a-z0-9.-]{0,9}$/).filter(notTyped) }, { weight: 1, arbitrary: fc.constantFrom('y', 'n', 'e0', 'E12', 'e-5', '1e3', '08', '12', '1.5') }), port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), user: fc.option(fc.constantFrom('ops', 'deploy'), { nil: undefined }), address: fc.option(fc.constantFrom('10.0.0.2', 'db.internal', '-bad', 'a b'), { nil: undefined }) });
  const group = fc.record({ name: fc.oneof({ weight: 8, arbitrary: fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).filter((g) => notTyped(g) && !['all', 'ungrouped', 'hosts', 'vars', 'children'].includes(g)) }, { weight: 1, arbitrary: fc.constantFrom('y', 'e0', 'e1') }), hosts: fc.array(host, { maxLength: 3 }) });
  fc.assert(
    fc.property(fc.uniqueArray(group, { selector: (g) => g.name, maxLength: 3 }), fc.constantFrom('\n', '\r\n'), (groups, eol) => {
      const seen = new Set<string>();
      const model = groups.map((g) => ({ ...g, hosts: g.hosts.filter((h) => !seen.has(h.name) && (seen.add(h.name), true)) }));
      const vars = (h: (typeof model)[number]['hosts'][number]) => [...(h.port ? [['ansible_port', h.port]] : []), ...(h.user ? [['ansible_user', h.user]] : []), ...(h.address ? [['ansible_host', h.address]] : [])] as [string, string | number][];
      const ini = model.flatMap((g) => [`[${g.name}]`, ...g.hosts.map((h) => [h.name, ...vars(h).map(([k, v]) => `${k}=${/\s/.test(String(v)) ? `"${v}"` : v}`)].join(' ')), '']).join(eol);
      const yaml = ['all:', '  children:', ...model.flatMap((g) => [`    ${g.name}:`, ...(g.hosts.length ? ['      hosts:'] : []), ...g.hosts.flatMap((h) => [`        ${h.name}:${vars(h).length ? '' : ' {}'}`, ...vars(h).map(([k, v]) => `          ${k}: ${JSON.stringify(v)}`)])])].join(eol);
      assert.equal(detectInventoryFormat(yaml), 'yaml');
      if (model.length) assert.equal(detectInventoryFormat(ini), 'ini');
      const expected = model.flatMap((g) => g.hosts.map((h) => ({ name: h.name, groups: [g.name], port: h.port, user: h.user, hostName: h.address && hostTokenProblem(h.address) === undefined ? h.address : undefined })));
      const shape = (text: string) =>
        parseAnsibleInventory(text)
          .hosts.map((h) => ({ name: h.name, groups: h.groups, port: h.port, user: h.user, hostName: h.hostName }))
          .sort((a, b) => a.name.localeCompare(b.name));
      const byName = [...expected].sort((a, b) => a.name.localeCompare(b.name));
      assert.deepEqual(shape(ini), byName, ini);
      assert.deepEqual(shape(yaml), byName, yaml);
    }),
    capped(20_000),
  );
  fc.assert(
    // Mostly short ranges, now and then one past MAX_RANGE_HOSTS.
    fc.property(fc.integer({ min: 0, max: 1500 }), fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 40 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 1500 }) }), fc.integer({ min: 1, max: 7 }), fc.boolean(), (lo, width, step, pad) => {
      const hi = lo + width;
      // Padded: both bounds as wide as the end (a leading zero on the begin then fixes the width, Ansible's rule).
      const fmt = (n: number) => (pad ? String(n).padStart(String(hi).length, '0') : String(n));
      const inv = parseAnsibleInventory(`[web]\nweb[${fmt(lo)}:${fmt(hi)}${step > 1 ? `:${step}` : ''}].example.com`, 'ini');
      assert.equal(inv.hosts.length, Math.min(Math.floor((hi - lo) / step) + 1, MAX_RANGE_HOSTS));
      assert.equal(inv.hosts[0]!.name, `web${fmt(lo)}.example.com`);
      assert.deepEqual(inv.hosts[0]!.groups, ['web']);
      assert.equal(new Set(inv.hosts.map((h) => h.name)).size, inv.hosts.length);
    }),
    opts,
  );
  // Found by this property: plain YAML scalars PyYAML (so Ansible) keeps as text were typed by the yaml
  // package: a host `e0` came out as "NaN", `y` as "true", `08` as "8", and `ansible_port: 2e1` as port 20.
  const typed = parseAnsibleInventory('all:\n  hosts:\n    e0:\n    y:\n    08:\n    1e3:\n    n1:\n      ansible_host: e1\n      ansible_port: 2e1\n    "q":\n    0x1f:\n    1.5:\n', 'yaml');
  assert.deepEqual(typed.hosts.map((h) => [h.name, h.hostName, h.port]), [['e0', undefined, undefined], ['y', undefined, undefined], ['08', undefined, undefined], ['1e3', undefined, undefined], ['n1', 'e1', undefined], ['q', undefined, undefined], ['31', undefined, undefined], ['1.5', undefined, undefined]]);
  const invLine = fc.oneof(
    fc.constantFrom('[web]', '[web:children]', '[all:vars]', '[web:vars]', 'ansible_user=ops', 'web[01:03].example.com ansible_port=22', 'db-[a:c] ansible_host=-x', 'h ansible_host="a b"', 'h:2222', '[2001:db8::1]:22', 'x[1:0]', 'y[a:', 'all:', '  hosts:', '    a.example.com:', '      ansible_host: 10.0.0.2', '      ansible_port: 70000', '  children:', '    web:', '-x', 'z[0:99999]', '&a {}', '*a', '<<: *a', "'q'"),
    fc.string({ maxLength: 20 }),
  );
  fc.assert(
    fc.property(fc.array(invLine, { maxLength: 14 }), fc.constantFrom(undefined, 'ini' as const, 'yaml' as const), (inv, format) => {
      const text = inv.join('\n');
      const parsed = parseAnsibleInventory(text, format);
      assert.deepEqual(parseAnsibleInventory(text, format), parsed);
      const lines = splitLines(text).length;
      assert.equal(new Set(parsed.hosts.map((h) => h.name)).size, parsed.hosts.length);
      for (const h of parsed.hosts) {
        for (const v of [h.name, h.hostName, h.user]) if (v !== undefined) assert.equal(hostTokenProblem(v), undefined, v);
        if (h.port !== undefined) assert.ok(Number.isInteger(h.port) && h.port >= 1 && h.port <= 65535);
        assert.ok(h.line >= 0 && h.line < lines, `host line ${h.line}`);
        assert.ok(h.groups.length > 0 && !h.groups.includes('all'));
      }
      for (const p of parsed.problems) assert.ok(p.line >= 0 && p.line < lines, `problem line ${p.line}: ${p.message}`);
      assert.equal(detectInventoryFormat(text), detectInventoryFormat(text));
    }),
    capped(20_000),
  );
});
