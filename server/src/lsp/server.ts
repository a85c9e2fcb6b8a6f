import { createConnection, CodeActionKind, ProposedFeatures, TextDocumentSyncKind, DidChangeConfigurationNotification } from 'vscode-languageserver/node';
import { DocumentStore } from './documents.js';
import { SettingsStore, toSettings } from './settings.js';
import { registerDiagnostics } from './handlers/diagnostics.js';
import { registerHover } from './handlers/hover.js';
import { registerInlayHints } from './handlers/inlayHints.js';
import { registerDocumentSymbols } from './handlers/documentSymbols.js';
import { registerFoldingRanges } from './handlers/foldingRanges.js';
import { registerCodeActions } from './handlers/codeActions.js';
import { COMPLETION_TRIGGERS, registerCompletion } from './handlers/completion.js';

/** Wiring only: capabilities, the document store, and one handler per feature. */
const connection = createConnection(ProposedFeatures.all);
const docs = new DocumentStore();
const settings = new SettingsStore(connection);
let debounceMs = 200;
let dynamicConfiguration = false;
let foldingRangeLimit: number | undefined;

connection.onInitialize(({ capabilities, initializationOptions }) => {
  settings.canPull = capabilities.workspace?.configuration === true;
  dynamicConfiguration = capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  foldingRangeLimit = capabilities.textDocument?.foldingRange?.rangeLimit;
  const opts = (initializationOptions ?? {}) as { debounceMs?: number; settings?: Parameters<typeof toSettings>[0] };
  if (typeof opts.debounceMs === 'number' && opts.debounceMs >= 0) debounceMs = opts.debounceMs;
  if (opts.settings) settings.fallback = toSettings(opts.settings);
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      hoverProvider: true,
      inlayHintProvider: { resolveProvider: false },
      documentSymbolProvider: { label: 'dm-thin transcript' },
      foldingRangeProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      completionProvider: { triggerCharacters: COMPLETION_TRIGGERS },
    },
    serverInfo: { name: 'devicemapper-lens', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  if (dynamicConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'dmLens' });
});

docs.listen(connection);
const diagnostics = registerDiagnostics(connection, docs, settings, () => debounceMs);
registerHover(connection, docs, settings);
registerInlayHints(connection, docs, settings);
registerDocumentSymbols(connection, docs, settings);
registerFoldingRanges(connection, docs, settings, () => foldingRangeLimit);
registerCodeActions(connection, docs);
registerCompletion(connection, docs, settings);

connection.onDidChangeConfiguration((change) => {
  settings.clear();
  if (!settings.canPull) settings.fallback = toSettings((change.settings as { dmLens?: unknown } | undefined)?.dmLens as Parameters<typeof toSettings>[0]);
  diagnostics.revalidateAll();
  void connection.languages.inlayHint.refresh().catch(() => undefined);
});

connection.listen();
