/* "Did you mean": edit distance and prefixes, as cobra does. A candidate
 * is plausible when it is within a distance that grows with the length of
 * what was typed (so "x" suggests nothing), or when what was typed is a
 * prefix of it. */
#include "command/internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Optimal string alignment: Levenshtein plus adjacent transpositions, the
 * commonest typo ("shwo"). Three rolling rows. */
size_t sparta__command_levenshtein(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    size_t small[3][65], *rows = lb < 65 ? &small[0][0] : malloc(3 * (lb + 1) * sizeof *rows);
    if (!rows) return (size_t)-1;
    size_t stride = lb < 65 ? 65 : lb + 1;
    size_t *two = rows, *one = rows + stride, *cur = rows + 2 * stride;
    for (size_t j = 0; j <= lb; j++) one[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        int ca = tolower((unsigned char)a[i - 1]);
        for (size_t j = 1; j <= lb; j++) {
            int cb = tolower((unsigned char)b[j - 1]);
            size_t best = one[j - 1] + (ca != cb);
            if (one[j] + 1 < best) best = one[j] + 1;
            if (cur[j - 1] + 1 < best) best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && two[j - 2] + 1 < best)
                best = two[j - 2] + 1;
            cur[j] = best;
        }
        size_t *t = two;
        two = one;
        one = cur;
        cur = t;
    }
    size_t d = one[lb];
    if (rows != &small[0][0]) free(rows);
    return d;
}

static int has_prefix_nocase(const char *s, const char *prefix) {
    for (; *prefix; s++, prefix++)
        if (tolower((unsigned char)*s) != tolower((unsigned char)*prefix)) return 0;
    return 1;
}

void sparta__command_suggest(sparta_command_suggestions *s, const char *typed, const char *candidate,
                             const void *key) {
    if (!typed || !*typed || !candidate) return;
    size_t len = strlen(typed);
    size_t limit = len < 3 ? 0 : len < 6 ? 1 : 2;
    size_t d = sparta__command_levenshtein(typed, candidate);
    /* a prefix ranks just below a one-letter typo */
    size_t score = d * 2;
    if (d > limit) {
        if (len < 2 || !has_prefix_nocase(candidate, typed)) return;
        score = 3;
    }
    for (size_t i = 0; i < s->count; i++) {
        if (s->keys[i] != key) continue;
        if (score < s->score[i]) {
            s->score[i] = score;
            s->text[i] = candidate;
        }
        goto sort;
    }
    if (s->count < SPARTA_COMMAND_SUGGEST_MAX) {
        s->count++;
    } else if (score >= s->score[s->count - 1]) {
        return;
    }
    s->keys[s->count - 1] = key;
    s->text[s->count - 1] = candidate;
    s->score[s->count - 1] = score;
sort:
    /* best first; ties by text so the order never depends on the tree's */
    for (size_t i = 1; i < s->count; i++)
        for (size_t j = i; j > 0; j--) {
            int later = s->score[j] < s->score[j - 1] ||
                        (s->score[j] == s->score[j - 1] && strcmp(s->text[j], s->text[j - 1]) < 0);
            if (!later) break;
            const void *k = s->keys[j];
            const char *t = s->text[j];
            size_t sc = s->score[j];
            s->keys[j] = s->keys[j - 1], s->text[j] = s->text[j - 1], s->score[j] = s->score[j - 1];
            s->keys[j - 1] = k, s->text[j - 1] = t, s->score[j - 1] = sc;
        }
}

void sparta__command_suggest_write(const sparta_command_suggestions *s, const char *prefix,
                                   sparta_buffer *out) {
    if (!s->count) return;
    sparta__buffer_puts(out, "\n\nDid you mean this?");
    for (size_t i = 0; i < s->count; i++) sparta__buffer_printf(out, "\n\t%s%s", prefix, s->text[i]);
}
