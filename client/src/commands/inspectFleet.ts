/**
 * "Devicemapper: Inspect Fleet…" (dmLens.inspectFleet): every host of
 * dmLens.hosts, the inventory and the pinned hosts (or the hosts it is given),
 * inspected with dmLens.inspect.concurrency under one cancellable progress
 * ("k/n"), shown in the fleet page worst first. Also "Inspect Pinned Hosts"
 * (the status-bar click) and "Refresh All" (the view's title bar: every host
 * of the view, results in the view, no page).
 */
import * as vscode from 'vscode';
import { unreachableReport, type HostReport } from '../../../server/src/core/index.js';
import { checkHost, printable } from '../../../server/src/remote/ssh.js';
import { configuredHosts, pinnedHosts, remoteConfig } from '../remote/config.js';
import { inventoryHosts } from '../remote/hostSources.js';
import type { InspectionStore } from '../remote/inspections.js';
import type { FleetPanel } from '../report/panels.js';
import { optionsOf, refuseUntrusted, withCancellableProgress } from './common.js';

export interface InspectFleetDeps {
  log: vscode.LogOutputChannel;
  store: InspectionStore;
  fleet: FleetPanel;
}

/** The fleet by default: dmLens.hosts, then the inventory, then the pinned hosts; each once. */
export async function defaultFleet(): Promise<string[]> {
  const inventory = (await inventoryHosts()).map((e) => e.host);
  return [...new Set([...configuredHosts(), ...inventory, ...pinnedHosts()])];
}

/** Hosts from a command argument: a list of strings (anything else is not a fleet). */
function hostsArg(arg: unknown): string[] | undefined {
  if (typeof arg === 'string') return [arg];
  if (Array.isArray(arg) && arg.every((h) => typeof h === 'string')) return [...new Set(arg)];
  return undefined;
}

export interface FleetRunOptions {
  title: string;
  /** Show the fleet page with the results. */
  page: boolean;
}

/** Inspects `hosts`; refused names become unreachable reports without any ssh. Undefined when cancelled or refused. */
export async function runFleet(deps: InspectFleetDeps, hosts: readonly string[], token: vscode.CancellationToken | undefined, run: FleetRunOptions): Promise<HostReport[] | undefined> {
  const problem = remoteConfig().problems[0];
  if (problem) {
    deps.log.warn(`inspect fleet: refused: ${problem}`);
    void vscode.window.showErrorMessage(`Devicemapper: ${problem}.`);
    return undefined;
  }
  const refused = new Map<string, HostReport>();
  for (const h of hosts) {
    const why = checkHost(h);
    if (why) {
      deps.log.warn(`inspect fleet: refused host: ${why}`);
      refused.set(h, unreachableReport(h, 'invalid-host', why));
    }
  }
  const valid = hosts.filter((h) => !refused.has(h));
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  let inspections;
  try {
    inspections = await withCancellableProgress(run.title, token, (signal, progress) => {
      progress.report({ message: `0/${valid.length}` });
      return deps.store.fleet(valid, signal, (i, done, total) => progress.report({ message: `${done}/${total} · ${printable(i.report.host)} ${i.report.reachable ? 'done' : 'unreachable'}`, increment: 100 / total }));
    });
  } catch (e) {
    void vscode.window.showErrorMessage(`Devicemapper: the fleet inspection failed: ${e instanceof Error ? printable(e.message) : String(e)}`);
    return undefined;
  }
  if (!inspections) return undefined;
  const byHost = new Map(inspections.map((i) => [i.report.host, i.report]));
  const reports = hosts.map((h) => refused.get(h) ?? byHost.get(h)).filter((r): r is HostReport => r !== undefined);
  if (run.page) deps.fleet.show(reports, { startedAt, durationMs: Date.now() - started });
  return reports;
}

export async function inspectFleetCommand(deps: InspectFleetDeps, arg?: unknown, rawOptions?: unknown): Promise<HostReport[] | undefined> {
  if (refuseUntrusted(deps.log, 'Inspect Fleet')) return undefined;
  const given = arg === undefined ? undefined : hostsArg(arg);
  if (arg !== undefined && given === undefined) {
    deps.log.warn('inspect fleet: refused: the command was given something that is not a list of hosts');
    return undefined;
  }
  const hosts = given ?? (await defaultFleet());
  if (hosts.length === 0) {
    void vscode.window
      .showInformationMessage('Devicemapper: no hosts to inspect. Add them to dmLens.hosts or dmLens.inventory, or pin hosts in the Thin Pools view.', 'Open Settings')
      .then((c) => (c ? vscode.commands.executeCommand('workbench.action.openSettings', 'dmLens.hosts') : undefined));
    return [];
  }
  return runFleet(deps, hosts, optionsOf(rawOptions).token, { title: `Devicemapper: inspecting ${hosts.length} host${hosts.length === 1 ? '' : 's'}`, page: true });
}

/** The status-bar click: the pinned hosts as a fleet. */
export async function inspectPinnedCommand(deps: InspectFleetDeps, rawOptions?: unknown): Promise<HostReport[] | undefined> {
  if (refuseUntrusted(deps.log, 'Inspect Pinned Hosts')) return undefined;
  const pinned = pinnedHosts();
  if (pinned.length === 0) return [];
  return runFleet(deps, pinned, optionsOf(rawOptions).token, { title: `Devicemapper: inspecting ${pinned.length} pinned host${pinned.length === 1 ? '' : 's'}`, page: true });
}

/** The view's Refresh All: every host the view lists; the view and open pages update, no new page. */
export async function refreshAllCommand(deps: InspectFleetDeps, hosts: readonly string[], rawOptions?: unknown): Promise<HostReport[] | undefined> {
  if (refuseUntrusted(deps.log, 'Refresh All')) return undefined;
  if (hosts.length === 0) return [];
  return runFleet(deps, hosts, optionsOf(rawOptions).token, { title: `Devicemapper: refreshing ${hosts.length} host${hosts.length === 1 ? '' : 's'}`, page: false });
}
