import { matchLogLine } from '../logs/match.js';
import type { ColumnsHeader, ParsedLine, PromptLine } from './lineTypes.js';
import { emptyFacts, type BlockFacts } from './facts.js';
import { parsePrompt } from '../parsers/prompt.js';
import { parseDmTargetLine } from '../parsers/dmTargetLine.js';
import { parseDmLs, parseDmTree } from '../parsers/dmsetupLs.js';
import { parseDmDeps, parseDmInfoField, parseDmMessage, parseDmTargets, parseDmVersion } from '../parsers/dmsetupMisc.js';
import { parseColumnsHeader, parseColumnsRow } from '../parsers/columns.js';
import { parseDockerInfo, parseDockerWarning } from '../parsers/dockerInfo.js';
import { parseDuLine, parseLsLine, parseStatLine } from '../parsers/fileSizes.js';
import { parseKernelLog } from '../parsers/kernelLog.js';
import { parseLosetupA } from '../parsers/losetup.js';
import { isJsSpace, scanPoolLine, type FastContext } from '../parsers/fastPoolLine.js';
import { LINE_RECORD, STATUS_RECORD, statusRecordOf, tableNeedsDiagnosis, tableRecordOf, type DiagRecord } from './records.js';

/** Lines longer than this are classified as text: no real dm output is that long, and regexes stay bounded. */
export const MAX_PARSED_LINE = 16_384;

/**
 * A segment: the unit of parsing and of incremental re-parsing. A segment starts
 * at a prompt line or at the first non-blank line after a blank line, and reads
 * its output in the light of the command block's prompt (its own or inherited).
 *
 * Parsing keeps the segment's facts and the records of the lines that can give
 * findings (records.ts), not a ParsedLine per line: `lines` re-parses the
 * segment on demand (hovers, inlay hints, symbols) and a small cache keeps the
 * most recently used segments' lines, so asking twice gives the same objects.
 */
export class ParsedBlock {
  /** First line of the segment in the document (updated when earlier edits shift it). */
  start: number;
  readonly lineCount: number;
  /** The command this output belongs to. */
  readonly prompt: PromptLine | undefined;
  /** Whether line 0 of this segment is the prompt itself (the segment opens a command block). */
  readonly ownsPrompt: boolean;
  readonly facts: BlockFacts;
  /** The segment's text, one string per line (for re-parsing on demand). */
  readonly texts: readonly string[];
  /** Records of the lines that can give findings, in line order. */
  readonly records: readonly DiagRecord[];
  /** Some line gives a symbol that no pool record describes (other targets, dmsetup ls, files). */
  readonly otherSymbols: boolean;
  /** Replaced by an edit: no longer part of its document. */
  dead = false;
  private parsed: ParsedLine[] | undefined;
  private onlyPool: boolean | undefined;

  constructor(texts: readonly string[], start: number, prompt: PromptLine | undefined, ownsPrompt: boolean, facts: BlockFacts, records: DiagRecord[], otherSymbols: boolean) {
    this.start = start;
    this.lineCount = texts.length;
    this.prompt = prompt;
    this.ownsPrompt = ownsPrompt;
    this.facts = facts;
    this.texts = texts;
    this.records = records;
    this.otherSymbols = otherSymbols;
    for (const r of facts.poolTables) r.block = this;
    for (const r of facts.poolStatuses) r.block = this;
  }

  /** Every line classified (the full model with tokens), parsed on first use. */
  get lines(): ParsedLine[] {
    if (!this.parsed) {
      this.parsed = classifyLines(this.texts, this.ownsPrompt ? this.prompt : undefined, this.prompt);
      remember(this);
    }
    return this.parsed;
  }

  /**
   * One line's full model. In a segment of thin-pool lines only, no column header can change how
   * a line reads, so just that line is parsed (a hover right after an edit then parses one line,
   * not the whole re-made segment); otherwise the whole segment is, and kept for a while.
   */
  line(i: number): ParsedLine | undefined {
    if (i < 0 || i >= this.lineCount) return undefined;
    if (this.parsed || !this.poolLinesOnly) return this.lines[i];
    if (i === 0 && this.ownsPrompt) return this.prompt;
    const text = this.texts[i]!;
    if (text.length > MAX_PARSED_LINE) return { kind: 'text', tokens: [] };
    if (isBlankLine(text)) return { kind: 'blank', tokens: [] };
    return classifySafely(text, this.prompt, undefined);
  }

  /** Every line is the segment's own prompt, blank, or a thin-pool status or table line (with its record). */
  get poolLinesOnly(): boolean {
    if (this.onlyPool === undefined) {
      const records = this.facts.poolStatuses.length + this.facts.poolTables.length;
      let other = 0;
      for (let i = this.ownsPrompt ? 1 : 0; i < this.lineCount && other <= records; i++) if (!isBlankLine(this.texts[i]!)) other++;
      this.onlyPool = records > 0 && other === records;
    }
    return this.onlyPool;
  }

  /** @internal Drops the re-parsed lines (the cache below decides when). */
  forget(): void {
    this.parsed = undefined;
  }
}

/**
 * Segments whose lines were re-parsed, oldest first. Bounded by lines, so a
 * document's memory follows its facts and records, not its length; the most
 * recent segment always stays, however long.
 *
 * Held through WeakRefs: this list decides when a live segment drops its parsed
 * lines, but never keeps a segment alive itself. A segment's texts are slices of
 * its document's text, and a slice keeps the whole original string alive, so a
 * strong reference here kept every closed document's full text (50 MB for a
 * 50 MB transcript) until some 20 000 lines of later segments pushed it out: a
 * language server opening and closing a large document grew by the document's
 * size each time (issue 9).
 */
// A few viewports' worth. Every remembered line survives the young generation's
// collections, so a 20 000-line cache made each scavenge copy thousands of
// ParsedLines (~10 ms, one request in twenty on a 300 000-line document: the
// inlay-hint p95); 500 lines keep hover + hints of a viewport re-parse-free.
const MAX_REMEMBERED_LINES = 500;
const remembered: { block: WeakRef<ParsedBlock>; lines: number }[] = [];
let rememberedLines = 0;

function remember(block: ParsedBlock): void {
  remembered.push({ block: new WeakRef(block), lines: block.lineCount });
  rememberedLines += block.lineCount;
  while (rememberedLines > MAX_REMEMBERED_LINES && remembered.length > 1) {
    const old = remembered.shift()!;
    rememberedLines -= old.lines;
    old.block.deref()?.forget();
  }
}

/** Whether a line is blank the way `line.trim() === ''` says, without making the string. */
export function isBlankLine(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (!isJsSpace(line.charCodeAt(i))) return false;
  return true;
}

/** Commands whose output is read by their own parsers; every other block tries a target line first. */
const OWN_READERS = new Set(['dmsetup-ls', 'dmsetup-ls-tree', 'dmsetup-info', 'dmsetup-deps', 'dmsetup-version', 'dmsetup-targets', 'docker-info', 'ls', 'du', 'stat']);

/** `docker info` keys some finding reads. */
const DOCKER_DIAG_KEYS = new Set([
  'Udev Sync Supported',
  'Data loop file',
  'Data Space Used',
  'Data Space Total',
  'Data Space Available',
  'Metadata Space Used',
  'Metadata Space Total',
  'Metadata Space Available',
  'Thin Pool Minimum Free Space',
]);

/**
 * Parses one segment: its facts and the records of the lines that can give
 * findings. The block's command (if any) decides how ambiguous output is read;
 * otherwise each line is recognised by its content. Pure function of the
 * block's text: the same lines give the same result.
 */
export function parseBlock(lines: readonly string[], start: number, inherited?: PromptLine): ParsedBlock {
  const facts = emptyFacts();
  const records: DiagRecord[] = [];
  const first = lines[0] ?? '';
  const own = first.length <= MAX_PARSED_LINE ? parsePrompt(first) : undefined;
  const prompt = own ?? inherited;
  const command = prompt?.command;
  const fastCtx: FastContext | undefined =
    command === 'dmsetup-status' || command === 'dmsetup-table' ? { source: command === 'dmsetup-status' ? 'status' : 'table', deviceArg: prompt!.deviceArg }
    : command === undefined || !OWN_READERS.has(command) ? { source: undefined, deviceArg: undefined }
    : undefined;
  const targetFirst = command === 'dmsetup-status' || command === 'dmsetup-table';
  let header: ColumnsHeader | undefined;
  const state: { infoName?: string } = {};
  let otherSymbols = false;
  for (let i = own ? 1 : 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > MAX_PARSED_LINE) continue;
    if (isBlankLine(line)) {
      header = undefined;
      continue;
    }
    // The hot path: a well-formed thin-pool line where a target line is read first.
    if (fastCtx && (targetFirst || !header)) {
      const r = scanPoolLine(line, fastCtx, i);
      if (r) {
        if (r.tag === STATUS_RECORD) {
          facts.poolStatuses.push(r);
          records.push(r);
        } else {
          facts.poolTables.push(r);
          if (tableNeedsDiagnosis(r)) records.push(r);
        }
        continue;
      }
    }
    const p = classifySafely(line, prompt, header);
    if (p.kind === 'columns-header') header = p;
    if (collect(p, i, facts, state, records)) otherSymbols = true;
  }
  return new ParsedBlock(lines, start, prompt, own !== undefined, facts, records, otherSymbols);
}

/** The full model of every line of a segment (what parseBlock keeps only the essence of). */
function classifyLines(lines: readonly string[], own: PromptLine | undefined, prompt: PromptLine | undefined): ParsedLine[] {
  const parsed: ParsedLine[] = [];
  let header: ColumnsHeader | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let p: ParsedLine;
    if (i === 0 && own) p = own;
    else if (line.length > MAX_PARSED_LINE) p = { kind: 'text', tokens: [] };
    else if (isBlankLine(line)) {
      p = { kind: 'blank', tokens: [] };
      header = undefined;
    } else {
      p = classifySafely(line, prompt, header);
      if (p.kind === 'columns-header') header = p;
    }
    parsed.push(p);
  }
  return parsed;
}

/** A parser that throws must not leave the document half-updated: that line becomes text. */
function classifySafely(line: string, prompt: PromptLine | undefined, header: ColumnsHeader | undefined): ParsedLine {
  let p: ParsedLine;
  try {
    p = classify(line.trimEnd(), prompt, header) ?? { kind: 'text', tokens: [] };
  } catch {
    p = { kind: 'text', tokens: [] };
  }
  // Log lines pasted among the commands: the message catalogue explains them (cheap: most lines fail its gate).
  if (p.kind === 'kernel-log' || p.kind === 'text') {
    const m = matchLogLine(line);
    if (m) p.logMatch = m;
  }
  return p;
}

const NO_FLAGS: ReadonlySet<string> = new Set<string>();

function classify(line: string, prompt: PromptLine | undefined, header: ColumnsHeader | undefined): ParsedLine | undefined {
  const command = prompt?.command;
  const flags = prompt?.flags ?? NO_FLAGS;
  switch (command) {
    case 'dmsetup-status':
    case 'dmsetup-table':
      return (
        parseDmTargetLine(line, { source: command === 'dmsetup-status' ? 'status' : 'table', deviceArg: prompt!.deviceArg }) ??
        parseDmMessage(line) ??
        parseDmInfoField(line)
      );
    case 'dmsetup-ls':
      return parseDmLs(line, true) ?? parseDmMessage(line);
    case 'dmsetup-ls-tree':
      return parseDmTree(line) ?? parseDmMessage(line);
    case 'dmsetup-info':
      return parseDmInfoField(line) ?? parseDmMessage(line);
    case 'dmsetup-deps':
      return parseDmDeps(line) ?? parseDmMessage(line);
    case 'dmsetup-version':
      return parseDmVersion(line);
    case 'dmsetup-targets':
      return parseDmTargets(line);
    case 'docker-info':
      return parseDockerWarning(line) ?? parseDockerInfo(line, true);
    case 'ls':
      return parseLsLine(line);
    case 'du':
      return parseDuLine(line, flags.has('--apparent-size') || flags.has('-b') || flags.has('--bytes'), flags.has('-h') || flags.has('--human-readable'), flags.has('-b') || flags.has('--bytes'));
    case 'stat':
      return parseStatLine(line, prompt!.fileArgs.length === 1 ? prompt!.fileArgs[0] : undefined);
    default:
      if (header) {
        const row = parseColumnsRow(line, header);
        if (row) return row;
      }
      return byContent(line);
  }
}

/** Content-based recognition, most specific formats first. */
function byContent(line: string): ParsedLine | undefined {
  return (
    parseDmTargetLine(line) ??
    parseKernelLog(line) ??
    parseDmLs(line, false) ??
    parseDmInfoField(line) ??
    parseDmDeps(line) ??
    parseDmVersion(line) ??
    parseDmMessage(line) ??
    parseDockerWarning(line) ??
    parseDockerInfo(line, false) ??
    parseLsLine(line) ??
    parseLosetupA(line) ??
    parseColumnsHeader(line) ??
    parseDmTree(line) ??
    parseDmTargets(line)
  );
}

const DELETED = / \(deleted\)$/;

/**
 * The facts and the record of a line the full parser read. Returns whether the
 * line gives a symbol that no pool record describes.
 */
function collect(p: ParsedLine, line: number, facts: BlockFacts, state: { infoName?: string }, records: DiagRecord[]): boolean {
  switch (p.kind) {
    case 'dm-target': {
      const params = p.params;
      if (params.form === 'thin-pool-table') {
        const r = tableRecordOf(p, params, line);
        facts.poolTables.push(r);
        if (tableNeedsDiagnosis(r)) records.push(r);
        return false;
      }
      if (params.form === 'thin-pool-status') {
        const r = statusRecordOf(p, params, line);
        facts.poolStatuses.push(r);
        records.push(r);
        return false;
      }
      // Other targets give a finding only for a number beyond 2^53 or a thin device of a failed pool.
      if (!p.start.exact || !p.length.exact || (params.form === 'thin-status' && (params.special === 'Fail' || params.special === 'Error'))) {
        records.push({ tag: LINE_RECORD, line, p });
      }
      return p.device !== undefined && !p.device.fromCommand;
    }
    case 'dm-ls':
    case 'dm-tree':
      if (p.devno && p.name) facts.devices.push({ name: p.name, major: p.devno.major, minor: p.devno.minor });
      return !!p.name;
    case 'columns-row': {
      if (p.table === 'dmsetup-info') {
        const name = p.cells.get('Name')?.text;
        const maj = Number(p.cells.get('Maj')?.text);
        const min = Number(p.cells.get('Min')?.text);
        if (name && Number.isInteger(maj) && Number.isInteger(min)) facts.devices.push({ name, major: maj, minor: min });
      } else if (p.table === 'losetup') {
        const loop = p.cells.get('NAME')?.text;
        const file = p.cells.get('BACK-FILE')?.text;
        if (loop && file) facts.loops.push({ loop, file: file.replace(DELETED, '') });
      } else if (p.table === 'lvs') {
        records.push({ tag: LINE_RECORD, line, p });
      }
      return false;
    }
    case 'file-size':
      if (p.path) {
        const tok = p.tokens.find((k) => k.role === 'file.allocated');
        facts.files.push({ path: p.path, line, allocated: p.allocated, apparent: p.apparent, allocatedSpan: tok ? { start: tok.start, end: tok.end } : { start: 0, end: 0 } });
      }
      return !!p.path;
    case 'docker-info':
      if (p.key === 'Pool Name' && p.value) facts.dockerPoolName = p.value;
      else if (p.key === 'Data loop file' && p.value) facts.dockerDataLoopFile = p.value;
      else if (p.key === 'Data file' && p.value) facts.dockerDataFile = p.value;
      if (DOCKER_DIAG_KEYS.has(p.key)) records.push({ tag: LINE_RECORD, line, p });
      return false;
    case 'docker-warning':
      if (p.warning === 'loopback' || p.warning === 'deprecated') records.push({ tag: LINE_RECORD, line, p });
      return false;
    case 'kernel-log':
      if (p.discardError) facts.discardErrors.push({ device: p.discardError.device, line });
      if (p.discardError || p.logMatch) records.push({ tag: LINE_RECORD, line, p });
      return false;
    case 'text':
      if (p.logMatch) records.push({ tag: LINE_RECORD, line, p });
      return false;
    case 'dm-info':
      // `dmsetup info` blocks name the device on one line and give its number a few lines later.
      if (p.key === 'Name') state.infoName = p.value;
      else if (p.key === 'Major, minor' && p.devno && state.infoName) facts.devices.push({ name: state.infoName, major: p.devno.major, minor: p.devno.minor });
      return false;
    default:
      return false;
  }
}
