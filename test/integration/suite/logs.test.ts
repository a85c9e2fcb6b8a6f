import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { poll } from './poll';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the integration workspace open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function open(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

function codes(uri: vscode.Uri): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'dmlens')
    .map((d) => `${d.range.start.line}:${typeof d.code === 'object' ? String(d.code.value) : String(d.code)}`);
}

export function logsSuite(): void {
  suite('logs in the real extension host', () => {
    const untrusted = process.env['DMLENS_EXPECT_UNTRUSTED'] === '1';

    test('/var/log/messages opens in VS Code\'s log language and gets dm-thin diagnostics', async () => {
      const doc = await open('var/log/messages');
      assert.equal(doc.languageId, 'log');
      const got = await poll('log diagnostics', () => codes(doc.uri), (c) => c.length >= 18);
      assert.ok(got.some((c) => c.endsWith(':thin-out-of-data-space-error')), got.join(' '));
      const usb = doc.getText().split('\n').findIndex((l) => l.includes('usb 1-1'));
      assert.ok(!got.some((c) => c.startsWith(`${usb}:`)), 'an unrelated kernel line stays silent');
    });

    test('hover on a log line explains it with the numbers filled in', async () => {
      const doc = await open('var/log/messages');
      const line = doc.getText().split('\n').findIndex((l) => l.includes('from 1024 to 3072'));
      const character = doc.lineAt(line).text.indexOf('3072');
      const hovers = await poll(
        'hover',
        () => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(line, character)),
        (h) => h.length > 0,
      );
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /3×/);
    });

    test('the outline is a timeline of pool episodes', async () => {
      const doc = await open('var/log/messages');
      const symbols = await poll(
        'symbols',
        () => vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri),
        (s) => Array.isArray(s) && s.some((x) => x.name.startsWith('pool 253:0')),
      );
      assert.deepEqual(symbols.filter((s) => s.name.startsWith('pool 253:0')).map((s) => s.name), [
        'pool 253:0: out of data space (error), grown 1024 → 3072 blocks',
        'pool 253:0: out of data space (queue → error)',
        'pool 253:0: out of data space (queue), grown 1024 → 4096 blocks',
      ]);
    });

    test('dmLens.logs.files adds plain-text files', async function () {
      if (untrusted) this.skip();
      const doc = await open('var/log/pool.capture');
      assert.equal(doc.languageId, 'plaintext');
      assert.deepEqual(codes(doc.uri), []);
      const config = vscode.workspace.getConfiguration('dmLens');
      const before = config.get<string[]>('logs.files') ?? [];
      await config.update('logs.files', [...before, '**/*.capture'], vscode.ConfigurationTarget.Workspace);
      try {
        await poll('a diagnostic on the capture', () => codes(doc.uri), (c) => c.includes('1:thin-out-of-data-space-error'));
      } finally {
        await config.update('logs.files', undefined, vscode.ConfigurationTarget.Workspace);
      }
    });
  });
}
