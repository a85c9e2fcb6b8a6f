import { CompletionItemKind, CompletionItemTag, InsertTextFormat, MarkupKind, type CompletionItem, type Connection } from 'vscode-languageserver/node';
import { daemonJsonCompletions, type DaemonCompletionKind } from '../../core/index.js';
import type { DocumentStore } from '../documents.js';
import type { SettingsStore } from '../settings.js';
import { runSafe } from '../runSafe.js';

const KIND: Record<DaemonCompletionKind, CompletionItemKind> = {
  option: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  driver: CompletionItemKind.Value,
};

/** `"`, `=` and `.` open the lists inside storage-opts strings and the storage-driver value. */
export const COMPLETION_TRIGGERS = ['"', '=', '.'];

/** Completion in daemon.json (transcripts have none). */
export function registerCompletion(connection: Connection, docs: DocumentStore, settings: SettingsStore): void {
  connection.onCompletion(async (params, token) => {
    // Params come from the client: a malformed request gets null, not an exception.
    const uri: unknown = params?.textDocument?.uri;
    const position = params?.position;
    const doc = typeof uri === 'string' && position ? docs.get(uri) : undefined;
    if (doc?.kind !== 'daemon-json' || !position) return null;
    const { engineVersion } = await settings.get(doc.uri);
    return runSafe<CompletionItem[] | null>(connection, token, null, 'completion', () =>
      daemonJsonCompletions(doc.text.getText(), position, engineVersion).map((c) => ({
        label: c.label,
        kind: KIND[c.kind],
        ...(c.detail ? { detail: c.detail } : {}),
        ...(c.documentation ? { documentation: { kind: MarkupKind.Markdown, value: c.documentation } } : {}),
        textEdit: { range: c.range, newText: c.insertText },
        insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        sortText: c.sortText,
        // The label filters against the word typed inside the string, not the quote.
        filterText: c.label,
        ...(c.deprecated ? { tags: [CompletionItemTag.Deprecated] } : {}),
      })),
    );
  });
}
