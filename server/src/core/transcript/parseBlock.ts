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

/** Lines longer than this are classified as text: no real dm output is that long, and regexes stay bounded. */
export const MAX_PARSED_LINE = 16_384;

/**
 * A segment: the unit of parsing and of incremental re-parsing. A segment starts
 * at a prompt line or at the first non-blank line after a blank line, and reads
 * its output in the light of the command block's prompt (its own or inherited).
 */
export interface ParsedBlock {
  /** First line of the segment in the document (updated when earlier edits shift it). */
  start: number;
  lines: ParsedLine[];
  /** The command this output belongs to. */
  prompt?: PromptLine;
  /** Whether line 0 of this segment is the prompt itself (the segment opens a command block). */
  ownsPrompt: boolean;
  facts: BlockFacts;
}

/**
 * Classifies every line of one block. The block's command (if any) decides how
 * ambiguous output is read; otherwise each line is recognised by its content.
 * Pure function of the block's text: the same lines give the same result.
 */
export function parseBlock(lines: readonly string[], start: number, inherited?: PromptLine): ParsedBlock {
  const parsed: ParsedLine[] = [];
  const facts = emptyFacts();
  const first = lines[0] ?? '';
  const own = first.length <= MAX_PARSED_LINE ? parsePrompt(first) : undefined;
  const prompt = own ?? inherited;
  let header: ColumnsHeader | undefined;
  const state: { infoName?: string } = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let p: ParsedLine;
    if (i === 0 && own) p = own;
    else if (line.length > MAX_PARSED_LINE) p = { kind: 'text', tokens: [] };
    else if (line.trim() === '') {
      p = { kind: 'blank', tokens: [] };
      header = undefined;
    } else {
      p = classifySafely(line, prompt, header);
      if (p.kind === 'columns-header') header = p;
    }
    parsed.push(p);
    collectFacts(p, i, facts, state);
  }
  return { start, lines: parsed, prompt, ownsPrompt: own !== undefined, facts };
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

function classify(line: string, prompt: PromptLine | undefined, header: ColumnsHeader | undefined): ParsedLine | undefined {
  const command = prompt?.command;
  const flags = prompt?.flags ?? new Set<string>();
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

function collectFacts(p: ParsedLine, line: number, facts: BlockFacts, state: { infoName?: string }): void {
  switch (p.kind) {
    case 'dm-target': {
      const params = p.params;
      const name = p.device?.name;
      if (params.form === 'thin-pool-table') {
        facts.poolTables.push({
          name,
          line,
          blockSectors: params.blockSectors?.value,
          lowWater: params.lowWater?.value,
          dataDev: params.dataDev.text,
          dataMajor: params.dataDev.devno?.major,
          dataMinor: params.dataDev.devno?.minor,
          features: params.features.map((f) => f.value),
        });
      } else if (params.form === 'thin-pool-status') {
        facts.poolStatuses.push({ name, line, dataUsed: params.dataUsed?.value, dataTotal: params.dataTotal?.value, lengthSectors: p.length.value });
      }
      break;
    }
    case 'dm-ls':
    case 'dm-tree':
      if (p.devno && p.name) facts.devices.push({ name: p.name, major: p.devno.major, minor: p.devno.minor });
      break;
    case 'columns-row': {
      if (p.table === 'dmsetup-info') {
        const name = p.cells.get('Name')?.text;
        const maj = Number(p.cells.get('Maj')?.text);
        const min = Number(p.cells.get('Min')?.text);
        if (name && Number.isInteger(maj) && Number.isInteger(min)) facts.devices.push({ name, major: maj, minor: min });
      } else if (p.table === 'losetup') {
        const loop = p.cells.get('NAME')?.text;
        const file = p.cells.get('BACK-FILE')?.text;
        if (loop && file) facts.loops.push({ loop, file: file.replace(/ \(deleted\)$/, '') });
      }
      break;
    }
    case 'file-size':
      if (p.path) facts.files.push({ path: p.path, line, allocated: p.allocated, apparent: p.apparent });
      break;
    case 'docker-info':
      if (p.key === 'Pool Name' && p.value) facts.dockerPoolName = p.value;
      else if (p.key === 'Data loop file' && p.value) facts.dockerDataLoopFile = p.value;
      else if (p.key === 'Data file' && p.value) facts.dockerDataFile = p.value;
      break;
    case 'kernel-log':
      if (p.discardError) facts.discardErrors.push({ device: p.discardError.device, line });
      break;
    case 'dm-info':
      // `dmsetup info` blocks name the device on one line and give its number a few lines later.
      if (p.key === 'Name') state.infoName = p.value;
      else if (p.key === 'Major, minor' && p.devno && state.infoName) facts.devices.push({ name: state.infoName, major: p.devno.major, minor: p.devno.minor });
      break;
    default:
      break;
  }
}
