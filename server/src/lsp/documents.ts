import type { Connection, TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { TranscriptDiagnostics, TranscriptDocument } from '../core/index.js';

/** One open document: its parsed model (updated incrementally) and its diagnostics cache. */
export interface LiveDocument {
  uri: string;
  languageId: string;
  version: number;
  model: TranscriptDocument;
  diagnostics: TranscriptDiagnostics;
}

export const SUPPORTED_LANGUAGES = new Set(['dmsetup']);

/**
 * The server's own document store. Unlike TextDocuments it hands each content
 * change to the model, so an edit re-parses only the segments it touches
 * instead of re-splitting the whole text.
 */
export class DocumentStore {
  private readonly docs = new Map<string, LiveDocument>();
  private readonly listeners: ((doc: LiveDocument) => void)[] = [];
  private readonly closeListeners: ((uri: string) => void)[] = [];

  listen(connection: Connection): void {
    connection.onDidOpenTextDocument(({ textDocument: d }) => {
      if (!SUPPORTED_LANGUAGES.has(d.languageId)) return;
      const model = new TranscriptDocument(d.text);
      const doc: LiveDocument = { uri: d.uri, languageId: d.languageId, version: d.version, model, diagnostics: new TranscriptDiagnostics(model) };
      this.docs.set(d.uri, doc);
      this.emit(doc);
    });
    connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
      const doc = this.docs.get(textDocument.uri);
      if (!doc) return;
      doc.model.update(contentChanges.map(toChange));
      doc.version = textDocument.version;
      this.emit(doc);
    });
    connection.onDidCloseTextDocument(({ textDocument }) => {
      if (this.docs.delete(textDocument.uri)) for (const l of this.closeListeners) l(textDocument.uri);
    });
  }

  get(uri: string): LiveDocument | undefined {
    return this.docs.get(uri);
  }

  all(): IterableIterator<LiveDocument> {
    return this.docs.values();
  }

  onDidChangeContent(l: (doc: LiveDocument) => void): void {
    this.listeners.push(l);
  }

  onDidClose(l: (uri: string) => void): void {
    this.closeListeners.push(l);
  }

  private emit(doc: LiveDocument): void {
    for (const l of this.listeners) l(doc);
  }
}

function toChange(c: TextDocumentContentChangeEvent): { range?: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string } {
  return 'range' in c && c.range ? { range: c.range, text: c.text } : { text: c.text };
}
