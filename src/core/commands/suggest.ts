/**
 * Optimal-string-alignment distance, case-insensitive, for "did you mean" hints: like Levenshtein,
 * but two swapped neighbours ("modle" for "model") cost one edit, the commonest typo.
 */
export function editDistance(a: string, b: string): number {
  const x = Array.from(a.toLowerCase());
  const y = Array.from(b.toLowerCase());
  let before: number[] = [];
  let prev = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) cur[j] = Math.min(cur[j], before[j - 2] + 1);
    }
    before = prev;
    prev = cur;
  }
  return prev[y.length];
}

/** The closest candidate when it is close enough to be a plausible typo (a third of the word, at least 2). */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const length = Array.from(word).length;
  for (const c of candidates) {
    const d = editDistance(word, c);
    // On a tie, the candidate closest in length wins: a typo rarely adds or drops a letter as well.
    const closer = d === bestDistance && best !== undefined && Math.abs(Array.from(c).length - length) < Math.abs(Array.from(best).length - length);
    if (d < bestDistance || closer) { best = c; bestDistance = d; }
  }
  const allowed = Math.max(2, Math.floor(length / 3));
  return bestDistance <= allowed && bestDistance < length ? best : undefined;
}

/** ` Did you mean X?` or nothing. */
export function didYouMean(word: string, candidates: readonly string[], show: (s: string) => string = (s) => s): string {
  const n = nearest(word, candidates);
  return n === undefined ? '' : ` Did you mean ${show(n)}?`;
}

/** Keeps echoed user input short and free of backticks that would break the formatting. */
export function clip(text: string, max = 40): string {
  const clean = text.replace(/`/g, "'").replace(/\s+/g, ' ');
  const chars = Array.from(clean);
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : clean;
}
