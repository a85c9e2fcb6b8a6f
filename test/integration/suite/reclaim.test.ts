/**
 * "Devicemapper: Reclaim Space…" (issue 8) in the real extension host: the
 * command, its trust gate, the plan shown in the modal, the run, the result
 * page, the saved JSON and the refresh of the view.
 *
 * The modal and the Docker tick boxes are answered by the test-only hook
 * `dmLens._test.autoConfirm` (registered outside production only), which
 * also records what would have been asked; no test clicks anything.
 * Without the lab a fake `ssh` (dmLens.ssh.path) records whether it ran. With
 * the lab (DMLENS_LAB_SSH_CONFIG) the dm-thin guest is audited and lab-ext4
 * (ext4 backing: the file shrinks after fstrim) is trimmed for real; the
 * full-host plan is only ever declined here (Docker's prune is another
 * suite's).
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { formatPercent } from '../../../server/src/core/text/units';
import { poll } from './poll';

interface PlanLike {
  host: string;
  empty: boolean;
  audits: { pool: string; eligible: boolean; refusal?: string; docker: boolean }[];
  steps: { op: string; kind: string; argv: string[]; pool?: string }[];
}

interface PoolFigures {
  name: string;
  data?: { used: number; total: number };
  metadata?: { used: number; total: number };
}

interface RunLike {
  executed: boolean;
  before?: { pools: PoolFigures[] };
  after?: { pools: PoolFigures[] };
  stopped?: string;
  steps: { status: string; exitCode?: number }[];
  measurements: { name: string; reclaimedPoolBytes: number | null; reclaimedHostBytes: number | null; explanation: string }[];
}

interface ReclaimResult {
  plan: PlanLike;
  run?: RunLike;
  reportUri?: vscode.Uri;
}

type Prompt = { kind: 'ticks'; host: string; offered: string[] } | { kind: 'confirm'; message: string; detail: string; button: string } | { kind: 'info'; message: string };

interface ReclaimState {
  prompts: Prompt[];
  panels: string[];
}

interface SavedReport {
  host: string;
  executed: boolean;
  plan: { command: string; kind: string; status?: string; exitCode?: number | null }[];
  pools: { name: string; reclaimedPoolBytes: number | null; reclaimedHostBytes: number | null; before: { dataUsed: number | null } | null; after: { dataUsed: number | null } | null; explanation: string | null }[];
  measurements: { name: string }[];
}

interface TreeSnapshot {
  hosts: { host: string; description: string; pools: { name: string; description: string }[] }[];
}

const EXTENSION_ID = 'devicemapper-lens.devicemapper-lens';
const LAB = 'dmlens-lab';
const MiB = 1024 * 1024;

const config = () => vscode.workspace.getConfiguration('dmLens');
const reclaim = (arg?: unknown, options?: unknown) => vscode.commands.executeCommand<ReclaimResult | undefined>('dmLens.reclaim', arg, options);
const autoConfirm = (answers: { confirm: boolean; ticks: string[] } | undefined) => vscode.commands.executeCommand('dmLens._test.autoConfirm', answers);
const reclaimState = () => vscode.commands.executeCommand<ReclaimState>('dmLens._test.reclaimState');
const snapshot = () => vscode.commands.executeCommand<TreeSnapshot>('dmLens._test.treeSnapshot');

/** Our children (this extension host's) with `needle` as an argument, from /proc. */
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

function webviewTabs(viewType: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(viewType));
}

export function reclaimSuite(): void {
  suite('reclaim space in the real extension host', () => {
    const untrusted = process.env['DMLENS_EXPECT_UNTRUSTED'] === '1';
    const labConfig = process.env['DMLENS_LAB_SSH_CONFIG'];
    const dir = mkdtempSync(join(tmpdir(), 'dmlens-reclaim-it-'));
    const marker = join(dir, 'ssh-ran');

    /** A fake ssh: records its arguments in `marker`, then does `body`. */
    function fakeSsh(name: string, body: string): string {
      const path = join(dir, name);
      writeFileSync(path, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${marker}'\n${body}\n`);
      chmodSync(path, 0o755);
      return path;
    }

    /**
     * A fixed command on the lab guest as root: an argument array (no local shell), the remote
     * part a constant. Asynchronous: these tests run inside the extension host, which a
     * synchronous spawn would block for the whole dd.
     */
    function guest(remote: string): Promise<string> {
      return new Promise((resolve, reject) => {
        execFile('ssh', ['-F', labConfig!, LAB, remote], { encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
          if (error) reject(new Error(`${remote}: ${error.message} ${stderr}`));
          else resolve(stdout);
        });
      });
    }

    /** 60 MiB written to /mnt/lab-ext4 and deleted: blocks the pool still holds until fstrim. */
    async function deletableData(): Promise<void> {
      await guest('dd if=/dev/zero of=/mnt/lab-ext4/payload bs=1M count=60 conv=fsync && rm /mnt/lab-ext4/payload && sync');
    }

    /** lab-ext4's used data blocks and its loop file's allocated bytes, as the guest itself reports them. */
    async function ext4State(): Promise<{ used: number; allocated: number }> {
      // <start> <length> thin-pool <transaction> <meta used/total> <data used/total> …
      const used = Number((await guest('dmsetup status lab-ext4')).split(' ')[5]!.split('/')[0]);
      const [blocks, unit] = (await guest("stat -c '%b %B' /srv/ext4/data.img")).trim().split(' ').map(Number);
      return { used, allocated: blocks! * unit! };
    }

    async function resetSettings(): Promise<void> {
      for (const key of ['ssh.path', 'ssh.configFile']) {
        if (config().inspect(key)?.globalValue !== undefined) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
      }
    }

    suiteSetup(async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext, 'extension is installed');
      await ext.activate();
      await resetSettings();
    });

    setup(async () => {
      await autoConfirm({ confirm: false, ticks: [] });
    });

    teardown(async () => {
      await vscode.commands.executeCommand('dmLens._test.cancelAll');
      await autoConfirm(undefined);
      await resetSettings();
    });

    suiteTeardown(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    test('Reclaim Space is contributed with the trust enablement, in the view menus; its test hooks are not contributed', async () => {
      const all = await vscode.commands.getCommands(true);
      for (const c of ['dmLens.reclaim', 'dmLens._test.autoConfirm', 'dmLens._test.reclaimState']) assert.ok(all.includes(c), `${c} is registered`);
      const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
        contributes: { commands: { command: string; title: string; category: string; enablement?: string }[]; menus: Record<string, { command: string; when?: string }[]> };
      };
      const command = pkg.contributes.commands.find((c) => c.command === 'dmLens.reclaim');
      assert.deepEqual(command && [command.title, command.category, command.enablement], ['Reclaim Space…', 'Devicemapper', 'isWorkspaceTrusted']);
      assert.ok(!pkg.contributes.commands.some((c) => c.command.startsWith('dmLens._test')), 'test hooks are not contributed');
      const whens = pkg.contributes.menus['view/item/context']!.filter((m) => m.command === 'dmLens.reclaim').map((m) => m.when ?? '');
      assert.ok(whens.some((w) => w.includes('viewItem == dmLens.pool') && w.includes('isWorkspaceTrusted')), 'on a pool');
      assert.ok(whens.some((w) => w.includes('dmLens\\.host;') && w.includes('isWorkspaceTrusted')), 'on a host');
      assert.ok(pkg.contributes.menus['commandPalette']!.some((m) => m.command === 'dmLens.reclaim' && m.when === 'isWorkspaceTrusted'));
    });

    // ─── no lab needed ─────────────────────────────────────────────────────

    test('untrusted workspace: Reclaim Space refuses before any question and spawns nothing', async function () {
      if (!untrusted) this.skip();
      assert.equal(vscode.workspace.isTrusted, false);
      await config().update('ssh.path', fakeSsh('ssh-marker-untrusted', 'exit 0'), vscode.ConfigurationTarget.Global);
      await autoConfirm({ confirm: true, ticks: ['prune-containers', 'prune-images'] });
      assert.equal(await reclaim('somehost.example'), undefined);
      assert.equal(await reclaim({ kind: 'pool', host: 'somehost.example', pool: 'lab-ext4' }), undefined);
      assert.equal(await reclaim({ host: 'somehost.example', pools: ['lab-ext4'] }), undefined);
      assert.equal(existsSync(marker), false, 'ssh never ran');
      assert.deepEqual(processesWith('somehost.example'), []);
      assert.deepEqual((await reclaimState()).prompts, [], 'nothing was asked');
    });

    test('refused arguments and hosts, and a cancelled token, spawn no ssh and ask nothing', async function () {
      if (untrusted) this.skip();
      await config().update('ssh.path', fakeSsh('ssh-marker', 'exit 0'), vscode.ConfigurationTarget.Global);
      assert.equal(await reclaim(42), undefined);
      assert.equal(await reclaim({ host: 'somehost.example', pools: [1] }), undefined);
      assert.equal(await reclaim({ host: 'somehost.example', pools: 'lab-ext4' }), undefined);
      assert.equal(await reclaim('-oProxyCommand=touch /tmp/pwned'), undefined);
      assert.equal(await reclaim({ kind: 'pool', host: 'host; rm -rf /', pool: 'x' }), undefined);
      const pre = new vscode.CancellationTokenSource();
      pre.cancel();
      assert.equal(await reclaim('somehost.example', { token: pre.token }), undefined, 'cancelled during the audit');
      assert.equal(existsSync(marker), false, 'ssh never ran');
      assert.deepEqual((await reclaimState()).prompts, []);
    });

    test('an unreachable host ends at the audit: no plan, no question', async function () {
      if (untrusted) this.skip();
      assert.equal(await reclaim('nosuchhost.invalid'), undefined);
      assert.deepEqual((await reclaimState()).prompts, []);
    });

    // ─── the lab guest ─────────────────────────────────────────────────────

    const needsLab = (ctx: Mocha.Context) => {
      if (untrusted || !labConfig) ctx.skip();
      ctx.timeout(240_000);
    };

    async function useLab(): Promise<void> {
      await config().update('ssh.configFile', labConfig, vscode.ConfigurationTarget.Global);
    }

    test('lab: declining the modal runs nothing; the modal lists every step with its kind and exact command', async function () {
      needsLab(this);
      await useLab();
      await deletableData();
      const before = await ext4State();
      const r = await reclaim({ host: LAB, pools: ['lab-ext4'] });
      assert.ok(r, 'a result');
      assert.equal(r.run, undefined, 'declined: no run');
      assert.equal(r.plan.empty, false);
      assert.deepEqual(r.plan.audits.map((a) => a.pool), ['lab-ext4']);
      const prompts = (await reclaimState()).prompts;
      assert.deepEqual(prompts.map((p) => p.kind), ['confirm'], 'no Docker tick boxes for lab-ext4, one modal');
      const modal = prompts[0] as Extract<Prompt, { kind: 'confirm' }>;
      assert.equal(modal.button, 'Run 4 steps');
      const lines = modal.detail.split('\n');
      assert.ok(lines.includes('2. [mutating] sync'), modal.detail);
      assert.ok(lines.includes('3. [mutating] fstrim -v /mnt/lab-ext4   (pool lab-ext4)'), modal.detail);
      assert.ok(lines.some((l) => /^1\. \[read-only\] sh -s /.test(l)) && lines.some((l) => /^4\. \[read-only\] sh -s /.test(l)));
      assert.ok(lines.some((l) => l.startsWith('• lab-ext4: freed space returns to the host')), modal.detail);
      assert.ok(lines.some((l) => /Offline thin_trim is refused on this host/.test(l)), 'the guidance is shown');
      assert.deepEqual(await ext4State(), before, 'pool usage and the loop file are unchanged');
      assert.equal(webviewTabs('dmLens.reclaim').length, 0, 'no result page');
    });

    test('lab: declining the whole-host plan — the Docker tick boxes are offered only where Docker runs devicemapper; fail pools are refused', async function () {
      needsLab(this);
      await useLab();
      const before = await ext4State();
      const r = await reclaim(LAB);
      assert.ok(r);
      assert.equal(r.run, undefined);
      const fail = r.plan.audits.find((a) => a.pool === 'lab-fail');
      assert.equal(fail?.eligible, false);
      assert.match(fail?.refusal ?? '', /fail mode/);
      const trims = r.plan.steps.filter((s) => s.op === 'fstrim').map((s) => s.argv.join(' '));
      for (const mp of ['/mnt/lab-ext4', '/mnt/lab-jfs', '/mnt/lab-vfat']) assert.ok(trims.includes(`fstrim -v ${mp}`), trims.join(', '));
      assert.ok(!r.plan.steps.some((s) => s.kind === 'destructive'), 'nothing destructive unless ticked');
      const prompts = (await reclaimState()).prompts;
      const ticks = prompts.find((p): p is Extract<Prompt, { kind: 'ticks' }> => p.kind === 'ticks');
      const dockerEligible = r.plan.audits.some((a) => a.docker && a.eligible);
      if (dockerEligible) assert.deepEqual(ticks?.offered, ['prune-containers', 'prune-images']);
      else assert.equal(ticks, undefined);
      const modal = prompts.find((p): p is Extract<Prompt, { kind: 'confirm' }> => p.kind === 'confirm');
      assert.ok(modal, 'the modal was asked');
      assert.match(modal.detail, /• lab-fail: refused — the pool is in fail mode/);
      assert.doesNotMatch(modal.detail, /\[destructive\]/);
      assert.deepEqual(await ext4State(), before, 'nothing ran');
    });

    test('lab: confirming on the lab-ext4 tree node trims it, measures ≥ 50 MiB back to pool and host, saves the JSON, shows the page, refreshes the view', async function () {
      needsLab(this);
      await useLab();
      await deletableData();
      const guestBefore = await ext4State();

      await autoConfirm({ confirm: true, ticks: [] });
      const r = await reclaim({ kind: 'pool', host: LAB, pool: 'lab-ext4' });
      assert.ok(r?.run, 'a run');
      const run = r.run;
      assert.deepEqual(r.plan.audits.map((a) => a.pool), ['lab-ext4'], 'that pool only');
      assert.equal(run.stopped, undefined, run.stopped);
      assert.equal(run.executed, true);
      assert.deepEqual(run.steps.map((s) => s.status), ['ok', 'ok', 'ok', 'ok']);
      const m = run.measurements.find((x) => x.name === 'lab-ext4');
      assert.ok(m, 'lab-ext4 measured');
      assert.ok(m.reclaimedPoolBytes! >= 50 * MiB, `pool freed ${m.reclaimedPoolBytes}`);
      assert.ok(m.reclaimedHostBytes! >= 50 * MiB, `file shrank by ${m.reclaimedHostBytes}`);
      assert.match(m.explanation, /gave .* back to/);

      const guestAfter = await ext4State();
      assert.ok(guestBefore.allocated - guestAfter.allocated >= 50 * MiB, `the guest's stat agrees: ${guestBefore.allocated} → ${guestAfter.allocated}`);

      assert.ok(r.reportUri, 'the report was saved');
      assert.match(r.reportUri.path, /\/reclaim\/dmlens-lab-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z\.json$/);
      const saved = JSON.parse(readFileSync(r.reportUri.fsPath, 'utf8')) as SavedReport;
      assert.equal(saved.host, LAB);
      assert.equal(saved.executed, true);
      assert.deepEqual(saved.plan.map((s) => [s.kind, s.command, s.status]), [['read-only', 'sh -s', 'ok'], ['mutating', 'sync', 'ok'], ['mutating', 'fstrim -v /mnt/lab-ext4', 'ok'], ['read-only', 'sh -s', 'ok']]);
      assert.ok(saved.plan.every((s) => s.status === 'ok'));
      const pool = saved.pools.find((p) => p.name === 'lab-ext4');
      assert.ok(pool && pool.reclaimedHostBytes! >= 50 * MiB && pool.before && pool.after);
      assert.deepEqual(saved.measurements.map((x) => x.name), ['lab-ext4']);

      await poll('the result page', () => webviewTabs('dmLens.reclaim').map((t) => t.label), (l) => l.includes(`Reclaim: ${LAB}`));
      assert.ok((await reclaimState()).panels.includes(LAB));
      // The view shows lab-ext4 as measured after the run (as the Thin Pools view words it), no longer as before.
      const described = (report: { pools: PoolFigures[] } | undefined) => {
        const p = report?.pools.find((x) => x.name === 'lab-ext4');
        return p?.data && p.metadata ? `data ${formatPercent(p.data.used / p.data.total)} · meta ${formatPercent(p.metadata.used / p.metadata.total)}` : '?';
      };
      assert.notEqual(described(run.before), described(run.after));
      const ext4Description = (t: TreeSnapshot) => t.hosts.find((h) => h.host === LAB)?.pools.find((p) => p.name === 'lab-ext4')?.description ?? '';
      assert.equal(ext4Description(await snapshot()), described(run.after), 'the view was refreshed after the run');
    });

    test('lab: a pool in fail mode alone gives the empty-plan message and runs nothing', async function () {
      needsLab(this);
      await useLab();
      await autoConfirm({ confirm: true, ticks: [] });
      const r = await reclaim({ host: LAB, pools: ['lab-fail'] });
      assert.ok(r);
      assert.equal(r.plan.empty, true);
      assert.equal(r.run, undefined);
      assert.deepEqual(r.plan.steps.map((s) => s.op), ['measure'], 'only the (never run) measurement');
      const prompts = (await reclaimState()).prompts;
      assert.deepEqual(prompts.map((p) => p.kind), ['info'], 'no modal: nothing to confirm');
      assert.match((prompts[0] as Extract<Prompt, { kind: 'info' }>).message, /^Devicemapper: nothing to reclaim on dmlens-lab: lab-fail is refused: the pool is in fail mode.*Nothing was changed\.$/);
    });
  });
}
