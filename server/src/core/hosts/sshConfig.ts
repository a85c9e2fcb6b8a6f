/**
 * Host aliases from an OpenSSH client configuration (`~/.ssh/config`), read the
 * way ssh_config(5) and OpenSSH's readconf.c read it, so the host picker offers
 * exactly the names `ssh <alias>` accepts.
 *
 * * Keywords are case-insensitive; `Keyword value`, `Keyword=value` and
 *   `Keyword = value` are the same. Arguments split like OpenSSH's
 *   `argv_split`: "…" and '…' group (quotes removed), `\"`, `\'`, `\\` and
 *   `\ ` escape, a `#` at the start of an argument ends the line.
 * * A `Host` line may list several patterns. Patterns with `*`/`?`, negations
 *   (`!x`) and anything starting with `-` are not offered: the first two are not
 *   host names, and `-x` would be read by ssh as an option.
 * * `Match` ends the current `Host` block: its settings belong to no alias.
 * * `HostName`, `User` and `Port` in a `Host` block apply to each alias of the
 *   block; the first value obtained wins, as in ssh, also across several
 *   blocks naming the same alias. Wildcard blocks and `Match` are not
 *   evaluated, so these are the alias's own settings; `ssh -G <alias>` gives the
 *   effective ones.
 * * `Include` arguments are returned unresolved, in order: the caller (which
 *   may read files) resolves them relative to `~/.ssh`, expands globs and
 *   parses the included files itself.
 *
 * Line numbers are 0-based, like every position in the core. Lines longer than
 * 16 KiB are ignored. Never throws.
 */
import { splitLines } from '../text/lines.js';

export interface SshHostAlias {
  alias: string;
  hostName?: string;
  user?: string;
  port?: number;
  /** 0-based line of the first `Host` line naming the alias. */
  line: number;
}

export interface SshConfigHosts {
  aliases: SshHostAlias[];
  /** `Include` arguments, unresolved (may be globs, `~/…` or relative to ~/.ssh). */
  includes: string[];
}

/** Longer lines are ignored (no tokenising of pasted binaries or minified blobs). */
export const MAX_SSH_CONFIG_LINE = 16 * 1024;

const WHITESPACE = /[ \t]/;

/**
 * Why a host name, alias or user must not be handed to ssh on a command line,
 * or undefined when it is safe: a leading `-` would be taken as an option,
 * whitespace or control characters would split or corrupt the argument.
 */
export function hostTokenProblem(text: string): string | undefined {
  if (text.length === 0) return 'is empty';
  if (text.startsWith('-')) return 'starts with "-" (ssh would read it as an option)';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/u.test(text)) return 'contains whitespace or control characters';
  return undefined;
}

/** Splits the arguments after a keyword like OpenSSH's argv_split; undefined on an unterminated quote. */
function splitArgs(s: string, from: number): string[] | undefined {
  const out: string[] = [];
  let i = from;
  const n = s.length;
  while (i < n) {
    while (i < n && WHITESPACE.test(s[i]!)) i++;
    if (i >= n || s[i] === '#') break;
    let arg = '';
    let quote = '';
    for (; i < n; i++) {
      const c = s[i]!;
      if (c === '\\') {
        const next = s[i + 1];
        // Only quotes, backslashes and (outside quotes) spaces are escapable; other backslashes stay.
        if (next === '"' || next === "'" || next === '\\' || (quote === '' && next === ' ')) {
          arg += next;
          i++;
        } else {
          arg += c;
        }
      } else if (quote === '' && (c === ' ' || c === '\t')) {
        break;
      } else if (quote === '' && (c === '"' || c === "'")) {
        quote = c;
      } else if (quote !== '' && c === quote) {
        quote = '';
      } else {
        arg += c;
      }
    }
    if (quote !== '') return undefined;
    out.push(arg);
  }
  return out;
}

/** The keyword and where its arguments start: `Host a`, `Host=a`, `Host = a`. */
function splitKeyword(line: string): { keyword: string; rest: number } | undefined {
  let i = 0;
  const n = line.length;
  while (i < n && WHITESPACE.test(line[i]!)) i++;
  if (i >= n || line[i] === '#') return undefined;
  const start = i;
  while (i < n && !WHITESPACE.test(line[i]!) && line[i] !== '=') i++;
  const keyword = line.slice(start, i).toLowerCase();
  while (i < n && WHITESPACE.test(line[i]!)) i++;
  if (line[i] === '=') i++;
  return keyword ? { keyword, rest: i } : undefined;
}

/** Longer aliases are not offered (a host name has at most 253 characters). */
const MAX_ALIAS = 1024;

function isOfferable(pattern: string): boolean {
  return pattern.length <= MAX_ALIAS && !/[*?]/.test(pattern) && !pattern.startsWith('!') && hostTokenProblem(pattern) === undefined;
}

/**
 * ssh's `*`/`?` pattern match, with the usual single back-track point: linear
 * in practice, O(pattern × text) at worst — no regular expression, so no
 * catastrophic backtracking on hostile patterns.
 */
function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Negations of one Host line: literals in a set, at most 64 wildcard ones (a hostile line cannot cost more). */
function negations(args: readonly string[]): (alias: string) => boolean {
  const literal = new Set<string>();
  const globs: string[] = [];
  for (const a of args) {
    if (!a.startsWith('!') || a.length < 2) continue;
    const p = a.slice(1);
    if (!/[*?]/.test(p)) literal.add(p);
    else if (globs.length < 64 && !globs.includes(p)) globs.push(p);
  }
  return (alias) => literal.has(alias) || globs.some((g) => globMatch(g, alias));
}

function parsePort(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

export function parseSshConfigHosts(text: string): SshConfigHosts {
  const aliases: SshHostAlias[] = [];
  const includes: string[] = [];
  if (typeof text !== 'string') return { aliases, includes };
  const byName = new Map<string, SshHostAlias>();
  // The aliases of the current Host block; empty at top level and after Match.
  let block = new Set<SshHostAlias>();
  const lines = splitLines(text.startsWith('\ufeff') ? text.slice(1) : text);
  for (let ln = 0; ln < lines.length; ln++) {
    const line = lines[ln]!;
    if (line.length > MAX_SSH_CONFIG_LINE) continue;
    const kw = splitKeyword(line);
    if (!kw) continue;
    const args = splitArgs(line, kw.rest);
    if (kw.keyword === 'host' || kw.keyword === 'match') {
      // ssh refuses a file with bad quotes; here the block just ends, so no setting lands on the wrong alias.
      block = new Set();
      if (kw.keyword === 'match' || !args) continue;
      // `Host web !web` never applies to web: a negated match rejects the whole block.
      const negated = negations(args);
      for (const pattern of args) {
        if (!isOfferable(pattern) || negated(pattern)) continue;
        let entry = byName.get(pattern);
        if (!entry) {
          entry = { alias: pattern, line: ln };
          byName.set(pattern, entry);
          aliases.push(entry);
        }
        block.add(entry);
      }
      continue;
    }
    if (!args || args.length === 0) continue;
    const value = args[0]!;
    switch (kw.keyword) {
      case 'include':
        includes.push(...args.filter((a) => a.length > 0));
        break;
      case 'hostname':
        if (value) for (const a of block) a.hostName ??= value;
        break;
      case 'user':
        if (value) for (const a of block) a.user ??= value;
        break;
      case 'port': {
        const port = parsePort(value);
        if (port !== undefined) for (const a of block) a.port ??= port;
        break;
      }
    }
  }
  return { aliases, includes };
}
