/**
 * Hosts from a static Ansible inventory file, INI or YAML, read the way
 * Ansible's `ini` and `yaml` inventory plugins read them, reduced to what an
 * SSH connection needs: the inventory name, `ansible_host`, `ansible_user`,
 * `ansible_port` (the pre-2.0 `ansible_ssh_*` names when those are absent)
 * and the groups.
 *
 * * INI: `[group]`, `[group:vars]`, `[group:children]`; lines before any section
 *   are `ungrouped`; whole-line comments start with `#` or `;`. Host lines are
 *   split like Python's shlex (Ansible uses it): quotes group, `#` starts a
 *   comment. `name[:port] key=value …`.
 * * YAML: `<group>: {hosts: {<name>: <vars or nothing>}, children: {…}, vars: {…}}`
 *   at any depth, any top-level group name; anchors and merge keys resolve.
 * * Host patterns: `web[01:03].example.com`, `db-[a:c]`, `[beg:end:step]`,
 *   `host:2222`, `[2001:db8::1]:22`. One pattern expands to at most 1000 hosts.
 * * Groups: a host is listed once, with every group it is in, its direct groups
 *   first, each followed by its ancestors; `all` is implied and not listed, a
 *   host in no other group is in `ungrouped` (Ansible's reconciliation).
 * * Variables: host vars override group vars; group vars apply by depth, then
 *   name (Ansible's order), `all` first.
 * * A host name that starts with `-` or contains whitespace or control
 *   characters is dropped, and so is such an `ansible_host`/`ansible_user`
 *   value: either would reach an ssh command line.
 *
 * Ansible stops at the first error; this reader records a problem and goes on,
 * except for malformed YAML, which gives no hosts. Line numbers are 0-based.
 * Never throws.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, visit, type Document, type Node as YamlNode, type Scalar } from 'yaml';
import { splitLines } from '../text/lines.js';
import { hostTokenProblem } from './sshConfig.js';

export interface InventoryHost {
  /** The inventory name (`inventory_hostname`). */
  name: string;
  /** `ansible_host`: the address to connect to, when it differs from the name. */
  hostName?: string;
  /** `ansible_user`. */
  user?: string;
  /** `ansible_port`, or the `:port` of the host pattern. */
  port?: number;
  /** Every group the host is in (ancestors included), without `all`. */
  groups: string[];
  /** 0-based line where the host first appears. */
  line: number;
}

export interface InventoryProblem {
  /** 0-based line. */
  line: number;
  message: string;
}

export interface AnsibleInventory {
  hosts: InventoryHost[];
  problems: InventoryProblem[];
}

export type InventoryFormat = 'ini' | 'yaml';

/** One host pattern (`web[1:5000]`) expands to at most this many hosts. */
export const MAX_RANGE_HOSTS = 1000;
/** Hosts and groups beyond these are ignored, with a problem: a listing, not a data store. */
export const MAX_INVENTORY_HOSTS = 10_000;
export const MAX_INVENTORY_GROUPS = 1000;
/** Longer INI lines are ignored, as in the ssh config reader. */
export const MAX_INVENTORY_LINE = 16 * 1024;
/** Problems beyond this are dropped (a binary file would give one per line). */
const MAX_PROBLEMS = 200;
/** YAML entries visited: aliases can multiply a small file (billion laughs). */
const MAX_YAML_ENTRIES = 200_000;
const MAX_YAML_DEPTH = 64;

// ─── format ─────────────────────────────────────────────────────────────────

/**
 * YAML when the first line that is not blank or a comment starts a document
 * (`---`, `%YAML`), a flow mapping, or is a mapping key (`all:`, `web: {…}`,
 * `"x": …`); INI otherwise. `host:2222` is INI: a YAML key needs a space or the
 * line end after its colon.
 */
export function detectInventoryFormat(text: string): InventoryFormat {
  if (typeof text !== 'string') return 'ini';
  for (const raw of splitLines(text.startsWith('\ufeff') ? text.slice(1) : text)) {
    if (raw.length > MAX_INVENTORY_LINE) continue;
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('---') || line.startsWith('%YAML') || line.startsWith('{')) return 'yaml';
    return /^(?:[^\s#;[\]'"=:][^\s=:]*|"[^"]*"|'[^']*')\s*:(?:\s|$)/.test(line) ? 'yaml' : 'ini';
  }
  return 'ini';
}

// ─── the model both formats fill ────────────────────────────────────────────

type ConnField = 'hostName' | 'user' | 'port';

/** Connection variables and the field they feed; the plain names win over the `ansible_ssh_*` ones. */
const CONN_VARS: ReadonlyMap<string, ConnField> = new Map([
  ['ansible_host', 'hostName'],
  ['ansible_ssh_host', 'hostName'],
  ['ansible_user', 'user'],
  ['ansible_ssh_user', 'user'],
  ['ansible_port', 'port'],
  ['ansible_ssh_port', 'port'],
]);
const PREFERRED: Record<ConnField, readonly [string, string]> = {
  hostName: ['ansible_host', 'ansible_ssh_host'],
  user: ['ansible_user', 'ansible_ssh_user'],
  port: ['ansible_port', 'ansible_ssh_port'],
};

/** A raw variable value: what YAML or INI gave, or a vault-encrypted marker. */
type RawValue = string | number | boolean | null | undefined | { vault: true } | { other: string };
/** Connection variables; null is an explicit "no value" that still overrides a group's. */
type VarMap = Map<string, string | number | null>;

interface HostRecord {
  name: string;
  line: number;
  direct: string[];
  vars: VarMap;
}

interface GroupRecord {
  /** Parent group → 0-based line of the declaration. */
  parents: Map<string, number>;
  vars: VarMap;
}

function clip(s: string, max = 80): string {
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}

function parsePort(raw: string | number): number | undefined {
  const n = typeof raw === 'number' ? raw : /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : undefined;
}

class Inventory {
  readonly hosts = new Map<string, HostRecord>();
  readonly groups = new Map<string, GroupRecord>([['all', { parents: new Map(), vars: new Map() }]]);
  readonly problems: InventoryProblem[] = [];
  private hostCapHit = false;
  private groupCapHit = false;

  problem(line: number, message: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ line, message });
  }

  /** The group, created on first use; undefined past the group cap. */
  group(name: string, line: number): GroupRecord | undefined {
    let g = this.groups.get(name);
    if (!g) {
      if (this.groups.size >= MAX_INVENTORY_GROUPS + 1) {
        if (!this.groupCapHit) this.problem(line, `More than ${MAX_INVENTORY_GROUPS} groups: group ${clip(name)} and later ones are ignored.`);
        this.groupCapHit = true;
        return undefined;
      }
      g = { parents: new Map(), vars: new Map() };
      this.groups.set(name, g);
    }
    return g;
  }

  addChild(parent: string, child: string, line: number): void {
    if (parent === child) {
      this.problem(line, `Group ${clip(child)} cannot be its own child.`);
      return;
    }
    const p = this.group(parent, line);
    const c = this.group(child, line);
    if (p && c && !c.parents.has(parent)) c.parents.set(parent, line);
  }

  /** Adds (or finds) a host and puts it in `group`; reports and skips unsafe names. */
  addHost(name: string, group: string | undefined, line: number): HostRecord | undefined {
    let h = this.hosts.get(name);
    if (!h) {
      const why = hostTokenProblem(name);
      if (why) {
        this.problem(line, `Host ${clip(name)} ${why}; dropped.`);
        return undefined;
      }
      if (name.includes('=')) {
        this.problem(line, `Host ${clip(name)} looks like a variable assignment (is a [group:vars] header missing?); dropped.`);
        return undefined;
      }
      if (this.hosts.size >= MAX_INVENTORY_HOSTS) {
        if (!this.hostCapHit) this.problem(line, `More than ${MAX_INVENTORY_HOSTS} hosts: ${clip(name)} and later ones are ignored.`);
        this.hostCapHit = true;
        return undefined;
      }
      h = { name, line, direct: [], vars: new Map() };
      this.hosts.set(name, h);
    }
    if (group !== undefined && group !== 'all' && this.group(group, line) && !h.direct.includes(group)) h.direct.push(group);
    return h;
  }

  /** Records a connection variable after checking it; other variables are not kept. */
  setVar(vars: VarMap, key: string, raw: RawValue, line: number): void {
    const field = CONN_VARS.get(key);
    if (!field) return;
    if (raw === null || raw === undefined) {
      vars.set(key, null);
      return;
    }
    if (typeof raw === 'object') {
      this.problem(line, 'vault' in raw ? `${key} is vault-encrypted; it is not decrypted here and was ignored.` : `${key} must be a plain value, not ${raw.other}; ignored.`);
      return;
    }
    if (field === 'port') {
      const port = typeof raw === 'boolean' ? undefined : parsePort(raw);
      if (port === undefined) this.problem(line, `${key} ${clip(String(raw))} is not a port number (1–65535); ignored.`);
      else vars.set(key, port);
      return;
    }
    const text = String(raw);
    const why = hostTokenProblem(text);
    if (why) this.problem(line, `${key} ${clip(text)} ${why}; ignored.`);
    else vars.set(key, text);
  }

  /** Drops `child → parent` edges that close a loop (Ansible refuses them), one pass, linear. */
  private breakCycles(): void {
    const state = new Map<string, 1 | 2>();
    for (const start of this.groups.keys()) {
      if (state.has(start)) continue;
      // Iterative DFS over parent edges: 1 = on the path, 2 = done.
      const stack: { name: string; parents: [string, number][]; next: number }[] = [];
      const push = (name: string): void => {
        state.set(name, 1);
        stack.push({ name, parents: [...(this.groups.get(name)?.parents ?? [])], next: 0 });
      };
      push(start);
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        if (top.next >= top.parents.length) {
          state.set(top.name, 2);
          stack.pop();
          continue;
        }
        const [parent, line] = top.parents[top.next++]!;
        const s = state.get(parent);
        if (s === 1) {
          this.groups.get(top.name)?.parents.delete(parent);
          this.problem(line, `Adding group ${clip(top.name)} as child to ${clip(parent)} creates a recursive dependency loop; ignored.`);
        } else if (s === undefined && this.groups.has(parent)) {
          push(parent);
        }
      }
    }
  }

  result(): InventoryHost[] {
    this.breakCycles();
    const depth = new Map<string, number>([['all', 0]]);
    const depthOf = (g: string): number => {
      const known = depth.get(g);
      if (known !== undefined) return known;
      let d = 1;
      for (const p of this.groups.get(g)?.parents.keys() ?? []) d = Math.max(d, depthOf(p) + 1);
      depth.set(g, d);
      return d;
    };
    const closures = new Map<string, string[]>();
    const closureOf = (g: string): string[] => {
      const known = closures.get(g);
      if (known) return known;
      const seen = new Set([g]);
      for (const p of this.groups.get(g)?.parents.keys() ?? []) for (const a of closureOf(p)) seen.add(a);
      const out = [...seen];
      closures.set(g, out);
      return out;
    };
    const byPrecedence = (a: string, b: string): number => depthOf(a) - depthOf(b) || (a < b ? -1 : a > b ? 1 : 0);

    const out: InventoryHost[] = [];
    for (const h of this.hosts.values()) {
      const all = new Set<string>();
      for (const d of h.direct) for (const g of closureOf(d)) all.add(g);
      all.delete('all');
      const groups = all.size > 0 ? [...all] : ['ungrouped'];
      const merged: VarMap = new Map();
      const withVars = ['all', ...groups].filter((g) => (this.groups.get(g)?.vars.size ?? 0) > 0);
      for (const g of withVars.sort(byPrecedence)) for (const [k, v] of this.groups.get(g)!.vars) merged.set(k, v);
      for (const [k, v] of h.vars) merged.set(k, v);
      const pick = (field: ConnField): string | number | null | undefined => merged.get(PREFERRED[field][0]) ?? merged.get(PREFERRED[field][1]);
      const host: InventoryHost = { name: h.name, groups, line: h.line };
      const hostName = pick('hostName');
      const user = pick('user');
      const port = pick('port');
      if (typeof hostName === 'string') host.hostName = hostName;
      if (typeof user === 'string') host.user = user;
      if (typeof port === 'number') host.port = port;
      out.push(host);
    }
    return out;
  }
}

// ─── host patterns ──────────────────────────────────────────────────────────

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** An IPv6 address as Ansible's parse_address would accept it, roughly: `::` or eight groups. */
function looksIpv6(s: string): boolean {
  return /^[0-9A-Fa-f:.]+$/.test(s) && (s.includes('::') || s.split(':').length === 8);
}

/** `name:port` → name and port; `[v6]:port`; bare IPv6 has no port. Colons inside `[…]` are ranges. */
function splitPort(pattern: string): { name: string; port?: string } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(pattern);
  if (v6 && looksIpv6(v6[1]!)) return { name: v6[1]!, ...(v6[2] !== undefined ? { port: v6[2] } : {}) };
  if (looksIpv6(pattern)) return { name: pattern };
  const m = /^(.*):(\d+)$/.exec(pattern);
  if (!m) return { name: pattern };
  let depth = 0;
  for (const c of m[1]!) {
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    // Another colon outside brackets: not host:port (Ansible then keeps the pattern whole).
    else if (c === ':' && depth === 0) return { name: pattern };
  }
  return { name: m[1]!, port: m[2]! };
}

/**
 * Expands `[beg:end]` / `[beg:end:step]` ranges like Ansible's
 * expand_hostname_range: numbers (a leading zero fixes the width, and both
 * bounds must then have it) or single letters; several ranges multiply. Stops
 * at MAX_RANGE_HOSTS.
 */
function expandRanges(pattern: string): { names: string[]; error?: string; truncated?: true } {
  const names: string[] = [];
  let error: string | undefined;
  let truncated = false;
  const expand = (p: string): void => {
    if (error || truncated) return;
    const open = p.indexOf('[');
    if (open < 0) {
      if (names.length >= MAX_RANGE_HOSTS) truncated = true;
      else names.push(p);
      return;
    }
    const close = p.indexOf(']', open);
    if (close < 0) {
      error = 'has "[" without "]"';
      return;
    }
    const head = p.slice(0, open);
    const tail = p.slice(close + 1);
    const bounds = p.slice(open + 1, close).split(':');
    if (bounds.length !== 2 && bounds.length !== 3) {
      error = 'host range must be begin:end or begin:end:step';
      return;
    }
    const beg = bounds[0] || '0';
    const end = bounds[1]!;
    const stepText = bounds[2] ?? '1';
    if (!end) {
      error = 'host range must specify end value';
      return;
    }
    const width = beg.length > 1 && beg.startsWith('0') ? beg.length : 0;
    if (width && width !== end.length) {
      error = 'host range must specify equal-length begin and end formats';
      return;
    }
    if (!/^\d{1,9}$/.test(stepText) || Number(stepText) < 1) {
      error = 'host range step must be a positive integer';
      return;
    }
    const step = Number(stepText);
    if (/^[A-Za-z]$/.test(beg) && /^[A-Za-z]$/.test(end)) {
      const from = LETTERS.indexOf(beg);
      const to = LETTERS.indexOf(end);
      if (from > to) {
        error = 'host range must have begin <= end';
        return;
      }
      for (let i = from; i <= to && !error && !truncated; i += step) expand(head + LETTERS[i]! + tail);
    } else if (/^\d{1,15}$/.test(beg) && /^\d{1,15}$/.test(end)) {
      for (let i = Number(beg); i <= Number(end) && !error && !truncated; i += step) expand(head + String(i).padStart(width, '0') + tail);
    } else {
      error = 'host range bounds must be numbers or single letters';
    }
  };
  expand(pattern);
  return { names, ...(error !== undefined ? { error } : {}), ...(truncated ? { truncated: true as const } : {}) };
}

/** Expands one host pattern and adds its hosts to `group`; returns them with the pattern's port. */
function addHostPattern(inv: Inventory, pattern: string, group: string | undefined, line: number): HostRecord[] {
  const { name, port } = splitPort(pattern);
  let names = [name];
  if (name.includes('[')) {
    const r = expandRanges(name);
    if (r.error) {
      inv.problem(line, `Host pattern ${clip(pattern)}: ${r.error}; skipped.`);
      return [];
    }
    if (r.truncated) inv.problem(line, `Host pattern ${clip(pattern)} expands to more than ${MAX_RANGE_HOSTS} hosts; only the first ${MAX_RANGE_HOSTS} are used.`);
    if (r.names.length === 0) inv.problem(line, `Host pattern ${clip(pattern)} expands to no host (begin > end).`);
    names = r.names;
  }
  const hosts: HostRecord[] = [];
  for (const n of names) {
    const h = inv.addHost(n, group, line);
    if (!h) continue;
    if (port !== undefined) inv.setVar(h.vars, 'ansible_port', port, line);
    hosts.push(h);
  }
  return hosts;
}

// ─── INI ────────────────────────────────────────────────────────────────────

/**
 * Python's shlex.split(line, comments=True) in POSIX mode: whitespace splits,
 * '…' is literal, "…" honours `\"` and `\\`, a backslash outside quotes
 * escapes any character, `#` outside quotes ends the line. Undefined when a
 * quote is not closed (shlex raises "No closing quotation").
 */
function shlexSplit(line: string): string[] | undefined {
  const out: string[] = [];
  let token = '';
  let inToken = false;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = '';
      else token += c;
    } else if (quote === '"') {
      if (c === '"') quote = '';
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) token += line[++i];
      else token += c;
    } else if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (inToken) out.push(token);
      token = '';
      inToken = false;
    } else if (c === '#') {
      break;
    } else if (c === "'" || c === '"') {
      quote = c;
      inToken = true;
    } else if (c === '\\') {
      if (i + 1 < line.length) token += line[++i];
      inToken = true;
    } else {
      token += c;
      inToken = true;
    }
  }
  if (quote) return undefined;
  if (inToken) out.push(token);
  return out;
}

/** A `[group:vars]` value as Ansible's literal_eval leaves it: surrounding quotes removed. */
function iniValue(v: string): string {
  const m = /^(["'])(.*)\1$/s.exec(v);
  return m ? m[2]!.replace(/\\(.)/gs, '$1') : v;
}

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:[#;].*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:[#;].*)?$/;

function parseIni(text: string, inv: Inventory): void {
  let group = 'ungrouped';
  let state: 'hosts' | 'vars' | 'children' | 'skip' = 'hosts';
  const lines = splitLines(text);
  for (let ln = 0; ln < lines.length; ln++) {
    const raw = lines[ln]!;
    if (raw.length > MAX_INVENTORY_LINE) {
      inv.problem(ln, `Line longer than ${MAX_INVENTORY_LINE / 1024} KiB ignored.`);
      continue;
    }
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const section = SECTION.exec(line);
    if (section) {
      group = section[1]!;
      const kind = section[2];
      inv.group(group, ln);
      if (kind === undefined) state = 'hosts';
      else if (kind === 'vars' || kind === 'children') state = kind;
      else {
        inv.problem(ln, `Section [${group}:${kind}] has unknown type: ${kind}; its lines are ignored.`);
        state = 'skip';
      }
      continue;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      inv.problem(ln, `Invalid section entry ${clip(line)} (a group name has no spaces or colons); its lines are ignored.`);
      state = 'skip';
      continue;
    }
    if (state === 'skip') continue;
    if (state === 'children') {
      const m = GROUP_NAME.exec(line);
      if (m) inv.addChild(group, m[1]!, ln);
      else inv.problem(ln, `Expected a group name, got: ${clip(line)}.`);
      continue;
    }
    if (state === 'vars') {
      const eq = line.indexOf('=');
      if (eq < 0) inv.problem(ln, `Expected key=value, got: ${clip(line)}.`);
      else {
        const g = inv.group(group, ln);
        if (g) inv.setVar(g.vars, line.slice(0, eq).trim(), iniValue(line.slice(eq + 1).trim()), ln);
      }
      continue;
    }
    const tokens = shlexSplit(line);
    if (!tokens) {
      inv.problem(ln, 'No closing quotation; line skipped.');
      continue;
    }
    if (tokens.length === 0) continue;
    const hosts = addHostPattern(inv, tokens[0]!, group, ln);
    for (const t of tokens.slice(1)) {
      const eq = t.indexOf('=');
      if (eq <= 0) {
        inv.problem(ln, `Expected key=value host variable assignment, got: ${clip(t)}.`);
        continue;
      }
      const key = t.slice(0, eq);
      const value = iniValue(t.slice(eq + 1));
      for (const h of hosts) inv.setVar(h.vars, key, value, ln);
    }
  }
}

// ─── YAML ───────────────────────────────────────────────────────────────────

interface YamlWalk {
  /** Alias → the node it names. */
  aliases: Map<unknown, unknown>;
  lines: LineCounter;
  inv: Inventory;
  /** Entries left before the walk stops (alias bombs). */
  budget: number;
  budgetHit: boolean;
  /** Group name → mappings already read for it: an alias read again under the same name adds nothing. */
  seen: Map<string, Set<unknown>>;
}

interface Entry {
  key: string;
  value: unknown;
  line: number;
}

function lineOf(w: YamlWalk, node: unknown, fallback: number): number {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as YamlNode).range;
    if (range) return Math.max(0, w.lines.linePos(range[0]).line - 1);
  }
  return fallback;
}

function deref(w: YamlWalk, node: unknown): unknown {
  return isAlias(node) ? w.aliases.get(node) : node;
}

/**
 * Every alias's target in one pass (the last anchor of that name before it,
 * as YAML says). The library's own Alias.resolve walks the whole document on
 * each call: quadratic in an inventory full of aliases.
 */
function aliasTargets(doc: Document): Map<unknown, unknown> {
  const anchors = new Map<string, unknown>();
  const targets = new Map<unknown, unknown>();
  const anchor = (_key: unknown, node: { anchor?: string }): void => {
    if (node.anchor) anchors.set(node.anchor, node);
  };
  visit(doc, { Map: anchor, Seq: anchor, Scalar: anchor, Alias: (_key, alias) => void targets.set(alias, anchors.get(alias.source)) });
  return targets;
}

function kindOf(node: unknown): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return node.value === null ? 'nothing' : typeof node.value === 'string' ? 'a string' : `a ${typeof node.value}`;
  return 'nothing';
}

/** A mapping's entries with merge keys applied (explicit keys win) and duplicate keys resolved (the last wins). */
function entries(w: YamlWalk, node: unknown, fallbackLine: number): Entry[] {
  const out = new Map<string, Entry>();
  // Earlier merge sources win over later ones; explicit keys win over all.
  const merged = new Map<string, Entry>();
  const map = deref(w, node);
  if (!isMap(map)) return [];
  for (const pair of map.items) {
    if (--w.budget < 0) {
      if (!w.budgetHit) w.inv.problem(fallbackLine, 'The inventory expands to too many entries (aliases?); the rest is ignored.');
      w.budgetHit = true;
      break;
    }
    const line = lineOf(w, pair.key, fallbackLine);
    const key = deref(w, pair.key);
    if (isScalar(key) && (key.value === '<<' || typeof key.value === 'symbol')) {
      const src = deref(w, pair.value);
      for (const m of isSeq(src) ? src.items : [src]) for (const e of entries(w, m, line)) if (!merged.has(e.key)) merged.set(e.key, e);
      continue;
    }
    const kv: unknown = isScalar(key) ? scalarValue(key) : undefined;
    if (typeof kv !== 'string' && typeof kv !== 'number' && typeof kv !== 'boolean') {
      w.inv.problem(line, `A key that is ${kindOf(key)} is not supported here; skipped.`);
      continue;
    }
    const name = String(kv);
    const prev = out.get(name);
    // Like a Python dict: a repeated key keeps its first position and takes the last value.
    if (prev) prev.value = pair.value;
    out.set(name, prev ?? { key: name, value: pair.value, line });
  }
  for (const e of merged.values()) if (!out.has(e.key)) out.set(e.key, e);
  return [...out.values()];
}

/**
 * PyYAML's YAML 1.1 implicit types (bool, int, float, null), which Ansible reads with. The yaml
 * package's 1.1 schema resolves more plain scalars: `y`/`n` as booleans, `e0`/`1e3` as floats
 * (NaN, 1000), `08` as 8; PyYAML, and so Ansible, keeps those as text (a host `e0` came out as
 * "NaN"). A plain scalar the yaml package typed that PyYAML would not is read as its source text.
 */
const PYYAML_TYPED = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+|~|null|Null|NULL|)$/;

function scalarValue(s: Scalar): unknown {
  const v = s.value;
  if (v === null || typeof v === 'string' || s.type !== 'PLAIN' || s.tag !== undefined || typeof s.source !== 'string') return v;
  return PYYAML_TYPED.test(s.source) ? v : s.source;
}

function rawValue(w: YamlWalk, node: unknown): RawValue {
  const v = deref(w, node);
  if (v === null || v === undefined) return null;
  if (isScalar(v)) {
    if (v.tag === '!vault') return { vault: true };
    const value = scalarValue(v);
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    return { other: `a ${typeof value}` };
  }
  return { other: kindOf(v) };
}

function setVars(w: YamlWalk, vars: VarMap, node: unknown, line: number): void {
  for (const e of entries(w, node, line)) w.inv.setVar(vars, e.key, rawValue(w, e.value), e.line);
}

/** `hosts:`/`children:` given as one string (`hosts: web1`) mean a mapping with that key, as in Ansible. */
function sectionEntries(w: YamlWalk, group: string, section: string, node: unknown, line: number): Entry[] | undefined {
  const v = deref(w, node);
  if (isScalar(v) && typeof v.value === 'string') return [{ key: v.value, value: null, line: lineOf(w, v, line) }];
  if (v === null || v === undefined || (isScalar(v) && v.value === null)) return [];
  if (!isMap(v)) {
    w.inv.problem(line, `Invalid "${section}" entry for ${clip(group)} group, requires a mapping, found ${kindOf(v)} instead; skipped.`);
    return undefined;
  }
  return entries(w, v, line);
}

/** Reads one group; false when the value is not a group definition. */
function parseGroup(w: YamlWalk, name: string, node: unknown, line: number, depth: number): boolean {
  const data = deref(w, node);
  const empty = data === null || data === undefined || (isScalar(data) && data.value === null);
  if (!empty && !isMap(data)) {
    w.inv.problem(line, `Skipping ${clip(name)}: a group is a mapping (hosts, children, vars) or nothing, not ${kindOf(data)}.`);
    return false;
  }
  const group = w.inv.group(name, line);
  if (!group || empty) return group !== undefined;
  const seen = w.seen.get(name) ?? new Set<unknown>();
  if (seen.has(data)) return true;
  seen.add(data);
  w.seen.set(name, seen);
  if (depth > MAX_YAML_DEPTH) {
    w.inv.problem(line, `Groups nested deeper than ${MAX_YAML_DEPTH} levels (a recursive alias?); ${clip(name)} is not read further.`);
    return true;
  }
  for (const e of entries(w, data, line)) {
    if (e.key === 'hosts') {
      for (const h of sectionEntries(w, name, 'hosts', e.value, e.line) ?? []) {
        const hostVars = deref(w, h.value);
        const records = addHostPattern(w.inv, h.key, name, h.line);
        if (isMap(hostVars)) for (const r of records) setVars(w, r.vars, hostVars, h.line);
        else if (!(hostVars === null || hostVars === undefined || (isScalar(hostVars) && hostVars.value === null)))
          w.inv.problem(h.line, `Host ${clip(h.key)}: its variables must be a mapping, not ${kindOf(hostVars)}; ignored.`);
      }
    } else if (e.key === 'children') {
      for (const c of sectionEntries(w, name, 'children', e.value, e.line) ?? []) {
        if (parseGroup(w, c.key, c.value, c.line, depth + 1)) w.inv.addChild(name, c.key, c.line);
      }
    } else if (e.key === 'vars') {
      const v = deref(w, e.value);
      if (isMap(v)) setVars(w, group.vars, v, e.line);
      else if (!(v === null || v === undefined || (isScalar(v) && v.value === null)))
        w.inv.problem(e.line, `Invalid "vars" entry for ${clip(name)} group, requires a mapping, found ${kindOf(v)} instead; skipped.`);
    } else {
      w.inv.problem(e.line, `Skipping unexpected key ${clip(e.key)} in group ${clip(name)}: only "vars", "children" and "hosts" are valid.`);
    }
  }
  return true;
}

/** False when the YAML itself is malformed. */
function parseYaml(text: string, inv: Inventory): boolean {
  // LineCounter counts LF only; editors also end lines at a lone CR.
  const src = text.replace(/\r\n?/g, '\n');
  const lines = new LineCounter();
  // YAML 1.1 with merge keys: what PyYAML, and so Ansible, reads.
  const doc = parseDocument(src, { lineCounter: lines, prettyErrors: false, version: '1.1', merge: true, uniqueKeys: false, logLevel: 'silent' });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) inv.problem(Math.max(0, lines.linePos(e.pos[0]).line - 1), `YAML: ${e.message}`);
    return false;
  }
  const w: YamlWalk = { aliases: aliasTargets(doc), lines, inv, budget: MAX_YAML_ENTRIES, budgetHit: false, seen: new Map() };
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return true;
  if (!isMap(root)) {
    inv.problem(lineOf(w, root, 0), `A YAML inventory is a mapping of groups (all:, web:, …), not ${kindOf(root)}.`);
    return true;
  }
  const top = entries(w, root, 0);
  const plugin = top.find((e) => e.key === 'plugin');
  if (plugin) {
    inv.problem(plugin.line, 'This is an inventory plugin configuration (plugin: …), not a static inventory; its hosts come from the plugin.');
    return true;
  }
  for (const e of top) parseGroup(w, e.key, e.value, e.line, 0);
  return true;
}

// ─── entry point ────────────────────────────────────────────────────────────

export function parseAnsibleInventory(text: string, format?: InventoryFormat): AnsibleInventory {
  const inv = new Inventory();
  if (typeof text !== 'string') return { hosts: [], problems: [] };
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  const fmt = format === 'ini' || format === 'yaml' ? format : detectInventoryFormat(body);
  if (fmt === 'yaml') {
    // Malformed YAML gives no hosts at all, not a partial list.
    if (!parseYaml(body, inv)) return { hosts: [], problems: inv.problems };
  } else {
    parseIni(body, inv);
  }
  const hosts = inv.result();
  return { hosts, problems: inv.problems };
}
