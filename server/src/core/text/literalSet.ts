/**
 * Does a text contain any of a fixed set of literal strings? An Aho–Corasick automaton over
 * UTF-16 code units with a dense transition table for ASCII: one table lookup per character,
 * whatever the number of literals. Built for the log gates (logs/match.ts), where an
 * alternation regex of ~50 literals has to be tried at every position of every unrelated line
 * (irregexp cannot skip ahead on an alternation) and cost several times a plain line split.
 */

/** Characters at or above this code move to the root state (no literal holds them) or, when some literal holds them, go through the slow map. */
const ASCII = 128;
/** Marks, in the table, a state where some literal ends. */
const ACCEPT = 1 << 30;

export class LiteralSet {
  /**
   * next[row + code], row = state × ASCII: the row of the state after reading an ASCII character
   * (failure links folded in), with ACCEPT set when a literal ends there — one load per character.
   */
  private readonly next: Int32Array;
  /** Transitions on non-ASCII characters, only for literals that contain some. */
  private readonly wide: Map<number, Map<number, number>>;
  /** For each state, whether some literal ends here (directly or through a failure link). */
  private readonly accepting: Uint8Array;
  private readonly fail: Int32Array;

  constructor(literals: readonly string[]) {
    // 1. The trie.
    const edges: Map<number, number>[] = [new Map<number, number>()];
    const ends: boolean[] = [false];
    for (const word of literals) {
      if (word.length === 0) throw new Error('LiteralSet: an empty literal matches everything');
      let s = 0;
      for (let i = 0; i < word.length; i++) {
        const c = word.charCodeAt(i);
        let t = edges[s]!.get(c);
        if (t === undefined) {
          t = edges.length;
          edges.push(new Map<number, number>());
          ends.push(false);
          edges[s]!.set(c, t);
        }
        s = t;
      }
      ends[s] = true;
    }
    // 2. Failure links, breadth first; a state accepts when its failure state does.
    const n = edges.length;
    const fail = new Int32Array(n);
    const order: number[] = [];
    for (const t of edges[0]!.values()) order.push(t);
    for (let q = 0; q < order.length; q++) {
      const s = order[q]!;
      for (const [c, t] of edges[s]!) {
        let f = fail[s]!;
        while (f !== 0 && !edges[f]!.has(c)) f = fail[f]!;
        const g = edges[f]!.get(c);
        fail[t] = g !== undefined && g !== t ? g : 0;
        if (ends[fail[t]]) ends[t] = true;
        order.push(t);
      }
    }
    // 3. The dense ASCII table (goto with failures resolved), states in BFS order so parents come first.
    const next = new Int32Array(n * ASCII);
    const wide = new Map<number, Map<number, number>>();
    for (const s of [0, ...order]) {
      for (let c = 0; c < ASCII; c++) {
        const t = edges[s]!.get(c);
        next[s * ASCII + c] = t !== undefined ? t : s === 0 ? 0 : next[fail[s]! * ASCII + c]!;
      }
      for (const [c, t] of edges[s]!) {
        if (c < ASCII) continue;
        let m = wide.get(s);
        if (!m) wide.set(s, (m = new Map<number, number>()));
        m.set(c, t);
      }
    }
    // Rows instead of state numbers, and the accept bit, so the scan does one load per character.
    for (let i = 0; i < next.length; i++) next[i] = next[i]! * ASCII + (ends[next[i]!] ? ACCEPT : 0);
    this.next = next;
    this.wide = wide;
    this.fail = fail;
    this.accepting = Uint8Array.from(ends, (e) => (e ? 1 : 0));
  }

  /** True when `text` (up to `end`) contains one of the literals. */
  test(text: string, end = text.length): boolean {
    const next = this.next;
    const stop = Math.min(end, text.length);
    let row = 0;
    for (let i = 0; i < stop; i++) {
      const c = text.charCodeAt(i);
      if (c < ASCII) {
        row = next[row + c]!;
        if (row >= ACCEPT) return true;
      } else {
        const s = this.wideStep(row / ASCII, c);
        if (this.accepting[s] === 1) return true;
        row = s * ASCII;
      }
    }
    return false;
  }

  /** A non-ASCII character: follow the literals that hold it, else fall back towards the root. */
  private wideStep(state: number, c: number): number {
    if (this.wide.size === 0) return 0;
    for (let s = state; ; s = this.fail[s]!) {
      const t = this.wide.get(s)?.get(c);
      if (t !== undefined) return t;
      if (s === 0) return 0;
    }
  }
}
