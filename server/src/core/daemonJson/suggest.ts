/**
 * "Did you mean" for unknown keys: optimal-string-alignment distance on a
 * normalised form (lower case, `-` = `_`), plus prefix matches such as
 * `dm.min_free_space_percent` → `dm.min_free_space`.
 */

export function editDistance(a: string, b: string, cap = 64): number {
  if (a === b) return 0;
  if (a.length > cap || b.length > cap) return Math.max(a.length, b.length);
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

function normalise(s: string): string {
  return s.toLowerCase().replace(/-/g, '_').replace(/\s+/g, '');
}

/**
 * The candidate closest to `word`, or undefined when nothing is close.
 * `prefix` (e.g. `dm.`) is also tried in front of a word that lacks it.
 */
export function nearest(word: string, candidates: readonly string[], prefix = ''): string | undefined {
  if (word.length === 0 || word.length > 64) return undefined;
  const forms = [normalise(word)];
  if (prefix && !forms[0]!.startsWith(prefix)) forms.push(prefix + forms[0]!);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const nc = normalise(c);
    for (const f of forms) {
      let score = editDistance(f, nc);
      const stem = prefix && nc.startsWith(prefix) ? nc.length - prefix.length : nc.length;
      const limit = Math.max(1, Math.min(4, Math.floor(stem / 3)));
      if (score > limit) {
        const shorter = f.length < nc.length ? f : nc;
        const longer = f.length < nc.length ? nc : f;
        if (shorter.length - prefix.length >= 5 && longer.startsWith(shorter)) score = limit;
        else continue;
      }
      if (score < bestScore) {
        bestScore = score;
        best = c;
      }
    }
  }
  return best;
}
