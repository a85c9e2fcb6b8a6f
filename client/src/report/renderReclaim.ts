/**
 * HTML of the reclaim result page (dmLens.reclaim webview) and of the
 * "Reclaim space…" button on the host report page. Pure: the saved report
 * (reclaimJson.ts) in, HTML out; every value from a host is escaped
 * (`text`/`attr`). Unit-tested with hostile names (test/unit/renderReclaim.test.ts).
 */
import { formatBinary } from '../../../server/src/core/index.js';
import { attr, page, text, type PageShell } from './html.js';
import { VERDICT_TEXT, type ReclaimPoolJson, type ReclaimReportJson, type ReclaimStepJson, type SnapshotJson } from './reclaimJson.js';

export interface ReclaimPageOptions {
  /** The report was saved (the "Open report JSON" button works). */
  saved: boolean;
}

function bytes(n: number | null | undefined): string {
  return n === null || n === undefined ? '?' : formatBinary(n);
}

/** "782 → 4 blocks (48.9 MiB → 256 KiB)" */
function usedChange(b: SnapshotJson, a: SnapshotJson, blockSize: number | null): string {
  if (b.dataUsed === null || a.dataUsed === null) return 'not measured';
  const blocks = `${b.dataUsed} → ${a.dataUsed} blocks`;
  return blockSize ? `${blocks} (${formatBinary(b.dataUsed * blockSize)} → ${formatBinary(a.dataUsed * blockSize)})` : blocks;
}

function change(b: number | null, a: number | null): string | undefined {
  if (b === null && a === null) return undefined;
  return `${bytes(b)} → ${bytes(a)}`;
}

/** Reclaimed bytes: positive is space back; negative means it grew meanwhile. */
function reclaimed(n: number | null, none: string): { value: string; cls: string } {
  if (n === null) return { value: none, cls: 'muted' };
  if (n > 0) return { value: formatBinary(n), cls: 'gain' };
  if (n === 0) return { value: 'nothing', cls: 'nothing' };
  return { value: `nothing (grew by ${formatBinary(-n)} meanwhile)`, cls: 'nothing' };
}

function row(label: string, value: string | undefined, cls = ''): string {
  if (value === undefined) return '';
  return `<dt>${text(label)}</dt><dd${cls ? ` class="${attr(cls)}"` : ''}>${text(value)}</dd>`;
}

function poolCard(p: ReclaimPoolJson, executed: boolean): string {
  const level = !p.eligible ? 'error' : p.verdict === 'host' ? 'ok' : 'warning';
  const out: string[] = [];
  out.push(`<article class="card reclaim-card level-${level}" data-pool="${attr(p.name)}">`);
  out.push(`<h2><span class="pool-name">${text(p.name)}</span> <span class="badge reclaim-${attr(p.verdict)}">${text(VERDICT_TEXT[p.verdict] ?? p.verdict)}</span></h2>`);
  if (!p.eligible) out.push(`<p class="refusal"><strong>Refused:</strong> ${text(p.refusal ?? 'not eligible')}</p>`);
  if (p.why) out.push(`<p class="muted">${text(p.why)}</p>`);
  if (p.before && p.after) {
    const pool = reclaimed(p.reclaimedPoolBytes, 'not measured');
    const host = reclaimed(p.reclaimedHostBytes, 'n/a (not a loop file)');
    out.push('<dl class="facts">');
    out.push(row('Pool data used', usedChange(p.before, p.after, p.blockSizeBytes)));
    out.push(row('Loop file allocated', change(p.before.allocatedBytes, p.after.allocatedBytes) ?? 'n/a (not a loop file)'));
    out.push(row('Host filesystem free', change(p.before.hostFreeBytes, p.after.hostFreeBytes)));
    out.push(row('Reclaimed to the pool', pool.value, `reclaimed-pool ${pool.cls}`));
    out.push(row('Reclaimed to the host', host.value, `reclaimed-host ${host.cls}`));
    out.push('</dl>');
    if (p.explanation) out.push(`<p class="explanation">${text(p.explanation)}</p>`);
  } else if (p.eligible) {
    out.push(`<p class="muted">${executed ? 'Not measured: the run stopped before the second measurement.' : 'Not run.'}</p>`);
  }
  if (p.mounts.length > 0) out.push(`<p class="muted">Trimmed: ${p.mounts.map((m) => `<code>${text(m)}</code>`).join(', ')}</p>`);
  out.push('</article>');
  return out.join('\n');
}

function firstLine(s: string): string {
  return s.split('\n').find((l) => l.trim() !== '') ?? '';
}

function stepRow(s: ReclaimStepJson, i: number): string {
  const status = s.status ?? 'not run';
  const rest = (s.output ?? '').trim();
  const first = firstLine(rest);
  const more = rest !== first.trim() && rest.includes('\n');
  return [
    `<tr class="step status-${attr(status)}">`,
    `<td class="num">${i + 1}</td>`,
    `<td><span class="badge kind-${attr(s.kind)}">${text(s.kind)}</span></td>`,
    `<td><code>${text(s.command)}</code>${s.pool ? ` <span class="muted">${text(s.pool)}</span>` : ''}</td>`,
    `<td><span class="badge status-${attr(status)}">${text(status)}</span></td>`,
    `<td class="num">${text(s.exitCode ?? '')}</td>`,
    `<td class="num">${s.durationMs !== undefined && s.status !== 'skipped' ? text(`${(s.durationMs / 1000).toFixed(1)} s`) : ''}</td>`,
    `<td class="output">${more ? `<details><summary>${text(first)}</summary><pre>${text(rest)}</pre></details>` : text(first)}</td>`,
    '</tr>',
  ].join('');
}

/** The body of the result page (no shell): used by `renderReclaimPage` and the unit tests. */
export function renderReclaimBody(r: ReclaimReportJson, o: ReclaimPageOptions): string {
  const out: string[] = [];
  out.push('<header>');
  out.push(`<h1>Reclaim: ${text(r.host)}</h1>`);
  const meta: string[] = [];
  if (r.startedAt) meta.push(`started ${r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`);
  if (r.durationMs !== undefined) meta.push(`took ${(r.durationMs / 1000).toFixed(1)} s`);
  if (r.privilege) meta.push(r.privilege === 'sudo' ? 'commands through sudo -n' : 'commands as the ssh user');
  if (meta.length > 0) out.push(`<p class="muted">${text(meta.join(' · '))}</p>`);
  out.push('<div class="actions">');
  out.push(`<button data-command="openJson"${o.saved ? '' : ' disabled title="The report could not be saved"'}>Open report JSON</button>`);
  out.push('<button data-command="showReport">Show host report</button>');
  out.push('<button data-command="showOutput">Show audit trail (output)</button>');
  out.push('</div>');
  out.push('</header>');
  if (r.stopped) out.push(`<div class="banner level-error" role="alert"><strong>Stopped:</strong> ${text(r.stopped)}</div>`);
  else if (r.executed) out.push('<p class="banner">Every step ran. The figures below are measured before and after (never fstrim’s own “trimmed” count).</p>');
  else out.push('<p class="banner">Nothing was changed on the host.</p>');
  if (r.pools.length > 0) out.push(`<section class="pools">${r.pools.map((p) => poolCard(p, r.executed)).join('\n')}</section>`);
  out.push(`<section class="steps"><h2>Steps (${r.plan.length})</h2>`);
  out.push('<table class="steps"><thead><tr><th>#</th><th>Kind</th><th>Command</th><th>Status</th><th>Exit</th><th>Time</th><th>Output</th></tr></thead><tbody>');
  out.push(r.plan.map(stepRow).join(''));
  out.push('</tbody></table></section>');
  if (r.guidance.length > 0) out.push(`<section class="guidance"><h2>Notes</h2><ul>${r.guidance.map((g) => `<li>${text(g)}</li>`).join('')}</ul></section>`);
  return out.join('\n');
}

export function renderReclaimPage(r: ReclaimReportJson, o: ReclaimPageOptions, shell: PageShell): string {
  return page(shell, `Reclaim: ${r.host}`, renderReclaimBody(r, o));
}

export interface ReclaimActionOptions {
  /** Trusted workspace, host reached, at least one pool, no inspection running. */
  enabled: boolean;
  /** Why not, as the disabled button's tooltip. */
  why?: string;
}

/** The host report's "Reclaim space…" button (data-command="reclaim"). */
export function reclaimButton(o: ReclaimActionOptions): string {
  return o.enabled ? '<button data-command="reclaim">Reclaim space…</button>' : `<button data-command="reclaim" disabled title="${attr(o.why ?? '')}">Reclaim space…</button>`;
}

/**
 * The report body (renderReport.ts) with the reclaim button added to its
 * action row: the row closes right before the header ends, and that
 * `</div>\n</header>` is ours — every host string is escaped, so no host text
 * contains a `<`. Without that row the button gets its own row at the top.
 */
export function withReclaimAction(reportBody: string, o: ReclaimActionOptions): string {
  const end = '</div>\n</header>';
  const at = reportBody.indexOf(end);
  if (at >= 0) return `${reportBody.slice(0, at)}${reclaimButton(o)}${reportBody.slice(at)}`;
  return `<div class="actions">${reclaimButton(o)}</div>\n${reportBody}`;
}
