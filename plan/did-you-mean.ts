/**
 * Suggests the closest known word for a misspelt one, so that an unknown config key or stack name
 * can be answered with "did you mean ...?" instead of only a list to read through.
 */

/** The candidate nearest to `word` by edit distance, if it is close enough to be a likely typo. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
        const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
        if (distance < bestDistance) {
            best = candidate;
            bestDistance = distance;
        }
    }
    // A third of the word's length (at least 1, at most 3) separates typos from different words.
    const tolerance = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
    return bestDistance <= tolerance ? best : undefined;
}

/**
 * Edit distance counting an insertion, deletion, substitution or swap of two neighbours as one
 * edit (optimal string alignment): swapped letters are the commonest typo in names.
 */
export function editDistance(a: string, b: string): number {
    const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
    for (let i = 1; i <= a.length; i++) {
        const row = [i];
        for (let j = 1; j <= b.length; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let distance = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
                distance = Math.min(distance, rows[i - 2][j - 2] + 1);
            }
            row.push(distance);
        }
        rows.push(row);
    }
    return rows[a.length][b.length];
}
