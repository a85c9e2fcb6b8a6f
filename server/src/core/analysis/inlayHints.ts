import type { TranscriptDocument } from '../transcript/document.js';
import type { ParsedLine } from '../transcript/lineTypes.js';
import type { ParsedBlock } from '../transcript/parseBlock.js';
import { spanEnd, spanStart, STATUS_RECORD, type PoolStatusRecord, type PoolTableRecord } from '../transcript/records.js';
import type { Position } from '../text/position.js';
import { formatBinary, formatPercent, METADATA_BLOCK_BYTES, SECTOR_BYTES } from '../text/units.js';
import { poolGeometry, poolGeometryOf, usage } from './poolMath.js';

export interface InlayHint {
  position: Position;
  label: string;
}

/**
 * Human sizes and percentages beside raw numbers, for lines [from, to). Segments made only of
 * thin-pool status and table lines (the bulk of a transcript) are read from their records, as
 * diagnosis reads them; others are re-parsed. Re-parsing a viewport of pool lines made enough
 * short-lived objects to put a young-generation collection in one request of twenty.
 */
export function inlayHints(doc: TranscriptDocument, from: number, to: number): InlayHint[] {
  const out: InlayHint[] = [];
  const end = Math.min(to, doc.lineCount);
  let line = Math.max(0, from);
  while (line < end) {
    const seg = doc.segmentAt(line);
    if (!seg) break;
    const segEnd = Math.min(end, seg.start + seg.lineCount);
    if (seg.poolLinesOnly) hintsFromRecords(doc, seg, line, segEnd, out);
    else hintsFromParsedLines(doc, line, segEnd, out);
    line = segEnd;
  }
  return out;
}

/** The same hints, every line re-parsed: the reference the record path is tested against. @internal */
export function inlayHintsReparsed(doc: TranscriptDocument, from: number, to: number): InlayHint[] {
  const out: InlayHint[] = [];
  hintsFromParsedLines(doc, Math.max(0, from), Math.min(to, doc.lineCount), out);
  return out;
}

function hintsFromParsedLines(doc: TranscriptDocument, from: number, to: number, out: InlayHint[]): void {
  for (let line = from; line < to; line++) {
    const p = doc.lineAt(line);
    if (p) hintsForLine(doc, p, line, out);
  }
}

/** A packed span's end, or -1 when absent. */
const endOf = (packed: number): number => (packed === 0 ? -1 : spanEnd(packed));

function hintsFromRecords(doc: TranscriptDocument, seg: ParsedBlock, from: number, to: number, out: InlayHint[]): void {
  // Records in line order (statuses and tables interleave only in hand-made transcripts).
  const records: (PoolStatusRecord | PoolTableRecord)[] = [...seg.facts.poolStatuses, ...seg.facts.poolTables].filter((r) => seg.start + r.line >= from && seg.start + r.line < to);
  if (seg.facts.poolStatuses.length > 0 && seg.facts.poolTables.length > 0) records.sort((a, b) => a.line - b.line);
  for (const r of records) {
    const line = seg.start + r.line;
    const at = (character: number, label: string): void => {
      out.push({ position: { line, character }, label });
    };
    if (r.tag === STATUS_RECORD) {
      // "<start> <length> thin-pool": the fast path and the parser both need single spaces here.
      at(spanStart(r.target) - 1, ` ${formatBinary(r.lengthSectors * SECTOR_BYTES)}`);
      if (r.extra?.special) continue;
      const meta = usage(r.metaUsed, r.metaTotal);
      if (meta && endOf(r.meta) >= 0) at(endOf(r.meta), ` ${formatBinary(meta.used * METADATA_BLOCK_BYTES)}/${formatBinary(meta.total * METADATA_BLOCK_BYTES)} ${formatPercent(meta.ratio)}`);
      const data = usage(r.dataUsed, r.dataTotal);
      if (data && endOf(r.data) >= 0) {
        const geo = poolGeometryOf(r.name, r.lengthSectors, r.dataTotal, doc.index);
        const sizes = geo.blockBytes ? `${formatBinary(data.used * geo.blockBytes)}/${formatBinary(data.total * geo.blockBytes)} ` : '';
        at(endOf(r.data), ` ${sizes}${formatPercent(data.ratio)}`);
      }
    } else {
      at(r.targetStart - 1, ` ${formatBinary(r.lengthSectors * SECTOR_BYTES)}`);
      if (r.blockSectors !== undefined && r.dataSpan !== 0) {
        const text = seg.texts[r.line]!;
        at(wordEndAfter(text, spanEnd(r.dataSpan)), ` ${formatBinary(r.blockSectors * SECTOR_BYTES)}`);
      }
    }
  }
}

/** The end of the first word at or after `from` (words split at spaces and tabs, as the parser splits them). */
function wordEndAfter(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  while (i < text.length && text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) i++;
  return i;
}

function hintsForLine(doc: TranscriptDocument, p: ParsedLine, line: number, out: InlayHint[]): void {
  const at = (character: number, label: string): void => {
    out.push({ position: { line, character }, label });
  };
  switch (p.kind) {
    case 'dm-target': {
      at(p.length.span.end, ` ${formatBinary(p.length.value * SECTOR_BYTES)}`);
      const params = p.params;
      if (params.form === 'thin-pool-status') {
        const meta = usage(params.metaUsed?.value, params.metaTotal?.value);
        if (meta && params.metaSpan) at(params.metaSpan.end, ` ${formatBinary(meta.used * METADATA_BLOCK_BYTES)}/${formatBinary(meta.total * METADATA_BLOCK_BYTES)} ${formatPercent(meta.ratio)}`);
        const data = usage(params.dataUsed?.value, params.dataTotal?.value);
        if (data && params.dataSpan) {
          const geo = poolGeometry(p, params, doc.index);
          const sizes = geo.blockBytes ? `${formatBinary(data.used * geo.blockBytes)}/${formatBinary(data.total * geo.blockBytes)} ` : '';
          at(params.dataSpan.end, ` ${sizes}${formatPercent(data.ratio)}`);
        }
      } else if (params.form === 'thin-pool-table' && params.blockSectors) {
        at(params.blockSectors.span.end, ` ${formatBinary(params.blockSectors.value * SECTOR_BYTES)}`);
      } else if (params.form === 'thin-status' && params.mapped) {
        at(params.mapped.span.end, ` ${formatBinary(params.mapped.value * SECTOR_BYTES)}`);
      }
      break;
    }
    case 'file-size': {
      if (p.allocated !== undefined && p.apparent !== undefined && p.apparent > 0) {
        const tok = p.tokens.find((t) => t.role === 'file.apparent');
        if (tok) at(tok.end, ` (allocated ${formatBinary(p.allocated)}, ${formatPercent(p.allocated / p.apparent)})`);
      }
      break;
    }
    case 'docker-info':
      if (p.bytes !== undefined && p.value) at(p.valueSpan.end, ` ≈ ${formatBinary(p.bytes)}`);
      break;
    default:
      break;
  }
}
