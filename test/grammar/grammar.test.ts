import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

// Runs VS Code's tokenizer (vscode-textmate via vscode-tmgrammar-test/-snap) over the assertion and snapshot files.
test('dmsetup grammar: scope assertions and snapshots', () => {
  const r = spawnSync(process.execPath, [resolve(__dirname, 'run.mjs')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
