#include "text_diff.h"

#include <stdlib.h>
#include <string.h>

typedef struct lines {
    const char **start;
    size_t *length;
    size_t count;
} lines;

static int split_lines(const char *text, lines *out) {
    size_t cap = 64;
    out->start = malloc(cap * sizeof *out->start);
    out->length = malloc(cap * sizeof *out->length);
    out->count = 0;
    if (!out->start || !out->length) return -1;
    const char *p = text ? text : "";
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (out->count == cap) {
            cap *= 2;
            const char **s = realloc(out->start, cap * sizeof *s);
            size_t *l = realloc(out->length, cap * sizeof *l);
            if (!s || !l) return -1;
            out->start = s;
            out->length = l;
        }
        out->start[out->count] = p;
        out->length[out->count++] = n;
        p += n + (nl ? 1 : 0);
    }
    return 0;
}

static int same(const lines *a, size_t i, const lines *b, size_t j) {
    return a->length[i] == b->length[j] && memcmp(a->start[i], b->start[j], a->length[i]) == 0;
}

typedef enum { KEEP, DEL, ADD } op_kind;

/* LCS over the part between the common prefix and suffix; templates differ
 * in a few places, so the middle is small. Past a size limit the middle is
 * shown as all removed, then all added. */
size_t sparta__text_diff(const char *before, const char *after, const char *before_name, const char *after_name,
                         sparta_buffer *out) {
    lines a = {0}, b = {0};
    size_t changed = 0;
    if (split_lines(before, &a) != 0 || split_lines(after, &b) != 0) goto done;
    size_t pre = 0;
    while (pre < a.count && pre < b.count && same(&a, pre, &b, pre)) pre++;
    size_t suf = 0;
    while (suf < a.count - pre && suf < b.count - pre && same(&a, a.count - 1 - suf, &b, b.count - 1 - suf)) suf++;
    size_t n = a.count - pre - suf, m = b.count - pre - suf;
    if (n == 0 && m == 0) goto done;
    size_t total = pre + n + m + suf;
    op_kind *ops = malloc((total + 1) * sizeof *ops);
    size_t *line_a = malloc((total + 1) * sizeof *line_a), *line_b = malloc((total + 1) * sizeof *line_b);
    if (!ops || !line_a || !line_b) {
        free(ops), free(line_a), free(line_b);
        goto done;
    }
    size_t k = 0;
    for (size_t i = 0; i < pre; i++, k++) ops[k] = KEEP, line_a[k] = i, line_b[k] = i;
    if (n * m <= 4000000) {
        unsigned *t = calloc((n + 1) * (m + 1), sizeof *t);
        if (t) {
            for (size_t i = n; i-- > 0;)
                for (size_t j = m; j-- > 0;)
                    t[i * (m + 1) + j] = same(&a, pre + i, &b, pre + j)
                                             ? t[(i + 1) * (m + 1) + j + 1] + 1
                                             : (t[(i + 1) * (m + 1) + j] > t[i * (m + 1) + j + 1]
                                                    ? t[(i + 1) * (m + 1) + j]
                                                    : t[i * (m + 1) + j + 1]);
            size_t i = 0, j = 0;
            while (i < n || j < m) {
                if (i < n && j < m && same(&a, pre + i, &b, pre + j)) {
                    ops[k] = KEEP, line_a[k] = pre + i++, line_b[k++] = pre + j++;
                } else if (j < m && (i == n || t[i * (m + 1) + j + 1] >= t[(i + 1) * (m + 1) + j])) {
                    ops[k] = ADD, line_b[k++] = pre + j++;
                } else {
                    ops[k] = DEL, line_a[k++] = pre + i++;
                }
            }
            free(t);
        }
    }
    if (k == pre) {
        for (size_t i = 0; i < n; i++, k++) ops[k] = DEL, line_a[k] = pre + i;
        for (size_t j = 0; j < m; j++, k++) ops[k] = ADD, line_b[k] = pre + j;
    }
    for (size_t i = 0; i < suf; i++, k++) ops[k] = KEEP, line_a[k] = a.count - suf + i, line_b[k] = b.count - suf + i;
    sparta__buffer_printf(out, "--- %s\n+++ %s\n", before_name, after_name);
    /* Print changed lines with up to 3 lines of context, "..." between hunks. */
    size_t last_printed = (size_t)-1;
    for (size_t x = 0; x < k; x++) {
        int near = 0;
        for (size_t d = x > 3 ? x - 3 : 0; d <= x + 3 && d < k; d++)
            if (ops[d] != KEEP) near = 1;
        if (!near) continue;
        if (last_printed != (size_t)-1 && x > last_printed + 1) sparta__buffer_puts(out, "...\n");
        if (ops[x] == KEEP) {
            sparta__buffer_putc(out, ' ');
            sparta__buffer_put(out, a.start[line_a[x]], a.length[line_a[x]]);
        } else if (ops[x] == DEL) {
            sparta__buffer_putc(out, '-');
            sparta__buffer_put(out, a.start[line_a[x]], a.length[line_a[x]]);
            changed++;
        } else {
            sparta__buffer_putc(out, '+');
            sparta__buffer_put(out, b.start[line_b[x]], b.length[line_b[x]]);
            changed++;
        }
        sparta__buffer_putc(out, '\n');
        last_printed = x;
    }
    free(ops);
    free(line_a);
    free(line_b);
done:
    free(a.start);
    free(a.length);
    free(b.start);
    free(b.length);
    return changed;
}
