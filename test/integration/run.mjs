#!/usr/bin/env node
// Runs the integration suites in a real VS Code extension host with
// @vscode/test-electron's runTests(). Where desktop VS Code cannot be
// downloaded (this machine), runTests gets test/vscode/launcher as its
// executable: the same suites then run in VS Code server (code-server) with
// headless Chromium. Set DMLENS_VSCODE_EXECUTABLE to a desktop `code` to run
// them there unchanged. Runs twice: a trusted and an untrusted workspace.
import { build } from 'esbuild';
import { runTests } from '@vscode/test-electron';
import { mkdtempSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const out = join(here, 'out', 'suite.js');

// mainFields as in esbuild.mjs: jsonc-parser's UMD "main" hides its requires from esbuild.
await build({ entryPoints: [join(here, 'suite/index.ts')], outfile: out, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], mainFields: ['module', 'main'], logLevel: 'error' });
// Against the lab each inspection takes 20–45 s under TCG: the suites need more than the launcher's default 180 s.
if (process.env.DMLENS_LAB_SSH_CONFIG && !process.env.DMLENS_VSCODE_TIMEOUT) process.env.DMLENS_VSCODE_TIMEOUT = '900';

const executable = process.env.DMLENS_VSCODE_EXECUTABLE ?? join(root, 'test/vscode/launcher');
const runs = [
  { name: 'trusted workspace', settings: {}, env: {} },
  {
    name: 'untrusted workspace',
    settings: { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never', 'security.workspace.trust.emptyWindow': false },
    env: { DMLENS_EXPECT_UNTRUSTED: '1' },
  },
];
const only = process.env.DMLENS_IT_ONLY;
let passed = 0;
let failed = 0;
for (const run of runs.filter((r) => !only || r.name.startsWith(only))) {
  // A fresh copy of the workspace per run, so settings written by one run cannot leak into the next.
  const ws = join(mkdtempSync(join(tmpdir(), 'dmlens-it-')), 'workspace');
  cpSync(join(here, 'workspace'), ws, { recursive: true });
  process.env.DMLENS_VSCODE_SETTINGS = JSON.stringify(run.settings);
  process.env.DMLENS_VSCODE_TRUST = run.env.DMLENS_EXPECT_UNTRUSTED ? 'enabled' : 'disabled';
  console.log(`== integration: ${run.name}`);
  try {
    await runTests({
      vscodeExecutablePath: executable,
      extensionDevelopmentPath: root,
      extensionTestsPath: out,
      extensionTestsEnv: {
        ...run.env,
        ...(process.env.DMLENS_IT_RESULTS ? { DMLENS_IT_RESULTS: process.env.DMLENS_IT_RESULTS } : {}),
        // The dm-thin lab guest (test/lab): an ssh config with `Host dmlens-lab`; the remote suites skip without it.
        ...(process.env.DMLENS_LAB_SSH_CONFIG ? { DMLENS_LAB_SSH_CONFIG: process.env.DMLENS_LAB_SSH_CONFIG } : {}),
      },
      launchArgs: [ws, '--disable-extensions'],
    });
    passed++;
  } catch (e) {
    console.error(`integration (${run.name}) failed: ${e instanceof Error ? e.message : e}`);
    failed++;
  }
}
console.log(`integration runs: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
