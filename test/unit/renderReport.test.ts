/**
 * The report and fleet pages of the VS Code client (client/src/report) are
 * built from remote output, which is hostile: every name, path, message and
 * kernel string must come out as text, never as markup, and control
 * characters (ANSI escapes) must be visible, not live.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { HostReport, PoolReport } from '../../server/src/core/index.js';
import { renderReportBody, renderReportPage, usageLevel, poolLevel } from '../../client/src/report/renderReport.js';
import { renderFleetBody, renderFleetPage } from '../../client/src/report/renderFleet.js';
import { text, visible, makeNonce } from '../../client/src/report/html.js';

const EVIL = `<script>alert("x")</script>"'&\u001b[31mred\u001b[0m<img src=x onerror=alert(1)>\``;
const THRESHOLDS = { dataWarning: 80, dataError: 95, metadataWarning: 80, metadataError: 95 };
const SHELL = { cspSource: 'vscode-webview://abc', nonce: 'N0nce123', styleUri: 'vscode-webview://abc/report.css', scriptUri: 'vscode-webview://abc/report.js' };

function pool(name: string, extra: Partial<PoolReport> = {}): PoolReport {
  return {
    name,
    mode: 'rw',
    discard: 'discard_passdown',
    noSpacePolicy: 'queue_if_no_space',
    needsCheck: false,
    blockSizeBytes: 65536,
    data: { used: 783, total: 8192 },
    metadata: { used: 424, total: 4096 },
    features: [EVIL],
    backing: { kind: 'loop', path: `/srv/${EVIL}/data.img`, device: `loop0${EVIL}`, filesystem: EVIL, mountPoint: EVIL, apparentBytes: 512 * 1024 ** 2, allocatedBytes: 60 * 1024 ** 2, freeBytes: 1024 ** 3, punchHole: 'yes', discardMaxBytes: 4 * 1024 ** 3 },
    thinDevices: [{ name: EVIL, deviceId: 0, sizeBytes: 1024 ** 3, mappedBytes: 50 * 1024 ** 2, mountPoint: EVIL, fsType: EVIL }],
    docker: true,
    reclaim: { verdict: 'host', why: EVIL },
    ...extra,
  };
}

function hostile(): HostReport {
  return {
    host: 'evil-host',
    reachable: true,
    privilege: 'direct',
    user: EVIL,
    hostname: EVIL,
    kernel: EVIL,
    engine: { version: EVIL, driver: EVIL, driverStatus: 'deprecated', driverStatusPairs: [[EVIL, EVIL]] },
    pools: [pool(EVIL), pool('full', { mode: 'out_of_data_space', data: { used: 1024, total: 1024 } })],
    findings: [
      { code: EVIL, severity: 'error', message: EVIL, pool: EVIL, remedy: EVIL, count: 3, origin: 'status' },
      { code: 'no-discard-passdown', severity: 'warning', message: 'plain', origin: 'status' },
    ],
    daemonJson: { path: '/etc/docker/daemon.json', text: EVIL },
    problems: [{ section: 'dmsetup-status', rc: 1, stderr: EVIL }],
    truncated: false,
  };
}

/** Every tag in the HTML is one the renderer writes itself. */
const OUR_TAGS = new Set(['!DOCTYPE', 'html', 'head', 'meta', 'link', 'title', 'body', 'script', 'header', 'h1', 'h2', 'h3', 'p', 'span', 'div', 'button', 'section', 'article', 'svg', 'rect', 'dl', 'dt', 'dd', 'strong', 'code', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'ul', 'li', 'details', 'summary']);

function assertInert(html: string): void {
  for (const m of html.matchAll(/<\/?([!A-Za-z][\w-]*)/g)) assert.ok(OUR_TAGS.has(m[1]!), `unexpected tag <${m[1]}> in the output`);
  assert.doesNotMatch(html, /\u001b/, 'no raw ESC');
  assert.doesNotMatch(html, /<img|<script>alert|onerror=alert\(1\)>/);
  assert.doesNotMatch(html, /&(?!(?:amp|lt|gt|quot|#39|#96);)/, 'every & is an entity');
  // Attribute values never contain a raw quote: the hostile string cannot close one.
  for (const m of html.matchAll(/\s[\w-]+="([^"]*)"/g)) assert.doesNotMatch(m[1]!, /[<>]/);
}

describe('report page: hostile remote strings', () => {
  test('every string from the report is escaped and ANSI escapes are made visible', () => {
    const body = renderReportBody(hostile(), { thresholds: THRESHOLDS, hasTranscript: true, startedAt: '2026-01-02T03:04:05.678Z', durationMs: 4200 });
    assertInert(body);
    assert.match(body, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt;&quot;&#39;&amp;\\x1b\[31mred\\x1b\[0m&lt;img src=x onerror=alert\(1\)&gt;&#96;/);
    assert.match(body, /data-pool="&lt;script&gt;/, 'attribute values are escaped');
    assert.doesNotMatch(body, /<script/, 'the body has no script at all');
  });

  test('the page has the strict CSP, one nonce-bearing script and our stylesheet only', () => {
    const html = renderReportPage(hostile(), { thresholds: THRESHOLDS, hasTranscript: true }, SHELL);
    assertInert(html);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src vscode-webview:\/\/abc; script-src &#39;nonce-N0nce123&#39;; img-src vscode-webview:\/\/abc;">/);
    assert.equal([...html.matchAll(/<script/g)].length, 1);
    assert.match(html, /<script nonce="N0nce123" src="vscode-webview:\/\/abc\/report.js"><\/script>/);
    assert.doesNotMatch(html, /\sstyle=|<style/, 'no inline styles (style-src has no unsafe-inline)');
    for (const tag of html.matchAll(/<[A-Za-z][^>]*>/g)) assert.doesNotMatch(tag[0].replace(/"[^"]*"/g, '""'), /\son[a-z]+=/i, `no inline event handler in ${tag[0]}`);
  });

  test('content: gauges, flags, backing, reclaim, thin devices, findings with remedies', () => {
    const body = renderReportBody(hostile(), { thresholds: THRESHOLDS, hasTranscript: false });
    assert.match(body, /9\.6 % · 48\.9 MiB of 512 MiB/, 'data gauge in percent and bytes (783 × 64 KiB of 8192 × 64 KiB)');
    assert.match(body, /10 % · 1\.66 MiB of 16 MiB/, 'metadata gauge in 4 KiB blocks');
    assert.match(body, /<rect class="gauge-fill" x="0" y="0" width="9\.56" height="6">/);
    assert.match(body, /class="card level-error" data-pool="full"/, 'an out-of-space pool is an error card');
    assert.match(body, /out of data space/);
    assert.match(body, /<dt>Punch hole<\/dt><dd class="punch-yes">yes<\/dd>/);
    assert.match(body, /freed space returns to the host/);
    assert.match(body, /<button data-command="openTranscript" disabled>/, 'no transcript: the button is disabled');
    assert.match(body, /<button data-command="openDaemonJson">/);
    assert.match(body, /class="finding sev-error"/);
    assert.match(body, /What to do:/);
    assert.match(body, /×3/);
  });

  test('an unreachable host shows its reason as one banner', () => {
    const r: HostReport = { host: 'gone<b>', reachable: false, error: `gone: the host name does not resolve ${EVIL}`, errorKind: 'resolve', privilege: 'direct', engine: { driverStatus: 'unknown', driverStatusPairs: [] }, pools: [], findings: [{ code: 'host-unreachable', severity: 'error', message: 'x', origin: 'host' }], problems: [], truncated: false };
    const body = renderReportBody(r, { thresholds: THRESHOLDS, hasTranscript: false });
    assertInert(body);
    assert.match(body, /role="alert"><strong>Not inspected\.<\/strong> gone: the host name does not resolve &lt;script&gt;/);
    assert.match(body, /<h1>gone&lt;b&gt;<\/h1>/);
    assert.doesNotMatch(body, /Findings/, 'the unreachable finding is the banner, not repeated');
  });
});

describe('fleet page', () => {
  test('rows worst first, unreachable with why, buttons carry the escaped host', () => {
    const ok: HostReport = { ...hostile(), host: 'a"b', pools: [pool('p', { data: { used: 10, total: 100 }, metadata: { used: 1, total: 100 } })], findings: [] };
    const full: HostReport = { ...hostile(), host: 'full-host', pools: [pool('fullpool', { data: { used: 90, total: 100 } })], findings: [] };
    const gone: HostReport = { host: `<i>gone</i>`, reachable: false, error: `${EVIL} does not resolve`, errorKind: 'resolve', privilege: 'direct', engine: { driverStatus: 'unknown', driverStatusPairs: [] }, pools: [], findings: [], problems: [], truncated: false };
    const body = renderFleetBody([ok, full, gone], { thresholds: THRESHOLDS });
    assertInert(body);
    const order = [...body.matchAll(/<tr class="[^"]*" data-host="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(order, ['&lt;i&gt;gone&lt;/i&gt;', 'full-host', 'a&quot;b']);
    assert.match(body, /unreachable: &lt;script&gt;/);
    assert.match(body, /<button data-command="openHost" data-host="a&quot;b">Open report<\/button>/);
    assert.match(body, /class="num level-warning">.*90 %/s);
    const page = renderFleetPage([ok], { thresholds: THRESHOLDS }, SHELL);
    assert.equal([...page.matchAll(/<script/g)].length, 1);
  });
});

describe('html helpers', () => {
  test('visible() shows control characters; text() escapes markup', () => {
    assert.equal(visible('a\u001b[2Jb\u0000\u009b\u2028'), 'a\\x1b[2Jb\\x00\\x9b\\x2028');
    assert.equal(text(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    assert.equal(text(undefined), '');
  });

  test('nonces are 32 alphanumerics', () => {
    const n = makeNonce((k) => Uint8Array.from({ length: k }, (_, i) => i * 37));
    assert.match(n, /^[A-Za-z0-9]{32}$/);
  });

  test('usage levels follow the thresholds; a failed pool is an error whatever its usage', () => {
    assert.equal(usageLevel(0.79, 80, 95), 'ok');
    assert.equal(usageLevel(0.8, 80, 95), 'warning');
    assert.equal(usageLevel(0.95, 80, 95), 'error');
    assert.equal(poolLevel(pool('p', { mode: 'fail', data: { used: 1, total: 100 } }), THRESHOLDS), 'error');
    assert.equal(poolLevel(pool('p', { metadata: { used: 85, total: 100 } }), THRESHOLDS), 'warning');
  });
});
