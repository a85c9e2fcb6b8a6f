#!/usr/bin/env node
// Generic UI smoke check built on vscode-ui.mjs:
//
//   node test/vscode/ui/smoke.mjs --vsix ext.vsix --workspace DIR --open FILE \
//     [--problem TEXT] [--squiggle warning|error] [--hover-line N --hover-token TOK --hover TEXT] \
//     [--command TITLE --notification TEXT] [--screenshot out.png]
//
// Prints one line per check and a closing 'N passed, N failed'; exit 1 on any failure
// (with an error screenshot next to --screenshot). Without --vsix it runs as a
// negative control (the extension's checks must then fail).
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  hoverText, quickOpen, runCommand, screenshot, startVSCode, waitForNotification, waitForProblem, waitForSquiggle,
} from './vscode-ui.mjs';

const { values: a } = parseArgs({
  options: {
    vsix: { type: 'string', multiple: true },
    workspace: { type: 'string' },
    open: { type: 'string' },
    problem: { type: 'string' },
    squiggle: { type: 'string' },
    'hover-line': { type: 'string', default: '1' },
    'hover-token': { type: 'string' },
    hover: { type: 'string' },
    command: { type: 'string' },
    notification: { type: 'string' },
    screenshot: { type: 'string' },
    'check-timeout': { type: 'string', default: '20000' },
  },
});
if (!a.workspace || !a.open) {
  console.error('usage: smoke.mjs --workspace DIR --open FILE [--vsix X.vsix] [--problem TEXT] [--squiggle SEV] [--hover TEXT] [--command TITLE --notification TEXT] [--screenshot PNG]');
  process.exit(2);
}
const timeout = Number(a['check-timeout']);
const t0 = Date.now();
let passed = 0;
let failed = 0;
const check = async (name, fn) => {
  const t = Date.now();
  try {
    const detail = await fn();
    passed++;
    console.log(`ok   ${name} (${Date.now() - t} ms)${detail ? `: ${String(detail).replace(/\s+/g, ' ').slice(0, 120)}` : ''}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name} (${Date.now() - t} ms): ${e.message.split('\n')[0]}`);
  }
};

let vs;
try {
  vs = await startVSCode({ vsix: a.vsix, workspace: a.workspace });
  console.log(`VS Code ${vs.version} up: ${JSON.stringify(vs.timings)}`);
  await check(`quick open ${a.open}`, () => quickOpen(vs.page, a.open, { timeout }));
  if (a.squiggle) await check(`${a.squiggle} squiggle`, () => waitForSquiggle(vs.page, a.squiggle, { timeout }));
  if (a.problem) await check(`problems panel '${a.problem}'`, async () => (await waitForProblem(vs.page, a.problem, { timeout })).join(' | '));
  if (a.hover) {
    await check(`hover '${a.hover}'`, () => hoverText(vs.page, { line: Number(a['hover-line']), token: a['hover-token'], expect: a.hover, timeout: Math.min(timeout, 8000) }));
  }
  if (a.command) {
    await check(`command '${a.command}'`, async () => {
      await runCommand(vs.page, a.command, { timeout });
      if (a.notification) return waitForNotification(vs.page, a.notification, { timeout });
    });
  }
  if (a.screenshot) {
    const file = failed ? a.screenshot.replace(/(\.png)?$/, '.error.png') : a.screenshot;
    await screenshot(vs.page, file);
    console.log(`screenshot ${path.resolve(file)}`);
  }
} catch (e) {
  failed++;
  console.log(`FAIL start-up: ${e.message}`);
} finally {
  await vs?.stop();
}
console.log(`(${((Date.now() - t0) / 1000).toFixed(1)} s)`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
