/**
 * daemon.json through the real language server over stdio: diagnostics per
 * engine setting, every quick fix applied and re-checked, completion and hover.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient, type Diagnostic } from './lspClient';

interface Pos { line: number; character: number }
interface Range { start: Pos; end: Pos }
interface TextEdit { range: Range; newText: string }
interface CodeAction { title: string; kind: string; isPreferred?: boolean; diagnostics: Diagnostic[]; edit: { changes: Record<string, TextEdit[]> } }
interface CompletionItem { label: string; kind: number; detail?: string; documentation?: { kind: string; value: string }; textEdit: TextEdit; insertTextFormat: number; sortText: string; tags?: number[] }

const MISTAKES = `{
  "graph": "/srv/docker",
  "storage-driver": "devicemapper",
  "storage-opts": [
    "dm.directlvm_device=/dev/xvdf",
    "dm.thinp_percent=95",
    "dm.fs=XFS",
    "--storage-opt dm.mountopt=nodiscard",
    "dm.min_free_spcae=10%",
    "dm.basesize=20GiB"
  ]
}
`;

let client: LspClient;
let version = 1;

/** Applies LSP edits (non-overlapping, any order) to a text. */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: Pos): number => Math.min(text.length, (starts[p.line] ?? text.length) + p.character);
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

function covered(text: string, r: Range): string {
  const lines = text.split('\n');
  return r.start.line === r.end.line ? lines[r.start.line]!.slice(r.start.character, r.end.character) : '<multi-line>';
}

async function openDaemonJson(uri: string, text: string, engine?: string): Promise<Diagnostic[]> {
  client.configuration = engine ? { engineVersion: engine } : {};
  client.forgetDiagnostics(uri);
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  await client.open(uri, text, 'json', 1);
  return client.diagnosticsFor(uri, 1);
}

async function replaceText(uri: string, text: string): Promise<Diagnostic[]> {
  version++;
  await client.change(uri, version, [{ text }]);
  return client.diagnosticsFor(uri, version);
}

before(async () => {
  client = new LspClient();
  const init = await client.initialize();
  assert.deepEqual(init.capabilities['completionProvider'], { triggerCharacters: ['"', '=', '.'] });
  assert.deepEqual(init.capabilities['codeActionProvider'], { codeActionKinds: ['quickfix'] });
});

after(async () => {
  assert.equal(await client.shutdown(), 0);
});

test('diagnostics follow dmLens.engineVersion: 20GiB is fine for 20.10, rejected by 17.06, uncertain when unknown', async () => {
  const uri = 'file:///etc/docker/daemon.json';
  const at = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.range.start.line}:${d.code}:${covered(MISTAKES, d.range)}`);
  const v20 = await openDaemonJson(uri, MISTAKES, '20.10.24');
  assert.deepEqual(at(v20), [
    '1:graph-deprecated:graph',
    '2:driver-deprecated:devicemapper',
    '5:dm-conflict:dm.thinp_percent',
    '6:dm-invalid-value:XFS',
    '7:storage-opt-flag-prefix:--storage-opt ',
    '8:dm-unknown-option:dm.min_free_spcae',
  ]);
  const unknownDm = v20.find((d) => d.code === 'dm-unknown-option')!;
  assert.equal(unknownDm.severity, 1);
  assert.match(unknownDm.message, /devmapper: Unknown option dm\.min_free_spcae/);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });

  const v17 = await openDaemonJson(uri, MISTAKES, '17.06.0-ce');
  const size17 = v17.filter((d) => d.range.start.line === 9);
  assert.equal(size17.length, 1);
  assert.equal(size17[0]!.code, 'dm-invalid-value');
  assert.equal(size17[0]!.severity, 1, 'an error when the engine is known to reject it');
  assert.match(size17[0]!.message, /invalid size: '20GiB'/);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });

  const unknown = await openDaemonJson(uri, MISTAKES);
  const sizeAny = unknown.filter((d) => d.range.start.line === 9);
  assert.equal(sizeAny[0]!.severity, 2, 'only some engines reject it: a warning that names them');
  assert.match(sizeAny[0]!.message, /Engine 1\.13–18\.06/);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });

  const v25 = await openDaemonJson(uri, MISTAKES, '25.0');
  const removed = v25.find((d) => d.code === 'driver-removed');
  assert.ok(removed, JSON.stringify(v25.map((d) => d.code)));
  assert.equal(removed.severity, 1);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('every quick fix, applied, makes its finding go away', async () => {
  const uri = 'file:///srv/conf/daemon.json';
  const original = await openDaemonJson(uri, MISTAKES, '20.10.24');
  const fixable = original.filter((d) => d.code !== 'driver-deprecated');
  assert.equal(fixable.length, 5);
  for (const d of fixable) {
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    assert.ok(actions.length >= 1, `a fix for ${d.code}`);
    const action = actions.find((a) => a.isPreferred) ?? actions[0]!;
    assert.equal(action.kind, 'quickfix');
    const fixed = applyEdits(MISTAKES, action.edit.changes[uri]!);
    const after = await replaceText(uri, fixed);
    const same = after.filter((x) => x.code === d.code && covered(fixed, x.range) === covered(MISTAKES, d.range));
    assert.deepEqual(same, [], `"${action.title}" fixes ${d.code}`);
    assert.equal(after.length, original.length - 1, `"${action.title}" fixes one finding and adds none: ${JSON.stringify(after.map((x) => x.code))}`);
    await replaceText(uri, MISTAKES);
  }
  const titles = await Promise.all(
    fixable.map(async (d) => (await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })).map((a) => a.title)),
  );
  assert.deepEqual(titles.flat().sort(), [
    'Change to dm.min_free_space',
    'Remove "--storage-opt"',
    'Rename "graph" to "data-root"',
    'Set dm.thinp_metapercent=1 (the default)',
    'Write dm.fs=xfs',
  ]);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('"migrate to overlay2" sets the driver, drops every dm.* option and says what happens to images', async () => {
  const uri = 'file:///migrate/daemon.json';
  const text = '{\n  "storage-driver": "devicemapper",\n  "storage-opts": ["dm.thinpooldev=/dev/mapper/docker-thinpool", "dm.use_deferred_removal=true"],\n  "log-level": "warn"\n}\n';
  const ds = await openDaemonJson(uri, text, '20.10.24');
  const deprecated = ds.find((d) => d.code === 'driver-deprecated')!;
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: deprecated.range, context: { diagnostics: [deprecated] } });
  const migrate = actions.find((a) => /overlay2/.test(a.title))!;
  assert.match(migrate.title, /not visible under overlay2/);
  const migrated = applyEdits(text, migrate.edit.changes[uri]!);
  const parsed = JSON.parse(migrated) as Record<string, unknown>;
  assert.equal(parsed['storage-driver'], 'overlay2');
  assert.equal(parsed['log-level'], 'warn');
  assert.ok(!JSON.stringify(parsed).includes('dm.'), migrated);
  assert.deepEqual(await replaceText(uri, migrated), []);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('code actions only for the quickfix kind, and data from the client is not trusted', async () => {
  const uri = 'file:///kinds/daemon.json';
  const ds = await openDaemonJson(uri, MISTAKES, '20.10.24');
  const d = ds.find((x) => x.code === 'dm-invalid-value')!;
  const refactor = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['refactor'] } });
  assert.deepEqual(refactor, []);
  const forged = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [{ ...d, data: { fixes: [{ title: 42 }, null] } }] } });
  assert.deepEqual(forged, []);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('completion: dm.* keys with documentation and snippets, values after =, storage-driver values', async () => {
  const uri = 'file:///complete/daemon.json';
  const text = '{\n  "storage-driver": "devicemapper",\n  "storage-opts": [\n    "dm.thinpooldev=/dev/mapper/p",\n    "dm.",\n    "dm.fs="\n  ]\n}\n';
  await openDaemonJson(uri, text, '20.10.24');
  const keys = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 4, character: 8 } });
  assert.equal(keys.length, 23);
  const basesize = keys.find((k) => k.label === 'dm.basesize')!;
  assert.equal(basesize.insertTextFormat, 2);
  assert.equal(basesize.textEdit.newText, 'dm.basesize=${1:20G}');
  assert.equal(covered(text, basesize.textEdit.range), 'dm.');
  assert.match(basesize.documentation!.value, /Default in Engine 20\.10\.24:\*\* 10 GiB/);
  // dm.thinpooldev mode: loop-file sizes sort after the options that act on an existing pool.
  const loopdatasize = keys.find((k) => k.label === 'dm.loopdatasize')!;
  assert.ok(loopdatasize.sortText > basesize.sortText);

  const values = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 5, character: 11 } });
  assert.deepEqual(values.map((v) => v.label), ['ext4', 'xfs']);
  assert.equal(values[0]!.insertTextFormat, 1);

  const drivers = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 22 } });
  assert.equal(drivers[0]!.label, 'overlay2');
  assert.equal(covered(text, drivers[0]!.textEdit.range), 'devicemapper');

  const transcript = await client.request('textDocument/completion', { textDocument: { uri: 'file:///never-opened.dmsetup' }, position: { line: 0, character: 0 } });
  assert.equal(transcript, null);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('completion marks dm.* options as unknown on Engine 25.0', async () => {
  const uri = 'file:///complete25/daemon.json';
  const text = '{"storage-opts": ["dm."]}';
  await openDaemonJson(uri, text, '25.0');
  const keys = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 21 } });
  const dm = keys.filter((k) => k.label.startsWith('dm.'));
  assert.equal(dm.length, 23);
  assert.ok(dm.every((k) => k.tags?.includes(1)));
  const overlay = keys.filter((k) => k.label.startsWith('overlay2.'));
  assert.ok(overlay.length > 0 && overlay.every((k) => !k.tags));
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('hover on a dm.* key and on its value, per engine', async () => {
  const uri = 'file:///hover/daemon.json';
  await openDaemonJson(uri, MISTAKES, '17.06.0-ce');
  const key = await client.request<{ contents: { kind: string; value: string }; range: Range }>('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 8 } });
  assert.equal(key.contents.kind, 'markdown');
  assert.match(key.contents.value, /\*\*dm\.basesize\*\* — devicemapper storage option/);
  assert.match(key.contents.value, /docs\.docker\.com/);
  assert.equal(covered(MISTAKES, key.range), 'dm.basesize');
  const value = await client.request<{ contents: { value: string }; range: Range }>('textDocument/hover', { textDocument: { uri }, position: { line: 9, character: 19 } });
  assert.match(value.contents.value, /dockerd 17\.06 rejects it: `invalid size: '20GiB'`/);
  assert.equal(covered(MISTAKES, value.range), '20GiB');
  const outside = await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
  assert.equal(outside, null);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
});
