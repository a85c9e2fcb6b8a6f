import type { LogMatch } from '../logs/match.js';
import { logMessage } from '../logs/explain.js';
import type { ColumnsRow, DmTargetLine, DockerInfoLine } from '../transcript/lineTypes.js';
import type { ParsedBlock } from '../transcript/parseBlock.js';
import { docLine, type DocumentIndex, type Located } from '../transcript/documentIndex.js';
import type { PoolTableFact } from '../transcript/facts.js';
import { LINE_RECORD, STATUS_RECORD, spanEnd, spanStart, type PoolStatusRecord, type PoolTableRecord } from '../transcript/records.js';
import { lineRange, type Range } from '../text/position.js';
import { TRANSCRIPT_CODES, type TranscriptCode } from '../knowledge/findingCodes.js';
import type { Thresholds } from '../knowledge/thresholds.js';
import { formatBinary, formatDecimal, formatPercent, SECTOR_BYTES } from '../text/units.js';
import { describeBlocks, usage, type Usage } from './poolMath.js';
import type { Finding } from './finding.js';
import { linkFileToPool } from './correlate.js';

type Related = NonNullable<Finding['related']>;

/**
 * The `related` link of a pool finding to its table line. One array per table
 * and line, shared by every finding that points there (findings are never
 * modified once made).
 */
export function relatedTo(loc: Located<PoolTableFact>): Related {
  const line = docLine(loc);
  if (loc.linkLine === line) return loc.link as Related;
  const list: Related = [{ range: lineRange(line, { start: 0, end: 0 }), message: `table of ${loc.fact.name}` }];
  loc.link = list;
  loc.linkLine = line;
  return list;
}

/** The findings of one segment, and what of the document index they read. */
export interface SegmentDiagnosis {
  findings: Finding[];
  /** Per finding, the table its `related` link points to (absent: no link); undefined when no finding has one. */
  tables: (Located<PoolTableFact> | undefined)[] | undefined;
  /** Some table lookup fell through to tableFor's fallback (a single unnamed table). */
  fallback: boolean;
  /** A finding depends on whether `docker info` named a data loop file. */
  dockerLoop: boolean;
}

/** Collects one segment's findings, resolving `related` links as it goes and noting what of the index they read. */
class Emitter implements SegmentDiagnosis {
  findings: Finding[] = [];
  tables: (Located<PoolTableFact> | undefined)[] | undefined = undefined;
  fallback = false;
  dockerLoop = false;
  private lastName: string | undefined = undefined;
  private lastTable: Located<PoolTableFact> | undefined = undefined;

  constructor(readonly index: DocumentIndex) {}

  /** tableFor, remembering that the fallback was consulted. */
  table(name: string | undefined): PoolTableFact | undefined {
    if (name) {
      const t = this.lookup(name);
      if (t) return t.fact;
    }
    this.fallback = true;
    const index = this.index;
    if (index.unnamedPoolTables.length === 1 && index.poolTables.size === 0) return index.unnamedPoolTables[0]!.fact;
    return undefined;
  }

  private lookup(name: string): Located<PoolTableFact> | undefined {
    if (name !== this.lastName) {
      this.lastName = name;
      this.lastTable = this.index.poolTables.get(name);
    }
    return this.lastTable;
  }

  add(code: TranscriptCode, line: number, start: number, end: number, message: string, relatedTableOf?: string): void {
    const range: Range = { start: { line, character: start }, end: { line, character: end } };
    const loc = relatedTableOf ? this.lookup(relatedTableOf) : undefined;
    const f: Finding = loc ? { code, severity: TRANSCRIPT_CODES[code].severity, message, range, related: relatedTo(loc) } : { code, severity: TRANSCRIPT_CODES[code].severity, message, range };
    if (loc || this.tables) {
      this.tables ??= new Array<Located<PoolTableFact> | undefined>(this.findings.length).fill(undefined);
      this.tables.push(loc);
    }
    this.findings.push(f);
  }

  push(f: Finding): void {
    this.tables?.push(undefined);
    this.findings.push(f);
  }

  /** Document order (line, then character), stable: findings that need several lines (docker info) come last. */
  sort(): void {
    const fs = this.findings;
    let sorted = true;
    for (let i = 1; i < fs.length && sorted; i++) sorted = compare(fs[i - 1]!, fs[i]!) <= 0;
    if (sorted) return;
    const order = fs.map((_, i) => i).sort((a, b) => compare(fs[a]!, fs[b]!));
    this.findings = order.map((i) => fs[i]!);
    const tables = this.tables;
    if (tables) this.tables = order.map((i) => tables[i]);
  }
}

function compare(a: Finding, b: Finding): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** A catalogued log line inside a transcript: the entry id is the code, as in a log file. */
function logFinding(m: LogMatch, line: number): Finding {
  return { code: m.entry.id, severity: m.entry.severity, message: logMessage(m), range: { start: { line, character: m.messageRange.start }, end: { line, character: m.messageRange.end } } };
}

/**
 * A message assembled from many small strings (counts, sizes, percentages) is
 * kept by V8 as a tree of its pieces, several times its size; reading one
 * character makes it one flat string. Messages stay the same text.
 */
function flat(message: string): string {
  void message.charCodeAt(0);
  return message;
}

const TOO_LARGE = 'This number is beyond 2^53 and cannot be represented exactly; sizes computed from it are approximate.';

/**
 * Findings of one segment, from its records (parseBlock.ts). Depends only on the
 * segment, the index (the tables of the pools it names, the fallback table,
 * docker info's data loop file) and the thresholds.
 */
export function diagnoseSegment(block: ParsedBlock, index: DocumentIndex, t: Thresholds): SegmentDiagnosis {
  const out = new Emitter(index);
  let docker: { p: DockerInfoLine; line: number }[] | undefined;
  for (const r of block.records) {
    const line = block.start + r.line;
    if (r.tag === STATUS_RECORD) {
      diagnoseStatus(r, line, t, out);
      continue;
    }
    if (r.tag !== LINE_RECORD) {
      diagnoseTable(r, line, out);
      continue;
    }
    const p = r.p;
    switch (p.kind) {
      case 'dm-target':
        diagnoseOtherTarget(p, line, out);
        break;
      case 'docker-info':
        (docker ??= []).push({ p, line });
        if (p.key === 'Udev Sync Supported' && p.value === 'false') {
          out.add('udev-sync-unsupported', line, p.valueSpan.start, p.valueSpan.end, 'libdevmapper cannot synchronise with udev: device nodes can race with creation and removal (static binaries or hosts without udev). Use a dynamically linked dockerd on a host with udev.');
        } else if (p.key === 'Data loop file' && p.value) {
          out.add('loop-backed-pool', line, p.valueSpan.start, p.valueSpan.end, `The pool lives in the sparse file ${p.value} (loop-lvm). Docker strongly discourages this for production: it is slow, and space freed inside the pool returns to the host only through discards. Use direct-lvm or dm.thinpooldev.`);
        }
        break;
      case 'docker-warning': {
        const span = p.tokens[0]!;
        if (p.warning === 'loopback') {
          out.dockerLoop = true;
          if (!index.dockerDataLoopFile) out.add('loop-backed-pool', line, span.start, span.end, 'Docker warns that this pool uses loop devices (loop-lvm), which is strongly discouraged for production. Move the pool to a block device (direct-lvm or dm.thinpooldev).');
        } else if (p.warning === 'deprecated') {
          out.add('driver-deprecated', line, span.start, span.end, 'devicemapper is deprecated since Engine 18.09, not selected automatically from 23.0 and removed in 25.0. Plan the move to overlay2.');
        }
        break;
      }
      case 'columns-row':
        if (p.table === 'lvs') diagnoseLvs(p, line, t, out);
        break;
      case 'kernel-log':
        if (p.discardError) {
          const span = p.tokens[0]!;
          out.add('discard-not-effective', line, span.start, span.end, `Discards sent to ${p.discardError.device} fail ("op 0x3:(DISCARD)" errors): the pool may report discard_passdown, yet the backing store does not shrink (seen with loop files on vfat). Measure the backing file instead of trusting the flag.`);
        } else if (p.logMatch) {
          out.push(logFinding(p.logMatch, line));
        }
        break;
      case 'text':
        if (p.logMatch) out.push(logFinding(p.logMatch, line));
        break;
      default:
        break;
    }
  }
  if (docker) diagnoseDockerInfo(docker, t, out);
  out.sort();
  return out;
}

/** Findings of one segment, with their `related` links resolved. */
export function diagnoseBlock(block: ParsedBlock, index: DocumentIndex, t: Thresholds): Finding[] {
  return diagnoseSegment(block, index, t).findings;
}

function diagnoseOtherTarget(p: DmTargetLine, line: number, out: Emitter): void {
  for (const n of [p.start, p.length]) {
    if (!n.exact) out.add('number-too-large', line, n.span.start, n.span.end, TOO_LARGE);
  }
  const params = p.params;
  if (params.form === 'thin-status') {
    const last = p.tokens[p.tokens.length - 1]!;
    if (params.special === 'Fail') out.add('pool-failed', line, last.start, last.end, 'This thin device\'s pool is in fail mode: all I/O fails. Repair the pool metadata offline.');
    else if (params.special === 'Error') out.add('pool-status-error', line, last.start, last.end, 'The kernel could not read this thin device\'s metadata. Check the kernel log and repair the pool offline.');
  }
}

function diagnoseTable(r: PoolTableRecord, line: number, out: Emitter): void {
  const x = r.extra;
  if (x) {
    for (const s of x.targetInexact) out.add('number-too-large', line, s.start, s.end, TOO_LARGE);
    if (x.problem) out.add('invalid-table-line', line, r.targetStart, x.problemEnd, `Not a valid thin-pool table: ${x.problem}.`);
  }
  if (r.loop) {
    out.add('loop-backed-pool', line, spanStart(r.dataSpan), spanEnd(r.dataSpan), `The pool's data device ${r.dataDev} is a loop device (loop-lvm): Docker strongly discourages this for production. Space freed in the pool returns to the host only if discards pass down and the backing filesystem punches holes.`);
  }
}

/** "Pool <name>" or "The pool", and its lower-case form. */
function poolWord(r: PoolStatusRecord): string {
  return r.name ? `Pool ${r.name}` : 'The pool';
}
function poolWordLower(r: PoolStatusRecord): string {
  return r.name ? `pool ${r.name}` : 'the pool';
}

function diagnoseStatus(s: PoolStatusRecord, line: number, t: Thresholds, out: Emitter): void {
  const x = s.extra;
  if (x) {
    for (const n of x.targetInexact) out.add('number-too-large', line, n.start, n.end, TOO_LARGE);
    if (x.special === 'Fail') {
      out.add('pool-failed', line, x.specialStart, x.specialEnd, `${poolWord(s)} is in fail mode: all I/O to it and its thin devices fails. Deactivate it, run thin_check and thin_repair on the metadata offline, and restore from backup if repair fails.`);
      return;
    }
    if (x.special === 'Error') {
      out.add('pool-status-error', line, x.specialStart, x.specialEnd, `The kernel could not read the metadata counters of ${poolWordLower(s)}: the metadata device is failing or corrupt. Check the kernel log and repair offline.`);
      return;
    }
    if (x.problem) {
      out.add('invalid-status-line', line, spanStart(s.target), x.problemEnd, `Not a valid thin-pool status line: ${x.problem}. It may be truncated or edited.`);
      return;
    }
    for (const n of x.numbersInexact) out.add('number-too-large', line, n.start, n.end, TOO_LARGE);
  }
  // The pool's geometry (poolMath.ts poolGeometry): the block size from its table, else length ÷ total blocks.
  const table = out.table(s.name);
  const total = s.dataTotal;
  const blockBytes = table?.blockSectors ? table.blockSectors * SECTOR_BYTES : total && s.lengthSectors % total === 0 ? (s.lengthSectors / total) * SECTOR_BYTES : undefined;
  const related = s.name;
  const data = s.data !== 0 ? usage(s.dataUsed, s.dataTotal) : undefined;
  if (data) {
    const pct = data.ratio * 100;
    if (pct >= t.dataError || pct >= t.dataWarning) {
      const what = `${poolWord(s)} data space is ${formatPercent(data.ratio)} used (${describeBlocks(data, blockBytes)})`;
      if (pct >= t.dataError) out.add('data-usage-critical', line, spanStart(s.data), spanEnd(s.data), flat(`${what}. When it fills, writes queue or fail. Grow the data device or free space now (delete unused images/containers, then fstrim).`), related);
      else out.add('data-usage-high', line, spanStart(s.data), spanEnd(s.data), flat(`${what}. Plan to grow the data device or free space (dmeventd warns from 80 %).`), related);
    }
  }
  if (s.meta !== 0 && s.metaTotal !== undefined && s.metaUsed !== undefined && s.metaTotal !== 0) {
    const ratio = s.metaUsed / s.metaTotal;
    const pct = ratio * 100;
    if (pct >= t.metadataError || pct >= t.metadataWarning) {
      const what = `${poolWord(s)} metadata space is ${formatPercent(ratio)} used (${describeBlocks({ used: s.metaUsed, total: s.metaTotal, ratio }, 4096)})`;
      if (pct >= t.metadataError) out.add('metadata-usage-critical', line, spanStart(s.meta), spanEnd(s.meta), flat(`${what}. A pool that runs out of metadata goes read-only and then fails. Extend the metadata device now (lvextend --poolmetadatasize, or a larger metadata file).`), related);
      else out.add('metadata-usage-high', line, spanStart(s.meta), spanEnd(s.meta), flat(`${what}. Extend the metadata device before it fills.`), related);
    }
  }
  const mode = s.mode;
  if (mode === 'out_of_data_space') {
    const queue = s.noSpace === 'queue_if_no_space';
    out.add('out-of-data-space', line, spanStart(s.modeSpan), spanEnd(s.modeSpan), `${poolWord(s)} is out of data space: ${queue ? 'writers are blocked until the pool grows or no_space_timeout (60 s by default) expires' : 'writes that need new blocks fail with ENOSPC'}. Grow the data device (extend, then reload the table) or delete thin devices.`, related);
  } else if (mode === 'ro') {
    out.add('pool-read-only', line, spanStart(s.modeSpan), spanEnd(s.modeSpan), `${poolWord(s)} is read-only: writes that need new blocks fail and discards are ignored. Look for the cause in the kernel log (metadata error or exhausted metadata); repair offline if needs_check is set.`, related);
  }
  if (s.needsCheck) {
    out.add('needs-check', line, spanStart(s.needsCheckSpan), spanEnd(s.needsCheckSpan), `${poolWord(s)}'s metadata needs a check: it stays read-only until you deactivate it and run thin_check (and thin_repair if needed).`, related);
  }
  if (s.discard === 'no_discard_passdown') {
    out.add('no-discard-passdown', line, spanStart(s.discardSpan), spanEnd(s.discardSpan), `Discards free blocks inside ${poolWordLower(s)} but are not passed down: deleted data will not return space to the backing store (a loop file or LV keeps its size). Requested in the table, or disabled by the kernel because the data device cannot discard.`, related);
  } else if (s.discard === 'ignore_discard') {
    out.add('ignore-discard', line, spanStart(s.discardSpan), spanEnd(s.discardSpan), `${poolWord(s)} ignores discards: fstrim fails and deleted data never frees pool blocks, so usage only grows. Reload the pool without ignore_discard to reclaim space.`, related);
  }
  if (s.noSpace === 'queue_if_no_space' && mode !== 'out_of_data_space') {
    out.add('queue-if-no-space', line, spanStart(s.noSpaceSpan), spanEnd(s.noSpaceSpan), 'If the pool runs out of data space, writers hang until it grows or no_space_timeout (60 s by default, 0 = forever) expires. error_if_no_space fails them at once instead.');
  }
  if (s.noSpace === 'error_if_no_space' && mode === 'out_of_data_space' && table && !table.features.includes('error_if_no_space')) {
    out.add('no-space-timeout-expired', line, spanStart(s.noSpaceSpan), spanEnd(s.noSpaceSpan), 'The table did not request error_if_no_space, so the pool switched to it by itself: it ran out of space and no_space_timeout expired. Queued writes have failed with ENOSPC.', related);
  }
  const low = table?.lowWater;
  if (data && low !== undefined && data.total - data.used <= low && mode !== 'out_of_data_space') {
    const free = data.total - data.used;
    out.add('low-water-mark-reached', line, spanStart(s.data), spanEnd(s.data), flat(`Free data blocks (${free}${blockBytes ? ` = ${formatBinary(free * blockBytes)}` : ''}) are at or below the table's low water mark (${low} blocks): the kernel has raised an event; extend the pool.${low >= data.total ? ' (Docker 20.10 sets the mark to the whole pool, so this fires from the start.)' : ''}`), related);
  }
  if (x) {
    if (x.held) {
      out.add('metadata-snapshot-held', line, x.heldStart, x.heldEnd, `A metadata snapshot is held (root block ${x.heldValue}), e.g. for thin_ls -m. It pins metadata blocks until released with "dmsetup message <pool> 0 release_metadata_snap".`);
    }
    for (const u of x.unknown) {
      out.add('unknown-status-field', line, u.start, u.end, 'This word is not part of any thin-pool status form known (kernels 3.2 to 6.x); check for a damaged line or a newer kernel.');
    }
  }
}

function diagnoseLvs(p: ColumnsRow, line: number, t: Thresholds, out: Emitter): void {
  const lv = p.cells.get('LV')?.text ?? 'the LV';
  for (const [col, kind] of [['Data%', 'data'], ['Meta%', 'metadata']] as const) {
    const cell = p.cells.get(col);
    const pct = cell ? Number(cell.text) : NaN;
    if (!cell || !Number.isFinite(pct)) continue;
    const [warn, err] = kind === 'data' ? [t.dataWarning, t.dataError] : [t.metadataWarning, t.metadataError];
    const code: TranscriptCode | undefined = pct >= err ? `${kind}-usage-critical` : pct >= warn ? `${kind}-usage-high` : undefined;
    if (code) out.add(code, line, cell.span.start, cell.span.end, `Thin pool ${lv} ${kind} is ${pct} % full (lvs ${col}). ${kind === 'data' ? 'Extend it (lvextend) or free space with fstrim.' : 'Extend the metadata (lvextend --poolmetadatasize).'}`);
  }
}

function diagnoseDockerInfo(lines: { p: DockerInfoLine; line: number }[], t: Thresholds, out: Emitter): void {
  const by = new Map<string, { p: DockerInfoLine; line: number }>();
  for (const l of lines) by.set(l.p.key, l);
  for (const kind of ['Data', 'Metadata'] as const) {
    const used = by.get(`${kind} Space Used`);
    const total = by.get(`${kind} Space Total`);
    const avail = by.get(`${kind} Space Available`);
    const u: Usage | undefined = usage(used?.p.bytes, total?.p.bytes);
    if (u && used) {
      const pct = u.ratio * 100;
      const [warn, err] = kind === 'Data' ? [t.dataWarning, t.dataError] : [t.metadataWarning, t.metadataError];
      const code: TranscriptCode | undefined = pct >= err ? `${kind === 'Data' ? 'data' : 'metadata'}-usage-critical` : pct >= warn ? `${kind === 'Data' ? 'data' : 'metadata'}-usage-high` : undefined;
      if (code) out.add(code, used.line, used.p.valueSpan.start, used.p.valueSpan.end, `${kind} space is ${formatPercent(u.ratio)} used (${used.p.value} of ${total!.p.value}). Free space (docker image/container prune, then fstrim) or grow the pool.`);
    }
    if (u && avail?.p.bytes !== undefined) {
      const free = u.total - u.used;
      if (free > 0 && avail.p.bytes < free * t.hostLimitRatio) {
        out.add('host-filesystem-limit', avail.line, avail.p.valueSpan.start, avail.p.valueSpan.end, `Only ${avail.p.value} available although Total − Used is ${formatDecimal(free)}: the filesystem holding the loop files has less free space than the pool thinks it has. The pool will fill when the host filesystem does; free space there or move the pool to a block device.`);
      }
    }
  }
  const avail = by.get('Data Space Available');
  const min = by.get('Thin Pool Minimum Free Space');
  if (avail?.p.bytes !== undefined && min?.p.bytes !== undefined && min.p.bytes > 0 && avail.p.bytes <= min.p.bytes) {
    out.add('min-free-space-reached', avail.line, avail.p.valueSpan.start, avail.p.valueSpan.end, `Data Space Available (${avail.p.value}) is at or below Thin Pool Minimum Free Space (${min.p.value}): Docker refuses to create containers and pull images ("Thin Pool has … free data blocks which is less than minimum required"). Free space or grow the pool.`);
  }
}

/** Findings that need several parts of the document together. */
export function diagnoseDocument(index: DocumentIndex, t: Thresholds): Finding[] {
  const out: Finding[] = [];
  for (const file of index.files) {
    const f = file.fact;
    if (f.allocated === undefined) continue;
    const link = linkFileToPool(index, f.path, docLine(file));
    if (!link || link.usedBytes === undefined) continue;
    const gap = f.allocated - link.usedBytes;
    if (f.allocated > link.usedBytes * t.loopGapRatio && gap >= t.loopGapMinBytes) {
      const span = f.allocatedSpan ?? { start: 0, end: 0 };
      out.push({
        code: 'loop-file-not-shrinking',
        severity: TRANSCRIPT_CODES['loop-file-not-shrinking'].severity,
        message: `${f.path} occupies ${formatBinary(f.allocated)} on disk but pool ${link.pool} uses only ${formatBinary(link.usedBytes)}: ${formatBinary(gap)} of deleted data never came back. Discards are not reaching the file (no_discard_passdown, dm.blkdiscard=false, or a backing filesystem that cannot punch holes). Run fstrim on the mounted thin devices and measure again.`,
        range: lineRange(docLine(file), span),
        related: [{ range: lineRange(link.statusLine, { start: 0, end: 0 }), message: `status of ${link.pool}${link.assumed ? ' (assumed: the nearest Docker pool)' : ''}` }],
      });
    }
  }
  return out;
}
