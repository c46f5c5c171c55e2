/* The little JSON `sparta invoke` reads (is this answer JSON? what are its
 * errorType and errorMessage?) and the outcome's helpers. Text is written
 * with sparta_text (sparta/text.h). */
#include <stdlib.h>
#include <string.h>

#include "invoke.h"

/* ---- JSON reading ----------------------------------------------------------- */

#define JSON_DEPTH_MAX 512

typedef struct reader {
    const char *s;
    size_t n, i;
    int depth;
} reader;

static void skip_ws(reader *r) {
    while (r->i < r->n && (r->s[r->i] == ' ' || r->s[r->i] == '\t' || r->s[r->i] == '\n' || r->s[r->i] == '\r'))
        r->i++;
}

static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static long read_hex4(const reader *r, size_t at) {
    if (at + 4 > r->n) return -1;
    long v = 0;
    for (size_t k = 0; k < 4; k++) {
        int h = hex_value(r->s[at + k]);
        if (h < 0) return -1;
        v = v * 16 + h;
    }
    return v;
}

static void put_utf8(sparta_text *out, unsigned long cp) {
    unsigned char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (unsigned char)(0xC0 | (cp >> 6));
        u[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (unsigned char)(0xE0 | (cp >> 12));
        u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (unsigned char)(0xF0 | (cp >> 18));
        u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    sparta_text_put(out, (const char *)u, n);
}

/* A string at r->i (the opening quote); decoded into `out` when not NULL. */
static int read_string(reader *r, sparta_text *out) {
    if (r->i >= r->n || r->s[r->i] != '"') return -1;
    r->i++;
    while (r->i < r->n) {
        unsigned char c = (unsigned char)r->s[r->i];
        if (c == '"') {
            r->i++;
            return 0;
        }
        if (c < 0x20) return -1;
        if (c != '\\') {
            if (out) sparta_text_put(out, &r->s[r->i], 1);
            r->i++;
            continue;
        }
        if (r->i + 1 >= r->n) return -1;
        char e = r->s[r->i + 1];
        const char *simple = strchr("\"\\/bfnrt", e);
        if (e && simple) {
            static const char decoded[] = "\"\\/\b\f\n\r\t";
            if (out) sparta_text_put(out, &decoded[simple - "\"\\/bfnrt"], 1);
            r->i += 2;
            continue;
        }
        if (e != 'u') return -1;
        long cp = read_hex4(r, r->i + 2);
        if (cp < 0) return -1;
        r->i += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF && r->i + 1 < r->n && r->s[r->i] == '\\' && r->s[r->i + 1] == 'u') {
            long low = read_hex4(r, r->i + 2);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                r->i += 6;
            }
        }
        if (out) put_utf8(out, (unsigned long)cp);
    }
    return -1;
}

static int digits(reader *r) {
    size_t start = r->i;
    while (r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9') r->i++;
    return r->i > start ? 0 : -1;
}

static int read_number(reader *r) {
    if (r->i < r->n && r->s[r->i] == '-') r->i++;
    if (r->i < r->n && r->s[r->i] == '0') r->i++;
    else if (digits(r) != 0) return -1;
    if (r->i < r->n && r->s[r->i] == '.') {
        r->i++;
        if (digits(r) != 0) return -1;
    }
    if (r->i < r->n && (r->s[r->i] == 'e' || r->s[r->i] == 'E')) {
        r->i++;
        if (r->i < r->n && (r->s[r->i] == '+' || r->s[r->i] == '-')) r->i++;
        if (digits(r) != 0) return -1;
    }
    return 0;
}

static int read_word(reader *r, const char *word) {
    size_t n = strlen(word);
    if (r->n - r->i < n || memcmp(r->s + r->i, word, n) != 0) return -1;
    r->i += n;
    return 0;
}

static int read_value(reader *r);

/* An object (close '}') or an array (close ']') at r->i. */
static int read_container(reader *r, char close) {
    if (++r->depth > JSON_DEPTH_MAX) return -1;
    r->i++;
    skip_ws(r);
    if (r->i < r->n && r->s[r->i] == close) {
        r->i++;
        r->depth--;
        return 0;
    }
    for (;;) {
        skip_ws(r);
        if (close == '}') {
            if (read_string(r, NULL) != 0) return -1;
            skip_ws(r);
            if (r->i >= r->n || r->s[r->i] != ':') return -1;
            r->i++;
        }
        if (read_value(r) != 0) return -1;
        skip_ws(r);
        if (r->i >= r->n) return -1;
        if (r->s[r->i] == ',') {
            r->i++;
            continue;
        }
        if (r->s[r->i] != close) return -1;
        r->i++;
        r->depth--;
        return 0;
    }
}

static int read_value(reader *r) {
    skip_ws(r);
    if (r->i >= r->n) return -1;
    switch (r->s[r->i]) {
    case '{': return read_container(r, '}');
    case '[': return read_container(r, ']');
    case '"': return read_string(r, NULL);
    case 't': return read_word(r, "true");
    case 'f': return read_word(r, "false");
    case 'n': return read_word(r, "null");
    default: return read_number(r);
    }
}

int inv_json_valid(const char *text, size_t n) {
    if (!text) return 0;
    reader r = {text, n, 0, 0};
    if (read_value(&r) != 0) return 0;
    skip_ws(&r);
    return r.i == r.n;
}

char *inv_json_member(const char *text, size_t n, const char *key) {
    if (!text || !inv_json_valid(text, n)) return NULL;
    reader r = {text, n, 0, 0};
    skip_ws(&r);
    if (r.i >= r.n || r.s[r.i] != '{') return NULL;
    r.i++;
    for (;;) {
        skip_ws(&r);
        if (r.i >= r.n || r.s[r.i] != '"') return NULL; /* '}' of an object without it */
        sparta_text name = {0};
        if (read_string(&r, &name) != 0) {
            sparta_text_free(&name);
            return NULL;
        }
        int match = !name.failed && strcmp(sparta_text_str(&name), key) == 0;
        sparta_text_free(&name);
        skip_ws(&r);
        r.i++; /* ':' (the text is valid) */
        skip_ws(&r);
        if (match && r.s[r.i] == '"') {
            sparta_text value = {0};
            if (read_string(&r, &value) != 0) {
                sparta_text_free(&value);
                return NULL;
            }
            return sparta_text_take(&value); /* NULL when out of memory */
        }
        if (read_value(&r) != 0) return NULL;
        skip_ws(&r);
        if (r.i >= r.n || r.s[r.i] != ',') return NULL;
        r.i++;
    }
}

/* ---- outcomes ------------------------------------------------------------------ */

void inv_result_free(inv_result *r) {
    sparta_text_free(&r->body);
    free(r->error_type);
    free(r->error_message);
    r->error_type = r->error_message = NULL;
}

void inv_result_error(inv_result *r, inv_status status, const char *type, const char *message) {
    r->status = status;
    free(r->error_type);
    free(r->error_message);
    r->error_type = strdup(type ? type : "Unhandled");
    r->error_message = strdup(message ? message : "");
}

void inv_result_error_from_body(inv_result *r, inv_status status, const char *fallback_type) {
    const char *body = sparta_text_str(&r->body);
    char *type = inv_json_member(body, r->body.length, "errorType");
    char *message = inv_json_member(body, r->body.length, "errorMessage");
    r->status = status;
    free(r->error_type);
    free(r->error_message);
    r->error_type = type && *type ? type : strdup(fallback_type && *fallback_type ? fallback_type : "Unhandled");
    if (type && !*type) free(type);
    r->error_message = message ? message : strdup(body);
}
