import type { TranscriptDocument } from '../transcript/document.js';
import type { ParsedBlock } from '../transcript/parseBlock.js';
import type { Thresholds } from '../knowledge/thresholds.js';
import type { Finding } from './finding.js';
import { diagnoseBlock, diagnoseDocument } from './diagnose.js';
import { docLine, type DocumentIndex } from '../transcript/documentIndex.js';
import { lineRange } from '../text/position.js';

interface Cached {
  indexVersion: number;
  thresholds: string;
  start: number;
  findings: Finding[];
}

/**
 * Diagnostics of a transcript with per-segment caching: after an edit only the
 * re-parsed segments are diagnosed again, unless the document index or the
 * thresholds changed. Segments that merely moved get their lines shifted.
 */
export class TranscriptDiagnostics {
  private readonly cache = new WeakMap<ParsedBlock, Cached>();

  constructor(private readonly doc: TranscriptDocument) {}

  compute(t: Thresholds): Finding[] {
    const key = JSON.stringify(t);
    const version = this.doc.indexVersion;
    const index = this.doc.index;
    const out: Finding[] = [];
    for (const block of this.doc.blocks) {
      let c = this.cache.get(block);
      if (!c || c.indexVersion !== version || c.thresholds !== key) {
        c = { indexVersion: version, thresholds: key, start: block.start, findings: diagnoseBlock(block, index, t) };
        this.cache.set(block, c);
      } else if (c.start !== block.start) {
        c.findings = c.findings.map((f) => shift(f, block.start - c!.start));
        c.start = block.start;
      }
      for (const f of c.findings) out.push(f);
    }
    // Document-level findings are few and cheap (one per file line), and their related lines
    // move with every shift, so they are recomputed each time.
    for (const f of diagnoseDocument(index, t)) out.push(f);
    return out.map((f) => resolveRelated(f, index));
  }
}

function shift(f: Finding, delta: number): Finding {
  const r = f.range;
  return { ...f, range: { start: { line: r.start.line + delta, character: r.start.character }, end: { line: r.end.line + delta, character: r.end.character } } };
}

/** Links a pool finding to the pool's table line; resolved at output time because lines move. */
function resolveRelated(f: Finding, index: DocumentIndex): Finding {
  if (!f.relatedTableOf) return f;
  const { relatedTableOf, ...rest } = f;
  const t = index.poolTables.get(relatedTableOf);
  if (!t) return rest;
  return { ...rest, related: [{ range: lineRange(docLine(t), { start: 0, end: 0 }), message: `table of ${relatedTableOf}` }] };
}
