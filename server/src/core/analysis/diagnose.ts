import type { LogMatch } from '../logs/match.js';
import { logMessage } from '../logs/explain.js';
import type { ColumnsRow, DmTargetLine, DockerInfoLine, ParsedLine, ThinPoolStatus } from '../transcript/lineTypes.js';
import type { ParsedBlock } from '../transcript/parseBlock.js';
import { docLine, type DocumentIndex } from '../transcript/documentIndex.js';
import { lineRange, type Span } from '../text/position.js';
import { TRANSCRIPT_CODES, type TranscriptCode } from '../knowledge/findingCodes.js';
import type { Thresholds } from '../knowledge/thresholds.js';
import { formatBinary, formatDecimal, formatPercent } from '../text/units.js';
import { describeBlocks, poolGeometry, usage, type Usage } from './poolMath.js';
import type { Finding } from './finding.js';
import { linkFileToPool } from './correlate.js';

function finding(code: TranscriptCode, line: number, span: Span, message: string, relatedTableOf?: string): Finding {
  const f: Finding = { code, severity: TRANSCRIPT_CODES[code].severity, message, range: lineRange(line, span) };
  if (relatedTableOf) f.relatedTableOf = relatedTableOf;
  return f;
}

/** A catalogued log line inside a transcript: the entry id is the code, as in a log file. */
function logFinding(m: LogMatch, line: number): Finding {
  return { code: m.entry.id, severity: m.entry.severity, message: logMessage(m), range: { start: { line, character: m.messageRange.start }, end: { line, character: m.messageRange.end } } };
}

/** Findings of one segment. Depends only on the segment, the index and the thresholds. */
export function diagnoseBlock(block: ParsedBlock, index: DocumentIndex, t: Thresholds): Finding[] {
  const out: Finding[] = [];
  const docker: DockerInfoLine[] = [];
  block.lines.forEach((p, i) => {
    const line = block.start + i;
    switch (p.kind) {
      case 'dm-target':
        diagnoseTarget(p, line, index, t, out);
        break;
      case 'docker-info':
        docker.push(p);
        if (p.key === 'Udev Sync Supported' && p.value === 'false') {
          out.push(finding('udev-sync-unsupported', line, p.valueSpan, 'libdevmapper cannot synchronise with udev: device nodes can race with creation and removal (static binaries or hosts without udev). Use a dynamically linked dockerd on a host with udev.'));
        } else if (p.key === 'Data loop file' && p.value) {
          out.push(finding('loop-backed-pool', line, p.valueSpan, `The pool lives in the sparse file ${p.value} (loop-lvm). Docker strongly discourages this for production: it is slow, and space freed inside the pool returns to the host only through discards. Use direct-lvm or dm.thinpooldev.`));
        }
        break;
      case 'docker-warning':
        if (p.warning === 'loopback' && !index.dockerDataLoopFile) out.push(finding('loop-backed-pool', line, p.tokens[0]!, 'Docker warns that this pool uses loop devices (loop-lvm), which is strongly discouraged for production. Move the pool to a block device (direct-lvm or dm.thinpooldev).'));
        else if (p.warning === 'deprecated') out.push(finding('driver-deprecated', line, p.tokens[0]!, 'devicemapper is deprecated since Engine 18.09, not selected automatically from 23.0 and removed in 25.0. Plan the move to overlay2.'));
        break;
      case 'columns-row':
        if (p.table === 'lvs') diagnoseLvs(p, line, t, out);
        break;
      case 'kernel-log':
        if (p.discardError) {
          out.push(finding('discard-not-effective', line, p.tokens[0]!, `Discards sent to ${p.discardError.device} fail ("op 0x3:(DISCARD)" errors): the pool may report discard_passdown, yet the backing store does not shrink (seen with loop files on vfat). Measure the backing file instead of trusting the flag.`));
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
  });
  if (docker.length > 0) diagnoseDockerInfo(docker, block, t, out);
  // Findings that need several lines (docker info) are found last; report in document order.
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function diagnoseTarget(p: DmTargetLine, line: number, index: DocumentIndex, t: Thresholds, out: Finding[]): void {
  for (const n of [p.start, p.length]) {
    if (!n.exact) out.push(finding('number-too-large', line, n.span, 'This number is beyond 2^53 and cannot be represented exactly; sizes computed from it are approximate.'));
  }
  const params = p.params;
  switch (params.form) {
    case 'thin-pool-status':
      diagnosePoolStatus(p, params, line, index, t, out);
      break;
    case 'thin-pool-table': {
      if (params.problem) {
        out.push(finding('invalid-table-line', line, { start: p.target.span.start, end: lastTokenEnd(p) }, `Not a valid thin-pool table: ${params.problem}.`));
      }
      if (params.dataDev.devno?.major === 7 || /^\/dev\/loop\d+$/.test(params.dataDev.text)) {
        out.push(finding('loop-backed-pool', line, params.dataDev.span, `The pool's data device ${params.dataDev.text} is a loop device (loop-lvm): Docker strongly discourages this for production. Space freed in the pool returns to the host only if discards pass down and the backing filesystem punches holes.`));
      }
      break;
    }
    case 'thin-status':
      if (params.special === 'Fail') out.push(finding('pool-failed', line, p.tokens[p.tokens.length - 1]!, 'This thin device\'s pool is in fail mode: all I/O fails. Repair the pool metadata offline.'));
      else if (params.special === 'Error') out.push(finding('pool-status-error', line, p.tokens[p.tokens.length - 1]!, 'The kernel could not read this thin device\'s metadata. Check the kernel log and repair the pool offline.'));
      break;
    default:
      break;
  }
}

function lastTokenEnd(p: ParsedLine): number {
  return p.tokens.length > 0 ? p.tokens[p.tokens.length - 1]!.end : 0;
}

function diagnosePoolStatus(p: DmTargetLine, s: ThinPoolStatus, line: number, index: DocumentIndex, t: Thresholds, out: Finding[]): void {
  const name = p.device?.name ? `Pool ${p.device.name}` : 'The pool';
  const lname = name.charAt(0).toLowerCase() + name.slice(1);
  if (s.special === 'Fail') {
    out.push(finding('pool-failed', line, p.tokens[p.tokens.length - 1]!, `${name} is in fail mode: all I/O to it and its thin devices fails. Deactivate it, run thin_check and thin_repair on the metadata offline, and restore from backup if repair fails.`));
    return;
  }
  if (s.special === 'Error') {
    out.push(finding('pool-status-error', line, p.tokens[p.tokens.length - 1]!, `The kernel could not read the metadata counters of ${lname}: the metadata device is failing or corrupt. Check the kernel log and repair offline.`));
    return;
  }
  if (s.problem) {
    const end = Math.max(lastTokenEnd(p), ...s.unknown.map((u) => u.end));
    out.push(finding('invalid-status-line', line, { start: p.target.span.start, end: Math.max(end, p.target.span.end) }, `Not a valid thin-pool status line: ${s.problem}. It may be truncated or edited.`));
    return;
  }
  for (const n of [s.transaction, s.metaUsed, s.metaTotal, s.dataUsed, s.dataTotal]) {
    if (n && !n.exact) out.push(finding('number-too-large', line, n.span, 'This number is beyond 2^53 and cannot be represented exactly; sizes computed from it are approximate.'));
  }
  const geo = poolGeometry(p, s, index);
  const related = p.device?.name;
  const data = usage(s.dataUsed?.value, s.dataTotal?.value);
  const meta = usage(s.metaUsed?.value, s.metaTotal?.value);
  if (data && s.dataSpan) {
    const pct = data.ratio * 100;
    const what = `${name} data space is ${formatPercent(data.ratio)} used (${describeBlocks(data, geo.blockBytes)})`;
    if (pct >= t.dataError) out.push(finding('data-usage-critical', line, s.dataSpan, `${what}. When it fills, writes queue or fail. Grow the data device or free space now (delete unused images/containers, then fstrim).`, related));
    else if (pct >= t.dataWarning) out.push(finding('data-usage-high', line, s.dataSpan, `${what}. Plan to grow the data device or free space (dmeventd warns from 80 %).`, related));
  }
  if (meta && s.metaSpan) {
    const pct = meta.ratio * 100;
    const what = `${name} metadata space is ${formatPercent(meta.ratio)} used (${describeBlocks(meta, 4096)})`;
    if (pct >= t.metadataError) out.push(finding('metadata-usage-critical', line, s.metaSpan, `${what}. A pool that runs out of metadata goes read-only and then fails. Extend the metadata device now (lvextend --poolmetadatasize, or a larger metadata file).`, related));
    else if (pct >= t.metadataWarning) out.push(finding('metadata-usage-high', line, s.metaSpan, `${what}. Extend the metadata device before it fills.`, related));
  }
  if (s.mode?.value === 'out_of_data_space') {
    const queue = s.noSpace?.value === 'queue_if_no_space';
    out.push(finding('out-of-data-space', line, s.mode.span, `${name} is out of data space: ${queue ? 'writers are blocked until the pool grows or no_space_timeout (60 s by default) expires' : 'writes that need new blocks fail with ENOSPC'}. Grow the data device (extend, then reload the table) or delete thin devices.`, related));
  } else if (s.mode?.value === 'ro') {
    out.push(finding('pool-read-only', line, s.mode.span, `${name} is read-only: writes that need new blocks fail and discards are ignored. Look for the cause in the kernel log (metadata error or exhausted metadata); repair offline if needs_check is set.`, related));
  }
  if (s.needsCheck?.value) {
    out.push(finding('needs-check', line, s.needsCheck.span, `${name}'s metadata needs a check: it stays read-only until you deactivate it and run thin_check (and thin_repair if needed).`, related));
  }
  if (s.discard?.value === 'no_discard_passdown') {
    out.push(finding('no-discard-passdown', line, s.discard.span, `Discards free blocks inside ${lname} but are not passed down: deleted data will not return space to the backing store (a loop file or LV keeps its size). Requested in the table, or disabled by the kernel because the data device cannot discard.`, related));
  } else if (s.discard?.value === 'ignore_discard') {
    out.push(finding('ignore-discard', line, s.discard.span, `${name} ignores discards: fstrim fails and deleted data never frees pool blocks, so usage only grows. Reload the pool without ignore_discard to reclaim space.`, related));
  }
  if (s.noSpace?.value === 'queue_if_no_space' && s.mode?.value !== 'out_of_data_space') {
    out.push(finding('queue-if-no-space', line, s.noSpace.span, 'If the pool runs out of data space, writers hang until it grows or no_space_timeout (60 s by default, 0 = forever) expires. error_if_no_space fails them at once instead.'));
  }
  if (s.noSpace?.value === 'error_if_no_space' && s.mode?.value === 'out_of_data_space' && geo.table && !geo.table.features.includes('error_if_no_space')) {
    out.push(finding('no-space-timeout-expired', line, s.noSpace.span, 'The table did not request error_if_no_space, so the pool switched to it by itself: it ran out of space and no_space_timeout expired. Queued writes have failed with ENOSPC.', related));
  }
  const low = geo.table?.lowWater;
  if (data && low !== undefined && s.dataSpan && data.total - data.used <= low && s.mode?.value !== 'out_of_data_space') {
    const free = data.total - data.used;
    out.push(finding('low-water-mark-reached', line, s.dataSpan, `Free data blocks (${free}${geo.blockBytes ? ` = ${formatBinary(free * geo.blockBytes)}` : ''}) are at or below the table's low water mark (${low} blocks): the kernel has raised an event; extend the pool.${low >= data.total ? ' (Docker 20.10 sets the mark to the whole pool, so this fires from the start.)' : ''}`, related));
  }
  if (s.heldRoot?.held) {
    out.push(finding('metadata-snapshot-held', line, s.heldRoot.span, `A metadata snapshot is held (root block ${s.heldRoot.value}), e.g. for thin_ls -m. It pins metadata blocks until released with "dmsetup message <pool> 0 release_metadata_snap".`));
  }
  for (const u of s.unknown) {
    out.push(finding('unknown-status-field', line, u, 'This word is not part of any thin-pool status form known (kernels 3.2 to 6.x); check for a damaged line or a newer kernel.'));
  }
}

function diagnoseLvs(p: ColumnsRow, line: number, t: Thresholds, out: Finding[]): void {
  const lv = p.cells.get('LV')?.text ?? 'the LV';
  for (const [col, kind] of [['Data%', 'data'], ['Meta%', 'metadata']] as const) {
    const cell = p.cells.get(col);
    const pct = cell ? Number(cell.text) : NaN;
    if (!cell || !Number.isFinite(pct)) continue;
    const [warn, err] = kind === 'data' ? [t.dataWarning, t.dataError] : [t.metadataWarning, t.metadataError];
    const code: TranscriptCode | undefined = pct >= err ? `${kind}-usage-critical` : pct >= warn ? `${kind}-usage-high` : undefined;
    if (code) out.push(finding(code, line, cell.span, `Thin pool ${lv} ${kind} is ${pct} % full (lvs ${col}). ${kind === 'data' ? 'Extend it (lvextend) or free space with fstrim.' : 'Extend the metadata (lvextend --poolmetadatasize).'}`));
  }
}

function diagnoseDockerInfo(lines: DockerInfoLine[], block: ParsedBlock, t: Thresholds, out: Finding[]): void {
  const by = new Map<string, { p: DockerInfoLine; line: number }>();
  for (const p of lines) by.set(p.key, { p, line: block.start + block.lines.indexOf(p) });
  for (const kind of ['Data', 'Metadata'] as const) {
    const used = by.get(`${kind} Space Used`);
    const total = by.get(`${kind} Space Total`);
    const avail = by.get(`${kind} Space Available`);
    const u: Usage | undefined = usage(used?.p.bytes, total?.p.bytes);
    if (u && used) {
      const pct = u.ratio * 100;
      const [warn, err] = kind === 'Data' ? [t.dataWarning, t.dataError] : [t.metadataWarning, t.metadataError];
      const code: TranscriptCode | undefined = pct >= err ? `${kind === 'Data' ? 'data' : 'metadata'}-usage-critical` : pct >= warn ? `${kind === 'Data' ? 'data' : 'metadata'}-usage-high` : undefined;
      if (code) out.push(finding(code, used.line, used.p.valueSpan, `${kind} space is ${formatPercent(u.ratio)} used (${used.p.value} of ${total!.p.value}). Free space (docker image/container prune, then fstrim) or grow the pool.`));
    }
    if (u && avail?.p.bytes !== undefined) {
      const free = u.total - u.used;
      if (free > 0 && avail.p.bytes < free * t.hostLimitRatio) {
        out.push(finding('host-filesystem-limit', avail.line, avail.p.valueSpan, `Only ${avail.p.value} available although Total − Used is ${formatDecimal(free)}: the filesystem holding the loop files has less free space than the pool thinks it has. The pool will fill when the host filesystem does; free space there or move the pool to a block device.`));
      }
    }
  }
  const avail = by.get('Data Space Available');
  const min = by.get('Thin Pool Minimum Free Space');
  if (avail?.p.bytes !== undefined && min?.p.bytes !== undefined && min.p.bytes > 0 && avail.p.bytes <= min.p.bytes) {
    out.push(finding('min-free-space-reached', avail.line, avail.p.valueSpan, `Data Space Available (${avail.p.value}) is at or below Thin Pool Minimum Free Space (${min.p.value}): Docker refuses to create containers and pull images ("Thin Pool has … free data blocks which is less than minimum required"). Free space or grow the pool.`));
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
      const span = file.block.lines[file.fact.line]!.tokens.find((k) => k.role === 'file.allocated') ?? { start: 0, end: 0 };
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
