#!/usr/bin/env node
// npm start: build and package the extension, set up the real-VS-Code tools if
// needed, then serve VS Code (code-server) on 127.0.0.1 with the extension
// installed and the examples/ workspace open. Prints the URL; Ctrl-C stops
// everything (the server runs in its own process group).
// It also boots the dm-thin lab (test/lab: a QEMU guest with real thin pools)
// and pre-configures it as the host `dmlens-lab`, so "Devicemapper: Inspect
// Host…" and the Thin Pools view show real pools; the guest stops with it.
//   PORT=8080 npm start     pick the port (default: a free one)
//   DMLENS_LAB=0 npm start  without the lab
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLab, labDir } from '../test/lab/lab.mjs';
import { checkTools, isolatedEnv, killGroup, makeRunDir, removeRunDir, startServer, toolPaths, vscodeVersion, writeSettings } from '../test/vscode/lib/common.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const step = (what, cmd, args) => {
  console.log(`» ${what}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`npm start: ${what} failed (exit ${r.status})`);
    process.exit(1);
  }
};

step('setting up VS Code server and tools (first run takes a few minutes)', 'bash', ['scripts/setup-vscode.sh']);
step('building and packaging the extension', 'npm', ['run', '--silent', 'package']);

let lab;
if (process.env.DMLENS_LAB !== '0') {
  console.log('» booting the dm-thin lab (a QEMU guest; about 2 minutes the first time)');
  try {
    // detached: our own Ctrl-C handler stops the guest after the server (the lab's would exit first).
    lab = await startLab({ runDir: path.join(labDir, 'run-start'), detached: true });
  } catch (e) {
    console.error(`npm start: the lab did not start, continuing without it (${e instanceof Error ? e.message.split('\n')[0] : e})`);
  }
}
const labSettings = lab ? { 'dmLens.ssh.configFile': lab.sshConfigFile, 'dmLens.hosts': ['dmlens-lab'], 'dmLens.pinnedHosts': ['dmlens-lab'] } : {};

const p = toolPaths();
checkTools(p, ['node', 'codeServerEntry']);
const dirs = makeRunDir('dmlens-start-');
const workspace = path.join(root, 'examples');
const config = path.join(dirs.root, 'config.yaml');
const port = Number(process.env.PORT ?? 0);
fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
writeSettings(dirs.userData, { 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, ...labSettings });
// code-server's window is a remote window: machine-overridable settings such as
// dmLens.ssh.configFile are read from the machine's settings, not the user's.
if (lab) {
  fs.mkdirSync(path.join(dirs.userData, 'Machine'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'Machine', 'settings.json'), JSON.stringify(labSettings, null, 2));
}
const env = isolatedEnv(dirs);
const base = [p.codeServerEntry, '--config', config, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
const install = spawnSync(p.node, [...base, '--install-extension', path.join(root, 'devicemapper-lens.vsix')], { env, cwd: dirs.tmp, encoding: 'utf8' });
if (install.status !== 0) {
  console.error(`npm start: installing the extension failed:\n${install.stdout}${install.stderr}`);
  removeRunDir(dirs);
  await lab?.stop();
  process.exit(1);
}

let server;
const stop = async (code) => {
  if (server) await killGroup(server.child, 1500);
  await lab?.stop();
  removeRunDir(dirs);
  process.exit(code);
};
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
try {
  server = await startServer({
    cmd: p.node,
    args: [...base, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override', '--ignore-last-opened', workspace],
    env,
    cwd: dirs.tmp,
    logFile: path.join(dirs.logs, 'code-server.log'),
    portRegex: /HTTP server listening on https?:\/\/[^\s]*:(\d+)/,
    healthPath: '/healthz',
    timeout: 60000,
  });
} catch (e) {
  console.error(`npm start: VS Code server did not start: ${e.message}`);
  await stop(1);
}
const url = `http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(workspace)}`;
console.log(`\nDevicemapper Lens in VS Code ${vscodeVersion(p)}:\n\n  ${url}\n\nOpen the .dmsetup files in examples/.${lab ? ` The lab guest is the host "dmlens-lab": run "Devicemapper: Inspect Host…" or open the Thin Pools view (ssh config: ${lab.sshConfigFile}).` : ''} Press Ctrl-C to stop.`);
server.child.on('exit', (code) => {
  console.error(`VS Code server exited (${code})`);
  void stop(code ?? 1);
});
