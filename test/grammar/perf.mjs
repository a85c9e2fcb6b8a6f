#!/usr/bin/env node
// Tokenizes a synthetic 100 000-line transcript (built from the grammar test
// inputs) plus a few long adversarial lines with the same engine that
// vscode-tmgrammar-test uses, and fails if it is slow.
// Usage (from the repository root): node test/grammar/perf.mjs [lines] [budgetMs]
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'package.json'));
const tm = require('vscode-textmate');
const onig = require('vscode-oniguruma');

const LINES = Number(process.argv[2] ?? 100_000);
const BUDGET_MS = Number(process.argv[3] ?? 15_000);
const grammarPath = path.join(root, 'syntaxes/dmsetup.tmLanguage.json');

await onig.loadWASM(fs.readFileSync(require.resolve('vscode-oniguruma').replace(/main\.js$/, 'onig.wasm')).buffer);
const registry = new tm.Registry({
  onigLib: Promise.resolve({
    createOnigScanner: (p) => new onig.OnigScanner(p),
    createOnigString: (s) => new onig.OnigString(s),
  }),
  loadGrammar: async () => tm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
});
const grammar = await registry.loadGrammar('source.dmsetup');

// Source lines of every test input (assertion lines removed).
const sample = [];
for (const dir of [here, path.join(here, 'snap')]) {
  for (const f of fs.readdirSync(dir).sort()) {
    if (!/\.dmsetup$/.test(f)) continue;
    const lines = fs.readFileSync(path.join(dir, f), 'utf8').split(/\r?\n/);
    for (const l of lines) if (!l.startsWith('%%')) sample.push(l);
  }
}
const adversarial = [
  'docker-' + '253:1-'.repeat(3000) + 'pool: 0 1 thin-pool',
  'x'.repeat(20000),
  ' '.repeat(20000) + 'L--w',
  'a: '.repeat(5000) + '0 1',
  '# ' + "dmsetup status 'unterminated ".repeat(500),
  '    ' + '│ '.repeat(5000) + '└─',
  '0 1 thin-pool 1 1/1 1/1 - ' + 'rw '.repeat(5000),
  '[   ' + '1'.repeat(5000) + '.',
];

const doc = [];
while (doc.length < LINES) doc.push(sample[doc.length % sample.length]);

let tokens = 0;
let state = tm.INITIAL;
const t0 = performance.now();
for (const line of doc) {
  const r = grammar.tokenizeLine(line, state);
  state = r.ruleStack;
  tokens += r.tokens.length;
}
const t1 = performance.now();
let worst = 0;
for (const line of adversarial) {
  const a = performance.now();
  grammar.tokenizeLine(line, tm.INITIAL);
  worst = Math.max(worst, performance.now() - a);
}
const ms = t1 - t0;
console.log(`${doc.length} lines (${sample.length} distinct inputs), ${tokens} tokens in ${ms.toFixed(0)} ms ` +
  `(${(ms / doc.length * 1000).toFixed(1)} µs/line); worst adversarial line ${worst.toFixed(1)} ms`);
if (ms > BUDGET_MS || worst > 2000) {
  console.error(`FAIL: over budget (${BUDGET_MS} ms for the document, 2000 ms per line)`);
  process.exit(1);
}
