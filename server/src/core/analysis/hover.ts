import type { DmTargetLine, ParsedLine, ThinPoolStatus, Token } from '../transcript/lineTypes.js';
import type { TranscriptDocument } from '../transcript/document.js';
import { devnosNamed, docLine, statusesNamed, tableFor, type DocumentIndex } from '../transcript/documentIndex.js';
import { FIELD_DOCS } from '../knowledge/fieldDocs.js';
import { FLAG_DOCS } from '../knowledge/flags.js';
import { DOCKER_INFO_KEYS } from '../knowledge/dockerInfoKeys.js';
import { describeDevNumber, formatBinary, formatCount, formatPercent, METADATA_BLOCK_BYTES, SECTOR_BYTES } from '../text/units.js';
import { lineRange, type Range } from '../text/position.js';
import { describeBlocks, poolGeometry, usage } from './poolMath.js';
import { linkFileToPool } from './correlate.js';
import { logHoverAt } from '../logs/hover.js';

export interface HoverResult {
  markdown: string;
  range: Range;
}

/** The token under the cursor; the end boundary counts, like VS Code's word-at-position. */
export function tokenAt(p: ParsedLine, character: number): Token | undefined {
  let found: Token | undefined;
  for (const t of p.tokens) {
    if (character >= t.start && character < t.end) return t;
    if (character === t.end && t.end > t.start) found ??= t;
  }
  return found;
}

export function hoverAt(doc: TranscriptDocument, line: number, character: number): HoverResult | undefined {
  const p = doc.lineAt(line);
  if (!p) return undefined;
  const token = tokenAt(p, character);
  // A log line the catalogue knows: its explanation beats the generic "kernel message" (a dev number keeps its own).
  if (p.logMatch && (!token || token.role.startsWith('kernel.'))) {
    const h = logHoverAt(doc.lineText(line), line, character, { match: p.logMatch });
    if (h) return h;
  }
  if (!token) return undefined;
  const doc0 = FIELD_DOCS[token.role];
  const parts: string[] = [];
  const head = `**${doc0.title}**${'unit' in doc0 && doc0.unit ? ` · ${doc0.unit}` : ''}`;
  parts.push(head);
  const computed = compute(p, token, doc.index, line);
  if (computed) parts.push(computed);
  if (!computed || !computed.includes(doc0.meaning)) parts.push(doc0.meaning);
  parts.push(`_Source: ${doc0.source}_`);
  return { markdown: parts.join('\n\n'), range: lineRange(line, token) };
}

function bytesOfSectors(n: number): string {
  return `${formatCount(n)} sectors × 512 B = ${formatBinary(n * SECTOR_BYTES)}`;
}

function flagText(word: string): string | undefined {
  const f = FLAG_DOCS[word];
  return f ? `\`${word}\`: ${f.meaning}\n\n${f.consequence}` : undefined;
}

function devText(text: string, index: DocumentIndex): string {
  const m = /^(\d+)[:,] ?(\d+)$/.exec(text.replace(/[()]/g, ''));
  if (!m) return `\`${text}\``;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const parts = [`\`${major}:${minor}\` is ${describeDevNumber(major, minor)}`];
  const name = index.namesByDevno.get(`${major}:${minor}`);
  if (name) parts.push(`named \`${name}\` in this transcript`);
  if (major === 7) {
    const file = index.loopFiles.get(`loop${minor}`);
    if (file) parts.push(`backed by \`${file}\``);
  }
  return parts.join(', ') + '.';
}

function compute(p: ParsedLine, token: Token, index: DocumentIndex, line: number): string | undefined {
  switch (token.role) {
    case 'target.start':
    case 'target.length':
    case 'thin.mapped':
    case 'linear.offset':
      return /^\d+$/.test(token.text) ? bytesOfSectors(Number(token.text)) : undefined;
    case 'thin.highest':
      return token.text === '-' ? 'Nothing is mapped yet.' : `Sector ${formatCount(Number(token.text))}: the mapped data reaches ${formatBinary((Number(token.text) + 1) * SECTOR_BYTES)} into the device.`;
    case 'pool.data':
    case 'pool.metadata':
    case 'pool.metaLowWater':
      return p.kind === 'dm-target' && p.params.form === 'thin-pool-status' ? poolNumbers(p, p.params, token, index) : undefined;
    case 'pool.mode':
    case 'pool.discard':
    case 'pool.noSpace':
    case 'pool.needsCheck':
    case 'pool.special':
    case 'table.feature':
    case 'thin.special':
      if (token.text === '-') return token.role === 'pool.needsCheck' ? '`-`: the metadata does not need a check.' : 'No thin device is attached.';
      return flagText(token.text);
    case 'pool.heldRoot':
      return token.text === '-' ? '`-`: no metadata snapshot is held.' : `A metadata snapshot is held; its root is metadata block ${token.text}. Release it with \`dmsetup message <pool> 0 release_metadata_snap\` when done.`;
    case 'pool.transaction':
      return `Transaction ${token.text}.`;
    case 'table.blockSize':
      return `${token.text} sectors = ${formatBinary(Number(token.text) * SECTOR_BYTES)} per data block.`;
    case 'table.lowWater': {
      if (p.kind !== 'dm-target' || p.params.form !== 'thin-pool-table') return undefined;
      const bs = p.params.blockSectors?.value;
      return bs ? `${formatCount(Number(token.text))} blocks × ${formatBinary(bs * SECTOR_BYTES)} = ${formatBinary(Number(token.text) * bs * SECTOR_BYTES)} of free space left when the event fires.` : undefined;
    }
    case 'table.metaDev':
    case 'table.dataDev':
    case 'thin.poolDev':
    case 'thin.origin':
    case 'linear.dev':
    case 'devno':
      return devText(token.text, index);
    case 'thin.devId':
      return `Thin device ${token.text} of the pool.`;
    case 'device.name':
      return deviceText(token.text, index, line);
    case 'ls.name':
      return deviceText(token.text, index, line);
    case 'dockerInfo.key': {
      const d = DOCKER_INFO_KEYS[token.text];
      return d ? `${d.meaning}${d.since ? ` (since Engine ${d.since})` : ''}` : undefined;
    }
    case 'dockerInfo.value':
      if (p.kind === 'docker-info' && p.bytes !== undefined) return `${p.value} (decimal) = ${formatCount(Math.round(p.bytes))} bytes ≈ ${formatBinary(p.bytes)}.`;
      return p.kind === 'docker-info' ? DOCKER_INFO_KEYS[p.key]?.meaning : undefined;
    case 'file.allocated':
    case 'file.apparent':
    case 'file.path':
      return p.kind === 'file-size' ? fileText(p, index, line) : undefined;
    case 'column.value':
    case 'column.header':
      return columnText(p, token);
    case 'version.value':
      return p.kind === 'dm-version' && p.which === 'driver' ? `dm ioctl interface ${p.version}; deferred removal needs ≥ 4.27.0.` : undefined;
    default:
      return undefined;
  }
}

function poolNumbers(p: DmTargetLine, s: ThinPoolStatus, token: Token, index: DocumentIndex): string | undefined {
  if (token.role === 'pool.metaLowWater') {
    const n = s.metaLowWater?.value ?? 0;
    const free = s.metaTotal && s.metaUsed ? s.metaTotal.value - s.metaUsed.value : undefined;
    return `${formatCount(n)} blocks × 4 KiB = ${formatBinary(n * METADATA_BLOCK_BYTES)}${free !== undefined ? `; ${formatCount(free)} metadata blocks are free now` : ''}.`;
  }
  if (token.role === 'pool.metadata') {
    const u = usage(s.metaUsed?.value, s.metaTotal?.value);
    return u ? `Metadata blocks used/total: ${describeBlocks(u, METADATA_BLOCK_BYTES)}.` : undefined;
  }
  const u = usage(s.dataUsed?.value, s.dataTotal?.value);
  if (!u) return undefined;
  const geo = poolGeometry(p, s, index);
  const unit = geo.blockSource === 'table' ? 'block size from the pool\'s table in this transcript' : geo.blockSource === 'derived' ? 'block size derived as length ÷ total blocks, as Docker does' : 'block size unknown';
  const free = u.total - u.used;
  return `Data blocks used/total: ${describeBlocks(u, geo.blockBytes)}; ${unit}.${geo.blockBytes ? ` Free: ${formatBinary(free * geo.blockBytes)}.` : ''}`;
}

function deviceText(name: string, index: DocumentIndex, line: number): string | undefined {
  const parts: string[] = [`\`${name}\``];
  const table = tableFor(index, name);
  if (table) {
    const loc = index.poolTables.get(name);
    parts.push(`thin-pool; its table${loc ? ` is on line ${docLine(loc) + 1}` : ''}: data device ${table.dataDev}${table.blockSectors ? `, ${formatBinary(table.blockSectors * SECTOR_BYTES)} blocks` : ''}.`);
  }
  const statuses = statusesNamed(index, name).map((s) => docLine(s) + 1).filter((l) => l !== line + 1);
  if (statuses.length > 0) parts.push(`Other status lines of this device: ${statuses.slice(0, 10).join(', ')}${statuses.length > 10 ? ', …' : ''}.`);
  const m = /^docker-(\d+):(\d+)-(\d+)-(.+)$/.exec(name);
  if (m) parts.push(`Docker naming: the driver home is on device ${m[1]}:${m[2]}, inode ${m[3]}; \`${m[4]}\` is ${m[4] === 'pool' ? 'the thin pool' : m[4] === 'base' ? 'the base device every image is snapshotted from' : 'a layer or container id'}.`);
  for (const devno of devnosNamed(index, name)) parts.push(`Device number ${devno}.`);
  return parts.join(' ');
}

function fileText(p: Extract<ParsedLine, { kind: 'file-size' }>, index: DocumentIndex, line: number): string {
  const parts: string[] = [];
  if (p.allocated !== undefined && p.apparent !== undefined) {
    const ratio = p.apparent > 0 ? p.allocated / p.apparent : 0;
    parts.push(`Allocated ${formatBinary(p.allocated)} of apparent ${formatBinary(p.apparent)} (${formatPercent(ratio)} allocated${ratio < 0.95 ? ': a sparse file' : ''}).`);
  } else if (p.allocated !== undefined) {
    parts.push(`Allocated ${formatBinary(p.allocated)} on disk.`);
  } else if (p.apparent !== undefined) {
    parts.push(`Apparent size ${formatBinary(p.apparent)} (use \`ls -ls\` or \`du\` to see the allocation).`);
  }
  if (p.path) {
    const link = linkFileToPool(index, p.path, line);
    if (link?.usedBytes !== undefined) parts.push(`Backs pool \`${link.pool}\`${link.assumed ? ' (assumed from Docker\'s naming)' : ''}, which uses ${formatBinary(link.usedBytes)} (status on line ${link.statusLine + 1}).`);
  }
  return parts.join(' ');
}

function columnText(p: ParsedLine, token: Token): string | undefined {
  if (p.kind !== 'columns-row') return undefined;
  let column: string | undefined;
  for (const [name, cell] of p.cells) if (cell.span.start === token.start) column = name;
  if (!column) return undefined;
  const notes: Record<string, string> = {
    'Data%': 'lvs Data%: the same ratio as thin-pool status field 3 (data blocks used/total).',
    'Meta%': 'lvs Meta%: the same ratio as status field 2 (metadata blocks used/total).',
    'DISC-MAX': token.text === '0B' || token.text === '0' ? 'DISC-MAX 0: this device does not accept discards; nothing trimmed above it reaches the disk.' : `DISC-MAX ${token.text}: the device accepts discards up to this size per request.`,
    'BACK-FILE': 'The file behind this loop device.',
    Stat: 'dmsetup info Stat: L/- live table, I/- inactive table, s/- suspended, r/w read-only/read-write.',
    Open: 'How many times the device is open (mounted filesystems and holders count).',
  };
  return `Column \`${column}\`: \`${token.text}\`. ${notes[column] ?? ''}`.trim();
}
