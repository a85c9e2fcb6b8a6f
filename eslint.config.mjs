// Flat config. Besides the usual checks it enforces the layers of ARCHITECTURE.md:
// the core is pure, the language server and the CLI never import vscode.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noNodeIo = ['child_process', 'node:child_process', 'fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'net', 'node:net', 'http', 'node:http', 'https', 'node:https', 'execa'];
const noEditor = ['vscode', 'vscode-languageclient', 'vscode-languageclient/node'];
const noLsp = ['vscode-languageserver', 'vscode-languageserver/node', 'vscode-languageserver-protocol', 'vscode-languageserver-textdocument', 'vscode-jsonrpc', 'vscode-jsonrpc/node'];

const restrict = (paths, patterns, message) => ({
  'no-restricted-imports': ['error', { paths: paths.map((name) => ({ name, message })), patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['**/out/**', 'node_modules/**', '.cache/**', 'test/grammar/**/*.mjs', '**/*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['server/src/core/**/*.ts'],
    rules: restrict([...noNodeIo, ...noEditor, ...noLsp], ['../lsp/*', '../cli/*', '../remote/*', '**/lsp/**', '**/cli/**', '**/remote/**', '**/client/**'], 'server/src/core is pure: text in, typed model out (ARCHITECTURE.md, "Layers").'),
  },
  {
    files: ['server/src/lsp/**/*.ts'],
    rules: restrict([...noNodeIo, ...noEditor], ['**/core/*/**', '**/remote/**', '**/cli/**', '**/client/**'], 'the language server uses the core through server/src/core/index.ts and never vscode or remote I/O (ARCHITECTURE.md).'),
  },
  {
    files: ['server/src/cli/**/*.ts'],
    rules: restrict([...noEditor, ...noLsp], ['**/core/*/**', '**/lsp/**', '**/client/**'], 'the CLI uses the core (via index.ts) and the remote layer, never vscode or the LSP libraries (ARCHITECTURE.md).'),
  },
  {
    files: ['client/src/**/*.ts'],
    rules: restrict([...noNodeIo.filter((m) => m !== 'execa')], ['**/server/src/core/*/**', '**/server/src/lsp/**', '**/server/src/cli/**'], 'the client reaches the core only through server/src/core/index.ts and hosts only through server/src/remote (ARCHITECTURE.md).'),
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite'] }] }],
      'no-control-regex': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off', '@typescript-eslint/no-unsafe-member-access': 'off', '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-argument': 'off', '@typescript-eslint/no-unsafe-call': 'off' },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly', fetch: 'readonly', AbortSignal: 'readonly', AbortController: 'readonly', __dirname: 'readonly' } },
  },
);
