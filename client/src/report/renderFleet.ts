/**
 * The fleet page (dmLens.fleet webview): one row per host from the core's
 * `fleetSummary` (unreachable first with the reason, then worst usage first),
 * each with a button that opens that host's report. Pure and escaped, like
 * renderReport.ts.
 */
import { fleetSummary, formatPercent, type FleetRow, type HostReport } from '../../../server/src/core/index.js';
import { attr, page, text, type PageShell } from './html.js';
import { usageLevel, type UsageThresholds } from './renderReport.js';

export interface FleetPageOptions {
  thresholds: UsageThresholds;
  /** ISO time the fleet run started, and how long it took. */
  startedAt?: string;
  durationMs?: number;
}

function usageCell(row: FleetRow, t: UsageThresholds): string {
  if (!row.reachable) return '<td class="num muted">—</td>';
  if (row.worstUsage < 0) return '<td class="num muted">no pools</td>';
  // The worst of data and metadata: judged against the stricter (lower) pair of thresholds.
  const level = usageLevel(row.worstUsage, Math.min(t.dataWarning, t.metadataWarning), Math.min(t.dataError, t.metadataError));
  const width = (Math.min(1, row.worstUsage) * 100).toFixed(2);
  return [
    `<td class="num level-${level}">`,
    `<svg class="gauge small" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true"><rect class="gauge-track" x="0" y="0" width="100" height="6"></rect><rect class="gauge-fill" x="0" y="0" width="${width}" height="6"></rect></svg> `,
    `${text(formatPercent(row.worstUsage))}</td>`,
  ].join('');
}

export function renderFleetBody(reports: readonly HostReport[], o: FleetPageOptions): string {
  const rows = fleetSummary(reports);
  const reachable = rows.filter((r) => r.reachable).length;
  const out: string[] = [];
  out.push('<header>');
  out.push('<h1>Thin pools across the fleet</h1>');
  const meta = [`${rows.length} host${rows.length === 1 ? '' : 's'}, ${reachable} reached`];
  if (o.startedAt) meta.push(`started ${o.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`);
  if (o.durationMs !== undefined) meta.push(`in ${(o.durationMs / 1000).toFixed(1)} s`);
  out.push(`<p class="muted">${text(meta.join(' · '))}</p>`);
  out.push('</header>');
  out.push('<table class="fleet"><thead><tr><th>Host</th><th class="num">Worst usage</th><th>Pool</th><th class="num">Errors</th><th class="num">Warnings</th><th></th></tr></thead><tbody>');
  for (const r of rows) {
    out.push(`<tr class="${r.reachable ? '' : 'unreachable level-error'}" data-host="${attr(r.host)}">`);
    out.push(`<td class="name">${text(r.host)}</td>`);
    if (r.reachable) {
      out.push(usageCell(r, o.thresholds));
      const mode = reports.find((x) => x.host === r.host)?.pools.find((p) => p.name === r.worstPool)?.mode;
      out.push(`<td>${text(r.worstPool ?? '')}${mode && mode !== 'rw' ? ` <span class="badge level-error">${text(mode.replace(/_/g, ' '))}</span>` : ''}</td>`);
      out.push(`<td class="num${r.errors > 0 ? ' sev-error' : ''}">${r.errors}</td>`);
      out.push(`<td class="num${r.warnings > 0 ? ' sev-warning' : ''}">${r.warnings}</td>`);
    } else {
      out.push(`<td colspan="4" class="why"><span class="sev-icon" aria-label="error">✖</span> unreachable: ${text(r.error ?? 'not inspected')}</td>`);
    }
    out.push(`<td><button data-command="openHost" data-host="${attr(r.host)}">Open report</button></td>`);
    out.push('</tr>');
  }
  out.push('</tbody></table>');
  return out.join('\n');
}

export function renderFleetPage(reports: readonly HostReport[], o: FleetPageOptions, shell: PageShell): string {
  return page(shell, 'Thin pools: fleet', renderFleetBody(reports, o));
}
