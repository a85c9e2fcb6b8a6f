import type {
  DiscardMode,
  DmTargetLine,
  NoSpacePolicy,
  PoolMode,
  LinearTable,
  ThinPoolStatus,
  ThinPoolTable,
  ThinStatus,
  ThinTable,
  Token,
  TargetParams,
} from '../transcript/lineTypes.js';
import { words, type Word } from '../text/words.js';
import { devno, num } from './numbers.js';

/**
 * `dmsetup status` / `dmsetup table` lines: `[<name>: ]<start> <length> <type> <params>`
 * (devicemapper.md §3.1–3.4, §3.7, §3.9). The `<name>: ` prefix is split at the
 * first colon followed by a space: Docker device names contain colons.
 */
const HEAD = /^(\d{1,20}) (\d{1,20}) ([A-Za-z][\w-]{0,63})(?= |$)/;

export interface TargetContext {
  /** From the command that produced the block, when known. */
  source?: 'status' | 'table';
  /** The single device named on the command line (lines then carry no prefix). */
  deviceArg?: string;
}

export function parseDmTargetLine(line: string, ctx: TargetContext = {}): DmTargetLine | undefined {
  const text = line.trimEnd();
  let body = 0;
  let device: DmTargetLine['device'];
  let m = HEAD.exec(text);
  if (!m) {
    const sep = text.indexOf(': ');
    if (sep <= 0 || sep > 1024) return undefined;
    m = HEAD.exec(text.slice(sep + 2));
    if (!m) return undefined;
    body = sep + 2;
    device = { name: text.slice(0, sep), span: { start: 0, end: sep }, fromCommand: false };
  } else if (ctx.deviceArg) {
    device = { name: ctx.deviceArg, span: { start: 0, end: 0 }, fromCommand: true };
  }
  const ws = words(text, body);
  const start = num(ws[0])!;
  const length = num(ws[1])!;
  const targetWord = ws[2]!;
  const params = ws.slice(3);
  const tokens: Token[] = [];
  if (device && !device.fromCommand) tokens.push({ ...device.span, role: 'device.name', text: device.name });
  tokens.push({ ...start.span, role: 'target.start', text: ws[0]!.text });
  tokens.push({ ...length.span, role: 'target.length', text: ws[1]!.text });
  tokens.push({ start: targetWord.start, end: targetWord.end, role: 'target.type', text: targetWord.text });
  const target = targetWord.text;
  let parsed: TargetParams;
  let source: 'status' | 'table';
  switch (target) {
    case 'thin-pool': {
      const asTable = looksLikePoolTable(params);
      source = ctx.source ?? (asTable ? 'table' : 'status');
      parsed = source === 'table' ? parsePoolTable(params, tokens) : parsePoolStatus(params, tokens);
      break;
    }
    case 'thin': {
      const asTable = params.length >= 2 && !/^\d+$/.test(params[0]!.text);
      source = ctx.source ?? (asTable ? 'table' : 'status');
      // A table line still being typed ("0 2097152 thin") has no pool argument yet.
      parsed = source === 'table' && params.length > 0 ? parseThinTable(params, tokens) : source === 'table' ? { form: 'generic' } : parseThinStatus(params, tokens);
      break;
    }
    case 'linear': {
      source = ctx.source ?? (params.length === 0 ? 'status' : 'table');
      parsed = params.length === 0 ? { form: 'empty-status' } : parseLinearTable(params, tokens);
      break;
    }
    default:
      source = ctx.source ?? 'status';
      for (const p of params) tokens.push({ start: p.start, end: p.end, role: 'generic.param', text: p.text });
      parsed = { form: 'generic' };
  }
  return {
    kind: 'dm-target',
    source,
    device,
    start,
    length,
    target: { name: target, span: { start: targetWord.start, end: targetWord.end } },
    params: parsed,
    tokens,
  };
}

function looksLikePoolTable(params: Word[]): boolean {
  // Table: "<meta dev> <data dev> <block size> <low water> ..."; devices are maj:min or paths.
  const first = params[0]?.text ?? '';
  return /^\d+:\d+$/.test(first) || first.startsWith('/');
}

const MODES = new Set(['rw', 'ro', 'out_of_data_space']);
const DISCARDS = new Set(['discard_passdown', 'no_discard_passdown', 'ignore_discard']);
const NO_SPACE = new Set(['queue_if_no_space', 'error_if_no_space']);

/**
 * Thin-pool status in every form from kernel 3.2 (4 fields) to 4.19+ (9 fields),
 * following libdm's strategy: five numbers by position, then order-independent
 * keywords, then an optional trailing integer (devicemapper.md §3.2, §3.9).
 */
export function parsePoolStatus(params: Word[], tokens: Token[]): ThinPoolStatus {
  const status: ThinPoolStatus = { form: 'thin-pool-status', unknown: [] };
  const first = params[0];
  if (first && (first.text === 'Fail' || first.text === 'Error')) {
    status.special = first.text;
    tokens.push({ start: first.start, end: first.end, role: 'pool.special', text: first.text });
    return status;
  }
  if (params.some((p) => p.text === 'Error')) {
    const p = params.find((w) => w.text === 'Error')!;
    status.special = 'Error';
    tokens.push({ start: p.start, end: p.end, role: 'pool.special', text: p.text });
    return status;
  }
  status.transaction = num(params[0]);
  if (status.transaction) tokens.push({ ...status.transaction.span, role: 'pool.transaction', text: params[0]!.text });
  const meta = ratio(params[1]);
  const data = ratio(params[2]);
  if (!status.transaction || !meta || !data) {
    status.problem = params.length < 3 ? `a thin-pool status needs at least "<transaction> <used>/<total> <used>/<total>"; this line has ${params.length} field${params.length === 1 ? '' : 's'}` : 'the first fields must be "<transaction id> <used>/<total> metadata <used>/<total> data" (whole numbers)';
    for (const p of params.slice(status.transaction ? 1 : 0)) status.unknown.push({ start: p.start, end: p.end });
    return status;
  }
  [status.metaUsed, status.metaTotal, status.metaSpan] = meta;
  [status.dataUsed, status.dataTotal, status.dataSpan] = data;
  tokens.push({ ...meta[2], role: 'pool.metadata', text: params[1]!.text });
  tokens.push({ ...data[2], role: 'pool.data', text: params[2]!.text });
  const root = params[3];
  if (root) {
    if (root.text === '-' || /^\d+$/.test(root.text)) {
      status.heldRoot = { held: root.text !== '-', span: { start: root.start, end: root.end }, value: root.text === '-' ? undefined : Number(root.text) };
      tokens.push({ start: root.start, end: root.end, role: 'pool.heldRoot', text: root.text });
    } else {
      status.unknown.push({ start: root.start, end: root.end });
    }
  }
  const rest = params.slice(4);
  rest.forEach((w, i) => {
    const span = { start: w.start, end: w.end };
    if (MODES.has(w.text) && !status.mode) {
      status.mode = { value: w.text as PoolMode, span };
      tokens.push({ ...span, role: 'pool.mode', text: w.text });
    } else if (DISCARDS.has(w.text) && !status.discard) {
      status.discard = { value: w.text as DiscardMode, span };
      tokens.push({ ...span, role: 'pool.discard', text: w.text });
    } else if (NO_SPACE.has(w.text) && !status.noSpace) {
      status.noSpace = { value: w.text as NoSpacePolicy, span };
      tokens.push({ ...span, role: 'pool.noSpace', text: w.text });
    } else if ((w.text === 'needs_check' || w.text === '-') && !status.needsCheck) {
      status.needsCheck = { value: w.text === 'needs_check', span };
      tokens.push({ ...span, role: 'pool.needsCheck', text: w.text });
    } else if (/^\d+$/.test(w.text) && i === rest.length - 1 && !status.metaLowWater) {
      status.metaLowWater = num(w);
      tokens.push({ ...span, role: 'pool.metaLowWater', text: w.text });
    } else {
      status.unknown.push(span);
      tokens.push({ ...span, role: 'pool.unknown', text: w.text });
    }
  });
  if (status.dataUsed && status.dataTotal && status.dataUsed.value > status.dataTotal.value) {
    status.problem = `used data blocks (${params[2]!.text}) exceed the total`;
  } else if (status.metaUsed && status.metaTotal && status.metaUsed.value > status.metaTotal.value) {
    status.problem = `used metadata blocks (${params[1]!.text}) exceed the total`;
  } else if (status.dataTotal?.value === 0) {
    status.problem = 'the pool reports 0 data blocks in total';
  } else if (status.metaTotal?.value === 0) {
    status.problem = 'the pool reports 0 metadata blocks in total';
  }
  return status;
}

/** `633/524288` → [used, total, span of the whole pair]. */
function ratio(w: Word | undefined): [ThinPoolStatus['dataUsed'], ThinPoolStatus['dataTotal'], { start: number; end: number }] | undefined {
  if (!w) return undefined;
  const slash = w.text.indexOf('/');
  if (slash <= 0) return undefined;
  const used = num({ start: w.start, end: w.start + slash, text: w.text.slice(0, slash) });
  const total = num({ start: w.start + slash + 1, end: w.end, text: w.text.slice(slash + 1) });
  if (!used || !total) return undefined;
  return [used, total, { start: w.start, end: w.end }];
}

function devArg(w: Word) {
  return { text: w.text, devno: devno(w), span: { start: w.start, end: w.end } };
}

export function parsePoolTable(params: Word[], tokens: Token[]): ThinPoolTable {
  const [meta, data, block, low, count, ...features] = params;
  const table: ThinPoolTable = {
    form: 'thin-pool-table',
    metaDev: meta ? devArg(meta) : { text: '', span: { start: 0, end: 0 } },
    dataDev: data ? devArg(data) : { text: '', span: { start: 0, end: 0 } },
    blockSectors: num(block),
    lowWater: num(low),
    featureCount: num(count),
    features: features.map((f) => ({ value: f.text, span: { start: f.start, end: f.end } })),
  };
  if (meta) tokens.push({ start: meta.start, end: meta.end, role: 'table.metaDev', text: meta.text });
  if (data) tokens.push({ start: data.start, end: data.end, role: 'table.dataDev', text: data.text });
  if (table.blockSectors) tokens.push({ ...table.blockSectors.span, role: 'table.blockSize', text: block!.text });
  if (table.lowWater) tokens.push({ ...table.lowWater.span, role: 'table.lowWater', text: low!.text });
  if (table.featureCount) tokens.push({ ...table.featureCount.span, role: 'table.featureCount', text: count!.text });
  for (const f of features) tokens.push({ start: f.start, end: f.end, role: 'table.feature', text: f.text });
  if (!meta || !data || !table.blockSectors || !table.lowWater) {
    table.problem = 'a thin-pool table needs "<metadata dev> <data dev> <block size> <low water mark> [<#features> <feature>…]"';
  } else if (table.blockSectors.value < 128 || table.blockSectors.value > 2097152 || table.blockSectors.value % 128 !== 0) {
    table.problem = `block size ${block!.text} sectors is outside 128…2097152 or not a multiple of 128`;
  } else if (table.featureCount && table.featureCount.value !== features.length) {
    table.problem = `the feature count says ${count!.text} but ${features.length} feature word${features.length === 1 ? '' : 's'} follow`;
  }
  return table;
}

export function parseThinStatus(params: Word[], tokens: Token[]): ThinStatus {
  const first = params[0];
  if (!first || first.text === '-' || first.text === 'Fail' || first.text === 'Error') {
    const special = (first?.text ?? '-') as ThinStatus['special'];
    if (first) tokens.push({ start: first.start, end: first.end, role: 'thin.special', text: first.text });
    return { form: 'thin-status', special };
  }
  const status: ThinStatus = { form: 'thin-status', mapped: num(first) };
  if (status.mapped) tokens.push({ ...status.mapped.span, role: 'thin.mapped', text: first.text });
  const second = params[1];
  if (second) {
    if (second.text === '-') status.highest = { none: true, span: { start: second.start, end: second.end } };
    else status.highest = num(second);
    tokens.push({ start: second.start, end: second.end, role: 'thin.highest', text: second.text });
  }
  return status;
}

export function parseThinTable(params: Word[], tokens: Token[]): ThinTable {
  const [pool, id, origin] = params;
  const table: ThinTable = { form: 'thin-table', poolDev: devArg(pool!), devId: num(id), origin: origin ? devArg(origin) : undefined };
  tokens.push({ start: pool!.start, end: pool!.end, role: 'thin.poolDev', text: pool!.text });
  if (id) tokens.push({ start: id.start, end: id.end, role: 'thin.devId', text: id.text });
  if (origin) tokens.push({ start: origin.start, end: origin.end, role: 'thin.origin', text: origin.text });
  return table;
}

export function parseLinearTable(params: Word[], tokens: Token[]): LinearTable {
  const [dev, offset] = params;
  tokens.push({ start: dev!.start, end: dev!.end, role: 'linear.dev', text: dev!.text });
  if (offset) tokens.push({ start: offset.start, end: offset.end, role: 'linear.offset', text: offset.text });
  return { form: 'linear-table', dev: devArg(dev!), offset: num(offset) };
}
