/**
 * The manifest and the lazily loaded client agree: VS Code runs a contributed command only once
 * the entry bundle has registered it, and the entry registers exactly the entry's own commands
 * plus REMOTE_COMMAND_IDS (which load the remote-inspection bundle on first use). A command
 * contributed but missing from that list would fail with "command not found"; one listed but
 * not contributed would be unreachable from the palette.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REMOTE_COMMAND_IDS, TEST_HOOK_IDS } from '../../client/src/commandIds';

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; menus: Record<string, { command: string }[]> };
  activationEvents: string[];
};
const ENTRY_COMMANDS = ['dmLens.restartServer', 'dmLens.showOutput'];

test('every contributed command is registered by the entry, and every remote command is contributed', () => {
  const contributed = manifest.contributes.commands.map((c) => c.command).sort();
  assert.deepEqual(contributed, [...ENTRY_COMMANDS, ...REMOTE_COMMAND_IDS].sort());
});

test('menus name only contributed commands; test hooks are never contributed', () => {
  const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
  for (const [menu, items] of Object.entries(manifest.contributes.menus)) for (const i of items) assert.ok(contributed.has(i.command), `${menu}: ${i.command}`);
  for (const id of TEST_HOOK_IDS) assert.ok(!contributed.has(id) && id.startsWith('dmLens._test.'), id);
});
