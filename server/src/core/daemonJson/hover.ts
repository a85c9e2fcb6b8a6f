/**
 * Hover for daemon.json: the storage keys at the top level, the storage-driver
 * value, and every `storage-opts` entry — its key (what the option does) and
 * its value (what dockerd of the chosen engine makes of it).
 */
import { findNodeAtOffset, parseTree, type Node } from 'jsonc-parser';
import type { Position, Range } from '../text/position.js';
import { formatBinary, formatCount } from '../text/units.js';
import { ramInBytes } from '../text/ramInBytes.js';
import { compareVersions, describeRange, formatVersion, ver, type EngineVersion } from '../knowledge/engineVersions.js';
import { DAEMON_KEYS, FLAG_NAME_ALIASES, STORAGE_DRIVERS } from '../knowledge/daemonKeys.js';
import { DM_OPTIONS, isDmKey, isOverlay2Key, OVERLAY2_OPTIONS, type StorageOptionDoc } from '../knowledge/storageOptions.js';
import { shown } from './dockerdText.js';
import { checkOptionValue } from './optionValues.js';
import { optionMarkdown } from './optionMarkdown.js';
import { TextMap } from './textMap.js';
import { analyzeDaemonJson } from './validate.js';
import type { StorageOptEntry } from './types.js';

export interface DaemonHover {
  markdown: string;
  range: Range;
}

/** Engine used to word a value's error text when the engine is unknown (the last with the driver). */
const NEWEST_WITH_DEVICEMAPPER = ver('24.0');

function contains(r: Range, p: Position): boolean {
  const after = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const before = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return after && before;
}

export function optionDoc(lowerKey: string): StorageOptionDoc | undefined {
  if (isDmKey(lowerKey)) return DM_OPTIONS[lowerKey];
  if (isOverlay2Key(lowerKey)) return OVERLAY2_OPTIONS[lowerKey];
  return undefined;
}

/** What dockerd makes of a size in each era: `20G` = 21,474,836,480 bytes (20 GiB). */
function sizeMeaning(value: string, engine: EngineVersion | undefined): string {
  const r = ramInBytes(value, engine);
  const say = (bytes: number): string => `${formatCount(bytes)} bytes (${formatBinary(bytes)})`;
  if (r.ok && r.bytes !== undefined) return `\`${value}\` = ${say(r.bytes)}${engine ? '' : ' in every engine'}.`;
  if (engine) return `dockerd ${formatVersion(engine)} rejects it: \`${r.eras[0]?.result.ok === false ? r.eras[0].result.error : 'invalid size'}\``;
  // Neighbouring eras that read the value alike share one line.
  const lines: { from?: EngineVersion; until?: EngineVersion; text: string }[] = [];
  for (const e of r.eras) {
    const text = e.result.ok ? say(e.result.bytes) : `rejected — \`${e.result.error}\``;
    const last = lines[lines.length - 1];
    if (last && last.text === text) last.until = e.range.until;
    else lines.push({ ...(e.range.from ? { from: e.range.from } : {}), ...(e.range.until ? { until: e.range.until } : {}), text });
  }
  return lines.map((l) => `- ${describeRange({ ...(l.from ? { from: l.from } : {}), ...(l.until ? { until: l.until } : {}) })}: ${l.text}`).join('\n');
}

function valueMarkdown(doc: StorageOptionDoc, entry: StorageOptEntry, engine: EngineVersion | undefined): string {
  const value = entry.value ?? '';
  const head = `**${doc.key}=${value}**`;
  const problem = checkOptionValue(doc, value, engine ?? NEWEST_WITH_DEVICEMAPPER);
  const parts = [head, ''];
  if (doc.type === 'size') parts.push(sizeMeaning(value, engine));
  // dockerd's text without the trailing newline old engines print (it would break the code span).
  else if (problem) parts.push(`dockerd${engine ? ` ${formatVersion(engine)}` : ''} rejects this value: \`${problem.dockerd !== undefined ? shown(problem.dockerd) : problem.message}\``);
  else if (doc.type === 'bool') parts.push(`Read as **${/^(1|t|true)$/i.test(value) ? 'true' : 'false'}**.`);
  else parts.push('dockerd accepts this value.');
  parts.push('', doc.meaning);
  return parts.join('\n');
}

function driverMarkdown(name: string, engine: EngineVersion | undefined): string | undefined {
  const d = STORAGE_DRIVERS.find((x) => x.name === name);
  if (!d) return undefined;
  const lines = [`**${d.name}** — storage driver`, '', d.description];
  if (d.range) {
    lines.push('', `Registered in ${describeRange(d.range)}.`);
    if (engine && d.range.until && compareVersions(engine, d.range.until) >= 0) lines.push(`Engine ${formatVersion(engine)} does not have it: dockerd will not start.`);
  }
  return lines.join('\n');
}

function topLevelKeyMarkdown(key: string): string | undefined {
  const alias = FLAG_NAME_ALIASES[key];
  if (alias) return `**${key}** — a command-line flag name. dockerd accepts it as a key but reads the configuration from \`${alias}\`, so this value is ignored.`;
  const doc = DAEMON_KEYS[key];
  if (!doc?.description) return undefined;
  const known = doc.range ? `\n\nKnown to ${describeRange(doc.range)}.` : '';
  return `**${key}** — daemon.json\n\n${doc.description}${known}`;
}

export function daemonJsonHover(text: string, position: Position, engineText?: string): DaemonHover | undefined {
  const analysis = analyzeDaemonJson(text, engineText ? { engine: engineText } : {});
  const engine = analysis.engine;
  for (const e of analysis.storageOpts) {
    if (!contains(e.range, position) && !(e.fromObject && contains(e.keyRange, position))) continue;
    const doc = optionDoc(e.lowerKey);
    if (!doc) return undefined;
    if (e.valueRange && e.value !== undefined && contains(e.valueRange, position) && !contains(e.keyRange, position)) {
      return { markdown: valueMarkdown(doc, e, engine), range: e.valueRange };
    }
    return { markdown: optionMarkdown(doc, engine), range: e.keyRange };
  }
  // Top-level keys and the storage-driver value.
  const map = new TextMap(text);
  const offset = map.offsetAt(position);
  let root: Node | undefined;
  let node: Node | undefined;
  try {
    root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
    // Both recurse per nesting level: very deep input overflows the stack.
    node = root && findNodeAtOffset(root, offset, true);
  } catch {
    return undefined;
  }
  const prop = node?.parent;
  if (!node || node.type !== 'string' || prop?.type !== 'property' || prop.parent !== root) return undefined;
  const [keyNode, valueNode] = prop.children ?? [];
  if (node === keyNode && typeof keyNode.value === 'string') {
    const md = topLevelKeyMarkdown(keyNode.value);
    return md ? { markdown: md, range: map.nodeRange(keyNode) } : undefined;
  }
  if (node === valueNode && keyNode?.value === 'storage-driver' && typeof valueNode.value === 'string') {
    const md = driverMarkdown(valueNode.value, engine);
    return md ? { markdown: md, range: map.nodeRange(valueNode) } : undefined;
  }
  return undefined;
}
