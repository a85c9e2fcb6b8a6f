// A "VS Code executable" for @vscode/test-electron's runTests() / @vscode/test-cli:
// runs the --extensionTestsPath suite in the real Node extension host of the
// VS Code server bundled in code-server, with headless Debian Chromium as the
// window, and exits with the code the test module's run() produced.
//
// Started through ./launcher (a sh stub that picks Node 24). See README.md.
//
// Environment:
//   DMLENS_TOOLS_DIR         tools root (default <repo>/.cache/tools)
//   DMLENS_CODE_SERVER_DIR   code-server package dir (default <tools>/vscode/node_modules/code-server)
//   DMLENS_VSCODE_NODE       Node binary for the server (default <tools>/node24/bin/node)
//   DMLENS_CHROMIUM          browser binary (default /usr/bin/chromium)
//   DMLENS_VSCODE_TIMEOUT    overall timeout in seconds (default 180)
//   DMLENS_VSCODE_VERBOSE=1  print server output, browser console, unfiltered log
//   DMLENS_VSCODE_KEEP=1     keep the run directory (printed) for debugging
//   DMLENS_VSCODE_SETTINGS   extra user settings: JSON object or path to a JSON file
//   DMLENS_VSCODE_INSTALL    ':'-separated .vsix files to install into the run's extensions dir
//   DMLENS_VSCODE_RUN_BASE   where run directories are created (default os.tmpdir())
//   DMLENS_VSCODE_RAWLOG     debugging: append every raw codeAutomationLog call to this file
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { spawnSync } from 'node:child_process';
import {
  checkTools,
  envSettings,
  isNoise,
  isolatedEnv,
  killGroup,
  killGroupSync,
  launchChromium,
  makeRunDir,
  removeRunDir,
  startServer,
  toolPaths,
  vscodeVersion,
  writeSettings,
} from './lib/common.mjs';

const env = process.env;
const VERBOSE = env.DMLENS_VSCODE_VERBOSE === '1';
const KEEP = env.DMLENS_VSCODE_KEEP === '1';
const TIMEOUT_S = Number(env.DMLENS_VSCODE_TIMEOUT || 180);
const T0 = Date.now();

const log = (...a) => process.stderr.write(`[launcher] ${VERBOSE ? `+${((Date.now() - T0) / 1000).toFixed(2)}s ` : ""}${util.format(...a)}\n`);
const vlog = (...a) => VERBOSE && log(...a);

// ------------------------------------------------------------ arguments
// Options that take a value (as --opt=value or --opt value).
const VALUE_OPTS = new Set([
  'extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir', 'locale', 'log',
  'profile', 'inspect-extensions', 'inspect-brk-extensions', 'logsPath', 'sync', 'folder-uri', 'file-uri',
  'enable-proposed-api', 'disable-extension', 'install-extension', 'category',
]);
// Desktop-only flags, accepted and ignored.
const IGNORED = new Set([
  'no-sandbox', 'disable-gpu-sandbox', 'disable-gpu', 'disable-updates', 'skip-welcome', 'skip-release-notes',
  'disable-workspace-trust', 'disable-telemetry', 'disable-crash-reporter', 'new-window', 'reuse-window', 'wait',
  'disable-chromium-sandbox', 'skip-add-to-recently-opened', 'disable-keytar', 'use-inmemory-secretstorage',
  'crash-reporter-directory', 'no-cached-data', 'verbose',
]);

function parseArgs(argv) {
  const o = { dev: [], tests: undefined, positional: [], flags: new Set(), values: {}, ignored: [], disableExt: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      o.positional.push(a);
      continue;
    }
    let [key, val] = a.slice(2).split(/=(.*)/s, 2);
    if (val === undefined && VALUE_OPTS.has(key) && i + 1 < argv.length) val = argv[++i];
    if (key === 'extensionDevelopmentPath') o.dev.push(val);
    else if (key === 'extensionTestsPath') o.tests = val;
    else if (key === 'disable-extension') o.disableExt.push(val);
    else if (IGNORED.has(key)) o.ignored.push(a);
    else if (val !== undefined) o.values[key] = val;
    else o.flags.add(key);
  }
  return o;
}

const args = parseArgs(process.argv.slice(2));
const paths = toolPaths();

if (args.flags.has('version') || args.flags.has('v')) {
  console.log(`${vscodeVersion(paths)}\n(dmlens launcher: VS Code server in code-server)\nx64`);
  process.exit(0);
}
if (args.flags.has('help') || args.flags.has('h')) {
  console.log('usage: launcher --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [--disable-extensions] [WORKSPACE]');
  process.exit(0);
}
if (!args.tests || !args.dev.length) {
  log('needs --extensionDevelopmentPath and --extensionTestsPath (only extension test runs are supported)');
  process.exit(2);
}

// ------------------------------------------------------------ run
let serverChild; // the VS Code server (process-group leader)
let context; // the Chromium BrowserContext
let dirs;
let finished = false;
let forwarding = false; // forward workbench log lines once the extension host is connected
let summary = '';

async function cleanup() {
  // Browser and server go down in parallel; the suite is over, so the server gets a short grace.
  await Promise.all([
    context?.close().catch(() => {}),
    serverChild ? killGroup(serverChild, 500) : undefined,
  ]);
  context = undefined;
  serverChild = undefined;
  if (dirs) {
    if (KEEP) log(`kept run directory ${dirs.root} (logs in ${dirs.logs})`);
    else removeRunDir(dirs);
    dirs = undefined;
  }
}

async function finish(code, why) {
  if (finished) return;
  finished = true;
  forwarding = false;
  if (why) log(why);
  if (code !== 0 && dirs) printHostErrors();
  await cleanup();
  log(`${summary || 'VS Code server'}: exit ${code} in ${((Date.now() - T0) / 1000).toFixed(1)} s`);
  process.exit(code);
}

process.on('exit', () => killGroupSync(serverChild));
for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(sig, () => finish(code, `received ${sig}, stopping`));
}

function readUserSettings(userDataDir) {
  // Settings a caller put into the user-data dir test-electron passes (.vscode-test/user-data).
  if (!userDataDir) return {};
  const f = path.join(path.resolve(userDataDir), 'User/settings.json');
  if (!fs.existsSync(f)) return {};
  try {
    return JSON.parse(fs.readFileSync(f, 'utf8'));
  } catch (e) {
    log(`ignoring ${f} (not plain JSON: ${e.message})`);
    return {};
  }
}

function workspaceQuery(positional) {
  const p = positional[0];
  if (positional.length > 1) log(`only the first workspace path is opened; ignoring ${positional.slice(1).join(' ')}`);
  if (!p) return 'ew=true';
  const abs = path.resolve(p);
  if (!fs.existsSync(abs)) throw new Error(`workspace path does not exist: ${abs}`);
  if (fs.statSync(abs).isDirectory()) return `folder=${encodeURIComponent(abs)}`;
  if (abs.endsWith('.code-workspace')) return `workspace=${encodeURIComponent(abs)}`;
  log(`workspace ${abs} is a file: opening its folder`);
  return `folder=${encodeURIComponent(path.dirname(abs))}`;
}

// Extension-host console output arrives through codeAutomationLog, unformatted
// (util.format placeholders) and mixed with the workbench's own log.
function formatLogArgs(a) {
  if (!Array.isArray(a)) a = [a];
  let [first, ...rest] = a;
  if (typeof first === 'string') {
    const css = (first.match(/%c/g) || []).length; // drop %c CSS arguments
    first = first.replace(/%c/g, '');
    rest = rest.slice(css);
  }
  return util.format(first, ...rest);
}

function onAutomationLog(type, a) {
  let text;
  try {
    text = formatLogArgs(a);
  } catch {
    text = String(a);
  }
  if (env.DMLENS_VSCODE_RAWLOG) fs.appendFileSync(env.DMLENS_VSCODE_RAWLOG, `${((Date.now() - T0) / 1000).toFixed(2)} ${type} ${JSON.stringify(a)}\n`);
  if (!forwarding && /^Creating a socket \(renderer-ExtensionHost-.*successful/.test(text)) forwarding = true;
  if (!forwarding && !VERBOSE) return; // workbench start-up chatter
  if (finished) return;
  for (const line of text.split('\n')) {
    if (!VERBOSE && isNoise(line)) continue;
    const out = `[ext] ${line}\n`;
    if (type === 'error' || type === 'warn') process.stderr.write(out);
    else process.stdout.write(out);
  }
}

/** On failure: print error lines of the extension-host log (activation errors etc.). */
function printHostErrors() {
  const files = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (/exthost\.log$/i.test(e.name)) files.push(f);
    }
  };
  try {
    walk(dirs.logs);
  } catch {
    return;
  }
  const lines = files.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').filter((l) => /\[error\]/.test(l)));
  if (lines.length) {
    log('extension host log errors:');
    for (const l of lines.slice(-20)) log(`  ${l.slice(0, 400)}`);
  }
  if (!KEEP) log('set DMLENS_VSCODE_KEEP=1 to keep the run directory with all server/extension-host logs');
}

async function main() {
  checkTools(paths);
  dirs = makeRunDir('dmlens-vscode-run-');
  vlog(`run directory ${dirs.root}; ignoring desktop flags ${args.ignored.join(' ')}`);
  if (args.values['user-data-dir'] || args.values['extensions-dir']) {
    vlog(`fresh per-run dirs are used instead of --user-data-dir=${args.values['user-data-dir']} --extensions-dir=${args.values['extensions-dir']} (settings.json from the former is merged)`);
  }
  writeSettings(dirs.userData, readUserSettings(args.values['user-data-dir']), envSettings());
  const childEnv = isolatedEnv(dirs, env);
  delete childEnv.ELECTRON_RUN_AS_NODE;
  const wsQuery = workspaceQuery(args.positional);

  const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--server-data-dir', dirs.serverData];
  for (const vsix of (env.DMLENS_VSCODE_INSTALL || '').split(':').filter(Boolean)) {
    const r = spawnSync(paths.node, [paths.serverMain, ...common, '--accept-server-license-terms', '--install-extension', path.resolve(vsix)], {
      env: childEnv, encoding: 'utf8', timeout: 60000,
    });
    vlog(`installed ${vsix}: ${(r.stdout || '').trim()}`);
    if (r.status !== 0) throw new Error(`installing ${vsix} failed (${r.status}): ${r.stdout}${r.stderr}`);
  }

  const serverArgs = [
    paths.serverMain,
    '--host', '127.0.0.1', '--port', '0', // the server picks a free port and prints it
    '--without-connection-token', '--accept-server-license-terms',
    ...common,
    '--enable-smoke-test-driver', '--disable-telemetry',
    // test-electron always asks for --disable-workspace-trust; DMLENS_VSCODE_TRUST=enabled keeps
    // trust on so a suite can run in an untrusted (Restricted Mode) workspace.
    ...(process.env.DMLENS_VSCODE_TRUST === 'enabled' ? [] : ['--disable-workspace-trust']),
    '--logsPath', dirs.logs,
  ];
  if (args.values.locale) serverArgs.push('--locale', args.values.locale);

  // Server and browser start in parallel.
  const started = await Promise.allSettled([
    startServer({
      cmd: paths.node,
      args: serverArgs,
      env: childEnv,
      cwd: dirs.tmp,
      logFile: path.join(dirs.logs, 'server-stdout.log'),
      portRegex: /listening on (\d+)/i,
      timeout: 60000,
      onLine: VERBOSE ? (l) => l && log(`[server] ${l}`) : undefined,
    }).then((s) => ((serverChild = s.child), s)),
    launchChromium(paths, dirs, { viewport: { width: 1280, height: 800 }, handleSignals: false }).then((c) => (context = c)),
  ]);
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const [server, ctx] = started.map((r) => r.value);
  summary = `VS Code ${vscodeVersion(paths)} (server on 127.0.0.1:${server.port})`;
  vlog(`server ready in ${server.startMs} ms`);
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${path.resolve(p).split('/').map(encodeURIComponent).join('/')}`;

  const payload = [
    ...args.dev.map((d) => ['extensionDevelopmentPath', remote(d)]),
    ['extensionTestsPath', remote(args.tests)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  if (args.flags.has('disable-extensions')) payload.push(['disableExtensions', 'true']);
  if (args.flags.has('enable-proposed-api') || args.values['enable-proposed-api']) payload.push(['enableProposedApi', '']);
  for (const k of ['inspect-extensions', 'inspect-brk-extensions']) if (args.values[k]) payload.push([k, args.values[k]]);
  if (args.disableExt.length) log(`--disable-extension is not supported by this launcher (ignored): ${args.disableExt.join(', ')}`);
  const url = `http://127.0.0.1:${server.port}/?${wsQuery}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

  let resolveExit;
  let rejectExit;
  const exitCode = new Promise((res, rej) => {
    resolveExit = res;
    rejectExit = rej;
  });
  await ctx.exposeFunction('codeAutomationExit', async (code, logs) => {
    vlog(`codeAutomationExit(${code})`);
    forwarding = false;
    if (code !== 0 && Array.isArray(logs) && dirs) {
      for (const { relativePath, contents } of logs) {
        const f = path.join(dirs.logs, 'workbench', relativePath);
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, contents);
      }
    }
    resolveExit(Number.isInteger(code) ? code : 1);
  });
  await ctx.exposeFunction('codeAutomationLog', onAutomationLog);
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('crash', () => rejectExit(new Error('browser page crashed')));
  page.on('pageerror', (e) => vlog(`[page error] ${e.message}`));
  if (VERBOSE) page.on('console', (m) => log(`[browser ${m.type()}] ${m.text()}`));
  server.child.on('exit', (c, s) => rejectExit(new Error(`VS Code server exited (code ${c}, signal ${s}) before the tests finished:\n${server.tail()}`)));

  vlog(`opening ${url}`);
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });

  let timer;
  const timeout = new Promise((_, rej) => {
    // the budget covers the whole run, start-up included
    timer = setTimeout(() => rej(new Error(`timed out after ${TIMEOUT_S} s waiting for the test run to finish (DMLENS_VSCODE_TIMEOUT)`)), Math.max(0, TIMEOUT_S * 1000 - (Date.now() - T0)));
  });
  try {
    return await Promise.race([exitCode, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

main().then(
  (code) => finish(code),
  (e) => finish(1, `error: ${VERBOSE ? e?.stack || e : e?.message || e}`),
);
