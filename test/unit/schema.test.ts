/**
 * schemas/daemon.schema.json: the JSON Schema (draft-07) for Docker's daemon.json that
 * VS Code's built-in JSON support uses for structure help. It must stay permissive
 * (the language server does the engine-aware checks), so these tests check its shape,
 * its descriptions, and that real configurations pass a small hand-written type check.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Schema {
  type?: string | string[];
  enum?: Json[];
  anyOf?: Schema[];
  pattern?: string;
  maxLength?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  description?: string;
  markdownDescription?: string;
  deprecationMessage?: string;
  examples?: Json[];
  defaultSnippets?: { label?: string; body?: Json }[];
  [k: string]: unknown;
}

const SCHEMA_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'daemon.schema.json');
const raw = readFileSync(SCHEMA_PATH, 'utf8');
const schema = JSON.parse(raw) as Schema & { $schema: string };
const props = schema.properties!;

/** JSON Schema type name of a value ("integer" also counts as "number"). */
function jsonTypes(v: Json): string[] {
  if (v === null) return ['null'];
  if (Array.isArray(v)) return ['array'];
  if (typeof v === 'number') return Number.isInteger(v) ? ['integer', 'number'] : ['number'];
  return [typeof v];
}

/** Types a schema admits: its `type`, else the union over `anyOf`, else the types of its `enum`; undefined = any. */
function allowedTypes(s: Schema): string[] | undefined {
  if (s.type !== undefined) return Array.isArray(s.type) ? s.type : [s.type];
  if (s.anyOf) {
    const parts = s.anyOf.map(allowedTypes);
    return parts.some((p) => p === undefined) ? undefined : [...new Set(parts.flat() as string[])];
  }
  if (s.enum) return [...new Set(s.enum.flatMap(jsonTypes))];
  return undefined;
}

/** The small hand-written check: each top-level key's JSON type against the schema's type, one level into arrays and maps. */
function typeErrors(config: Record<string, Json>): string[] {
  const errors: string[] = [];
  const check = (path: string, v: Json, s: Schema | undefined): boolean => {
    const allowed = s && allowedTypes(s);
    if (allowed && !jsonTypes(v).some((t) => allowed.includes(t))) {
      errors.push(`${path}: ${jsonTypes(v)[0]} is not ${allowed.join('|')}`);
      return false;
    }
    return true;
  };
  for (const [key, value] of Object.entries(config)) {
    const s = props[key];
    if (!s || !check(key, value, s)) continue; // unknown keys are allowed (additionalProperties: true)
    if (Array.isArray(value) && s.items) {
      value.forEach((item, i) => {
        if (check(`${key}[${i}]`, item, s.items) && typeof item === 'string' && s.items!.pattern !== undefined && !new RegExp(s.items!.pattern).test(item)) {
          errors.push(`${key}[${i}]: does not match ${s.items!.pattern}`);
        }
      });
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) {
        const sub = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
        check(`${key}.${k}`, v, sub);
      }
    }
  }
  return errors;
}

/** Every `properties` map anywhere in the schema, with its path. */
function* propertyMaps(s: Schema, path: string): Generator<[string, Record<string, Schema>]> {
  if (s.properties) yield [path, s.properties];
  for (const [k, v] of Object.entries(s)) {
    if (k === 'examples' || k === 'defaultSnippets' || k === 'default' || k === 'enum') continue; // data, not schema
    if (k === 'properties') {
      for (const [name, sub] of Object.entries(v as Record<string, Schema>)) yield* propertyMaps(sub, `${path}.${name}`);
    } else if (Array.isArray(v)) {
      for (const [i, sub] of v.entries()) if (sub && typeof sub === 'object') yield* propertyMaps(sub as Schema, `${path}.${k}[${i}]`);
    } else if (v && typeof v === 'object') {
      yield* propertyMaps(v as Schema, `${path}.${k}`);
    }
  }
}

const EXAMPLE_DEVICEMAPPER = {
  'storage-driver': 'devicemapper',
  'storage-opts': ['dm.thinpooldev=/dev/mapper/docker-thinpool', 'dm.use_deferred_removal=true', 'dm.use_deferred_deletion=true'],
};
const EXAMPLE_OVERLAY2 = {
  'data-root': '/srv/docker',
  'log-driver': 'json-file',
  'log-opts': { 'max-size': '10m', 'max-file': '3' },
  'live-restore': true,
  'storage-driver': 'overlay2',
};

describe('daemon.json schema', () => {
  test('is valid JSON and draft-07 shaped', () => {
    assert.doesNotThrow(() => JSON.parse(raw));
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.equal(schema.type, 'object');
    assert.equal(schema.additionalProperties, true, 'unknown keys are reported by the language server, not the schema');
    assert.ok(Object.keys(props).length >= 80, `only ${Object.keys(props).length} keys`);
    // No keywords from later drafts, and every `type` is a draft-07 type name.
    const later = new Set(['$defs', 'deprecated', 'dependentRequired', 'dependentSchemas', 'unevaluatedProperties', 'unevaluatedItems', 'prefixItems', '$anchor', '$dynamicRef']);
    const types = new Set(['null', 'boolean', 'object', 'array', 'number', 'integer', 'string']);
    const walk = (v: unknown, path: string): void => {
      if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`));
      if (!v || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v)) {
        if (k === 'examples' || k === 'defaultSnippets' || k === 'default' || k === 'enum') continue;
        assert.ok(!later.has(k), `${path}.${k} is not draft-07`);
        if (k === 'type') for (const t of [x].flat()) assert.ok(types.has(t as string), `${path}.type ${String(t)}`);
        if (k === 'pattern') assert.doesNotThrow(() => new RegExp(x as string), `${path}.pattern`);
        walk(x, `${path}.${k}`);
      }
    };
    walk(schema, '#');
  });

  test('every property, at every depth, has a description', () => {
    let n = 0;
    for (const [path, map] of propertyMaps(schema, '#')) {
      for (const [name, s] of Object.entries(map)) {
        n++;
        assert.ok(typeof s.description === 'string' && s.description.length > 10, `${path}.${name} has no description`);
        assert.ok(typeof s.markdownDescription === 'string' && s.markdownDescription.length > 10, `${path}.${name} has no markdownDescription`);
        assert.ok(allowedTypes(s) !== undefined || s.type === undefined, `${path}.${name}`);
      }
    }
    assert.ok(n > Object.keys(props).length, 'nested properties are described too');
    for (const [name, s] of Object.entries(props)) assert.ok(allowedTypes(s), `${name} has a type`);
  });

  test('the two example configurations pass the type check', () => {
    assert.deepEqual(typeErrors(EXAMPLE_DEVICEMAPPER), []);
    assert.deepEqual(typeErrors(EXAMPLE_OVERLAY2), []);
  });

  test('the type check itself catches wrong JSON types', () => {
    assert.deepEqual(typeErrors({ 'storage-opts': 'dm.basesize=20G' }), ['storage-opts: string is not array']);
    assert.deepEqual(typeErrors({ 'log-opts': { 'max-file': 3 } }), ['log-opts.max-file: integer is not string']);
    assert.deepEqual(typeErrors({ 'live-restore': 'true', mtu: 1500, 'no-such-key': 1 }), ['live-restore: string is not boolean']);
  });

  test('storage keys: drivers, devicemapper timeline, dm.* help, graph deprecation', () => {
    const driver = props['storage-driver']!;
    const known = driver.anyOf!.find((b) => b.enum)!.enum;
    assert.deepEqual([...known!].sort(), ['aufs', 'btrfs', 'devicemapper', 'fuse-overlayfs', 'overlay', 'overlay2', 'vfs', 'windowsfilter', 'zfs']);
    assert.ok(driver.anyOf!.some((b) => b.type === 'string' && !b.enum && !b.pattern), 'any other driver name stays allowed');
    for (const v of ['18.09', '23.0', '25.0']) assert.match(driver.description!, new RegExp(v.replace('.', '\\.')));

    const opts = props['storage-opts']!;
    assert.equal(opts.type, 'array');
    assert.equal(opts.items!.type, 'string');
    const pattern = new RegExp(opts.items!.pattern!);
    for (const s of ['dm.basesize=20G', 'anything at all', '', 'a\nb']) assert.ok(pattern.test(s), `pattern rejects ${JSON.stringify(s)}`);
    const offered = [...(opts.items!.examples as string[]), ...opts.items!.defaultSnippets!.map((s) => JSON.stringify(s.body))].join(' ');
    for (const k of ['dm.thinpooldev', 'dm.use_deferred_removal', 'dm.use_deferred_deletion', 'dm.basesize', 'dm.fs', 'dm.min_free_space', 'dm.directlvm_device', 'dm.thinp_percent', 'dm.thinp_metapercent', 'dm.thinp_autoextend_threshold', 'dm.thinp_autoextend_percent', 'overlay2.size']) {
      assert.ok(offered.includes(`${k}=`), `${k} is offered`);
    }

    assert.match(props.graph!.deprecationMessage!, /data-root/);
    assert.equal(props['data-root']!.type, 'string');
  });

  test('fixed values are enums that still accept everything dockerd accepts', () => {
    const accepts = (key: string, v: string) => props[key]!.anyOf!.some((b) => (b.enum ? b.enum.includes(v) : b.pattern !== undefined ? new RegExp(b.pattern).test(v) : b.maxLength === 0 ? v === '' : b.type === 'string'));
    const enumOf = (key: string) => props[key]!.anyOf!.find((b) => b.enum)!.enum;
    assert.deepEqual(enumOf('log-level'), ['debug', 'info', 'warn', 'error', 'fatal', 'panic', 'trace']);
    for (const v of ['debug', 'DEBUG', 'Warning', 'warn', '']) assert.ok(accepts('log-level', v), `log-level ${v}`);
    assert.ok(!accepts('log-level', 'verbose'));
    assert.deepEqual(enumOf('default-cgroupns-mode'), ['private', 'host']);
    assert.deepEqual(enumOf('default-ipc-mode'), ['private', 'shareable']);
    assert.deepEqual(enumOf('log-format'), ['text', 'json']);
    for (const [k, v] of [['default-cgroupns-mode', ''], ['default-ipc-mode', ''], ['log-driver', 'my-plugin:latest']] as const) assert.ok(accepts(k, v), `${k} ${v}`);
    assert.ok(!accepts('default-ipc-mode', 'host'), 'dockerd rejects host as default IPC mode');
    assert.equal(props['exec-opts']!.type, 'array');
    assert.equal(props['exec-opts']!.items!.type, 'string');
  });
});
