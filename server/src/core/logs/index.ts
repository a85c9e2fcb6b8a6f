/**
 * Log lines (issue 5): the envelope around a message, recognition against the
 * catalogue (knowledge/logCatalogue.ts), findings, pool episodes, symbols and
 * hovers. Re-exported by core/index.ts.
 */
export { parseEnvelope, type LogEnvelope, type LogFormat, type LogClock, type LogTimestamp, type LogField } from './envelope.js';
export { matchLogLine, logMatchStats, resetLogMatchStats, logDispatchGates, MAX_MATCH_CHARS, LOG_WORDING_COUNT, type LogMatch, type LogVariable, type LogSpan } from './match.js';
export { analyzeLog, LogAnalyzer, episodeName, EPISODE_GAP_SECONDS, type LogAnalysis, type LogEpisode, type LogStateChange, type LogSymbol, type LogMatchRecord } from './analyze.js';
export { logHoverAt, logHoverMarkdown, type LogHoverOptions } from './hover.js';
export { logMessage, explainValues, type ValueNote } from './explain.js';
export { LOG_CATALOGUE, logEntry, type LogEntry, type LogWording, type LogOrigin, type PoolState } from '../knowledge/logCatalogue.js';
