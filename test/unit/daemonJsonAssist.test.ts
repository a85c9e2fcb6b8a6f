/**
 * daemon.json hover and completion (server/src/core/daemonJson/hover.ts,
 * completion.ts, optionMarkdown.ts): what each place explains, per engine era,
 * and what each completion context offers — with the exact text every range
 * covers. Sources of the facts: devicemapper.md §1.2 (RAMInBytes eras), §1.3
 * (option defaults, `since`), §2.1 (top-level keys), §2.3 (driver removal).
 *
 * Positions are written into the texts with a `|` marker (0-based, UTF-16).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeDaemonJson, daemonJsonCompletions, daemonJsonHover, validateDaemonJson, DM_KEYS, DM_OPTIONS, OVERLAY2_KEYS, STORAGE_DRIVERS,
  type DaemonCompletion, type DaemonHover,
} from '../../server/src/core/daemonJson/index.js';

interface Pos {
  line: number;
  character: number;
}
interface Rng {
  start: Pos;
  end: Pos;
}

/** The text without its `|` marker, and the marker's position. */
function at(src: string): { text: string; pos: Pos } {
  const i = src.indexOf('|');
  assert.ok(i >= 0 && src.indexOf('|', i + 1) < 0, `exactly one marker in ${JSON.stringify(src)}`);
  const text = src.slice(0, i) + src.slice(i + 1);
  const before = text.slice(0, i).split(/\r\n|\r|\n/);
  return { text, pos: { line: before.length - 1, character: before[before.length - 1]!.length } };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|\r|\n/g)) starts.push(m.index + m[0].length);
  return starts;
}

function offsetOf(text: string, p: Pos): number {
  return lineStarts(text)[p.line]! + p.character;
}

/** The text a range covers (ranges may span lines). */
function covered(text: string, r: Rng): string {
  return text.slice(offsetOf(text, r.start), offsetOf(text, r.end));
}

/** Applies a completion's text edit; snippet placeholders become their default (`${1:x}` → x, `${1|a,b|}` → a). */
function apply(text: string, c: DaemonCompletion): string {
  const insert = c.snippet ? c.insertText.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1') : c.insertText;
  assert.doesNotMatch(insert, /\$\{|\$\d/, `no snippet syntax left in ${insert}`);
  return text.slice(0, offsetOf(text, c.range.start)) + insert + text.slice(offsetOf(text, c.range.end));
}

function hover(src: string, engine?: string): { text: string; h: DaemonHover | undefined } {
  const { text, pos } = at(src);
  return { text, h: daemonJsonHover(text, pos, engine) };
}

function complete(src: string, engine?: string): { text: string; items: DaemonCompletion[] } {
  const { text, pos } = at(src);
  return { text, items: daemonJsonCompletions(text, pos, engine) };
}

function byLabel(items: readonly DaemonCompletion[], label: string): DaemonCompletion {
  const hit = items.find((c) => c.label === label);
  assert.ok(hit, `${label} in ${JSON.stringify(items.map((c) => c.label))}`);
  return hit;
}

/** Labels in the order an editor shows them (by sortText). */
function ordered(items: readonly DaemonCompletion[]): string[] {
  return [...items].sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0)).map((c) => c.label);
}

function dmDoc(...lines: string[]): string {
  return `{\n  "storage-driver": "devicemapper",\n  "storage-opts": [\n${lines.map((l) => `    ${l}`).join(',\n')}\n  ]\n}\n`;
}

// ---------------------------------------------------------------------------
// Hover
// ---------------------------------------------------------------------------

interface HoverCase {
  name: string;
  /** Text with a `|` at the hover position. */
  src: string;
  engine?: string;
  /** The text the hover range covers; undefined = no hover. */
  range: string | undefined;
  /** Substrings the markdown must contain. */
  has?: string[];
  /** Substrings it must not contain. */
  hasNot?: string[];
}

const HOVER_CASES: HoverCase[] = [
  // storage-opts: the key (optionMarkdown)
  {
    name: 'key of an entry: option docs with the default of every era',
    src: dmDoc('"dm.ba|sesize=20G"'), range: 'dm.basesize',
    has: [
      '**dm.basesize** — devicemapper storage option',
      'Size of the base thin device',
      '- **Value:** a size read by `units.RAMInBytes`',
      '- **Default:** 10 GiB (Engine ≤ 1.7.1); 100 GiB (Engine 1.8–1.9); 10 GiB (Engine ≥ 1.10)',
      '- **Acts in:** every devicemapper mode',
      '- **Known to:** Engine 0.12–24.0',
      '[Docker documentation](https://docs.docker.com/engine/storage/drivers/device-mapper-driver/)',
    ],
  },
  { name: 'key with Engine 20.10: that engine\'s default only', src: dmDoc('"dm.basesize|=20G"'), engine: '20.10', range: 'dm.basesize', has: ['- **Default in Engine 20.10:** 10 GiB'], hasNot: ['100 GiB', '(Engine'] },
  { name: 'key with Engine 20.10.24', src: dmDoc('"|dm.basesize=20G"'), engine: '20.10.24', range: 'dm.basesize', has: ['- **Default in Engine 20.10.24:** 10 GiB'] },
  { name: 'key with Engine 1.8.3: the 100 GiB era', src: dmDoc('"dm.basesize|=20G"'), engine: '1.8.3', range: 'dm.basesize', has: ['- **Default in Engine 1.8.3:** 100 GiB'] },
  { name: 'key: the = belongs to the key', src: dmDoc('"dm.basesize|=20G"'), range: 'dm.basesize', has: ['**dm.basesize** — devicemapper storage option'] },
  { name: 'key of an option newer than the engine', src: dmDoc('"dm.directlvm_de|vice=/dev/xvdf"'), engine: '1.12.6', range: 'dm.directlvm_device', has: ['- **Known to:** Engine 17.06–24.0 — not to Engine 1.12.6', '- **Acts in:** direct-lvm (dm.directlvm_device)'] },
  { name: 'key on Engine 25.0: not known any more', src: dmDoc('"dm.fs|=xfs"'), engine: '25.0', range: 'dm.fs', has: ['- **Known to:** Engine 0.12–24.0 — not to Engine 25.0'] },
  { name: 'key written in capitals', src: dmDoc('" DM.FS| = xfs"'), range: 'DM.FS', has: ['**dm.fs** — devicemapper storage option', '(`ext4`, `xfs`)'] },
  { name: 'key after a --storage-opt prefix: the prefix explains the key', src: dmDoc('"--stor|age-opt dm.fs=xfs"'), range: 'dm.fs', has: ['**dm.fs** — devicemapper storage option'] },
  { name: 'overlay2 key', src: '{"storage-driver": "overlay2", "storage-opts": ["overlay2.s|ize=10G"]}', range: 'overlay2.size', has: ['**overlay2.size** — overlay2 storage option', '- **Known to:** Engine ≥ 17.06', '(https://docs.docker.com/reference/cli/dockerd/)'], hasNot: ['dockerd reference (v23.0)', 'Acts in'] },
  { name: 'repeatable option says so', src: dmDoc('"dm.mount|opt=nodiscard"'), range: 'dm.mountopt', has: ['; may be given more than once'] },

  // storage-opts: the value (what dockerd of the engine makes of it)
  { name: 'size value, engine unknown', src: dmDoc('"dm.basesize=2|0G"'), range: '20G', has: ['**dm.basesize=20G**', '`20G` = 21,474,836,480 bytes (20 GiB) in every engine.', 'Size of the base thin device'] },
  {
    name: 'size value 20GiB, engine unknown: per era',
    src: dmDoc('"dm.basesize=20G|iB"'), range: '20GiB',
    has: ["- Engine ≤ 18.06: rejected — `invalid size: '20GiB'`", '- Engine ≥ 18.09: 21,474,836,480 bytes (20 GiB)'],
  },
  { name: '20GiB on 17.06.0-ce: rejected', src: dmDoc('"dm.basesize=|20GiB"'), engine: '17.06.0-ce', range: '20GiB', has: ["dockerd 17.06 rejects it: `invalid size: '20GiB'`"], hasNot: ['21,474,836,480'] },
  { name: '20GiB on 1.12.6: rejected', src: dmDoc('"dm.basesize=20GiB|"'), engine: '1.12.6', range: '20GiB', has: ["dockerd 1.12.6 rejects it: `invalid size: '20GiB'`"] },
  { name: '20GiB on 18.09: accepted', src: dmDoc('"dm.basesize=20GiB|"'), engine: '18.09', range: '20GiB', has: ['`20GiB` = 21,474,836,480 bytes (20 GiB).'], hasNot: ['rejects', 'in every engine'] },
  { name: '20GiB on 20.10.24: accepted', src: dmDoc('"dm.basesize=2|0GiB"'), engine: '20.10.24', range: '20GiB', has: ['`20GiB` = 21,474,836,480 bytes (20 GiB).'] },
  {
    name: 'decimal size: rejected before 1.13',
    src: dmDoc('"dm.loopdatasize=1.|5G"'), range: '1.5G',
    has: ["- Engine ≤ 1.12: rejected — `invalid size: '1.5G'`", '- Engine ≥ 1.13: 1,610,612,736 bytes (1.5 GiB)'],
  },
  { name: 'value padded with spaces: the trimmed value', src: dmDoc('"dm.basesize = 2|0G "'), range: '20G', has: ['**dm.basesize=20G**'] },
  { name: 'value written with a JSON escape', src: dmDoc('"dm.fs=\\u0078|fs"'), range: '\\u0078fs', has: ['**dm.fs=xfs**', 'dockerd accepts this value.'] },
  {
    name: 'dm.fs=XFS on 17.06: dockerd\'s text without its trailing newline',
    src: dmDoc('"dm.fs=X|FS"'), engine: '17.06.0-ce', range: 'XFS',
    has: ['dockerd 17.06 rejects this value: `devmapper: Unsupported filesystem XFS`'], hasNot: ['XFS\n'],
  },
  { name: 'dm.fs=XFS, engine unknown', src: dmDoc('"dm.fs=XFS|"'), range: 'XFS', has: ['dockerd rejects this value: `devmapper: Unsupported filesystem XFS`'] },
  { name: 'boolean 1 is read as true', src: dmDoc('"dm.blkdiscard=|1"'), range: '1', has: ['**dm.blkdiscard=1**', 'Read as **true**.'] },
  { name: 'boolean F is read as false', src: dmDoc('"dm.blkdiscard=|F"'), range: 'F', has: ['Read as **false**.'] },
  { name: 'boolean yes is rejected', src: dmDoc('"dm.blkdiscard=y|es"'), range: 'yes', has: ['dockerd rejects this value: `strconv.ParseBool: parsing "yes": invalid syntax`'], hasNot: ['Read as'] },
  { name: 'min_free_space without % on 20.10.24', src: dmDoc('"dm.min_free_space=1|0"'), engine: '20.10.24', range: '10', has: ['dockerd 20.10.24 rejects this value: `devmapper: Option dm.min_free_space requires % suffix`'] },
  { name: 'libdm_log_level out of range', src: dmDoc('"dm.libdm_log_level=|9"'), engine: '20.10', range: '9', has: ['dockerd 20.10 rejects this value: `dm.libdm_log_level must be in range [2,7]`'] },
  { name: 'a path is accepted as written', src: dmDoc('"dm.thinpooldev=/dev/mapper/|p"'), range: '/dev/mapper/p', has: ['**dm.thinpooldev=/dev/mapper/p**', 'dockerd accepts this value.'] },
  { name: 'overlay2.size=10GiB on 17.06', src: '{"storage-driver": "overlay2", "storage-opts": ["overlay2.size=10G|iB"]}', engine: '17.06.0-ce', range: '10GiB', has: ["dockerd 17.06 rejects it: `invalid size: '10GiB'`"] },

  // storage-opts in the object form
  { name: 'object form: key', src: '{"storage-driver": "devicemapper", "storage-opts": {"dm.base|size": "20G", "dm.blkdiscard": false}}', range: 'dm.basesize', has: ['**dm.basesize** — devicemapper storage option'] },
  { name: 'object form: string value', src: '{"storage-driver": "devicemapper", "storage-opts": {"dm.basesize": "2|0G", "dm.blkdiscard": false}}', range: '20G', has: ['`20G` = 21,474,836,480 bytes (20 GiB) in every engine.'] },
  { name: 'object form: boolean literal', src: '{"storage-driver": "devicemapper", "storage-opts": {"dm.basesize": "20G", "dm.blkdiscard": fa|lse}}', range: 'false', has: ['**dm.blkdiscard=false**', 'Read as **false**.'] },

  // outside any entry
  { name: 'the opening quote of an entry', src: dmDoc('|"dm.basesize=20G"'), range: undefined },
  { name: 'the comma between entries', src: dmDoc('"dm.basesize=20G"|', '"dm.fs=xfs"'), range: undefined },
  { name: 'the array bracket', src: '{"storage-opts": |["dm.fs=xfs"]}', range: undefined },
  { name: 'the colon after storage-opts', src: '{"storage-opts" |: ["dm.fs=xfs"]}', range: undefined },
  { name: 'white space before a key', src: '{\n | "storage-driver": "devicemapper"\n}', range: undefined },
  { name: 'unknown dm key', src: dmDoc('"dm.no|pe=1"'), range: undefined },
  { name: 'value of an unknown dm key', src: dmDoc('"dm.nope=|1"'), range: undefined },
  { name: 'key of another driver\'s namespace', src: dmDoc('"zfs.fs|name=x"'), range: undefined },

  // top-level keys
  { name: 'storage-driver key', src: '{"storage-dr|iver": "overlay2"}', range: '"storage-driver"', has: ['**storage-driver** — daemon.json', 'The storage (graph) driver'] },
  { name: 'storage-opts key', src: '{"storage-o|pts": []}', range: '"storage-opts"', has: ['**storage-opts** — daemon.json', 'an array of `"key=value"` strings'] },
  { name: 'data-root key', src: '{"data-r|oot": "/srv/docker"}', range: '"data-root"', has: ['**data-root** — daemon.json', 'Known to Engine ≥ 17.05.'] },
  { name: 'graph key', src: '{"gr|aph": "/srv/docker"}', range: '"graph"', has: ['**graph** — daemon.json', 'Old name of `data-root`', 'Known to Engine ≤ 23.0.'] },
  { name: 'flag name storage-opt', src: '{"storage-o|pt": ["dm.fs=xfs"]}', range: '"storage-opt"', has: ['**storage-opt** — a command-line flag name', 'reads the configuration from `storage-opts`, so this value is ignored'] },
  { name: 'flag name log-opt', src: '{"log-o|pt": {}}', range: '"log-opt"', has: ['from `log-opts`'] },
  { name: 'a key without a description', src: '{"deb|ug": true}', range: undefined },
  { name: 'an unknown key', src: '{"storage-drive|rr": "overlay2"}', range: undefined },
  { name: 'a storage key nested in another object', src: '{"log-opts": {"storage-dr|iver": "overlay2"}}', range: undefined },

  // the storage-driver value
  {
    name: 'devicemapper on 25.0: dockerd will not start',
    src: '{"storage-driver": "devicem|apper"}', engine: '25.0', range: '"devicemapper"',
    has: ['**devicemapper** — storage driver', 'deprecated in 18.09, removed in 25.0', 'Registered in Engine ≤ 24.0.', 'Engine 25.0 does not have it: dockerd will not start.'],
  },
  { name: 'devicemapper on 29.0', src: '{"storage-driver": "|devicemapper"}', engine: '29.0.1', range: '"devicemapper"', has: ['Engine 29.0.1 does not have it: dockerd will not start.'] },
  { name: 'devicemapper on 24.0 still starts', src: '{"storage-driver": "devicemapper|"}', engine: '24.0.7', range: '"devicemapper"', has: ['Registered in Engine ≤ 24.0.'], hasNot: ['will not start'] },
  { name: 'devicemapper, engine unknown', src: '{"storage-driver": "device|mapper"}', range: '"devicemapper"', has: ['Registered in Engine ≤ 24.0.'], hasNot: ['will not start'] },
  { name: 'overlay2', src: '{"storage-driver": "over|lay2"}', engine: '25.0', range: '"overlay2"', has: ['**overlay2** — storage driver', 'OverlayFS; the default and recommended driver on Linux.'], hasNot: ['Registered', 'will not start'] },
  { name: 'a misspelt driver', src: '{"storage-driver": "devm|apper"}', range: undefined },
  { name: 'a driver value of the wrong type', src: '{"storage-driver": 4|2}', range: undefined },
  { name: 'a string value of another key', src: '{"data-root": "/srv/do|cker"}', range: undefined },
];

describe('daemonJsonHover', () => {
  for (const c of HOVER_CASES) {
    test(`${c.name}${c.engine ? ` [${c.engine}]` : ''}`, () => {
      const { text, h } = hover(c.src, c.engine);
      if (c.range === undefined) {
        assert.equal(h, undefined, h?.markdown);
        return;
      }
      assert.ok(h, 'a hover');
      assert.equal(covered(text, h.range), c.range);
      for (const s of c.has ?? []) assert.ok(h.markdown.includes(s), `missing ${JSON.stringify(s)} in:\n${h.markdown}`);
      for (const s of c.hasNot ?? []) assert.ok(!h.markdown.includes(s), `unexpected ${JSON.stringify(s)} in:\n${h.markdown}`);
      assert.doesNotMatch(h.markdown, /undefined|NaN|\[object Object\]/);
    });
  }

  test('key / value boundary: the = explains the key, the character after it the value', () => {
    const text = '{"storage-driver": "devicemapper", "storage-opts": ["dm.basesize=20G"]}';
    const eq = text.indexOf('=');
    const kinds = [eq - 1, eq, eq + 1, eq + 4, eq + 5].map((character) => {
      const h = daemonJsonHover(text, { line: 0, character });
      return h ? covered(text, h.range) : '-';
    });
    // eq + 4 is the closing quote (the position right after the value still counts), eq + 5 the bracket.
    assert.deepEqual(kinds, ['dm.basesize', 'dm.basesize', '20G', '20G', '-']);
  });

  test('CRLF line ends: the same ranges and texts as with LF', () => {
    const lf = dmDoc('"dm.thinpooldev=/dev/mapper/p"', '"dm.basesize=20GiB"');
    const crlf = lf.replace(/\n/g, '\r\n');
    for (const [line, character, expect] of [[4, 20, '20GiB'], [4, 8, 'dm.basesize'], [3, 25, '/dev/mapper/p'], [1, 24, '"devicemapper"'], [2, 5, '"storage-opts"']] as const) {
      const a = daemonJsonHover(lf, { line, character }, '17.06.0-ce');
      const b = daemonJsonHover(crlf, { line, character }, '17.06.0-ce');
      assert.ok(a && b, `${line}:${character}`);
      assert.equal(covered(crlf, b.range), expect);
      assert.deepEqual(b.range, a.range);
      assert.equal(b.markdown, a.markdown);
    }
    assert.match(daemonJsonHover(crlf, { line: 4, character: 20 }, '17.06.0-ce')!.markdown, /dockerd 17\.06 rejects it: `invalid size: '20GiB'`/);
  });

  test('positions past the end of a line stay on that line', () => {
    const text = '{\r\n  "storage-opts": ["dm.fs=xfs"],\r\n  "storage-driver": "devicemapper"\r\n}';
    // Line 1 ends with "]," — nothing there, and nothing of line 2 leaks in.
    assert.equal(daemonJsonHover(text, { line: 1, character: 500 }), undefined);
    // Line 2 ends right after the driver value: past the end = the end of the line (LSP clamps the column).
    const end = daemonJsonHover(text, { line: 2, character: 34 }, '25.0');
    const past = daemonJsonHover(text, { line: 2, character: 500 }, '25.0');
    assert.ok(end && past);
    assert.deepEqual(past, end);
    assert.equal(covered(text, past.range), '"devicemapper"');
    assert.match(past.markdown, /dockerd will not start/);
    // Past the last line, or before the first: nothing.
    assert.equal(daemonJsonHover(text, { line: 40, character: 0 }), undefined);
    assert.equal(daemonJsonHover(text, { line: -1, character: -1 }), undefined);
  });

  test('the hover follows the effective storage-opts (Go keeps the last duplicate)', () => {
    const { text, h } = hover('{"storage-driver": "devicemapper", "storage-opts": ["dm.fs=xfs"], "storage-opts": ["dm.basesize=2|0G"]}');
    assert.equal(covered(text, h!.range), '20G');
    assert.equal(hover('{"storage-driver": "devicemapper", "storage-opts": ["dm.f|s=xfs"], "storage-opts": ["dm.basesize=20G"]}').h, undefined);
  });

  test('the key hover and the completion documentation are the same text (one renderer)', () => {
    for (const engine of [undefined, '1.12.6', '20.10.24', '25.0']) {
      const { h } = hover(dmDoc('"dm.thinp_per|cent=95"'), engine);
      const { items } = complete(dmDoc('"dm.thinp_per|"'), engine);
      assert.equal(byLabel(items, 'dm.thinp_percent').documentation, h!.markdown, String(engine));
    }
  });
});

// ---------------------------------------------------------------------------
// Completion
// ---------------------------------------------------------------------------

const DRIVER_NAMES = STORAGE_DRIVERS.map((d) => d.name);
const DM_SORTED = [...DM_KEYS].sort();
/** The dm.* options Engine 1.12.6 does not know (`since` > 1.12.6; devicemapper.md §1.3). */
const NEWER_THAN_1_12 = ['dm.directlvm_device', 'dm.directlvm_device_force', 'dm.libdm_log_level', 'dm.thinp_autoextend_percent', 'dm.thinp_autoextend_threshold', 'dm.thinp_metapercent', 'dm.thinp_percent', 'dm.xfs_nospace_max_retries'];

describe('daemonJsonCompletions: storage-driver value', () => {
  test('inside the quotes: bare names replacing the string content', () => {
    const { text, items } = complete('{"storage-driver": "dev|"}');
    assert.deepEqual(items.map((c) => c.label), DRIVER_NAMES);
    assert.ok(DRIVER_NAMES.includes('devicemapper') && DRIVER_NAMES.includes('overlay2'));
    for (const c of items) {
      assert.equal(c.kind, 'driver');
      assert.equal(c.insertText, c.label);
      assert.equal(c.snippet, false);
      assert.equal(covered(text, c.range), 'dev');
      assert.equal(c.deprecated, undefined);
    }
    assert.equal(apply(text, byLabel(items, 'devicemapper')), '{"storage-driver": "devicemapper"}');
    assert.deepEqual(ordered(items), DRIVER_NAMES, 'listed in the table\'s order (overlay2 first)');
  });

  test('the whole string content is replaced, wherever the cursor is in it', () => {
    const { text, items } = complete('{"storage-driver": "devi|cemapper"}');
    assert.equal(covered(text, items[0]!.range), 'devicemapper');
    assert.equal(apply(text, byLabel(items, 'overlay2')), '{"storage-driver": "overlay2"}');
    const empty = complete('{"storage-driver": "|"}');
    assert.equal(covered(empty.text, empty.items[0]!.range), '');
    assert.equal(empty.items[0]!.range.start.character, 20);
  });

  test('no string yet: quoted names inserted at the cursor', () => {
    const { text, items } = complete('{"storage-driver": |}');
    assert.equal(items.length, DRIVER_NAMES.length);
    const o = byLabel(items, 'overlay2');
    assert.equal(o.insertText, '"overlay2"');
    assert.equal(covered(text, o.range), '');
    assert.deepEqual(o.range.start, { line: 0, character: 19 });
    assert.equal(apply(text, o), '{"storage-driver": "overlay2"}');
    assert.deepEqual(validateDaemonJson(apply(text, o)), []);
  });

  test('next to a complete value: that value is replaced, never a second one written beside it', () => {
    for (const src of ['{"storage-driver": "overlay2"|}', '{"storage-driver": |"overlay2"}', '{"storage-driver": "overlay2" |}']) {
      const { text, items } = complete(src);
      const btrfs = byLabel(items, 'btrfs');
      assert.equal(btrfs.insertText, '"btrfs"', src);
      const out = apply(text, btrfs);
      assert.match(out, /^\{"storage-driver": "btrfs" ?\}$/, src);
      assert.deepEqual(validateDaemonJson(out).filter((f) => f.code === 'json-syntax'), [], out);
    }
    // A value that starts after the cursor and cannot be replaced on its line: nothing offered.
    assert.deepEqual(complete('{"storage-driver": | "overlay2"}').items, []);
  });

  test('Engine 25.0: devicemapper is marked deprecated, the others are not', () => {
    const { items } = complete('{"storage-driver": "|"}', '25.0');
    assert.deepEqual(items.filter((c) => c.deprecated).map((c) => c.label), ['devicemapper']);
    assert.deepEqual(complete('{"storage-driver": "|"}', '24.0').items.filter((c) => c.deprecated), []);
  });

  test('the key itself, other keys and nested storage-driver keys get nothing', () => {
    assert.deepEqual(complete('{"storage-dri|ver": "overlay2"}').items, []);
    assert.deepEqual(complete('{"data-root": "|"}').items, []);
    assert.deepEqual(complete('{"log-opts": {"storage-driver": "|"}}').items, []);
    assert.deepEqual(complete('{"storage-driver": "overlay2",|}').items, []);
  });
});

describe('daemonJsonCompletions: option keys inside a storage-opts string', () => {
  test('devicemapper: the 23 dm.* keys with snippets replacing the key part', () => {
    const { text, items } = complete('{"storage-driver": "devicemapper", "storage-opts": ["dm.|"]}');
    assert.equal(items.length, 23);
    assert.deepEqual(items.map((c) => c.label).sort(), DM_SORTED);
    for (const c of items) {
      assert.equal(c.kind, 'option');
      assert.equal(c.snippet, true);
      assert.equal(c.insertText, `${c.label}=${DM_OPTIONS[c.label as keyof typeof DM_OPTIONS].valueSnippet}`);
      assert.equal(covered(text, c.range), 'dm.');
      assert.equal(c.detail, 'devicemapper option');
      assert.equal(c.deprecated, undefined);
    }
    assert.equal(byLabel(items, 'dm.basesize').insertText, 'dm.basesize=${1:20G}');
    assert.equal(byLabel(items, 'dm.fs').insertText, 'dm.fs=${1|xfs,ext4|}');
    assert.equal(byLabel(items, 'dm.min_free_space').insertText, 'dm.min_free_space=${1:10}%');
    assert.equal(apply(text, byLabel(items, 'dm.fs')), '{"storage-driver": "devicemapper", "storage-opts": ["dm.fs=xfs"]}');
    assert.equal(apply(text, byLabel(items, 'dm.libdm_log_level')), '{"storage-driver": "devicemapper", "storage-opts": ["dm.libdm_log_level=3"]}');
  });

  test('documentation is the option\'s docs for the engine', () => {
    const { items } = complete('{"storage-driver": "devicemapper", "storage-opts": ["|"]}', '20.10');
    const doc = byLabel(items, 'dm.basesize').documentation!;
    assert.match(doc, /\*\*dm\.basesize\*\* — devicemapper storage option/);
    assert.ok(doc.includes('- **Default in Engine 20.10:** 10 GiB'), doc);
  });

  test('a value already typed after = is kept: only the key is replaced, as plain text', () => {
    const { text, items } = complete('{"storage-driver": "devicemapper", "storage-opts": ["dm.b|asesize=20G"]}');
    const c = byLabel(items, 'dm.loopdatasize');
    assert.equal(c.insertText, 'dm.loopdatasize');
    assert.equal(c.snippet, false);
    assert.equal(covered(text, c.range), 'dm.basesize');
    assert.equal(apply(text, c), '{"storage-driver": "devicemapper", "storage-opts": ["dm.loopdatasize=20G"]}');
  });

  test('a --storage-opt prefix is replaced together with the key', () => {
    const { text, items } = complete('{"storage-driver": "devicemapper", "storage-opts": ["--storage-opt dm.|"]}');
    assert.equal(covered(text, items[0]!.range), '--storage-opt dm.');
    const out = apply(text, byLabel(items, 'dm.fs'));
    assert.equal(out, '{"storage-driver": "devicemapper", "storage-opts": ["dm.fs=xfs"]}');
  });

  const DRIVER_CASES: { driver: string | undefined; labels: string[] }[] = [
    { driver: 'devicemapper', labels: DM_SORTED },
    { driver: 'overlay2', labels: ['overlay2.override_kernel_check', 'overlay2.size'] },
    { driver: undefined, labels: [...DM_SORTED, ...OVERLAY2_KEYS].sort() },
    { driver: 'btrfs', labels: [] },
    { driver: 'zfs', labels: [] },
    { driver: 'vfs', labels: [] },
  ];
  for (const c of DRIVER_CASES) {
    test(`driver ${c.driver ?? '(none)'}: ${c.labels.length} keys`, () => {
      const head = c.driver ? `"storage-driver": "${c.driver}", ` : '';
      const { items } = complete(`{${head}"storage-opts": ["|"]}`);
      assert.deepEqual(items.map((x) => x.label).sort(), c.labels);
    });
  }

  test('overlay2 only offers overlay2.* keys, with their snippets', () => {
    const { text, items } = complete('{"storage-driver": "overlay2", "storage-opts": ["ov|"]}');
    assert.deepEqual(items.map((c) => [c.label, c.insertText, c.detail]), [
      ['overlay2.size', 'overlay2.size=${1:20G}', 'overlay2 option'],
      ['overlay2.override_kernel_check', 'overlay2.override_kernel_check=${1|true,false|}', 'overlay2 option'],
    ]);
    assert.equal(covered(text, items[0]!.range), 'ov');
  });

  test('Engine 25.0: every dm.* key deprecated and sorted after overlay2\'s', () => {
    const { items } = complete('{"storage-opts": ["|"]}', '25.0');
    const dm = items.filter((c) => c.label.startsWith('dm.'));
    assert.equal(dm.length, 23);
    for (const c of dm) {
      assert.equal(c.deprecated, true, c.label);
      assert.equal(c.sortText, `3${c.label}`);
      assert.equal(c.detail, 'devicemapper option — unknown to Engine 25.0');
    }
    const overlay = items.filter((c) => c.label.startsWith('overlay2.'));
    assert.ok(overlay.length === 2 && overlay.every((c) => c.deprecated === undefined));
    assert.deepEqual(ordered(items).slice(0, 2), ['overlay2.override_kernel_check', 'overlay2.size']);
    // With devicemapper configured explicitly too.
    const explicit = complete('{"storage-driver": "devicemapper", "storage-opts": ["dm.|"]}', '25.0').items;
    assert.ok(explicit.length === 23 && explicit.every((c) => c.deprecated === true));
  });

  test('Engine 1.12.6: the options added later are deprecated and last', () => {
    const { items } = complete('{"storage-driver": "devicemapper", "storage-opts": ["dm.|"]}', '1.12.6');
    assert.deepEqual(items.filter((c) => c.deprecated).map((c) => c.label).sort(), NEWER_THAN_1_12);
    assert.deepEqual(ordered(items).slice(-NEWER_THAN_1_12.length).sort(), NEWER_THAN_1_12);
    assert.equal(byLabel(items, 'dm.thinp_percent').detail, 'devicemapper option — unknown to Engine 1.12.6');
    assert.equal(byLabel(items, 'dm.min_free_space').deprecated, undefined, 'since 1.11');
    // Engine 17.07 knows all 23.
    assert.deepEqual(complete('{"storage-driver": "devicemapper", "storage-opts": ["dm.|"]}', '17.07.0-ce').items.filter((c) => c.deprecated), []);
  });

  test('mode ordering: with dm.thinpooldev the loop-file options sort after the pool ones', () => {
    const { items } = complete(dmDoc('"dm.thinpooldev=/dev/mapper/docker-thinpool"', '"dm.|"'));
    const sort = (l: string): string => byLabel(items, l).sortText;
    assert.ok(sort('dm.loopdatasize') > sort('dm.basesize'));
    assert.equal(sort('dm.basesize'), '0dm.basesize');
    assert.equal(sort('dm.loopdatasize'), '1dm.loopdatasize');
    assert.equal(sort('dm.blocksize'), '1dm.blocksize');
    assert.equal(sort('dm.thinp_percent'), '1dm.thinp_percent');
    const order = ordered(items);
    assert.ok(order.indexOf('dm.mountopt') < order.indexOf('dm.blocksize'), 'every-mode options before other modes\' options');
  });

  test('mode ordering: direct-lvm puts the dm.thinp_* options first, loop-lvm the loop sizes', () => {
    const dlvm = complete(dmDoc('"dm.directlvm_device=/dev/xvdf"', '"|"')).items;
    assert.equal(byLabel(dlvm, 'dm.thinp_percent').sortText, '0dm.thinp_percent');
    assert.equal(byLabel(dlvm, 'dm.loopdatasize').sortText, '1dm.loopdatasize');
    assert.equal(byLabel(dlvm, 'dm.thinpooldev').sortText, '1dm.thinpooldev');
    const loop = complete(dmDoc('"dm.basesize=20G"', '"|"')).items;
    assert.equal(byLabel(loop, 'dm.loopdatasize').sortText, '0dm.loopdatasize');
    assert.equal(byLabel(loop, 'dm.thinpooldev').sortText, '1dm.thinpooldev');
  });

  test('keys already set (and not repeatable) sort after the others', () => {
    const { items } = complete(dmDoc('"dm.thinpooldev=/dev/mapper/p"', '"dm.basesize=20G"', '"dm.mountopt=nodiscard"', '"dm.|"'));
    assert.equal(byLabel(items, 'dm.basesize').sortText, '2dm.basesize');
    assert.equal(byLabel(items, 'dm.thinpooldev').sortText, '2dm.thinpooldev');
    assert.equal(byLabel(items, 'dm.mountopt').sortText, '0dm.mountopt', 'repeatable: may be given again');
    const order = ordered(items);
    assert.deepEqual(order.slice(-2), ['dm.basesize', 'dm.thinpooldev']);
    // Set, but unknown to the engine: the engine rule wins.
    assert.equal(byLabel(complete(dmDoc('"dm.basesize=20G"', '"dm.|"'), '25.0').items, 'dm.basesize').sortText, '3dm.basesize');
  });

  test('CRLF: the range covers the key part on its own line', () => {
    const { text, items } = complete(dmDoc('"dm.thinpooldev=/dev/mapper/p"', '"dm.bl|"').replace(/\n/g, '\r\n'));
    const c = byLabel(items, 'dm.blkdiscard');
    assert.deepEqual(c.range, { start: { line: 4, character: 5 }, end: { line: 4, character: 10 } });
    assert.equal(covered(text, c.range), 'dm.bl');
    assert.ok(apply(text, c).includes('\r\n    "dm.blkdiscard=true"\r\n'));
  });
});

describe('daemonJsonCompletions: values after =', () => {
  const VALUE_CASES: { name: string; src: string; labels: string[]; range?: string }[] = [
    { name: 'dm.fs', src: '"dm.fs=|"', labels: ['ext4', 'xfs'], range: '' },
    { name: 'dm.fs, part typed', src: '"dm.fs=x|"', labels: ['ext4', 'xfs'], range: 'x' },
    { name: 'dm.fs, cursor inside the value', src: '"dm.fs=e|xt3"', labels: ['ext4', 'xfs'], range: 'ext3' },
    { name: 'dm.fs with spaces', src: '" dm.fs = x|"', labels: ['ext4', 'xfs'], range: ' x' },
    { name: 'key in capitals', src: '"DM.FS=|"', labels: ['ext4', 'xfs'] },
    { name: 'boolean', src: '"dm.blkdiscard=|"', labels: ['true', 'false'] },
    { name: 'boolean with false first in its snippet', src: '"dm.override_udev_sync_check=|"', labels: ['true', 'false'] },
    { name: 'libdm_log_level: the snippet\'s choices', src: '"dm.libdm_log_level=|"', labels: ['3', '4', '5', '6', '7', '2'] },
    { name: 'a size: nothing to enumerate', src: '"dm.basesize=|"', labels: [] },
    { name: 'a path: nothing to enumerate', src: '"dm.thinpooldev=|"', labels: [] },
    { name: 'an unknown key', src: '"dm.nope=|"', labels: [] },
    { name: 'overlay2 boolean', src: '"overlay2.override_kernel_check=|"', labels: ['true', 'false'] },
  ];
  for (const c of VALUE_CASES) {
    test(c.name, () => {
      const { text, items } = complete(dmDoc('"dm.thinpooldev=/dev/mapper/p"', c.src));
      assert.deepEqual(ordered(items), c.labels);
      for (const v of items) {
        assert.equal(v.kind, 'value');
        assert.equal(v.insertText, v.label);
        assert.equal(v.snippet, false);
        if (c.range !== undefined) assert.equal(covered(text, v.range), c.range);
      }
    });
  }

  test('the value replaces only the value part', () => {
    const { text, items } = complete(dmDoc('"dm.thinpooldev=/dev/mapper/p"', '"dm.fs=X|FS"'));
    assert.equal(byLabel(items, 'xfs').detail, 'dm.fs');
    const out = apply(text, byLabel(items, 'xfs'));
    assert.ok(out.includes('"dm.fs=xfs"'));
    assert.deepEqual(validateDaemonJson(out, { engine: '17.06.0-ce' }), []);
    assert.equal(validateDaemonJson(text, { engine: '17.06.0-ce' })[0]?.code, 'dm-invalid-value');
  });
});

describe('daemonJsonCompletions: between array elements', () => {
  test('a whole quoted entry at the cursor', () => {
    const { text, items } = complete(dmDoc('"dm.thinpooldev=/dev/mapper/p"', '|'));
    assert.equal(items.length, 23);
    const c = byLabel(items, 'dm.basesize');
    assert.equal(c.insertText, '"dm.basesize=${1:20G}"');
    assert.equal(c.snippet, true);
    assert.equal(covered(text, c.range), '');
    assert.deepEqual(c.range.start, { line: 4, character: 4 });
    assert.ok(apply(text, c).includes('"dm.thinpooldev=/dev/mapper/p",\n    "dm.basesize=20G"\n'));
  });

  test('an empty array', () => {
    const { text, items } = complete('{"storage-driver": "overlay2", "storage-opts": [|]}');
    assert.deepEqual(items.map((c) => c.insertText), ['"overlay2.size=${1:20G}"', '"overlay2.override_kernel_check=${1|true,false|}"']);
    assert.equal(apply(text, items[0]!), '{"storage-driver": "overlay2", "storage-opts": ["overlay2.size=20G"]}');
  });

  test('next to an element without a comma: the comma is part of the insertion', () => {
    const cases: [string, string, string][] = [
      ['{"storage-opts": ["dm.fs=xfs"|]}', ', "dm.basesize=${1:20G}"', '{"storage-opts": ["dm.fs=xfs", "dm.basesize=20G"]}'],
      ['{"storage-opts": ["dm.fs=xfs" |]}', ', "dm.basesize=${1:20G}"', '{"storage-opts": ["dm.fs=xfs" , "dm.basesize=20G"]}'],
      ['{"storage-opts": [|"dm.fs=xfs"]}', '"dm.basesize=${1:20G}", ', '{"storage-opts": ["dm.basesize=20G", "dm.fs=xfs"]}'],
      ['{"storage-opts": ["dm.fs=xfs",|]}', '"dm.basesize=${1:20G}"', '{"storage-opts": ["dm.fs=xfs","dm.basesize=20G"]}'],
      ['{"storage-opts": [\n  "dm.fs=xfs",\n  |\n  "dm.mountopt=discard"\n]}', '"dm.basesize=${1:20G}",', '{"storage-opts": [\n  "dm.fs=xfs",\n  "dm.basesize=20G",\n  "dm.mountopt=discard"\n]}'],
    ];
    for (const [src, insert, result] of cases) {
      const { text, items } = complete(src);
      const c = byLabel(items, 'dm.basesize');
      assert.equal(c.insertText, insert, src);
      const out = apply(text, c);
      assert.equal(out, result);
      assert.deepEqual(validateDaemonJson(out).filter((f) => f.code === 'json-syntax'), [], out);
    }
  });

  test('inside a literal that is not a string: nothing', () => {
    assert.deepEqual(complete('{"storage-opts": [tr|ue]}').items, []);
    assert.deepEqual(complete('{"storage-opts": [1|2]}').items, []);
  });
});

describe('daemonJsonCompletions: elsewhere and on broken text', () => {
  test('outside storage-opts arrays: nothing', () => {
    for (const src of [
      '{"log-opts": ["|"]}',
      '{"x": {"storage-opts": ["|"]}}',
      '{"storage-opts": {"dm.|": "20G"}}',
      '{"storage-opts": {"dm.basesize": "|"}}',
      '{"storage-opts": ["dm.fs=xfs"]|}',
      '{"storage-opts": [["|"]]}',
      '{|}',
      '|',
    ]) {
      assert.deepEqual(complete(src).items, [], src);
    }
  });

  test('an unterminated string at the end of the file', () => {
    const key = complete('{"storage-driver": "devicemapper", "storage-opts": ["dm.ba|');
    assert.equal(key.items.length, 23);
    assert.equal(covered(key.text, key.items[0]!.range), 'dm.ba');
    assert.equal(apply(key.text, byLabel(key.items, 'dm.basesize')), '{"storage-driver": "devicemapper", "storage-opts": ["dm.basesize=20G');
    const value = complete('{"storage-driver": "devicemapper", "storage-opts": ["dm.fs=x|');
    assert.deepEqual(value.items.map((c) => c.label), ['ext4', 'xfs']);
    assert.equal(covered(value.text, value.items[0]!.range), 'x');
    const driver = complete('{"storage-driver": "dev|');
    assert.equal(driver.items.length, DRIVER_NAMES.length);
    assert.equal(covered(driver.text, driver.items[0]!.range), 'dev');
    const opened = complete('{"storage-opts": [|');
    assert.equal(opened.items.length, 25);
    assert.equal(byLabel(opened.items, 'dm.fs').insertText, '"dm.fs=${1|xfs,ext4|}"');
  });

  test('malformed JSON never throws, from hover or completion, at any position', () => {
    const texts = [
      '', '{', '}', '[', '"', '{"storage-opts": [,,,"', '}{', '{"storage-driver": ', '{"storage-opts": [["', '\u0000\uffff\ud800',
      '{"storage-opts": {"dm.fs": }', '['.repeat(5000), '{"a":'.repeat(3000), '{"storage-driver": ' + '['.repeat(3000) + '"devicemapper"', '{"storage-opts": ["\\u12', '{"storage-opts": ["dm.fs=\\"',
      '{"storage-driver": "devicemapper", // comment\n "storage-opts": ["dm.basesize=20G",]}', '{"storage-opts": ["dm.basesize=20G" "dm.fs=xfs"]}',
      '{"storage-opts": "dm.basesize=20G"}', '{"storage-opts": null, "storage-driver": null}', 'null', '42', '\r\r\n\n',
    ];
    for (const text of texts) {
      const lines = text.split(/\r\n|\r|\n/);
      const positions: Pos[] = [{ line: 0, character: 0 }, { line: -1, character: -1 }, { line: 99, character: 99 }, { line: 0, character: 1e9 }];
      for (let l = 0; l < Math.min(lines.length, 3); l++) for (let ch = 0; ch <= Math.min(lines[l]!.length, 60); ch++) positions.push({ line: l, character: ch });
      for (const p of positions) {
        for (const engine of [undefined, '25.0', 'nonsense']) {
          const what = `${JSON.stringify(text.slice(0, 40))} @${p.line}:${p.character} ${engine}`;
          let h: DaemonHover | undefined;
          let cs: DaemonCompletion[] = [];
          assert.doesNotThrow(() => {
            h = daemonJsonHover(text, p, engine);
            cs = daemonJsonCompletions(text, p, engine);
          }, what);
          if (h) assert.equal(typeof h.markdown, 'string', what);
          assert.ok(Array.isArray(cs), what);
        }
      }
    }
  });
});

describe('applying completions gives options the validator knows', () => {
  const ENGINES = ['17.07.0-ce', '20.10.24', '24.0.7'];
  for (const engine of ENGINES) {
    test(`every dm.* key, inside a string and between elements [${engine}]`, () => {
      for (const src of [dmDoc('"dm.thinpooldev=/dev/mapper/p"', '"|"'), dmDoc('"dm.thinpooldev=/dev/mapper/p"', '|')]) {
        const { text, items } = complete(src, engine);
        assert.equal(items.length, 23);
        for (const c of items) {
          const out = apply(text, c);
          const fs = validateDaemonJson(out, { engine });
          assert.deepEqual(fs.filter((f) => f.code === 'dm-unknown-option' || f.code === 'json-syntax' || f.code === 'dm-invalid-value').map((f) => `${f.code}: ${f.message}`), [], `${c.label}:\n${out}`);
          assert.ok(analyzeDaemonJson(out, { engine }).storageOpts.some((e) => e.lowerKey === c.label && e.value !== undefined && e.value !== ''), c.label);
        }
      }
    });
  }

  test('overlay2 keys validate without overlay2-unknown-option', () => {
    const { text, items } = complete('{"storage-driver": "overlay2", "storage-opts": ["|"]}', '20.10.24');
    for (const c of items) {
      const fs = validateDaemonJson(apply(text, c), { engine: '20.10.24' });
      assert.deepEqual(fs.map((f) => f.code), [], c.label);
    }
  });

  test('deprecated exactly when the validator says the engine does not know the option [1.12.6]', () => {
    const engine = '1.12.6';
    const { text, items } = complete(dmDoc('"dm.thinpooldev=/dev/mapper/p"', '"|"'), engine);
    for (const c of items) {
      const unknown = validateDaemonJson(apply(text, c), { engine }).some((f) => f.code === 'dm-unknown-option');
      assert.equal(unknown, c.deprecated === true, c.label);
    }
  });

  test('every enumerated value validates', () => {
    for (const key of ['dm.fs', 'dm.blkdiscard', 'dm.use_deferred_removal', 'dm.override_udev_sync_check', 'dm.libdm_log_level', 'dm.directlvm_device_force']) {
      const { text, items } = complete(dmDoc('"dm.thinpooldev=/dev/mapper/p"', '"dm.use_deferred_deletion=false"', `"${key}=|"`), '20.10.24');
      assert.ok(items.length >= 2, key);
      for (const c of items) {
        const fs = validateDaemonJson(apply(text, c), { engine: '20.10.24' });
        assert.deepEqual(fs.filter((f) => f.code === 'dm-invalid-value' || f.code === 'dm-unknown-option'), [], `${key}=${c.label}`);
      }
    }
  });
});
