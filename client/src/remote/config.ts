/**
 * The remote-inspection settings, read with workspace trust in mind: the
 * settings that decide what runs and where (package.json
 * `restrictedConfigurations`) take only the user's or the default value in an
 * untrusted workspace. VS Code does this itself for restricted settings; it is
 * done here explicitly as well, so a workspace can never pick the ssh binary,
 * its config, its options or the hosts.
 */
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { checkSshOption, type SshSettings } from '../../../server/src/remote/ssh.js';
import type { UsageThresholds } from '../report/renderReport.js';

/** The settings listed in capabilities.untrustedWorkspaces.restrictedConfigurations (without the `dmLens.` prefix). */
export const RESTRICTED = ['hosts', 'inventory', 'ssh.path', 'ssh.configFile', 'ssh.options', 'ssh.useSudo', 'pinnedHosts'] as const;

/** A `dmLens.<key>` value: the effective one when trusted; the user's (global) or the default when not. */
export function setting<T>(key: string, fallback: T): T {
  const config = vscode.workspace.getConfiguration('dmLens');
  if (vscode.workspace.isTrusted || !(RESTRICTED as readonly string[]).includes(key)) return config.get<T>(key, fallback);
  const i = config.inspect<T>(key);
  return i?.globalValue ?? i?.defaultValue ?? fallback;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter((x) => x.length > 0) : [];
}

function num(v: unknown, fallback: number, min: number, max: number): number {
  return typeof v === 'number' && Number.isFinite(v) ? Math.max(min, Math.min(max, v)) : fallback;
}

/** `~` and `~/x` to the home directory (the settings are paths on this machine). */
export function expandHome(path: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return `${homedir()}${path.slice(1)}`;
  return path;
}

export const configuredHosts = (): string[] => [...new Set(strings(setting<unknown>('hosts', [])))];
export const pinnedHosts = (): string[] => [...new Set(strings(setting<unknown>('pinnedHosts', [])))];
export const inventoryPath = (): string => {
  const v = setting<unknown>('inventory', '');
  return typeof v === 'string' ? v.trim() : '';
};

export interface RemoteConfig {
  ssh: SshSettings;
  concurrency: number;
  /** Seconds between background refreshes; 0 = off, otherwise at least 60. */
  refreshIntervalSeconds: number;
  /** Problems that forbid a run (an ssh option that is not allowed). */
  problems: string[];
}

export function remoteConfig(): RemoteConfig {
  const config = vscode.workspace.getConfiguration('dmLens');
  const problems: string[] = [];
  const options = strings(setting<unknown>('ssh.options', []));
  for (const o of options) {
    const p = checkSshOption(o);
    if (p) problems.push(`dmLens.ssh.options: ${p}`);
  }
  const sshPath = setting<unknown>('ssh.path', 'ssh');
  const configFile = setting<unknown>('ssh.configFile', '');
  const ssh: SshSettings = {
    sshPath: typeof sshPath === 'string' && sshPath.trim() ? expandHome(sshPath.trim()) : 'ssh',
    options,
    useSudo: setting<unknown>('ssh.useSudo', false) === true,
    connectTimeoutSeconds: num(config.get('ssh.connectTimeout'), 10, 1, 300),
    timeoutMs: num(config.get('inspect.timeout'), 120, 5, 3600) * 1000,
  };
  if (typeof configFile === 'string' && configFile.trim()) ssh.configFile = expandHome(configFile.trim());
  const interval = num(config.get('inspect.refreshInterval'), 0, 0, 86_400);
  return {
    ssh,
    concurrency: Math.round(num(config.get('inspect.concurrency'), 4, 1, 32)),
    refreshIntervalSeconds: interval <= 0 ? 0 : Math.max(60, interval),
    problems,
  };
}

/** The usage thresholds (percent) of `dmLens.thresholds.*`, for the report, the tree and the status bar. */
export function usageThresholds(): UsageThresholds {
  const c = vscode.workspace.getConfiguration('dmLens.thresholds');
  const pct = (key: string, fallback: number) => num(c.get(key), fallback, 0, 100);
  const t = { dataWarning: pct('dataWarning', 80), dataError: pct('dataError', 95), metadataWarning: pct('metadataWarning', 80), metadataError: pct('metadataError', 95) };
  if (t.dataError < t.dataWarning) t.dataError = t.dataWarning;
  if (t.metadataError < t.metadataWarning) t.metadataError = t.metadataWarning;
  return t;
}
