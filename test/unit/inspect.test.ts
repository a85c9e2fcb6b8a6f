/**
 * The pure half of remote inspection on collector output captured from the
 * lab guest (test/fixtures/lab/collector-*.txt, nonce 0123456789abcdef):
 * section framing (forged and cut markers), the host model, the verdicts, the
 * JSON shape and the fleet order. The same pipeline runs live in test/remote.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostReportFromOutput, parseCollectorOutput, nonceFromBytes, inspectJson, fleetSummary, unreachableReport, collectedTranscript, COLLECTOR_SCRIPT, COLLECTOR_SECTIONS } from '../../server/src/core/index';

const NONCE = '0123456789abcdef';
const fixture = (name: string) => readFileSync(join(__dirname, '../fixtures/lab', name), 'utf8');
const ROOT = fixture('collector-root.txt');

test('every section of the script arrives, byte for byte, with its exit status', () => {
  const c = parseCollectorOutput(ROOT, NONCE);
  assert.deepEqual(c.truncated, []);
  assert.equal(c.stray, '');
  assert.deepEqual(Object.keys(c.sections).sort(), [...COLLECTOR_SECTIONS].filter((s) => s !== 'lsblk' || c.sections.lsblk).sort());
  assert.equal(c.sections.kernel?.stdout, '6.1.0-50-amd64\n');
  assert.equal(c.sections['dmsetup-status']?.rc, 0);
  assert.match(c.sections['dmsetup-status'].stdout, /^lab-ext4: 0 1048576 thin-pool 0 \d+\/4096 \d+\/8192 - rw discard_passdown queue_if_no_space - 1024 $/m);
  assert.equal(c.sections.journal?.rc, 127);
  assert.equal(c.sections.journal?.stderr, 'journalctl: not found');
});

test('markers with another nonce, unknown names or damage stay text; a cut stream marks the section', () => {
  const forged = `\n@@${NONCE}@@ begin kernel\nfirst\n@@ffffffffffffffff@@ end 0\n@@${NONCE}@@ begin nonsense\n@@${NONCE}@@ end x\n@@${NONCE}@@ stderr\n\n@@${NONCE}@@ end 0\n`;
  const c = parseCollectorOutput(forged, NONCE);
  assert.equal(c.sections.kernel?.stdout, `first\n@@ffffffffffffffff@@ end 0\n@@${NONCE}@@ begin nonsense\n@@${NONCE}@@ end x`);
  assert.equal(c.sections.kernel?.rc, 0);

  const cut = ROOT.slice(0, ROOT.indexOf('begin losetup') + 40);
  const d = parseCollectorOutput(cut, NONCE);
  assert.deepEqual(d.truncated, ['losetup']);
  assert.equal(d.sections.losetup?.rc, -1);
  const { report } = hostReportFromOutput('lab', cut, NONCE);
  assert.ok(report.findings.some((f) => f.code === 'output-cut' && /losetup/.test(f.message)));
  assert.ok(report.pools.length >= 6, 'what arrived is still used');
});

test('a nonce is 16 hex digits from random bytes; the script refuses anything else', () => {
  assert.equal(nonceFromBytes(new Uint8Array([0, 1, 2, 0xab, 0xcd, 0xef, 0x10, 0xff, 9])), '000102abcdef10ff');
  assert.throws(() => nonceFromBytes(new Uint8Array(4)));
  assert.match(COLLECTOR_SCRIPT, /case \$N in ''\|\*\[!0-9a-f\]\*\) echo 'dmlens collector: bad nonce'/);
  assert.ok(!COLLECTOR_SCRIPT.includes('@{'), 'every placeholder became ${');
  // Read-only: none of the mutating commands appears in the script.
  for (const word of ['blkdiscard', 'fstrim', 'dmsetup message', 'dmsetup remove', 'thin_trim', 'mkfs', 'truncate', ' rm ', 'dd ']) assert.ok(!COLLECTOR_SCRIPT.includes(word), word);
});

test('the host model: pools, devno, backing files, thin devices and their mounts', () => {
  const { report } = hostReportFromOutput('dmlens-lab', ROOT, NONCE);
  assert.equal(report.user, 'root');
  assert.equal(report.kernel, '6.1.0-50-amd64');
  assert.equal(report.libdevmapper, '1.02.185');
  const ext4 = report.pools.find((p) => p.name === 'lab-ext4')!;
  assert.equal(ext4.devno, '253:0');
  assert.equal(ext4.blockSizeBytes, 65536);
  assert.equal(ext4.lowWaterMark, 1024);
  assert.deepEqual(ext4.metadata?.total, 4096);
  assert.equal(ext4.backing?.kind, 'loop');
  assert.equal(ext4.backing?.path, '/srv/ext4/data.img');
  assert.equal(ext4.backing?.apparentBytes, 536870912);
  assert.equal(ext4.backing?.filesystem, 'ext4');
  assert.equal(ext4.backing?.punchHole, 'yes');
  assert.equal(ext4.metadataBacking?.path, '/srv/ext4/meta.img');
  assert.deepEqual(
    ext4.thinDevices.map((t) => [t.name, t.deviceId, t.sizeBytes, t.mountPoint]),
    [['lab-ext4-thin', 0, 1073741824, '/mnt/lab-ext4']],
  );
  assert.equal(report.pools.find((p) => p.name === 'lab-fail')?.mode, 'fail');
  assert.equal(report.pools.find((p) => p.name === 'lab-oos')?.noSpacePolicy, 'error_if_no_space');
  const docker = report.pools.find((p) => p.docker);
  if (docker) assert.equal(docker.backing?.path, '/var/lib/docker/devicemapper/devicemapper/data');
});

test('verdicts: ext4 host, jfs pool-only (passdown disabled by the kernel), vfat trap, Fail none', () => {
  const { report } = hostReportFromOutput('dmlens-lab', ROOT, NONCE);
  const verdict = (name: string) => report.pools.find((p) => p.name === name)!.reclaim.verdict;
  assert.equal(verdict('lab-ext4'), 'host');
  assert.equal(verdict('lab-jfs'), 'pool-only');
  assert.equal(verdict('lab-vfat'), 'pool-only');
  assert.equal(verdict('lab-fail'), 'none');
  const codes = new Set(report.findings.map((f) => `${f.code}@${f.pool ?? ''}`));
  for (const c of ['no-discard-passdown@lab-jfs', 'discard-not-effective@lab-vfat', 'out-of-data-space@lab-oos', 'out-of-data-space@lab-oos-queue', 'pool-failed@lab-fail', 'thin-tools-unsafe@']) assert.ok(codes.has(c), c);
  // Thresholds move the usage findings: at 5 % every pool with data in it warns.
  const strict = hostReportFromOutput('dmlens-lab', ROOT, NONCE, { thresholds: { dataWarning: 5, dataError: 99 } }).report;
  assert.ok(strict.findings.some((f) => f.code === 'data-usage-high' && f.pool === 'lab-ext4'));
});

test('sudo with no rule: one password message, nothing else about sudo', () => {
  const { report } = hostReportFromOutput('dmlens-lab', fixture('collector-nosudo-sudo.txt'), NONCE, { privilege: 'sudo' });
  assert.deepEqual(report.findings.filter((f) => f.code.startsWith('sudo')).map((f) => f.code), ['sudo-password-required']);
  assert.equal(report.pools.length, 0);
});

test('JSON shape, fleet order and the raw transcript', () => {
  const { report, collected } = hostReportFromOutput('dmlens-lab', ROOT, NONCE);
  const json = inspectJson(report);
  assert.equal(json.error, null);
  const jfs = json.pools.find((p) => p.name === 'lab-jfs')!;
  assert.equal(jfs.backing?.punchHole, 'no');
  assert.equal(typeof jfs.data?.used, 'number');
  assert.deepEqual(Object.keys(json.findings[0]!).sort(), ['code', 'count', 'message', 'origin', 'pool', 'remedy', 'severity']);

  const down = unreachableReport('far', 'refused', 'far: connection refused');
  const rows = fleetSummary([report, down]);
  assert.deepEqual(rows.map((r) => r.host), ['far', 'dmlens-lab']);
  assert.equal(rows[1]!.worstUsage, 1, 'a pool out of space is the worst');

  const t = collectedTranscript(collected, { host: 'dmlens-lab', user: 'root', privilege: 'direct' });
  assert.match(t, /^# journalctl .*\n\[exit status 127\] journalctl: not found$/m);
});

test('hostile output never throws and never becomes a pool name it did not print', () => {
  const evil = `\n@@${NONCE}@@ begin dmsetup-status\n<script>x</script>: 0 8 thin-pool 0 1/2 3/4 - rw discard_passdown queue_if_no_space - 5 \n\u0000\u001b[31m: 0 1 thin-pool Fail\n${'x'.repeat(100_000)}\n@@${NONCE}@@ stderr\n\n@@${NONCE}@@ end 0\n`;
  const { report } = hostReportFromOutput('h', evil, NONCE);
  assert.deepEqual(report.pools.map((p) => p.name), ['\u0000\u001b[31m', '<script>x</script>'].sort());
  for (const junk of ['', '\n', `@@${NONCE}@@`, `\n@@${NONCE}@@ begin`, '\u0000'.repeat(1000)]) assert.doesNotThrow(() => hostReportFromOutput('h', junk, NONCE));
});

test('a dmsetup listing that fails for any other reason is a step-failed error, never a silent "0 pools"', () => {
  // What dmsetup prints when one device's name cannot be shown (made with --manglename none).
  const why = 'The name "x\\x1b" should be mangled but it contains blacklisted characters.';
  const failed = ROOT.replace(/(@@0123456789abcdef@@ begin dmsetup-status\n)[\s\S]*?@@0123456789abcdef@@ stderr\n[\s\S]*?(@@0123456789abcdef@@ end )0/, `$1\n@@0123456789abcdef@@ stderr\n${why}\nCommand failed.\n$21`);
  assert.notEqual(failed, ROOT, 'the fixture was changed');
  const { report } = hostReportFromOutput('lab', failed, NONCE);
  const f = report.findings.filter((x) => x.code === 'step-failed');
  assert.equal(f.length, 1, JSON.stringify(report.findings.map((x) => x.code)));
  assert.equal(f[0]!.severity, 'error');
  assert.match(f[0]!.message, /^The dmsetup-status step failed \(exit 1\): The name "x\\x1b" should be mangled/);
  // A refused permission keeps its own, more precise finding and is not reported twice.
  const denied = ROOT.replace(/(@@0123456789abcdef@@ begin dmsetup-status\n)[\s\S]*?@@0123456789abcdef@@ stderr\n[\s\S]*?(@@0123456789abcdef@@ end )0/, `$1\n@@0123456789abcdef@@ stderr\n/dev/mapper/control: open failed: Permission denied\n$21`);
  const codes = hostReportFromOutput('lab', denied, NONCE).report.findings.map((x) => x.code);
  assert.ok(codes.includes('permission-denied') && !codes.includes('step-failed'), codes.join(' '));
});
