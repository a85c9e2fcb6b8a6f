#!/usr/bin/env node
// The project's test command (npm test): builds the bundles, then runs every
// suite that needs no VS Code — unit, grammar, protocol (the real server over
// stdio) and CLI (the built dmlens) — and ends with "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts }).status;

if (run(process.execPath, ['esbuild.mjs']) !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const counts = join(mkdtempSync(join(tmpdir(), 'dmlens-test-')), 'counts.json');
const suites = ['test/unit/*.test.ts', 'test/grammar/*.test.ts', 'test/protocol/*.test.ts', 'test/cli/*.test.ts'];
const status = run(process.execPath, [
  '--import', 'tsx',
  '--test',
  '--test-reporter=spec', '--test-reporter-destination=stdout',
  '--test-reporter=./test/count-reporter.mjs', `--test-reporter-destination=${counts}`,
  ...suites,
]);
const total = existsSync(counts) ? JSON.parse(readFileSync(counts, 'utf8')) : { passed: 0, failed: 1, skipped: 0 };
if (status !== 0 && total.failed === 0) total.failed = 1;
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed === 0 && status === 0 ? 0 : 1);
