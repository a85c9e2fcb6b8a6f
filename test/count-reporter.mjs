// A node:test reporter that writes only the totals as JSON, so test/run-all.mjs
// can print the closing "N passed, N failed" line over several runs.
export default async function* countReporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for await (const event of source) {
    if (event.type === 'test:pass' && event.data.details?.type !== 'suite') {
      if (event.data.skip || event.data.todo) skipped++;
      else passed++;
    } else if (event.type === 'test:fail' && event.data.details?.type !== 'suite') {
      if (event.data.todo) skipped++;
      else failed++;
    }
  }
  yield JSON.stringify({ passed, failed, skipped }) + '\n';
}
