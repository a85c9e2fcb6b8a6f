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
 * At most this many findings are published per document. Without a cap a 50 MB
 * transcript (about 600 000 lines, 800 000 findings) meant 36 s from didOpen to
 * diagnostics, 2 GB resident in the server and more in the editor, which has to
 * parse, store and draw them all (issue 9). Beyond a thousand a Problems list is
 * not read anyway; `dmlens check` prints every finding.
 */
export const MAX_PUBLISHED_DIAGNOSTICS = 1000;

/** The code of the one extra diagnostic that says findings were left out. */
export const TOO_MANY_FINDINGS = 'too-many-findings';

const RANK: Severity[] = ['error', 'warning', 'information', 'hint'];

/**
 * The findings to publish: all of them up to `max`; beyond that the `max` most
 * severe (errors first, then warnings, …; in document order within a severity),
 * returned in the findings' own order, plus how many there were in all.
 */
export function capFindings(findings: readonly Finding[], max = MAX_PUBLISHED_DIAGNOSTICS): { shown: readonly Finding[]; total: number } {
  if (findings.length <= max) return { shown: findings, total: findings.length };
  const keep: number[] = [];
  for (const severity of RANK) {
    for (let i = 0; i < findings.length && keep.length < max; i++) if (findings[i]!.severity === severity) keep.push(i);
    if (keep.length >= max) break;
  }
  keep.sort((a, b) => a - b);
  return { shown: keep.map((i) => findings[i]!), total: findings.length };
}

/** The diagnostic at the top of the document that says how many findings were not published. */
function tooManyDiagnostic(shown: number, total: number): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Information,
    code: TOO_MANY_FINDINGS,
    source: 'dmlens',
    message: `${total.toLocaleString('en-US')} findings: only the ${shown.toLocaleString('en-US')} most severe are shown. \`dmlens check\` lists them all.`,
  };
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
      const { shown, total } = capFindings(findings);
      diagnostics = shown.map((f) => toDiagnostic(f, doc.uri));
      if (total > shown.length) diagnostics.push(tooManyDiagnostic(shown.length, total));
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
