/**
 * The reclaim result page, the report page's reclaim button and the texts of
 * the confirmation (client/src/report/renderReclaim.ts, reclaimJson.ts) are
 * built from remote output, which is hostile: pool names, mount points,
 * command output, explanations. Every one must come out as text, never as
 * markup, with control characters (ANSI escapes) visible.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { buildReclaimPlan, type HostReport, type PoolMeasurement, type PoolReport, type ReclaimPlan } from '../../server/src/core/index.js';
import { renderReclaimBody, renderReclaimPage, reclaimButton, withReclaimAction } from '../../client/src/report/renderReclaim.js';
import { confirmationText, emptyPlanMessage, emptyPlanReasons, pruneOffered, reclaimReportJson, reportFileName, resultSummary, shownCommand, type RunLike } from '../../client/src/report/reclaimJson.js';
import { renderReportBody } from '../../client/src/report/renderReport.js';

const EVIL = `<script>alert("x")</script>"'&\u001b[31mred\u001b[0m<img src=x onerror=alert(1)>\``;
const SHELL = { cspSource: 'vscode-webview://abc', nonce: 'N0nce123', styleUri: 'vscode-webview://abc/report.css', scriptUri: 'vscode-webview://abc/report.js' };
const THRESHOLDS = { dataWarning: 80, dataError: 95, metadataWarning: 80, metadataError: 95 };
const MiB = 1024 * 1024;

function pool(name: string, extra: Partial<PoolReport> = {}): PoolReport {
  return {
    name,
    mode: 'rw',
    discard: 'discard_passdown',
    noSpacePolicy: 'queue_if_no_space',
    needsCheck: false,
    blockSizeBytes: 65536,
    data: { used: 1742, total: 8192 },
    metadata: { used: 424, total: 4096 },
    features: [],
    backing: { kind: 'loop', path: `/srv/${EVIL}/data.img`, filesystem: 'ext4', mountPoint: '/srv/ext4', allocatedBytes: 120 * MiB, freeBytes: 900 * MiB, punchHole: 'yes' },
    thinDevices: [{ name: `${name}-thin`, mountPoint: '/mnt/lab-ext4', fsType: 'ext4' }],
    docker: false,
    reclaim: { verdict: 'host', why: EVIL },
    ...extra,
  };
}

function report(pools: PoolReport[], engine: HostReport['engine'] = { driverStatus: 'unknown', driverStatusPairs: [] }): HostReport {
  return { host: `evil${EVIL}`, reachable: true, privilege: 'direct', engine, pools, findings: [], problems: [], truncated: false };
}

/** A hostile host: an evil pool name, a refused (fail) pool with an evil mount point, guidance from the evil names. */
function hostileReport(): HostReport {
  return report([
    pool(EVIL),
    pool(`fail${EVIL}`, { mode: 'fail', thinDevices: [{ name: EVIL, mountPoint: `/mnt/${EVIL}` }] }),
    pool('odd-mount', { thinDevices: [{ name: 'odd', mountPoint: `/mnt/${EVIL}` }], reclaim: { verdict: 'pool-only', why: EVIL } }),
  ]);
}

function hostileRun(plan: ReclaimPlan, r: HostReport): RunLike {
  const m: PoolMeasurement = {
    name: EVIL,
    verdict: 'host',
    why: EVIL,
    before: { dataUsed: 1742, allocatedBytes: 120 * MiB, hostFreeBytes: 900 * MiB },
    after: { dataUsed: 782, allocatedBytes: 60 * MiB, hostFreeBytes: 960 * MiB },
    reclaimedPoolBytes: 960 * 65536,
    reclaimedHostBytes: 60 * MiB,
    explanation: EVIL,
  };
  const grew: PoolMeasurement = { ...m, name: 'odd-mount', verdict: 'pool-only', reclaimedPoolBytes: -65536, reclaimedHostBytes: null };
  return {
    executed: true,
    stopped: `failed at: ${EVIL}`,
    before: r,
    steps: plan.steps.map((_, i) => ({ status: i === 2 ? 'failed' : i > 2 ? 'skipped' : 'ok', exitCode: i === 2 ? 1 : 0, output: i === 2 ? `${EVIL}\nsecond ${EVIL}` : EVIL, startedAt: '2026-01-02T03:04:05.678Z', durationMs: 1234 })),
    measurements: [m, grew],
  };
}

/** Every tag in the HTML is one the renderers write themselves. */
const OUR_TAGS = new Set(['!DOCTYPE', 'html', 'head', 'meta', 'link', 'title', 'body', 'script', 'header', 'h1', 'h2', 'h3', 'p', 'span', 'div', 'button', 'section', 'article', 'svg', 'rect', 'dl', 'dt', 'dd', 'strong', 'code', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'ul', 'li', 'details', 'summary', 'pre']);

function assertInert(html: string): void {
  for (const m of html.matchAll(/<\/?([!A-Za-z][\w-]*)/g)) assert.ok(OUR_TAGS.has(m[1]!), `unexpected tag <${m[1]}> in the output`);
  assert.doesNotMatch(html, /\u001b/, 'no raw ESC');
  assert.doesNotMatch(html, /<img|<script>alert|onerror=alert\(1\)>/);
  assert.doesNotMatch(html, /&(?!(?:amp|lt|gt|quot|#39|#96);)/, 'every & is an entity');
  for (const m of html.matchAll(/\s[\w-]+="([^"]*)"/g)) assert.doesNotMatch(m[1]!, /[<>]/);
}

const ESCAPED = /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;&quot;&#39;&amp;\\x1b\[31mred\\x1b\[0m&lt;img src=x onerror=alert\(1\)&gt;&#96;/;

describe('reclaim result page: hostile remote strings', () => {
  const r = hostileReport();
  const plan = buildReclaimPlan(r);
  const json = reclaimReportJson(plan, hostileRun(plan, r), { audit: r, startedAt: '2026-01-02T03:04:05.678Z', durationMs: 4200, privilege: 'sudo' });

  test('the plan refuses the fail pool and the odd mount point before anything renders', () => {
    assert.deepEqual(
      plan.steps.map((s) => `${s.kind} ${s.argv.join(' ')}`),
      ['read-only sh -s', 'mutating sync', 'mutating fstrim -v /mnt/lab-ext4', 'read-only sh -s'],
    );
    assert.equal(plan.audits[1]!.eligible, false);
    assert.equal(plan.audits[2]!.refusedMounts.length, 1);
  });

  test('every string is escaped, ANSI escapes are visible, the body has no script', () => {
    const body = renderReclaimBody(json, { saved: true });
    assertInert(body);
    assert.match(body, ESCAPED);
    assert.match(body, /data-pool="&lt;script&gt;/, 'attribute values are escaped');
    assert.doesNotMatch(body, /<script/);
    assert.match(body, /<h1>Reclaim: evil&lt;script&gt;/);
    assert.match(body, /Stopped:<\/strong> failed at: &lt;script&gt;/);
  });

  test('per pool: verdict, before → after in blocks and bytes, reclaimed to pool and host, explanation', () => {
    const body = renderReclaimBody(json, { saved: true });
    assert.match(body, /Pool data used<\/dt><dd>1742 → 782 blocks \(109 MiB → 48\.9 MiB\)<\/dd>/);
    assert.match(body, /Loop file allocated<\/dt><dd>120 MiB → 60 MiB<\/dd>/);
    assert.match(body, /Reclaimed to the pool<\/dt><dd class="reclaimed-pool gain">60 MiB<\/dd>/);
    assert.match(body, /Reclaimed to the host<\/dt><dd class="reclaimed-host gain">60 MiB<\/dd>/);
    assert.match(body, /grew by 64 KiB meanwhile/, 'a pool that grew says so, never a negative gain');
    assert.match(body, /Refused:<\/strong> the pool is in fail mode/);
    assert.match(body, /<p class="explanation">&lt;script&gt;/);
  });

  test('the step list carries kind, exact command, status, exit code and output (first line, rest folded)', () => {
    const body = renderReclaimBody(json, { saved: true });
    assert.match(body, /<span class="badge kind-mutating">mutating<\/span><\/td><td><code>fstrim -v \/mnt\/lab-ext4<\/code>/);
    assert.match(body, /<span class="badge status-failed">failed<\/span><\/td><td class="num">1<\/td>/);
    assert.match(body, /<details><summary>&lt;script&gt;[^<]*<\/summary><pre>&lt;script&gt;[^<]*\nsecond &lt;script&gt;/);
    assert.equal((body.match(/<tr class="step /g) ?? []).length, plan.steps.length);
  });

  test('the page has the strict CSP and our script only; an unsaved report disables "Open report JSON"', () => {
    const html = renderReclaimPage(json, { saved: false }, SHELL);
    assertInert(html);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src vscode-webview:\/\/abc; script-src &#39;nonce-N0nce123&#39;;/);
    assert.equal((html.match(/<script/g) ?? []).length, 1);
    assert.match(html, /<button data-command="openJson" disabled/);
  });
});

describe('reclaim JSON: the CLI shape plus measurements', () => {
  test('planJson fields, step statuses and the measurements; no run = not executed, no statuses', () => {
    const r = hostileReport();
    const plan = buildReclaimPlan(r);
    const run = hostileRun(plan, r);
    const json = reclaimReportJson(plan, run, { audit: r });
    assert.equal(json.executed, true);
    assert.equal(json.stopped, run.stopped);
    assert.deepEqual(json.plan.map((s) => [s.kind, s.command, s.status]), [['read-only', 'sh -s', 'ok'], ['mutating', 'sync', 'ok'], ['mutating', 'fstrim -v /mnt/lab-ext4', 'failed'], ['read-only', 'sh -s', 'skipped']]);
    assert.equal(json.plan[2]!.exitCode, 1);
    const p = json.pools.find((x) => x.name === EVIL)!;
    assert.deepEqual(Object.keys(p), ['name', 'verdict', 'why', 'eligible', 'refusal', 'mounts', 'before', 'after', 'reclaimedPoolBytes', 'reclaimedHostBytes', 'explanation', 'blockSizeBytes']);
    assert.equal(p.blockSizeBytes, 65536);
    assert.equal(p.reclaimedHostBytes, 60 * MiB);
    assert.equal(json.measurements.length, 2);
    assert.deepEqual(JSON.parse(JSON.stringify(json)), json, 'survives JSON');
    const dry = reclaimReportJson(plan, undefined);
    assert.equal(dry.executed, false);
    assert.ok(dry.plan.every((s) => s.status === undefined));
    assert.ok(dry.pools.every((x) => x.before === null && x.reclaimedPoolBytes === null));
  });

  test('commands are shown as typed; file names are portable', () => {
    assert.equal(shownCommand(['fstrim', '-v', '/mnt/a b']), "fstrim -v '/mnt/a b'");
    assert.equal(shownCommand(['x', "it's"]), `x 'it'\\''s'`);
    assert.equal(reportFileName('ops@lab', '2026-01-02T03:04:05.678Z'), 'ops@lab-2026-01-02T03-04-05.678Z.json');
    assert.equal(reportFileName('../../etc/x y', '2026-01-02T03:04:05.678Z'), '.._.._etc_x_y-2026-01-02T03-04-05.678Z.json');
  });
});

describe('reclaim confirmation and notices: plain text with visible control characters', () => {
  test('the modal lists every step with its kind and exact command, the refused pools and the guidance', () => {
    const plan = buildReclaimPlan(hostileReport());
    const c = confirmationText(plan, { useSudo: true });
    assert.equal(c.button, 'Run 4 steps');
    assert.match(c.message, /^Reclaim thin-pool space on evil<script>.*\\x1b\[31m.*\? 4 steps \(2 mutating\)\.$/);
    const lines = c.detail.split('\n');
    assert.match(lines[0]!, /over ssh, through sudo -n/);
    assert.ok(lines.includes('2. [mutating] sync'), c.detail);
    assert.ok(lines.some((l) => l.startsWith('3. [mutating] fstrim -v /mnt/lab-ext4   (pool <script>')), c.detail);
    assert.ok(lines.some((l) => /^1\. \[read-only\] sh -s {3}\(measure before/.test(l)));
    assert.ok(lines.some((l) => /^4\. \[read-only\] sh -s {3}\(measure after/.test(l)));
    assert.ok(lines.some((l) => /^• fail<script>.*: refused — the pool is in fail mode/.test(l)), c.detail);
    assert.ok(lines.includes('Not trimmed:'));
    assert.ok(lines.some((l) => l.startsWith('Notes (never run by this workflow):')));
    assert.doesNotMatch(c.message + c.detail, /\u001b/, 'no live ESC');
  });

  test('destructive steps are tagged and counted', () => {
    const docker = pool('docker-pool', { docker: true, thinDevices: [] });
    const r = report([docker], { version: '20.10.24', driver: 'devicemapper', driverStatus: 'deprecated', driverStatusPairs: [] });
    const base = buildReclaimPlan(r);
    assert.equal(base.empty, true);
    assert.equal(pruneOffered(r, base), true, 'Docker on devicemapper with an eligible pool: the tick boxes apply');
    const plan = buildReclaimPlan(r, { pruneContainers: true, pruneImages: true });
    const c = confirmationText(plan, { useSudo: false });
    assert.match(c.message, /\(1 mutating, 2 DESTRUCTIVE\)/);
    assert.match(c.detail, /\[destructive\] docker container prune -f/);
    assert.match(c.detail, /\[destructive\] docker image prune -f/);
    assert.equal(pruneOffered(report([docker]), buildReclaimPlan(report([docker]))), false, 'no Docker engine: no tick boxes');
  });

  test('an empty plan says why, per pool', () => {
    const r = report([pool(`lab-fail${EVIL}`, { mode: 'fail' }), pool('idle', { thinDevices: [] })]);
    const plan = buildReclaimPlan(r);
    assert.equal(plan.empty, true);
    const reasons = emptyPlanReasons(plan);
    assert.match(reasons[0]!, /^lab-fail<script>.*\\x1b\[31m.* is refused: the pool is in fail mode/);
    assert.match(reasons[1]!, /^idle has no mounted thin filesystem/);
    assert.match(emptyPlanMessage(plan), /Nothing was changed\.$/);
    assert.deepEqual(emptyPlanReasons(buildReclaimPlan(report([]))), ['the host has no thin pools']);
  });

  test('the result summary names what came back per pool', () => {
    const r = hostileReport();
    const plan = buildReclaimPlan(r);
    const json = reclaimReportJson(plan, { ...hostileRun(plan, r), stopped: undefined }, {});
    const s = resultSummary(json);
    assert.match(s, /^Devicemapper: reclaim on evil<script>.* done: <script>.*: 60 MiB to the pool, 60 MiB to the host; odd-mount: none \(grew by 64 KiB\) to the pool, n\/a to the host\.$/);
    assert.doesNotMatch(s, /\u001b/);
  });
});

describe('the report page\'s "Reclaim space…" button', () => {
  test('sits in the action row of a hostile report, once, and is disabled with its reason', () => {
    const body = renderReportBody(hostileReport(), { thresholds: THRESHOLDS, hasTranscript: true });
    const on = withReclaimAction(body, { enabled: true });
    assertInert(on);
    assert.equal((on.match(/data-command="reclaim"/g) ?? []).length, 1);
    const row = on.slice(on.indexOf('<div class="actions">'), on.indexOf('</header>'));
    assert.match(row, /<button data-command="refresh">Refresh<\/button>\n<button data-command="reclaim">Reclaim space…<\/button><\/div>/);
    const off = withReclaimAction(body, { enabled: false, why: `untrusted ${EVIL}` });
    assertInert(off);
    assert.match(off, /<button data-command="reclaim" disabled title="untrusted &lt;script&gt;/);
    assert.equal(withReclaimAction('<p>no header</p>', { enabled: true }), `<div class="actions">${reclaimButton({ enabled: true })}</div>\n<p>no header</p>`);
  });
});
