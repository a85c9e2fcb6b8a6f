/**
 * daemon.json fixtures: correct configurations give no findings (beyond what
 * the engine version makes unavoidable), typical mistakes give exactly the
 * expected findings at exact ranges.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { validateDaemonJson, isDaemonJson } from '../../server/src/core/daemonJson/index.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'daemon-json');
const read = (name: string): string => readFileSync(join(DIR, `${name}.json`), 'utf8');

function keys(text: string, engine?: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  return validateDaemonJson(text, engine ? { engine } : {})
    .map((f) => `${f.code}@${f.range.start.line} ${JSON.stringify(f.range.start.line === f.range.end.line ? lines[f.range.start.line]!.slice(f.range.start.character, f.range.end.character) : '<multi-line>')}`)
    .sort();
}

describe('correct configurations', () => {
  for (const name of ['direct-lvm', 'thinpool']) {
    test(`${name}.json: no findings on 17.06–18.06`, () => {
      for (const engine of ['17.06.0-ce', '17.12.1-ce', '18.06.3-ce']) assert.deepEqual(keys(read(name), engine), [], engine);
    });
    test(`${name}.json: only the deprecation from 18.09, and with no engine set`, () => {
      for (const engine of ['18.09.9', '20.10.24', '24.0.7', undefined]) assert.deepEqual(keys(read(name), engine), ['driver-deprecated@1 "devicemapper"'], engine);
    });
    test(`${name}.json: an error on 25.0`, () => {
      assert.deepEqual(keys(read(name), '25.0.0'), ['driver-removed@1 "devicemapper"']);
    });
  }

  test('thinpool.json works on 1.11 (before direct-lvm existed)', () => {
    assert.deepEqual(keys(read('thinpool'), '1.11.2'), []);
  });

  test('loop.json: loop-lvm is valid but discouraged — the loopback warning is its only finding', () => {
    for (const engine of ['1.12.6', '17.06.0-ce', '18.06.3-ce']) assert.deepEqual(keys(read('loop'), engine), ['dm-loopback-mode@1 "devicemapper"'], engine);
    assert.deepEqual(keys(read('loop'), '20.10.24'), ['dm-loopback-mode@1 "devicemapper"', 'driver-deprecated@1 "devicemapper"']);
  });

  test('overlay2.json (a real-world configuration with many keys): no findings on any engine from 17.05', () => {
    for (const engine of [undefined, '17.06.0-ce', '20.10.24', '24.0.7', '25.0.0', '29.0.0']) assert.deepEqual(keys(read('overlay2'), engine), [], engine);
  });

  test('every fixture is detected as daemon.json by content', () => {
    for (const name of ['direct-lvm', 'thinpool', 'loop', 'overlay2', 'typical-mistakes', 'object-form', 'direct-lvm-mistakes']) assert.ok(isDaemonJson(`/tmp/${name}.json`, read(name)), name);
  });
});

describe('typical mistakes', () => {
  test('typical-mistakes.json on 20.10', () => {
    assert.deepEqual(keys(read('typical-mistakes'), '20.10.24'), [
      'dm-conflict@4 "false"',
      'dm-ignored-option@9 "dm.loopdatasize"',
      'dm-invalid-value@5 "XFS"',
      'dm-invalid-value@7 "10"',
      'dm-unknown-option@8 "dm.no_warn_on_loop_devices"',
      'driver-deprecated@1 "devicemapper"',
      'storage-opt-flag-prefix@10 "--storage-opt "',
      'storage-opt-syntax@11 "dm.basesize 30G"',
    ]);
  });

  test('typical-mistakes.json with no engine adds the size that old engines reject', () => {
    const k = keys(read('typical-mistakes'));
    assert.ok(k.includes('dm-invalid-value@6 "20GiB"'));
    assert.equal(k.length, 9);
  });

  test('object-form.json', () => {
    const want = ['driver-deprecated@2 "devicemapper"', 'graph-deprecated@7 "graph"', 'json-syntax@5 ","', 'jsonc-comment@1 "// copied from a blog post"', 'storage-opts-not-array@3 "storage-opts"'];
    assert.deepEqual(keys(read('object-form')), want);
    assert.deepEqual(keys(read('object-form'), '20.10.24'), want);
    assert.deepEqual(keys(read('object-form'), '17.06.0-ce'), want.filter((w) => !w.startsWith('driver-deprecated')));
  });

  test('direct-lvm-mistakes.json', () => {
    const want = [
      'dm-conflict@4 "dm.directlvm_device"',
      'dm-conflict@5 "dm.thinp_percent"',
      'dm-ignored-option@7 "dm.blocksize"',
      'dm-invalid-value@6 "101"',
      'dm-invalid-value@8 "8"',
      'driver-deprecated@1 "devicemapper"',
      'unknown-directive@10 "storage-driver "',
    ];
    assert.deepEqual(keys(read('direct-lvm-mistakes'), '20.10.24'), want);
    assert.deepEqual(keys(read('direct-lvm-mistakes')), want);
    // 17.06 has no dm.libdm_log_level yet (17.07) and no deprecation.
    assert.deepEqual(keys(read('direct-lvm-mistakes'), '17.06.0-ce'), [...want.filter((w) => !w.startsWith('driver-deprecated') && w !== 'dm-invalid-value@8 "8"'), 'dm-unknown-option@8 "dm.libdm_log_level"'].sort());
  });
});
