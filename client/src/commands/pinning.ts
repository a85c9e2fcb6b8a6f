/**
 * "Pin to Status Bar" / "Unpin" on a host of the Thin Pools view: edits the
 * user's `dmLens.pinnedHosts` (and, when trusted, the workspace's copy on
 * unpin, so an unpinned host really goes).
 */
import * as vscode from 'vscode';
import { pinnedHosts } from '../remote/config.js';
import { hostOf } from './common.js';

function listOf(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export async function pinHostCommand(arg: unknown): Promise<string[]> {
  const host = hostOf(arg);
  const config = vscode.workspace.getConfiguration('dmLens');
  const global = listOf(config.inspect('pinnedHosts')?.globalValue);
  if (host && !global.includes(host)) await config.update('pinnedHosts', [...global, host], vscode.ConfigurationTarget.Global);
  return pinnedHosts();
}

export async function unpinHostCommand(arg: unknown): Promise<string[]> {
  const host = hostOf(arg);
  if (!host) return pinnedHosts();
  const config = vscode.workspace.getConfiguration('dmLens');
  const i = config.inspect('pinnedHosts');
  const global = listOf(i?.globalValue);
  if (global.includes(host)) await config.update('pinnedHosts', global.filter((h) => h !== host), vscode.ConfigurationTarget.Global);
  const workspace = listOf(i?.workspaceValue);
  if (vscode.workspace.isTrusted && workspace.includes(host)) await config.update('pinnedHosts', workspace.filter((h) => h !== host), vscode.ConfigurationTarget.Workspace);
  return pinnedHosts();
}
