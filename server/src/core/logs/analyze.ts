/**
 * A whole log: findings for every recognised line, and the pool state changes
 * grouped into episodes (low water mark → out of data space (queue) → (error)
 * after no_space_timeout → write mode after a grow), shown as a timeline of
 * document symbols (issue 5 §4).
 *
 * Memory: only matches are kept — a 400 000-line journal of unrelated lines
 * costs nothing but the scan. `LogAnalyzer` takes lines one at a time, so a
 * caller reading a file can stream it; `analyzeLog` is the array form.
 */
import type { Finding } from '../analysis/finding.js';
import type { PoolState } from '../knowledge/logCatalogue.js';
import { lineRange, type Range } from '../text/position.js';
import { logMessage, stateLabel } from './explain.js';
import type { LogTimestamp } from './envelope.js';
import { matchLogLine, type LogMatch } from './match.js';

export interface LogMatchRecord {
  line: number;
  match: LogMatch;
  /** Length of that line, for ranges that end at its end. */
  lineLength: number;
}

export interface LogStateChange {
  state: PoolState;
  label: string;
  /** First line of this state; repeats of the same state are folded into it. */
  line: number;
  lastLine: number;
  count: number;
  /** The timestamp as printed (dmesg seconds, date), when the line has one. */
  timestamp?: string;
  /** Seconds since the previous state change, when both lines carry comparable times. */
  after?: number;
  match: LogMatch;
}

export interface LogEpisode {
  /** `253:0` (kernel maj:min), a dm name (dmeventd), or `dockerd` (Docker's pool, unnamed in its messages). */
  pool: string;
  poolKind: 'devno' | 'name' | 'dockerd';
  host?: string;
  /** E.g. "pool 253:0: out of data space (queue → error), grown 1024 → 3072 blocks". */
  name: string;
  startLine: number;
  endLine: number;
  changes: LogStateChange[];
  /** Recognised lines in the episode (repeats included). */
  lineCount: number;
}

export interface LogSymbol {
  name: string;
  detail?: string;
  kind: 'episode' | 'state';
  range: Range;
  selectionRange: Range;
  children: LogSymbol[];
}

export interface LogAnalysis {
  matches: LogMatchRecord[];
  findings: Finding[];
  episodes: LogEpisode[];
  symbols: LogSymbol[];
}

/**
 * Order of the states within an episode. A state ranked lower than the last
 * one starts a new episode (e.g. a low water mark after an error: the pool was
 * recreated or refilled).
 */
const RANK: Record<PoolState, number> = {
  'low-water-mark': 1,
  'metadata-low': 1,
  'usage-threshold': 1,
  'min-free-space': 1,
  'metadata-min-free-space': 1,
  'out-of-data-space-queue': 2,
  'out-of-data-space-error': 3,
  'metadata-error': 3,
  'metadata-exhausted': 3,
  'read-only': 4,
  'needs-check': 4,
  fail: 5,
  write: 6,
  grown: 7,
};

/** A pause longer than this (same clock) ends an episode. */
export const EPISODE_GAP_SECONDS = 3600;
/** Related-information entries per finding. */
const MAX_RELATED = 12;

interface Clocked {
  clock: LogTimestamp['clock'];
  seconds: number;
}

interface OpenEpisode extends LogEpisode {
  key: string;
  lastTime?: Clocked;
  endLength: number;
  lastChangeTime?: Clocked;
  /** Length of each change's last line, for symbol ranges. */
  lastLengths: Map<LogStateChange, number>;
}

function timeOf(m: LogMatch): (Clocked & { text: string }) | undefined {
  const t = m.envelope.kernelTimestamp ?? m.envelope.timestamp;
  if (!t) return undefined;
  return { clock: t.clock, seconds: t.seconds, text: t.text.replace(/^\[\s*|\]$/g, '') };
}

function poolOf(m: LogMatch): { pool: string; kind: LogEpisode['poolKind'] } | undefined {
  if (!m.entry.poolState) return undefined;
  const v = m.variables;
  if (v.pool && /^\d{1,10}:\d{1,10}$/.test(v.pool.text)) return { pool: v.pool.text, kind: 'devno' };
  if (m.entry.origin === 'dmeventd' && v.name) return { pool: v.name.text, kind: 'name' };
  if (m.entry.origin === 'dockerd') return { pool: 'dockerd', kind: 'dockerd' };
  return undefined;
}

export class LogAnalyzer {
  private readonly records: LogMatchRecord[] = [];
  /** Per record: its episode index, or -1. */
  private readonly recordEpisode: number[] = [];
  private readonly episodes: OpenEpisode[] = [];
  private readonly open = new Map<string, number>();
  private next = 0;

  /** Adds one line (its number defaults to the next one); returns its match. */
  push(text: string, line: number = this.next): LogMatch | undefined {
    this.next = line + 1;
    const match = matchLogLine(text);
    if (!match) return undefined;
    this.records.push({ line, match, lineLength: text.length });
    this.recordEpisode.push(this.episodeFor(match, line, text.length));
    return match;
  }

  private episodeFor(m: LogMatch, line: number, length: number): number {
    const p = poolOf(m);
    const state = m.entry.poolState;
    if (!p || !state) return -1;
    const host = m.envelope.host;
    const key = `${host ?? ''}\u0000${p.pool}`;
    const t = timeOf(m);
    let index = this.open.get(key);
    let ep = index === undefined ? undefined : this.episodes[index];
    if (ep) {
      const last = ep.changes[ep.changes.length - 1]!;
      // The kernel prints "switching pool to write mode" and "growing the data device" for one resume, in either order.
      const sameResume = (state === 'write' && last.state === 'grown') || (state === 'grown' && last.state === 'write');
      let fresh = RANK[state] < RANK[last.state] && !sameResume;
      if (t && ep.lastTime && t.clock === ep.lastTime.clock) {
        const dt = t.seconds - ep.lastTime.seconds;
        if (dt > EPISODE_GAP_SECONDS || (t.clock === 'boot' && dt < 0)) fresh = true; // a pause, or a reboot
      }
      if (fresh) ep = undefined;
    }
    if (!ep) {
      ep = { key, pool: p.pool, poolKind: p.kind, name: '', startLine: line, endLine: line, changes: [], lineCount: 0, endLength: length, lastLengths: new Map() };
      if (host !== undefined) ep.host = host;
      index = this.episodes.length;
      this.episodes.push(ep);
      this.open.set(key, index);
    }
    const last = ep.changes[ep.changes.length - 1];
    if (last && last.state === state) {
      last.lastLine = line;
      last.count++;
      ep.lastLengths.set(last, length);
    } else {
      const change: LogStateChange = { state, label: stateLabel(state, m), line, lastLine: line, count: 1, match: m };
      if (t) {
        change.timestamp = t.text;
        if (ep.lastChangeTime && ep.lastChangeTime.clock === t.clock) change.after = Math.round((t.seconds - ep.lastChangeTime.seconds) * 1000) / 1000;
        ep.lastChangeTime = { clock: t.clock, seconds: t.seconds };
      }
      ep.changes.push(change);
      ep.lastLengths.set(change, length);
    }
    if (t) ep.lastTime = { clock: t.clock, seconds: t.seconds };
    ep.endLine = line;
    ep.endLength = length;
    ep.lineCount++;
    return index!;
  }

  finish(): LogAnalysis {
    const episodes: LogEpisode[] = this.episodes.map((e) => {
      const out: LogEpisode = { pool: e.pool, poolKind: e.poolKind, name: episodeName(e), startLine: e.startLine, endLine: e.endLine, changes: e.changes, lineCount: e.lineCount };
      if (e.host !== undefined) out.host = e.host;
      return out;
    });
    const findings = this.findings(episodes);
    const symbols = this.episodes.map((e, i) => episodeSymbol(e, episodes[i]!.name));
    return { matches: this.records, findings, episodes, symbols };
  }

  private findings(episodes: LogEpisode[]): Finding[] {
    // Lines that are not pool states are related to the other lines of the same message about the same thing.
    const groups = new Map<string, number[]>();
    const groupKey = (m: LogMatch): string => {
      const v = m.variables;
      const subject = v.device?.text ?? v.pool?.text ?? v.devno?.text ?? v.name?.text ?? v.hash?.text ?? '';
      return `${m.envelope.host ?? ''}\u0000${m.entry.id}\u0000${subject}`;
    };
    this.records.forEach((r, i) => {
      if (this.recordEpisode[i]! >= 0) return;
      const k = groupKey(r.match);
      const list = groups.get(k);
      if (!list) groups.set(k, [i]);
      else if (list.length <= MAX_RELATED) list.push(i);
    });
    return this.records.map((r, i) => {
      const m = r.match;
      const f: Finding = { code: m.entry.id, severity: m.severity, message: logMessage(m), range: lineRange(r.line, m.messageRange) };
      const e = this.recordEpisode[i]!;
      const related: NonNullable<Finding['related']> = [];
      if (e >= 0) {
        const ep = episodes[e]!;
        for (const c of ep.changes) {
          if (c.line === r.line || related.length >= MAX_RELATED) continue;
          related.push({ range: lineRange(c.line, c.match.messageRange), message: `${ep.name.split(': ')[0]}: ${c.label}${c.timestamp ? ` (${c.timestamp})` : ''}` });
        }
      } else {
        for (const j of groups.get(groupKey(m)) ?? []) {
          const o = this.records[j]!;
          if (o.line === r.line || related.length >= MAX_RELATED) continue;
          related.push({ range: lineRange(o.line, o.match.messageRange), message: `Also: ${logMessage(o.match)}` });
        }
      }
      if (related.length > 0) f.related = related;
      return f;
    });
  }
}

export function analyzeLog(lines: readonly string[]): LogAnalysis {
  const a = new LogAnalyzer();
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    if (typeof text === 'string') a.push(text, i);
  }
  return a.finish();
}

function has(e: LogEpisode, s: PoolState): boolean {
  return e.changes.some((c) => c.state === s);
}

/** "pool 253:0: out of data space (queue → error), grown 1024 → 3072 blocks". */
export function episodeName(e: LogEpisode): string {
  const label = e.poolKind === 'devno' ? `pool ${e.pool}` : e.poolKind === 'name' ? `pool ${e.pool}` : "Docker's thin pool";
  const parts: string[] = [];
  const queue = has(e, 'out-of-data-space-queue');
  const error = has(e, 'out-of-data-space-error');
  if (queue || error) parts.push(`out of data space (${[queue ? 'queue' : '', error ? 'error' : ''].filter(Boolean).join(' → ')})`);
  else if (has(e, 'low-water-mark')) parts.push('low water mark reached');
  const usage = [...e.changes].reverse().find((c) => c.state === 'usage-threshold');
  if (usage) parts.push(usage.label);
  if (has(e, 'min-free-space')) parts.push('below dm.min_free_space (data)');
  if (has(e, 'metadata-min-free-space')) parts.push('below dm.min_free_space (metadata)');
  const metadataTrouble = has(e, 'metadata-error') || has(e, 'metadata-exhausted');
  if (has(e, 'metadata-low') && !metadataTrouble) parts.push('metadata low water mark');
  if (has(e, 'metadata-exhausted')) parts.push('out of metadata space');
  else if (has(e, 'metadata-error')) parts.push('metadata operation failed');
  const ro = has(e, 'read-only');
  const fail = has(e, 'fail');
  if (ro || fail) parts.push([ro ? 'read-only' : '', fail ? 'fail' : ''].filter(Boolean).join(' → '));
  if (has(e, 'needs-check')) parts.push('needs check');
  const grows = e.changes.filter((c) => c.state === 'grown');
  const dataGrows = grows.filter((c) => c.match.variables.device?.text !== 'metadata');
  const metaGrows = grows.filter((c) => c.match.variables.device?.text === 'metadata');
  if (dataGrows.length > 0) parts.push(`grown ${dataGrows[0]!.match.variables.from?.text ?? '?'} → ${dataGrows[dataGrows.length - 1]!.match.variables.to?.text ?? '?'} blocks`);
  if (metaGrows.length > 0) parts.push(`metadata grown ${metaGrows[0]!.match.variables.from?.text ?? '?'} → ${metaGrows[metaGrows.length - 1]!.match.variables.to?.text ?? '?'} blocks`);
  if (grows.length === 0 && has(e, 'write')) parts.push('back to write mode');
  return `${label}: ${parts.length > 0 ? parts.join(', ') : e.changes.map((c) => c.label).join(' → ')}`;
}

function episodeSymbol(e: OpenEpisode, name: string): LogSymbol {
  const children: LogSymbol[] = e.changes.map((c, i) => {
    const lastLength = e.lastLengths.get(c) ?? c.match.messageRange.end;
    // queue → error is the no_space_timeout expiring (real-kernel-observations.md §5.2).
    const timeout = c.state === 'out-of-data-space-error' && e.changes[i - 1]?.state === 'out-of-data-space-queue' ? ' in queue mode (no_space_timeout)' : '';
    const detail = [c.timestamp, c.after !== undefined ? `+${formatSeconds(c.after)}${timeout}` : undefined, c.count > 1 ? `×${c.count}` : undefined].filter(Boolean).join(' ');
    const s: LogSymbol = {
      name: c.label,
      kind: 'state',
      range: { start: { line: c.line, character: 0 }, end: { line: c.lastLine, character: lastLength } },
      selectionRange: lineRange(c.line, c.match.messageRange),
      children: [],
    };
    if (detail) s.detail = detail;
    return s;
  });
  const first = e.changes[0]!;
  const sym: LogSymbol = {
    name,
    kind: 'episode',
    range: { start: { line: e.startLine, character: 0 }, end: { line: e.endLine, character: e.endLength } },
    selectionRange: lineRange(first.line, first.match.messageRange),
    children,
  };
  const span = first.timestamp && e.changes.length > 1 && e.changes[e.changes.length - 1]!.timestamp ? `${first.timestamp} – ${e.changes[e.changes.length - 1]!.timestamp}` : first.timestamp;
  const detail = [e.host, span, `${e.lineCount} line${e.lineCount === 1 ? '' : 's'}`].filter(Boolean).join(' · ');
  if (detail) sym.detail = detail;
  return sym;
}

function formatSeconds(s: number): string {
  return s < 60 ? `${Number(s.toFixed(s < 10 ? 2 : 1))} s` : s < 3600 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${(s / 3600).toFixed(1)} h`;
}
