/**
 * The transport: the system OpenSSH client through execa, so the user's
 * ~/.ssh/config (aliases, ProxyJump, IdentityFile, ControlMaster), agent and
 * known_hosts apply exactly as in their terminal (peers-and-users.md §5).
 * Arguments are an array — no local shell ever sees them — and the remote
 * command is a fixed `sh -s` with the script on stdin. Host-key checking is
 * never relaxed: BatchMode=yes makes an unknown or changed key a failure,
 * never a prompt. No vscode here: the CLI shares this layer.
 */

export interface SshSettings {
  /** The ssh binary (default `ssh` on PATH). */
  sshPath?: string;
  /** An ssh_config file (`-F`); default: the user's own. */
  configFile?: string;
  /** Extra `-o KEY=VALUE` options (validated: none may weaken host-key checking). */
  options?: readonly string[];
  /** `ConnectTimeout` in seconds (default 10). */
  connectTimeoutSeconds?: number;
  /** Run privileged steps through `sudo -n`. */
  useSudo?: boolean;
  /** Whole run, connection included (default 120 s). */
  timeoutMs?: number;
  /** Output cap (default 16 MiB): a hostile host cannot fill our memory. */
  maxOutputBytes?: number;
}

export type SshErrorKind =
  | 'invalid-host'
  | 'invalid-option'
  | 'ssh-missing'
  | 'host-key'
  | 'auth'
  | 'resolve'
  | 'refused'
  | 'timeout'
  | 'unreachable'
  | 'closed'
  | 'cancelled'
  | 'too-large'
  | 'remote-failed'
  | 'ssh';

export class SshError extends Error {
  constructor(
    readonly kind: SshErrorKind,
    message: string,
    readonly stderr = '',
  ) {
    super(message);
    this.name = 'SshError';
  }
}

export interface SshResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  durationMs: number;
}

const HOST_RE = /^(?:[A-Za-z0-9._%+-]{1,64}@)?(?:[A-Za-z0-9_](?:[A-Za-z0-9._-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\]|[0-9A-Fa-f:]{2,45})$/;

/**
 * A host as ssh(1) takes it: an alias, a name, `user@name`, an IPv4/IPv6
 * address. Anything starting with `-` would be read as an option; blanks,
 * quotes and shell characters have no business in a host name.
 */
export function checkHost(host: string): string | undefined {
  if (typeof host !== 'string' || host.length === 0) return 'a host name is required';
  if (host.startsWith('-')) return `"${printable(host)}" starts with "-": ssh would read it as an option`;
  if (!HOST_RE.test(host)) return `"${printable(host)}" is not a host name, ssh alias or user@host`;
  return undefined;
}

/** Options that would turn host-key checking off or allow prompts; refused whatever their source. */
const FORBIDDEN: [RegExp, string][] = [
  [/^stricthostkeychecking$/i, 'host-key checking stays as your ssh config sets it (never "no" or "accept-new" from dmlens)'],
  [/^userknownhostsfile$/i, 'known_hosts comes from your ssh config; point it there instead'],
  [/^globalknownhostsfile$/i, 'known_hosts comes from your ssh config; point it there instead'],
  [/^batchmode$/i, 'BatchMode is always yes: nothing may prompt'],
  [/^(permitlocalcommand|localcommand)$/i, 'local commands are not run by inspections'],
];

export function checkSshOption(option: string): string | undefined {
  const m = /^([A-Za-z][A-Za-z0-9]{1,40})=(.{0,1024})$/s.exec(option);
  if (!m || /[\0\n\r]/.test(m[2]!)) return `"${printable(option)}" is not KEY=VALUE`;
  for (const [re, why] of FORBIDDEN) if (re.test(m[1]!)) return `${m[1]} cannot be set here: ${why}`;
  return undefined;
}

/** The argument vector for ssh: options first, then `--`, the host and the fixed remote command. */
export function sshArgs(host: string, settings: SshSettings, remote: readonly string[]): string[] {
  const hostProblem = checkHost(host);
  if (hostProblem) throw new SshError('invalid-host', hostProblem);
  const args: string[] = [];
  if (settings.configFile) args.push('-F', settings.configFile);
  for (const o of settings.options ?? []) {
    const problem = checkSshOption(o);
    if (problem) throw new SshError('invalid-option', problem);
    args.push('-o', o);
  }
  const connect = Math.max(1, Math.min(300, Math.round(settings.connectTimeoutSeconds ?? 10)));
  // Command-line options win over the config file (ssh_config(5): first value obtained).
  args.push('-T', '-o', 'BatchMode=yes', '-o', `ConnectTimeout=${connect}`, '-o', 'ServerAliveInterval=15', '-o', 'ServerAliveCountMax=3');
  for (const word of remote) {
    // ssh joins these into one remote command line: only words no shell would split or expand
    // (our fixed words, a hex nonce, a mount point checked by checkMountPoint).
    if (!/^[\w.=@+:,/-]{1,1024}$/.test(word)) throw new SshError('invalid-option', `refusing remote word "${printable(word)}"`);
  }
  args.push('--', host, ...remote);
  return args;
}

/**
 * Runs `script` on `host` through `sh -s -- <args>`: one ssh process. Throws
 * SshError for transport failures; a non-zero exit of the script itself is
 * returned (the caller decides).
 */
export async function runRemoteScript(host: string, script: string, scriptArgs: readonly string[], settings: SshSettings, signal?: AbortSignal): Promise<SshResult> {
  const args = sshArgs(host, settings, ['sh', '-s', '--', ...scriptArgs]);
  if (signal?.aborted) throw new SshError('cancelled', 'cancelled');
  // execa is ESM-only: a dynamic import loads it from CommonJS too (tests run the sources that way); esbuild bundles it.
  const { execa } = await import('execa');
  const started = Date.now();
  const result = await execa(settings.sshPath || 'ssh', args, {
    input: script,
    reject: false,
    stripFinalNewline: false,
    timeout: settings.timeoutMs ?? 120_000,
    maxBuffer: settings.maxOutputBytes ?? 16 * 1024 * 1024,
    forceKillAfterDelay: 2_000,
    ...(signal ? { cancelSignal: signal } : {}),
    // ssh's own messages in English, whatever the user's locale, for classification.
    env: { LC_ALL: 'C' },
    extendEnv: true,
    windowsHide: true,
  });
  const durationMs = Date.now() - started;
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  if (result.isCanceled) throw new SshError('cancelled', `${host}: cancelled; ssh was stopped`, stderr);
  if (result.timedOut) throw new SshError('timeout', `${host}: no answer within ${Math.round((settings.timeoutMs ?? 120_000) / 1000)} s; ssh was stopped`, stderr);
  if (result.isMaxBuffer) throw new SshError('too-large', `${host}: the output exceeded ${Math.round((settings.maxOutputBytes ?? 16 * 1024 * 1024) / 1048576)} MiB; ssh was stopped`, stderr);
  const spawnCode = (result as { code?: string }).code;
  if (spawnCode === 'ENOENT') throw new SshError('ssh-missing', `ssh not found (${settings.sshPath || 'ssh'}): install OpenSSH or set dmLens.ssh.path`);
  if (result.exitCode === 255 || result.exitCode === undefined) throw classify(host, stderr, result.exitCode);
  return { stdout, stderr, exitCode: result.exitCode, durationMs };
}

const PATTERNS: [RegExp, SshErrorKind, (host: string) => string][] = [
  [/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed|No \S+ host key is known|host key for .* has changed/i, 'host-key', (h) => `${h}: host key verification failed. The key the host offered is not in your known_hosts (or differs from it). Check the key out of band, then add it (ssh-keyscan / ssh once by hand); dmlens never disables host-key checking.`],
  [/Permission denied \(|Too many authentication failures|no matching host key type|Authentication failed/i, 'auth', (h) => `${h}: authentication failed (no key accepted). Load your key into ssh-agent or set IdentityFile in your ssh config; passwords are never asked for.`],
  [/Could not resolve hostname|Name or service not known|nodename nor servname|Temporary failure in name resolution/i, 'resolve', (h) => `${h}: the host name does not resolve (not an ssh alias either).`],
  [/Connection refused/i, 'refused', (h) => `${h}: connection refused (no sshd listening on that port).`],
  [/Connection timed out|Operation timed out|timed out during banner exchange|Connection timeout/i, 'timeout', (h) => `${h}: the connection timed out.`],
  [/No route to host|Network is unreachable|Host is unreachable/i, 'unreachable', (h) => `${h}: no route to the host.`],
  [/Connection closed by|Connection reset by|kex_exchange_identification/i, 'closed', (h) => `${h}: the connection was closed by the remote side.`],
];

function classify(host: string, stderr: string, exitCode: number | undefined): SshError {
  for (const [re, kind, message] of PATTERNS) if (re.test(stderr)) return new SshError(kind, message(printable(host)), stderr);
  const last = stderr.trim().split('\n').pop() ?? '';
  return new SshError('ssh', `${printable(host)}: ssh failed (exit ${exitCode ?? 'unknown'})${last ? `: ${printableCapped(last, 300)}` : ''}`, stderr);
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const escapeControl = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** Control characters out, so hostile text cannot move a terminal's cursor or forge lines. */
export function printable(s: string): string {
  return s.replace(CONTROL, escapeControl);
}

/**
 * `printable`, at most `maxLength` characters: when cut, the last one is `…`
 * and no `\xNN` escape is split, so a 1 MB "name" cannot flood the screen.
 * (A function of its own, not an option of `printable`: that one is passed to
 * `map`, which would hand it an index.)
 */
export function printableCapped(s: string, maxLength: number): string {
  const max = Math.max(1, Math.floor(maxLength));
  // Escaping never shortens: the first max + 1 characters are enough to fill max.
  const out = printable(s.slice(0, max + 1));
  if (out.length <= max) return out;
  let cut = max - 1;
  const esc = out.lastIndexOf('\\x', cut - 1);
  if (esc >= 0 && esc + 4 > cut && /^\\x[0-9a-f]{2}$/.test(out.slice(esc, esc + 4))) cut = esc;
  const last = out.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--; // not half a surrogate pair
  return `${out.slice(0, cut)}…`;
}
