/**
 * Verdicts on a host model (hostReport.ts): per pool, whether freed space can
 * return to the host, and one list of findings by severity. The rules are the
 * discard path of devicemapper.md §6.1 and what a real kernel did
 * (real-kernel-observations.md §3, §10).
 */
import { TRANSCRIPT_CODES, type Severity } from '../knowledge/findingCodes.js';
import { INSPECTION_CODES } from '../knowledge/inspectionCodes.js';
import { backingFilesystem } from '../knowledge/backingFilesystems.js';
import type { Thresholds } from '../knowledge/thresholds.js';
import { formatBinary, formatPercent } from '../text/units.js';
import { splitLines } from '../text/lines.js';
import { matchLogLine } from '../logs/match.js';
import { logMessage } from '../logs/explain.js';
import { validateDaemonJson } from '../daemonJson/validate.js';
import type { CollectedOutput } from './sections.js';
import { engineLabel, type HostFinding, type HostReport, type PoolReport, type ReclaimVerdict } from './hostReport.js';

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };
const sev = (code: string): Severity =>
  (TRANSCRIPT_CODES as Record<string, { severity: Severity }>)[code]?.severity ??
  (INSPECTION_CODES as Record<string, { severity: Severity }>)[code]?.severity ??
  'warning';

/** Adds findings and reclaim verdicts to a model built by `buildHostModel`. */
export function judgeHost(report: HostReport, collected: CollectedOutput, thresholds: Thresholds): HostReport {
  const findings: HostFinding[] = [];
  const add = (f: Omit<HostFinding, 'severity'> & { severity?: Severity }) => findings.push({ severity: sev(f.code), ...f });

  hostFindings(report, collected, add);
  const discardErrors = logFindings(report, collected, add);
  for (const pool of report.pools) {
    if (pool.backing?.kind === 'loop') pool.backing.punchHole = backingFilesystem(pool.backing.filesystem ?? '').punchHole;
    if (pool.metadataBacking?.kind === 'loop') pool.metadataBacking.punchHole = backingFilesystem(pool.metadataBacking.filesystem ?? '').punchHole;
    pool.reclaim = reclaimVerdict(pool, discardErrors.has(pool.backing?.device ?? ''));
    poolFindings(pool, thresholds, add);
  }
  daemonJsonFindings(report, add);
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.pool ?? '').localeCompare(b.pool ?? ''));
  report.findings = findings;
  return report;
}

/** Sections that run through sudo when it is on (collector.ts `$S`). */
const PRIVILEGED = ['docker-version', 'docker-driver', 'docker-info', 'dmsetup-version', 'dmsetup-ls', 'dmsetup-status', 'dmsetup-table', 'dmsetup-info', 'losetup', 'daemon-json', 'lvs', 'dmesg'] as const;

/** Steps without which pools go missing from the report. */
const POOL_SECTIONS = new Set<string>(['dmsetup-ls', 'dmsetup-status', 'dmsetup-table']);

type Add = (f: Omit<HostFinding, 'severity'> & { severity?: Severity }) => void;

/** Tools, permissions and the engine: one clear message per cause. */
function hostFindings(report: HostReport, collected: CollectedOutput, add: Add): void {
  const problems = report.problems;
  const asked = problems.filter((p) => /a password is required|a terminal is required/.test(p.stderr));
  // sudo -n also says "a password is required" for a command the rule does not cover:
  // when some privileged step got through, the others are refused, not password-bound.
  const sudoWorked = report.privilege === 'sudo' && PRIVILEGED.some((name) => collected.sections[name]?.rc === 0);
  const passwordWanted = sudoWorked ? [] : asked;
  for (const p of sudoWorked ? asked : []) {
    add({ code: 'sudo-refused', origin: 'host', message: `sudo -n refused the ${p.section} step (not covered by the sudoers rule): ${firstLine(p.stderr)}`, remedy: 'Add the command to the sudoers rule for inspection (README "Remote access").' });
  }
  if (passwordWanted.length > 0) {
    add({
      code: 'sudo-password-required',
      origin: 'host',
      message: `sudo asks ${report.user ?? 'this user'} for a password (${passwordWanted.map((p) => p.section).join(', ')}); inspection never types one.`,
      remedy: 'Allow the inspection commands without a password (a NOPASSWD sudoers rule, see README "Remote access"), or inspect as a user that may read device-mapper state.',
    });
  }
  const refused = problems.filter((p) => /is not allowed to execute|not in the sudoers file|may not run sudo/.test(p.stderr));
  for (const p of refused) {
    add({ code: 'sudo-refused', origin: 'host', message: `sudo refused the ${p.section} step: ${firstLine(p.stderr)}`, remedy: 'Add the command to the sudoers rule for inspection (README "Remote access").' });
  }
  const denied = problems.filter((p) => p.section.startsWith('dmsetup') && /Permission denied|Operation not permitted/.test(p.stderr) && !passwordWanted.includes(p));
  if (denied.length > 0) {
    add({
      code: 'permission-denied',
      origin: 'host',
      message: `${report.user ?? 'This user'} may not read device-mapper state: ${firstLine(denied[0]!.stderr)}`,
      remedy: report.privilege === 'sudo' ? 'Check the sudoers rule for dmsetup.' : 'Inspect as root, or turn on sudo for this host (dmLens.ssh.useSudo / --sudo).',
    });
  }
  const missing = problems.filter((p) => p.rc === 127);
  for (const p of missing) {
    const tool = /^(\S+): not found/.exec(p.stderr)?.[1] ?? p.section;
    // dmsetup is the one tool without which there is nothing to report.
    if (p.section === 'dmsetup-version') {
      add({ code: 'tool-missing', severity: 'error', origin: 'host', message: 'dmsetup is not installed: no pool can be read on this host.', remedy: 'Install the device-mapper userspace tools (dmsetup; package device-mapper or dmsetup).' });
    } else if (p.section === 'docker-version') {
      add({ code: 'tool-missing', severity: 'information', origin: 'host', message: 'docker is not installed (or not on PATH): the report covers device-mapper only.' });
    } else if (!p.section.startsWith('dmsetup-') && !p.section.startsWith('docker-') && p.section !== 'lvs') {
      add({ code: 'tool-missing', severity: 'hint', origin: 'host', message: `${tool} is not installed: the ${p.section} step was skipped.` });
    }
  }
  // Any other failure of a step that reads pools: never a silent "0 pools". (A device whose name
  // dmsetup cannot print, made with --manglename none, fails every listing, for one.)
  const explained = new Set([...passwordWanted, ...refused, ...denied, ...missing, ...(sudoWorked ? asked : [])]);
  for (const p of problems.filter((q) => POOL_SECTIONS.has(q.section) && q.rc !== 124 && !explained.has(q))) {
    add({ code: 'step-failed', origin: 'host', message: `The ${p.section} step failed (exit ${p.rc})${p.stderr.trim() ? `: ${firstLine(p.stderr)}` : ''}; pools it would list are missing from this report.`, remedy: 'Run the same dmsetup command on the host to see the whole error.' });
  }
  for (const p of problems.filter((q) => q.rc === 124)) {
    add({ code: 'step-timed-out', origin: 'host', message: `The ${p.section} step did not finish within 20 s (a pool blocked in queue_if_no_space can stall readers).` });
  }
  if (collected.truncated.length > 0) {
    add({ code: 'output-cut', origin: 'host', message: `The output stopped inside ${collected.truncated.join(', ')}: what follows is missing from this report.` });
  }

  const e = report.engine;
  if (e.driver && e.driver !== 'devicemapper') {
    add({ code: 'driver-not-devicemapper', origin: 'host', message: `dockerd uses the ${e.driver} storage driver; the pools below are not Docker's.` });
  } else if (e.driver === 'devicemapper' && e.driverStatus === 'removed') {
    add({ code: 'driver-removed', origin: 'host', message: `${engineLabel(e)} has no devicemapper driver (removed in 25.0); dockerd cannot start on it.`, remedy: 'Migrate to overlay2 with an Engine ≤ 24.0, or pin Engine 24.0 until you migrate.' });
  } else if (e.driver === 'devicemapper' && e.driverStatus === 'deprecated') {
    add({ code: 'driver-deprecated', origin: 'host', message: `${engineLabel(e)} runs the devicemapper driver, deprecated since 18.09 and removed in 25.0.`, remedy: 'Plan the migration to overlay2 (export images and volumes, switch the driver, re-pull).' });
  }
  const tools = report.thinTools;
  if (tools && /^0\.9\./.test(tools.version ?? tools.packageVersion ?? '')) {
    add({ code: 'thin-tools-unsafe', origin: 'host', message: `thin-provisioning-tools ${tools.version ?? tools.packageVersion}: its thin_trim discards the highest used block (data corruption seen on Debian 12); never run it on this host.`, remedy: 'Use fstrim on mounted thin devices instead; offline thin_trim only with thin-provisioning-tools ≥ 1.0.' });
  }
}

/**
 * Recognised dmesg/journal lines, summarised per catalogue entry (a full pool
 * can print the same line hundreds of times). Returns the devices with failed
 * DISCARDs: proof that passdown is not effective there.
 */
function logFindings(report: HostReport, collected: CollectedOutput, add: Add): Set<string> {
  const discardErrors = new Set<string>();
  const byId = new Map<string, HostFinding>();
  const devnoPool = new Map(report.pools.filter((p) => p.devno).map((p) => [p.devno!, p.name]));
  const devicePool = new Map(report.pools.filter((p) => p.backing?.device).map((p) => [p.backing!.device!, p.name]));
  for (const name of ['dmesg', 'journal'] as const) {
    const section = collected.sections[name];
    if (!section || section.rc !== 0) continue;
    for (const line of splitLines(section.stdout)) {
      const m = matchLogLine(line);
      // Hints (module versions at boot) say nothing about the pools.
      if (!m || m.severity === 'hint') continue;
      const device = m.variables.device?.text;
      if (m.entry.id === 'discard-not-effective' && device) discardErrors.add(device);
      const pool = (m.variables.pool && devnoPool.get(m.variables.pool.text)) ?? (device && devicePool.get(device)) ?? undefined;
      const key = `${m.entry.id}\u0000${pool ?? ''}`;
      const seen = byId.get(key);
      if (seen) {
        seen.count = (seen.count ?? 1) + 1;
        seen.message = logMessage(m); // the latest wording carries the latest figures
        continue;
      }
      const f: HostFinding = { code: m.entry.id, severity: m.severity, message: logMessage(m), remedy: m.entry.remedy, count: 1, origin: 'log', ...(pool ? { pool } : {}) };
      byId.set(key, f);
    }
  }
  for (const f of byId.values()) add(f);
  return discardErrors;
}

/** Where freed blocks can go (devicemapper.md §6.1; real-kernel-observations.md §3.3). */
export function reclaimVerdict(pool: PoolReport, discardsFail: boolean): { verdict: ReclaimVerdict; why: string } {
  if (pool.mode === 'fail' || pool.mode === 'error') return { verdict: 'none', why: 'The pool is in fail mode: discards return errors.' };
  if (pool.mode === 'ro') return { verdict: 'none', why: 'The pool is read-only: discards complete without effect.' };
  if (pool.needsCheck) return { verdict: 'none', why: 'The pool needs a metadata check and stays read-only until then.' };
  if (pool.discard === 'ignore_discard') return { verdict: 'none', why: 'The pool ignores discards (ignore_discard): fstrim reports "not supported".' };
  const b = pool.backing;
  const where = b ? (b.kind === 'loop' ? `${b.device ?? 'the loop device'} (${b.path ?? '?'}${b.filesystem ? ` on ${b.filesystem}` : ''})` : `${b.path ?? b.device ?? 'the data device'}`) : 'the data device';
  if (pool.discard === 'no_discard_passdown') {
    const why =
      b?.discardMaxBytes === 0
        ? `${where} accepts no discards, so the kernel disabled passdown: freed blocks return to the pool, never to the host.`
        : 'The pool table disables passdown (no_discard_passdown): freed blocks return to the pool, never to the host.';
    return { verdict: 'pool-only', why };
  }
  if (pool.discard !== 'discard_passdown') return { verdict: 'unknown', why: 'The pool status does not say how discards are handled.' };
  const confirmed = discardsFail ? ` The kernel log confirms it: op 0x3:(DISCARD) errors on ${b?.device ?? 'the data device'}.` : '';
  const fsInfo = b?.kind === 'loop' ? backingFilesystem(b.filesystem ?? '') : undefined;
  if (fsInfo?.trap) return { verdict: 'pool-only', why: `The status says discard_passdown, but ${b!.filesystem} cannot punch holes: every passed-down discard fails and ${b!.path ?? 'the file'} never shrinks.${confirmed}` };
  if (discardsFail) return { verdict: 'pool-only', why: `Discards passed down to ${where} fail (op 0x3:(DISCARD) errors in the kernel log): the backing store does not shrink.` };
  if (!b) return { verdict: 'unknown', why: 'Discards are passed down, but the data device could not be identified.' };
  if (b.kind === 'block') {
    if (b.discardMaxBytes === 0) return { verdict: 'pool-only', why: `${where} accepts no discards.` };
    return b.discardMaxBytes ? { verdict: 'host', why: `Discards are passed down to ${where}, which accepts them.` } : { verdict: 'unknown', why: `Discards are passed down to ${where}; whether it accepts them is unknown.` };
  }
  const fs = fsInfo ?? backingFilesystem(b.filesystem ?? '');
  if (fs.punchHole === 'no') return { verdict: 'pool-only', why: `${b.filesystem} cannot punch holes in ${b.path ?? 'the loop file'}: it never shrinks.` };
  if (fs.punchHole === 'yes') return { verdict: 'host', why: `Discards reach ${where}, and ${b.filesystem} punches holes: the file shrinks.` };
  return { verdict: 'unknown', why: `Discards reach ${where}; whether ${b.filesystem ?? 'its filesystem'} punches holes is unknown — measure the file before and after.` };
}

function poolFindings(pool: PoolReport, t: Thresholds, add: Add): void {
  const p = pool.name;
  const bytes = (blocks: number) => (pool.blockSizeBytes ? ` (${formatBinary(blocks * pool.blockSizeBytes)})` : '');
  if (pool.mode === 'fail') add({ code: 'pool-failed', pool: p, origin: 'status', message: `Pool ${p} is in fail mode: all I/O errors.`, remedy: 'Stop its users, deactivate the pool, run thin_check and thin_repair on the metadata (never on live metadata).' });
  if (pool.mode === 'error') add({ code: 'pool-status-error', pool: p, origin: 'status', message: `The kernel could not read pool ${p}'s metadata.` });
  if (pool.mode === 'ro') add({ code: 'pool-read-only', pool: p, origin: 'status', message: `Pool ${p} is read-only: writes fail and discards do nothing.`, remedy: 'Find the cause in the kernel log (metadata space, I/O errors); repair offline.' });
  if (pool.mode === 'out_of_data_space') {
    add({ code: 'out-of-data-space', pool: p, origin: 'status', message: `Pool ${p} is out of data space (${pool.noSpacePolicy === 'error_if_no_space' ? 'writes fail' : 'writes queue'}).`, remedy: 'Grow the data device and reload the pool, or free space (delete unused thin devices, fstrim mounted ones).' });
  }
  if (pool.needsCheck) add({ code: 'needs-check', pool: p, origin: 'status', message: `Pool ${p} has needs_check set: it stays read-only until thin_check clears it.` });
  if (pool.data && pool.data.total > 0) {
    const ratio = pool.data.used / pool.data.total;
    const pct = ratio * 100;
    const text = `Pool ${p} data ${formatPercent(ratio)} used: ${pool.data.used} of ${pool.data.total} blocks${bytes(pool.data.used)}.`;
    if (pct >= t.dataError && pool.mode !== 'out_of_data_space') add({ code: 'data-usage-critical', pool: p, origin: 'status', message: text });
    else if (pct >= t.dataWarning && pool.mode !== 'out_of_data_space') add({ code: 'data-usage-high', pool: p, origin: 'status', message: text });
    if (pool.lowWaterMark !== undefined && pool.lowWaterMark > 0 && pool.data.total - pool.data.used <= pool.lowWaterMark && pool.mode === 'rw') {
      add({ code: 'low-water-mark-reached', pool: p, origin: 'status', message: `Pool ${p} has ${pool.data.total - pool.data.used} free data blocks, at or below its low water mark of ${pool.lowWaterMark}.` });
    }
  }
  if (pool.metadata && pool.metadata.total > 0) {
    const ratio = pool.metadata.used / pool.metadata.total;
    const pct = ratio * 100;
    const text = `Pool ${p} metadata ${formatPercent(ratio)} used: ${pool.metadata.used} of ${pool.metadata.total} blocks (${formatBinary(pool.metadata.used * 4096)}).`;
    if (pct >= t.metadataError) add({ code: 'metadata-usage-critical', pool: p, origin: 'status', message: text });
    else if (pct >= t.metadataWarning) add({ code: 'metadata-usage-high', pool: p, origin: 'status', message: text });
  }
  if (pool.discard === 'ignore_discard') add({ code: 'ignore-discard', pool: p, origin: 'status', message: `Pool ${p} ignores discards: deleted data never frees pool blocks.` });
  if (pool.reclaim.verdict === 'pool-only') {
    const code = pool.discard === 'no_discard_passdown' ? 'no-discard-passdown' : pool.reclaim.why.includes('op 0x3') || backingFilesystem(pool.backing?.filesystem ?? '').trap ? 'discard-not-effective' : 'backing-no-hole-punch';
    add({ code, pool: p, origin: 'status', message: `Pool ${p}: ${pool.reclaim.why}`, remedy: 'Move the pool (or Docker\'s data-root) to ext4 or xfs, or a block device with discard support; migrating to overlay2 removes the problem.' });
  }
  const b = pool.backing;
  if (b?.kind === 'loop' && b.allocatedBytes !== undefined && pool.data && pool.blockSizeBytes) {
    const used = pool.data.used * pool.blockSizeBytes;
    if (b.allocatedBytes > used * t.loopGapRatio && b.allocatedBytes - used >= t.loopGapMinBytes) {
      add({ code: 'loop-file-not-shrinking', pool: p, origin: 'status', message: `${b.path} holds ${formatBinary(b.allocatedBytes)} on disk while pool ${p} uses ${formatBinary(used)}: deleted data has not come back to the host.` });
    }
  }
  if (b?.kind === 'loop' && b.apparentBytes !== undefined && b.allocatedBytes !== undefined && b.freeBytes !== undefined) {
    const growth = b.apparentBytes - b.allocatedBytes;
    if (growth > b.freeBytes) {
      add({ code: 'backing-overcommitted', pool: p, origin: 'status', message: `${b.path} may still grow by ${formatBinary(growth)}, but ${b.mountPoint ?? 'its filesystem'} has ${formatBinary(b.freeBytes)} free: the pool will fail before it looks full.` });
    }
  }
  if (pool.docker && b?.kind === 'loop') {
    add({ code: 'loop-backed-pool', pool: p, origin: 'status', message: `Docker's pool ${p} runs on loop files (loop-lvm), which Docker discourages for production.`, remedy: 'Use direct-lvm (dm.thinpooldev) or migrate to overlay2.' });
  }
}

function daemonJsonFindings(report: HostReport, add: Add): void {
  if (!report.daemonJson) return;
  const engine = report.engine.version;
  for (const f of validateDaemonJson(report.daemonJson.text, engine ? { engine } : {})) {
    // With devicemapper running on a known engine, "deprecated" is already a host finding.
    if (f.code === 'driver-deprecated' && report.engine.driver === 'devicemapper') continue;
    add({ code: f.code, severity: f.severity, origin: 'daemon.json', message: `daemon.json line ${f.range.start.line + 1}: ${f.message}`, ...(f.fix ? { remedy: f.fix.title } : {}) });
  }
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0]?.slice(0, 300) ?? '';
}
