// Shared plumbing for the real-VS-Code test tools: tool paths, per-run
// isolation, process groups, polling, Chromium via playwright-core.
// Works under Node 20 (test processes) and Node 24 (launcher).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Where scripts/setup-vscode.sh put things; every path can be overridden by env. */
export function toolPaths(env = process.env) {
  const tools = env.DMLENS_TOOLS_DIR || path.join(REPO_ROOT, '.cache/tools');
  const vscodeTools = path.join(tools, 'vscode');
  const codeServerDir = env.DMLENS_CODE_SERVER_DIR || path.join(vscodeTools, 'node_modules/code-server');
  return {
    tools,
    vscodeTools,
    codeServerDir,
    serverMain: path.join(codeServerDir, 'lib/vscode/out/server-main.js'),
    codeServerEntry: path.join(codeServerDir, 'out/node/entry.js'),
    node: env.DMLENS_VSCODE_NODE || path.join(tools, 'node24/bin/node'),
    chromium: env.DMLENS_CHROMIUM || '/usr/bin/chromium',
  };
}

export function checkTools(p, needs = ['node', 'serverMain', 'chromium']) {
  const missing = needs.filter((k) => !fs.existsSync(p[k])).map((k) => `${k}: ${p[k]}`);
  if (missing.length) {
    throw new Error(`real-VS-Code tools missing (run: bash scripts/setup-vscode.sh)\n  ${missing.join('\n  ')}`);
  }
}

export function vscodeVersion(p) {
  try {
    return JSON.parse(fs.readFileSync(path.join(p.codeServerDir, 'lib/vscode/package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** playwright-core from the tools folder (falls back to normal resolution). */
export function loadPlaywright(p) {
  try {
    return createRequire(path.join(p.vscodeTools, 'package.json'))('playwright-core');
  } catch (e) {
    try {
      return createRequire(import.meta.url)('playwright-core');
    } catch {
      throw new Error(`playwright-core not found in ${p.vscodeTools} (run: bash scripts/setup-vscode.sh): ${e.message}`);
    }
  }
}

/** Settings written to User/settings.json for every run (flake avoidance, no pop-ups, offline). */
export const STABLE_SETTINGS = Object.freeze({
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'editor.hover.delay': 100,
  'remote.autoForwardPorts': false,
  'remote.restoreForwardedPorts': false,
  'remote.otherPortsAttributes': { onAutoForward: 'ignore' },
  'git.openRepositoryInParentFolders': 'never',
  'files.hotExit': 'off',
  'window.restoreWindows': 'none',
});

/** Extra settings from DMLENS_VSCODE_SETTINGS (a JSON object or a path to a JSON file). */
export function envSettings(env = process.env) {
  const v = env.DMLENS_VSCODE_SETTINGS;
  if (!v) return {};
  const text = v.trim().startsWith('{') ? v : fs.readFileSync(v, 'utf8');
  return JSON.parse(text);
}

export function writeSettings(userDataDir, ...layers) {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  const settings = Object.assign({}, STABLE_SETTINGS, ...layers);
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
  return settings;
}

/**
 * Fresh directories for one run. Everything the server, the extension host,
 * git/TS helpers and Chromium write goes below `root`.
 */
export function makeRunDir(prefix = 'dmlens-vscode-') {
  const base = process.env.DMLENS_VSCODE_RUN_BASE || os.tmpdir();
  fs.mkdirSync(base, { recursive: true });
  const root = fs.mkdtempSync(path.join(base, prefix));
  const dirs = {
    root,
    userData: path.join(root, 'user-data'),
    extensions: path.join(root, 'extensions'),
    serverData: path.join(root, 'server-data'),
    chromium: path.join(root, 'chromium-profile'),
    xdgConfig: path.join(root, 'xdg/config'),
    xdgData: path.join(root, 'xdg/data'),
    xdgCache: path.join(root, 'xdg/cache'),
    xdgRuntime: path.join(root, 'xdg/runtime'),
    tmp: path.join(root, 'tmp'),
    logs: path.join(root, 'logs'),
  };
  for (const [k, d] of Object.entries(dirs)) if (k !== 'root') fs.mkdirSync(d, { recursive: true, mode: 0o700 });
  return dirs;
}

export function removeRunDir(dirs) {
  if (!dirs?.root) return;
  try {
    fs.rmSync(dirs.root, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    /* best effort */
  }
}

export function isolatedEnv(dirs, base = process.env, extra = {}) {
  return {
    ...base,
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    XDG_RUNTIME_DIR: dirs.xdgRuntime,
    TMPDIR: dirs.tmp,
    TMP: dirs.tmp,
    TEMP: dirs.tmp,
    ...extra,
  };
}

// ------------------------------------------------------------ processes

/** Spawn in a new process group (the child is the group leader). */
export function spawnGroup(cmd, args, opts = {}) {
  return spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts, detached: true });
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** TERM the whole group, poll until it is gone, KILL after `graceMs`. */
export async function killGroup(child, graceMs = 1000) {
  const pgid = child?.pid;
  if (!pgid || !groupAlive(pgid)) return;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pgid)) return;
    await sleep(50);
  }
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    /* gone */
  }
  const hard = Date.now() + 2000;
  while (groupAlive(pgid) && Date.now() < hard) await sleep(50);
}

/** For 'exit' handlers, where nothing async runs. */
export function killGroupSync(child) {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Poll `fn` until it returns a truthy value. */
export async function pollUntil(fn, { timeout = 30000, interval = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let lastErr;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (e?.fatal) throw e;
      lastErr = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}${lastErr ? `: ${lastErr.message}` : ''}`);
    }
    await sleep(interval);
  }
}

/** Keep the last `max` characters of a stream in memory and tee it to a file (and optionally a printer). */
export function captureStream(stream, file, onLine) {
  const out = fs.createWriteStream(file, { flags: 'a' });
  let tail = '';
  let partial = '';
  stream.on('data', (buf) => {
    const s = buf.toString();
    out.write(s);
    tail = (tail + s).slice(-8000);
    if (onLine) {
      const lines = (partial + s).split('\n');
      partial = lines.pop();
      for (const l of lines) onLine(l);
    }
  });
  return { tail: () => tail, text: () => tail, close: () => out.end() };
}

/**
 * Start a server process in its own group and wait for it to announce a port
 * (matched by `portRegex` on stdout/stderr) and answer HTTP on `healthPath`.
 */
export async function startServer({ cmd, args, env, cwd, logFile, portRegex, healthPath = '/', timeout = 30000, onLine }) {
  const t0 = Date.now();
  const child = spawnGroup(cmd, args, { env, cwd });
  let port;
  const lineHook = (l) => {
    if (!port) {
      const m = portRegex.exec(l);
      if (m) port = Number(m[1]);
    }
    onLine?.(l);
  };
  const out = captureStream(child.stdout, logFile, lineHook);
  const err = captureStream(child.stderr, logFile, lineHook);
  const tail = () => (out.tail() + err.tail()).split('\n').slice(-30).join('\n');
  let exited = null;
  child.on('exit', (code, sig) => (exited = { code, sig }));
  try {
    await pollUntil(
      async () => {
        if (exited) {
          const e = new Error(`server exited early (code ${exited.code}, signal ${exited.sig}):\n${tail()}`);
          e.fatal = true;
          throw e;
        }
        if (!port) return false;
        const res = await fetch(`http://127.0.0.1:${port}${healthPath}`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        return res.status < 500;
      },
      { timeout, interval: 100, what: `server on ${healthPath}` },
    );
  } catch (e) {
    await killGroup(child);
    throw e;
  }
  return { child, port, startMs: Date.now() - t0, tail, exited: () => exited };
}

// ------------------------------------------------------------ browser

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-breakpad',
  '--disable-crash-reporter',
  '--password-store=basic',
  '--use-mock-keychain',
];

/**
 * Headless Debian Chromium with its profile inside the run directory. Returns a BrowserContext.
 * `handleSignals: false` stops playwright from closing the browser and calling
 * process.exit(130) on SIGINT (the launcher does its own orderly cleanup).
 */
export async function launchChromium(p, dirs, { viewport = { width: 1400, height: 900 }, headless = true, handleSignals = true } = {}) {
  const pw = loadPlaywright(p);
  return pw.chromium.launchPersistentContext(dirs.chromium, {
    executablePath: p.chromium,
    headless,
    args: [...CHROMIUM_ARGS, ...(process.env.DMLENS_CHROMIUM_ARGS || '').split(/\s+/).filter(Boolean)],
    env: isolatedEnv(dirs),
    viewport,
    timeout: 60000,
    handleSIGINT: handleSignals,
    handleSIGTERM: handleSignals,
    handleSIGHUP: handleSignals,
  });
}

// ------------------------------------------------------------ log filtering

/** Offline / environment noise and workbench chatter, filtered unless verbose. */
export const NOISE = [
  /ENOTFOUND/,
  /ERR_NAME_NOT_RESOLVED/,
  /ERR_CONNECTION_REFUSED/,
  /open-vsx\.org/,
  /vsda/,
  /service-?worker/i,
  /Failed to load resource/,
  /extensionquery|gallery/i,
  /^Resolv(ing|ed) connection token/,
  /^Creating a socket \(/,
  /^\[reconnection-grace-time\]/,
  /^Updating additional builtin extensions cache/,
  /^\[(AgentHost|AccountPolicyGate|DefaultAccount)[\]:]/,
  /Timed out waiting for authentication provider/,
  /^Canceled(: Canceled)*$/,
  /^\s*$/,
];

// Stack frames are kept only when they point at user code (test files, the extension).
const INTERNAL_FRAME = /^\s+at\s.*(workbench\.js|extensionHostProcess\.js|node:internal|\/node_modules\/mocha\/|<anonymous>\)?$|\(native\))/;
const FRAME = /^\s+at\s/;

export const isNoise = (line) => NOISE.some((re) => re.test(line)) || INTERNAL_FRAME.test(line) || (FRAME.test(line) && /^https?:/.test(line.trim().replace(/^at\s+(\S+\s+\()?/, '')));
