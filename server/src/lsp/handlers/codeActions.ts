import { CodeActionKind, type CodeAction, type Connection, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { DocumentStore } from '../documents.js';
import { runSafe } from '../runSafe.js';

/** The quick fix a finding carries to the client in `Diagnostic.data` (see toDiagnostic). */
export interface FixData {
  fix: { title: string; edits: TextEdit[] };
}

function fixOf(d: Diagnostic): FixData['fix'] | undefined {
  const data = d.data as Partial<FixData> | undefined;
  return data?.fix && Array.isArray(data.fix.edits) ? data.fix : undefined;
}

/** Quick fixes: each diagnostic that carries a fix becomes one code action with its edits. */
export function registerCodeActions(connection: Connection, docs: DocumentStore): void {
  connection.onCodeAction(({ textDocument, context }, token) =>
    runSafe<CodeAction[]>(connection, token, [], 'codeAction', () => {
      const doc = docs.get(textDocument.uri);
      if (!doc) return [];
      const actions: CodeAction[] = [];
      for (const d of context.diagnostics) {
        const fix = fixOf(d);
        if (!fix) continue;
        actions.push({
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: fix.edits.length === 1,
          edit: { changes: { [textDocument.uri]: fix.edits } },
        });
      }
      return actions;
    }),
  );
}
