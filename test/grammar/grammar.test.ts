import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');

// Runs VS Code's tokenizer (vscode-textmate via vscode-tmgrammar-test/-snap) over the assertion and snapshot files.
test('dmsetup grammar: scope assertions and snapshots', () => {
  const r = spawnSync(process.execPath, [resolve(__dirname, 'run.mjs')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

// The injection needs VS Code's own log grammar (text.log), which ships inside code-server: the real one,
// installed by scripts/setup-vscode.sh (npm run test:all does that first). Our grammars come from package.json.
const LOG_GRAMMAR = resolve(root, '.cache/tools/vscode/node_modules/code-server/lib/vscode/extensions/log/syntaxes/log.tmLanguage.json');

test('log injection: device-mapper lines inside VS Code\'s log grammar', { skip: existsSync(LOG_GRAMMAR) ? false : 'needs VS Code\'s log grammar from code-server: npm run setup:vscode' }, () => {
  const bin = resolve(root, 'node_modules/.bin/vscode-tmgrammar-test');
  const r = spawnSync(bin, ['-g', LOG_GRAMMAR, 'test/grammar/*.test.log'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /log-injection\.test\.log run successfuly/);
});
