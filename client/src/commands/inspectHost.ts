/**
 * "Devicemapper: Inspect Host…" (dmLens.inspectHost) and its relatives on a
 * tree item: Refresh (dmLens.refreshHost) and Show Report (dmLens.showReport).
 * The command resolves to the HostReport (undefined when refused or
 * cancelled), so tests and other commands can use it.
 */
import * as vscode from 'vscode';
import type { HostReport } from '../../../server/src/core/index.js';
import { checkHost, printable } from '../../../server/src/remote/ssh.js';
import { remoteConfig } from '../remote/config.js';
import type { InspectionStore } from '../remote/inspections.js';
import type { ReportPanels } from '../report/panels.js';
import { pickHost } from './hostPicker.js';
import { hostOf, optionsOf, refuseUntrusted, withCancellableProgress, type CommandOptions } from './common.js';

export interface InspectHostDeps {
  log: vscode.LogOutputChannel;
  store: InspectionStore;
  panels: ReportPanels;
}

/** Checks the host and the settings; a problem is shown, logged and refuses the run. */
export function refusal(log: vscode.LogOutputChannel, host: string): string | undefined {
  const problem = checkHost(host) ?? remoteConfig().problems[0];
  if (problem) {
    log.warn(`inspect: refused: ${problem}`);
    void vscode.window.showErrorMessage(`Devicemapper: ${problem}.`);
  }
  return problem;
}

export async function inspectHostCommand(deps: InspectHostDeps, arg?: unknown, rawOptions?: unknown): Promise<HostReport | undefined> {
  if (refuseUntrusted(deps.log, 'Inspect Host')) return undefined;
  const options: CommandOptions = optionsOf(rawOptions);
  let host = hostOf(arg);
  if (arg !== undefined && host === undefined) {
    deps.log.warn('inspect: refused: the command was given something that is not a host');
    return undefined;
  }
  host ??= await pickHost(deps.store.recent());
  if (host === undefined || refusal(deps.log, host)) return undefined;
  const target = host;
  if (deps.store.busyHosts().has(target)) {
    void vscode.window.showInformationMessage(`Devicemapper: ${printable(target)} is being inspected; its report updates when that run ends.`);
    return undefined;
  }
  let inspection;
  try {
    inspection = await withCancellableProgress(`Devicemapper: inspecting ${printable(target)}`, options.token, (signal) => deps.store.inspect(target, signal));
  } catch (e) {
    void vscode.window.showErrorMessage(`Devicemapper: inspecting ${printable(target)} failed: ${e instanceof Error ? printable(e.message) : String(e)}`);
    return undefined;
  }
  if (!inspection) return undefined;
  const r = inspection.report;
  if (r.reachable) {
    if (options.reveal !== false) deps.panels.show(inspection);
  } else {
    void vscode.window.showErrorMessage(`Devicemapper: ${printable(r.error ?? `${target} could not be inspected`)}`, 'Retry', 'Show Output').then((choice) => {
      if (choice === 'Retry') return vscode.commands.executeCommand('dmLens.inspectHost', target);
      if (choice === 'Show Output') return vscode.commands.executeCommand('dmLens.showOutput');
      return undefined;
    });
  }
  return r;
}

/** Opens the report of the host's last inspection; inspects it first when it never was. */
export async function showReportCommand(deps: InspectHostDeps, arg?: unknown): Promise<HostReport | undefined> {
  const host = hostOf(arg);
  if (host === undefined) return undefined;
  const inspection = deps.store.get(host);
  if (inspection) {
    deps.panels.show(inspection);
    return inspection.report;
  }
  return inspectHostCommand(deps, host);
}
