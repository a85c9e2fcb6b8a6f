import { MarkupKind, type Connection } from 'vscode-languageserver/node';
import { daemonJsonHover, hoverAt, logHoverAt } from '../../core/index.js';
import { logAnalysis, type DocumentStore } from '../documents.js';
import type { SettingsStore } from '../settings.js';
import { runSafe } from '../runSafe.js';

export function registerHover(connection: Connection, docs: DocumentStore, settings: SettingsStore): void {
  connection.onHover(async (params, token) => {
    // Params come from the client: a malformed request gets null, not an exception.
    const uri: unknown = params?.textDocument?.uri;
    const position = params?.position;
    const doc = typeof uri === 'string' && position ? docs.get(uri) : undefined;
    if (!doc || !position) return null;
    // daemon.json hovers depend on the engine version setting; transcripts need none.
    const engine = doc.kind === 'daemon-json' ? (await settings.get(doc.uri)).engineVersion : undefined;
    return runSafe(connection, token, null, 'hover', () => {
      let h;
      if (doc.kind === 'transcript') {
        // Log lines pasted into a transcript are explained by the catalogue inside hoverAt.
        h = hoverAt(doc.model, position.line, position.character);
      } else if (doc.kind === 'log') {
        const { lines, analysis } = logAnalysis(doc);
        h = logHoverAt(lines, position.line, position.character, { analysis });
      } else {
        h = daemonJsonHover(doc.text.getText(), position, engine);
      }
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: h.range } : null;
    });
  });
}
