/**
 * Property tests (fast-check) for every parser, validator and the reclaim
 * plan: on arbitrary and on near-valid input they never throw, every range
 * lies inside the document, and a re-parse (fresh or after an edit) gives the
 * same answer. 1 000 cases each here; `npm run bench` runs 100 000
 * (DMLENS_PROPERTY_RUNS).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  TranscriptDocument,
  TranscriptDiagnostics,
  DEFAULT_THRESHOLDS,
  hoverAt,
  documentSymbols,
  splitLines,
  validateDaemonJson,
  analyzeLog,
  matchLogLine,
  parseCollectorOutput,
  hostReportFromOutput,
  buildReclaimPlan,
  checkMountPoint,
  parseSshConfigHosts,
  parseAnsibleInventory,
  ramInBytes,
  type Range,
} from '../../server/src/core/index';

const RUNS = Number(process.env['DMLENS_PROPERTY_RUNS'] ?? 1000);
const opts = { numRuns: RUNS };

// Pieces of real output, so the generators reach deep into the parsers rather than stopping at the first word.
const WORDS = ['# dmsetup status', '# dmsetup table', '$ sudo dmsetup ls --tree', 'docker info', 'thin-pool', 'thin', 'linear', '0', '209715200', '12', '633/524288', '26115/1638400', '-', 'rw', 'ro', 'out_of_data_space', 'Fail', 'Error', 'discard_passdown', 'no_discard_passdown', 'queue_if_no_space', 'needs_check', '1024', '253:0', '7:1', '128', '32768', 'skip_block_zeroing', 'docker-253:0-1-pool:', 'pool:', ' Data Space Used: 1.59 GB', ' Pool Name: docker-8:1-1-pool', '/dev/loop0', 'BACK-FILE', 'device-mapper: thin: 253:0: switching pool to out-of-data-space (queue IO) mode', '[  12.5]', 'time="2024-01-01T00:00:00Z" level=error msg="devmapper: Thin Pool has 1 free data blocks"', '\t', ' ', '\u0000', '\u001b[31m', 'é', '"', '\\', '1e400', '99999999999999999999'];
const line = fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 12 })), { maxLength: 14 }).map((ws) => ws.join(' '));
const docText = fc.array(line, { maxLength: 40 }).chain((lines) => fc.constantFrom('\n', '\r\n').map((eol) => lines.join(eol)));

function inside(r: Range, lines: string[], what: string): void {
  const ok = (p: { line: number; character: number }) => p.line >= 0 && p.line < lines.length && p.character >= 0 && p.character <= lines[p.line]!.length;
  assert.ok(ok(r.start) && ok(r.end), `${what}: ${JSON.stringify(r)} outside a ${lines.length}-line document`);
  assert.ok(r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character), `${what}: reversed range`);
}

test('transcripts: diagnostics, hovers and symbols never throw and stay inside the document', () => {
  fc.assert(
    fc.property(docText, fc.nat(), fc.nat(), (text, l, c) => {
      const lines = splitLines(text);
      const doc = new TranscriptDocument(text);
      for (const f of new TranscriptDiagnostics(doc).compute(DEFAULT_THRESHOLDS)) {
        inside(f.range, lines, f.code);
        for (const r of f.related ?? []) inside(r.range, lines, `${f.code} related`);
      }
      const line = l % lines.length;
      hoverAt(doc, line, c % (lines[line]!.length + 1));
      for (const s of documentSymbols(doc)) inside(s.range, lines, `symbol ${s.name}`);
    }),
    opts,
  );
});

test('transcripts: after inserting a line, the incremental findings equal a fresh parse of the new text', () => {
  fc.assert(
    fc.property(docText, fc.nat(), line, (text, at, inserted) => {
      const lines = splitLines(text);
      const target = at % lines.length;
      const doc = new TranscriptDocument(text);
      const diag = new TranscriptDiagnostics(doc);
      diag.compute(DEFAULT_THRESHOLDS);
      const start = { line: target, character: 0 };
      doc.update([{ range: { start, end: start }, text: `${inserted}\n` }]);
      const edited = diag.compute(DEFAULT_THRESHOLDS);
      const fresh = new TranscriptDiagnostics(new TranscriptDocument([...lines.slice(0, target), inserted, ...lines.slice(target)].join('\n'))).compute(DEFAULT_THRESHOLDS);
      const key = (fs: typeof fresh) => fs.map((f) => `${f.code}@${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character} ${f.message}`).sort();
      // CRLF documents are rejoined with LF above: compare only when the text had none.
      if (!text.includes('\r')) assert.deepEqual(key(edited), key(fresh));
    }),
    { numRuns: Math.max(100, Math.floor(RUNS / 4)) },
  );
});

const jsonish = fc.oneof(
  fc.json(),
  fc.record({ 'storage-driver': fc.constantFrom('devicemapper', 'overlay2', 'dm', ''), 'storage-opts': fc.array(fc.oneof(fc.constantFrom('dm.basesize=20G', 'dm.thinpooldev=/dev/mapper/x', 'dm.fs=xfs', 'dm.loopdatasize=1e3', 'dm.min_free_space=10%', '--storage-opt dm.fs=ext4', 'dm.blkdiscard=maybe'), fc.string({ maxLength: 20 })), { maxLength: 6 }) }).map((o) => JSON.stringify(o, null, 2)),
  fc.string({ maxLength: 200 }),
);

test('daemon.json: never throws, ranges inside, same findings twice, for any engine', () => {
  fc.assert(
    fc.property(jsonish, fc.constantFrom(undefined, '1.12.6', '17.03.2', '18.09.0', '20.10.24', '24.0.9', '25.0.0', 'garbage'), (text, engine) => {
      const lines = splitLines(text);
      const a = validateDaemonJson(text, engine ? { engine } : {});
      for (const f of a) {
        inside(f.range, lines, f.code);
        for (const fix of [...(f.fix ? [f.fix] : []), ...(f.moreFixes ?? [])]) for (const e of fix.edits) inside(e.range, lines, `${f.code} fix`);
      }
      assert.deepEqual(validateDaemonJson(text, engine ? { engine } : {}), a);
    }),
    opts,
  );
});

test('the size parser never throws; an accepted size is a whole, non-negative byte count unless flagged as int64 overflow', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 30 }), fc.tuple(fc.double(), fc.constantFrom('', 'k', 'KiB', 'G', 'gb', 'T', 'p', ' M')).map(([n, u]) => `${n}${u}`)), fc.constantFrom('1.12', '17.03', '18.09', '23.0', '24.0'), (s, era) => {
      // Go's int64(f) beyond 2^63 is flagged (`overflow`), as dockerd's own result is then garbage.
      for (const e of ramInBytes(s, era).eras) {
        if (e.result.ok && !e.result.overflow) assert.ok(Number.isFinite(e.result.bytes) && Number.isInteger(e.result.bytes) && e.result.bytes >= 0, `${JSON.stringify(s)} → ${e.result.bytes}`);
      }
    }),
    opts,
  );
});

test('logs: matching and analysis never throw; every variable span is inside its line', () => {
  fc.assert(
    fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
      for (const l of lines) {
        const m = matchLogLine(l);
        if (!m) continue;
        for (const v of Object.values(m.variables)) assert.ok(v.start >= 0 && v.end <= l.length && v.start <= v.end && l.slice(v.start, v.end) === v.text, 'variable span');
      }
      const a = analyzeLog(lines);
      for (const f of a.findings) inside(f.range, lines.length ? lines : [''], f.code);
    }),
    opts,
  );
});

const NONCE = '0123456789abcdef';
const section = fc.tuple(fc.constantFrom('kernel', 'dmsetup-status', 'dmsetup-table', 'block-devices', 'loop-files', 'filesystems', 'mounts', 'docker-driver', 'daemon-json', 'dmesg', 'bogus'), docText, fc.string({ maxLength: 20 }), fc.integer({ min: -5, max: 300 }), fc.boolean()).map(
  ([name, out, err, rc, cut]) => `\n@@${NONCE}@@ begin ${name}\n${out}\n@@${NONCE}@@ stderr\n${err}${cut ? '' : `\n@@${NONCE}@@ end ${rc}\n`}`,
);

test('collector output: never throws, the plan built from any report only trims checked mount points', () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(section, fc.string({ maxLength: 40 })), { maxLength: 12 }), fc.boolean(), (parts, sudo) => {
      const text = parts.join('');
      parseCollectorOutput(text, NONCE);
      const { report } = hostReportFromOutput('h', text, NONCE, { privilege: sudo ? 'sudo' : 'direct' });
      const plan = buildReclaimPlan(report, { pruneImages: true, pruneContainers: true });
      for (const s of plan.steps) {
        assert.ok(['measure', 'sync', 'fstrim', 'prune-containers', 'prune-images'].includes(s.op));
        if (s.op === 'fstrim') assert.equal(checkMountPoint(s.argv[2]!), undefined);
      }
    }),
    opts,
  );
});

test('ssh config and Ansible inventories: never throw; no host offered starts with "-" or holds blanks', () => {
  const cfgLine = fc.oneof(fc.constantFrom('Host a b -c *.x !y', 'HostName 10.0.0.1', 'Match all', 'Include ~/.ssh/conf.d/*', 'Port 2222', 'User ops', '  # comment', 'Host="q r"'), fc.string({ maxLength: 30 }));
  const invLine = fc.oneof(fc.constantFrom('[web]', '[web:children]', '[all:vars]', 'ansible_user=ops', 'web[01:03].example.com ansible_port=22', 'all:', '  hosts:', '    a.example.com:', '      ansible_host: 10.0.0.2', '  children:', '-x', 'db-[a:c]'), fc.string({ maxLength: 30 }));
  fc.assert(
    fc.property(fc.array(cfgLine, { maxLength: 20 }), fc.array(invLine, { maxLength: 20 }), (cfg, inv) => {
      for (const a of parseSshConfigHosts(cfg.join('\n')).aliases) assert.ok(!a.alias.startsWith('-') && !/\s/.test(a.alias), a.alias);
      for (const format of [undefined, 'ini', 'yaml'] as const) {
        for (const h of parseAnsibleInventory(inv.join('\n'), format).hosts) assert.ok(!h.name.startsWith('-') && !/\s/.test(h.name), h.name);
      }
    }),
    opts,
  );
});
