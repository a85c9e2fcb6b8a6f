import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  goParseBool, goParseFloat, goParseInt, goParseUint, goQuote, goTrimSpace, ramInBytes, ramInBytesEra, sizeEraOf, type SizeEra,
} from '../../server/src/core/text/ramInBytes.js';
import { parseEngineVersion, formatVersion, describeRange, describeRanges, eraSegments, groupByEra, ver, RULE_BOUNDARIES, RELEASE_LINES, MILESTONES } from '../../server/src/core/knowledge/engineVersions.js';

const K = 1024;
const M = K * K;
const G = M * K;
const T = G * K;

type Row = [input: string, ...perEra: (number | string)[]];
const ERAS: SizeEra[] = ['int-regexp', 'decimal-regexp', 'binary-i-regexp', 'hand-written'];

// devicemapper.md §1.2: one column per era (≤1.12, 1.13–18.06, 18.09–22.06, 23.0+); a string is the exact error.
const TABLE: Row[] = [
  ['10G', 10 * G, 10 * G, 10 * G, 10 * G],
  ['10gb', 10 * G, 10 * G, 10 * G, 10 * G],
  ['10GB', 10 * G, 10 * G, 10 * G, 10 * G],
  ['512', 512, 512, 512, 512],
  ['512b', 512, 512, 512, 512],
  ['64k', 64 * K, 64 * K, 64 * K, 64 * K],
  ['2T', 2 * T, 2 * T, 2 * T, 2 * T],
  ['1P', K * T, K * T, K * T, K * T],
  ['1.5G', "invalid size: '1.5G'", 1.5 * G, 1.5 * G, 1.5 * G],
  ['10 G', "invalid size: '10 G'", 10 * G, 10 * G, 10 * G],
  ['10GiB', "invalid size: '10GiB'", "invalid size: '10GiB'", 10 * G, 10 * G],
  ['512Ki', "invalid size: '512Ki'", "invalid size: '512Ki'", 512 * K, "invalid suffix: 'ki'"],
  ['10i', "invalid size: '10i'", "invalid size: '10i'", 10, "invalid suffix: 'i'"],
  ['10Q', "invalid size: '10Q'", "invalid size: '10Q'", "invalid size: '10Q'", "invalid suffix: 'q'"],
  ['10KBB', "invalid size: '10KBB'", "invalid size: '10KBB'", "invalid size: '10KBB'", "invalid suffix: 'kbb'"],
  ['10GiBs', "invalid size: '10GiBs'", "invalid size: '10GiBs'", "invalid size: '10GiBs'", "invalid suffix: 'GiBs'"],
  ['10Gb', 10 * G, 10 * G, 10 * G, 10 * G],
  ['10gi', "invalid size: '10gi'", "invalid size: '10gi'", 10 * G, "invalid suffix: 'gi'"],
  ['-1G', "invalid size: '-1G'", "invalid size: '-1G'", "invalid size: '-1G'", "invalid size: '-1G'"],
  ['+1G', "invalid size: '+1G'", "invalid size: '+1G'", "invalid size: '+1G'", G],
  ['', "invalid size: ''", "invalid size: ''", "invalid size: ''", "invalid size: ''"],
  ['G', "invalid size: 'G'", "invalid size: 'G'", "invalid size: 'G'", "invalid size: 'G'"],
  ['1.2.3G', "invalid size: '1.2.3G'", 'strconv.ParseFloat: parsing "1.2.3": invalid syntax', 'strconv.ParseFloat: parsing "1.2.3": invalid syntax', 'strconv.ParseFloat: parsing "1.2.3": invalid syntax'],
  ['1e3k', "invalid size: '1e3k'", "invalid size: '1e3k'", "invalid size: '1e3k'", 1000 * K],
  ['1_000', "invalid size: '1_000'", "invalid size: '1_000'", "invalid size: '1_000'", 1000],
  ['0x10p0', "invalid size: '0x10p0'", "invalid size: '0x10p0'", "invalid size: '0x10p0'", 16],
  ['0x10', "invalid size: '0x10'", "invalid size: '0x10'", "invalid size: '0x10'", 'strconv.ParseFloat: parsing "0x10": invalid syntax'],
  ['5  k', "invalid size: '5  k'", "invalid size: '5  k'", "invalid size: '5  k'", 'strconv.ParseFloat: parsing "5 ": invalid syntax'],
  ['10G B', "invalid size: '10G B'", "invalid size: '10G B'", "invalid size: '10G B'", 'strconv.ParseFloat: parsing "10G": invalid syntax'],
  ['1.9', "invalid size: '1.9'", 1, 1, 1],
  ['99999999999999999999', 'strconv.ParseInt: parsing "99999999999999999999": value out of range', 1e20, 1e20, 1e20],
  ['10é', "invalid size: '10é'", "invalid size: '10é'", "invalid size: '10é'", "invalid suffix: 'é'"],
];

describe('RAMInBytes eras (devicemapper.md §1.2)', () => {
  for (const [input, ...cols] of TABLE) {
    test(JSON.stringify(input), () => {
      ERAS.forEach((era, i) => {
        const r = ramInBytesEra(input, era);
        const want = cols[i]!;
        if (typeof want === 'string') assert.deepEqual(r, { ok: false, error: want }, `${era}`);
        else {
          assert.ok(r.ok, `${era}: ${JSON.stringify(r)}`);
          if (r.ok && !r.overflow) assert.equal(r.bytes, want, era);
        }
      });
    });
  }

  test('int64 overflow is flagged, not silently wrapped', () => {
    const a = ramInBytesEra('9999999P', 'int-regexp');
    assert.ok(a.ok && a.overflow);
    const d = ramInBytesEra('9999999P', 'hand-written');
    assert.ok(d.ok && d.overflow);
    const e = ramInBytesEra('1e400', 'hand-written');
    assert.deepEqual(e, { ok: false, error: 'strconv.ParseFloat: parsing "1e400": value out of range' });
  });

  test('era of an engine version', () => {
    const cases: [string, SizeEra][] = [['1.9.1', 'int-regexp'], ['1.12.6', 'int-regexp'], ['1.13.1', 'decimal-regexp'], ['17.06.0-ce', 'decimal-regexp'], ['18.06.3-ce', 'decimal-regexp'], ['18.09.0', 'binary-i-regexp'], ['20.10.24', 'binary-i-regexp'], ['22.06.0-beta.0', 'binary-i-regexp'], ['23.0.0', 'hand-written'], ['24.0.7', 'hand-written']];
    for (const [v, era] of cases) assert.equal(sizeEraOf(parseEngineVersion(v)!), era, v);
  });

  test('ramInBytes with an engine evaluates one era; without, all four', () => {
    const one = ramInBytes('10GiB', '17.06.0-ce');
    assert.equal(one.eras.length, 1);
    assert.equal(one.ok, false);
    assert.equal(one.error, "invalid size: '10GiB'");
    const all = ramInBytes('10GiB');
    assert.equal(all.eras.length, 4);
    assert.equal(all.ok, false);
    assert.equal(all.bytes, 10 * G);
    assert.deepEqual(all.eras.map((e) => [e.label, e.result.ok]), [['Engine ≤ 1.12', false], ['Engine 1.13–18.06', false], ['Engine 18.09–22.06', true], ['Engine ≥ 23.0', true]]);
    const good = ramInBytes('20G');
    assert.equal(good.ok, true);
    assert.equal(good.bytes, 20 * G);
    const bad = ramInBytes('abc');
    assert.equal(bad.error, "invalid size: 'abc'");
    assert.equal(ramInBytes('1.5G', 'nonsense').eras.length, 4, 'an unparsable engine is unknown');
  });
});

describe('Go strconv emulation (devicemapper.md §1.1)', () => {
  test('ParseBool', () => {
    for (const t of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.deepEqual(goParseBool(t), { ok: true, value: true });
    for (const f of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.deepEqual(goParseBool(f), { ok: true, value: false });
    assert.deepEqual(goParseBool('yes'), { ok: false, error: 'strconv.ParseBool: parsing "yes": invalid syntax' });
    assert.deepEqual(goParseBool('tRUE'), { ok: false, error: 'strconv.ParseBool: parsing "tRUE": invalid syntax' });
  });

  test('ParseUint / ParseInt', () => {
    assert.deepEqual(goParseUint('42', 32), { ok: true, value: 42n });
    assert.deepEqual(goParseUint('', 32), { ok: false, error: 'strconv.ParseUint: parsing "": invalid syntax' });
    assert.deepEqual(goParseUint('-1', 64), { ok: false, error: 'strconv.ParseUint: parsing "-1": invalid syntax' });
    assert.deepEqual(goParseUint('+1', 64), { ok: false, error: 'strconv.ParseUint: parsing "+1": invalid syntax' });
    assert.deepEqual(goParseUint('4294967296', 32), { ok: false, error: 'strconv.ParseUint: parsing "4294967296": value out of range' });
    assert.deepEqual(goParseUint('4294967295', 32), { ok: true, value: 4294967295n });
    assert.deepEqual(goParseUint('99999999999x', 32), { ok: false, error: 'strconv.ParseUint: parsing "99999999999x": value out of range' }, 'overflow is noticed before the bad character');
    assert.deepEqual(goParseUint('1_000', 64), { ok: false, error: 'strconv.ParseUint: parsing "1_000": invalid syntax' });
    assert.deepEqual(goParseInt('-7', 32), { ok: true, value: -7n });
    assert.deepEqual(goParseInt('+', 32), { ok: false, error: 'strconv.ParseInt: parsing "+": invalid syntax' });
    assert.deepEqual(goParseInt('2147483648', 32), { ok: false, error: 'strconv.ParseInt: parsing "2147483648": value out of range' });
    assert.deepEqual(goParseInt('-2147483648', 32), { ok: true, value: -2147483648n });
    assert.deepEqual(goParseInt('3.0', 32), { ok: false, error: 'strconv.ParseInt: parsing "3.0": invalid syntax' });
  });

  test('ParseFloat', () => {
    const ok: [string, number][] = [['1', 1], ['1.5', 1.5], ['.5', 0.5], ['5.', 5], ['1e3', 1000], ['1E-2', 0.01], ['-0', -0], ['1_000.5', 1000.5], ['0x1p4', 16], ['0x1.8p1', 3], ['inf', Infinity], ['-Infinity', -Infinity]];
    for (const [s, v] of ok) assert.deepEqual(goParseFloat(s), { ok: true, value: v }, s);
    for (const s of ['', '.', 'e5', '1e', '1e+', '1..2', '0x10', '_1', '1__0', '1_', 'infx', '1 ']) assert.deepEqual(goParseFloat(s), { ok: false, error: `strconv.ParseFloat: parsing ${JSON.stringify(s)}: invalid syntax` }, s);
    assert.ok(Number.isNaN((goParseFloat('NaN') as { value: number }).value));
  });

  test('Quote and TrimSpace', () => {
    assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(goQuote('tab\there'), '"tab\\there"');
    assert.equal(goQuote('\x1b'), '"\\x1b"');
    assert.equal(goQuote('\u00a0'), '"\\u00a0"');
    assert.equal(goQuote('é✓'), '"é✓"');
    assert.equal(goQuote('\ud800'), '"\ufffd"');
    assert.equal(goTrimSpace(' \t\u0085x y\u00a0\n'), 'x y');
    assert.equal(goTrimSpace('\ufeffx'), '\ufeffx', 'U+FEFF is not a space for Go');
  });
});

describe('Engine versions', () => {
  test('parse', () => {
    const cases: [string, string | undefined][] = [
      ['17.06.0-ce', '17.06'], ['1.13.1', '1.13.1'], ['20.10.24', '20.10.24'], ['24.0.7', '24.0.7'], ['25.0', '25.0'], ['v24.0.0', '24.0'], ['24', '24.0'],
      ['5:24.0.7-1~debian.12~bookworm', '24.0.7'], ['docker-v29.0.0', '29.0'], ['1.7.1', '1.7.1'], ['18.09.1-ce-tp5', '18.09.1'],
      ['', undefined], ['latest', undefined], ['24.x', undefined], ['1.2.3.4.5', undefined],
    ];
    for (const [text, want] of cases) {
      const v = parseEngineVersion(text);
      assert.equal(v && formatVersion(v), want, text);
    }
    assert.equal(parseEngineVersion(undefined), undefined);
  });

  test('every constant version parses', () => {
    for (const v of [...RULE_BOUNDARIES, ...RELEASE_LINES, ...Object.values(MILESTONES)]) assert.ok(v.major > 0 || v.minor > 0, formatVersion(v));
  });

  test('ranges are named by release lines', () => {
    assert.equal(describeRange({ from: ver('1.13'), until: ver('18.09') }), 'Engine 1.13–18.06');
    assert.equal(describeRange({ until: ver('1.13') }), 'Engine ≤ 1.12');
    assert.equal(describeRange({ from: ver('23.0') }), 'Engine ≥ 23.0');
    assert.equal(describeRange({ from: ver('23.0'), until: ver('24.0') }), 'Engine 23.0');
    assert.equal(describeRange({ from: ver('18.09'), until: ver('23.0') }), 'Engine 18.09–22.06');
    assert.equal(describeRange({ from: ver('1.7.1'), until: ver('1.11') }), 'Engine 1.7.1–1.10');
    assert.equal(describeRange({}), 'every engine');
    assert.equal(describeRanges([{ until: ver('1.13') }, { from: ver('23.0') }]), 'Engine ≤ 1.12, ≥ 23.0');
  });

  test('era segments and grouping', () => {
    const segs = eraSegments({ until: ver('25.0') });
    assert.equal(segs[0]!.range.from, undefined);
    assert.equal(formatVersion(segs[segs.length - 1]!.at), '24.0');
    const groups = groupByEra(segs, (v) => sizeEraOf(v), (x) => x);
    assert.deepEqual(groups.map((g) => [g.value, describeRanges(g.ranges)]), [
      ['int-regexp', 'Engine ≤ 1.12'], ['decimal-regexp', 'Engine 1.13–18.06'], ['binary-i-regexp', 'Engine 18.09–22.06'], ['hand-written', 'Engine 23.0–24.0'],
    ]);
    const within = eraSegments({ from: ver('17.06'), until: ver('25.0') });
    assert.equal(formatVersion(within[0]!.at), '17.06');
  });
});
