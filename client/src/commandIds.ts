/**
 * The ids of the commands that remote inspection handles. The extension entry registers them at
 * activation (VS Code runs a contributed command only once it is registered) and loads the
 * remote-inspection bundle when one is first run. Kept apart so the entry stays tiny.
 */
export const REMOTE_COMMAND_IDS = [
  'dmLens.inspectHost',
  'dmLens.inspectTreeHost',
  'dmLens.refreshHost',
  'dmLens.showReport',
  'dmLens.inspectFleet',
  'dmLens.inspectPinned',
  'dmLens.refreshAll',
  'dmLens.reclaim',
  'dmLens.pinHost',
  'dmLens.unpinHost',
  'dmLens.openRawTranscript',
  'dmLens.openDaemonJson',
] as const;

/** Test hooks: registered only outside production, never contributed. */
export const TEST_HOOK_IDS = [
  'dmLens._test.treeSnapshot',
  'dmLens._test.cancelAll',
  'dmLens._test.hostEntries',
  'dmLens._test.state',
  'dmLens._test.autoConfirm',
  'dmLens._test.reclaimState',
] as const;

export type RemoteCommandId = (typeof REMOTE_COMMAND_IDS)[number];
export type TestHookId = (typeof TEST_HOOK_IDS)[number];
// Handlers take what VS Code passes (tree nodes, hosts, options); each narrows its own arguments.
export type CommandHandler = (...args: never[]) => unknown;
