import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { poll } from './poll';

const EXTENSION_ID = 'devicemapper-lens.devicemapper-lens';

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
    .map((d) => `${d.range.start.line}:${typeof d.code === 'object' ? String(d.code.value) : String(d.code)}`)
    .sort();
}

export function transcriptSuite(): void {
  suite('dm-thin transcripts in the real extension host', () => {
    const untrusted = process.env['DMLENS_EXPECT_UNTRUSTED'] === '1';

    // Runs first: nothing the server serves has been opened yet in this window.
    test('activation loads no library until a document it serves opens, nor ssh until a remote command runs', async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, 'extension is installed');
      // A JSON file that is no daemon.json activates the extension (onLanguage:json) but needs no server.
      await open('app/settings.json');
      await poll('activation', () => ext.isActive, (a) => a);
      const bundles = () => vscode.commands.executeCommand<string[]>('dmLens._test.loadedBundles');
      assert.deepEqual(await bundles(), []);
      await open('user-transcript.dmsetup');
      assert.deepEqual(await poll('language client loaded', bundles, (b) => b.length > 0), ['languageClient.js']);
      await vscode.commands.executeCommand('dmLens._test.state');
      assert.deepEqual(await bundles(), ['languageClient.js', 'remoteInspection.js']);
    });

    test('the extension activates when a transcript opens', async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, 'extension is installed');
      await open('user-transcript.dmsetup');
      await poll('activation', () => ext.isActive, (a) => a);
    });

    test('workspace trust is as this run expects', () => {
      assert.equal(vscode.workspace.isTrusted, !untrusted);
    });

    test('language is chosen by extension and by first line', async () => {
      assert.equal((await open('user-transcript.dmsetup')).languageId, 'dmsetup');
      assert.equal((await open('pool-status')).languageId, 'dmsetup');
    });

    test('diagnostics reach VS Code for the user transcript', async () => {
      const doc = await open('user-transcript.dmsetup');
      const got = await poll('diagnostics', () => codes(doc.uri), (c) => c.length >= 3);
      assert.deepEqual(got, ['11:queue-if-no-space', '4:no-discard-passdown', '6:no-discard-passdown']);
      const d = vscode.languages.getDiagnostics(doc.uri).find((x) => x.range.start.line === 6)!;
      assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(doc.getText(d.range), 'no_discard_passdown');
    });

    test('a full pool is an error', async () => {
      const doc = await open('pool-status');
      const got = await poll('diagnostics', () => codes(doc.uri), (c) => c.length >= 2);
      assert.deepEqual(got, ['0:data-usage-critical', '0:out-of-data-space']);
    });

    test('hover explains the data blocks with computed sizes', async () => {
      const doc = await open('user-transcript.dmsetup');
      const hovers = await poll(
        'hover',
        () => vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(6, 65)),
        (h) => h.length > 0,
      );
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /26,115 of 3,276,800 × 64 KiB = 1\.59 GiB of 200 GiB \(0\.8 %\)/);
    });

    test('inlay hints show human sizes', async () => {
      const doc = await open('user-transcript.dmsetup');
      const hints = await poll(
        'inlay hints',
        () => vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', doc.uri, new vscode.Range(0, 0, 12, 0)),
        (h) => h.length > 0,
      );
      const labels = hints.map((h) => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join('')));
      assert.ok(labels.includes(' 1.59 GiB/200 GiB 0.8 %'), labels.join(' | '));
      assert.ok(labels.includes(' (allocated 1.6 GiB, 0.8 %)'), labels.join(' | '));
    });

    test('document symbols list command blocks and devices', async () => {
      const doc = await open('user-transcript.dmsetup');
      const symbols = await poll(
        'symbols',
        () => vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri),
        (s) => Array.isArray(s) && s.length > 0,
      );
      assert.deepEqual(symbols.map((s) => s.name), ['ls -lsh /var/lib/docker/devicemapper/devicemapper/data', 'dmsetup status', 'docker rmi dbyin/httpd', 'dmsetup status']);
      assert.deepEqual(symbols[1]!.children.map((c) => c.name), ['yy_pool', 'docker-8:1-696417-base', 'docker-8:1-696417-pool']);
    });

    test('every contributed command is registered', async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
      const contributed = (ext.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
      const all = new Set(await vscode.commands.getCommands(true));
      for (const c of contributed) assert.ok(all.has(c), `${c} is registered`);
      assert.ok(contributed.length >= 2);
    });

    test('restarting the server keeps diagnostics coming', async () => {
      const doc = await open('pool-status');
      await vscode.commands.executeCommand('dmLens.restartServer');
      await poll('diagnostics after restart', () => codes(doc.uri), (c) => c.includes('0:out-of-data-space'));
    });

    test('a threshold setting changes diagnostics', async function () {
      if (untrusted) this.skip();
      const doc = await open('user-transcript.dmsetup');
      const config = vscode.workspace.getConfiguration('dmLens');
      await config.update('thresholds.dataWarning', 1, vscode.ConfigurationTarget.Workspace);
      try {
        // 1.98 % of the second pool is above 1 %.
        await poll('a data-usage-high finding', () => codes(doc.uri), (c) => c.includes('11:data-usage-high'));
      } finally {
        await config.update('thresholds.dataWarning', undefined, vscode.ConfigurationTarget.Workspace);
      }
      await poll('the finding to go away', () => codes(doc.uri), (c) => !c.includes('11:data-usage-high'));
    });
  });
}
