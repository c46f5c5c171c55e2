/* The little JSON the runtime writes: error documents. */
#include "internal.h"

#include <stdio.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t utf8_sequence(const unsigned char *p, size_t n) {
    size_t len;
    unsigned int min;
    unsigned int cp;
    if (p[0] < 0x80) return 1;
    if ((p[0] & 0xe0) == 0xc0) { len = 2; min = 0x80; cp = p[0] & 0x1f; }
    else if ((p[0] & 0xf0) == 0xe0) { len = 3; min = 0x800; cp = p[0] & 0x0f; }
    else if ((p[0] & 0xf8) == 0xf0) { len = 4; min = 0x10000; cp = p[0] & 0x07; }
    else return 0;
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80) return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
    return len;
}

int sparta__json_string(sparta__buf *b, const char *s, size_t len) {
    const unsigned char *p = (const unsigned char *)s;
    if (sparta__buf_reserve(b, len + 2) != 0) return SPARTA_LAMBDA_ENOMEM;
    if (sparta__buf_append(b, "\"", 1) != 0) return SPARTA_LAMBDA_ENOMEM;
    size_t i = 0;
    while (i < len) {
        /* Copy a run of bytes that need no escaping in one go. */
        size_t run = i;
        while (run < len && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\') run++;
        if (run > i) {
            if (sparta__buf_append(b, p + i, run - i) != 0) return SPARTA_LAMBDA_ENOMEM;
            i = run;
            continue;
        }
        char esc[8];
        const char *out = esc;
        size_t out_len = 2;
        switch (p[i]) {
        case '"': out = "\\\""; break;
        case '\\': out = "\\\\"; break;
        case '\n': out = "\\n"; break;
        case '\r': out = "\\r"; break;
        case '\t': out = "\\t"; break;
        case '\b': out = "\\b"; break;
        case '\f': out = "\\f"; break;
        default:
            if (p[i] < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", p[i]);
                out_len = 6;
            } else {
                size_t seq = utf8_sequence(p + i, len - i);
                if (seq) {
                    out = (const char *)p + i;
                    out_len = seq;
                } else {
                    out = "\\ufffd";
                    out_len = 6;
                    seq = 1;
                }
                if (sparta__buf_append(b, out, out_len) != 0) return SPARTA_LAMBDA_ENOMEM;
                i += seq;
                continue;
            }
        }
        if (sparta__buf_append(b, out, out_len) != 0) return SPARTA_LAMBDA_ENOMEM;
        i++;
    }
    return sparta__buf_append(b, "\"", 1);
}

int sparta__json_error(sparta__buf *b, const char *type, const char *message, size_t message_len) {
    if (sparta__buf_puts(b, "{\"errorMessage\":") != 0) return SPARTA_LAMBDA_ENOMEM;
    if (sparta__json_string(b, message ? message : "", message ? message_len : 0) != 0)
        return SPARTA_LAMBDA_ENOMEM;
    if (sparta__buf_puts(b, ",\"errorType\":") != 0) return SPARTA_LAMBDA_ENOMEM;
    if (sparta__json_string(b, type, strlen(type)) != 0) return SPARTA_LAMBDA_ENOMEM;
    return sparta__buf_puts(b, "}");
}
