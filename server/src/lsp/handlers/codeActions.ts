import { CodeActionKind, type CodeAction, type Connection, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { DocumentStore } from '../documents.js';
import { runSafe } from '../runSafe.js';

/** The quick fixes a finding carries to the client in `Diagnostic.data` (see toDiagnostic). */
export interface FixData {
  fixes: { title: string; edits: TextEdit[]; preferred?: boolean }[];
}

function fixesOf(d: Diagnostic): FixData['fixes'] {
  const data = d.data as Partial<FixData> | undefined;
  if (!Array.isArray(data?.fixes)) return [];
  // Data comes back from the client: keep only well-formed fixes.
  return data.fixes.filter((f) => typeof f?.title === 'string' && Array.isArray(f.edits));
}

/** Quick fixes: every fix a diagnostic carries becomes one code action with its edits. */
export function registerCodeActions(connection: Connection, docs: DocumentStore): void {
  connection.onCodeAction((params, token) =>
    runSafe<CodeAction[]>(connection, token, [], 'codeAction', () => {
      const context = params?.context;
      const doc = docs.get(params?.textDocument?.uri);
      if (!doc || !Array.isArray(context?.diagnostics)) return [];
      const only = context.only;
      if (only && !only.some((k) => k === CodeActionKind.Empty || k === CodeActionKind.QuickFix)) return [];
      const actions: CodeAction[] = [];
      for (const d of context.diagnostics) {
        for (const fix of fixesOf(d)) {
          actions.push({
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [d],
            isPreferred: fix.preferred === true,
            edit: { changes: { [doc.uri]: fix.edits } },
          });
        }
      }
      return actions;
    }),
  );
}
