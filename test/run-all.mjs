#!/usr/bin/env node
// The project's test commands. `npm test`: builds the bundles, then runs every
// suite that needs no VS Code — unit, grammar, protocol (the real server over
// stdio) and CLI (the built dmlens). `npm run test:all` (--vscode): first sets
// up the real-VS-Code tools (scripts/setup-vscode.sh), packages the .vsix, and
// adds the extension-host integration suites and the UI checks in Chromium.
// `--lab` boots the dm-thin lab (test/lab, a QEMU guest) once and runs the
// suites that need a real host against it: the lab's own proof suite and the
// remote suites (test/remote); with --vscode the integration suites get it too.
// Both end with one line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts }).status;

if (run(process.execPath, ['esbuild.mjs']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const withVSCode = process.argv.includes('--vscode');
const withLab = process.argv.includes('--lab');
const work = mkdtempSync(join(tmpdir(), 'dmlens-test-'));
const counts = join(work, 'counts.json');
const total = { passed: 0, failed: 0, skipped: 0 };
const add = (c) => {
  total.passed += c.passed ?? 0;
  total.failed += c.failed ?? 0;
  total.skipped += c.skipped ?? c.pending ?? 0;
};
const finish = () => {
  console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
  process.exit(total.failed === 0 ? 0 : 1);
};

if (withVSCode) {
  if (run('bash', ['scripts/setup-vscode.sh']) !== 0 || run('npm', ['run', '--silent', 'package'], { stdio: ['ignore', 'ignore', 'inherit'] }) !== 0) {
    total.failed++;
    finish();
  }
}

// Node 20's test runner does not expand globs itself.
const suites = ['test/unit', 'test/grammar', 'test/protocol', 'test/cli'].flatMap((dir) =>
  readdirSync(join(root, dir)).filter((f) => f.endsWith('.test.ts')).sort().map((f) => `${dir}/${f}`),
);
const status = run(process.execPath, [
  '--import', 'tsx',
  '--test',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=./test/count-reporter.mjs', `--test-reporter-destination=${counts}`,
  ...suites,
]);
const readCounts = (file, status) => {
  const c = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { passed: 0, failed: 1 };
  if (status !== 0 && !c.failed) c.failed = 1;
  return c;
};
add(readCounts(counts, status));

// The lab: one guest for every suite that needs a real host; stopped by its PID at the end (also on failure).
let lab;
if (withLab) {
  const { startLab, labDir } = await import('./lab/lab.mjs');
  try {
    lab = await startLab({ runDir: join(labDir, 'run-all') });
    console.log(`== lab up (${lab.accel}): ${JSON.stringify(lab.timings)}`);
    process.env.DMLENS_LAB_RUN_DIR = lab.runDir;
    process.env.DMLENS_LAB_SSH_CONFIG = lab.sshConfigFile;
  } catch (e) {
    console.error(`lab failed to start: ${e instanceof Error ? e.message : e}`);
    total.failed++;
  }
  if (lab) {
    const labCounts = join(work, 'lab.json');
    const labSuites = ['test/lab/lab.test.mjs', ...readdirSync(join(root, 'test/remote')).filter((f) => f.endsWith('.test.ts')).sort().map((f) => `test/remote/${f}`)];
    const labStatus = run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=./test/count-reporter.mjs', `--test-reporter-destination=${labCounts}`, ...labSuites]);
    add(readCounts(labCounts, labStatus));
  }
}

if (withVSCode) {
  // Extension-host suites: each run appends its mocha totals to this file.
  const itResults = join(work, 'integration.jsonl');
  const itStatus = run(process.execPath, ['test/integration/run.mjs'], { env: { ...process.env, DMLENS_IT_RESULTS: itResults } });
  const lines = existsSync(itResults) ? readFileSync(itResults, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  for (const l of lines) add(l);
  if (itStatus !== 0 && !lines.some((l) => l.failed > 0)) total.failed++;
  const uiCounts = join(work, 'ui.json');
  const uiStatus = run(process.execPath, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=./test/count-reporter.mjs', `--test-reporter-destination=${uiCounts}`, 'test/ui/ui.test.mjs']);
  add(readCounts(uiCounts, uiStatus));
}
await lab?.stop();
finish();
