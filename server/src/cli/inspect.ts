/**
 * `dmlens inspect`: one host or a fleet over the user's own OpenSSH set-up.
 * Exit codes (issue 7 scope 6): 0 all good, 1 an error-severity finding,
 * 3 a host could not be inspected (wins over 1: something was not checked),
 * 2 a usage error; 130 when interrupted.
 */
import { readFileSync } from 'node:fs';
import { fleetSummary, inspectJson, formatPercent, parseAnsibleInventory, type HostReport, type PoolReport } from '../core/index.js';
import { inspectFleet, type Inspection } from '../remote/inspect.js';
import { checkHost, printable, SshError, type SshSettings } from '../remote/ssh.js';
import { shownName, shownPath, shownText } from './shown.js';
import { sshFlag } from './sshFlags.js';
import { UsageError } from './usageError.js';

interface InspectArgs {
  json: boolean;
  transcript: boolean;
  concurrency: number;
  ssh: SshSettings;
  hosts: string[];
}

function parse(args: string[]): InspectArgs {
  const ssh: SshSettings & { options: string[] } = { options: [] };
  const out: InspectArgs = { json: false, transcript: false, concurrency: 4, ssh, hosts: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--json':
        out.json = true;
        break;
      case '--format': {
        const v = value();
        if (v !== 'json' && v !== 'text') throw new UsageError(`--format must be text or json, not "${v}"`);
        out.json = v === 'json';
        break;
      }
      case '--transcript':
        out.transcript = true;
        break;
      case '--concurrency': {
        const v = value();
        if (!/^\d{1,2}$/.test(v) || Number(v) < 1 || Number(v) > 32) throw new UsageError(`--concurrency needs a number from 1 to 32, not "${v}"`);
        out.concurrency = Number(v);
        break;
      }
      case '--inventory':
        out.hosts.push(...inventoryHosts(value()));
        break;
      case '--':
        out.hosts.push(...args.slice(i + 1));
        i = args.length;
        break;
      default:
        if (sshFlag(flag, value, ssh)) break;
        if (a.startsWith('-')) throw new UsageError(`unknown option ${printable(a)}`);
        out.hosts.push(a);
    }
  }
  if (out.hosts.length === 0) throw new UsageError('inspect needs at least one host (or --inventory FILE)');
  for (const h of out.hosts) {
    const problem = checkHost(h);
    if (problem) throw new UsageError(`refusing host: ${problem}`);
  }
  out.hosts = [...new Set(out.hosts)];
  return out;
}

function inventoryHosts(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read inventory ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const inv = parseAnsibleInventory(text);
  for (const p of inv.problems.slice(0, 5)) process.stderr.write(`dmlens: ${path}:${p.line}: ${p.message}\n`);
  // The inventory's name is what ssh is given: ansible_host/user/port belong in the ssh config.
  return inv.hosts.map((h) => (h.user ? `${h.user}@${h.hostName ?? h.name}` : (h.hostName ?? h.name)));
}

export async function inspectCommand(args: string[]): Promise<number> {
  const opts = parse(args);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let inspections: Inspection[];
  try {
    inspections = await inspectFleet(opts.hosts, {
      ssh: opts.ssh,
      concurrency: opts.concurrency,
      signal: controller.signal,
      onHost: (i, done, total) => {
        if (!opts.json && total > 1) process.stderr.write(`dmlens: ${done}/${total} ${printable(i.report.host)} ${i.report.reachable ? 'done' : 'unreachable'}\n`);
      },
    });
  } catch (e) {
    if (e instanceof SshError && e.kind === 'cancelled') {
      process.stderr.write('dmlens: cancelled; ssh was stopped\n');
      return 130;
    }
    if (e instanceof SshError) throw new UsageError(e.message);
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const reports = inspections.map((i) => i.report);
  if (opts.json) {
    process.stdout.write(JSON.stringify({ hosts: reports.map(inspectJson) }, null, 2) + '\n');
  } else if (opts.transcript) {
    // Escaped like everything else a host sends (no cap: the transcript is the record, line for line).
    for (const i of inspections) process.stdout.write(i.transcript !== undefined ? printable(i.transcript) : `# ${printable(i.report.host)}: ${shownText(i.report.error ?? 'not inspected')}\n`);
  } else {
    printText(inspections);
  }
  if (reports.some((r) => !r.reachable)) return 3;
  return reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

function printText(inspections: Inspection[]): void {
  const color = process.stdout.isTTY === true && !process.env['NO_COLOR'];
  const paint = (code: string, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const tint = { error: '31', warning: '33', information: '36', hint: '2' } as const;
  const w = (s: string) => process.stdout.write(s);
  for (const { report: r, durationMs } of inspections) {
    const host = printable(r.host);
    if (!r.reachable) {
      w(`${paint('1', host)}: ${paint('31', 'unreachable')} — ${shownText(r.error ?? '')}\n\n`);
      continue;
    }
    const engine = r.engine.version ? `Docker ${shownName(r.engine.version)}${r.engine.driver ? ` (${shownName(r.engine.driver)}${r.engine.driverStatus !== 'supported' && r.engine.driverStatus !== 'unknown' ? `, ${r.engine.driverStatus}` : ''})` : ''}` : 'no Docker';
    w(`${paint('1', host)}: ${shownName(r.user ?? '?')}${r.privilege === 'sudo' ? ' (sudo -n)' : ''}, kernel ${shownName(r.kernel ?? '?')}, ${engine}, ${r.pools.length} pool${r.pools.length === 1 ? '' : 's'}, ${(durationMs / 1000).toFixed(1)} s\n`);
    if (r.pools.length > 0) {
      const rows = [['POOL', 'MODE', 'DATA', 'METADATA', 'DISCARD', 'BACKING', 'RECLAIM'], ...r.pools.map(poolRow)];
      const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
      for (const row of rows) w(`  ${row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd()}\n`);
    }
    for (const f of r.findings) {
      w(`  ${paint(tint[f.severity], f.severity.padEnd(11))} ${paint('1', f.code)}${f.count && f.count > 1 ? ` (×${f.count})` : ''}: ${shownText(f.message)}\n`);
    }
    w('\n');
  }
  if (inspections.length > 1) {
    w('Fleet, worst first:\n');
    for (const row of fleetSummary(inspections.map((i) => i.report))) {
      const usage = row.worstUsage < 0 ? '-' : formatPercent(row.worstUsage);
      w(`  ${printable(row.host).padEnd(24)} ${row.reachable ? `${usage.padStart(7)} ${shownName(row.worstPool ?? '').padEnd(28)} ${row.errors} errors, ${row.warnings} warnings` : `unreachable: ${shownText(row.error ?? '')}`}\n`);
    }
  }
}

function poolRow(p: PoolReport): string[] {
  const usage = (u: { used: number; total: number } | undefined) => (u && u.total > 0 ? `${u.used}/${u.total} (${formatPercent(u.used / u.total)})` : '-');
  const b = p.backing;
  const backing = b ? (b.kind === 'loop' ? `${shownPath(b.path ?? b.device ?? 'loop')}${b.filesystem ? ` on ${shownName(b.filesystem)}` : ''}` : shownPath(b.path ?? b.device ?? 'block')) : '-';
  return [shownName(p.name), p.mode, usage(p.data), usage(p.metadata), (p.discard ?? '-').replace('_discard_passdown', ' passdown').replace('discard_passdown', 'passdown'), backing, p.reclaim.verdict];
}

export type { HostReport };
