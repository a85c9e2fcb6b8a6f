import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import { validateDaemonJson, type Finding, type Severity } from '../../core/index.js';
import { logAnalysis, type DocumentStore, type LiveDocument } from '../documents.js';
import type { FixData } from './codeActions.js';
import type { SettingsStore } from '../settings.js';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(f: Finding, uri: string): Diagnostic {
  const d: Diagnostic = { range: f.range, severity: SEVERITY[f.severity], code: f.code, source: 'dmlens', message: f.message };
  // The quick fixes travel with the diagnostic, so code actions need no second analysis.
  const fixes = [...(f.fix ? [f.fix] : []), ...(f.moreFixes ?? [])];
  if (fixes.length > 0) d.data = { fixes } satisfies FixData;
  if (f.related) d.relatedInformation = f.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  return d;
}

/**
 * Push diagnostics, debounced per document so typing does not re-diagnose on
 * every keystroke; a result computed for an older version is dropped.
 */
export function registerDiagnostics(connection: Connection, docs: DocumentStore, settings: SettingsStore, delayMs: () => number): { revalidateAll(): void } {
  const timers = new Map<string, NodeJS.Timeout>();
  const schedule = (doc: LiveDocument): void => {
    clearTimeout(timers.get(doc.uri));
    timers.set(
      doc.uri,
      setTimeout(() => {
        timers.delete(doc.uri);
        void publish(doc);
      }, delayMs()),
    );
  };
  const publish = async (doc: LiveDocument): Promise<void> => {
    const version = doc.version;
    const s = await settings.get(doc.uri);
    if (docs.get(doc.uri) !== doc || doc.version !== version) return;
    let diagnostics: Diagnostic[] = [];
    try {
      const findings =
        doc.kind === 'transcript' ? doc.diagnostics.compute(s.thresholds)
        : doc.kind === 'log' ? logAnalysis(doc).analysis.findings
        : validateDaemonJson(doc.text.getText(), { engine: s.engineVersion });
      diagnostics = findings.map((f) => toDiagnostic(f, doc.uri));
    } catch (e) {
      connection.console.error(`diagnostics failed for ${doc.uri}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
    await connection.sendDiagnostics({ uri: doc.uri, version, diagnostics });
  };
  docs.onDidChangeContent(schedule);
  docs.onDidClose((uri) => {
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  });
  return {
    revalidateAll(): void {
      for (const doc of docs.all()) schedule(doc);
    },
  };
}
