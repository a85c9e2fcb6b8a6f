/**
 * The public API of the pure core. Everything above the core (language server,
 * CLI, VS Code client) imports from here only.
 */
export type { Position, Range, Span } from './text/position.js';
export { splitLines } from './text/lines.js';
export { quoteCommand } from './text/shellWords.js';
export { formatBinary, formatPercent, formatCount } from './text/units.js';
export { TranscriptDocument, type ContentChange } from './transcript/document.js';
export type { ParsedLine, LineKind } from './transcript/lineTypes.js';
export type { Finding } from './analysis/finding.js';
export { TranscriptDiagnostics } from './analysis/transcriptDiagnostics.js';
export { hoverAt, type HoverResult } from './analysis/hover.js';
export { inlayHints, type InlayHint } from './analysis/inlayHints.js';
export { documentSymbols, limitedDocumentSymbols, foldingRanges, type TranscriptSymbol, type SymbolKind } from './analysis/symbols.js';
export { DEFAULT_THRESHOLDS, normaliseThresholds, type Thresholds } from './knowledge/thresholds.js';
export { TRANSCRIPT_CODES, type Severity } from './knowledge/findingCodes.js';
export { LANGUAGES, detectLanguage, type LanguageId } from './languages.js';
export * from './daemonJson/index.js';
export * from './logs/index.js';
export * from './inspect/index.js';
export * from './hosts/index.js';
export * from './reclaim/index.js';
export { RESULT_LIMIT_REACHED, type ResultLimitReached } from './protocol.js';
