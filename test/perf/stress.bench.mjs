#!/usr/bin/env node
// The language server under stress (issue 9): it keeps answering, and its memory stays bounded.
// Everything goes through the REAL built server (server/out/server.js) over stdio, with the
// protocol tests' client (test/protocol/lspClient.ts: vscode-jsonrpc, the bytes VS Code sends).
// test/protocol/stress.test.ts runs the same scenarios, shorter, and asserts on what they return.
//
//   rapid edits   a transcript of 20 000 lines (generateTranscript of transcript.bench.mjs) is
//                 opened, then 3 000 incremental didChange notifications (300 with --quick) are
//                 sent without waiting, as fast typing sends them: digits typed and deleted inside
//                 numbers, whole lines inserted (copies of other lines, prompts that change how a
//                 block reads) and deleted, lines split and joined, edits at the very end of the
//                 document, several changes in one notification. A hover and a documentSymbol
//                 request follow at once. Then the diagnostics of the last version are compared
//                 with those of a fresh didOpen of the same final text in a second URI, and so are
//                 document symbols, folding ranges, inlay hints and hovers: the incremental model
//                 must end where a full parse starts.
//   50 MB         a transcript of ≥ 50 MiB (about 580 000 lines) is opened, diagnosed, hovered on
//                 its last line and closed, 8 times (3 with --quick). The server's resident memory
//                 (VmRSS of /proc/<pid>/status) is read while it is open and after each close;
//                 growth = RSS after the last close − RSS after the first. Published diagnostics
//                 are capped (1 000 + one 'too-many-findings' note): 800 000 findings used to be
//                 sent, 36 s and 2 GB.
//   malformed     an unknown method, a document never opened, positions out of range, params of
//                 the wrong type or null, an edit past the end of a document, and raw bytes on the
//                 wire (a frame of invalid JSON, JSON that is no message, invalid UTF-8, an unknown
//                 header): each is answered as expected (or, for what is no request, ignored), and
//                 a normal hover answers after each.
//   cancellation  documentSymbol and inlayHint requests on a 100 000-line transcript, cancelled
//                 ($/cancelRequest) right after sending or after a few milliseconds: each resolves
//                 or is rejected with RequestCancelled (-32800), and a normal request answers after.
//
// Figures are plain numbers and booleans; `ok` is false when the server stopped answering, an
// incremental result differed from a fresh one, a probe got an unexpected answer, or RSS grew by
// more than RSS_GROWTH_BUDGET_MIB over the cycles or passed RSS_CAP_MIB.
//
// Run: node --import tsx test/perf/stress.bench.mjs [--quick] [--json]
// Exit code 1 when not ok.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { generateTranscript } from './transcript.bench.mjs';
import { ensureServer, prng } from './shared.mjs';

// Loaded through require: as an ES module, tsx gives lspClient.ts a __dirname that is not its folder.
const require = createRequire(import.meta.url);
const { LspClient } = require('../protocol/lspClient.ts');
const { TextDocument } = require('vscode-languageserver-textdocument');
const { CancellationTokenSource, Trace, TraceFormat } = require('vscode-jsonrpc/node');

/**
 * RSS after the last close may exceed RSS after the first close by at most this many MiB: less
 * than the 50 MiB text one closed document would keep alive, with room for the garbage collector's
 * timing (measured: within ±25 MiB over 8 cycles; before the fix +60 to +220 MiB per cycle).
 */
export const RSS_GROWTH_BUDGET_MIB = 64;
/** The server's RSS must stay below this at every reading (about twice what a 50 MiB document takes). */
export const RSS_CAP_MIB = 1600;
export const FIFTY_MIB = 50 * 1024 * 1024;
/** What the server publishes at most per document (server/src/lsp/handlers/diagnostics.ts). */
export const MAX_PUBLISHED_DIAGNOSTICS = 1000;

const round = (x, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Resident memory of a process in MiB (Linux: VmRSS of /proc/<pid>/status); NaN elsewhere. */
export function rssMiB(pid) {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** A thin-pool status line: 26 115 of 1 638 400 data blocks used (1.6 %), queue_if_no_space. */
export const TAIL_STATUS = 'docker-253:0-tail-pool: 0 209715200 thin-pool 7 633/524288 26115/1638400 - rw discard_passdown queue_if_no_space - 1024 ';

/**
 * A transcript of at least `minBytes` (ASCII, so bytes = characters): generated lines cut at the
 * first line break past `minBytes`, then a `# dmsetup status` block with TAIL_STATUS as the last
 * line. `hover` is a position in that line's used-data field.
 */
export function bigTranscript(minBytes = FIFTY_MIB) {
  let text = generateTranscript(Math.ceil(minBytes / 80));
  while (text.length < minBytes) text += '\n' + text;
  const cut = text.indexOf('\n', minBytes);
  if (cut >= 0) text = text.slice(0, cut);
  text += `\n\n# dmsetup status\n${TAIL_STATUS}`;
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return { text, bytes: text.length, lines, hover: { line: lines - 1, character: TAIL_STATUS.indexOf('26115') + 2 } };
}

const STATUS = / thin-pool \d+ \d+\/\d+ (\d+)\/\d+ /d;
const NUMBER = /\d+/g;

/**
 * `count` didChange notifications (versions 2, 3, …) that type into `text` as an editor would
 * send them, and the text they leave. Positions are computed on a TextDocument (VS Code's own
 * model, vscode-languageserver-textdocument) updated with every change, so each change is valid
 * for the text it applies to. `kinds` counts notifications per kind of edit.
 */
export function typingSession(text, count, seed = 9) {
  const rnd = prng(seed);
  const int = (n) => Math.floor(rnd() * n);
  const model = TextDocument.create('file:///model.dmsetup', 'dmsetup', 1, text);
  const notifications = [];
  const kinds = {};
  const lineText = (m, line) => m.getText({ start: { line, character: 0 }, end: { line, character: Number.MAX_SAFE_INTEGER } });
  const pos = (line, character) => ({ line, character });
  const change = (sl, sc, el, ec, t) => ({ range: { start: pos(sl, sc), end: pos(el, ec) }, text: t });
  const send = (kind, contentChanges) => {
    TextDocument.update(model, contentChanges, model.version + 1); // in place: `model` is the text after it
    notifications.push({ version: model.version, contentChanges });
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  };
  /** A line holding a number, and that number's span (tries a few random lines). */
  const numberAt = (m) => {
    for (let k = 0; k < 20; k++) {
      const line = int(m.lineCount);
      const t = lineText(m, line);
      const s = STATUS.exec(t);
      if (s) return { line, start: s.indices[1][0], end: s.indices[1][1] };
      const nums = [...t.matchAll(NUMBER)];
      if (nums.length > 0) {
        const n = nums[int(nums.length)];
        return { line, start: n.index, end: n.index + n[0].length };
      }
    }
    return { line: 0, start: 0, end: 0 };
  };
  const someLine = (m) => lineText(m, int(m.lineCount));
  while (notifications.length < count) {
    const n = model.lineCount;
    const r = rnd();
    if (r < 0.4) {
      // Typing inside a number, one keystroke per notification: overwrite, insert, backspace.
      const at = numberAt(model);
      let ch = at.start + int(at.end - at.start + 1);
      for (let k = 3 + int(6); k > 0 && notifications.length < count; k--) {
        const len = lineText(model, at.line).length;
        ch = Math.min(ch, len);
        const what = rnd();
        if (what < 0.4 && ch < len) {
          send('type', [change(at.line, ch, at.line, ch + 1, String(int(10)))]);
        } else if (what < 0.75) {
          send('type', [change(at.line, ch, at.line, ch, String(int(10)))]);
          ch++;
        } else if (ch > 0) {
          send('backspace', [change(at.line, ch - 1, at.line, ch, '')]);
          ch--;
        }
      }
    } else if (r < 0.55) {
      // A whole line inserted: a copy of another line (a second pool of the same name, or a status
      // line under a table prompt), a prompt that changes how the lines below it read, a blank.
      const line = int(n);
      const what = rnd();
      const inserted = what < 0.6 ? someLine(model) : what < 0.85 ? ['# dmsetup table', '# dmsetup status', '$ sudo dmsetup ls'][int(3)] : '';
      send('insert-line', [change(line, 0, line, 0, `${inserted}\n`)]);
    } else if (r < 0.67) {
      if (n < 3) continue;
      const line = int(n - 1);
      send('delete-line', [change(line, 0, line + 1, 0, '')]);
    } else if (r < 0.82) {
      // At the very end: lines appended, typed, deleted.
      const last = n - 1;
      const len = lineText(model, last).length;
      const what = rnd();
      if (what < 0.4) send('end', [change(last, len, last, len, `\n${rnd() < 0.5 ? someLine(model) : TAIL_STATUS}`)]);
      else if (what < 0.7) send('end', [change(last, len, last, len, String(int(10)))]);
      else if (last > 0) send('end', [change(last - 1, lineText(model, last - 1).length, last, len, '')]);
    } else if (r < 0.92) {
      const line = int(n);
      const len = lineText(model, line).length;
      if (rnd() < 0.5 || line === n - 1) {
        const at = int(len + 1);
        send('split-line', [change(line, at, line, at, '\n')]);
      } else {
        send('join-lines', [change(line, len, line + 1, 0, '')]);
      }
    } else {
      // Several changes in one notification, each relative to the text the previous one left.
      const first = numberAt(model);
      const c1 = change(first.line, first.start, first.line, first.end, String(int(2_000_000)));
      // TextDocument.update changes the document it is given: c2 is computed on a copy.
      const after = TextDocument.update(TextDocument.create('file:///copy.dmsetup', 'dmsetup', 0, model.getText()), [c1], 1);
      const line = int(after.lineCount);
      const c2 = change(line, 0, line, 0, `${someLine(after)}\n`);
      send('multi', [c1, c2]);
    }
  }
  return { notifications, finalText: model.getText(), finalVersion: model.version, kinds };
}

/** What a diagnostic says, without the URI it was published for. */
const normalise = (d) => ({ range: d.range, severity: d.severity, code: d.code, message: d.message, related: (d.relatedInformation ?? []).map((r) => ({ range: r.location.range, message: r.message })) });

async function openAndWait(client, uri, text, version = 1, timeoutMs = 120_000) {
  client.forgetDiagnostics(uri);
  await client.open(uri, text, 'dmsetup', version);
  return client.diagnosticsFor(uri, version, timeoutMs);
}

async function close(client, uri) {
  client.forgetDiagnostics(uri);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  // didClose publishes an empty list: once it is here, the server has handled the close.
  return client.diagnosticsFor(uri, undefined, 60_000);
}

const hover = (client, uri, position) => client.request('textDocument/hover', { textDocument: { uri }, position });

/** What the server says about a document: the state the incremental and the fresh model must share. */
async function views(client, uri, lineCount, probes) {
  const tail = Math.max(0, lineCount - 300);
  return {
    symbols: await client.request('textDocument/documentSymbol', { textDocument: { uri } }),
    folding: await client.request('textDocument/foldingRange', { textDocument: { uri } }),
    inlayHead: await client.request('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 300, character: 0 } } }),
    inlayTail: await client.request('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: tail, character: 0 }, end: { line: lineCount, character: 0 } } }),
    hovers: await Promise.all(probes.map((p) => hover(client, uri, p))),
  };
}

/**
 * Rapid edits: `edits` didChange notifications sent back to back into a `lines`-line transcript,
 * a hover and a documentSymbol request right behind them, then the edited document compared with
 * a fresh didOpen of its final text. Resolves to what both said (the test asserts on it).
 */
export async function runRapidEdits(client, { lines = 20_000, edits = 300, seed = 9 } = {}) {
  const text = generateTranscript(lines);
  const edited = 'file:///stress/edited.dmsetup';
  const fresh = 'file:///stress/fresh.dmsetup';
  await openAndWait(client, edited, text);
  const session = typingSession(text, edits, seed);
  const finalLines = session.finalText.split('\n');
  // A hover at the used-data field of the last status line under a `dmsetup status` prompt (one
  // under a table prompt is an invalid table line, with nothing to hover), and at a few more places.
  let statusLine = -1;
  let prompt = '';
  finalLines.forEach((l, i) => {
    if (/^[#$] /.test(l)) prompt = l;
    else if (prompt === '# dmsetup status' && STATUS.test(l)) statusLine = i;
  });
  const field = statusLine >= 0 ? STATUS.exec(finalLines[statusLine]).indices[1][0] + 1 : 0;
  const rnd = prng(seed + 1);
  const probes = [{ line: statusLine, character: field }];
  for (let k = 0; k < 20; k++) {
    const line = Math.floor(rnd() * finalLines.length);
    probes.push({ line, character: Math.floor(rnd() * (finalLines[line].length + 1)) });
  }

  const t0 = performance.now();
  // Sent without waiting: one write each, in order, as fast as the pipe takes them.
  const sent = session.notifications.map((c) => client.change(edited, c.version, c.contentChanges));
  const hoverRightAfter = hover(client, edited, probes[0]);
  const symbolsRightAfter = client.request('textDocument/documentSymbol', { textDocument: { uri: edited } });
  await Promise.all(sent);
  const sendMs = performance.now() - t0;
  const [hoverAfter, symbolsAfter] = await Promise.all([hoverRightAfter, symbolsRightAfter]);
  const answeredMs = performance.now() - t0;
  const editedDiagnostics = await client.diagnosticsFor(edited, session.finalVersion, 120_000);
  const diagnosticsMs = performance.now() - t0;
  const editedViews = await views(client, edited, finalLines.length, probes);

  const freshDiagnostics = await openAndWait(client, fresh, session.finalText);
  const freshViews = await views(client, fresh, finalLines.length, probes);
  await close(client, edited);
  await close(client, fresh);
  return {
    editsSent: session.notifications.length,
    finalVersion: session.finalVersion,
    kinds: session.kinds,
    linesBefore: lines,
    linesAfter: finalLines.length,
    hoverAfter,
    symbolsAfter,
    sendMs,
    answeredMs,
    diagnosticsMs,
    edited: { diagnostics: editedDiagnostics.map(normalise), ...editedViews },
    fresh: { diagnostics: freshDiagnostics.map(normalise), ...freshViews },
  };
}

/**
 * A ≥ 50 MiB transcript opened, diagnosed, hovered on its last line and closed `cycles` times, in a
 * server of its own (so its memory is this document's alone). RSS in MiB, read while the document
 * is open and after each close; the first cycle's diagnostics are returned for the test.
 */
export async function runFiftyMb({ cycles = 3, minBytes = FIFTY_MIB } = {}) {
  const big = bigTranscript(minBytes);
  const uri = 'file:///stress/fifty.dmsetup';
  const client = new LspClient();
  const out = { bytes: big.bytes, lines: big.lines, cycles: [], firstDiagnostics: [], exitCode: undefined, rssStartMiB: NaN };
  try {
    await client.initialize();
    out.rssStartMiB = rssMiB(client.pid);
    for (let k = 0; k < cycles; k++) {
      const t0 = performance.now();
      const diagnostics = await openAndWait(client, uri, big.text, k + 1, 300_000);
      const openToDiagnosticsMs = performance.now() - t0;
      const h = await hover(client, uri, big.hover);
      const rssOpenMiB = rssMiB(client.pid);
      const cleared = await close(client, uri);
      out.cycles.push({ openToDiagnosticsMs, diagnostics: diagnostics.length, hover: h?.contents?.value ?? null, rssOpenMiB, rssClosedMiB: rssMiB(client.pid), clearedOnClose: cleared.length === 0 });
      if (k === 0) out.firstDiagnostics = diagnostics;
    }
    // The server answers after all that.
    out.answeredAfter = (await client.request('textDocument/hover', { textDocument: { uri: 'file:///stress/never-opened' }, position: { line: 0, character: 0 } })) === null;
  } finally {
    try {
      out.exitCode = await Promise.race([client.shutdown(), new Promise((_, rej) => setTimeout(() => rej(new Error('shutdown timed out')), 20_000).unref())]);
    } catch {
      client.kill();
    }
  }
  const first = out.cycles[0]?.rssClosedMiB ?? NaN;
  const last = out.cycles[out.cycles.length - 1]?.rssClosedMiB ?? NaN;
  return { ...out, rssAfterFirstMiB: first, rssAfterCyclesMiB: last, rssMaxMiB: Math.max(...out.cycles.map((c) => c.rssOpenMiB), ...out.cycles.map((c) => c.rssClosedMiB)), rssGrowthRatio: last / first };
}

const frame = (body) => {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([Buffer.from(`Content-Length: ${b.length}\r\n\r\n`, 'ascii'), b]);
};
const isNullish = (o) => 'result' in o && (o.result === null || (Array.isArray(o.result) && o.result.length === 0));
/** null/[] or a JSON-RPC error for bad params: InvalidParams (-32602) or InternalError (-32603). */
const nullOrParamsError = (o) => isNullish(o) || o.error === -32602 || o.error === -32603;

/**
 * Malformed traffic against an open transcript `uri` whose line `good.line` hovers: each probe's
 * outcome ({ result } or { error: code } for requests; { ignored } for what is no request), whether
 * it is what a robust server answers (`accepted`), and whether a normal hover answered after it.
 */
export async function runMalformed(client, uri, good) {
  const probes = [];
  // Responses to raw requests (ids the client never made) are seen only by a JSON tracer.
  const rawResponses = new Map();
  await client.connection.trace(Trace.Verbose, { log: (m) => { if (typeof m === 'object' && m?.type === 'receive-response') rawResponses.set(m.message.id, m.message); } }, { sendNotification: false, traceFormat: TraceFormat.JSON });
  const doc = { textDocument: { uri } };
  const request = async (method, params) => {
    try {
      return { result: await client.request(method, params) };
    } catch (e) {
      return { error: typeof e?.code === 'number' ? e.code : String(e) };
    }
  };
  let rawId = 0;
  const rawRequest = async (method, paramsJson) => {
    const id = `stress-raw-${++rawId}`;
    await client.writeRaw(frame(`{"jsonrpc":"2.0","id":"${id}","method":"${method}","params":${paramsJson}}`));
    const deadline = Date.now() + 10_000;
    while (!rawResponses.has(id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const m = rawResponses.get(id);
    return m === undefined ? { noAnswer: true } : m.error ? { error: m.error.code } : { result: m.result };
  };
  const probe = async (name, run, accept) => {
    let outcome;
    try {
      outcome = await run();
    } catch (e) {
      outcome = { threw: String(e) };
    }
    const after = await request('textDocument/hover', { ...doc, position: good });
    probes.push({ name, outcome, accepted: accept(outcome), hoverAfter: Boolean(after.result) });
  };

  try {
    await probe('unknown method', () => request('dmlens/noSuchMethod', { x: 1 }), (o) => o.error === -32601);
    await probe('unknown method, raw', () => rawRequest('$dmlens/nothing', '{}'), (o) => o.error === -32601);
    await probe('hover on a document never opened', () => request('textDocument/hover', { textDocument: { uri: 'file:///stress/never-opened.dmsetup' }, position: { line: 0, character: 0 } }), isNullish);
    await probe('inlay hints on a document never opened', () => request('textDocument/inlayHint', { textDocument: { uri: 'file:///stress/never-opened.dmsetup' }, range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } } }), isNullish);
    await probe('symbols of a document never opened', () => request('textDocument/documentSymbol', { textDocument: { uri: 'file:///stress/never-opened.dmsetup' } }), isNullish);
    for (const [name, position] of [
      ['hover at line -1', { line: -1, character: 0 }],
      ['hover at line 10^9', { line: 1e9, character: 0 }],
      ['hover at character 10^9', { line: good.line, character: 1e9 }],
      ['hover at character -5', { line: good.line, character: -5 }],
      ['hover at a fractional position', { line: good.line + 0.5, character: 3.25 }],
    ]) await probe(name, () => request('textDocument/hover', { ...doc, position }), isNullish);
    await probe('inlay hints from line -1 to 10^9', () => request('textDocument/inlayHint', { ...doc, range: { start: { line: -1, character: -1 }, end: { line: 1e9, character: 1e9 } } }), (o) => Array.isArray(o.result) && o.result.length > 0);
    await probe('completion at line 10^9', () => request('textDocument/completion', { ...doc, position: { line: 1e9, character: 1e9 } }), (o) => 'result' in o);
    await probe('hover with a string as position', () => request('textDocument/hover', { ...doc, position: 'line 3' }), nullOrParamsError);
    await probe('hover with a number as URI', () => request('textDocument/hover', { textDocument: { uri: 42 }, position: good }), nullOrParamsError);
    await probe('inlay hints with strings as lines', () => request('textDocument/inlayHint', { ...doc, range: { start: { line: 'a', character: 0 }, end: { line: 'b', character: 0 } } }), nullOrParamsError);
    await probe('code actions with null context', () => request('textDocument/codeAction', { ...doc, range: { start: good, end: good }, context: null }), nullOrParamsError);
    for (const method of ['textDocument/hover', 'textDocument/inlayHint', 'textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/codeAction', 'textDocument/completion']) {
      await probe(`${method} with params null`, () => rawRequest(method, 'null'), nullOrParamsError);
      await probe(`${method} with a string as params`, () => rawRequest(method, '"hello"'), nullOrParamsError);
      await probe(`${method} with {} as params`, () => rawRequest(method, '{}'), nullOrParamsError);
    }
    // Notifications get no answer: the server must neither crash nor lose the document.
    await probe('didChange with params null', async () => (await client.connection.sendNotification('textDocument/didChange', null), { ignored: true }), (o) => o.ignored === true);
    await probe('didChange of a document never opened', async () => (await client.change('file:///stress/never-opened.dmsetup', 2, [{ text: 'x' }]), { ignored: true }), (o) => o.ignored === true);
    await probe('didOpen with params null', async () => (await client.connection.sendNotification('textDocument/didOpen', null), { ignored: true }), (o) => o.ignored === true);
    await probe('didClose of a document never opened', async () => (await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: 'file:///stress/never-opened.dmsetup' } }), { ignored: true }), (o) => o.ignored === true);
    // Raw bytes: no answer is expected (there is no id to answer), only that the server goes on.
    for (const [name, bytes] of [
      ['a frame of invalid JSON', frame('{"jsonrpc":"2.0","id":"stress-bad","method":"textDocument/hover","params":{')],
      ['a frame of JSON that is an array', frame('[1,2,3]')],
      ['a frame of JSON that is a number', frame('42')],
      ['a frame of an object that is no message', frame('{"hello":"world"}')],
      ['a frame whose method is a number', frame('{"jsonrpc":"2.0","method":5}')],
      ['a frame of invalid UTF-8', frame(Buffer.from([0xff, 0xfe, 0xfd, 0x80, 0x7b]))],
      ['an unknown header before a frame', Buffer.concat([Buffer.from('X-Stress: yes\r\n', 'ascii'), frame('{"jsonrpc":"2.0","method":"$/stress"}')])],
    ]) await probe(name, async () => (await client.writeRaw(bytes), { ignored: true }), (o) => o.ignored === true);
  } finally {
    await client.connection.trace(Trace.Off, undefined);
  }
  return probes;
}

/**
 * An edit past the end of the document (line 10^9): LSP clients clamp it to the end, as VS Code's
 * TextDocument does, and so must the server. `uri` is opened with `text` at version 1; the edit
 * appends a full pool's status line. Resolves to the published diagnostics and the line where the
 * clamped edit puts that status line.
 */
export async function runEditPastTheEnd(client, uri, text) {
  await openAndWait(client, uri, text);
  const full = 'stress-full-pool: 0 2097152 thin-pool 3 856/8192 16300/16384 - rw discard_passdown error_if_no_space - 1024 ';
  const changes = [{ range: { start: { line: 1e9, character: 0 }, end: { line: 1e9, character: 5 } }, text: `\n# dmsetup status\n${full}` }];
  const model = TextDocument.update(TextDocument.create(uri, 'dmsetup', 1, text), changes, 2);
  await client.change(uri, 2, changes);
  const diagnostics = await client.diagnosticsFor(uri, 2, 60_000);
  const expectedLine = model.getText().split('\n').indexOf(full);
  await close(client, uri);
  return { diagnostics, expectedLine };
}

/**
 * Cancellation on a `lines`-line transcript: `requests` documentSymbol requests cancelled right
 * after sending, then `requests` documentSymbol and inlayHint requests cancelled after 0-30 ms.
 * Each outcome is 'answered' (the full answer), 'empty' (the neutral answer a cancelled handler
 * gives), 'cancelled' (RequestCancelled, -32800) or 'other' (anything else: a failure).
 */
export async function runCancellation(client, { lines = 100_000, requests = 40, seed = 9 } = {}) {
  const uri = 'file:///stress/cancel.dmsetup';
  const text = generateTranscript(lines);
  await openAndWait(client, uri, text);
  const rnd = prng(seed);
  const symbolsParams = { textDocument: { uri } };
  const reference = await client.request('textDocument/documentSymbol', symbolsParams);
  const inlayParams = () => {
    const start = Math.floor(rnd() * (lines - 500));
    return { textDocument: { uri }, range: { start: { line: start, character: 0 }, end: { line: start + 500, character: 0 } } };
  };
  const classify = (p) =>
    p.then(
      (r) => (Array.isArray(r) && r.length === 0 ? { outcome: 'empty' } : Array.isArray(r) ? { outcome: 'answered', size: r.length } : { outcome: 'other', result: r }),
      (e) => (e?.code === -32800 ? { outcome: 'cancelled' } : { outcome: 'other', error: e?.code ?? String(e) }),
    );
  const t0 = performance.now();
  const immediate = [];
  for (let i = 0; i < requests; i++) {
    const source = new CancellationTokenSource();
    immediate.push(classify(client.connection.sendRequest('textDocument/documentSymbol', symbolsParams, source.token)));
    source.cancel();
  }
  const midway = [];
  for (let i = 0; i < requests; i++) {
    const source = new CancellationTokenSource();
    const symbols = i % 2 === 0;
    const p = classify(client.connection.sendRequest(symbols ? 'textDocument/documentSymbol' : 'textDocument/inlayHint', symbols ? symbolsParams : inlayParams(), source.token));
    setTimeout(() => source.cancel(), Math.floor(rnd() * 30));
    midway.push(p.then((o) => ({ method: symbols ? 'documentSymbol' : 'inlayHint', ...o })));
  }
  const result = { immediate: await Promise.all(immediate), midway: await Promise.all(midway) };
  const settledMs = performance.now() - t0;
  const after = await client.request('textDocument/documentSymbol', symbolsParams);
  const inlayAfter = await client.request('textDocument/inlayHint', inlayParams());
  await close(client, uri);
  return { ...result, settledMs, referenceSymbols: reference.length, symbolsAfter: after.length, symbolsAfterEqual: isDeepStrictEqual(after, reference), inlayAfter: Array.isArray(inlayAfter) ? inlayAfter.length : -1 };
}

/**
 * Runs every scenario; resolves to plain figures:
 *   editsSent, answeredAfterEdits (hover and symbols answered right behind the edits),
 *   editsMatchFresh (diagnostics, symbols, folding, inlay hints and hovers equal a fresh open's),
 *   editsSendMs, editsAnsweredMs, lastEditToDiagnosticsMs (from the first edit sent);
 *   fiftyMbBytes, fiftyMbLines, fiftyMbCycles, fiftyMbOpenToDiagnosticsMs (first cycle),
 *   fiftyMbOpenToDiagnosticsMaxMs, fiftyMbDiagnostics, fiftyMbCapped (a 'too-many-findings' note),
 *   rssStartMiB, rssAfterFirstMiB, rssAfterCyclesMiB, rssMaxMiB, rssPerCycleMiB ([open, closed]),
 *   rssGrowthMiB (last close − first close, budgeted), rssGrowthRatio (last ÷ first);
 *   malformedSent, malformedAnswered (answered as expected and a hover after), malformedFailed
 *   (their names); cancelRequests, cancelled (empty or -32800), cancelAnswered, cancelOther;
 *   budgets; ok.
 */
export async function runStressBench({ quick = false } = {}) {
  ensureServer();
  const n = quick ? { edits: 300, cycles: 3, cancel: 20 } : { edits: 3000, cycles: 8, cancel: 60 };
  const client = new LspClient();
  let edits;
  let malformed;
  let cancellation;
  try {
    await client.initialize();
    edits = await runRapidEdits(client, { edits: n.edits });
    const small = 'file:///stress/malformed.dmsetup';
    const smallText = generateTranscript(2_000);
    await openAndWait(client, small, smallText);
    const good = { line: smallText.split('\n').findIndex((l) => STATUS.test(l)), character: 40 };
    malformed = await runMalformed(client, small, good);
    const past = await runEditPastTheEnd(client, 'file:///stress/past-the-end.dmsetup', smallText);
    malformed.push({ name: 'an edit past the end of the document', outcome: { line: past.expectedLine }, accepted: past.diagnostics.some((d) => d.code === 'data-usage-critical' && d.range.start.line === past.expectedLine), hoverAfter: true });
    await close(client, small);
    cancellation = await runCancellation(client, { requests: n.cancel });
  } finally {
    try {
      await Promise.race([client.shutdown(), new Promise((_, rej) => setTimeout(() => rej(new Error('shutdown timed out')), 20_000).unref())]);
    } catch {
      client.kill();
    }
  }
  const fifty = await runFiftyMb({ cycles: n.cycles });

  const cancelOutcomes = [...cancellation.immediate, ...cancellation.midway];
  const count = (o) => cancelOutcomes.filter((x) => x.outcome === o).length;
  const note = fifty.firstDiagnostics.find((d) => d.code === 'too-many-findings');
  const figures = {
    editsSent: edits.editsSent,
    answeredAfterEdits: Boolean(edits.hoverAfter) && Array.isArray(edits.symbolsAfter) && edits.symbolsAfter.length > 0,
    editsMatchFresh: isDeepStrictEqual(edits.edited, edits.fresh),
    editsSendMs: round(edits.sendMs, 0),
    editsAnsweredMs: round(edits.answeredMs, 0),
    lastEditToDiagnosticsMs: round(edits.diagnosticsMs, 0),
    editedDiagnostics: edits.edited.diagnostics.length,
    fiftyMbBytes: fifty.bytes,
    fiftyMbLines: fifty.lines,
    fiftyMbCycles: fifty.cycles.length,
    fiftyMbOpenToDiagnosticsMs: round(fifty.cycles[0]?.openToDiagnosticsMs ?? NaN, 0),
    fiftyMbOpenToDiagnosticsMaxMs: round(Math.max(...fifty.cycles.map((c) => c.openToDiagnosticsMs)), 0),
    fiftyMbDiagnostics: fifty.firstDiagnostics.length,
    fiftyMbCapped: note?.message ?? null,
    fiftyMbHoverAnswered: fifty.cycles.every((c) => c.hover !== null),
    rssStartMiB: round(fifty.rssStartMiB),
    rssAfterFirstMiB: round(fifty.rssAfterFirstMiB),
    rssAfterCyclesMiB: round(fifty.rssAfterCyclesMiB),
    rssMaxMiB: round(fifty.rssMaxMiB),
    rssPerCycleMiB: fifty.cycles.map((c) => [round(c.rssOpenMiB, 0), round(c.rssClosedMiB, 0)]),
    rssGrowthMiB: round(fifty.rssAfterCyclesMiB - fifty.rssAfterFirstMiB),
    rssGrowthRatio: round(fifty.rssGrowthRatio, 3),
    malformedSent: malformed.length,
    malformedAnswered: malformed.filter((p) => p.accepted && p.hoverAfter).length,
    malformedFailed: malformed.filter((p) => !(p.accepted && p.hoverAfter)).map((p) => `${p.name}: ${JSON.stringify(p.outcome)}`),
    cancelRequests: cancelOutcomes.length,
    cancelled: count('empty') + count('cancelled'),
    cancelAnswered: count('answered'),
    cancelOther: count('other'),
    cancelSettledMs: round(cancellation.settledMs, 0),
    budgets: { rssGrowthMiB: RSS_GROWTH_BUDGET_MIB, rssCapMiB: RSS_CAP_MIB },
  };
  // No /proc (not Linux): RSS is NaN and not judged.
  const rssOk = Number.isNaN(figures.rssAfterFirstMiB) || (figures.rssGrowthMiB <= RSS_GROWTH_BUDGET_MIB && figures.rssMaxMiB <= RSS_CAP_MIB);
  figures.ok =
    figures.answeredAfterEdits &&
    figures.editsMatchFresh &&
    fifty.exitCode === 0 &&
    fifty.answeredAfter === true &&
    figures.fiftyMbHoverAnswered &&
    figures.fiftyMbDiagnostics <= MAX_PUBLISHED_DIAGNOSTICS + 1 &&
    rssOk &&
    figures.malformedFailed.length === 0 &&
    figures.cancelOther === 0 &&
    cancellation.symbolsAfterEqual;
  return figures;
}

async function main() {
  const args = process.argv.slice(2);
  const r = await runStressBench({ quick: args.includes('--quick') });
  if (args.includes('--json')) console.log(JSON.stringify(r));
  else {
    console.log(`rapid edits:  ${r.editsSent} didChange sent in ${r.editsSendMs} ms; hover + symbols right behind them answered: ${r.answeredAfterEdits} (${r.editsAnsweredMs} ms); diagnostics of the last version after ${r.lastEditToDiagnosticsMs} ms; equal to a fresh open: ${r.editsMatchFresh}`);
    console.log(`50 MB:        ${(r.fiftyMbBytes / 1048576).toFixed(1)} MiB, ${r.fiftyMbLines} lines; didOpen → diagnostics ${r.fiftyMbOpenToDiagnosticsMs} ms (max ${r.fiftyMbOpenToDiagnosticsMaxMs} ms over ${r.fiftyMbCycles} cycles); ${r.fiftyMbDiagnostics} diagnostics published: ${r.fiftyMbCapped ?? 'not capped'}`);
    console.log(`server RSS:   ${r.rssStartMiB} MiB at start, ${r.rssAfterFirstMiB} MiB after the first close, ${r.rssAfterCyclesMiB} MiB after ${r.fiftyMbCycles} (growth ${r.rssGrowthMiB} MiB, ×${r.rssGrowthRatio}; budget ≤ ${r.budgets.rssGrowthMiB} MiB); max ${r.rssMaxMiB} MiB (cap ${r.budgets.rssCapMiB}); [open, closed] per cycle ${JSON.stringify(r.rssPerCycleMiB)}`);
    console.log(`malformed:    ${r.malformedAnswered}/${r.malformedSent} answered as expected with a hover after${r.malformedFailed.length ? `; failed: ${r.malformedFailed.join('; ')}` : ''}`);
    console.log(`cancellation: ${r.cancelRequests} requests: ${r.cancelled} cancelled (empty or -32800), ${r.cancelAnswered} answered in full, ${r.cancelOther} otherwise; settled in ${r.cancelSettledMs} ms`);
    console.log(r.ok ? 'ok' : 'NOT OK');
  }
  process.exitCode = r.ok ? 0 : 1;
}

// No top-level await: the protocol test (test/protocol/stress.test.ts) loads this file with require.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
