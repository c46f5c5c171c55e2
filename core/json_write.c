#include "json_write.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

void sparta__json_write_string(sparta_buffer *out, const char *s, size_t n) {
    static const char hex[] = "0123456789abcdef";
    sparta__buffer_putc(out, '"');
    size_t run = 0; /* bytes that need no escaping are copied in runs */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
            if (c < 0x20) {
                u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
                u[4] = hex[c >> 4]; u[5] = hex[c & 15]; u[6] = '\0';
                esc = u;
            }
        }
        if (esc) {
            sparta__buffer_put(out, s + i - run, run);
            run = 0;
            sparta__buffer_puts(out, esc);
        } else {
            run++;
        }
    }
    sparta__buffer_put(out, s + n - run, run);
    sparta__buffer_putc(out, '"');
}

void sparta__json_write_member(sparta_buffer *out, const char *key, const char *value, int comma) {
    if (comma) sparta__buffer_putc(out, ',');
    sparta__json_write_string(out, key, strlen(key));
    sparta__buffer_putc(out, ':');
    if (value) sparta__json_write_string(out, value, strlen(value));
    else sparta__buffer_puts(out, "null");
}

void sparta__json_write_newline(sparta_json_writer *w, int depth) {
    if (!w->indent) return;
    static const char spaces[] = "                                                                ";
    sparta__buffer_putc(w->out, '\n');
    size_t n = (size_t)depth * (size_t)w->indent;
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        sparta__buffer_put(w->out, spaces, k);
        n -= k;
    }
}

static void write_double(sparta_buffer *out, double d) {
    if (!isfinite(d)) {
        sparta__buffer_puts(out, "null");
        return;
    }
    char text[40];
    snprintf(text, sizeof text, "%.17g", d);
    sparta__buffer_puts(out, text);
}

void sparta__json_write_value(sparta_json_writer *w, const sparta_value *v, int depth) {
    sparta_buffer *out = w->out;
    if (!v) {
        sparta__buffer_puts(out, "null");
        return;
    }
    switch (v->type) {
    case SPARTA_VALUE_NULL: sparta__buffer_puts(out, "null"); break;
    case SPARTA_VALUE_BOOL: sparta__buffer_puts(out, v->as.boolean ? "true" : "false"); break;
    case SPARTA_VALUE_INT: sparta__buffer_printf(out, "%" PRId64, v->as.integer); break;
    case SPARTA_VALUE_DOUBLE: write_double(out, v->as.real); break;
    case SPARTA_VALUE_STRING: {
        const char *resolved = v->deferred && w->resolve ? w->resolve(w->resolve_user_data, v) : NULL;
        if (resolved) sparta__json_write_string(out, resolved, strlen(resolved));
        else sparta__json_write_string(out, v->as.str.text, v->as.str.length);
        break;
    }
    case SPARTA_VALUE_ARRAY:
        if (v->as.array.count == 0) {
            sparta__buffer_puts(out, "[]");
            break;
        }
        sparta__buffer_putc(out, '[');
        for (size_t i = 0; i < v->as.array.count; i++) {
            if (i) sparta__buffer_putc(out, ',');
            sparta__json_write_newline(w, depth + 1);
            sparta__json_write_value(w, v->as.array.items[i], depth + 1);
        }
        sparta__json_write_newline(w, depth);
        sparta__buffer_putc(out, ']');
        break;
    case SPARTA_VALUE_OBJECT:
        if (v->as.object.count == 0) {
            sparta__buffer_puts(out, "{}");
            break;
        }
        sparta__buffer_putc(out, '{');
        for (size_t i = 0; i < v->as.object.count; i++) {
            if (i) sparta__buffer_putc(out, ',');
            sparta__json_write_newline(w, depth + 1);
            const char *key = v->as.object.keys[i];
            sparta__json_write_string(out, key, strlen(key));
            sparta__buffer_puts(out, w->indent ? ": " : ":");
            sparta__json_write_value(w, v->as.object.values[i], depth + 1);
        }
        sparta__json_write_newline(w, depth);
        sparta__buffer_putc(out, '}');
        break;
    }
}
