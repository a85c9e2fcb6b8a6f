/**
 * Log lines through the real language server over stdio: a kernel log and a
 * dockerd journal (VS Code's `log` language), plain text sent by the client for
 * a matching glob, and a log line pasted into a transcript.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LspClient } from './lspClient';

interface Range { start: { line: number; character: number }; end: { line: number; character: number } }
interface Symbol { name: string; range: Range; children?: Symbol[] }

const fixture = (name: string): string => readFileSync(resolve(__dirname, '../fixtures/logs', name), 'utf8');
const kernel = fixture('kernel-syslog.log');
const dockerd = fixture('dockerd-journal.log');
let client: LspClient;

before(async () => {
  client = new LspClient();
  await client.initialize();
});

after(async () => {
  assert.equal(await client.shutdown(), 0);
});

function covered(text: string, r: Range): string {
  return text.split('\n')[r.start.line]!.slice(r.start.character, r.end.character);
}

test('a kernel log: one diagnostic per dm-thin line, the entry id as code, unrelated lines silent', async () => {
  const uri = 'file:///var/log/syslog';
  await client.open(uri, kernel, 'log');
  const diags = await client.diagnosticsFor(uri, 1);
  const lines = kernel.split('\n');
  const dmLines = lines.map((l, i) => (/device-mapper: |op 0x3:\(DISCARD\)/.test(l) ? i : -1)).filter((i) => i >= 0);
  assert.deepEqual(diags.map((d) => d.range.start.line).sort((a, b) => a - b), dmLines);
  const oos = diags.filter((d) => d.code === 'thin-out-of-data-space-error');
  assert.equal(oos.length, 2);
  assert.equal(oos[0]!.severity, 1);
  assert.match(covered(kernel, oos[0]!.range), /^device-mapper: thin: 253:0: switching pool to out-of-data-space \(error IO\) mode/);
  // The lines of one episode point at each other.
  assert.ok((oos[0]!.relatedInformation ?? []).some((r) => r.message.length > 0));
  for (const i of lines.map((l, n) => (/usb 1-1|EXT4-fs|capacity change/.test(l) ? n : -1)).filter((n) => n >= 0)) {
    assert.ok(!diags.some((d) => d.range.start.line === i), `line ${i} is unrelated`);
  }
});

test('hover on a log line fills in the numbers; the timestamp prefix has none', async () => {
  const uri = 'file:///var/log/syslog';
  const line = kernel.split('\n').findIndex((l) => l.includes('growing the data device from 1024 to 3072'));
  const at = kernel.split('\n')[line]!.indexOf('3072');
  const hover = await client.request<{ contents: { kind: string; value: string }; range: Range }>('textDocument/hover', { textDocument: { uri }, position: { line, character: at } });
  assert.equal(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /3×/);
  assert.match(hover.contents.value, /64 MiB → 192 MiB|192 MiB/);
  const prefix = await client.request('textDocument/hover', { textDocument: { uri }, position: { line, character: 2 } });
  assert.equal(prefix, null);
});

test('document symbols: a timeline of pool episodes with their state changes', async () => {
  const uri = 'file:///var/log/syslog';
  const symbols = await client.request<Symbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  const episodes = symbols.filter((s) => s.name.startsWith('pool 253:0'));
  assert.deepEqual(episodes.map((s) => s.name), [
    'pool 253:0: out of data space (error), grown 1024 → 3072 blocks',
    'pool 253:0: out of data space (queue → error)',
    'pool 253:0: out of data space (queue), grown 1024 → 4096 blocks',
  ]);
  assert.ok(episodes[1]!.children!.length >= 3);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('a dockerd journal: the min-free-space refusal with its numbers, busy devices', async () => {
  const uri = 'file:///tmp/dockerd-journal.log';
  await client.open(uri, dockerd, 'log');
  const diags = await client.diagnosticsFor(uri, 1);
  const codes = new Set(diags.map((d) => d.code));
  for (const c of ['dm-pool-data-min-free-space', 'dm-loopback-discouraged', 'devicemapper-deprecated', 'dm-deferred-deletion-failed']) assert.ok(codes.has(c), `${c} in ${[...codes].join(', ')}`);
  const lines = dockerd.split('\n');
  const line = lines.findIndex((l) => l.includes('162394 free data blocks'));
  const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line, character: lines[line]!.indexOf('162394') } });
  assert.match(hover.contents.value, /162,394|162394/);
  assert.match(hover.contents.value, /99\.1 %/);
  assert.ok(!diags.some((d) => lines[d.range.start.line]!.includes('sshd[')), 'sshd lines stay silent');
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('plain text (sent for a log glob) is read as a log; an edit re-analyses it', async () => {
  const uri = 'file:///var/log/messages';
  const text = 'Mar  5 10:01:04 h kernel: device-mapper: thin: 253:0: reached low water mark for data device: sending event.\n';
  await client.open(uri, text, 'plaintext');
  assert.deepEqual((await client.diagnosticsFor(uri, 1)).map((d) => d.code), ['thin-low-water-mark']);
  await client.change(uri, 2, [{ text: text + 'Mar  5 10:01:05 h kernel: device-mapper: thin: 253:0: switching pool to out-of-data-space (error IO) mode\n' }]);
  assert.deepEqual((await client.diagnosticsFor(uri, 2)).map((d) => d.code), ['thin-low-water-mark', 'thin-out-of-data-space-error']);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
});

test('a dmesg line pasted into a transcript gets the catalogue\'s hover and diagnostic', async () => {
  const uri = 'file:///pasted.dmsetup';
  const text = '# dmesg | tail -1\n[   64.972134] device-mapper: thin: 253:0: switching pool to out-of-data-space (error IO) mode\n';
  await client.open(uri, text);
  const diags = await client.diagnosticsFor(uri, 1);
  assert.deepEqual(diags.map((d) => `${d.range.start.line}:${d.code}`), ['1:thin-out-of-data-space-error']);
  const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 70 } });
  assert.match(hover.contents.value, /error IO|out of data space/i);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
});
