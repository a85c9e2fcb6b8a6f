#!/usr/bin/env node
// npm run bench: one line per figure, each a ratio or a count measured side by
// side in one run (a noisy shared machine cancels out), and exit 1 when a
// figure misses its budget. Budgets are written in ARCHITECTURE.md ("Budgets").
//
//   node --import tsx test/perf/bench.mjs [--quick] [--json]
//     --quick   fewer requests and runs, and no 100 000-case property run
//
// It needs VS Code's JSON grammar (scripts/setup-vscode.sh, run here when missing) and the lab
// (test/lab/build.sh; both are part of the README's test set-up); it boots the lab for figure 8.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse as parseJsonc } from 'jsonc-parser';

import { BUDGET_P95_MS, runLspBench } from './lsp.bench.mjs';
import { GRAMMAR_BUDGET, runGrammarBench } from './grammar.bench.mjs';
import { runRemoteBench, SSH_PER_HOST_BUDGET } from './remote.bench.mjs';
import { RSS_CAP_MIB, RSS_GROWTH_BUDGET_MIB, runStressBench } from './stress.bench.mjs';

// The core through require (CommonJS under tsx): an ESM default import of it next to the bench
// scripts' named imports of the same file trips Node 20's CJS translator (ERR_INTERNAL_ASSERTION).
const { analyzeLog, validateDaemonJson, splitLines } = createRequire(import.meta.url)('../../server/src/core/index.ts');

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const asJson = args.includes('--json');
const figures = [];

/** Records a figure; `budget` is [op, value] with op '>=' or '<=' (or undefined: reported only). */
function figure(name, value, unit, budget) {
  const ok = !budget || (budget[0] === '>=' ? value >= budget[1] : value <= budget[1]);
  figures.push({ name, value, unit, budget: budget ? `${budget[0]} ${budget[1]}` : null, ok });
  if (!asJson) console.log(`${!budget ? 'info' : ok ? 'ok  ' : 'MISS'} ${name}: ${format(value)}${unit ? ` ${unit}` : ''}${budget ? ` (budget ${budget[0]} ${budget[1]})` : ''}`);
}
const format = (v) => (Number.isInteger(v) ? String(v) : v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(3));

/** Best (smallest) time of `runs` runs of fn, in ms. */
function best(fn, runs) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

/** The issue's baseline: split into lines and one regex test per line. */
const BASELINE_RE = /thin-pool (\d+) (\d+)\/(\d+)|device-mapper: thin/;
function baseline(text) {
  let n = 0;
  for (const l of text.split('\n')) if (BASELINE_RE.test(l)) n++;
  return n;
}

// 1. Transcripts: the dedicated script (full ÷ baseline, edit ÷ full).
{
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test/perf/transcript.bench.mjs'), '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
  try {
    const j = JSON.parse(r.stdout.trim().split('\n').pop());
    const ratios = j.ratios ?? j;
    const full = ratios.fullOverBaseline ?? ratios.full ?? ratios.throughputRatio;
    const edit = ratios.editOverFull ?? ratios.edit ?? ratios.editRatio;
    if (typeof full === 'number') figure('transcript parse+diagnose throughput ÷ baseline (100 000 lines)', full, '', ['>=', 0.25]);
    if (typeof edit === 'number') figure('re-diagnosis after a one-line edit ÷ full (300 000 lines)', edit, '', ['<=', 0.05]);
    if (typeof full !== 'number' || typeof edit !== 'number') figure('transcript bench output understood', 0, '', ['>=', 1]);
  } catch {
    console.error(r.stderr);
    figure('transcript bench ran', 0, '', ['>=', 1]);
  }
}

// 2. Logs: a 400 000-line mixed journal, catalogue matching ÷ the same baseline.
{
  const unrelated = [
    'Dec  3 10:00:01 host systemd[1]: Started Session 42 of user root.',
    'Dec  3 10:00:02 host sshd[1234]: Accepted publickey for ops from 10.0.0.5 port 51234 ssh2: ED25519 SHA256:abc',
    'Dec  3 10:00:03 host kernel: [ 1234.567890] IPv6: ADDRCONF(NETDEV_CHANGE): veth1a2b: link becomes ready',
    'Dec  3 10:00:04 host dockerd[900]: time="2024-01-01T10:00:04Z" level=info msg="Container failed to exit within 10s of signal 15 - using the force"',
    'Dec  3 10:00:05 host CRON[555]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)',
  ];
  const related = [
    'Dec  3 10:00:06 host kernel: [ 1235.1] device-mapper: thin: 253:0: switching pool to out-of-data-space (queue IO) mode',
    'Dec  3 10:00:07 host dockerd[900]: time="2024-01-01T10:00:07Z" level=error msg="devmapper: Thin Pool has 162394 free data blocks which is less than minimum required 163840 free data blocks. Create more free space in thin pool or use dm.min_free_space option to change behavior"',
    'Dec  3 10:00:08 host kernel: [ 1236.2] device-mapper: thin: 253:0: reached low water mark for data device: sending event.',
  ];
  const lines = [];
  for (let i = 0; lines.length < 400_000; i++) lines.push(i % 50 === 0 ? related[i % related.length] : unrelated[i % unrelated.length].replace('42', String(i)));
  const text = lines.join('\n');
  const tb = best(() => baseline(text), 5);
  const tl = best(() => analyzeLog(splitLines(text)), 3);
  figure('log catalogue matching ÷ baseline (400 000-line journal)', tb / tl, '', ['>=', 0.2]);
}

// 3. daemon.json: validation ÷ jsonc-parser's parse alone, on the same file.
{
  const text = JSON.stringify(
    {
      'storage-driver': 'devicemapper',
      'storage-opts': ['dm.thinpooldev=/dev/mapper/docker-thinpool', 'dm.use_deferred_removal=true', 'dm.use_deferred_deletion=true', 'dm.basesize=20G', 'dm.fs=xfs', 'dm.min_free_space=10%', 'dm.blkdiscard=false'],
      'log-driver': 'json-file',
      'log-opts': { 'max-size': '10m', 'max-file': '3' },
      'data-root': '/var/lib/docker',
    },
    null,
    2,
  );
  const n = 2000;
  const tp = best(() => {
    for (let i = 0; i < n; i++) parseJsonc(text);
  }, 5);
  const tv = best(() => {
    for (let i = 0; i < n; i++) validateDaemonJson(text, { engine: '20.10.24' });
  }, 5);
  figure('daemon.json validation ÷ jsonc-parser parse (speed ratio)', tp / tv, '');
}

// 4. Bundles and package. The shipped (production) bundles, built fresh. The entry bundle is what
// activation loads on every JSON, log and plain-text file (budget ≤ 50 ms); the language client
// loads when the first document the server serves opens, remote inspection on the first remote
// command (both reported, see ARCHITECTURE.md "Client bundles").
{
  const built = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) figure('production build', 0, '', ['>=', 1]);
  // `vscode` exists only in the extension host: a stub module stands in; we time the bundle's own load.
  const loadMs = (bundle) => {
    const file = join(root, 'client/out', bundle);
    const probe = `const M=require('module');const o=M._load;M._load=function(r,...a){return r==='vscode'?new Proxy({}, {get:()=>function(){}}):o.call(this,r,...a)};const t=process.hrtime.bigint();require(${JSON.stringify(file)});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
    const times = [];
    for (let i = 0; i < 5; i++) {
      const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
      const ms = Number(r.stdout.trim());
      if (r.status === 0 && Number.isFinite(ms)) times.push(ms);
    }
    return times.length ? Math.min(...times) : Infinity;
  };
  figure('client entry bundle load at activation (require), best of 5', loadMs('extension.js'), 'ms', ['<=', 50]);
  figure('language client bundle load, on the first served document (require), best of 5', loadMs('languageClient.js'), 'ms');
  figure('remote inspection bundle load, on the first remote command (require), best of 5', loadMs('remoteInspection.js'), 'ms');
  const vsix = join(root, 'devicemapper-lens.vsix');
  spawnSync('npm', ['run', '--silent', 'package'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  figure('.vsix size', existsSync(vsix) ? statSync(vsix).size / 1048576 : Infinity, 'MiB', ['<=', 1]);
}

// 5. Hover, inlay hints and document symbols through the real server over stdio (lsp.bench.mjs).
{
  const r = await runLspBench({ quick });
  const b = ['<=', BUDGET_P95_MS];
  figure('hover p95 on the 300 000-line document, real server over stdio', r.hoverP95Ms, 'ms', b);
  figure('inlay hints p95 (a 60-line viewport), same document', r.inlayHintP95Ms, 'ms', b);
  figure('document symbols p95, same document', r.documentSymbolP95Ms, 'ms', b);
  figure('hover p95 right after a one-line edit, same document', r.afterEditHoverP95Ms, 'ms', b);
}

// 6. Grammar: lines/ms of ours on a transcript ÷ VS Code's JSON grammar on equal bytes (grammar.bench.mjs).
{
  let r = await runGrammarBench({ quick });
  if (r.missing) {
    // VS Code's JSON grammar comes with code-server (the README's test set-up installs it).
    spawnSync('bash', [join(root, 'scripts/setup-vscode.sh')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    r = await runGrammarBench({ quick });
  }
  if (r.missing) figure(`grammar tokenization measured (${r.missing})`, 0, '', ['>=', 1]);
  else figure('grammar tokenization lines/ms ÷ VS Code JSON grammar (equal bytes)', r.ratio, '', ['>=', GRAMMAR_BUDGET]);
}

// 7. The language server under stress (stress.bench.mjs): rapid edits, malformed and cancelled
// requests, a 50 MB document opened and closed again and again.
{
  const r = await runStressBench({ quick });
  figure(`after ${r.editsSent} rapid edits the server answers and its diagnostics equal a fresh open (1 = yes)`, r.answeredAfterEdits && r.editsMatchFresh ? 1 : 0, '', ['>=', 1]);
  figure(`malformed requests answered as expected, the server answering after each (of ${r.malformedSent})`, r.malformedAnswered, '', ['>=', r.malformedSent]);
  figure(`cancelled requests that ended in neither an answer nor a cancellation (of ${r.cancelRequests})`, r.cancelOther, '', ['<=', 0]);
  figure(`server memory growth over ${r.fiftyMbCycles} opens and closes of a 50 MB transcript`, r.rssGrowthMiB, 'MiB', ['<=', RSS_GROWTH_BUDGET_MIB]);
  figure('server memory at its peak with the 50 MB transcript open', r.rssMaxMiB, 'MiB', ['<=', RSS_CAP_MIB]);
  figure(`50 MB transcript: didOpen → diagnostics (${r.fiftyMbDiagnostics} published)`, r.fiftyMbOpenToDiagnosticsMs, 'ms');
}

// 8. Remote inspection on the lab (remote.bench.mjs): boots the QEMU guest, about a minute.
{
  const r = await runRemoteBench({ quick });
  if (r.missing) figure(`remote inspection measured on the lab (${r.missing})`, 0, '', ['>=', 1]);
  else {
    figure('ssh processes per host, one inspection of the lab', r.sshPerHost, '', ['<=', SSH_PER_HOST_BUDGET]);
    figure(`inspection wall time ÷ one ssh round trip (lab under ${r.accel})`, r.wallRatio, '');
  }
}

// 9. Property tests at 100 000 cases each.
if (!quick) {
  for (const file of ['test/unit/properties.test.ts', 'test/unit/parserProperties.test.ts', 'test/unit/inlayHintsRecords.test.ts', 'test/unit/literalSet.test.ts']) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', join(root, file)], { cwd: root, encoding: 'utf8', env: { ...process.env, DMLENS_PROPERTY_RUNS: '100000' }, maxBuffer: 1 << 26 });
    const failed = Number(/^# fail (\d+)/m.exec(r.stdout)?.[1] ?? 1);
    figure(`property tests at 100 000 cases (${file.split('/').pop()}): failures`, failed, '', ['<=', 0]);
  }
}

if (asJson) console.log(JSON.stringify({ figures }, null, 2));
process.exit(figures.every((f) => f.ok) ? 0 : 1);
