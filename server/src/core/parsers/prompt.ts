import type { CommandKind, PromptLine } from '../transcript/lineTypes.js';
import { shellWords } from '../text/shellWords.js';

/**
 * Shell prompts that open a command block: `# cmd`, `$ cmd`,
 * `[user@host dir]# cmd`, `user@host:~$ cmd`, `host# cmd`.
 * The sign must be followed by a space (or end the line) so that `#!` and
 * `$HOME` are not prompts.
 */
const PROMPT = /^(?:\[[^\]]{1,200}\]\s?[#$]|[\w.-]{1,64}@[\w.-]{1,253}(?::[^\s#$]{0,200})?\s?[#$]|[\w.-]{1,64}[#$]|[#$])(?: |$)/;

/** Returns the length of the prompt (including the space after the sign), or -1. */
export function promptLength(line: string): number {
  if (line.length === 0) return -1;
  const c = line.charCodeAt(0);
  // Fast reject: prompts start with '#', '$', '[' or a word character.
  if (c !== 35 && c !== 36 && c !== 91 && !isWordChar(c)) return -1;
  if (isWordChar(c)) {
    // Both word-led forms need a run of at most 64 [\w.-] characters, then '@', '#' or '$'
    // (a shorter run is followed by another such character, so only the whole run can match).
    let i = 1;
    while (i < line.length && i <= 64 && isNameChar(line.charCodeAt(i))) i++;
    if (i > 64) return -1;
    const d = line.charCodeAt(i);
    if (d !== 64 && d !== 35 && d !== 36) return -1;
  }
  const m = PROMPT.exec(line);
  if (!m) return -1;
  return m[0].length;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameChar(c: number): boolean {
  return isWordChar(c) || c === 46 || c === 45;
}

export function isPromptLine(line: string): boolean {
  const len = promptLength(line);
  return len >= 0 && looksLikeCommand(line.slice(len));
}

/**
 * `# ` in a transcript is a root prompt, but a word-prefixed `host# ` must be
 * followed by something command-like, or ordinary text like `Step# 1` would
 * open blocks. Bare `#`/`$` prompts accept any command.
 */
function looksLikeCommand(rest: string): boolean {
  return rest.length === 0 || /^[A-Za-z_./~]/.test(rest.trimStart());
}

const WRAPPERS = new Set(['sudo', 'env', 'command', 'exec', 'time', 'nice', 'ionice']);

/**
 * Prompt lines recur (`# dmsetup status` opens every other block), so their
 * parse is remembered by text. A PromptLine is never modified once made, so
 * segments with the same prompt text share one.
 *
 * The cache outlives documents, so it keys and parses its own copy of the line:
 * the line is a slice of its document's text, and V8 keeps a slice's whole
 * original string alive, so caching the slice (or the slices parsing makes of
 * it) kept a closed document's entire text in memory (issue 9).
 */
const PROMPTS = new Map<string, PromptLine | null>();
const MAX_PROMPTS = 512;

export function parsePrompt(line: string): PromptLine | undefined {
  const len = promptLength(line);
  if (len < 0) return undefined;
  const known = PROMPTS.get(line);
  if (known !== undefined) return known ?? undefined;
  const own = detached(line);
  const p = parsePromptAt(own, len);
  if (PROMPTS.size >= MAX_PROMPTS) PROMPTS.clear();
  PROMPTS.set(own, p ?? null);
  return p;
}

/**
 * A copy of `s` that shares no storage with it. `slice`, `+` and the like may
 * return a view onto `s` (and so onto the string `s` was cut from); a string
 * rebuilt from its character codes cannot.
 */
function detached(s: string): string {
  const parts: string[] = [];
  for (let i = 0; i < s.length; i += 4096) parts.push(String.fromCharCode(...toCodes(s, i, Math.min(s.length, i + 4096))));
  return parts.join('');
}

function toCodes(s: string, from: number, to: number): number[] {
  const codes: number[] = [];
  for (let i = from; i < to; i++) codes.push(s.charCodeAt(i));
  return codes;
}

function parsePromptAt(line: string, len: number): PromptLine | undefined {
  const rest = line.slice(len);
  if (!looksLikeCommand(rest)) return undefined;
  // Only the command itself, up to a pipe or redirection, decides what its output looks like.
  const ws = shellWords(line, len);
  let i = 0;
  while (i < ws.length) {
    const w = ws[i]!.text;
    if (WRAPPERS.has(w)) {
      i++;
      while (i < ws.length && ws[i]!.text.startsWith('-')) i++;
      continue;
    }
    if (/^[A-Za-z_]\w*=/.test(w)) {
      i++;
      continue;
    }
    break;
  }
  const argv = ws.slice(i).map((w) => w.text);
  const tokens: PromptLine['tokens'] = [];
  if (ws.length > 0) {
    tokens.push({ start: ws[0]!.start, end: ws[ws.length - 1]!.end, role: 'prompt.command', text: line.slice(ws[0]!.start, ws[ws.length - 1]!.end) });
  }
  const { command, deviceArg, fileArgs, flags } = classifyCommand(argv);
  return { kind: 'prompt', argv, command, deviceArg, fileArgs, flags, tokens };
}

/** Options of dmsetup that take a value, so their value is not a device name. */
const DMSETUP_VALUE_OPTIONS = new Set(['--target', '-o', '--options', '-O', '--sort', '--separator', '-j', '--major', '-m', '--minor', '-u', '--uuid', '--count', '--interval', '--nameprefixes']);

function classifyCommand(argv: string[]): Pick<PromptLine, 'command' | 'deviceArg' | 'fileArgs' | 'flags'> {
  const program = (argv[0] ?? '').replace(/^.*\//, '');
  const flags = new Set<string>();
  const operands: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      flags.add(a.split('=')[0]!);
      if (program === 'dmsetup' && DMSETUP_VALUE_OPTIONS.has(a) && !a.includes('=')) i++;
    } else if (a.startsWith('-') && a.length > 1) {
      for (const ch of a.slice(1)) flags.add('-' + ch);
      if (program === 'dmsetup' && DMSETUP_VALUE_OPTIONS.has(a)) i++;
      if (program === 'stat' && a === '-c') i++;
    } else {
      operands.push(a);
    }
  }
  const none = { deviceArg: undefined, fileArgs: [] as string[], flags };
  switch (program) {
    case 'dmsetup': {
      const sub = operands[0] ?? '';
      const devices = operands.slice(1);
      const deviceArg = devices.length === 1 ? devices[0] : undefined;
      const map: Record<string, CommandKind> = {
        status: 'dmsetup-status',
        table: 'dmsetup-table',
        ls: flags.has('--tree') ? 'dmsetup-ls-tree' : 'dmsetup-ls',
        info: flags.has('-c') || flags.has('--columns') ? 'dmsetup-info-columns' : 'dmsetup-info',
        deps: 'dmsetup-deps',
        version: 'dmsetup-version',
        targets: 'dmsetup-targets',
      };
      return { ...none, command: map[sub] ?? 'dmsetup-other', deviceArg };
    }
    case 'docker':
      return { ...none, command: operands[0] === 'info' || (operands[0] === 'system' && operands[1] === 'info') ? 'docker-info' : 'docker-other' };
    case 'ls':
    case 'du':
    case 'stat':
      return { ...none, command: program, fileArgs: operands };
    case 'losetup':
    case 'lsblk':
    case 'lvs':
      return { ...none, command: program };
    case 'dmesg':
    case 'journalctl':
      return { ...none, command: 'log' };
    default:
      return { ...none, command: 'other' };
  }
}
