import type { TranscriptDocument } from '../transcript/document.js';
import type { ParsedBlock } from '../transcript/parseBlock.js';
import { lineRange, type Range } from '../text/position.js';
import { formatPercent } from '../text/units.js';
import { usage } from './poolMath.js';
import { STATUS_RECORD } from '../transcript/records.js';

export type SymbolKind = 'command' | 'pool' | 'thin' | 'device' | 'file';

export interface TranscriptSymbol {
  name: string;
  detail?: string;
  kind: SymbolKind;
  range: Range;
  selectionRange: Range;
  children: TranscriptSymbol[];
}

/** A command block: consecutive segments from one prompt to the next. */
export interface CommandBlock {
  start: number;
  end: number;
  segments: ParsedBlock[];
}

export function commandBlocks(doc: TranscriptDocument): CommandBlock[] {
  const out: CommandBlock[] = [];
  for (const seg of doc.blocks) {
    const last = out[out.length - 1];
    if (!last || seg.ownsPrompt) out.push({ start: seg.start, end: seg.start + seg.lineCount, segments: [seg] });
    else {
      last.end = seg.start + seg.lineCount;
      last.segments.push(seg);
    }
  }
  return out;
}

/** One symbol per command block, with the devices and files it shows as children. */
export function documentSymbols(doc: TranscriptDocument): TranscriptSymbol[] {
  return limitedDocumentSymbols(doc, Infinity).symbols;
}

/**
 * The outline with at most `maxItems` symbols (command blocks and their children, counted in
 * document order), and whether it was cut. A 300 000-line transcript has ~250 000 symbols — 70 MB
 * of JSON that took seconds to build and send; editors cap outlines (VS Code's own JSON server
 * at 5 000, `json.maxItemsComputed`), and so do we (`dmLens.maxItemsComputed`). The cut is in
 * document order, so the outline covers the document's start.
 */
export function limitedDocumentSymbols(doc: TranscriptDocument, maxItems: number): { symbols: TranscriptSymbol[]; limited: boolean } {
  const symbols: TranscriptSymbol[] = [];
  let budget = maxItems;
  for (const b of commandBlocks(doc)) {
    if (budget <= 0) return { symbols, limited: true };
    budget--;
    const first = b.segments[0]!;
    const lastLine = lastNonBlank(doc, b);
    const range: Range = { start: { line: b.start, character: 0 }, end: { line: lastLine, character: doc.lineText(lastLine).length } };
    const name = first.ownsPrompt ? first.prompt!.argv.join(' ') || doc.lineText(b.start).trim() : 'output';
    const children: TranscriptSymbol[] = [];
    const selEnd = doc.lineText(b.start).length;
    symbols.push({ name, kind: 'command', range, selectionRange: lineRange(b.start, { start: 0, end: selEnd }), children });
    for (const seg of b.segments) {
      if (!seg.otherSymbols) {
        poolSymbols(doc, seg, children, budget);
      } else {
        seg.lines.forEach((p, i) => {
          if (children.length >= budget) return;
          const line = seg.start + i;
          if (p.kind === 'dm-target' && p.device && !p.device.fromCommand) {
            const params = p.params;
            let detail = `${p.target.name} ${p.source}`;
            let kind: SymbolKind = 'device';
            if (params.form === 'thin-pool-status' || params.form === 'thin-pool-table') kind = 'pool';
            if (params.form === 'thin-status' || params.form === 'thin-table') kind = 'thin';
            if (params.form === 'thin-pool-status') {
              const u = usage(params.dataUsed?.value, params.dataTotal?.value);
              detail = params.special ? `thin-pool ${params.special}` : `data ${u ? formatPercent(u.ratio) : '?'}${params.mode ? `, ${params.mode.value}` : ''}`;
            }
            const sel = lineRange(line, p.device.span);
            children.push({ name: p.device.name, detail, kind, range: lineRange(line, { start: 0, end: doc.lineText(line).length }), selectionRange: sel, children: [] });
          } else if ((p.kind === 'dm-ls' || p.kind === 'dm-tree') && p.name) {
            const sel = lineRange(line, p.tokens[0]!);
            children.push({ name: p.name, detail: p.devno ? `${p.devno.major}:${p.devno.minor}` : p.kind, kind: 'device', range: lineRange(line, { start: 0, end: doc.lineText(line).length }), selectionRange: sel, children: [] });
          } else if (p.kind === 'file-size' && p.path) {
            const tok = p.tokens.find((t) => t.role === 'file.path') ?? p.tokens[0]!;
            children.push({ name: p.path, detail: p.tool, kind: 'file', range: lineRange(line, { start: 0, end: doc.lineText(line).length }), selectionRange: lineRange(line, tok), children: [] });
          }
        });
      }
      // Cut inside this block (when exactly maxItems symbols exist, this says "limited" for nothing).
      if (children.length >= budget) return { symbols, limited: true };
    }
    budget -= children.length;
  }
  return { symbols, limited: false };
}

/**
 * The symbols of a segment whose only symbol lines are thin-pool status and table
 * lines with a `<name>: ` prefix: read from their records, without re-parsing.
 */
function poolSymbols(doc: TranscriptDocument, seg: ParsedBlock, children: TranscriptSymbol[], maxChildren: number): void {
  const tables = seg.facts.poolTables;
  const statuses = seg.facts.poolStatuses;
  let ti = 0;
  let si = 0;
  while ((ti < tables.length || si < statuses.length) && children.length < maxChildren) {
    const table = ti < tables.length && (si >= statuses.length || tables[ti]!.line < statuses[si]!.line);
    const r = table ? tables[ti++]! : statuses[si++]!;
    if (r.prefixEnd === 0 || r.name === undefined) continue;
    const line = seg.start + r.line;
    let detail = 'thin-pool table';
    if (r.tag === STATUS_RECORD) {
      const u = usage(r.dataUsed, r.dataTotal);
      const special = r.extra?.special;
      detail = special ? `thin-pool ${special}` : `data ${u ? formatPercent(u.ratio) : '?'}${r.mode ? `, ${r.mode}` : ''}`;
    }
    children.push({ name: r.name, detail, kind: 'pool', range: lineRange(line, { start: 0, end: doc.lineText(line).length }), selectionRange: lineRange(line, { start: 0, end: r.prefixEnd }), children: [] });
  }
}

function lastNonBlank(doc: TranscriptDocument, b: CommandBlock): number {
  let l = b.end - 1;
  while (l > b.start && doc.lineText(l).trim() === '') l--;
  return l;
}

/** Folding ranges: one per command block with more than one line; at most `maxItems` (the first ones). */
export function foldingRanges(doc: TranscriptDocument, maxItems = Infinity): { startLine: number; endLine: number }[] {
  const out: { startLine: number; endLine: number }[] = [];
  for (const b of commandBlocks(doc)) {
    const endLine = lastNonBlank(doc, b);
    if (endLine <= b.start) continue;
    if (out.length >= maxItems) break;
    out.push({ startLine: b.start, endLine });
  }
  return out;
}
