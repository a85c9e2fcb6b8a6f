/**
 * "Devicemapper: Reclaim Space…" (dmLens.reclaim), issue 8 in VS Code: from
 * the palette (the Inspect Host picker), a Thin Pools host (every pool) or
 * pool (that pool), or the report page's button.
 *
 * audit (a fresh inspection, cancellable) → plan (core buildReclaimPlan) →
 * nothing to do: say why and stop → the destructive Docker tick boxes, only
 * where Docker runs devicemapper, unticked → a modal warning listing every
 * step with its kind and exact command → runReclaim under a cancellable
 * progress, each step's start and end in the output channel (the audit
 * trail) → the result page, the saved JSON (globalStorage/reclaim) and a
 * refresh of the host in the view.
 *
 * Nothing runs on the host but the read-only audit before the modal is
 * confirmed. The command resolves to `{plan, run?}` (run undefined when
 * declined or when the plan was empty), or undefined when refused.
 */
import * as vscode from 'vscode';
import { buildReclaimPlan, type HostReport, type ReclaimPlan } from '../../../server/src/core/index.js';
import { runReclaim, type ReclaimRun, type StepResult } from '../../../server/src/remote/reclaim.js';
import { checkHost, printable } from '../../../server/src/remote/ssh.js';
import { remoteConfig, usageThresholds } from '../remote/config.js';
import type { InspectionStore } from '../remote/inspections.js';
import { confirmationText, emptyPlanMessage, pruneOffered, reclaimReportJson, reportFileName, resultSummary, shownCommand, type ReclaimReportJson } from '../report/reclaimJson.js';
import type { ReclaimPanels } from '../report/reclaimPanel.js';
import { pickHost } from './hostPicker.js';
import { hostOf, optionsOf, refuseUntrusted, withCancellableProgress } from './common.js';

/** The optional destructive steps, by the plan's op name. */
export type Tick = 'prune-containers' | 'prune-images';

export const TICKS: readonly { id: Tick; label: string; detail: string }[] = [
  { id: 'prune-containers', label: 'Also remove stopped containers (docker container prune -f)', detail: 'Destructive: every stopped container and its writable layer is deleted.' },
  { id: 'prune-images', label: 'Also remove dangling images (docker image prune -f)', detail: 'Destructive: untagged images no container uses are deleted.' },
];

/**
 * The questions the command asks. Production always uses `vscodeUi` (a real
 * modal); tests replace it through `dmLens._test.autoConfirm`, which exists
 * only outside production.
 */
export interface ReclaimUi {
  /** The ticked boxes ([] = none), or undefined when dismissed. */
  pickTicks(host: string, offered: readonly Tick[]): Promise<Tick[] | undefined>;
  /** True only when the confirming button was chosen. */
  confirm(message: string, detail: string, button: string): Promise<boolean>;
  /** A non-modal notice. */
  info(message: string): void;
}

export const vscodeUi: ReclaimUi = {
  async pickTicks(host, offered) {
    const items = TICKS.filter((t) => offered.includes(t.id)).map((t) => ({ label: t.label, detail: t.detail, picked: false, id: t.id }));
    const picked = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      title: `Devicemapper: Reclaim Space on ${printable(host)}`,
      placeHolder: 'Docker runs devicemapper here. Tick only what may be deleted; OK with nothing ticked trims only.',
      ignoreFocusOut: true,
    });
    return picked?.map((p) => p.id);
  },
  async confirm(message, detail, button) {
    const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, button);
    return choice === button;
  },
  info(message) {
    void vscode.window.showInformationMessage(message);
  },
};

export interface ReclaimDeps {
  log: vscode.LogOutputChannel;
  store: InspectionStore;
  panels: ReclaimPanels;
  /** globalStorageUri: reports go to `<it>/reclaim/`. */
  storage: vscode.Uri;
  /** The questions; `vscodeUi` unless a test hook replaced it. */
  ui: () => ReclaimUi;
}

export interface ReclaimResult {
  plan: ReclaimPlan;
  run?: ReclaimRun;
  /** The saved JSON report (after a run). */
  reportUri?: vscode.Uri;
}

/** Hosts with a reclaim in flight: one at a time per host. */
const running = new Set<string>();

/** The host and pools a command was given: a host string, a tree node (host or pool), or `{host, pools}`. Undefined pools = every pool. */
export function targetOf(arg: unknown): { host: string; pools?: string[] } | undefined {
  const host = hostOf(arg);
  if (host === undefined) return undefined;
  if (typeof arg === 'string') return { host };
  const o = arg as { kind?: unknown; pool?: unknown; pools?: unknown };
  if (Array.isArray(o.pools)) return o.pools.every((p) => typeof p === 'string') ? { host, pools: [...new Set(o.pools)] } : undefined;
  if (o.pools !== undefined) return undefined;
  if (typeof o.pool === 'string') return { host, pools: [o.pool] };
  return { host };
}

function firstLine(s: string): string {
  return printable(s.split('\n').find((l) => l.trim() !== '') ?? '').slice(0, 300);
}

function logStep(log: vscode.LogOutputChannel, host: string, r: StepResult, i: number, n: number, phase: 'start' | 'end'): void {
  const what = `[${r.step.kind}] ${printable(shownCommand(r.step.argv))}${r.step.pool ? ` (pool ${printable(r.step.pool)})` : ''}`;
  const head = `reclaim ${printable(host)}: step ${i + 1}/${n}`;
  if (phase === 'start') {
    log.info(`${head} start: ${what}`);
    return;
  }
  const tail = [`exit ${r.exitCode ?? '-'}`, `${(r.durationMs / 1000).toFixed(1)} s`].join(', ');
  const line = `${head} ${r.status}: ${what} — ${tail}${r.output ? `: ${firstLine(r.output)}` : ''}`;
  if (r.status === 'ok') log.info(line);
  else if (r.status === 'failed') log.error(line);
  else log.warn(line);
}

async function saveReport(deps: ReclaimDeps, json: ReclaimReportJson, isoTime: string): Promise<vscode.Uri | undefined> {
  const dir = vscode.Uri.joinPath(deps.storage, 'reclaim');
  const uri = vscode.Uri.joinPath(dir, reportFileName(json.host, isoTime));
  try {
    await vscode.workspace.fs.createDirectory(dir);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(JSON.stringify(json, null, 2) + '\n'));
    deps.log.info(`reclaim ${printable(json.host)}: report saved to ${uri.fsPath}`);
    return uri;
  } catch (e) {
    deps.log.error(`reclaim ${printable(json.host)}: the report could not be saved: ${e instanceof Error ? printable(e.message) : String(e)}`);
    return undefined;
  }
}

/** The audit: a fresh inspection through the store (so the view and report page update too). */
async function audit(deps: ReclaimDeps, host: string, token: vscode.CancellationToken | undefined): Promise<HostReport | undefined> {
  let inspection;
  try {
    inspection = await withCancellableProgress(`Devicemapper: auditing ${printable(host)} before reclaiming`, token, (signal) => deps.store.inspect(host, signal));
  } catch (e) {
    void vscode.window.showErrorMessage(`Devicemapper: auditing ${printable(host)} failed: ${e instanceof Error ? printable(e.message) : String(e)}`);
    return undefined;
  }
  if (!inspection) {
    deps.log.info(`reclaim ${printable(host)}: cancelled during the audit; nothing ran`);
    return undefined;
  }
  if (!inspection.report.reachable) {
    deps.log.warn(`reclaim ${printable(host)}: refused: the audit did not reach the host`);
    void vscode.window.showErrorMessage(`Devicemapper: cannot reclaim: ${printable(inspection.report.error ?? `${host} could not be inspected`)}`);
    return undefined;
  }
  return inspection.report;
}

export async function reclaimCommand(deps: ReclaimDeps, arg?: unknown, rawOptions?: unknown): Promise<ReclaimResult | undefined> {
  if (refuseUntrusted(deps.log, 'Reclaim Space')) return undefined;
  const options = optionsOf(rawOptions);
  let target = arg === undefined ? undefined : targetOf(arg);
  if (arg !== undefined && target === undefined) {
    deps.log.warn('reclaim: refused: the command was given something that is not a host or pool');
    return undefined;
  }
  if (!target) {
    const picked = await pickHost(deps.store.recent());
    if (picked === undefined) return undefined;
    target = { host: picked };
  }
  const host = target.host;
  const problem = checkHost(host) ?? remoteConfig().problems[0];
  if (problem) {
    deps.log.warn(`reclaim: refused: ${problem}`);
    void vscode.window.showErrorMessage(`Devicemapper: ${problem}.`);
    return undefined;
  }
  if (running.has(host) || deps.store.busyHosts().has(host)) {
    void vscode.window.showInformationMessage(`Devicemapper: ${printable(host)} is busy (an inspection or a reclaim is running); try again when it ends.`);
    return undefined;
  }
  running.add(host);
  try {
    return await reclaimOnHost(deps, host, target.pools, options.token);
  } finally {
    running.delete(host);
  }
}

async function reclaimOnHost(deps: ReclaimDeps, host: string, pools: string[] | undefined, token: vscode.CancellationToken | undefined): Promise<ReclaimResult | undefined> {
  const { log } = deps;
  const name = printable(host);
  log.info(`reclaim ${name}: audit${pools ? ` of pool(s) ${pools.map(printable).join(', ')}` : ' of every pool'}`);
  const report = await audit(deps, host, token);
  if (!report) return undefined;
  const unknown = (pools ?? []).filter((p) => !report.pools.some((q) => q.name === p));
  if (unknown.length > 0) {
    log.warn(`reclaim ${name}: refused: no such pool: ${unknown.map(printable).join(', ')}`);
    void vscode.window.showErrorMessage(`Devicemapper: no such pool on ${name}: ${unknown.map(printable).join(', ')}.`);
    return undefined;
  }
  const ui = deps.ui();
  const scope = pools ? { pools } : {};
  let plan = buildReclaimPlan(report, scope);
  const offered = pruneOffered(report, plan) ? TICKS.map((t) => t.id) : [];
  if (plan.empty && offered.length === 0) return emptyPlan(deps, ui, plan);
  if (offered.length > 0) {
    const ticks = await ui.pickTicks(host, offered);
    if (ticks === undefined) {
      log.info(`reclaim ${name}: dismissed at the Docker options; nothing ran`);
      return { plan };
    }
    plan = buildReclaimPlan(report, { ...scope, pruneContainers: ticks.includes('prune-containers'), pruneImages: ticks.includes('prune-images') });
    if (plan.empty) return emptyPlan(deps, ui, plan);
  }
  const config = remoteConfig();
  const question = confirmationText(plan, { useSudo: config.ssh.useSudo === true });
  if (!(await ui.confirm(question.message, question.detail, question.button))) {
    log.info(`reclaim ${name}: declined at the confirmation; nothing ran`);
    return { plan };
  }
  // Trust cannot be granted and revoked within one extension host, but the gate is cheap.
  if (refuseUntrusted(log, 'Reclaim Space')) return { plan };
  const kinds = (k: string) => plan.steps.filter((s) => s.kind === k).length;
  log.info(`reclaim ${name}: confirmed: ${plan.steps.length} step(s) (${kinds('read-only')} read-only, ${kinds('mutating')} mutating, ${kinds('destructive')} destructive)${config.ssh.useSudo ? ' through sudo -n' : ''}`);

  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  let run: ReclaimRun | undefined;
  try {
    run = await withCancellableProgress(`Devicemapper: reclaiming space on ${name}`, token, async (signal, progress) => {
      const result = await runReclaim(host, plan, {
        ssh: config.ssh,
        thresholds: usageThresholds(),
        signal,
        onStep: (r, i, n, phase) => {
          logStep(log, host, r, i, n, phase);
          if (phase === 'start') progress.report({ message: `step ${i + 1}/${n}: ${printable(shownCommand(r.step.argv))}` });
          else progress.report({ increment: 100 / n });
        },
      });
      // Steps that never started (after a failure or Cancel) are in the trail too.
      result.steps.forEach((r, i) => {
        if (r.status === 'skipped' || (r.status === 'cancelled' && r.durationMs === 0)) log.warn(`reclaim ${name}: step ${i + 1}/${result.steps.length} ${r.status}: [${r.step.kind}] ${printable(shownCommand(r.step.argv))}`);
      });
      if (result.afterInspection) {
        // The run's own "after" measurement is a full inspection: the view shows the host as it is now.
        deps.store.adopt(result.afterInspection);
      } else if (!signal.aborted) {
        progress.report({ message: 'refreshing the Thin Pools view' });
        await deps.store.inspect(host, signal).catch((e: unknown) => log.warn(`reclaim ${name}: the refresh after the run failed: ${e instanceof Error ? printable(e.message) : String(e)}`));
      }
      return result;
    });
  } catch (e) {
    log.error(`reclaim ${name}: failed: ${e instanceof Error ? printable(e.message) : String(e)}`);
    void vscode.window.showErrorMessage(`Devicemapper: reclaim on ${name} failed: ${e instanceof Error ? printable(e.message) : String(e)}`);
    return { plan };
  }
  if (!run) return { plan };
  const json = reclaimReportJson(plan, run, { audit: report, startedAt, durationMs: Date.now() - started, privilege: config.ssh.useSudo ? 'sudo' : 'direct' });
  log.info(`reclaim ${name}: ${run.stopped ? `stopped: ${printable(run.stopped)}` : 'done'}`);
  for (const p of json.pools.filter((x) => x.before && x.after)) {
    log.info(`reclaim ${name}: pool ${printable(p.name)}: ${p.reclaimedPoolBytes ?? '?'} bytes to the pool, ${p.reclaimedHostBytes ?? 'n/a'} bytes to the host`);
  }
  const reportUri = await saveReport(deps, json, startedAt);
  deps.panels.show(json, reportUri);
  const summary = resultSummary(json);
  const actions = [...(reportUri ? ['Open report JSON'] : []), 'Show Output'];
  const shown = run.stopped ? vscode.window.showWarningMessage(summary, ...actions) : vscode.window.showInformationMessage(summary, ...actions);
  void shown.then((choice) => {
    if (choice === 'Open report JSON' && reportUri) return vscode.window.showTextDocument(reportUri, { preview: false });
    if (choice === 'Show Output') return vscode.commands.executeCommand('dmLens.showOutput');
    return undefined;
  });
  return { plan, run, ...(reportUri ? { reportUri } : {}) };
}

function emptyPlan(deps: ReclaimDeps, ui: ReclaimUi, plan: ReclaimPlan): ReclaimResult {
  const message = emptyPlanMessage(plan);
  deps.log.info(`reclaim ${printable(plan.host)}: ${message.replace(/^Devicemapper: /, '')}`);
  ui.info(message);
  return { plan };
}
