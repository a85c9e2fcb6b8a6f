// Pieces the bench scripts share: a seeded generator, so every run measures the same input, and
// the server build the latency and stress benches need. Plain ESM without TypeScript imports, so
// test files can load it with require as well.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built language server (test/protocol/lspClient.ts starts the same file). */
export const SERVER_BUNDLE = join(root, 'server/out/server.js');

/** Seeded PRNG (mulberry32), the generator test/unit/helpers.ts gives the unit tests. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Builds the bundles when the server is missing (a fresh clone before `npm test`). */
export function ensureServer() {
  if (existsSync(SERVER_BUNDLE)) return;
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(SERVER_BUNDLE)) throw new Error(`could not build ${SERVER_BUNDLE}`);
}
