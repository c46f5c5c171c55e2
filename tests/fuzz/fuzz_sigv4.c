/* SigV4 canonicalisation with fuzzed paths, query pairs and headers, both
 * forms (Authorization header and presigned query), S3 and non-S3 rules,
 * plus the URI helpers the signer is built on.
 *
 * Input: flags byte, method, path, up to 6 query pairs, up to 6 headers
 * (strings up to NUL), then the body. Properties:
 *  - uri_decode(uri_encode(x)) == x; encoded text holds only unreserved
 *    characters, %XX (upper-case hex) and, when kept, '/';
 *  - a normalised path starts with '/', has no "//", "." or ".." segment,
 *    and normalising it again changes nothing;
 *  - the canonical query is sorted and made of encoded pairs, and does not
 *    depend on the order of the pairs;
 *  - signing is deterministic, does not depend on query order, and on the
 *    order of headers with different names; signed headers are lower-case,
 *    sorted, unique and never include the ones proxies rewrite;
 *  - the canonical request has the method, path and query on its first
 *    three lines. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/sigv4.h"
#include "aws/uri.h"
#include "fuzz_support.h"

#define MAX_PAIRS 6

static const char *const header_names[] = {"Host", "Content-Type", "X-Amz-Target", "user-agent", "Expect",
                                           "x-amz-meta-a", "X-AMZ-DATE", "authorization"};

static int hexdigit_upper(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); }

static int unreserved(unsigned char c) {
    return isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static void check_encoded(const char *e, int keep_slash, const char *what) {
    for (size_t i = 0; e[i]; i++) {
        unsigned char c = (unsigned char)e[i];
        if (c == '%') {
            FUZZ_CHECK(hexdigit_upper(e[i + 1]) && hexdigit_upper(e[i + 2]), "%s: bad escape in %s", what, e);
            i += 2;
        } else {
            FUZZ_CHECK(unreserved(c) || (keep_slash && c == '/'), "%s: '%c' left unencoded in %s", what, c, e);
        }
    }
}

static void check_uri(const char *s, size_t n) {
    for (int keep = 0; keep < 2; keep++) {
        char *e = sparta__uri_encode(s, n, keep);
        FUZZ_CHECK(e != NULL, "encode");
        check_encoded(e, keep, "uri_encode");
        char *d = sparta__uri_decode(e, strlen(e), 0);
        FUZZ_CHECK(d && !memcmp(d, s, n) && strlen(d) <= n, "decode(encode(x)) != x");
        free(d);
        free(e);
    }
    char *form = sparta__uri_decode(s, n, 1);
    FUZZ_CHECK(form && strlen(form) <= n, "form decode longer than its input");
    free(form);

    char *z = strndup(s, n); /* up to the first NUL */
    char *norm = sparta__uri_normalize_path(z);
    FUZZ_CHECK(norm && norm[0] == '/', "normalised path \"%s\" does not start with '/'", norm ? norm : "");
    FUZZ_CHECK(!strstr(norm, "//"), "normalised path has //: %s", norm);
    for (const char *seg = norm; seg && *seg;) {
        const char *next = strchr(seg + 1, '/');
        size_t len = next ? (size_t)(next - seg - 1) : strlen(seg + 1);
        FUZZ_CHECK(!(len == 1 && seg[1] == '.') && !(len == 2 && seg[1] == '.' && seg[2] == '.'),
                   "normalised path keeps a dot segment: %s", norm);
        seg = next;
    }
    char *again = sparta__uri_normalize_path(norm);
    FUZZ_CHECK(again && !strcmp(again, norm), "normalising is not idempotent: %s -> %s", norm, again);
    free(again);
    free(norm);
    free(z);
}

/* name=value pairs joined by '&', each side encoded; sorted by name, then
 * value, when `sorted`. */
static void check_query(const char *query, int sorted) {
    char *copy = strdup(query);
    char *prev_name = NULL, *prev_value = NULL;
    for (char *save = NULL, *pair = strtok_r(copy, "&", &save); pair; pair = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(pair, '=');
        FUZZ_CHECK(eq != NULL, "pair without '=' in the query %s", query);
        *eq = '\0';
        check_encoded(pair, 0, "query name");
        check_encoded(eq + 1, 0, "query value");
        if (sorted && prev_name) {
            int c = strcmp(prev_name, pair);
            FUZZ_CHECK(c < 0 || (c == 0 && strcmp(prev_value, eq + 1) <= 0), "canonical query not sorted: %s", query);
        }
        prev_name = pair;
        prev_value = eq + 1;
    }
    free(copy);
}

/* Header names as HTTP allows them (token characters); anything else
 * becomes 'x'. Names come from code, never from outside. */
static void make_token(char *s) {
    for (char *p = s; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("!#$%&'*+-.^_`|~", *p)) *p = 'x';
}

static int kv_name_cmp(const sparta__aws_kv *a, const sparta__aws_kv *b) { return strcasecmp(a->name, b->name); }

static void sign_both(const sparta__sigv4_signer *s, const sparta__sigv4_request *r, sparta__sigv4_result *h,
                      sparta__sigv4_result *q) {
    FUZZ_CHECK(sparta__sigv4_sign(s, r, h) == 0, "sign failed");
    FUZZ_CHECK(sparta__sigv4_presign(s, r, 900, q) == 0, "presign failed");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_input in = {data, size};
    uint8_t flags = fuzz_u8(&in);
    char *method = fuzz_string_until(&in, 0, 16, NULL);
    for (char *p = method; *p; p++) *p = (char)('A' + (unsigned char)*p % 26); /* methods are words */
    size_t path_len;
    char *path = fuzz_string_until(&in, 0, 300, &path_len);
    check_uri(path, path_len);

    sparta__aws_kv query[MAX_PAIRS], reversed[MAX_PAIRS], headers[MAX_PAIRS + 1], hrev[MAX_PAIRS + 1];
    char *owned[4 * MAX_PAIRS];
    size_t nowned = 0;
    size_t nq = fuzz_pick(&in, MAX_PAIRS + 1);
    for (size_t i = 0; i < nq; i++) {
        size_t len;
        char *name = owned[nowned++] = fuzz_string_until(&in, 0, 60, &len);
        check_uri(name, len);
        char *value = owned[nowned++] = fuzz_string_until(&in, 0, 60, NULL);
        query[i] = (sparta__aws_kv){name, (flags & 0x10) && !*value ? NULL : value};
    }
    size_t nh = 0;
    headers[nh++] = (sparta__aws_kv){"Host", "cloudformation.us-east-1.amazonaws.com"};
    size_t extra = fuzz_pick(&in, MAX_PAIRS + 1);
    for (size_t i = 0; i < extra; i++) {
        uint8_t pick = fuzz_u8(&in);
        const char *name;
        if (pick < 0xc0) {
            name = header_names[pick % (sizeof header_names / sizeof *header_names)];
        } else {
            char *own = owned[nowned++] = fuzz_string_until(&in, 0, 150, NULL);
            make_token(own);
            name = *own ? own : "x-empty";
        }
        char *value = owned[nowned++] = fuzz_string_until(&in, 0, 80, NULL);
        headers[nh++] = (sparta__aws_kv){name, value};
    }
    size_t body_len;
    char *body = fuzz_rest(&in, &body_len);

    sparta__sigv4_signer s = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                              (flags & 1) ? "session-token" : NULL, "us-east-1",
                              (flags & 2) ? "s3" : "cloudformation", 1440938160, 0, 0, (flags & 4) != 0};
    sparta__sigv4_signer_rules(&s, s.service);
    /* The signer gets the path as sent: encoded, '/' kept (what http.c does). */
    char *wire_path = sparta__uri_encode(path, path_len, 1);
    FUZZ_CHECK(wire_path != NULL, "encode");
    if (wire_path[0] != '/') {
        char *slashed = malloc(strlen(wire_path) + 2);
        slashed[0] = '/';
        strcpy(slashed + 1, wire_path);
        free(wire_path);
        wire_path = slashed;
    }
    sparta__sigv4_request r = {*method ? method : "GET", wire_path, query, nq, headers, nh, body, body_len,
                               (flags & 8) ? "UNSIGNED-PAYLOAD" : NULL};

    /* Canonical query: sorted, encoded, order-free. */
    char *cq = sparta__sigv4_canonical_query(query, nq);
    FUZZ_CHECK(cq != NULL, "canonical query");
    for (size_t i = 0; i < nq; i++) reversed[i] = query[nq - 1 - i];
    char *cq2 = sparta__sigv4_canonical_query(reversed, nq);
    FUZZ_CHECK(cq2 && !strcmp(cq, cq2), "canonical query depends on order: %s vs %s", cq, cq2);
    check_query(cq, 1);
    free(cq);
    free(cq2);

    sparta__sigv4_result h1, q1, h2, q2;
    sign_both(&s, &r, &h1, &q1);
    FUZZ_CHECK(strlen(h1.signature) == 64 && strlen(q1.signature) == 64, "signatures");
    const char *creq = h1.canonical_request;
    const char *nl1 = strchr(creq, '\n');
    FUZZ_CHECK(nl1 && (size_t)(nl1 - creq) == strlen(r.method) && !strncmp(creq, r.method, strlen(r.method)),
               "first line of the canonical request is not the method");
    const char *nl2 = strchr(nl1 + 1, '\n');
    FUZZ_CHECK(nl2 && (nl1[1] == '/' || !s.normalize_path), "second line is not a path");
    {
        char *p = strndup(nl1 + 1, (size_t)(nl2 - nl1 - 1));
        if (!s.normalize_path) FUZZ_CHECK(!strcmp(p, wire_path), "S3 path changed: %s", p);
        else check_encoded(p, 1, "canonical path");
        free(p);
    }
    /* Signed headers: lower-case, sorted, unique, without hop-by-hop ones. */
    {
        char *sh = strdup(h1.signed_headers);
        const char *last = "";
        for (char *save = NULL, *name = strtok_r(sh, ";", &save); name; name = strtok_r(NULL, ";", &save)) {
            for (const char *c = name; *c; c++) FUZZ_CHECK(!isupper((unsigned char)*c), "upper-case signed header %s", name);
            FUZZ_CHECK(strcmp(last, name) < 0, "signed headers not sorted or repeated: %s", h1.signed_headers);
            FUZZ_CHECK(strcmp(name, "authorization") && strcmp(name, "user-agent") && strcmp(name, "expect"),
                       "signed a header proxies rewrite: %s", name);
            last = name;
        }
        free(sh);
    }
    /* Same request again, query reversed, distinct-name headers reversed. */
    int distinct = 1;
    for (size_t i = 0; i < nh; i++)
        for (size_t k = 0; k < i; k++) distinct &= kv_name_cmp(&headers[i], &headers[k]) != 0;
    for (size_t i = 0; i < nh; i++) hrev[i] = headers[distinct ? nh - 1 - i : i];
    sparta__sigv4_request r2 = r;
    r2.query = reversed;
    r2.headers = hrev;
    sign_both(&s, &r2, &h2, &q2);
    FUZZ_CHECK(!strcmp(h1.signature, h2.signature), "header signature depends on order");
    FUZZ_CHECK(!strcmp(h1.canonical_request, h2.canonical_request), "canonical request depends on order");
    /* (the presigned query itself keeps the caller's order: only the signature must not) */
    FUZZ_CHECK(!strcmp(q1.signature, q2.signature), "presigned signature depends on order");
    check_query(q1.query, 0);

    sparta__sigv4_result_free(&h1);
    sparta__sigv4_result_free(&q1);
    sparta__sigv4_result_free(&h2);
    sparta__sigv4_result_free(&q2);
    for (size_t i = 0; i < nowned; i++) free(owned[i]);
    free(body);
    free(wire_path);
    free(path);
    free(method);
    return 0;
}
