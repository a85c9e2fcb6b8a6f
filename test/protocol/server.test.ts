import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LspClient } from './lspClient';

const transcript = readFileSync(resolve(__dirname, '../fixtures/transcripts/user-transcript.dmsetup'), 'utf8');
let client: LspClient;

before(async () => {
  client = new LspClient();
  const init = await client.initialize();
  assert.equal(init.serverInfo?.name, 'devicemapper-lens');
  // Incremental sync (2) so edits re-parse only what they touch.
  assert.deepEqual(init.capabilities['textDocumentSync'], { openClose: true, change: 2 });
});

after(async () => {
  assert.equal(await client.shutdown(), 0);
});

test('didOpen publishes the passdown findings of the user transcript', async () => {
  await client.open('file:///user.dmsetup', transcript);
  const diags = await client.diagnosticsFor('file:///user.dmsetup', 1);
  const codes = diags.map((d) => `${d.range.start.line}:${d.code}`).sort();
  assert.deepEqual(codes, ['11:queue-if-no-space', '4:no-discard-passdown', '6:no-discard-passdown']);
  const passdown = diags.find((d) => d.range.start.line === 6)!;
  assert.equal(passdown.severity, 2);
  assert.equal(passdown.source, 'dmlens');
  assert.equal(transcript.split('\n')[6]!.slice(passdown.range.start.character, passdown.range.end.character), 'no_discard_passdown');
});

test('hover shows the computed pool size', async () => {
  const hover = await client.request<{ contents: { kind: string; value: string }; range: unknown }>('textDocument/hover', {
    textDocument: { uri: 'file:///user.dmsetup' },
    position: { line: 6, character: 65 },
  });
  assert.equal(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /26,115 of 3,276,800 × 64 KiB = 1\.59 GiB of 200 GiB \(0\.8 %\)/);
  const none = await client.request('textDocument/hover', { textDocument: { uri: 'file:///user.dmsetup' }, position: { line: 2, character: 0 } });
  assert.equal(none, null);
});

test('the ls -lsh line shows allocated 1.6G vs apparent 200G', async () => {
  const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', {
    textDocument: { uri: 'file:///user.dmsetup' },
    position: { line: 1, character: 1 },
  });
  assert.match(hover.contents.value, /Allocated 1\.6 GiB of apparent 200 GiB/);
  const hints = await client.request<{ position: { line: number }; label: string }[]>('textDocument/inlayHint', {
    textDocument: { uri: 'file:///user.dmsetup' },
    range: { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } },
  });
  assert.deepEqual(hints.map((h) => h.label), [' (allocated 1.6 GiB, 0.8 %)']);
});

test('inlay hints give human sizes beside raw numbers', async () => {
  const hints = await client.request<{ position: { line: number; character: number }; label: string }[]>('textDocument/inlayHint', {
    textDocument: { uri: 'file:///user.dmsetup' },
    range: { start: { line: 6, character: 0 }, end: { line: 6, character: 200 } },
  });
  assert.ok(hints.some((h) => h.label === ' 1.59 GiB/200 GiB 0.8 %'), JSON.stringify(hints));
  assert.ok(hints.every((h) => h.position.line === 6));
});

test('document symbols: one per command block, devices inside', async () => {
  const symbols = await client.request<{ name: string; children: { name: string }[] }[]>('textDocument/documentSymbol', { textDocument: { uri: 'file:///user.dmsetup' } });
  assert.deepEqual(symbols.map((s) => s.name), ['ls -lsh /var/lib/docker/devicemapper/devicemapper/data', 'dmsetup status', 'docker rmi dbyin/httpd', 'dmsetup status']);
  assert.deepEqual(symbols[1]!.children.map((c) => c.name), ['yy_pool', 'docker-8:1-696417-base', 'docker-8:1-696417-pool']);
  const folds = await client.request<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', { textDocument: { uri: 'file:///user.dmsetup' } });
  assert.deepEqual(folds, [{ startLine: 0, endLine: 1 }, { startLine: 3, endLine: 6 }, { startLine: 10, endLine: 11 }]);
});

test('incremental edits update diagnostics: the pool fills up, then a line is removed', async () => {
  const uri = 'file:///edit.dmsetup';
  await client.open(uri, 'pool: 0 2097152 thin-pool 3 856/8192 4391/16384 - rw discard_passdown error_if_no_space - 1024 \n');
  assert.deepEqual(await client.diagnosticsFor(uri, 1), []);
  // Replace "4391" (characters 37..41) with "16000": 97.7 % used.
  await client.change(uri, 2, [{ range: { start: { line: 0, character: 37 }, end: { line: 0, character: 41 } }, text: '16000' }]);
  const d2 = await client.diagnosticsFor(uri, 2);
  assert.deepEqual(d2.map((d) => d.code), ['data-usage-critical']);
  assert.match(d2[0]!.message, /97\.7 %|98 %/);
  // Insert a prompt above: the finding moves down one line.
  await client.change(uri, 3, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# dmsetup status\n' }]);
  const d3 = await client.diagnosticsFor(uri, 3);
  assert.deepEqual(d3.map((d) => [d.code, d.range.start.line]), [['data-usage-critical', 1]]);
  // Delete the status line entirely.
  await client.change(uri, 4, [{ range: { start: { line: 1, character: 0 }, end: { line: 2, character: 0 } }, text: '' }]);
  assert.deepEqual(await client.diagnosticsFor(uri, 4), []);
});

test('a threshold setting changes diagnostics after didChangeConfiguration', async () => {
  const uri = 'file:///threshold.dmsetup';
  await client.open(uri, 'pool: 0 2097152 thin-pool 3 856/8192 4391/16384 - rw discard_passdown error_if_no_space - 1024 \n');
  assert.deepEqual(await client.diagnosticsFor(uri, 1), []);
  client.configuration = { thresholds: { dataWarning: 20 } };
  client.forgetDiagnostics(uri);
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  const d = await client.diagnosticsFor(uri);
  assert.deepEqual(d.map((x) => x.code), ['data-usage-high']);
  client.configuration = {};
  client.forgetDiagnostics(uri);
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  assert.deepEqual(await client.diagnosticsFor(uri), []);
});

test('malformed requests get an error or null, and the server keeps answering', async () => {
  assert.equal(await client.request('textDocument/hover', { bogus: true }), null);
  const h = await client.request('textDocument/hover', { textDocument: { uri: 'file:///never-opened' }, position: { line: 0, character: 0 } });
  assert.equal(h, null);
  const beyond = await client.request('textDocument/hover', { textDocument: { uri: 'file:///user.dmsetup' }, position: { line: 9999, character: 9999 } });
  assert.equal(beyond, null);
  const again = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: 'file:///user.dmsetup' }, position: { line: 6, character: 65 } });
  assert.match(again.contents.value, /1\.59 GiB/);
});

test('closing a document clears its diagnostics', async () => {
  client.forgetDiagnostics('file:///user.dmsetup');
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: 'file:///user.dmsetup' } });
  assert.deepEqual(await client.diagnosticsFor('file:///user.dmsetup', undefined), []);
});
