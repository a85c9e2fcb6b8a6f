/**
 * Where the host picker's names come from: the ssh config (the user's own or
 * `dmLens.ssh.configFile`, `Include`s followed), `dmLens.hosts`, the recently
 * inspected hosts and the Ansible inventory of `dmLens.inventory`. Files are
 * read through vscode.workspace.fs; the parsing is the core's.
 */
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { parseAnsibleInventory, parseSshConfigHosts, type SshHostAlias } from '../../../server/src/core/index.js';
import { configuredHosts, expandHome, inventoryPath, setting } from './config.js';

export type HostSource = 'recent' | 'configured' | 'ssh-config' | 'inventory';

export interface HostEntry {
  /** What ssh is given. */
  host: string;
  source: HostSource;
  /** Where it points (`user@name:port`, inventory groups). */
  detail?: string;
}

/** Includes are followed this deep; at most this many files are read. */
const MAX_INCLUDE_DEPTH = 5;
const MAX_CONFIG_FILES = 64;
const MAX_FILE_BYTES = 1024 * 1024;

async function readText(path: string): Promise<string | undefined> {
  try {
    const uri = vscode.Uri.file(path);
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory || stat.size > MAX_FILE_BYTES) return undefined;
    return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** ssh's `*`/`?` matching for one path component. */
function componentMatches(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  // Like glob(3): a leading dot is matched only by a leading dot.
  return re.test(name) && (!name.startsWith('.') || pattern.startsWith('.'));
}

/** Expands `*` and `?` in any path component; literal components are taken as they are. Sorted, as glob(3). */
async function expandGlob(path: string, limit: number): Promise<string[]> {
  if (!/[*?]/.test(path)) return [path];
  const parts = path.split('/');
  let prefixes = [parts[0] === '' ? '' : parts[0]!];
  for (const part of parts.slice(1)) {
    const next: string[] = [];
    for (const prefix of prefixes) {
      if (!/[*?]/.test(part)) {
        next.push(`${prefix}/${part}`);
        continue;
      }
      try {
        const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.file(prefix === '' ? '/' : prefix));
        for (const [name] of entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) if (componentMatches(part, name)) next.push(`${prefix}/${name}`);
      } catch {
        // A missing directory matches nothing, as in ssh.
      }
    }
    prefixes = next.slice(0, limit);
  }
  return prefixes;
}

/** An `Include` argument as ssh resolves it for a user configuration: `~/`, absolute, or relative to ~/.ssh. */
export function includePath(arg: string): string {
  const expanded = expandHome(arg);
  return expanded.startsWith('/') ? expanded : `${homedir()}/.ssh/${expanded}`;
}

/** Host aliases of the ssh config, `Include`s followed (depth ≤ 5, relative to ~/.ssh, `*` globs). */
export async function sshConfigAliases(configFile?: string): Promise<SshHostAlias[]> {
  const start = configFile ? expandHome(configFile) : `${homedir()}/.ssh/config`;
  const seen = new Set<string>();
  const aliases: SshHostAlias[] = [];
  const names = new Set<string>();
  const visit = async (path: string, depth: number): Promise<void> => {
    if (depth > MAX_INCLUDE_DEPTH || seen.has(path) || seen.size >= MAX_CONFIG_FILES) return;
    seen.add(path);
    const text = await readText(path);
    if (text === undefined) return;
    const parsed = parseSshConfigHosts(text);
    for (const a of parsed.aliases) {
      if (names.has(a.alias)) continue;
      names.add(a.alias);
      aliases.push(a);
    }
    // Includes are read where they appear in ssh; for listing names, after the file is fine (first alias wins).
    for (const inc of parsed.includes) {
      for (const file of await expandGlob(includePath(inc), MAX_CONFIG_FILES)) await visit(file, depth + 1);
    }
  };
  await visit(start, 0);
  return aliases;
}

/** The inventory's hosts, as ssh is given them (the same mapping as `dmlens inspect --inventory`). */
export async function inventoryHosts(): Promise<HostEntry[]> {
  const raw = inventoryPath();
  if (!raw) return [];
  let path = expandHome(raw);
  if (!path.startsWith('/')) {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder || folder.uri.scheme !== 'file') return [];
    path = vscode.Uri.joinPath(folder.uri, path).fsPath;
  }
  const text = await readText(path);
  if (text === undefined) return [];
  return parseAnsibleInventory(text).hosts.map((h) => {
    const target = h.hostName ?? h.name;
    const host = h.user ? `${h.user}@${target}` : target;
    const where = [host !== h.name ? h.name : '', h.groups.length > 0 ? `groups: ${h.groups.slice(0, 4).join(', ')}` : '', h.port ? `port ${h.port}: set it in your ssh config` : ''];
    return { host, source: 'inventory' as const, detail: where.filter(Boolean).join(' · ') };
  });
}

/** Every host the picker offers, first source first, each host once: recent, dmLens.hosts, ssh config, inventory. */
export async function allHostEntries(recent: readonly string[]): Promise<HostEntry[]> {
  const configFile = setting<unknown>('ssh.configFile', '');
  const [aliases, inventory] = await Promise.all([sshConfigAliases(typeof configFile === 'string' && configFile.trim() ? configFile.trim() : undefined), inventoryHosts()]);
  const entries: HostEntry[] = [
    ...recent.map((host) => ({ host, source: 'recent' as const })),
    ...configuredHosts().map((host) => ({ host, source: 'configured' as const })),
    ...aliases.map((a) => ({
      host: a.alias,
      source: 'ssh-config' as const,
      detail: `${a.user ? `${a.user}@` : ''}${a.hostName ?? a.alias}${a.port ? `:${a.port}` : ''}`,
    })),
    ...inventory,
  ];
  const seen = new Set<string>();
  return entries.filter((e) => !seen.has(e.host) && seen.add(e.host));
}
