import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { poll } from './poll';

const FILE = 'etc/docker/daemon.json';

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the integration workspace open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function open(): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(FILE));
  await vscode.window.showTextDocument(doc);
  return doc;
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'dmlens');
}

function codes(uri: vscode.Uri): string[] {
  return ours(uri)
    .map((d) => `${d.range.start.line}:${typeof d.code === 'object' ? String(d.code.value) : String(d.code)}`)
    .sort();
}

const EXPECTED = ['10:storage-opt-syntax', '2:driver-deprecated', '6:dm-invalid-value', '7:dm-invalid-value', '8:storage-opt-flag-prefix', '9:dm-unknown-option'];

export function daemonJsonSuite(): void {
  suite('daemon.json in the real extension host', () => {
    const untrusted = process.env['DMLENS_EXPECT_UNTRUSTED'] === '1';

    test('VS Code keeps daemon.json as JSON, and our checks run beside its own', async () => {
      const doc = await open();
      assert.equal(doc.languageId, 'json');
      const got = await poll('daemon.json diagnostics', () => codes(doc.uri), (c) => c.length >= EXPECTED.length);
      assert.deepEqual(got, EXPECTED);
      const fs = ours(doc.uri).find((d) => d.range.start.line === 6)!;
      assert.equal(doc.getText(fs.range), 'XFS');
      assert.equal(fs.severity, vscode.DiagnosticSeverity.Error);
      assert.match(fs.message, /devmapper: Unsupported filesystem XFS/);
    });

    test('our JSON schema reaches VS Code\'s JSON support (a type error on "debug")', async () => {
      const doc = await open();
      const schema = await poll(
        'a JSON schema diagnostic',
        () => vscode.languages.getDiagnostics(doc.uri).filter((d) => d.source !== 'dmlens' && d.range.start.line === 1),
        (d) => d.length > 0,
      );
      assert.equal(doc.getText(schema[0]!.range), '"yes"');
      assert.match(schema[0]!.message, /boolean/);
    });

    test('a quick fix applied through VS Code removes its finding', async () => {
      const doc = await open();
      const d = await poll('the dm.fs finding', () => ours(doc.uri).find((x) => x.range.start.line === 6), (x) => x !== undefined);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, d!.range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find((a) => a.title === 'Write dm.fs=xfs');
      assert.ok(fix?.edit, actions.map((a) => a.title).join(' | '));
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      try {
        assert.equal(doc.lineAt(6).text.trim(), '"dm.fs=xfs",');
        await poll('the finding to go away', () => codes(doc.uri), (c) => !c.includes('6:dm-invalid-value') && c.length === EXPECTED.length - 1);
      } finally {
        await vscode.commands.executeCommand('undo');
      }
      await poll('the finding to come back', () => codes(doc.uri), (c) => c.includes('6:dm-invalid-value'));
    });

    test('completion offers dm.* options with their documentation', async () => {
      const doc = await open();
      const list = await poll(
        'completion items',
        () => vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(10, 8)),
        (l) => l.items.some((i) => i.label === 'dm.basesize'),
      );
      const item = list.items.find((i) => i.label === 'dm.basesize')!;
      assert.ok(item.insertText instanceof vscode.SnippetString, 'a snippet with a value placeholder');
      assert.equal(item.insertText.value, 'dm.basesize=${1:20G}');
      const docs = typeof item.documentation === 'string' ? item.documentation : (item.documentation?.value ?? '');
      assert.match(docs, /maximum size of every image and container filesystem/);
    });

    test('hover explains an option and what dockerd makes of its value', async () => {
      const doc = await open();
      const hovers = await poll(
        'hover',
        () => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(7, 19)),
        (h) => h.some((x) => x.contents.some((c) => (typeof c === 'string' ? c : c.value).includes('dm.basesize=20GiB'))),
      );
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /Engine ≥ 18\.09: 21,474,836,480 bytes \(20 GiB\)/);
    });

    test('dmLens.engineVersion judges the file for that engine', async function () {
      if (untrusted) this.skip();
      const doc = await open();
      const config = vscode.workspace.getConfiguration('dmLens', doc.uri);
      await config.update('engineVersion', '25.0', vscode.ConfigurationTarget.Workspace);
      try {
        await poll('driver-removed on Engine 25.0', () => codes(doc.uri), (c) => c.includes('2:driver-removed'));
        const removed = ours(doc.uri).find((d) => d.range.start.line === 2)!;
        assert.equal(removed.severity, vscode.DiagnosticSeverity.Error);
      } finally {
        await config.update('engineVersion', undefined, vscode.ConfigurationTarget.Workspace);
      }
      await poll('the unknown-engine findings again', () => codes(doc.uri), (c) => c.includes('2:driver-deprecated'));
    });
  });
}
