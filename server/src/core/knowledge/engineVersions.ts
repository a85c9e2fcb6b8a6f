/**
 * Docker Engine versions and the milestones of the devicemapper driver and of
 * daemon.json. Engine versions are moby/moby tags: `1.13.1`, `17.06.0-ce`,
 * `20.10.24`, `24.0.7`, `25.0` (devicemapper.md §0). `undefined` everywhere
 * means "version unknown": rules are then evaluated for every era and the
 * findings say which engines they apply to.
 * Source: ../shared/reference/devicemapper.md §1–2 (S1, S8–S14, S17).
 */

export interface EngineVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/**
 * Parses `17.06.0-ce`, `1.13.1`, `v24.0.7`, `25.0`, `24`, and Debian/RPM package
 * versions such as `5:24.0.7-1~debian.12~bookworm` or `docker-v29.0.0`.
 * Returns undefined for anything else (treated as an unknown engine).
 */
export function parseEngineVersion(text: string | undefined): EngineVersion | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^\s*(?:\d+:)?(?:docker-)?v?(\d{1,4})(?:\.(\d{1,4}))?(?:\.(\d{1,6}))?(?:[-+~_ ][0-9A-Za-z.~+_-]*)?\s*$/.exec(text);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0) };
}

/** A version constant; the text must be valid (checked by the unit tests). */
export function ver(text: string): EngineVersion {
  return parseEngineVersion(text) ?? { major: 0, minor: 0, patch: 0 };
}

export function compareVersions(a: EngineVersion, b: EngineVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function atLeast(v: EngineVersion, min: EngineVersion): boolean {
  return compareVersions(v, min) >= 0;
}

/** `17.06`, `1.7.1`, `25.0`: release lines print without a zero patch. */
export function formatVersion(v: EngineVersion): string {
  const minor = v.major >= 17 && v.major < 23 ? String(v.minor).padStart(2, '0') : String(v.minor);
  const mm = `${v.major}.${minor}`;
  return v.patch ? `${mm}.${v.patch}` : mm;
}

/** A half-open engine range [from, until); a missing bound is open. */
export interface EngineRange {
  readonly from?: EngineVersion;
  readonly until?: EngineVersion;
}

export function inRange(v: EngineVersion, r: EngineRange): boolean {
  return (!r.from || compareVersions(v, r.from) >= 0) && (!r.until || compareVersions(v, r.until) < 0);
}

/**
 * Release lines, to name the last line before a boundary (`until 18.09` → `18.06`).
 * 22.06 only had betas; the reference names eras by it (devicemapper.md §1.2).
 */
export const RELEASE_LINES: readonly EngineVersion[] = [
  '0.12', '1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.7.1', '1.8', '1.9', '1.10', '1.11', '1.12', '1.13',
  '17.03', '17.04', '17.05', '17.06', '17.07', '17.09', '17.10', '17.11', '17.12', '18.01', '18.02', '18.03', '18.04', '18.05', '18.06', '18.09',
  '19.03', '20.10', '22.06', '23.0', '24.0', '25.0', '26.0', '26.1', '27.0', '28.0', '29.0',
].map(ver);

function lineBefore(v: EngineVersion): EngineVersion | undefined {
  let prev: EngineVersion | undefined;
  for (const l of RELEASE_LINES) {
    if (compareVersions(l, v) >= 0) break;
    prev = l;
  }
  return prev;
}

/** `Engine 1.13–18.06`, `Engine ≥ 18.09`, `Engine ≤ 1.12`, `every engine`. */
export function describeRange(r: EngineRange): string {
  const last = r.until ? lineBefore(r.until) : undefined;
  if (r.from && r.until) {
    if (last && compareVersions(last, r.from) <= 0) return `Engine ${formatVersion(r.from)}`;
    return `Engine ${formatVersion(r.from)}–${last ? formatVersion(last) : formatVersion(r.until)}`;
  }
  if (r.from) return `Engine ≥ ${formatVersion(r.from)}`;
  if (r.until) return last ? `Engine ≤ ${formatVersion(last)}` : `Engine < ${formatVersion(r.until)}`;
  return 'every engine';
}

/** Milestones (devicemapper.md section in each comment). */
export const MILESTONES = {
  /** §2.3: first release with `--storage-opt` and the first dm.* options. */
  storageOpts: ver('0.12.0'),
  /** §1.1: ParseKeyValueOpt's error text is lower-case from v24 (S9). */
  lowerCaseKeyValueError: ver('24.0'),
  /** §1.1 step 4, §1.3 dm.fs: `devmapper:` prefix from 1.10, no trailing newline from 17.12. */
  devmapperPrefix: ver('1.10'),
  noTrailingNewline: ver('17.12'),
  /** §1.1 step 5: `error intializing graphdriver` (sic) up to 1.7. */
  initializingSpelling: ver('1.8'),
  /** §1.1 step 5: `failed to start daemon:` from 19.03, before that `Error starting daemon:`. */
  failedToStart: ver('19.03'),
  /** §1.1 step 5: v24 appends the configured driver name. */
  driverNameSuffix: ver('24.0'),
  /** §1.2: the four RAMInBytes eras. */
  sizeDecimals: ver('1.13'),
  sizeBinaryI: ver('18.09'),
  sizeHandWritten: ver('23.0'),
  /** §1.3 dm.basesize: 100 GiB default in 1.8.x–1.9.x. */
  baseSize100G: ver('1.8'),
  baseSizeBack: ver('1.10'),
  /** §1.3 dm.fs: xfs default (when available) from 1.10. */
  xfsDefault: ver('1.10'),
  /** §1.3 dm.override_udev_sync_check: 1.7.1–1.10 only warned, so the option had no effect. */
  udevWarnOnlyFrom: ver('1.7.1'),
  udevWarnOnlyUntil: ver('1.11'),
  /** §1.3 deferred removal/deletion: on by default from 17.07 when supported. */
  deferredDefault: ver('17.07'),
  /** §2.1: data-root added and graph deprecated in 17.05; graph an error in 23.0, unknown from 24.0. */
  dataRoot: ver('17.05'),
  graphError: ver('23.0'),
  graphRemoved: ver('24.0'),
  /** §2.3: devicemapper deprecated (docs) in 18.09, logged from 19.03, not auto-selected from 23.0, removed in 25.0. */
  dmDeprecated: ver('18.09'),
  dmDeprecationLogged: ver('19.03'),
  dmNotAutoSelected: ver('23.0'),
  dmRemoved: ver('25.0'),
  /** §2.4: Engine 29 defaults to the containerd image store. */
  containerdImageStore: ver('29.0'),
  /** §2.2: `dockerd --validate` (checks keys, not dm.* values). */
  validateFlag: ver('23.0'),
} as const;

/**
 * Boundaries where some daemon.json / dm.* rule changes. With an unknown engine
 * every rule is evaluated once per segment [b_i, b_{i+1}) and identical
 * outcomes are merged, so messages can name the engines they apply to.
 */
export const RULE_BOUNDARIES: readonly EngineVersion[] = [
  '0.12', '1.2', '1.4', '1.7', '1.7.1', '1.8', '1.9', '1.10', '1.11', '1.13', '17.05', '17.06', '17.07', '17.12', '18.09', '19.03', '23.0', '24.0', '25.0', '29.0',
].map(ver);

export interface EraSegment {
  readonly range: EngineRange;
  /** The version the rule is evaluated at (the segment's first release). */
  readonly at: EngineVersion;
}

/** The segments of RULE_BOUNDARIES intersected with `within` (default: every engine from 0.12). */
export function eraSegments(within: EngineRange = {}): EraSegment[] {
  const out: EraSegment[] = [];
  const b = RULE_BOUNDARIES;
  for (let i = 0; i < b.length; i++) {
    const from = b[i]!;
    const until = b[i + 1];
    const lo = within.from && compareVersions(within.from, from) > 0 ? within.from : from;
    const hi = within.until && (!until || compareVersions(within.until, until) < 0) ? within.until : until;
    if (hi && compareVersions(lo, hi) >= 0) continue;
    // The first segment is open below (it stands for every older engine too).
    const open = i === 0 && (!within.from || compareVersions(within.from, from) <= 0);
    out.push({ range: open ? { until: hi } : { from: lo, until: hi }, at: lo });
  }
  return out;
}

export interface EraGroup<T> {
  readonly ranges: EngineRange[];
  readonly value: T;
  /** The newest segment's version (to word a message in that era's terms). */
  readonly lastAt: EngineVersion;
}

/**
 * Evaluates `rule` at every segment and groups segments with the same `key(value)`
 * (adjacent segments are merged into one range). Order: first appearance.
 */
export function groupByEra<T>(segments: readonly EraSegment[], rule: (v: EngineVersion) => T, key: (value: T) => string): EraGroup<T>[] {
  const groups = new Map<string, { ranges: EngineRange[]; value: T; lastAt: EngineVersion }>();
  for (const s of segments) {
    const value = rule(s.at);
    const k = key(value);
    let g = groups.get(k);
    if (!g) {
      g = { ranges: [], value, lastAt: s.at };
      groups.set(k, g);
    }
    g.lastAt = s.at;
    const last = g.ranges[g.ranges.length - 1];
    if (last && last.until && s.range.from && compareVersions(last.until, s.range.from) === 0) g.ranges[g.ranges.length - 1] = last.from ? { from: last.from, until: s.range.until } : { until: s.range.until };
    else g.ranges.push(s.range);
  }
  return [...groups.values()];
}

/** `Engine ≤ 1.12, 1.13–18.06` → joins several ranges with commas (first keeps the word Engine). */
export function describeRanges(ranges: readonly EngineRange[]): string {
  return ranges.map((r, i) => (i === 0 ? describeRange(r) : describeRange(r).replace(/^Engine /, ''))).join(', ');
}

/** The engines that still have the devicemapper driver: up to 24.0 (devicemapper.md §2.3). */
export const DEVICEMAPPER_ENGINES: EngineRange = { until: MILESTONES.dmRemoved };
