/**
 * Markdown for one storage option, shared by the hover and the completion
 * documentation so both say the same thing: what it does, its value syntax,
 * its default for the engine in use (or for each era), the modes it acts in,
 * the engines that know it, and where Docker documents it.
 */
import { type EngineRange, type EngineVersion, compareVersions, describeRange, formatVersion, inRange, MILESTONES, ver } from '../knowledge/engineVersions.js';
import { DM_MODE_NAMES, DOCKERD_DM_REFERENCE_URL, type OptionValueType, type StorageOptionDoc, type VersionedText } from '../knowledge/storageOptions.js';

/** How dockerd reads each kind of value (devicemapper.md §1.1 "Value parsers"). */
const VALUE_SYNTAX: Record<OptionValueType, string> = {
  size: 'a size read by `units.RAMInBytes`: a number with an optional unit `k`, `m`, `g`, `t`, `p` (binary multiples), e.g. `20G`',
  bool: 'a boolean read by `strconv.ParseBool`: `true`/`false`, `1`/`0`, `t`/`f`',
  uint: 'an unsigned integer',
  int: 'an integer',
  percent: 'a whole percentage, `%` optional',
  'min-free-space': 'a whole percentage 0–99 followed by `%`, e.g. `10%`',
  enum: 'one of the listed words, exactly (case-sensitive)',
  string: 'free text, passed on as one argument',
  path: 'a device path such as `/dev/xvdf`',
  'pool-name': 'the name (or /dev/mapper path) of an existing thin pool',
  'mount-options': 'a comma-separated list of mount options',
};

function rangeOf(t: VersionedText): EngineRange {
  return { ...(t.since ? { from: ver(t.since) } : {}), ...(t.until ? { until: ver(t.until) } : {}) };
}

/** The defaults that apply to `engine`, or every era's with its engines when the engine is unknown. */
export function defaultsFor(doc: StorageOptionDoc, engine: EngineVersion | undefined): string {
  if (engine) {
    const d = doc.defaults.find((t) => inRange(engine, rangeOf(t)));
    return d ? d.text : 'none';
  }
  if (doc.defaults.length === 1 && !doc.defaults[0]!.since && !doc.defaults[0]!.until) return doc.defaults[0]!.text;
  return doc.defaults.map((t) => `${t.text} (${describeRange(rangeOf(t))})`).join('; ');
}

/** `Engine 0.12–24.0` for dm.* (the driver went in 25.0), `Engine ≥ 17.06` for overlay2's. */
export function enginesKnowing(doc: StorageOptionDoc): string {
  const range: EngineRange = doc.driver === 'devicemapper' ? { from: ver(doc.since), until: MILESTONES.dmRemoved } : { from: ver(doc.since) };
  return describeRange(range);
}

/** True when `engine` is set and predates the option, or (dm.*) no longer has the driver. */
export function unknownToEngine(doc: StorageOptionDoc, engine: EngineVersion | undefined): boolean {
  if (!engine) return false;
  if (compareVersions(engine, ver(doc.since)) < 0) return true;
  return doc.driver === 'devicemapper' && compareVersions(engine, MILESTONES.dmRemoved) >= 0;
}

export function optionMarkdown(doc: StorageOptionDoc, engine: EngineVersion | undefined): string {
  const lines: string[] = [];
  lines.push(`**${doc.key}** — ${doc.driver} storage option`, '', doc.meaning, '');
  const values = doc.values ? ` (${doc.values.map((v) => `\`${v}\``).join(', ')})` : '';
  const range = doc.min !== undefined && doc.max !== undefined ? `, ${doc.min}–${doc.max}` : '';
  lines.push(`- **Value:** ${VALUE_SYNTAX[doc.type]}${values}${range}${doc.repeatable ? '; may be given more than once' : ''}`);
  lines.push(`- **Default${engine ? ` in Engine ${formatVersion(engine)}` : ''}:** ${defaultsFor(doc, engine)}`);
  if (doc.modes.length > 0 && doc.modes.length < 4) lines.push(`- **Acts in:** ${doc.modes.map((m) => DM_MODE_NAMES[m]).join(', ')}`);
  else if (doc.modes.length === 4) lines.push('- **Acts in:** every devicemapper mode');
  lines.push(`- **Known to:** ${enginesKnowing(doc)}${unknownToEngine(doc, engine) && engine ? ` — not to Engine ${formatVersion(engine)}` : ''}`);
  if (doc.notes) lines.push('', doc.notes);
  const links = [`[Docker documentation](${doc.docs})`];
  if (doc.driver === 'devicemapper') links.push(`[dockerd reference (v23.0)](${DOCKERD_DM_REFERENCE_URL})`);
  lines.push('', links.join(' · '));
  return lines.join('\n');
}
