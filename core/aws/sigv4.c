#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf, strndup, timegm */
#endif
#include "aws/sigv4.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/digest.h"
#include "aws/uri.h"
#include "buffer.h"

/* Headers that proxies and clients rewrite on the way: signing them would
 * break the signature (botocore and aws-c-auth skip the same ones). */
static const char *const unsigned_headers[] = {
    "authorization", "connection", "expect", "keep-alive", "proxy-authorization",
    "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    /* these three the signer adds itself */
    "x-amz-date", "x-amz-security-token", "x-amz-content-sha256", NULL};

void sparta__sigv4_signer_rules(sparta__sigv4_signer *s, const char *service) {
    int s3 = service && (!strcmp(service, "s3") || !strcmp(service, "s3-object-lambda"));
    s->normalize_path = !s3;
    s->sign_body = s3;
}

static int is_unsigned(const char *lower_name) {
    for (const char *const *h = unsigned_headers; *h; h++)
        if (!strcmp(*h, lower_name)) return 1;
    return 0;
}

typedef struct canon_header {
    char *name;      /* lower-case */
    char *value;     /* trimmed, inner whitespace collapsed; duplicates joined by ',' */
} canon_header;

static int canon_cmp(const void *a, const void *b) {
    return strcmp(((const canon_header *)a)->name, ((const canon_header *)b)->name);
}

/* Trims and collapses runs of whitespace (including folded line breaks). */
static void append_collapsed(sparta_buffer *b, const char *v) {
    int pending_space = 0, any = 0;
    for (const char *p = v; *p; p++) {
        if (isspace((unsigned char)*p)) {
            pending_space = any;
            continue;
        }
        if (pending_space) sparta__buffer_putc(b, ' ');
        pending_space = 0;
        sparta__buffer_putc(b, *p);
        any = 1;
    }
}

typedef struct header_set {
    canon_header *items;
    size_t count;
} header_set;

static void header_set_free(header_set *hs) {
    for (size_t i = 0; i < hs->count; i++) {
        free(hs->items[i].name);
        free(hs->items[i].value);
    }
    free(hs->items);
}

static int header_set_add(header_set *hs, const char *name, const char *value) {
    char *lower = strdup(name);
    if (!lower) return -1;
    for (char *p = lower; *p; p++) *p = (char)tolower((unsigned char)*p);
    sparta_buffer v = SPARTA_BUFFER_INIT;
    for (size_t i = 0; i < hs->count; i++) {
        if (!strcmp(hs->items[i].name, lower)) {
            sparta__buffer_puts(&v, hs->items[i].value);
            sparta__buffer_putc(&v, ',');
            append_collapsed(&v, value);
            char *joined = sparta__buffer_take(&v, NULL);
            free(lower);
            if (!joined) return -1;
            free(hs->items[i].value);
            hs->items[i].value = joined;
            return 0;
        }
    }
    append_collapsed(&v, value);
    char *collapsed = sparta__buffer_take(&v, NULL);
    canon_header *n = realloc(hs->items, (hs->count + 1) * sizeof *n);
    if (!collapsed || !n) {
        free(collapsed);
        free(lower);
        if (n) hs->items = n;
        return -1;
    }
    hs->items = n;
    hs->items[hs->count].name = lower;
    hs->items[hs->count].value = collapsed;
    hs->count++;
    return 0;
}

typedef struct enc_pair {
    char *name, *value;
} enc_pair;

static int enc_pair_cmp(const void *a, const void *b) {
    const enc_pair *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->value, y->value);
}

char *sparta__sigv4_canonical_query(const sparta__aws_kv *query, size_t count) {
    enc_pair *pairs = calloc(count ? count : 1, sizeof *pairs);
    if (!pairs) return NULL;
    int failed = 0;
    for (size_t i = 0; i < count; i++) {
        const char *v = query[i].value ? query[i].value : "";
        pairs[i].name = sparta__uri_encode(query[i].name, strlen(query[i].name), 0);
        pairs[i].value = sparta__uri_encode(v, strlen(v), 0);
        if (!pairs[i].name || !pairs[i].value) failed = 1;
    }
    sparta_buffer b = SPARTA_BUFFER_INIT;
    if (!failed) {
        if (count > 1) qsort(pairs, count, sizeof *pairs, enc_pair_cmp);
        for (size_t i = 0; i < count; i++) {
            if (i) sparta__buffer_putc(&b, '&');
            sparta__buffer_puts(&b, pairs[i].name);
            sparta__buffer_putc(&b, '=');
            sparta__buffer_puts(&b, pairs[i].value);
        }
    }
    for (size_t i = 0; i < count; i++) {
        free(pairs[i].name);
        free(pairs[i].value);
    }
    free(pairs);
    if (failed) {
        sparta__buffer_free(&b);
        return NULL;
    }
    return sparta__buffer_take(&b, NULL);
}

static char *canonical_path(const sparta__sigv4_signer *s, const char *path) {
    if (!path || !*path) path = "/";
    if (!s->normalize_path) return strdup(path);
    char *norm = sparta__uri_normalize_path(path);
    if (!norm) return NULL;
    char *enc = sparta__uri_encode(norm, strlen(norm), 1);
    free(norm);
    return enc;
}

static void format_date(time_t now, char amz_date[17], char date[9]) {
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(amz_date, 17, "%Y%m%dT%H%M%SZ", &tm);
    memcpy(date, amz_date, 8);
    date[8] = '\0';
}

static int has_token(const sparta__sigv4_signer *s) {
    return s->session_token && *s->session_token;
}

/* Signing key: HMAC chain over date, region, service, "aws4_request". */
static void sign_string(const sparta__sigv4_signer *s, const char *date, const char *sts,
                        char out[65]) {
    size_t secret_len = strlen(s->secret_access_key);
    char *k = malloc(secret_len + 5);
    unsigned char a[32], b[32];
    if (!k) {
        out[0] = '\0';
        return;
    }
    memcpy(k, "AWS4", 4);
    memcpy(k + 4, s->secret_access_key, secret_len + 1);
    sparta__hmac_sha256(k, secret_len + 4, date, strlen(date), a);
    memset(k, 0, secret_len + 4); /* do not leave the secret lying in freed memory */
    free(k);
    sparta__hmac_sha256(a, 32, s->region, strlen(s->region), b);
    sparta__hmac_sha256(b, 32, s->service, strlen(s->service), a);
    sparta__hmac_sha256(a, 32, "aws4_request", 12, b);
    sparta__hmac_sha256(b, 32, sts, strlen(sts), a);
    sparta__hex_encode(a, 32, out);
}

/* Shared by both forms. extra_query: pairs the presigned form adds before
 * signing. header_form: whether x-amz-date etc. go into headers. */
static int sign_common(const sparta__sigv4_signer *s, const sparta__sigv4_request *r,
                       int header_form, long expires, sparta__sigv4_result *out) {
    memset(out, 0, sizeof *out);
    if (!s->access_key_id || !s->secret_access_key || !s->region || !s->service || !r->method)
        return SPARTA_EUSAGE;
    char date[9];
    format_date(s->now, out->amz_date, date);
    if (r->payload_hash) snprintf(out->payload_hash, sizeof out->payload_hash, "%s", r->payload_hash);
    else sparta__sha256_hex(r->body ? r->body : "", r->body ? r->body_length : 0, out->payload_hash);

    int rc = SPARTA_ENOMEM;
    header_set hs = {NULL, 0};
    sparta__aws_kvlist q = SPARTA__AWS_KVLIST_INIT;
    char *path = NULL, *query = NULL, *scope = NULL;
    sparta_buffer b = SPARTA_BUFFER_INIT;

    for (size_t i = 0; i < r->header_count; i++) {
        char lower[128];
        snprintf(lower, sizeof lower, "%s", r->headers[i].name);
        for (char *p = lower; *p; p++) *p = (char)tolower((unsigned char)*p);
        if (is_unsigned(lower)) continue;
        if (header_set_add(&hs, r->headers[i].name, r->headers[i].value ? r->headers[i].value : ""))
            goto done;
    }
    if (header_form) {
        if (header_set_add(&hs, "x-amz-date", out->amz_date)) goto done;
        if (has_token(s) && !s->omit_session_token &&
            header_set_add(&hs, "x-amz-security-token", s->session_token))
            goto done;
        if (s->sign_body && header_set_add(&hs, "x-amz-content-sha256", out->payload_hash)) goto done;
    }
    if (hs.count > 1) qsort(hs.items, hs.count, sizeof *hs.items, canon_cmp);
    for (size_t i = 0; i < hs.count; i++) {
        if (i) sparta__buffer_putc(&b, ';');
        sparta__buffer_puts(&b, hs.items[i].name);
    }
    out->signed_headers = sparta__buffer_take(&b, NULL);
    if (asprintf(&scope, "%s/%s/%s/aws4_request", date, s->region, s->service) < 0) {
        scope = NULL;
        goto done;
    }

    for (size_t i = 0; i < r->query_count; i++)
        sparta__aws_kvlist_add(&q, r->query[i].name, r->query[i].value);
    if (!header_form) {
        sparta__aws_kvlist_add(&q, "X-Amz-Algorithm", "AWS4-HMAC-SHA256");
        sparta__aws_kvlist_addf(&q, "X-Amz-Credential", "%s/%s", s->access_key_id, scope);
        sparta__aws_kvlist_add(&q, "X-Amz-Date", out->amz_date);
        sparta__aws_kvlist_addf(&q, "X-Amz-Expires", "%ld", expires);
        if (has_token(s) && !s->omit_session_token)
            sparta__aws_kvlist_add(&q, "X-Amz-Security-Token", s->session_token);
        sparta__aws_kvlist_add(&q, "X-Amz-SignedHeaders", out->signed_headers ? out->signed_headers : "");
    }
    if (q.failed || !out->signed_headers) goto done;
    path = canonical_path(s, r->path);
    query = sparta__sigv4_canonical_query(q.items, q.count);
    if (!path || !query) goto done;

    sparta__buffer_printf(&b, "%s\n%s\n%s\n", r->method, path, query);
    for (size_t i = 0; i < hs.count; i++)
        sparta__buffer_printf(&b, "%s:%s\n", hs.items[i].name, hs.items[i].value);
    sparta__buffer_printf(&b, "\n%s\n%s", out->signed_headers, out->payload_hash);
    out->canonical_request = sparta__buffer_take(&b, NULL);
    if (!out->canonical_request) goto done;

    char creq_hash[65];
    sparta__sha256_hex(out->canonical_request, strlen(out->canonical_request), creq_hash);
    sparta__buffer_printf(&b, "AWS4-HMAC-SHA256\n%s\n%s\n%s", out->amz_date, scope, creq_hash);
    out->string_to_sign = sparta__buffer_take(&b, NULL);
    if (!out->string_to_sign) goto done;
    sign_string(s, date, out->string_to_sign, out->signature);

    if (header_form) {
        sparta__buffer_printf(&b, "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s",
                              s->access_key_id, scope, out->signed_headers, out->signature);
        out->authorization = sparta__buffer_take(&b, NULL);
        if (!out->authorization) goto done;
        out->add_headers[out->add_count++] = (sparta__aws_kv){"X-Amz-Date", out->amz_date};
        if (has_token(s))
            out->add_headers[out->add_count++] = (sparta__aws_kv){"X-Amz-Security-Token", s->session_token};
        if (s->sign_body)
            out->add_headers[out->add_count++] = (sparta__aws_kv){"x-amz-content-sha256", out->payload_hash};
        out->add_headers[out->add_count++] = (sparta__aws_kv){"Authorization", out->authorization};
    } else {
        /* A token left out of the signature still travels with the request. */
        if (has_token(s) && s->omit_session_token)
            sparta__aws_kvlist_add(&q, "X-Amz-Security-Token", s->session_token);
        sparta__aws_kvlist_add(&q, "X-Amz-Signature", out->signature);
        if (q.failed) goto done;
        for (size_t i = 0; i < q.count; i++) {
            char *n = sparta__uri_encode(q.items[i].name, strlen(q.items[i].name), 0);
            char *v = sparta__uri_encode(q.items[i].value, strlen(q.items[i].value), 0);
            if (n && v) sparta__buffer_printf(&b, "%s%s=%s", i ? "&" : "", n, v);
            else b.failed = 1;
            free(n);
            free(v);
        }
        out->query = sparta__buffer_take(&b, NULL);
        if (!out->query) goto done;
    }
    rc = 0;
done:
    header_set_free(&hs);
    sparta__aws_kvlist_free(&q);
    sparta__buffer_free(&b);
    free(path);
    free(query);
    free(scope);
    if (rc) sparta__sigv4_result_free(out);
    return rc;
}

int sparta__sigv4_sign(const sparta__sigv4_signer *s, const sparta__sigv4_request *r,
                       sparta__sigv4_result *out) {
    return sign_common(s, r, 1, 0, out);
}

int sparta__sigv4_presign(const sparta__sigv4_signer *s, const sparta__sigv4_request *r,
                          long expires, sparta__sigv4_result *out) {
    return sign_common(s, r, 0, expires, out);
}

void sparta__sigv4_result_free(sparta__sigv4_result *out) {
    if (!out) return;
    free(out->canonical_request);
    free(out->string_to_sign);
    free(out->signed_headers);
    free(out->authorization);
    free(out->query);
    memset(out, 0, sizeof *out);
}
