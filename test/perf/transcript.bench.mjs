#!/usr/bin/env node
// Transcript budgets (issue 9), measured as ratios in one process so a noisy machine cancels out:
//
//   full ÷ baseline  throughput of `new TranscriptDocument(text)` + `TranscriptDiagnostics.compute()`
//                    on a generated 100 000-line transcript, relative to a baseline in the same
//                    process (split into lines + one regex test per line): baseline ms ÷ full ms,
//                    budget ≥ 0.25 (the full pass takes at most 4× the baseline).
//   edit ÷ full      re-diagnosis after a one-line edit (a digit typed into a status line:
//                    `update()` + `compute()`) in a 300 000-line document, relative to a full
//                    parse + diagnosis of it; budget ≤ 0.05.
//
// Also printed, not budgeted: an edit that inserts a line (every later finding moves, and
// findings are immutable values, so each one after the edit is made anew), the same throughput
// on a quiet transcript (healthy pools: almost no findings, so it shows the parser itself), and
// the heap a parsed + diagnosed 100k-line document holds.
//
// Every figure is the best of several runs. A full pass starts after a forced GC (with
// --expose-gc); edits are timed in steady state, one after another, as an editor sends them.
//
// Run: node --expose-gc --import tsx test/perf/transcript.bench.mjs [--runs N] [--json]
// Exit code 1 when a budget is missed.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { TranscriptDocument, TranscriptDiagnostics, DEFAULT_THRESHOLDS } from '../../server/src/core/index.ts';
import { prng } from './shared.mjs';

const BUDGET_THROUGHPUT = 0.25;
const BUDGET_EDIT = 0.05;

const DATA = '/var/lib/docker/devicemapper/devicemapper/data';
const META = '/var/lib/docker/devicemapper/devicemapper/metadata';

/**
 * A transcript of `target` lines: `# dmsetup status` blocks of 20 thin-pool status lines
 * alternating with `# dmsetup table` blocks of 20 thin-pool table lines (docker-253:0-<i>-pool<k>),
 * and every few blocks something else: docker info, losetup -l, ls -ls of the loop files,
 * dmesg lines, dmsetup ls, blank-line separated output without a prompt.
 *
 * Default: pools as loop-lvm leaves them (loop data devices, queue_if_no_space, assorted fill
 * levels and modes: about 1.4 findings per line). `quiet`: healthy pools on block devices, so
 * hardly any line gives a finding.
 */
export function generateTranscript(target, { seed = 9, quiet = false } = {}) {
  const rnd = prng(seed);
  const out = [];
  const int = (n) => Math.floor(rnd() * n);
  for (let i = 0; out.length < target; i++) {
    const pools = [];
    for (let k = 0; k < 20; k++) pools.push(k === 0 ? `docker-253:0-${i}-pool` : `docker-253:0-${i}-pool${k}`);
    out.push('# dmsetup status');
    for (const name of pools) {
      const total = 1638400;
      if (quiet) {
        out.push(`${name}: 0 209715200 thin-pool ${int(100000)} ${int(400000)}/524288 ${int(1200000)}/${total} - rw discard_passdown error_if_no_space - 1024 `);
        continue;
      }
      const used = int(10) === 0 ? total - int(4000) : int(total);
      const mode = int(50) === 0 ? 'out_of_data_space' : int(40) === 0 ? 'ro' : 'rw';
      const discard = ['discard_passdown', 'no_discard_passdown', 'discard_passdown', 'ignore_discard'][int(4)];
      const noSpace = int(3) === 0 ? 'error_if_no_space' : 'queue_if_no_space';
      const check = int(30) === 0 ? 'needs_check' : '-';
      out.push(`${name}: 0 209715200 thin-pool ${int(100000)} ${int(524288)}/524288 ${used}/${total} ${int(20) === 0 ? int(9000) : '-'} ${mode} ${discard} ${noSpace} ${check} 1024 `);
    }
    out.push('');
    out.push('# dmsetup table');
    pools.forEach((name, k) => {
      const features = int(2) === 0 ? '1 skip_block_zeroing' : '0';
      const devs = quiet ? `253:${2 * k + 1} 253:${2 * k + 2}` : `7:${2 * k + 1} 7:${2 * k}`;
      out.push(`${name}: 0 209715200 thin-pool ${devs} 128 ${quiet || int(2) === 0 ? 32768 : 1638400} ${features}`);
    });
    out.push('');
    switch (i % 8) {
      case 1:
        out.push('# docker info', 'Server Version: 17.03.2-ce', 'Storage Driver: devicemapper', ` Pool Name: ${pools[0]}`, ' Pool Blocksize: 65.54 kB', ' Data file: /dev/loop0', ' Metadata file: /dev/loop1');
        out.push(' Data Space Used: 8.3 GB', ' Data Space Total: 107.4 GB', ' Data Space Available: 99.1 GB', ' Metadata Space Used: 121.2 MB', ' Metadata Space Total: 2.147 GB', ' Metadata Space Available: 2.026 GB');
        out.push(' Thin Pool Minimum Free Space: 10.74 GB', ' Udev Sync Supported: true');
        if (!quiet) out.push(` Data loop file: ${DATA}`, ` Metadata loop file: ${META}`);
        out.push('');
        break;
      case 2:
        out.push('# losetup -l', 'NAME       SIZELIMIT OFFSET AUTOCLEAR RO BACK-FILE                   DIO LOG-SEC');
        out.push(`/dev/loop0         0      0         0  0 ${DATA}   0     512`, `/dev/loop1         0      0         0  0 ${META}   0     512`, '');
        break;
      case 3:
        out.push(`# ls -ls ${DATA} ${META}`, `${1675524 + int(1e6)} -rw------- 1 root root 214748364800 Nov 12 11:52 ${DATA}`, `  19040 -rw------- 1 root root   2147483648 Nov 12 11:52 ${META}`, '');
        break;
      case 4:
        out.push('# dmesg | grep -e device-mapper -e DISCARD');
        if (quiet) out.push('[   21.214061] EXT4-fs (dm-3): mounted filesystem with ordered data mode', '');
        else {
          out.push(`[   21.214061] device-mapper: thin: Data device (loop0) discard unsupported: Disabling discard passdown.`);
          out.push(`[   48.758789] operation not supported error, dev loop0, sector ${int(1e6)} op 0x3:(DISCARD) flags 0x0 phys_seg 1 prio class 2`);
          out.push(`[   64.772053] device-mapper: thin: 253:0: reached low water mark for data device: sending event.`);
          out.push(`[   65.409656] device-mapper: thin: 253:0: growing the data device from 1024 to 3072 blocks`, '');
        }
        break;
      case 5:
        out.push('# dmsetup ls');
        for (let k = 0; k < 5; k++) out.push(`${pools[k]}\t(253:${k})`);
        out.push('');
        break;
      case 6:
        // Output pasted without a prompt, separated by blank lines: read in the light of the
        // command block above (a status line under `dmsetup table` is an invalid table line).
        if (!quiet) out.push(`${pools[1]}: 0 209715200 thin-pool 12 633/524288 26115/1638400 - rw discard_passdown queue_if_no_space - 1024 `);
        out.push('some note typed by hand', '');
        out.push(`${pools[2]}: 0 20971520 thin ${int(20971520)} ${int(20971519)}`, '');
        break;
      default:
        break;
    }
  }
  out.length = target;
  return out.join('\n');
}

function gc() {
  if (typeof globalThis.gc === 'function') globalThis.gc();
}

function best(runs, fn) {
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    gc();
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

const MARKER = /^(?:#|\$) dmsetup (?:status|table)\b/;

/** The baseline: split into lines, one regex test per line. */
function baseline(text) {
  const lines = text.split('\n');
  let n = 0;
  for (const l of lines) if (MARKER.test(l)) n++;
  return n;
}

function full(text) {
  const doc = new TranscriptDocument(text);
  const findings = new TranscriptDiagnostics(doc).compute(DEFAULT_THRESHOLDS);
  return { doc, findings };
}

/** A status line near the middle of the document. */
function middleStatusLine(doc) {
  for (let l = doc.lineCount >> 1; l < doc.lineCount; l++) if (/ thin-pool \d+ \d+\/\d+ \d+\/\d+ /.test(doc.lineText(l))) return l;
  throw new Error('no status line');
}

/**
 * One-line edits in the middle of a long document, each followed by re-diagnosis. `kind`:
 *   'type'    — a digit typed over the used-data count of a status line (its facts change);
 *   'newline' — a line inserted after it, then removed again (every later line moves).
 */
function editRun(text, kind, runs) {
  const doc = new TranscriptDocument(text);
  const diagnostics = new TranscriptDiagnostics(doc);
  diagnostics.compute(DEFAULT_THRESHOLDS);
  const line = middleStatusLine(doc);
  gc();
  let min = Infinity;
  let count = 0;
  for (let r = 0; r < runs * 2; r++) {
    let change;
    const current = doc.lineText(line);
    if (kind === 'type') {
      // Alternate between two values so every edit really changes the line's facts.
      const m = / (\d+)\/1638400 /.exec(current);
      const at = m.index + 1;
      change = { range: { start: { line, character: at }, end: { line, character: at + m[1].length } }, text: m[1] === '7' ? '8' : '7' };
    } else {
      const len = current.length;
      change = r % 2 === 0 ? { range: { start: { line, character: len }, end: { line, character: len } }, text: '\nnote' } : { range: { start: { line, character: len }, end: { line: line + 1, character: 4 } }, text: '' };
    }
    const t0 = performance.now();
    doc.update([change]);
    count = diagnostics.compute(DEFAULT_THRESHOLDS).length;
    min = Math.min(min, performance.now() - t0);
  }
  return { ms: min, findings: count };
}

function round(x, digits = 1) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function runBench(runs = 7) {
  const text100 = generateTranscript(100_000);
  const quiet100 = generateTranscript(100_000, { quiet: true });
  // Warm up every path once.
  baseline(text100);
  full(text100);
  full(quiet100);

  const baseMs = best(runs, () => baseline(text100));
  const parseMs = best(runs, () => new TranscriptDocument(text100));
  let findings100 = 0;
  const fullMs = best(runs, () => {
    findings100 = full(text100).findings.length;
  });
  const quietBaseMs = best(runs, () => baseline(quiet100));
  let quietFindings = 0;
  const quietMs = best(runs, () => {
    quietFindings = full(quiet100).findings.length;
  });
  // Heap held by a parsed and diagnosed 100k-line document (the text itself excluded).
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const held = full(text100);
  gc();
  const heapMiB = (process.memoryUsage().heapUsed - heap0) / 2 ** 20;
  void held.doc.lineCount;

  const text300 = generateTranscript(300_000);
  full(text300);
  const full300Ms = best(Math.max(3, runs >> 1), () => full(text300));
  const type = editRun(text300, 'type', runs);
  const newline = editRun(text300, 'newline', runs);

  return {
    baselineMs: round(baseMs),
    parseMs: round(parseMs),
    fullMs: round(fullMs),
    findings100k: findings100,
    quietBaselineMs: round(quietBaseMs),
    quietFullMs: round(quietMs),
    quietFindings100k: quietFindings,
    heapAfterParseMiB: round(heapMiB),
    full300kMs: round(full300Ms),
    editTypeMs: round(type.ms),
    editNewlineMs: round(newline.ms),
    findings300k: type.findings,
    throughputRatio: round(baseMs / fullMs, 3),
    quietThroughputRatio: round(quietBaseMs / quietMs, 3),
    editRatio: round(type.ms / full300Ms, 4),
    editNewlineRatio: round(newline.ms / full300Ms, 4),
    budgets: { throughputRatio: BUDGET_THROUGHPUT, editRatio: BUDGET_EDIT },
  };
}

function main() {
  const args = process.argv.slice(2);
  const runsArg = args.indexOf('--runs');
  const runs = runsArg >= 0 ? Math.max(1, Number(args[runsArg + 1]) || 1) : 7;
  const r = runBench(runs);
  if (args.includes('--json')) console.log(JSON.stringify(r));
  else {
    const gcNote = typeof globalThis.gc === 'function' ? '' : ' (approximate: run with --expose-gc)';
    console.log(`baseline (split + regex test per line), 100k lines: ${r.baselineMs} ms`);
    console.log(`parse, 100k lines:                                 ${r.parseMs} ms`);
    console.log(`parse + diagnose, 100k lines:                      ${r.fullMs} ms (${r.findings100k} findings)`);
    console.log(`parse + diagnose, 100k quiet lines:                ${r.quietFullMs} ms (${r.quietFindings100k} findings; baseline ${r.quietBaselineMs} ms)`);
    console.log(`heap held by the parsed + diagnosed document:      ${r.heapAfterParseMiB} MiB${gcNote}`);
    console.log(`parse + diagnose, 300k lines:                      ${r.full300kMs} ms (${r.findings300k} findings)`);
    console.log(`one-line edit + re-diagnosis, 300k lines:          ${r.editTypeMs} ms typing a digit, ${r.editNewlineMs} ms inserting a line`);
    console.log(`throughput full ÷ baseline:  ${r.throughputRatio} (budget ≥ ${BUDGET_THROUGHPUT}); quiet transcript ${r.quietThroughputRatio}`);
    console.log(`edit ÷ full:                 ${r.editRatio} (budget ≤ ${BUDGET_EDIT}); inserting a line ${r.editNewlineRatio}`);
  }
  process.exitCode = r.throughputRatio >= BUDGET_THROUGHPUT && r.editRatio <= BUDGET_EDIT ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
