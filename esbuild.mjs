// Bundles the VS Code client (three files, below), the language server and the dmlens CLI.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  // jsonc-parser's UMD "main" hides its requires from esbuild; its ESM "module" bundles cleanly.
  mainFields: ['module', 'main'],
};

const builds = [
  // The client is three bundles: a tiny entry (activation runs on every JSON, log and plain-text
  // file) that loads the language client and remote inspection when first needed.
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['client/src/languageClient.ts'], outfile: 'client/out/languageClient.js', external: ['vscode'] },
  { ...common, entryPoints: ['client/src/remoteInspection.ts'], outfile: 'client/out/remoteInspection.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/lsp/server.ts'], outfile: 'server/out/server.js' },
  { ...common, entryPoints: ['server/src/cli/dmlens.ts'], outfile: 'server/out/dmlens.js', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
