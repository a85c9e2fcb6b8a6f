// UI end-to-end helpers: code-server (real VS Code workbench + Node extension
// host) on 127.0.0.1 with a packaged extension installed, driven through
// headless Debian Chromium by playwright-core.
//
//   import { startVSCode, quickOpen, waitForProblem, hoverText, runCommand, screenshot } from '../vscode/ui/vscode-ui.mjs';
//   const vs = await startVSCode({ vsix: 'devicemapper-lens.vsix', workspace: fixtureDir });
//   try {
//     await quickOpen(vs.page, 'daemon.json');
//     await waitForProblem(vs.page, 'thinpooldev');
//     await screenshot(vs.page, 'out/ui.png');
//   } finally {
//     await vs.stop();
//   }
//
// Works under Node 20 or 24 (code-server itself always runs on the tools' Node 24).
// Needs `bash scripts/setup-vscode.sh`. Environment knobs as for the launcher:
// DMLENS_TOOLS_DIR, DMLENS_CODE_SERVER_DIR, DMLENS_VSCODE_NODE, DMLENS_CHROMIUM,
// DMLENS_VSCODE_VERBOSE=1, DMLENS_VSCODE_KEEP=1, DMLENS_VSCODE_RUN_BASE.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  checkTools,
  isolatedEnv,
  killGroup,
  killGroupSync,
  launchChromium,
  makeRunDir,
  pollUntil,
  removeRunDir,
  startServer,
  toolPaths,
  vscodeVersion,
  writeSettings,
} from '../lib/common.mjs';

export { STABLE_SETTINGS } from '../lib/common.mjs';

// Runs still alive when the process exits (e.g. playwright's own SIGINT handler
// calls process.exit(130)): kill their server groups and remove their dirs.
const live = new Map(); // server child -> run dirs
process.on('exit', () => {
  for (const [child, dirs] of live) {
    killGroupSync(child);
    if (dirs) removeRunDir(dirs);
  }
});

/**
 * Start code-server with `vsix` installed and `workspace` opened, then open
 * Chromium at it and wait until the workbench shows the workspace files.
 *
 * @param {object} o
 * @param {string|string[]} [o.vsix]  packaged extension(s) to install (none: a negative control)
 * @param {string} o.workspace        folder to open
 * @param {string} [o.waitForFile]    file name to wait for in the Explorer (default: first visible entry)
 * @param {object} [o.settings]       extra user settings (on top of STABLE_SETTINGS)
 * @param {object} [o.machineSettings] remote-machine settings (<user-data>/Machine/settings.json). The
 *                                    workbench is a remote window, so settings of scope `machine` or
 *                                    `machine-overridable` are taken from here, not from user settings.
 * @param {object} [o.env]            extra environment for the server and extension host
 * @param {{width:number,height:number}} [o.viewport]
 * @param {boolean} [o.verbose]       print server output and browser console
 * @param {boolean} [o.keep]          keep the run directory
 * @param {number} [o.timeout]        ms for start-up steps (default 60000)
 * @returns {Promise<{page, context, url, port, dirs, version, timings, stop: () => Promise<void>}>}
 */
export async function startVSCode(o) {
  const verbose = o.verbose ?? process.env.DMLENS_VSCODE_VERBOSE === '1';
  const keep = o.keep ?? process.env.DMLENS_VSCODE_KEEP === '1';
  const timeout = o.timeout ?? 60000;
  const log = (...a) => verbose && console.error('[vscode-ui]', ...a);
  const p = toolPaths();
  checkTools(p, ['node', 'codeServerEntry', 'chromium']);
  const workspace = path.resolve(o.workspace);
  if (!fs.statSync(workspace).isDirectory()) throw new Error(`workspace is not a directory: ${workspace}`);

  const t0 = Date.now();
  const timings = {};
  const dirs = makeRunDir('dmlens-vscode-ui-');
  let server;
  let context;
  const stop = async () => {
    await Promise.all([context?.close().catch(() => {}), server ? killGroup(server.child, 1000) : undefined]);
    if (server) live.delete(server.child);
    context = server = undefined;
    if (keep) console.error(`[vscode-ui] kept run directory ${dirs.root}`);
    else removeRunDir(dirs);
  };

  try {
    const config = path.join(dirs.root, 'config.yaml');
    fs.writeFileSync(config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
    writeSettings(dirs.userData, o.settings ?? {});
    if (o.machineSettings) {
      fs.mkdirSync(path.join(dirs.userData, 'Machine'), { recursive: true });
      fs.writeFileSync(path.join(dirs.userData, 'Machine', 'settings.json'), JSON.stringify(o.machineSettings, null, 2));
    }
    const env = isolatedEnv(dirs, process.env, o.env ?? {});
    const base = [p.codeServerEntry, '--config', config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

    for (const vsix of [o.vsix ?? []].flat()) {
      const t = Date.now();
      const r = spawnSync(p.node, [...base, '--install-extension', path.resolve(vsix)], { env, cwd: dirs.tmp, encoding: 'utf8', timeout: 60000 });
      log(`install ${vsix}: ${(r.stdout + r.stderr).trim()}`);
      if (r.status !== 0 || !/successfully installed/i.test(r.stdout + r.stderr)) {
        throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
      }
      timings.installMs = (timings.installMs ?? 0) + (Date.now() - t);
    }

    const serverArgs = [
      ...base,
      '--auth', 'none', '--bind-addr', '127.0.0.1:0',
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', '--ignore-last-opened',
      workspace,
    ];
    const t1 = Date.now();
    const started = await Promise.allSettled([
      startServer({
        cmd: p.node,
        args: serverArgs,
        env,
        cwd: dirs.tmp,
        logFile: path.join(dirs.logs, 'code-server.log'),
        portRegex: /HTTP server listening on https?:\/\/[^\s]*:(\d+)/,
        healthPath: '/healthz',
        timeout,
        onLine: verbose ? (l) => l && console.error(`[code-server] ${l}`) : undefined,
      }).then((s) => {
        live.set(s.child, keep ? undefined : dirs);
        return (server = s);
      }),
      launchChromium(p, dirs, { viewport: o.viewport }).then((c) => (context = c)),
    ]);
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    timings.serverStartMs = server.startMs;
    timings.browserStartMs = Date.now() - t1;

    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(timeout);
    if (verbose) page.on('console', (m) => console.error(`[browser ${m.type()}] ${m.text()}`));
    const url = `http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(workspace)}`;
    const t2 = Date.now();
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    await page.locator('.monaco-workbench').waitFor();
    const first = o.waitForFile ?? fs.readdirSync(workspace).filter((f) => !f.startsWith('.')).sort()[0];
    if (first) {
      // the remote file system is connected once the Explorer lists the workspace
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: first }).first().waitFor();
    }
    timings.workbenchMs = Date.now() - t2;
    timings.totalStartMs = Date.now() - t0;
    log(`VS Code ${vscodeVersion(p)} at ${url}`, timings);

    return {
      page,
      context,
      url,
      port: server.port,
      dirs,
      version: vscodeVersion(p),
      timings,
      serverLog: () => server?.tail() ?? '',
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Run `fn(vs)` with a started VS Code and always stop it. On failure a
 * screenshot is written to `errorScreenshot` (if given) before stopping.
 */
export async function withVSCode(options, fn) {
  const vs = await startVSCode(options);
  try {
    return await fn(vs);
  } catch (e) {
    if (options.errorScreenshot) await screenshot(vs.page, options.errorScreenshot).catch(() => {});
    throw e;
  } finally {
    await vs.stop();
  }
}

// ------------------------------------------------------------ page helpers

async function quickInput(page, keys, text, rowText, timeout) {
  await page.keyboard.press('Escape');
  await page.keyboard.press(keys);
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(text);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first();
  await row.waitFor({ state: 'visible', timeout });
  await page.keyboard.press('Enter');
}

/** Open a workspace file by name via Quick Open (Ctrl+P); waits for its tab to be active. */
export async function quickOpen(page, fileName, { timeout = 30000 } = {}) {
  // keyboard focus must be inside the workbench for the shortcut
  await page.locator('.monaco-workbench').focus().catch(() => {});
  await quickInput(page, 'Control+P', fileName, path.basename(fileName), timeout);
  await page.locator('.tab.active', { hasText: path.basename(fileName) }).waitFor({ timeout });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout });
}

/** Run a command from the palette (F1) by its title, e.g. 'Devicemapper Lens: Explain'. */
export async function runCommand(page, title, { timeout = 30000 } = {}) {
  await quickInput(page, 'F1', `>${title}`, title, timeout);
}

/** Wait for a notification toast containing `text`; returns its text. */
export async function waitForNotification(page, text, { timeout = 30000 } = {}) {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.waitFor({ timeout });
  return toast.innerText();
}

/** Wait for a squiggle of the given severity ('error' | 'warning' | 'info' | 'hint') in the active editor. */
export async function waitForSquiggle(page, severity = 'warning', { timeout = 30000 } = {}) {
  await page.locator(`.editor-instance .monaco-editor .squiggly-${severity}`).first().waitFor({ state: 'attached', timeout });
}

/** Open the Problems panel (if not visible) and return its rows' text. */
export async function readProblems(page, { timeout = 30000 } = {}) {
  const panel = page.locator('.markers-panel');
  if (!(await panel.isVisible())) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible', timeout });
  }
  return page.locator('.markers-panel .monaco-list-row').allInnerTexts();
}

/** Open the Problems panel and wait for a row containing `text`; returns all rows' text. */
export async function waitForProblem(page, text, { timeout = 30000 } = {}) {
  await readProblems(page, { timeout });
  await page.locator('.markers-panel .monaco-list-row', { hasText: text }).first().waitFor({ timeout });
  return page.locator('.markers-panel .monaco-list-row').allInnerTexts();
}

/**
 * Hover a token in the active editor and return the hover's text.
 * `line` is 1-based (visible lines only); `token` picks the first span on that
 * line containing it (default: the first token). Retries by moving the mouse
 * away and back, since hovers can be dismissed by unrelated notifications.
 */
export async function hoverText(page, { line = 1, token, expect, tries = 4, timeout = 8000 } = {}) {
  const editor = page.locator('.editor-instance .monaco-editor').first();
  const hover = page.locator('.monaco-hover:not(.hidden)');
  let lastErr;
  for (let i = 0; i < tries; i++) {
    const target = await pollUntil(async () => {
      // view lines are absolutely positioned: order them by their top
      const lines = await editor.locator('.view-lines .view-line').all();
      const withTop = await Promise.all(lines.map(async (l) => ({ l, box: await l.boundingBox() })));
      const sorted = withTop.filter((x) => x.box).sort((a, b) => a.box.y - b.box.y);
      const row = sorted[line - 1]?.l;
      if (!row) return false;
      const spans = row.locator('span span');
      if (!token) return spans.first();
      const n = await spans.count();
      for (let k = 0; k < n; k++) if ((await spans.nth(k).innerText()).includes(token)) return spans.nth(k);
      return false;
    }, { timeout, what: `line ${line}${token ? ` token '${token}'` : ''}` });
    await page.mouse.move(0, 0);
    await target.hover();
    try {
      const h = expect ? hover.filter({ hasText: expect }).first() : hover.first();
      await h.waitFor({ state: 'visible', timeout });
      return await h.innerText();
    } catch (e) {
      lastErr = e;
    }
  }
  throw new Error(`no hover${expect ? ` containing '${expect}'` : ''} on line ${line} after ${tries} tries: ${lastErr?.message}`);
}

/** Screenshot of the whole page; creates the parent directory. */
export async function screenshot(page, file) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  await page.screenshot({ path: file });
  return file;
}

// ------------------------------------------------ quick picks, webviews, views

/**
 * Answer a quick pick an extension opened (e.g. after `runCommand`): wait for
 * the widget with `title`, type `value`, wait for a row containing `rowText`
 * (and not `notRowText`, e.g. the row offered for typed text while the list is
 * still loading) and click it. Returns the rows' text at that moment.
 */
export async function answerQuickPick(page, { title, value, rowText = value, notRowText, timeout = 30000 }) {
  const widget = page.locator('.quick-input-widget');
  if (title) await widget.locator('.quick-input-title', { hasText: title }).waitFor({ state: 'visible', timeout });
  const input = widget.locator('.quick-input-box input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(value);
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  const row = rows.filter({ hasText: rowText, ...(notRowText ? { hasNotText: notRowText } : {}) }).first();
  await row.waitFor({ state: 'visible', timeout });
  const texts = await rows.allInnerTexts();
  await row.click();
  await widget.waitFor({ state: 'hidden', timeout });
  return texts;
}

/**
 * The frame of a webview whose document contains `text`. Webviews are nested
 * iframes (an outer host frame, an inner `active-frame` with the page), so
 * every frame of the page is searched; polls until one matches.
 */
export async function waitForWebviewFrame(page, text, { timeout = 30000 } = {}) {
  return pollUntil(
    async () => {
      for (const frame of page.frames()) {
        if (frame === page.mainFrame() || frame.isDetached()) continue;
        // runs in the frame: `globalThis` is its window
        const body = await frame.evaluate(() => globalThis.document?.body?.innerText ?? '').catch(() => '');
        if (body.includes(text)) return frame;
      }
      return false;
    },
    { timeout, interval: 250, what: `a webview containing '${text}'` },
  );
}

/**
 * Show a contributed view through its generated "Focus on <name> View"
 * command and return its pane (header + body), once the body is visible.
 */
export async function focusView(page, name, { timeout = 30000 } = {}) {
  await runCommand(page, `Focus on ${name} View`, { timeout });
  const pane = page.locator('.pane', { has: page.locator('.pane-header', { hasText: name }) }).first();
  await pane.locator('.pane-body').waitFor({ state: 'visible', timeout });
  return pane;
}

/** The visible rows of a tree view pane: label, description, level (1 = top), expanded (true/false/undefined). */
export async function treeRows(pane) {
  return pane.locator('.monaco-list-row').evaluateAll((rows) =>
    rows.map((r) => ({
      label: r.querySelector('.label-name')?.textContent?.trim() ?? '',
      description: r.querySelector('.label-description')?.textContent?.trim() ?? '',
      level: Number(r.getAttribute('aria-level') ?? 0),
      expanded: r.hasAttribute('aria-expanded') ? r.getAttribute('aria-expanded') === 'true' : undefined,
    })),
  );
}

/**
 * Poll a tree view pane until `accept(rows)` is truthy (rows as `treeRows`);
 * returns the rows. Rows labelled with one of `expand` are expanded (a click
 * on the twistie) whenever they show collapsed.
 */
export async function waitForTreeRows(pane, accept, { expand = [], timeout = 30000, what = 'tree rows' } = {}) {
  return pollUntil(
    async () => {
      const rows = await treeRows(pane);
      const i = rows.findIndex((r) => r.expanded === false && expand.includes(r.label));
      if (i >= 0) {
        await pane.locator('.monaco-list-row').nth(i).locator('.monaco-tl-twistie').click();
        return false;
      }
      return accept(rows) ? rows : false;
    },
    { timeout, interval: 200, what },
  );
}

/** Collapse a view pane of the side bar (e.g. the Explorer's folder) by its header, if it is expanded. */
export async function collapsePane(page, title, { timeout = 30000 } = {}) {
  const header = page.locator('.part.sidebar .pane-header', { hasText: title }).first();
  await header.waitFor({ state: 'visible', timeout });
  if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
  await pollUntil(async () => (await header.getAttribute('aria-expanded')) === 'false', { timeout, what: `pane '${title}' collapsed` });
}

/** Drag the side bar's edge until the side bar is about `width` px wide. */
export async function resizeSideBar(page, width, { timeout = 30000 } = {}) {
  const bar = page.locator('.part.sidebar');
  const box = await bar.boundingBox();
  if (!box) throw new Error('the side bar is not visible');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
  return pollUntil(async () => {
    const b = await bar.boundingBox();
    return b && Math.abs(b.width - width) <= 8 ? b.width : false;
  }, { timeout, what: `side bar ${width} px wide` });
}

/** Wait for a status-bar item whose text contains `text`; returns its text and accessible label. */
export async function waitForStatusBarItem(page, text, { timeout = 30000 } = {}) {
  const item = page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
  await item.waitFor({ state: 'visible', timeout });
  const label = item.locator('.statusbar-item-label').first();
  return {
    text: (await item.innerText()).trim(),
    ariaLabel: (await label.getAttribute('aria-label').catch(() => null)) ?? (await item.getAttribute('aria-label')) ?? '',
  };
}
