/**
 * Outline and folding stay bounded on huge documents (dmLens.maxItemsComputed, and the client's
 * foldingRange.rangeLimit), and the server says when it cut a result — through the real server.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { LspClient } from './lspClient';

interface Symbol {
  name: string;
  range: { start: { line: number } };
  children?: Symbol[];
}

const count = (s: readonly Symbol[]): number => s.reduce((n, x) => n + 1 + count(x.children ?? []), 0);

/** `blocks` status blocks of 10 named pools each: 11 symbols per block. */
function transcript(blocks: number): string {
  const out: string[] = [];
  for (let b = 0; b < blocks; b++) {
    out.push('# dmsetup status');
    for (let p = 0; p < 10; p++) out.push(`pool-${b}-${p}: 0 2097152 thin-pool 0 10/4096 100/32768 - rw discard_passdown queue_if_no_space - `);
  }
  return out.join('\n');
}

const client = new LspClient();
const limits: { uri: string; feature: string; limit: number }[] = [];
client.connection.onNotification('dmLens/resultLimitReached', (p: { uri: string; feature: string; limit: number }) => {
  limits.push(p);
});

before(async () => {
  await client.initialize();
});
after(async () => {
  await client.shutdown();
});

test('a small transcript: the whole outline, nothing said', async () => {
  await client.open('file:///small.dmsetup', transcript(3));
  const symbols = await client.request<Symbol[]>('textDocument/documentSymbol', { textDocument: { uri: 'file:///small.dmsetup' } });
  assert.equal(count(symbols), 33);
  assert.deepEqual(limits, []);
});

test('a huge transcript: the first 5 000 symbols in document order, and one notification', async () => {
  const uri = 'file:///huge.dmsetup';
  await client.open(uri, transcript(2000)); // 22 000 symbols
  const symbols = await client.request<Symbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.equal(count(symbols), 5000);
  assert.equal(symbols[0]!.range.start.line, 0);
  assert.deepEqual(symbols.map((s) => s.range.start.line), [...symbols.map((s) => s.range.start.line)].sort((a, b) => a - b));
  assert.deepEqual(limits, [{ uri, feature: 'outline', limit: 5000 }]);
  // Asked again: the same answer, no second notification.
  assert.equal(count(await client.request<Symbol[]>('textDocument/documentSymbol', { textDocument: { uri } })), 5000);
  assert.equal(limits.length, 1);
});

test('dmLens.maxItemsComputed sets the limit, folding too', async () => {
  client.configuration = { maxItemsComputed: 100 };
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  const uri = 'file:///huge2.dmsetup';
  await client.open(uri, transcript(300));
  assert.equal(count(await client.request<Symbol[]>('textDocument/documentSymbol', { textDocument: { uri } })), 100);
  const folds = await client.request<unknown[]>('textDocument/foldingRange', { textDocument: { uri } });
  assert.equal(folds.length, 100);
  assert.deepEqual(limits.slice(1), [
    { uri, feature: 'outline', limit: 100 },
    { uri, feature: 'folding', limit: 100 },
  ]);
  client.configuration = {};
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
});

test("the client's folding rangeLimit is respected", async () => {
  const c = new LspClient();
  try {
    await c.connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { textDocument: { foldingRange: { rangeLimit: 7 } } }, initializationOptions: { debounceMs: 0 } });
    await c.connection.sendNotification('initialized', {});
    await c.open('file:///folds.dmsetup', transcript(50));
    assert.equal((await c.request<unknown[]>('textDocument/foldingRange', { textDocument: { uri: 'file:///folds.dmsetup' } })).length, 7);
  } finally {
    await c.shutdown();
  }
});
