/**
 * One pass over the tokens of daemon.json for what jsonc-parser tolerates but
 * Go's encoding/json (dockerd's decoder) rejects: comments, trailing commas and
 * stray characters — each with the error text Go prints — and the nesting depth
 * (checked before the recursive parser runs).
 * Source: devicemapper.md §2.2 (the file is decoded with Go's encoding/json and
 * any error stops the daemon: `unable to configure the Docker daemon with file <path>: <msg>`).
 */
import { createScanner } from 'jsonc-parser';
import { goQuote } from '../text/ramInBytes.js';

// jsonc-parser's SyntaxKind (a const enum, not importable under isolatedModules).
const K = { OpenBrace: 1, CloseBrace: 2, OpenBracket: 3, CloseBracket: 4, Comma: 5, Colon: 6, String: 10, LineComment: 12, BlockComment: 13, LineBreak: 14, Trivia: 15, Unknown: 16, EOF: 17 } as const;

export interface TokenIssue {
  kind: 'comment' | 'trailing-comma' | 'stray-character';
  start: number;
  end: number;
  /** End of the whole token (a stray token may run on past its first character). */
  tokenEnd: number;
  /** Go's error text, e.g. `invalid character '/' looking for beginning of object key string`. */
  goError: string;
}

export interface TokenScan {
  issues: TokenIssue[];
  maxDepth: number;
  /** Offset where nesting first exceeded the limit. */
  tooDeepAt?: number;
}

type State = 'value' | 'end' | 'key' | 'colon' | 'objValue' | 'objNext' | 'arrValue' | 'arrNext';

/** Go's `quoteChar`. */
function goQuoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return '\'"\'';
  const q = goQuote(c);
  return `'${q.slice(1, -1)}'`;
}

function context(state: State): string {
  switch (state) {
    case 'value': case 'objValue': case 'arrValue': return 'looking for beginning of value';
    case 'end': return 'after top-level value';
    case 'key': return 'looking for beginning of object key string';
    case 'colon': return 'after object key';
    case 'objNext': return 'after object key:value pair';
    case 'arrNext': return 'after array element';
  }
}

export function scanTokens(text: string, depthLimit: number, maxIssues = 1000): TokenScan {
  const scanner = createScanner(text, false);
  const issues: TokenIssue[] = [];
  const stack: State[] = [];
  let state: State = 'value';
  let maxDepth = 0;
  let tooDeepAt: number | undefined;
  let pendingComma: { start: number; inObject: boolean } | undefined;
  const afterValue = (): void => {
    const inObject = state === 'objValue' || state === 'key' || state === 'colon' || state === 'objNext';
    state = stack.length === 0 ? 'end' : inObject ? 'objNext' : 'arrNext';
  };
  for (;;) {
    const kind = scanner.scan() as number;
    if (kind === K.EOF) break;
    const start = scanner.getTokenOffset();
    // jsonc-parser reports a block comment cut right after its "/*" one character past the text's end.
    const end = Math.min(text.length, start + scanner.getTokenLength());
    if (kind === K.Trivia || kind === K.LineBreak) continue;
    if (kind === K.LineComment || kind === K.BlockComment) {
      if (issues.length < maxIssues) issues.push({ kind: 'comment', start, end, tokenEnd: end, goError: `invalid character '/' ${context(state)}` });
      continue;
    }
    if (pendingComma && (kind === K.CloseBrace || kind === K.CloseBracket)) {
      const closer = text[start]!;
      if (issues.length < maxIssues) issues.push({ kind: 'trailing-comma', start: pendingComma.start, end: pendingComma.start + 1, tokenEnd: pendingComma.start + 1, goError: `invalid character ${goQuoteChar(closer)} ${pendingComma.inObject ? 'looking for beginning of object key string' : 'looking for beginning of value'}` });
    }
    pendingComma = undefined;
    switch (kind) {
      case K.OpenBrace:
      case K.OpenBracket:
        stack.push(state);
        if (stack.length > maxDepth) maxDepth = stack.length;
        if (stack.length > depthLimit && tooDeepAt === undefined) tooDeepAt = start;
        state = kind === K.OpenBrace ? 'key' : 'arrValue';
        break;
      case K.CloseBrace:
      case K.CloseBracket:
        state = stack.pop() ?? 'value';
        afterValue();
        break;
      case K.Comma:
        if (state === 'objNext') {
          state = 'key';
          pendingComma = { start, inObject: true };
        } else if (state === 'arrNext') {
          state = 'arrValue';
          pendingComma = { start, inObject: false };
        }
        break;
      case K.Colon:
        if (state === 'colon') state = 'objValue';
        break;
      case K.String:
        if (state === 'key') state = 'colon';
        else afterValue();
        break;
      case K.Unknown: {
        // A UTF-8 byte-order mark is not reported (newer dockerd strip it; see the report in validate.ts).
        if (start === 0 && text.charCodeAt(0) === 0xfeff) break;
        const ch = String.fromCodePoint(text.codePointAt(start) ?? 0xfffd);
        if (issues.length < maxIssues) issues.push({ kind: 'stray-character', start, end: start + ch.length, tokenEnd: end, goError: `invalid character ${goQuoteChar(ch)} ${context(state)}` });
        break;
      }
      default:
        afterValue();
    }
  }
  return { issues, maxDepth, tooDeepAt };
}
