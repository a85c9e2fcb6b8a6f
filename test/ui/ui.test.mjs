// UI checks in a real browser: code-server (the VS Code workbench) with the
// packaged extension installed, driven by playwright-core in Debian's Chromium.
// Needs `bash scripts/setup-vscode.sh` and `npm run package` first (.ci/run does both).
// Screenshots go to test-results/; with DMLENS_UPDATE_SCREENSHOTS=1 also to media/screenshots/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hoverText, quickOpen, runCommand, screenshot, startVSCode, waitForProblem, waitForSquiggle } from '../vscode/ui/vscode-ui.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const vsix = join(root, 'devicemapper-lens.vsix');
const results = join(root, 'test-results');
let vs;

async function shot(name) {
  const file = await screenshot(vs.page, join(results, `${name}.png`));
  if (process.env.DMLENS_UPDATE_SCREENSHOTS === '1') {
    mkdirSync(join(root, 'media/screenshots'), { recursive: true });
    copyFileSync(file, join(root, 'media/screenshots', `${name}.png`));
  }
}

before(async () => {
  assert.ok(existsSync(vsix), 'run `npm run package` first');
  vs = await startVSCode({ vsix, workspace: join(root, 'examples'), viewport: { width: 1400, height: 860 }, settings: { 'workbench.colorTheme': 'Default Dark Modern', 'editor.fontSize': 13 } });
});

after(async () => {
  await vs?.stop();
});

test('Quick Open shows the transcript with a warning squiggle', async () => {
  await quickOpen(vs.page, 'user-transcript.dmsetup');
  await waitForSquiggle(vs.page, 'warning');
});

test('the Problems panel lists the passdown finding', async () => {
  const rows = await waitForProblem(vs.page, 'not passed down');
  assert.ok(rows.some((r) => /yy_pool/.test(r)), rows.join(' | '));
  await shot('diagnostics');
});

test('hovering the data blocks explains them with computed sizes', async () => {
  const text = await hoverText(vs.page, { line: 7, token: '26115', expect: '1.59 GiB of 200 GiB' });
  assert.match(text, /26,115 of 3,276,800 × 64 KiB = 1\.59 GiB of 200 GiB/);
  await shot('hover');
});

test('a pool out of data space shows an error', async () => {
  await quickOpen(vs.page, 'out-of-space.dmsetup');
  await waitForSquiggle(vs.page, 'error');
  await waitForProblem(vs.page, 'out of data space');
  await shot('out-of-space');
});

test('a command runs from the palette', async () => {
  await runCommand(vs.page, 'Devicemapper Lens: Show Output');
  await vs.page.locator('.output-view, .part.panel', { hasText: 'language server started' }).first().waitFor({ timeout: 30000 });
});

test('daemon.json: a misspelt dm.* option is an error that offers the right name', async () => {
  await quickOpen(vs.page, 'daemon.json');
  await waitForSquiggle(vs.page, 'error');
  const text = await hoverText(vs.page, { line: 9, token: 'min_free_spcae', expect: 'Did you mean' });
  assert.match(text, /devmapper: Unknown option dm\.min_free_spcae/);
  assert.match(text, /Did you mean dm\.min_free_space\?/);
  await shot('daemon-json');
});

test('a syslog: the out-of-data-space line is an error, and the grow line explains its numbers', async () => {
  await quickOpen(vs.page, 'messages');
  await waitForSquiggle(vs.page, 'error');
  const text = await hoverText(vs.page, { line: 16, token: 'growing', expect: '3×' });
  assert.match(text, /1024/);
  await shot('log-hover');
});
