#!/usr/bin/env node
// Runs every grammar test from the repository root and exits non-zero on failure:
//   1. assertion files  test/grammar/*.test.dmsetup  (vscode-tmgrammar-test)
//   2. snapshot files   test/grammar/snap/*.dmsetup  (vscode-tmgrammar-snap)
// vscode-tmgrammar-snap silently *creates* a missing .snap and passes, so a
// fixture without its .snap is reported as a failure here instead.
// Pass --update to regenerate the snapshots after a deliberate grammar change
// (review the diff of the .snap files before committing them).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const grammar = 'syntaxes/dmsetup.tmLanguage.json';
const update = process.argv.includes('--update');

const snapDir = path.join(root, 'test/grammar/snap');
const missing = fs.readdirSync(snapDir)
  .filter((f) => f.endsWith('.dmsetup') && !fs.existsSync(path.join(snapDir, f + '.snap')));
if (missing.length && !update) {
  console.error(`missing snapshot(s): ${missing.join(', ')} - run: node test/grammar/run.mjs --update`);
  process.exit(1);
}

const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status;
let status = run(bin('vscode-tmgrammar-test'), ['-g', grammar, 'test/grammar/*.test.dmsetup']);
const snapArgs = ['-g', grammar, '-s', 'source.dmsetup', 'test/grammar/snap/*.dmsetup'];
if (update) snapArgs.unshift('--updateSnapshot');
status = run(bin('vscode-tmgrammar-snap'), snapArgs) || status;
process.exit(status === 0 ? 0 : 1);
