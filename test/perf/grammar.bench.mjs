#!/usr/bin/env node
// Grammar tokenization budget (issue 9), measured as a ratio in one process so a noisy machine
// cancels out:
//
//   ratio  lines/ms of our grammar (syntaxes/dmsetup.tmLanguage.json, source.dmsetup) on a
//          generated transcript ÷ lines/ms of VS Code's own JSON grammar (the JSON.tmLanguage.json
//          that ships with code-server, source.json) on pretty-printed JSON of the same size in bytes.
//          Also reported: the same ratio per byte (bytesRatio = JSON ms ÷ transcript ms, since the
//          two texts have equal byte counts) and per token.
//
// Both grammars run on the engine in node_modules (vscode-textmate + vscode-oniguruma, as
// test/grammar uses them), line by line with the rule stack carried from line to line and
// tokenizeLine2 (binary tokens), as VS Code's editor tokenizes. The two passes are interleaved
// (alternating which goes first), each timed as the best of N runs after a warm-up pass.
//
// Texts: generateTranscript(20 000) from transcript.bench.mjs (≈1.6 MB; --quick: 5 000 lines and
// fewer runs) and an array of `docker inspect`-like container objects, JSON.stringify(…, null, 4)
// (docker's own indentation), cut to the transcript's byte length.
//
// Run: node --import tsx test/perf/grammar.bench.mjs [--quick] [--json]
// (tsx is needed because transcript.bench.mjs imports the TypeScript core.)
// Exit code 1 when the ratio misses its budget; `{ missing }` (exit 0, nothing measured) when
// the JSON grammar is not installed: run `npm run setup:vscode`.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { prng } from './shared.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const require = createRequire(path.join(root, 'package.json'));

/** Budget for `ratio` (lines/ms, ours ÷ JSON): see BUDGET_NOTE. */
// Transcript lines are ~2.5× longer than pretty-printed JSON lines (≈ 89 vs 35 bytes), so 0.25 per
// line is ≈ 0.64 per byte: our grammar may cost a little more per byte than the JSON grammar VS Code
// ships (it colours every number and keyword of a status line), not several times more.
export const GRAMMAR_BUDGET = 0.25;
const BUDGET_NOTE = 'per line, on equal bytes; ≈ 0.64 per byte since transcript lines are ~2.5× longer';

const DMSETUP_GRAMMAR = path.join(root, 'syntaxes/dmsetup.tmLanguage.json');
const VSCODE_EXTENSIONS = path.join(root, '.cache/tools/vscode/node_modules/code-server/lib/vscode/extensions');
export const JSON_GRAMMAR = path.join(VSCODE_EXTENSIONS, 'json/syntaxes/JSON.tmLanguage.json');
/** VS Code's default dark theme (includes Dark+ and Dark (Visual Studio)). */
const THEME = path.join(VSCODE_EXTENSIONS, 'theme-defaults/themes/dark_modern.json');

/** A theme's token colours with its `include` chain resolved (base first), as vscode-textmate's raw theme. */
function loadTheme(file) {
  const settings = [];
  const read = (f) => {
    const j = JSON.parse(fs.readFileSync(f, 'utf8'));
    if (j.include) read(path.resolve(path.dirname(f), j.include));
    if (Array.isArray(j.tokenColors)) settings.push(...j.tokenColors);
    return j.name;
  };
  return { name: read(file), settings };
}

/**
 * Pretty-printed JSON of exactly `bytes` bytes (ASCII): an array of objects shaped like
 * `docker inspect <container>` on a devicemapper host (nested objects and arrays, strings with
 * paths and escapes, numbers, booleans, null), indented by 4 as docker prints it. The end is
 * cut mid-structure; tokenizing line by line does not care.
 */
export function generateJson(bytes, { seed = 17 } = {}) {
  const rnd = prng(seed);
  const int = (n) => Math.floor(rnd() * n);
  const hex = (n) => {
    let s = '';
    while (s.length < n) s += int(0x100000000).toString(16).padStart(8, '0');
    return s.slice(0, n);
  };
  const date = () => `2024-0${1 + int(9)}-1${int(10)}T${10 + int(14)}:${10 + int(50)}:${10 + int(50)}.${int(1e9)}Z`;
  const objects = [];
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    const id = hex(64);
    const devId = 10 + int(5000);
    const o = {
      Id: id,
      Created: date(),
      Path: '/docker-entrypoint.sh',
      Args: ['nginx', '-g', 'daemon off;'],
      State: { Status: int(5) === 0 ? 'exited' : 'running', Running: int(5) !== 0, Paused: false, Restarting: false, OOMKilled: int(30) === 0, Dead: false, Pid: 1000 + int(60000), ExitCode: int(8) === 0 ? 137 : 0, Error: int(20) === 0 ? 'devmapper: Error mounting \'/dev/mapper/docker-253:0-1049112-' + hex(64) + '\': input/output error' : '', StartedAt: date(), FinishedAt: '0001-01-01T00:00:00Z' },
      Image: 'sha256:' + hex(64),
      ResolvConfPath: `/var/lib/docker/containers/${id}/resolv.conf`,
      HostnamePath: `/var/lib/docker/containers/${id}/hostname`,
      LogPath: `/var/lib/docker/containers/${id}/${id}-json.log`,
      Name: `/web_${i}`,
      RestartCount: int(3),
      Driver: 'devicemapper',
      Platform: 'linux',
      MountLabel: '',
      HostConfig: {
        Binds: int(2) === 0 ? null : [`/srv/data/${i}:/data:rw`, '/etc/localtime:/etc/localtime:ro'],
        LogConfig: { Type: 'json-file', Config: { 'max-file': '3', 'max-size': '10m' } },
        NetworkMode: 'default',
        PortBindings: { '80/tcp': [{ HostIp: '', HostPort: String(8000 + i) }] },
        RestartPolicy: { Name: 'unless-stopped', MaximumRetryCount: 0 },
        Memory: int(2) === 0 ? 0 : 536870912,
        NanoCpus: 0,
        CpuShares: 0,
        BlkioWeight: 0,
        ShmSize: 67108864,
        Privileged: false,
        ReadonlyRootfs: false,
        SecurityOpt: null,
        MaskedPaths: ['/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/timer_list', '/sys/firmware'],
      },
      GraphDriver: {
        Data: { DeviceId: String(devId), DeviceName: `docker-253:0-1049112-${hex(64)}`, DeviceSize: '10737418240' },
        Name: 'devicemapper',
      },
      Mounts: [{ Type: 'bind', Source: `/srv/data/${i}`, Destination: '/data', Mode: 'rw', RW: true, Propagation: 'rprivate' }],
      Config: {
        Hostname: id.slice(0, 12),
        Domainname: '',
        User: '',
        AttachStdin: false,
        Tty: false,
        ExposedPorts: { '80/tcp': {} },
        Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `NGINX_VERSION=1.${15 + int(10)}.${int(10)}`, 'NJS_VERSION=0.7.9', 'GREETING="hello \\"world\\""', 'PKG_RELEASE=1~bookworm'],
        Cmd: ['nginx', '-g', 'daemon off;'],
        Image: `nginx:1.${15 + int(10)}`,
        Volumes: null,
        WorkingDir: '',
        Entrypoint: ['/docker-entrypoint.sh'],
        Labels: { maintainer: 'NGINX Docker Maintainers <docker-maint@nginx.com>', 'com.example.tier': ['web', 'api', 'worker'][int(3)] },
        StopSignal: 'SIGQUIT',
      },
      NetworkSettings: {
        Bridge: '',
        SandboxID: hex(64),
        Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: String(8000 + i) }, { HostIp: '::', HostPort: String(8000 + i) }] },
        Gateway: '172.17.0.1',
        IPAddress: `172.17.${int(256)}.${int(256)}`,
        IPPrefixLen: 16,
        MacAddress: `02:42:ac:11:${hex(2)}:${hex(2)}`,
        Networks: { bridge: { IPAMConfig: null, Links: null, Aliases: null, NetworkID: hex(64), EndpointID: hex(64), Gateway: '172.17.0.1', IPAddress: '172.17.0.2', IPPrefixLen: 16, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, DriverOpts: null } },
      },
      SizeRw: int(1e9),
      SizeRootFs: 1.5e8 + int(1e9),
      CpuPercent: Math.round(rnd() * 10000) / 100,
    };
    objects.push(o);
    size += JSON.stringify(o, null, 4).length + 2; // less than its share once nested (4 more spaces a line)
  }
  return JSON.stringify(objects, null, 4).slice(0, bytes);
}

let enginePromise;
/** vscode-textmate + vscode-oniguruma from node_modules, as test/grammar/perf.mjs loads them. */
function engine() {
  enginePromise ??= (async () => {
    const tm = require('vscode-textmate');
    const onig = require('vscode-oniguruma');
    await onig.loadWASM(fs.readFileSync(require.resolve('vscode-oniguruma').replace(/main\.js$/, 'onig.wasm')).buffer);
    const files = { 'source.dmsetup': DMSETUP_GRAMMAR, 'source.json': JSON_GRAMMAR };
    const registry = new tm.Registry({
      onigLib: Promise.resolve({ createOnigScanner: (p) => new onig.OnigScanner(p), createOnigString: (s) => new onig.OnigString(s) }),
      // source.dmsetup includes no other grammar, and the only grammar this package injects
      // (dmlens.log.injection) targets text.log, so nothing else is needed for either scope.
      loadGrammar: async (scope) => (files[scope] ? tm.parseRawGrammar(fs.readFileSync(files[scope], 'utf8'), files[scope]) : null),
    });
    // With no theme every scope gets the same metadata and tokenizeLine2 merges a line into one
    // token; VS Code always has a theme, so the bench uses its default one when it is there.
    const theme = fs.existsSync(THEME) ? loadTheme(THEME) : null;
    if (theme) registry.setTheme(theme);
    return { tm, theme: theme?.name ?? null, dmsetup: await registry.loadGrammar('source.dmsetup'), json: await registry.loadGrammar('source.json') };
  })();
  return enginePromise;
}

/** One pass as VS Code's editor does it: tokenizeLine2, the rule stack carried from line to line. */
function tokenizeAll(tm, grammar, lines) {
  let state = tm.INITIAL;
  let tokens = 0;
  for (const line of lines) {
    const r = grammar.tokenizeLine2(line, state);
    state = r.ruleStack;
    tokens += r.tokens.length >> 1;
  }
  return tokens;
}

const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * @param {{ quick?: boolean, lines?: number, runs?: number }} [options]
 * @returns {Promise<object>} the figures, or `{ missing: reason }` when the JSON grammar is absent.
 */
export async function runGrammarBench({ quick = false, lines: n = quick ? 5_000 : 20_000, runs = quick ? 3 : 7 } = {}) {
  if (!fs.existsSync(JSON_GRAMMAR)) return { missing: 'run npm run setup:vscode' };
  let generateTranscript;
  try {
    ({ generateTranscript } = await import('./transcript.bench.mjs'));
  } catch (e) {
    return { missing: `transcript generator not loadable (run under node --import tsx): ${e?.message ?? e}` };
  }
  const { tm, theme, dmsetup, json } = await engine();

  const transcript = generateTranscript(n);
  const bytes = Buffer.byteLength(transcript, 'utf8');
  const jsonText = generateJson(bytes);
  const tLines = transcript.split('\n');
  const jLines = jsonText.split('\n');

  // Warm-up: compiles every rule's scanner and lets V8 optimise both paths.
  const tTokens = tokenizeAll(tm, dmsetup, tLines);
  const jTokens = tokenizeAll(tm, json, jLines);

  let tMs = Infinity;
  let jMs = Infinity;
  for (let r = 0; r < runs; r++) {
    const order = r % 2 === 0 ? ['t', 'j'] : ['j', 't'];
    for (const which of order) {
      const t0 = performance.now();
      if (which === 't') tokenizeAll(tm, dmsetup, tLines);
      else tokenizeAll(tm, json, jLines);
      const ms = performance.now() - t0;
      if (which === 't') tMs = Math.min(tMs, ms);
      else jMs = Math.min(jMs, ms);
    }
  }
  const transcriptLinesPerMs = tLines.length / tMs;
  const jsonLinesPerMs = jLines.length / jMs;
  const ratio = transcriptLinesPerMs / jsonLinesPerMs;
  return {
    transcriptLines: tLines.length,
    transcriptMs: round(tMs),
    transcriptLinesPerMs: round(transcriptLinesPerMs),
    transcriptTokens: tTokens,
    jsonLines: jLines.length,
    jsonMs: round(jMs),
    jsonLinesPerMs: round(jsonLinesPerMs),
    jsonTokens: jTokens,
    bytes,
    ratio: round(ratio, 3),
    bytesRatio: round(jMs / tMs, 3),
    tokensRatio: round(tTokens / tMs / (jTokens / jMs), 3),
    runs,
    theme,
    engine: `vscode-textmate ${require('vscode-textmate/package.json').version}, vscode-oniguruma ${require('vscode-oniguruma/package.json').version}`,
    budget: { ratio: GRAMMAR_BUDGET },
    ok: ratio >= GRAMMAR_BUDGET,
  };
}

async function main() {
  const args = process.argv.slice(2);
  const r = await runGrammarBench({ quick: args.includes('--quick') });
  if (args.includes('--json')) console.log(JSON.stringify(r));
  else if (r.missing) console.log(`grammar bench skipped: ${r.missing}`);
  else {
    console.log(`${r.bytes} bytes each; ${r.engine}; theme ${r.theme ?? 'none'}; best of ${r.runs}, interleaved`);
    console.log(`source.dmsetup on the transcript: ${r.transcriptLines} lines in ${r.transcriptMs} ms = ${r.transcriptLinesPerMs} lines/ms (${r.transcriptTokens} tokens)`);
    console.log(`source.json on JSON:              ${r.jsonLines} lines in ${r.jsonMs} ms = ${r.jsonLinesPerMs} lines/ms (${r.jsonTokens} tokens)`);
    console.log(`lines/ms ratio: ${r.ratio} (budget ≥ ${GRAMMAR_BUDGET}: ${BUDGET_NOTE}); bytes/ms ratio ${r.bytesRatio}; tokens/ms ratio ${r.tokensRatio}`);
  }
  process.exitCode = r.missing || r.ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
