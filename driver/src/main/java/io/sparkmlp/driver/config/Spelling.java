package io.sparkmlp.driver.config;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean ...?" for unknown keys. */
final class Spelling {

    private Spelling() { }

    /**
     * Optimal-string-alignment distance (Damerau–Levenshtein without repeated edits of a
     * substring): the fewest insertions, deletions, substitutions and transpositions of two
     * adjacent characters turning {@code a} into {@code b}.
     */
    static int distance(String a, String b) {
        int n = a.length();
        int m = b.length();
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) d[i][0] = i;
        for (int j = 0; j <= m; j++) d[0][j] = j;
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[n][m];
    }

    /**
     * The known key closest to {@code unknown}, compared case-insensitively on the full key, when
     * it is close enough to be a typo (at most max(2, length/3) edits); otherwise a known key
     * that the unknown one extends or abbreviates ({@code output.directory} → {@code output.dir},
     * {@code train.learning} → {@code train.learningRate}); otherwise a known key with the same
     * last segment ({@code model.learningRate} → {@code train.learningRate});
     * otherwise {@code spark.<rest>} when the first segment is a misspelt {@code spark};
     * otherwise null. Ties go to the earlier key in {@code known}.
     */
    static String suggest(String unknown, Collection<String> known) {
        String u = unknown.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int dist = distance(u, k.toLowerCase(Locale.ROOT));
            if (dist < bestDistance) {
                best = k;
                bestDistance = dist;
            }
        }
        if (best != null && bestDistance <= Math.max(2, u.length() / 3)) {
            return best;
        }
        String leaf = u.substring(u.lastIndexOf('.') + 1);
        if (!leaf.isEmpty() && u.contains(".")) {
            for (String k : known) {
                String kl = k.toLowerCase(Locale.ROOT);
                if (u.startsWith(kl) || kl.startsWith(u)) {
                    return k;
                }
            }
        }
        if (!leaf.isEmpty()) {
            for (String k : known) {
                if (k.toLowerCase(Locale.ROOT).substring(k.lastIndexOf('.') + 1).equals(leaf)) {
                    return k;
                }
            }
        }
        int dot = u.indexOf('.');
        if (dot > 0 && dot < u.length() - 1 && distance(u.substring(0, dot), "spark") <= 2) {
            return "spark" + unknown.substring(dot);
        }
        return null;
    }
}
