import type { TranscriptDocument } from '../transcript/document.js';
import type { ParsedLine } from '../transcript/lineTypes.js';
import type { Position } from '../text/position.js';
import { formatBinary, formatPercent, METADATA_BLOCK_BYTES, SECTOR_BYTES } from '../text/units.js';
import { poolGeometry, usage } from './poolMath.js';

export interface InlayHint {
  position: Position;
  label: string;
}

/** Human sizes and percentages beside raw numbers, for lines [from, to). */
export function inlayHints(doc: TranscriptDocument, from: number, to: number): InlayHint[] {
  const out: InlayHint[] = [];
  const end = Math.min(to, doc.lineCount);
  for (let line = Math.max(0, from); line < end; line++) {
    const p = doc.lineAt(line);
    if (p) hintsForLine(doc, p, line, out);
  }
  return out;
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
