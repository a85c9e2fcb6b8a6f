import Mocha from 'mocha';
import { appendFileSync } from 'node:fs';
import { transcriptSuite } from './transcript.test';
import { daemonJsonSuite } from './daemonJson.test';
import { logsSuite } from './logs.test';
import { inspectSuite } from './inspect.test';
import { reclaimSuite } from './reclaim.test';

/** The test-electron entry point: runs every suite in this extension host and reports failures. */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'suite', mocha);
  transcriptSuite();
  daemonJsonSuite();
  logsSuite();
  inspectSuite();
  reclaimSuite();
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // The runner outside the extension host sums these into the closing "N passed, N failed".
      const results = process.env['DMLENS_IT_RESULTS'];
      if (results) appendFileSync(results, JSON.stringify({ passed: runner.stats?.passes ?? 0, failed: failures, pending: runner.stats?.pending ?? 0 }) + '\n');
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}
