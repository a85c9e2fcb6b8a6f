import { readFileSync, statSync } from 'node:fs';
import { inspectCommand } from './inspect.js';
import { reclaimCommand } from './reclaim.js';
import { UsageError } from './usageError.js';
import { analyzeLog, logHoverAt, matchLogLine, DEFAULT_THRESHOLDS, LANGUAGES, TranscriptDiagnostics, TranscriptDocument, detectLanguage, daemonJsonHover, hoverAt, splitLines, validateDaemonJson, type Finding, type LanguageId } from '../core/index.js';

/**
 * dmlens — the command-line twin of the extension, on the same core.
 * Exit codes: 0 no error-severity finding; 1 some (or, for explain, nothing to
 * explain); 2 usage error or unreadable file. Output goes to stdout only;
 * errors are one line on stderr.
 */
const VERSION = '0.1.0';

const USAGE = `Usage:
  dmlens check [--format text|json] [--language ${LANGUAGES.join('|')}] [--engine <version>] <file>...
  dmlens explain [--language ${LANGUAGES.join('|')}] [--engine <version>] <file> <line>[:<column>]
  dmlens inspect [--json] [--concurrency N] [--ssh PATH] [--ssh-config FILE] [--ssh-option KEY=VALUE]...
                 [--sudo] [--timeout SECONDS] [--inventory FILE] [--transcript] <host>...
  dmlens reclaim [--yes] [--json] [--save FILE] [--pool NAME]... [--prune-images] [--prune-containers]
                 [--ssh PATH] [--ssh-config FILE] [--ssh-option KEY=VALUE]... [--sudo] [--timeout SECONDS] <host>
  dmlens --help | --version            (also: dmlens <command> --help)

check    Diagnose files; exit 0 when no error-severity finding, 1 when some, 2 on a usage error.
         daemon.json is recognised by its name or content; --engine (e.g. 20.10.24) judges it
         as that Docker Engine would. Logs (dockerd, kernel, journal, syslog) are recognised by
         name (*.log, messages, syslog, journal*.txt, dmesg*.txt) or a timestamped first line;
         every other file is read as a dm-thin transcript. --language overrides detection.
explain  Print the explanation (hover text, Markdown) for a place; line and column are 1-based.
inspect  Read thin pools, Docker's engine and daemon.json on hosts over your own OpenSSH set-up
         (ssh config, agent, known_hosts; BatchMode, host keys always checked). One ssh
         process per host, read-only. Exit 0 all good, 1 an error-severity finding,
         3 a host could not be inspected, 2 usage error. --json prints the report as JSON;
         --transcript prints what was collected as a dm-thin transcript; --inventory adds
         the hosts of an Ansible inventory (INI or YAML); --sudo runs privileged steps
         through sudo -n (never a password prompt).
reclaim  Audit a host's pools, plan a safe reclaim (sync, fstrim of each mounted thin filesystem
         of an eligible pool; docker prune only when asked) and print it. With --yes, run it
         step by step, stop at the first failure, and measure what came back to the pool and
         to the host. Never blkdiscard, pool messages or thin_trim. Exit 0 done or plan shown,
         1 a step failed, 3 host not inspected, 2 usage error, 130 cancelled.

Colour is used on a terminal unless NO_COLOR is set.`;


interface Options {
  format: 'text' | 'json';
  language?: string;
  engine?: string;
  rest: string[];
}

function parseArgs(args: string[]): Options {
  const opts: Options = { format: 'text', rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--format') {
      const v = value();
      if (v !== 'text' && v !== 'json') throw new UsageError(`--format must be text or json, not "${v}"`);
      opts.format = v;
    } else if (flag === '--language') {
      opts.language = value();
    } else if (flag === '--engine') {
      const v = value();
      if (!/^\d+\.\d+(\.\d+)?(-ce|-ee)?$/.test(v)) throw new UsageError(`--engine needs a Docker Engine version such as 20.10.24, not "${v}"`);
      opts.engine = v;
    } else if (flag === '--') {
      opts.rest.push(...args.slice(i + 1));
      break;
    } else if (flag.startsWith('-') && flag !== '-') {
      throw new UsageError(`unknown option ${flag}`);
    } else {
      opts.rest.push(a);
    }
  }
  return opts;
}

function readText(path: string): string {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (st.isDirectory()) throw new UsageError(`cannot read ${path}: it is a directory`);
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (e as Error).message}`);
  }
}

function languageOf(path: string, text: string, requested: string | undefined): LanguageId {
  if (requested !== undefined) {
    if ((LANGUAGES as readonly string[]).includes(requested)) return requested as LanguageId;
    throw new UsageError(`unknown language "${requested}" (known: ${LANGUAGES.join(', ')})`);
  }
  // Anything else is read as a transcript: that language classifies every line it can.
  return detectLanguage(path, text) ?? 'dmsetup';
}

interface FileResult {
  path: string;
  language: LanguageId;
  findings: Finding[];
}

function check(opts: Options): number {
  if (opts.rest.length === 0) throw new UsageError('check needs at least one file');
  const results: FileResult[] = opts.rest.map((path) => {
    const text = readText(path);
    const language = languageOf(path, text, opts.language);
    const findings =
      language === 'daemon-json' ? validateDaemonJson(text, { engine: opts.engine })
      : language === 'log' ? analyzeLog(splitLines(text)).findings
      : new TranscriptDiagnostics(new TranscriptDocument(text)).compute(DEFAULT_THRESHOLDS);
    return { path, language, findings };
  });
  if (opts.format === 'json') {
    const json = {
      files: results.map((r) => ({
        path: r.path,
        language: r.language,
        diagnostics: r.findings.map((f) => {
          const fixes = [...(f.fix ? [f.fix] : []), ...(f.moreFixes ?? [])];
          // 0-based LSP ranges, and the quick fixes as LSP text edits, so tools can apply them.
          return { code: f.code, severity: f.severity, message: f.message, range: f.range, ...(fixes.length > 0 ? { fixes } : {}) };
        }),
      })),
    };
    process.stdout.write(JSON.stringify(json, null, 2) + '\n');
  } else {
    const color = process.stdout.isTTY === true && !process.env['NO_COLOR'];
    const paint = (code: string, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
    const tint = { error: '31', warning: '33', information: '36', hint: '2' } as const;
    const counts = { error: 0, warning: 0, information: 0, hint: 0 };
    for (const r of results) {
      for (const f of r.findings) {
        counts[f.severity]++;
        process.stdout.write(`${r.path}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${paint(tint[f.severity], f.severity)} ${paint('1', f.code)}: ${f.message}\n`);
      }
    }
    const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;
    process.stdout.write(`${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.information} information, ${plural(counts.hint, 'hint')} in ${plural(results.length, 'file')}\n`);
  }
  return results.some((r) => r.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

function explain(opts: Options): number {
  const [path, where, ...extra] = opts.rest;
  if (!path || !where || extra.length > 0) throw new UsageError('explain needs <file> <line>[:<column>]');
  const m = /^(\d+)(?::(\d+))?$/.exec(where);
  if (!m || Number(m[1]) < 1 || (m[2] !== undefined && Number(m[2]) < 1)) throw new UsageError(`"${where}" is not <line>[:<column>] with 1-based numbers`);
  const text = readText(path);
  const line = Number(m[1]) - 1;
  const language = languageOf(path, text, opts.language);
  if (language === 'daemon-json') return explainDaemonJson(path, text, line, m[2], opts.engine);
  if (language === 'log') return explainLog(path, text, line, m[2]);
  const doc = new TranscriptDocument(text);
  if (line >= doc.lineCount) throw new UsageError(`${path} has ${doc.lineCount} lines; there is no line ${m[1]}`);
  const columns = m[2] !== undefined ? [Number(m[2]) - 1] : firstTokenColumns(doc, line);
  for (const c of columns) {
    const h = hoverAt(doc, line, c);
    if (h) {
      process.stdout.write(h.markdown + '\n');
      return 0;
    }
  }
  return 1;
}

/** A log line: the catalogue's explanation of the message (or of the variable at the column). */
function explainLog(path: string, text: string, line: number, column: string | undefined): number {
  const lines = splitLines(text);
  const lineText = lines[line];
  if (lineText === undefined) throw new UsageError(`${path} has ${lines.length} lines; there is no line ${line + 1}`);
  const match = matchLogLine(lineText);
  if (!match) return 1;
  const h = logHoverAt(lines, line, column !== undefined ? Number(column) - 1 : match.messageRange.start, { match });
  if (!h) return 1;
  process.stdout.write(h.markdown + '\n');
  return 0;
}

/** daemon.json: the key or value at the column, or without one the first explainable place of the line. */
function explainDaemonJson(path: string, text: string, line: number, column: string | undefined, engine: string | undefined): number {
  const lines = splitLines(text);
  const lineText = lines[line];
  if (lineText === undefined) throw new UsageError(`${path} has ${lines.length} lines; there is no line ${line + 1}`);
  const columns = column !== undefined ? [Number(column) - 1] : [...lineText.matchAll(/"[^"]/g)].map((x) => x.index + 1);
  for (const c of columns) {
    const h = daemonJsonHover(text, { line, character: c }, engine);
    if (h) {
      process.stdout.write(h.markdown + '\n');
      return 0;
    }
  }
  return 1;
}

/** Without a column, explain the most telling token of the line: try every token start. */
function firstTokenColumns(doc: TranscriptDocument, line: number): number[] {
  const p = doc.lineAt(line);
  if (!p) return [];
  const order = ['pool.data', 'pool.special', 'file.allocated', 'thin.mapped', 'dockerInfo.key', 'devno'];
  const tokens = [...p.tokens].sort((a, b) => rank(a.role) - rank(b.role));
  function rank(role: string): number {
    const i = order.indexOf(role);
    return i < 0 ? order.length : i;
  }
  return tokens.map((t) => t.start);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  // `dmlens inspect --help` asks for help, not for a host named --help (after `--` it is an operand).
  const options = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  if (command !== undefined && (options.includes('--help') || options.includes('-h'))) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(USAGE + '\n');
        return command === undefined ? 2 : 0;
      case '--version':
      case '-V':
        process.stdout.write(`dmlens ${VERSION}\n`);
        return 0;
      case 'check':
        return check(parseArgs(args));
      case 'explain':
        return explain(parseArgs(args));
      case 'inspect':
        return await inspectCommand(args);
      case 'reclaim':
        return await reclaimCommand(args);
      default:
        throw new UsageError(`unknown command "${command}" (try dmlens --help)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`dmlens: ${e.message}\n`);
      return 2;
    }
    process.stderr.write(`dmlens: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
