/* Just enough XML for AWS Query API answers: the text of a named element,
 * with the five predefined entities and numeric references undone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rollback.h"

static const char *find(const char *begin, const char *end, const char *needle) {
    size_t n = strlen(needle);
    for (const char *p = begin; p && p + n <= end; p++) {
        p = memchr(p, needle[0], (size_t)(end - p));
        if (!p || p + n > end) return NULL;
        if (memcmp(p, needle, n) == 0) return p;
    }
    return NULL;
}

static void put_utf8(sparta_text *t, unsigned long c) {
    char b[4];
    if (c < 0x80) {
        b[0] = (char)c;
        sparta_text_put(t, b, 1);
    } else if (c < 0x800) {
        b[0] = (char)(0xC0 | (c >> 6));
        b[1] = (char)(0x80 | (c & 0x3F));
        sparta_text_put(t, b, 2);
    } else if (c < 0x10000) {
        b[0] = (char)(0xE0 | (c >> 12));
        b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        b[2] = (char)(0x80 | (c & 0x3F));
        sparta_text_put(t, b, 3);
    } else if (c < 0x110000) {
        b[0] = (char)(0xF0 | (c >> 18));
        b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((c >> 6) & 0x3F));
        b[3] = (char)(0x80 | (c & 0x3F));
        sparta_text_put(t, b, 4);
    }
}

static char *unescape(const char *s, const char *end) {
    static const struct { const char *name; char c; } entities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    sparta_text t = {0};
    sparta_text_put(&t, "", 0);
    while (s < end) {
        const char *amp = memchr(s, '&', (size_t)(end - s));
        if (!amp) amp = end;
        sparta_text_put(&t, s, (size_t)(amp - s));
        s = amp;
        if (s >= end) break;
        int done = 0;
        for (size_t i = 0; i < sizeof entities / sizeof *entities && !done; i++) {
            size_t n = strlen(entities[i].name);
            if ((size_t)(end - s) >= n && memcmp(s, entities[i].name, n) == 0) {
                sparta_text_put(&t, &entities[i].c, 1);
                s += n;
                done = 1;
            }
        }
        if (!done && s + 2 < end && s[1] == '#') {
            char *stop = NULL;
            unsigned long c = s[2] == 'x' ? strtoul(s + 3, &stop, 16) : strtoul(s + 2, &stop, 10);
            if (stop && stop < end && *stop == ';') {
                put_utf8(&t, c);
                s = stop + 1;
                done = 1;
            }
        }
        if (!done) sparta_text_put(&t, s++, 1);
    }
    if (t.failed) {
        sparta_text_free(&t);
        return NULL;
    }
    return t.data;
}

char *rb_xml_text(const char *begin, const char *end, const char *tag, const char **after) {
    char open[128], close[128];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *start = find(begin, end, open);
    if (!start) return NULL;
    start += strlen(open);
    const char *stop = find(start, end, close);
    if (!stop) return NULL;
    if (after) *after = stop + strlen(close);
    return unescape(start, stop);
}
