#!/usr/bin/env node
// Run an extension's integration tests (a test-electron style `run()` module)
// in real VS Code through @vscode/test-electron's runTests() and ./launcher.
//
//   node test/vscode/run-tests.mjs --extensionTestsPath dist/test/suite.js \
//     [--extensionDevelopmentPath .] [--workspace test/fixtures/ws] [--env KEY=VALUE ...]
//
// @vscode/test-electron (2.5.2) is resolved from the current directory's
// node_modules (the project's devDependencies). Exit code: 0 when the suite
// passed, 1 otherwise (mocha's own 'N passing' lines arrive prefixed '[ext] ').
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: a } = parseArgs({
  options: {
    extensionTestsPath: { type: 'string' },
    extensionDevelopmentPath: { type: 'string', default: '.' },
    workspace: { type: 'string' },
    env: { type: 'string', multiple: true, default: [] },
    'disable-extensions': { type: 'boolean', default: true },
  },
});
if (!a.extensionTestsPath) {
  console.error('usage: run-tests.mjs --extensionTestsPath FILE [--extensionDevelopmentPath DIR] [--workspace DIR] [--env K=V]');
  process.exit(2);
}

const { runTests } = createRequire(path.join(process.cwd(), 'package.json'))('@vscode/test-electron');
const extensionTestsEnv = Object.fromEntries(a.env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const launchArgs = [];
if (a.workspace) launchArgs.push(path.resolve(a.workspace));
if (a['disable-extensions']) launchArgs.push('--disable-extensions');

const t0 = Date.now();
try {
  await runTests({
    vscodeExecutablePath: path.join(here, 'launcher'),
    extensionDevelopmentPath: path.resolve(a.extensionDevelopmentPath),
    extensionTestsPath: path.resolve(a.extensionTestsPath),
    extensionTestsEnv,
    launchArgs,
  });
  console.log(`vscode integration: suite passed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
} catch (e) {
  console.error(`vscode integration: ${e.message} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  process.exit(1);
}
