import type { Connection, TextDocumentContentChangeEvent } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeLog, splitLines, TranscriptDiagnostics, TranscriptDocument, type LogAnalysis } from '../core/index.js';

/** A dm-thin transcript: its parsed model (updated incrementally) and its diagnostics cache. */
export interface TranscriptLive {
  kind: 'transcript';
  uri: string;
  languageId: string;
  version: number;
  model: TranscriptDocument;
  diagnostics: TranscriptDiagnostics;
}

/** A daemon.json (JSON or JSONC opened by a client selector for daemon.json names): small, re-validated whole. */
export interface DaemonJsonLive {
  kind: 'daemon-json';
  uri: string;
  languageId: string;
  version: number;
  text: TextDocument;
}

/** A log (VS Code's `log` language, or plain text matching dmLens.logs.files): re-analysed whole, once per version. */
export interface LogLive {
  kind: 'log';
  uri: string;
  languageId: string;
  version: number;
  text: TextDocument;
  cache?: { version: number; lines: string[]; analysis: LogAnalysis };
}

export type LiveDocument = TranscriptLive | DaemonJsonLive | LogLive;

/**
 * Which of our languages a document opened with `languageId` is. The client
 * only sends JSON files that match the daemon.json globs and plain-text files
 * that match the log globs.
 */
function kindOf(languageId: string): LiveDocument['kind'] | undefined {
  if (languageId === 'dmsetup') return 'transcript';
  if (languageId === 'json' || languageId === 'jsonc') return 'daemon-json';
  if (languageId === 'log' || languageId === 'plaintext') return 'log';
  return undefined;
}

/** The lines and analysis of a log at its current version (computed on first use after a change). */
export function logAnalysis(doc: LogLive): { lines: string[]; analysis: LogAnalysis } {
  if (doc.cache?.version !== doc.version) {
    const lines = splitLines(doc.text.getText());
    doc.cache = { version: doc.version, lines, analysis: analyzeLog(lines) };
  }
  return doc.cache;
}

/**
 * The server's own document store. Unlike TextDocuments it hands each content
 * change of a transcript to the model, so an edit re-parses only the segments
 * it touches instead of re-splitting the whole text.
 */
export class DocumentStore {
  private readonly docs = new Map<string, LiveDocument>();
  private readonly listeners: ((doc: LiveDocument) => void)[] = [];
  private readonly closeListeners: ((uri: string) => void)[] = [];

  listen(connection: Connection): void {
    connection.onDidOpenTextDocument(({ textDocument: d }) => {
      const kind = kindOf(d.languageId);
      if (!kind) return;
      let doc: LiveDocument;
      if (kind === 'transcript') {
        const model = new TranscriptDocument(d.text);
        doc = { kind, uri: d.uri, languageId: d.languageId, version: d.version, model, diagnostics: new TranscriptDiagnostics(model) };
      } else {
        doc = { kind, uri: d.uri, languageId: d.languageId, version: d.version, text: TextDocument.create(d.uri, d.languageId, d.version, d.text) };
      }
      this.docs.set(d.uri, doc);
      this.emit(doc);
    });
    connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
      const doc = this.docs.get(textDocument.uri);
      if (!doc) return;
      if (doc.kind === 'transcript') doc.model.update(contentChanges.map(toChange));
      else doc.text = TextDocument.update(doc.text, contentChanges, textDocument.version);
      doc.version = textDocument.version;
      this.emit(doc);
    });
    connection.onDidCloseTextDocument(({ textDocument }) => {
      if (this.docs.delete(textDocument.uri)) for (const l of this.closeListeners) l(textDocument.uri);
    });
  }

  /** `uri` as the client sent it: a malformed request (no or a non-string uri) finds nothing. */
  get(uri: unknown): LiveDocument | undefined {
    return typeof uri === 'string' ? this.docs.get(uri) : undefined;
  }

  /** The transcript at `uri`, if that is what it is (transcript-only features use this). */
  transcript(uri: unknown): TranscriptLive | undefined {
    const d = this.get(uri);
    return d?.kind === 'transcript' ? d : undefined;
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
