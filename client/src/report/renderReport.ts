/**
 * The host report page (dmLens.report webview): host line, one card per pool
 * (gauges, flags, backing, reclaim verdict, thin devices), then the findings
 * with their remedies. Pure: HostReport in, HTML out. Every value from the
 * report is escaped (`text`/`attr`): remote output is hostile.
 */
import { formatBinary, formatPercent, type BackingReport, type HostFinding, type HostReport, type PoolReport, type Severity, type Thresholds, type ThinDeviceReport } from '../../../server/src/core/index.js';
import { attr, page, text, type PageShell } from './html.js';

export type UsageThresholds = Pick<Thresholds, 'dataWarning' | 'dataError' | 'metadataWarning' | 'metadataError'>;

export interface ReportPageOptions {
  thresholds: UsageThresholds;
  /** The raw transcript can be opened (the host was reached). */
  hasTranscript: boolean;
  /** ISO time the inspection started, and how long it took. */
  startedAt?: string;
  durationMs?: number;
  /** A refresh is running. */
  busy?: boolean;
}

/** Metadata blocks are 4 KiB (devicemapper.md §3.2). */
const METADATA_BLOCK_BYTES = 4096;

export const SEVERITY_GLYPH: Record<Severity, string> = { error: '✖', warning: '⚠', information: 'ℹ', hint: '•' };

/** ok / warning / error for a usage ratio against a pair of thresholds in percent. */
export function usageLevel(ratio: number, warning: number, error: number): 'ok' | 'warning' | 'error' {
  const pct = ratio * 100;
  if (pct >= error) return 'error';
  if (pct >= warning) return 'warning';
  return 'ok';
}

/** "9.6 % · 48.9 MiB of 512 MiB" style figures for one usage pair. */
function usageFigures(u: { used: number; total: number }, blockBytes: number | undefined): string {
  const pct = u.total > 0 ? formatPercent(u.used / u.total) : 'n/a';
  if (blockBytes && blockBytes > 0) return `${pct} · ${formatBinary(u.used * blockBytes)} of ${formatBinary(u.total * blockBytes)}`;
  return `${pct} · ${u.used} of ${u.total} blocks`;
}

function gauge(label: string, u: { used: number; total: number } | undefined, blockBytes: number | undefined, warning: number, error: number): string {
  if (!u || u.total <= 0) return `<div class="gauge-row"><span class="gauge-label">${text(label)}</span><span class="muted">unknown</span></div>`;
  const ratio = Math.min(1, Math.max(0, u.used / u.total));
  const level = usageLevel(ratio, warning, error);
  // SVG geometry attributes are not inline styles: the strict CSP allows them.
  const width = (ratio * 100).toFixed(2);
  return [
    `<div class="gauge-row level-${level}">`,
    `<span class="gauge-label">${text(label)}</span>`,
    `<svg class="gauge" viewBox="0 0 100 6" preserveAspectRatio="none" role="img" aria-label="${attr(`${label} ${formatPercent(ratio)}`)}">`,
    '<rect class="gauge-track" x="0" y="0" width="100" height="6"></rect>',
    `<rect class="gauge-fill" x="0" y="0" width="${width}" height="6"></rect>`,
    '</svg>',
    `<span class="gauge-figures">${text(usageFigures(u, blockBytes))}</span>`,
    '</div>',
  ].join('');
}

function row(label: string, value: string | undefined, cls = ''): string {
  if (value === undefined || value === '') return '';
  return `<dt>${text(label)}</dt><dd${cls ? ` class="${attr(cls)}"` : ''}>${text(value)}</dd>`;
}

function yesNo(v: boolean | undefined): string | undefined {
  return v === undefined ? undefined : v ? 'yes' : 'no';
}

const MODE_LABEL: Record<PoolReport['mode'], string> = {
  rw: 'read-write',
  ro: 'read-only',
  out_of_data_space: 'out of data space',
  fail: 'failed',
  error: 'error (metadata unreadable)',
  unknown: 'unknown',
};

export function poolLevel(p: PoolReport, t: UsageThresholds): 'ok' | 'warning' | 'error' {
  if (p.mode === 'fail' || p.mode === 'error' || p.mode === 'out_of_data_space' || p.mode === 'ro' || p.needsCheck) return 'error';
  const levels = [
    p.data && p.data.total > 0 ? usageLevel(p.data.used / p.data.total, t.dataWarning, t.dataError) : 'ok',
    p.metadata && p.metadata.total > 0 ? usageLevel(p.metadata.used / p.metadata.total, t.metadataWarning, t.metadataError) : 'ok',
  ];
  return levels.includes('error') ? 'error' : levels.includes('warning') ? 'warning' : 'ok';
}

function backing(b: BackingReport | undefined, title: string): string {
  if (!b) return '';
  const rows = [
    row('Kind', b.kind === 'loop' ? 'loop file' : 'block device'),
    row(b.kind === 'loop' ? 'File' : 'Device', b.path),
    row('Kernel device', b.device ? `${b.device}${b.devno ? ` (${b.devno})` : ''}` : undefined),
    row('Filesystem', b.filesystem ? `${b.filesystem}${b.mountPoint ? ` on ${b.mountPoint}` : ''}` : undefined),
    row('Apparent size', b.apparentBytes !== undefined ? formatBinary(b.apparentBytes) : undefined),
    row('Allocated', b.allocatedBytes !== undefined ? formatBinary(b.allocatedBytes) : undefined),
    row('Free on filesystem', b.freeBytes !== undefined ? formatBinary(b.freeBytes) : undefined),
    row('Punch hole', b.punchHole, `punch-${b.punchHole}`),
    row('discard_max_bytes', b.discardMaxBytes !== undefined ? (b.discardMaxBytes === 0 ? '0 (accepts no discards)' : formatBinary(b.discardMaxBytes)) : undefined),
    row('Deleted', b.deleted ? 'yes: the file was unlinked while in use' : undefined, 'level-error'),
  ].join('');
  return `<h3>${text(title)}</h3><dl class="facts">${rows}</dl>`;
}

function thinTable(devices: readonly ThinDeviceReport[]): string {
  if (devices.length === 0) return '<p class="muted">No thin devices.</p>';
  const rows = devices.map((d) => {
    const mapped = d.mappedBytes !== undefined ? formatBinary(d.mappedBytes) + (d.sizeBytes ? ` (${formatPercent(d.mappedBytes / d.sizeBytes)})` : '') : '';
    return [
      `<tr${d.failed ? ' class="level-error"' : ''}>`,
      `<td class="name">${text(d.name)}${d.failed ? ' <span class="badge level-error">failed</span>' : ''}</td>`,
      `<td class="num">${text(d.deviceId ?? '')}</td>`,
      `<td class="num">${text(d.sizeBytes !== undefined ? formatBinary(d.sizeBytes) : '')}</td>`,
      `<td class="num">${text(mapped)}</td>`,
      `<td>${text(d.mountPoint ? `${d.mountPoint}${d.fsType ? ` (${d.fsType})` : ''}` : '')}</td>`,
      '</tr>',
    ].join('');
  });
  return `<table class="thins"><thead><tr><th>Thin device</th><th>Id</th><th>Size</th><th>Mapped</th><th>Mounted on</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const RECLAIM_LABEL: Record<PoolReport['reclaim']['verdict'], string> = {
  host: 'freed space returns to the host',
  'pool-only': 'freed space returns to the pool only',
  none: 'freed space is not reclaimed',
  unknown: 'unknown',
};

function poolCard(p: PoolReport, t: UsageThresholds): string {
  const level = poolLevel(p, t);
  const badges = [
    `<span class="badge mode-${attr(p.mode)} level-${level}">${text(MODE_LABEL[p.mode] ?? p.mode)}</span>`,
    p.docker ? '<span class="badge">Docker’s pool</span>' : '',
    p.needsCheck ? '<span class="badge level-error">needs_check</span>' : '',
  ].join(' ');
  const flags = [
    row('Mode', p.mode),
    row('Discard', p.discard),
    row('No-space policy', p.noSpacePolicy),
    row('needs_check', yesNo(p.needsCheck), p.needsCheck ? 'level-error' : ''),
    row('Block size', p.blockSizeBytes !== undefined ? formatBinary(p.blockSizeBytes) : undefined),
    row('Low water mark', p.lowWaterMark !== undefined ? `${p.lowWaterMark} blocks` : undefined),
    row('Features', p.features.length > 0 ? p.features.join(' ') : undefined),
  ].join('');
  return [
    `<article class="card level-${level}" data-pool="${attr(p.name)}">`,
    `<h2><span class="pool-name">${text(p.name)}</span> ${badges}</h2>`,
    gauge('Data', p.data, p.blockSizeBytes, t.dataWarning, t.dataError),
    gauge('Metadata', p.metadata, METADATA_BLOCK_BYTES, t.metadataWarning, t.metadataError),
    `<dl class="facts">${flags}</dl>`,
    backing(p.backing, 'Data backing'),
    p.metadataBacking && p.metadataBacking.path !== p.backing?.path ? `<details><summary>Metadata backing: ${text(p.metadataBacking.path ?? p.metadataBacking.device ?? '')}</summary>${backing(p.metadataBacking, 'Metadata backing')}</details>` : '',
    `<h3>Reclaim</h3><p class="reclaim reclaim-${attr(p.reclaim.verdict)}"><strong>${text(RECLAIM_LABEL[p.reclaim.verdict] ?? p.reclaim.verdict)}</strong>${p.reclaim.why ? ` — ${text(p.reclaim.why)}` : ''}</p>`,
    `<h3>Thin devices (${p.thinDevices.length})</h3>`,
    thinTable(p.thinDevices),
    '</article>',
  ].join('\n');
}

function finding(f: HostFinding): string {
  const glyph = SEVERITY_GLYPH[f.severity] ?? '•';
  return [
    `<li class="finding sev-${attr(f.severity)}">`,
    `<span class="sev-icon" role="img" aria-label="${attr(f.severity)}">${glyph}</span>`,
    '<div>',
    `<code class="code">${text(f.code)}</code>${f.pool ? ` <span class="muted">${text(f.pool)}</span>` : ''}${f.count && f.count > 1 ? ` <span class="muted">×${text(f.count)}</span>` : ''}`,
    `<p class="message">${text(f.message)}</p>`,
    f.remedy ? `<p class="remedy"><strong>What to do:</strong> ${text(f.remedy)}</p>` : '',
    '</div>',
    '</li>',
  ].join('');
}

function driverLabel(r: HostReport): string {
  const e = r.engine;
  if (!e.version && !e.driver) return 'no Docker engine found';
  const parts = [`Docker ${e.version ?? '(version unknown)'}`];
  if (e.driver) parts.push(`storage driver ${e.driver}`);
  if (e.driverStatus !== 'unknown') parts.push(`devicemapper ${e.driverStatus} in this engine`);
  return parts.join(', ');
}

/** The body of the report page (no shell): used by `renderReportPage` and the unit tests. */
export function renderReportBody(r: HostReport, o: ReportPageOptions): string {
  const out: string[] = [];
  out.push('<header>');
  out.push(`<h1>${text(r.host)}${r.hostname && r.hostname !== r.host ? ` <span class="muted">(${text(r.hostname)})</span>` : ''}</h1>`);
  if (r.reachable) {
    const who = `${r.user ?? 'unknown user'}${r.privilege === 'sudo' ? ' (sudo -n)' : ''}`;
    out.push(`<p class="hostline"><span>${text(who)}</span> · <span>kernel ${text(r.kernel ?? 'unknown')}</span> · <span class="engine driver-${attr(r.engine.driverStatus)}">${text(driverLabel(r))}</span></p>`);
  }
  const when: string[] = [];
  if (o.startedAt) when.push(`inspected ${o.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`);
  if (o.durationMs !== undefined) when.push(`in ${(o.durationMs / 1000).toFixed(1)} s`);
  if (r.truncated) when.push('output was cut (timeout or size cap): the report is partial');
  if (when.length > 0) out.push(`<p class="muted">${text(when.join(' · '))}</p>`);
  out.push('<div class="actions">');
  out.push(`<button data-command="openTranscript"${o.hasTranscript ? '' : ' disabled'}>Open raw transcript</button>`);
  out.push(`<button data-command="openDaemonJson"${r.daemonJson ? '' : ' disabled title="No /etc/docker/daemon.json on this host"'}>Open daemon.json</button>`);
  out.push(`<button data-command="refresh"${o.busy ? ' disabled' : ''}>${o.busy ? 'Refreshing…' : 'Refresh'}</button>`);
  out.push('</div>');
  out.push('</header>');
  if (!r.reachable) {
    out.push(`<div class="banner level-error" role="alert"><strong>Not inspected.</strong> ${text(r.error ?? 'The host could not be reached.')}${r.errorKind ? ` <code>${text(r.errorKind)}</code>` : ''}</div>`);
  } else if (r.pools.length === 0) {
    out.push('<p class="banner">No thin pools on this host.</p>');
  }
  if (r.pools.length > 0) out.push(`<section class="pools">${r.pools.map((p) => poolCard(p, o.thresholds)).join('\n')}</section>`);
  const findings = r.findings.filter((f) => r.reachable || f.code !== 'host-unreachable');
  if (findings.length > 0) out.push(`<section class="findings"><h2>Findings (${findings.length})</h2><ul>${findings.map(finding).join('\n')}</ul></section>`);
  if (r.problems.length > 0) {
    const items = r.problems.map((p) => `<li><code>${text(p.section)}</code> exit ${text(p.rc)}${p.stderr.trim() ? `: ${text(p.stderr.trim().split('\n').slice(-1)[0] ?? '')}` : ''}</li>`);
    out.push(`<section class="problems"><h2>Steps that did not complete</h2><ul>${items.join('')}</ul></section>`);
  }
  return out.join('\n');
}

export function renderReportPage(r: HostReport, o: ReportPageOptions, shell: PageShell): string {
  return page(shell, `Thin pools: ${r.host}`, renderReportBody(r, o));
}
