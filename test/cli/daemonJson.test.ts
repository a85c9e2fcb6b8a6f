/**
 * dmlens on daemon.json: `check --engine` per engine era (codes, severities and
 * exact 0-based ranges), detection by name and by content, `--language`,
 * usage errors, quick fixes in the JSON output, text output in reading order,
 * and `explain`. Runs the built bundle (server/out/dmlens.js; `npm run build`).
 * The files are written into a fresh temporary directory, never the repository.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(__dirname, '../../server/out/dmlens.js');
const WORK = mkdtempSync(join(tmpdir(), 'dmlens-daemon-json-'));
after(() => rmSync(WORK, { recursive: true, force: true }));

function dmlens(args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build`);
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

let dirs = 0;
/** Writes `text` as `name` into its own new directory under WORK (so several files can be called daemon.json). */
function writeFile(name: string, text: string): string {
  const dir = join(WORK, String(++dirs));
  mkdirSync(dir);
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

interface Pos {
  line: number;
  character: number;
}
interface Range {
  start: Pos;
  end: Pos;
}
interface Edit {
  range: Range;
  newText: string;
}
interface Fix {
  title: string;
  edits: Edit[];
  preferred?: boolean;
}
interface Diagnostic {
  code: string;
  severity: string;
  message: string;
  range: Range;
  fixes?: Fix[];
}
interface Output {
  files: { path: string; language: string; diagnostics: Diagnostic[] }[];
}

function checkJson(args: string[]): { code: number | null; out: Output; stderr: string } {
  const r = dmlens(['check', '--format', 'json', ...args]);
  assert.equal(r.stderr, '');
  return { code: r.code, out: JSON.parse(r.stdout) as Output, stderr: r.stderr };
}

/** `line:char-line:char code severity "covered text"`, 0-based as in the JSON. */
function summary(text: string, ds: readonly Diagnostic[]): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  return ds.map((d) => {
    const { start, end } = d.range;
    const cov = start.line === end.line ? lines[start.line]!.slice(start.character, end.character) : '<multi-line>';
    return `${start.line}:${start.character}-${end.line}:${end.character} ${d.code} ${d.severity} ${JSON.stringify(cov)}`;
  });
}

function offsetOf(text: string, p: Pos): number {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push(m.index + m[0].length);
  return starts[p.line]! + p.character;
}

/** Applies LSP text edits (non-overlapping), last first. */
function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => offsetOf(text, b.range.start) - offsetOf(text, a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offsetOf(text, e.range.start)) + e.newText + out.slice(offsetOf(text, e.range.end));
  return out;
}

/** Several mistakes; which ones dockerd minds depends on the engine. */
const MISTAKES = `{
  "storage-driver": "devicemapper",
  "graph": "/srv/docker",
  "storage-opts": [
    "dm.thinpooldev=/dev/mapper/docker-thinpool",
    "dm.basesize=20GiB",
    "dm.fs=XFS",
    "--storage-opt dm.use_deferred_removal=true",
    "dm.min_free_space=10",
    "dm.libdm_log_level=5"
  ]
}
`;

const ERAS: { engine: string; exit: number; expect: string[] }[] = [
  {
    // graph accepted; sizes without a unit suffix beyond one letter; no dm.libdm_log_level yet (17.07).
    engine: '1.12.6', exit: 1,
    expect: [
      '5:17-5:22 dm-invalid-value error "20GiB"',
      '6:11-6:14 dm-invalid-value error "XFS"',
      '7:5-7:19 storage-opt-flag-prefix error "--storage-opt "',
      '8:23-8:25 dm-invalid-value error "10"',
      '9:5-9:23 dm-unknown-option error "dm.libdm_log_level"',
    ],
  },
  {
    // graph deprecated (17.05); 20GiB still rejected (until 18.09); dm.libdm_log_level still unknown.
    engine: '17.06.0-ce', exit: 1,
    expect: [
      '2:3-2:8 graph-deprecated warning "graph"',
      '5:17-5:22 dm-invalid-value error "20GiB"',
      '6:11-6:14 dm-invalid-value error "XFS"',
      '7:5-7:19 storage-opt-flag-prefix error "--storage-opt "',
      '8:23-8:25 dm-invalid-value error "10"',
      '9:5-9:23 dm-unknown-option error "dm.libdm_log_level"',
    ],
  },
  {
    // devicemapper deprecated (18.09); 20GiB accepted (18.09+); dm.libdm_log_level known.
    engine: '20.10.24', exit: 1,
    expect: [
      '1:21-1:33 driver-deprecated warning "devicemapper"',
      '2:3-2:8 graph-deprecated warning "graph"',
      '6:11-6:14 dm-invalid-value error "XFS"',
      '7:5-7:19 storage-opt-flag-prefix error "--storage-opt "',
      '8:23-8:25 dm-invalid-value error "10"',
    ],
  },
  {
    engine: '23.0.6', exit: 1,
    expect: [
      '1:21-1:33 driver-deprecated warning "devicemapper"',
      '2:3-2:8 graph-deprecated error "graph"',
      '6:11-6:14 dm-invalid-value error "XFS"',
      '7:5-7:19 storage-opt-flag-prefix error "--storage-opt "',
      '8:23-8:25 dm-invalid-value error "10"',
    ],
  },
  {
    engine: '24.0', exit: 1,
    expect: [
      '1:21-1:33 driver-deprecated warning "devicemapper"',
      '2:3-2:8 unknown-directive error "graph"',
      '6:11-6:14 dm-invalid-value error "XFS"',
      '7:5-7:19 storage-opt-flag-prefix error "--storage-opt "',
      '8:23-8:25 dm-invalid-value error "10"',
    ],
  },
  {
    // No devicemapper at all: the driver is the error; dm.* values are no longer judged.
    engine: '25.0', exit: 1,
    expect: [
      '1:21-1:33 driver-removed error "devicemapper"',
      '2:3-2:8 unknown-directive error "graph"',
      '7:5-7:19 storage-opt-flag-prefix error "--storage-opt "',
    ],
  },
];

for (const era of ERAS) {
  test(`check --engine ${era.engine}: the mistakes that engine minds, with exact ranges`, () => {
    const file = writeFile('daemon.json', MISTAKES);
    const r = checkJson(['--engine', era.engine, file]);
    assert.equal(r.code, era.exit);
    assert.equal(r.out.files.length, 1);
    assert.equal(r.out.files[0]!.path, file);
    assert.equal(r.out.files[0]!.language, 'daemon-json');
    const ds = r.out.files[0]!.diagnostics;
    assert.deepEqual(summary(MISTAKES, ds), era.expect);
    for (const d of ds) {
      assert.deepEqual(Object.keys(d).filter((k) => !['code', 'severity', 'message', 'range', 'fixes'].includes(k)), [], 'only the documented fields');
      assert.ok(d.message.length > 0 && !/undefined|NaN/.test(d.message), d.message);
    }
  });
}

test('check --engine: the era messages name what that dockerd prints', () => {
  const file = writeFile('daemon.json', MISTAKES);
  const msg = (engine: string, code: string): string => checkJson(['--engine', engine, file]).out.files[0]!.diagnostics.find((d) => d.code === code)!.message;
  assert.match(msg('17.06.0-ce', 'dm-invalid-value'), /invalid size: '20GiB'/);
  assert.match(msg('17.06.0-ce', 'dm-unknown-option'), /dm\.libdm_log_level was added in Engine 17\.07: Engine 17\.06 fails/);
  assert.match(msg('17.06.0-ce', 'graph-deprecated'), /The "graph" config file option is deprecated\. Please use "data-root" instead\./);
  assert.match(msg('23.0.6', 'graph-deprecated'), /the "graph" config file option is deprecated; use "data-root" instead/);
  assert.match(msg('24.0', 'unknown-directive'), /the following directives don't match any configuration option: graph/);
  assert.match(msg('25.0', 'driver-removed'), /Engine 25\.0 has no devicemapper driver/);
});

test('check without --engine: 20GiB is only a warning, since newer engines accept it', () => {
  const file = writeFile('daemon.json', MISTAKES);
  const ds = checkJson([file]).out.files[0]!.diagnostics;
  const size = ds.find((d) => d.code === 'dm-invalid-value' && d.range.start.line === 5)!;
  assert.equal(size.severity, 'warning');
  assert.match(size.message, /Engine 18\.09–24\.0: no problem\./);
});

test('the quick fixes are in the JSON output: removing the --storage-opt prefix', () => {
  const file = writeFile('daemon.json', MISTAKES);
  const ds = checkJson(['--engine', '20.10.24', file]).out.files[0]!.diagnostics;
  const prefix = ds.find((d) => d.code === 'storage-opt-flag-prefix')!;
  assert.deepEqual(prefix.fixes, [
    { title: 'Remove "--storage-opt"', edits: [{ range: { start: { line: 7, character: 5 }, end: { line: 7, character: 19 } }, newText: '' }], preferred: true },
  ]);
  const fixed = applyEdits(MISTAKES, prefix.fixes[0]!.edits);
  assert.ok(fixed.includes('\n    "dm.use_deferred_removal=true",\n'));
  const again = checkJson(['--engine', '20.10.24', writeFile('daemon.json', fixed)]).out.files[0]!.diagnostics;
  assert.deepEqual(again.map((d) => d.code), ['driver-deprecated', 'graph-deprecated', 'dm-invalid-value', 'dm-invalid-value']);

  // Every fix of the other findings applies too; with all preferred fixes only the deprecation is left.
  const fs = ds.filter((d) => d.code !== 'driver-deprecated');
  assert.ok(fs.every((d) => d.fixes && d.fixes.length > 0 && d.fixes[0]!.preferred === true), JSON.stringify(fs.map((d) => d.code)));
  assert.deepEqual(fs.find((d) => d.code === 'graph-deprecated')!.fixes![0]!.edits, [{ range: { start: { line: 2, character: 2 }, end: { line: 2, character: 9 } }, newText: '"data-root"' }]);
  const all = applyEdits(MISTAKES, fs.flatMap((d) => d.fixes![0]!.edits));
  const rest = checkJson(['--engine', '20.10.24', writeFile('daemon.json', all)]);
  assert.deepEqual(rest.out.files[0]!.diagnostics.map((d) => d.code), ['driver-deprecated']);
  assert.equal(rest.code, 0, 'a warning alone exits 0');
  // The migration offered with the deprecation: overlay2 and no dm.* options.
  const migrate = ds.find((d) => d.code === 'driver-deprecated')!.fixes![0]!;
  assert.match(migrate.title, /^Migrate to overlay2/);
  const migrated = applyEdits(all, checkJson(['--engine', '20.10.24', writeFile('daemon.json', all)]).out.files[0]!.diagnostics[0]!.fixes![0]!.edits);
  assert.deepEqual(JSON.parse(migrated), { 'storage-driver': 'overlay2', 'data-root': '/srv/docker' });
});

test('a correct thin-pool and a correct direct-lvm configuration: no findings, exit 0', () => {
  const thinpool = `{
  "storage-driver": "devicemapper",
  "storage-opts": [
    "dm.thinpooldev=/dev/mapper/docker-thinpool",
    "dm.use_deferred_removal=true",
    "dm.use_deferred_deletion=true"
  ]
}
`;
  const directLvm = `{
  "storage-driver": "devicemapper",
  "storage-opts": [
    "dm.directlvm_device=/dev/xvdf",
    "dm.thinp_percent=95",
    "dm.thinp_metapercent=1",
    "dm.thinp_autoextend_threshold=80",
    "dm.thinp_autoextend_percent=20",
    "dm.directlvm_device_force=false"
  ]
}
`;
  for (const [text, engine] of [[thinpool, '17.06.0-ce'], [thinpool, '18.06'], [thinpool, '1.12.6'], [directLvm, '17.06.0-ce'], [directLvm, '18.06.3-ce']] as const) {
    const file = writeFile('daemon.json', text);
    const r = checkJson(['--engine', engine, file]);
    assert.equal(r.code, 0, `${engine}: ${JSON.stringify(r.out)}`);
    assert.deepEqual(r.out, { files: [{ path: file, language: 'daemon-json', diagnostics: [] }] });
    const t = dmlens(['check', '--engine', engine, file]);
    assert.equal(t.code, 0);
    assert.equal(t.stdout, '0 errors, 0 warnings, 0 information, 0 hints in 1 file\n');
  }
  // The same direct-lvm file on an engine before direct-lvm existed is not correct.
  const old = checkJson(['--engine', '1.13.1', writeFile('daemon.json', directLvm)]);
  assert.equal(old.code, 1);
  assert.deepEqual(old.out.files[0]!.diagnostics.filter((d) => d.code === 'dm-unknown-option').map((d) => d.range.start.line), [3, 4, 5, 6, 7, 8]);
});

test('daemon.json is recognised by name, by content, or by --language', () => {
  const byName = writeFile('daemon.json', '{"graph": "/srv/docker"}\n');
  const byContent = writeFile('docker-config.json', '{\n  "storage-driver": "devicemapper",\n  "storage-opts": ["dm.basesize=20GiB"]\n}\n');
  const other = writeFile('notes.txt', '{"graph": "/srv/docker"}\n');
  const pkg = writeFile('package.json', '{"name": "x", "storage": {"storage-driver": "vfs"}}\n');
  const r = checkJson(['--engine', '24.0', byName, byContent, other, pkg]);
  assert.equal(r.code, 1);
  assert.deepEqual(r.out.files.map((f) => [f.path, f.language]), [[byName, 'daemon-json'], [byContent, 'daemon-json'], [other, 'dmsetup'], [pkg, 'dmsetup']]);
  assert.deepEqual(summary('{"graph": "/srv/docker"}', r.out.files[0]!.diagnostics), ['0:2-0:7 unknown-directive error "graph"']);
  const contentText = '{\n  "storage-driver": "devicemapper",\n  "storage-opts": ["dm.basesize=20GiB"]\n}\n';
  assert.deepEqual(summary(contentText, r.out.files[1]!.diagnostics), ['1:21-1:33 driver-deprecated warning "devicemapper"', '1:21-1:33 dm-loopback-mode warning "devicemapper"']);
  assert.deepEqual(r.out.files[2]!.diagnostics, []);
  assert.deepEqual(r.out.files[3]!.diagnostics, []);

  // --language daemon-json forces it for a file nothing else gives away.
  const forced = checkJson(['--language', 'daemon-json', '--engine', '24.0', other]);
  assert.equal(forced.code, 1);
  assert.equal(forced.out.files[0]!.language, 'daemon-json');
  assert.deepEqual(summary('{"graph": "/srv/docker"}', forced.out.files[0]!.diagnostics), ['0:2-0:7 unknown-directive error "graph"']);
  // And the era of the engine still applies: graph is fine in 1.13.
  const older = checkJson(['--language=daemon-json', '--engine=1.13.1', other]);
  assert.equal(older.code, 0);
  assert.deepEqual(older.out.files[0]!.diagnostics, []);
  // --language dmsetup keeps a daemon.json from being checked as one.
  assert.equal(checkJson(['--language', 'dmsetup', byName]).out.files[0]!.language, 'dmsetup');
});

test('--engine with something that is not a version: exit 2, one line on stderr', () => {
  const file = writeFile('daemon.json', MISTAKES);
  for (const args of [['check', '--engine', 'nonsense', file], ['check', '--engine=24', file], ['check', file, '--engine'], ['explain', '--engine', 'latest', file, '6']]) {
    const r = dmlens(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    assert.match(r.stderr, /^dmlens: --engine needs /);
  }
  assert.equal(dmlens(['check', '--engine', 'nonsense', file]).stderr, 'dmlens: --engine needs a Docker Engine version such as 20.10.24, not "nonsense"\n');
});

test('text output lists the findings in reading order', () => {
  // The graph rule runs before the storage-opts rules, but graph is on the last line.
  const text = `{
  "storage-opts": [
    "dm.basesize=20GiB",
    "--storage-opt dm.fs=xfs"
  ],
  "storage-driver": "devicemapper",
  "graph": "/srv/docker"
}
`;
  const file = writeFile('daemon.json', text);
  const r = dmlens(['check', '--engine', '17.06.0-ce', file], { NO_COLOR: '1' });
  assert.equal(r.code, 1);
  const lines = r.stdout.trimEnd().split('\n');
  const at = lines.slice(0, -1).map((l) => {
    assert.ok(l.startsWith(`${file}:`), l);
    const m = /^:(\d+):(\d+): (error|warning|information|hint) ([a-z0-9-]+): /.exec(l.slice(file.length));
    assert.ok(m, l);
    return `${m[1]}:${m[2]} ${m[3]} ${m[4]}`;
  });
  assert.deepEqual(at, ['3:18 error dm-invalid-value', '4:6 error storage-opt-flag-prefix', '6:22 warning dm-loopback-mode', '7:4 warning graph-deprecated']);
  assert.equal(lines[lines.length - 1], '2 errors, 2 warnings, 0 information, 0 hints in 1 file');
  // The JSON output has the same order.
  const json = checkJson(['--engine', '17.06.0-ce', file]).out.files[0]!.diagnostics;
  assert.deepEqual(json.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`), at.map((a) => a.replace(/ (error|warning) /, ' ')));
  // On 25.0 the driver itself is the error, and still in line order.
  const r25 = dmlens(['check', '--engine', '25.0', file]);
  assert.deepEqual(r25.stdout.split('\n').filter((l) => l.startsWith(file)).map((l) => /:(\d+):\d+: \S+ (\S+):/.exec(l.slice(file.length))!.slice(1).join(' ')), ['4 storage-opt-flag-prefix', '6 driver-removed', '7 unknown-directive']);
});

test('explain on a daemon.json line: the option at the column, or the first explainable place', () => {
  const file = writeFile('daemon.json', MISTAKES);
  // Line 6 (1-based) is `    "dm.basesize=20GiB",`.
  const key = dmlens(['explain', file, '6']);
  assert.equal(key.code, 0, key.stderr);
  assert.match(key.stdout, /^\*\*dm\.basesize\*\* — devicemapper storage option\n/);
  assert.match(key.stdout, /- \*\*Default:\*\* 10 GiB \(Engine ≤ 1\.7\.1\); 100 GiB \(Engine 1\.8–1\.9\); 10 GiB \(Engine ≥ 1\.10\)/);
  const keyAt = dmlens(['explain', '--engine', '20.10', file, '6:8']);
  assert.equal(keyAt.code, 0);
  assert.match(keyAt.stdout, /\*\*dm\.basesize\*\*/);
  assert.match(keyAt.stdout, /- \*\*Default in Engine 20\.10:\*\* 10 GiB/);
  // Column 20 is inside `20GiB`.
  const value = dmlens(['explain', '--engine', '17.06.0-ce', file, '6:20']);
  assert.equal(value.code, 0);
  assert.match(value.stdout, /^\*\*dm\.basesize=20GiB\*\*\n/);
  assert.match(value.stdout, /dockerd 17\.06 rejects it: `invalid size: '20GiB'`/);
  const value20 = dmlens(['explain', '--engine', '20.10.24', file, '6:20']);
  assert.match(value20.stdout, /`20GiB` = 21,474,836,480 bytes \(20 GiB\)\./);
  // The storage-driver line: without a column its key; at the value, the driver.
  assert.match(dmlens(['explain', file, '2']).stdout, /^\*\*storage-driver\*\* — daemon\.json/);
  const driver = dmlens(['explain', '--engine', '25.0', file, '2:25']);
  assert.equal(driver.code, 0);
  assert.match(driver.stdout, /Engine 25\.0 does not have it: dockerd will not start\./);
  // Nothing to explain: exit 1, nothing printed; a line that does not exist is a usage error.
  for (const where of ['1', '6:1', '12']) {
    const none = dmlens(['explain', file, where]);
    assert.equal(none.code, 1, where);
    assert.equal(none.stdout, '');
  }
  const beyond = dmlens(['explain', file, '99']);
  assert.equal(beyond.code, 2);
  assert.match(beyond.stderr, /^dmlens: .* has 13 lines; there is no line 99\n$/);
});

test('explain with --language daemon-json on a file of another name', () => {
  const file = writeFile('storage.conf', '{"storage-opts": ["dm.fs=xfs"]}');
  const r = dmlens(['explain', '--language', 'daemon-json', file, '1:20']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^\*\*dm\.fs\*\* — devicemapper storage option/);
  // By content it is a daemon.json anyway (storage-opts at the top level).
  assert.equal(dmlens(['explain', file, '1:20']).code, 0);
});
