/**
 * Shared helpers for the unit tests of the pure core (not a test file itself:
 * the runner only picks up `*.test.ts`).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { TranscriptDocument, TranscriptDiagnostics, DEFAULT_THRESHOLDS, type Finding, type Thresholds, type ParsedLine } from '../../server/src/core/index.js';

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'transcripts');

export const FIXTURES = [
  'user-transcript',
  'live-pool-6.1',
  'out-of-space-error',
  'out-of-space-queue',
  'metadata-snapshot',
  'old-kernels',
  'docker-info-old',
  'docker-info-new',
  'sizes',
  'kernel-messages',
] as const;
export type FixtureName = (typeof FIXTURES)[number];

export function readFixture(name: FixtureName): string {
  return readFileSync(join(FIXTURE_DIR, `${name}.dmsetup`), 'utf8');
}

export function docOf(name: FixtureName): TranscriptDocument {
  return new TranscriptDocument(readFixture(name));
}

/** Seeded PRNG (mulberry32): failures reproduce from the seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** [role, start, end, text] for every token of a parsed line. */
export function spans(p: { tokens: readonly { role: string; start: number; end: number; text: string }[] } | undefined): [string, number, number, string][] {
  if (!p) return [];
  return p.tokens.map((t) => [t.role, t.start, t.end, t.text]);
}

/** Every line of a document with its kind. */
export function kinds(doc: TranscriptDocument): string[] {
  const out: string[] = [];
  for (let i = 0; i < doc.lineCount; i++) out.push(doc.lineAt(i)?.kind ?? '<none>');
  return out;
}

export function allLines(doc: TranscriptDocument): string[] {
  const out: string[] = [];
  for (let i = 0; i < doc.lineCount; i++) out.push(doc.lineText(i));
  return out;
}

export function findings(doc: TranscriptDocument, t: Thresholds = DEFAULT_THRESHOLDS): Finding[] {
  return new TranscriptDiagnostics(doc).compute(t);
}

/** `code@line "text under the range"`, sorted: the exact set a fixture must produce. */
export function findingKeys(doc: TranscriptDocument, fs: readonly Finding[]): string[] {
  return fs
    .map((f) => {
      const r = f.range;
      const text = r.start.line === r.end.line ? doc.lineText(r.start.line).slice(r.start.character, r.end.character) : '<multi-line>';
      return `${f.code}@${r.start.line} ${JSON.stringify(text)}`;
    })
    .sort();
}

/** Applies one LSP range edit to a plain string, counting lines the way the core does (CRLF, LF, CR). */
export function applyEditToString(text: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, insert: string): string {
  return text.slice(0, offsetOf(text, range.start)) + insert + text.slice(offsetOf(text, range.end));
}

export function offsetOf(text: string, pos: { line: number; character: number }): number {
  const re = /\r\n|\r|\n/g;
  let lineStart = 0;
  for (let line = 0; line < pos.line; line++) {
    const m = re.exec(text);
    if (!m) return text.length;
    lineStart = m.index + m[0].length;
  }
  const next = /\r\n|\r|\n/g;
  next.lastIndex = lineStart;
  const m = next.exec(text);
  const lineEnd = m ? m.index : text.length;
  return Math.min(lineStart + pos.character, lineEnd);
}

/** A comparable picture of the parse: each line's text, kind and tokens. */
export function parseSnapshot(doc: TranscriptDocument): string[] {
  const out: string[] = [];
  for (let i = 0; i < doc.lineCount; i++) {
    const p: ParsedLine | undefined = doc.lineAt(i);
    out.push(JSON.stringify([doc.lineText(i), p?.kind, p?.tokens]));
  }
  return out;
}

export function segmentSnapshot(doc: TranscriptDocument): string[] {
  return doc.blocks.map((b) => `${b.start}+${b.lines.length}${b.ownsPrompt ? ' prompt' : ''} ${b.prompt?.argv.join(' ') ?? '-'}`);
}
