/**
 * Remote inspection (issue 7) in the real extension host: the commands, the
 * report and fleet pages, the raw transcript and daemon.json documents, the
 * Thin Pools view, the status-bar item, cancellation and workspace trust.
 *
 * Without the lab the tests use a fake `ssh` (a shell script set as
 * dmLens.ssh.path) that records that it ran, or blocks until killed, so
 * "spawns nothing" and "cancel kills ssh" are checked for real. With the lab
 * (DMLENS_LAB_SSH_CONFIG: an ssh config with `Host dmlens-lab`) the real
 * dm-thin guest is inspected over OpenSSH.
 */
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { poll } from './poll';

interface HostReportLike {
  host: string;
  reachable: boolean;
  error?: string;
  errorKind?: string;
  engine: { version?: string };
  pools: { name: string; mode: string; discard?: string; thinDevices: { name: string }[] }[];
  daemonJson?: { path: string; text: string };
}

interface TreeSnapshot {
  hosts: { host: string; description: string; contextValue: string; pools: { name: string; description: string; thins: { name: string; description: string }[] }[] }[];
}

interface TestState {
  reportPanels: string[];
  fleetPanel: boolean;
  busy: string[];
  statusBar: { text: string; visible: boolean };
}

const EXTENSION_ID = 'devicemapper-lens.devicemapper-lens';
const LAB = 'dmlens-lab';

/**
 * Command lines of our children (this extension host's) with `needle` as an
 * argument, from /proc: ssh is spawned directly, so another user of the lab
 * running ssh at the same time is not counted.
 */
function processesWith(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.some((a) => a === needle || a.endsWith(`@${needle}`))) found.push(`${pid}: ${argv.join(' ')}`);
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

const config = () => vscode.workspace.getConfiguration('dmLens');
const inspectHost = (host: unknown, options?: unknown) => vscode.commands.executeCommand<HostReportLike | undefined>('dmLens.inspectHost', host, options);
const inspectFleet = (hosts: unknown, options?: unknown) => vscode.commands.executeCommand<HostReportLike[] | undefined>('dmLens.inspectFleet', hosts, options);
const snapshot = () => vscode.commands.executeCommand<TreeSnapshot>('dmLens._test.treeSnapshot');
const state = () => vscode.commands.executeCommand<TestState>('dmLens._test.state');

function webviewTabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(viewType));
}

export function inspectSuite(): void {
  suite('remote inspection in the real extension host', () => {
    const untrusted = process.env['DMLENS_EXPECT_UNTRUSTED'] === '1';
    const labConfig = process.env['DMLENS_LAB_SSH_CONFIG'];
    const dir = mkdtempSync(join(tmpdir(), 'dmlens-inspect-it-'));
    const marker = join(dir, 'ssh-ran');

    /** A fake ssh: records its arguments in `marker`, then does `body`. */
    function fakeSsh(name: string, body: string): string {
      const path = join(dir, name);
      writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${marker}'\n${body}\n`);
      chmodSync(path, 0o755);
      return path;
    }

    async function resetSettings(): Promise<void> {
      for (const key of ['ssh.path', 'ssh.configFile', 'hosts', 'pinnedHosts', 'engineVersion', 'inventory']) {
        if (config().inspect(key)?.globalValue !== undefined) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
      }
    }

    suiteSetup(async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, 'extension is installed');
      await ext.activate();
      await resetSettings();
    });

    teardown(async () => {
      await vscode.commands.executeCommand('dmLens._test.cancelAll');
      await resetSettings();
    });

    suiteTeardown(async () => {
      // Untitled transcripts would ask to be saved: revert them while closing.
      for (const editor of vscode.window.visibleTextEditors) {
        if (editor.document.isUntitled) {
          await vscode.window.showTextDocument(editor.document);
          await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
        }
      }
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    test('the remote commands are registered, test hooks are not in the palette', async () => {
      const all = await vscode.commands.getCommands(true);
      for (const c of ['dmLens.inspectHost', 'dmLens.inspectFleet', 'dmLens.openRawTranscript', 'dmLens.openDaemonJson', 'dmLens.refreshAll', 'dmLens.pinHost', 'dmLens.unpinHost', 'dmLens._test.treeSnapshot']) {
        assert.ok(all.includes(c), `${c} is registered`);
      }
      const contributed = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
      assert.ok(!contributed.some((c) => c.startsWith('dmLens._test')), 'test hooks are not contributed');
    });

    // ─── no lab needed ─────────────────────────────────────────────────────

    test('a host starting with "-" is refused without spawning ssh', async function () {
      if (untrusted) this.skip();
      await config().update('ssh.path', fakeSsh('ssh-marker', 'exit 0'), vscode.ConfigurationTarget.Global);
      assert.equal(await inspectHost('-oProxyCommand=touch /tmp/pwned'), undefined);
      assert.equal(await inspectHost('host; rm -rf /'), undefined);
      const fleet = await inspectFleet(['-F/etc/passwd']);
      assert.equal(fleet?.length, 1);
      assert.equal(fleet[0]!.reachable, false);
      assert.equal(fleet[0]!.errorKind, 'invalid-host');
      assert.match(fleet[0]!.error ?? '', /starts with "-"/);
      assert.equal(existsSync(marker), false, 'ssh never ran');
    });

    test('an unreachable alias gives reachable=false with one clear sentence, in the view too', async function () {
      if (untrusted) this.skip();
      const r = await inspectHost('nosuchhost.invalid');
      assert.ok(r);
      assert.equal(r.reachable, false);
      assert.equal(r.errorKind, 'resolve');
      assert.equal(r.error, 'nosuchhost.invalid: the host name does not resolve (not an ssh alias either).');
      const tree = await snapshot();
      const node = tree.hosts.find((h) => h.host === 'nosuchhost.invalid');
      assert.ok(node, 'a recently inspected host is listed');
      assert.match(node.description, /^unreachable: nosuchhost\.invalid: the host name does not resolve/);
      assert.match(node.contextValue, /inspected=yes/);
    });

    test('cancelling an inspection kills ssh; a cancelled token spawns nothing', async function () {
      if (untrusted) this.skip();
      const alias = 'dmlens-cancel-probe';
      await config().update('ssh.path', fakeSsh('ssh-blocks', 'while :; do sleep 1; done'), vscode.ConfigurationTarget.Global);
      const pre = new vscode.CancellationTokenSource();
      pre.cancel();
      assert.equal(await inspectHost(alias, { token: pre.token }), undefined);
      assert.equal(existsSync(marker), false, 'a cancelled run never starts ssh');

      const cts = new vscode.CancellationTokenSource();
      const run = inspectHost(alias, { token: cts.token });
      await poll('the ssh process', () => processesWith(alias), (p) => p.length > 0);
      assert.deepEqual((await state()).busy, [alias]);
      cts.cancel();
      assert.equal(await run, undefined, 'a cancelled inspection resolves to undefined');
      await poll('no ssh process left', () => processesWith(alias), (p) => p.length === 0, 10_000);
      assert.deepEqual((await state()).busy, []);
    });

    test('the host picker offers the ssh config (with Includes), dmLens.hosts, recent hosts and the inventory', async function () {
      if (untrusted) this.skip();
      const conf = join(dir, 'ssh');
      mkdirSync(join(conf, 'conf.d'), { recursive: true });
      writeFileSync(join(conf, 'config'), `Host alpha beta *.wild !neg\n  HostName 10.0.0.1\n  User ops\n  Port 2222\nInclude ${conf}/conf.d/*.conf\nHost -evil\n`);
      writeFileSync(join(conf, 'conf.d', '10-gamma.conf'), 'Host gamma\n  HostName gamma.example\n');
      writeFileSync(join(conf, 'conf.d', 'ignored.txt'), 'Host notincluded\n');
      writeFileSync(join(dir, 'inventory.ini'), '[web]\nweb1 ansible_host=192.0.2.10 ansible_user=deploy\nweb2\n');
      await config().update('ssh.configFile', join(conf, 'config'), vscode.ConfigurationTarget.Global);
      await config().update('hosts', ['cfg-only.example', 'alpha'], vscode.ConfigurationTarget.Global);
      await config().update('inventory', join(dir, 'inventory.ini'), vscode.ConfigurationTarget.Global);
      try {
        const entries = await vscode.commands.executeCommand<{ host: string; source: string; detail?: string }[]>('dmLens._test.hostEntries');
        const of = (source: string) => entries.filter((e) => e.source === source).map((e) => e.host);
        assert.ok(of('recent').includes('nosuchhost.invalid'), 'recently inspected hosts come first');
        assert.deepEqual(of('configured'), ['cfg-only.example', 'alpha']);
        assert.deepEqual(of('ssh-config'), ['beta', 'gamma'], 'aliases once each, wildcards, negations and "-" names left out, Include followed');
        assert.equal(entries.find((e) => e.host === 'beta')?.detail, 'ops@10.0.0.1:2222');
        assert.deepEqual(of('inventory'), ['deploy@192.0.2.10', 'web2']);
      } finally {
        await config().update('inventory', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    test('the view lists configured and pinned hosts; pinning drives the status bar', async function () {
      await config().update('hosts', ['cfg-host.example'], vscode.ConfigurationTarget.Global);
      let tree = await poll('the configured host in the view', snapshot, (t) => t.hosts.some((h) => h.host === 'cfg-host.example'));
      assert.match(tree.hosts.find((h) => h.host === 'cfg-host.example')!.contextValue, /^dmLens\.host;pinned=no;inspected=no/);
      assert.equal((await state()).statusBar.visible, false, 'hidden while nothing is pinned');
      await vscode.commands.executeCommand('dmLens.pinHost', { kind: 'host', host: 'cfg-host.example' });
      tree = await poll('pinned', snapshot, (t) => /pinned=yes/.test(t.hosts.find((h) => h.host === 'cfg-host.example')?.contextValue ?? ''));
      const shown = await poll('the status-bar item', state, (s) => s.statusBar.visible);
      assert.match(shown.statusBar.text, /not inspected/);
      await vscode.commands.executeCommand('dmLens.unpinHost', 'cfg-host.example');
      await poll('hidden again', state, (s) => !s.statusBar.visible);
    });

    test('workspace values of restricted settings count only in a trusted workspace', async () => {
      // Written as a file: VS Code does not write restricted settings to an untrusted workspace.
      // dmLens.inspect.concurrency (not restricted) shows when the file has been read.
      const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
      const settingsFile = join(folder, '.vscode', 'settings.json');
      mkdirSync(join(folder, '.vscode'), { recursive: true });
      await config().update('hosts', ['user-host.example'], vscode.ConfigurationTarget.Global);
      writeFileSync(settingsFile, JSON.stringify({ 'dmLens.hosts': ['workspace-host.example'], 'dmLens.ssh.path': join(dir, 'ssh-from-workspace'), 'dmLens.inspect.concurrency': 7 }));
      try {
        await poll('the workspace settings read', () => config().inspect('inspect.concurrency')?.workspaceValue, (v) => v === 7);
        const tree = await poll('the view after the change', snapshot, (t) => t.hosts.some((h) => h.host === (untrusted ? 'user-host.example' : 'workspace-host.example')));
        const hosts = tree.hosts.map((h) => h.host);
        if (untrusted) {
          assert.ok(!hosts.includes('workspace-host.example'), `untrusted: the workspace's hosts are ignored (${hosts.join(', ')})`);
          assert.equal(config().get('ssh.path'), 'ssh', "untrusted: the workspace's ssh.path is ignored");
        } else {
          assert.ok(hosts.includes('workspace-host.example') && !hosts.includes('user-host.example'), `trusted: the workspace value wins (${hosts.join(', ')})`);
        }
      } finally {
        writeFileSync(settingsFile, '{}');
        await poll('the workspace settings gone', () => config().inspect('inspect.concurrency')?.workspaceValue, (v) => v === undefined);
      }
    });

    test('untrusted workspace: every remote command refuses and spawns nothing', async function () {
      if (!untrusted) this.skip();
      assert.equal(vscode.workspace.isTrusted, false);
      await config().update('ssh.path', fakeSsh('ssh-marker-untrusted', 'exit 0'), vscode.ConfigurationTarget.Global);
      await config().update('pinnedHosts', ['pinned.example'], vscode.ConfigurationTarget.Global);
      assert.equal(await inspectHost('somehost.example'), undefined);
      assert.equal(await inspectFleet(['somehost.example', 'other.example']), undefined);
      assert.equal(await vscode.commands.executeCommand('dmLens.inspectPinned'), undefined);
      assert.equal(await vscode.commands.executeCommand('dmLens.refreshAll'), undefined);
      assert.equal(await vscode.commands.executeCommand('dmLens.refreshHost', 'somehost.example'), undefined);
      assert.equal(existsSync(marker), false, 'ssh never ran');
      assert.deepEqual(processesWith('somehost.example'), []);
    });

    // ─── the lab guest ─────────────────────────────────────────────────────

    const needsLab = (ctx: Mocha.Context) => {
      if (untrusted || !labConfig) ctx.skip();
      ctx.timeout(240_000);
    };

    async function useLab(): Promise<void> {
      await config().update('ssh.configFile', labConfig, vscode.ConfigurationTarget.Global);
    }

    let labReport: HostReportLike | undefined;

    test('lab: Inspect Host returns the pools with their modes, opens the report, fills the view', async function () {
      needsLab(this);
      await useLab();
      const r = await inspectHost(LAB);
      assert.ok(r, 'a report');
      assert.equal(r.reachable, true, r.error);
      labReport = r;
      const mode = (name: string) => r.pools.find((p) => p.name === name);
      assert.equal(mode('lab-oos')?.mode, 'out_of_data_space');
      assert.equal(mode('lab-fail')?.mode, 'fail');
      assert.equal(mode('lab-jfs')?.discard, 'no_discard_passdown');
      assert.equal(mode('lab-ext4')?.mode, 'rw');
      await poll('the report panel', () => webviewTabs('dmLens.report').map((t) => t.label), (l) => l.includes(`Thin pools: ${LAB}`));
      assert.ok((await state()).reportPanels.includes(LAB));
      const tree = await snapshot();
      const host = tree.hosts.find((h) => h.host === LAB);
      assert.ok(host, 'the lab host is in the view');
      assert.match(host.description, /\d+ pools · worst 100 % lab-oos/);
      const pools = host.pools.map((p) => p.name);
      for (const p of ['lab-ext4', 'lab-fail', 'lab-jfs', 'lab-oos', 'lab-vfat']) assert.ok(pools.includes(p), `${p} in ${pools.join(', ')}`);
      assert.match(host.pools.find((p) => p.name === 'lab-ext4')!.description, /^data \d+(\.\d)? % · meta \d+(\.\d)? %$/);
      assert.match(host.pools.find((p) => p.name === 'lab-oos')!.description, /^out of data space · data 100 %/);
      assert.ok(host.pools.find((p) => p.name === 'lab-ext4')!.thins.some((t) => t.name === 'lab-ext4-thin'));
    });

    test('lab: the raw transcript opens as a dmsetup document with our diagnostics', async function () {
      needsLab(this);
      if (!labReport) this.skip();
      const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('dmLens.openRawTranscript', LAB);
      assert.ok(uri);
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      assert.ok(doc);
      assert.equal(doc.languageId, 'dmsetup');
      assert.equal(doc.uri.scheme, 'untitled');
      const diags = await poll('diagnostics on the transcript', () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'dmlens'), (d) => d.length > 0);
      const codes = diags.map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code)));
      assert.ok(codes.includes('out-of-data-space'), codes.join(', '));
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    test('lab: daemon.json opens read-only and is judged for the host\'s engine, not the user setting', async function () {
      needsLab(this);
      if (!labReport?.daemonJson) this.skip();
      // The user says Engine 25.0 (devicemapper removed); the host runs its own engine.
      await config().update('engineVersion', '25.0', vscode.ConfigurationTarget.Global);
      const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>('dmLens.openDaemonJson', LAB);
      assert.ok(uri);
      assert.equal(uri.scheme, 'dmlens-remote');
      assert.equal(new URLSearchParams(uri.query).get('engine'), labReport.engine.version);
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())!;
      assert.equal(doc.languageId, 'json');
      assert.equal(doc.getText(), labReport.daemonJson.text);
      const codes = await poll(
        'daemon.json diagnostics',
        () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'dmlens').map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code))),
        (c) => c.includes('driver-deprecated') || c.includes('driver-removed'),
      );
      assert.ok(codes.includes('driver-deprecated') && !codes.includes('driver-removed'), `judged for ${labReport.engine.version}: ${codes.join(', ')}`);
      // Typing into the editor changes nothing: a content provider's document is read-only.
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('type', { text: 'X' });
      assert.equal(doc.getText(), labReport.daemonJson.text, 'the copy is read-only');
      assert.equal(doc.isDirty, false);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    test('lab: Inspect Fleet gives one reachable and one unreachable host with its reason', async function () {
      needsLab(this);
      await useLab();
      const reports = await inspectFleet([LAB, 'nosuchhost.invalid']);
      assert.ok(reports);
      assert.deepEqual(reports.map((r) => [r.host, r.reachable]), [[LAB, true], ['nosuchhost.invalid', false]]);
      assert.match(reports[1]!.error ?? '', /does not resolve/);
      await poll('the fleet panel', () => webviewTabs('dmLens.fleet').length, (n) => n === 1);
      assert.equal((await state()).fleetPanel, true);
    });

    test('lab: cancelling a real inspection stops ssh', async function () {
      needsLab(this);
      await useLab();
      const cts = new vscode.CancellationTokenSource();
      const run = inspectHost(LAB, { token: cts.token });
      await poll('ssh to the lab', () => processesWith(LAB), (p) => p.length > 0);
      cts.cancel();
      assert.equal(await run, undefined);
      await poll('no ssh to the lab left', () => processesWith(LAB), (p) => p.length === 0, 10_000);
    });
  });
}
