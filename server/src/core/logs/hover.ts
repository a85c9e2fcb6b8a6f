/**
 * Hover on a recognised log line: what happened, how bad it is, what to do,
 * and the values of the line with computed figures (issue 5 §4).
 */
import type { HoverResult } from '../analysis/hover.js';
import { lineRange } from '../text/position.js';
import type { LogAnalysis } from './analyze.js';
import { explainValues, logMessage } from './explain.js';
import { matchLogLine, type LogMatch } from './match.js';

export interface LogHoverOptions {
  /** The line's match when the caller already has it. */
  match?: LogMatch;
  /** The document's analysis: the hover then names the line's episode. */
  analysis?: LogAnalysis;
}

const SEVERITY_WORD = { error: 'Error', warning: 'Warning', information: 'Information', hint: 'Hint' } as const;

/** Line `n` of a text, found without splitting the whole text. */
function nthLine(text: string, n: number): string | undefined {
  let start = 0;
  for (let i = 0; i < n; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return undefined;
    start = nl + 1;
  }
  const nl = text.indexOf('\n', start);
  const raw = nl < 0 ? text.slice(start) : text.slice(start, nl);
  return raw.endsWith('\r') ? raw.slice(0, -1) : raw;
}

/**
 * `lines` is the document's lines, or a string: the whole document when it
 * contains a newline, else the text of line `line` itself. `at` is the cursor
 * character — the hover covers the message, not the timestamp/host prefix —
 * or a match, for a hover over the whole message.
 */
export function logHoverAt(lines: readonly string[] | string, line: number, at: number | LogMatch, options: LogHoverOptions = {}): HoverResult | undefined {
  const text = typeof lines === 'string' ? (lines.includes('\n') ? nthLine(lines, line) : lines) : lines[line];
  if (typeof text !== 'string') return undefined;
  const match = typeof at === 'number' ? (options.match ?? matchLogLine(text)) : at;
  if (!match) return undefined;
  let focus: string | undefined;
  let range = match.messageRange;
  if (typeof at === 'number') {
    if (!Number.isFinite(at) || at < match.messageRange.start || at > Math.max(text.length, match.messageRange.end)) return undefined;
    for (const [name, v] of Object.entries(match.variables)) {
      if (at >= v.start && at <= v.end && v.end > v.start && (!focus || v.end - v.start < range.end - range.start)) {
        focus = name;
        range = { start: v.start, end: v.end };
      }
    }
  }
  return { markdown: logHoverMarkdown(match, { line, focus, analysis: options.analysis }), range: lineRange(line, range) };
}

function code(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const shown = flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
  const ticks = shown.includes('`') ? '``' : '`';
  return `${ticks}${ticks.length > 1 ? ' ' : ''}${shown}${ticks.length > 1 ? ' ' : ''}${ticks}`;
}

/** The hover text for a match; `focus` puts one variable first. */
export function logHoverMarkdown(m: LogMatch, context: { line?: number; focus?: string | undefined; analysis?: LogAnalysis | undefined } = {}): string {
  const e = m.entry;
  const parts: string[] = [];
  parts.push(`**${e.title}** · ${SEVERITY_WORD[m.severity]} · ${e.origin} · \`${e.id}\``);
  const message = logMessage(m);
  if (message !== e.title) parts.push(message);
  parts.push(e.meaning);
  const values = explainValues(m);
  if (context.focus) values.sort((a, b) => Number(b.name === context.focus) - Number(a.name === context.focus));
  if (values.length > 0) {
    parts.push(
      ['**In this line**', ...values.map((v) => `* ${v.name === context.focus ? '**' : ''}\`${v.name}\`${v.name === context.focus ? '**' : ''} = ${code(v.text)}${v.note ? ` — ${v.note}` : ''}`)].join('\n'),
    );
  }
  parts.push(`**What to do:** ${e.remedy}`);
  if (context.analysis && context.line !== undefined) {
    const line = context.line;
    const ep = context.analysis.episodes.find((x) => x.startLine <= line && line <= x.endLine && x.changes.some((c) => c.line <= line && line <= c.lastLine));
    if (ep) parts.push(`**Episode** (lines ${ep.startLine + 1}–${ep.endLine + 1}): ${ep.name}`);
  }
  const facts: string[] = [];
  const versions = m.wording.versions ?? e.versions;
  if (versions) facts.push(`Printed by: ${versions}`);
  if (m.wording.note) facts.push(`Wording: ${m.wording.note}`);
  if (m.truncated) facts.push('The line is longer than 16 KiB; only its first 16 KiB were read.');
  if (m.field) facts.push(`Found in the logrus \`${m.field}\` field.`);
  if (e.link) facts.push(`[More](${e.link})`);
  if (facts.length > 0) parts.push(facts.join(' · '));
  parts.push(`_Source: ${e.source}_`);
  return parts.join('\n\n');
}
