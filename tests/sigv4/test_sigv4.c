#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf, strndup, timegm */
#endif
/* SigV4: every case of AWS's own test suite (tests/data/sigv4, both the
 * Authorization-header and the presigned-query forms), then the rules our
 * client relies on that the suite does not cover (S3, unsigned headers). */
#include <dirent.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/sigv4.h"
#include "buffer.h"
#include "aws/uri.h"
#include "test_support.h"

#define VECTORS SPARTA_TEST_DATA_DIR "/sigv4/v4"

typedef struct vector_case {
    char *method, *path;                     /* path ready for the signer */
    sparta__aws_kvlist query, headers;
    char *body;
    sparta__sigv4_signer signer;
    json_object *context;
} vector_case;

static char *read_case_file(const char *dir, const char *name) {
    char *path = test_strf("%s/%s", dir, name);
    char *text = test_read_file(path, NULL);
    free(path);
    if (text) { /* expected files may or may not end with a newline */
        size_t n = strlen(text);
        while (n && text[n - 1] == '\n') text[--n] = '\0';
    }
    return text;
}

static const char *ctx_str(json_object *o, const char *key) {
    json_object *v;
    return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

static int ctx_bool(json_object *o, const char *key) {
    json_object *v;
    return json_object_object_get_ex(o, key, &v) && json_object_get_boolean(v);
}

static time_t parse_utc(const char *iso) {
    struct tm tm = {0};
    sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
           &tm.tm_min, &tm.tm_sec);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

/* Parses request.txt (raw HTTP, header continuation lines start with
 * whitespace) and context.json into signer inputs, mapped as the suite's
 * README says: normalize:true -> raw path, the signer normalises and
 * encodes; normalize:false -> path encoded once, then used verbatim. */
static int load_case(const char *dir, vector_case *vc) {
    memset(vc, 0, sizeof *vc);
    char *raw = read_case_file(dir, "request.txt");
    char *ctx_path = test_strf("%s/context.json", dir);
    vc->context = json_object_from_file(ctx_path);
    free(ctx_path);
    if (!raw || !vc->context) {
        free(raw);
        return -1;
    }
    char *body = strstr(raw, "\n\n");
    if (body) {
        *body = '\0';
        vc->body = strdup(body + 2);
    } else {
        vc->body = strdup("");
    }
    char *save = NULL;
    char *line = strtok_r(raw, "\n", &save);
    char *first_space = strchr(line, ' ');
    char *last_space = strrchr(line, ' ');
    vc->method = strndup(line, (size_t)(first_space - line));
    char *uri = strndup(first_space + 1, (size_t)(last_space - first_space - 1));
    char *q = strchr(uri, '?');
    if (q) *q++ = '\0';
    int normalize = ctx_bool(vc->context, "normalize");
    vc->path = normalize ? strdup(uri) : sparta__uri_encode(uri, strlen(uri), 1);
    if (q && *q) {
        char *qsave = NULL;
        for (char *pair = strtok_r(q, "&", &qsave); pair; pair = strtok_r(NULL, "&", &qsave)) {
            char *eq = strchr(pair, '=');
            size_t nlen = eq ? (size_t)(eq - pair) : strlen(pair);
            char *name = sparta__uri_decode(pair, nlen, 0);
            char *value = eq ? sparta__uri_decode(eq + 1, strlen(eq + 1), 0) : strdup("");
            sparta__aws_kvlist_add(&vc->query, name, value);
            free(name);
            free(value);
        }
    }
    free(uri);
    char *name = NULL;
    char value[4096] = "";
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        if (line[0] == ' ' || line[0] == '\t') { /* continuation of the previous header */
            strncat(value, "\n", sizeof value - strlen(value) - 1);
            strncat(value, line, sizeof value - strlen(value) - 1);
            continue;
        }
        if (name) sparta__aws_kvlist_add(&vc->headers, name, value);
        free(name);
        char *colon = strchr(line, ':');
        name = strndup(line, (size_t)(colon - line));
        snprintf(value, sizeof value, "%s", colon + 1);
    }
    if (name) sparta__aws_kvlist_add(&vc->headers, name, value);
    free(name);
    free(raw);

    json_object *creds;
    json_object_object_get_ex(vc->context, "credentials", &creds);
    vc->signer.access_key_id = ctx_str(creds, "access_key_id");
    vc->signer.secret_access_key = ctx_str(creds, "secret_access_key");
    vc->signer.session_token = ctx_str(creds, "token");
    vc->signer.region = ctx_str(vc->context, "region");
    vc->signer.service = ctx_str(vc->context, "service");
    vc->signer.now = parse_utc(ctx_str(vc->context, "timestamp"));
    vc->signer.normalize_path = normalize;
    vc->signer.sign_body = ctx_bool(vc->context, "sign_body");
    vc->signer.omit_session_token = ctx_bool(vc->context, "omit_session_token");
    return 0;
}

static void free_case(vector_case *vc) {
    free(vc->method);
    free(vc->path);
    free(vc->body);
    sparta__aws_kvlist_free(&vc->query);
    sparta__aws_kvlist_free(&vc->headers);
    json_object_put(vc->context);
}

static sparta__sigv4_request case_request(const vector_case *vc) {
    sparta__sigv4_request r = {vc->method, vc->path, vc->query.items, vc->query.count,
                               vc->headers.items, vc->headers.count, vc->body, strlen(vc->body), NULL};
    return r;
}

static int expect_equal(const char *name, const char *what, const char *want, const char *got) {
    if (want && got && !strcmp(want, got)) return 1;
    fprintf(stderr, "\n[%s] %s differs\n--- expected\n%s\n--- got\n%s\n", name, what,
            want ? want : "(missing)", got ? got : "(null)");
    return 0;
}

/* The value of header `name` in a signed-request.txt, or NULL. */
static char *signed_header(const char *signed_request, const char *name) {
    size_t n = strlen(name);
    for (const char *p = signed_request; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (!strncasecmp(p, name, n) && p[n] == ':') {
            const char *end = strchr(p, '\n');
            return strndup(p + n + 1, end ? (size_t)(end - p - n - 1) : strlen(p + n + 1));
        }
    }
    return NULL;
}

static int qsort_strcmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Query strings equal as sets of decoded pairs (the suite's own order is
 * arbitrary, and it shows raw UTF-8 where a client sends %XX). */
static int same_query_set(const char *a, const char *b) {
    char *x = sparta__uri_decode(a, strlen(a), 0), *y = sparta__uri_decode(b, strlen(b), 0);
    char *xs[64], *ys[64];
    size_t nx = 0, ny = 0;
    char *s1 = NULL, *s2 = NULL;
    for (char *t = strtok_r(x, "&", &s1); t && nx < 64; t = strtok_r(NULL, "&", &s1)) xs[nx++] = t;
    for (char *t = strtok_r(y, "&", &s2); t && ny < 64; t = strtok_r(NULL, "&", &s2)) ys[ny++] = t;
    int same = nx == ny;
    qsort(xs, nx, sizeof *xs, qsort_strcmp);
    qsort(ys, ny, sizeof *ys, qsort_strcmp);
    for (size_t i = 0; same && i < nx; i++) same = !strcmp(xs[i], ys[i]);
    free(x);
    free(y);
    return same;
}

static int check_header_form(const char *name, const char *dir, const vector_case *vc) {
    sparta__sigv4_request r = case_request(vc);
    sparta__sigv4_result res;
    if (sparta__sigv4_sign(&vc->signer, &r, &res) != 0) return 0;
    char *creq = read_case_file(dir, "header-canonical-request.txt");
    char *sts = read_case_file(dir, "header-string-to-sign.txt");
    char *sig = read_case_file(dir, "header-signature.txt");
    char *signed_req = read_case_file(dir, "header-signed-request.txt");
    char *auth = signed_header(signed_req, "Authorization");
    char *token = signed_header(signed_req, "X-Amz-Security-Token");
    int ok = expect_equal(name, "header canonical request", creq, res.canonical_request);
    ok &= expect_equal(name, "header string to sign", sts, res.string_to_sign);
    ok &= expect_equal(name, "header signature", sig, res.signature);
    ok &= expect_equal(name, "Authorization", auth, res.authorization);
    /* The token travels as a header whether or not it was signed. */
    const char *sent_token = sparta__aws_kv_find(res.add_headers, res.add_count, "X-Amz-Security-Token");
    if (token || sent_token) ok &= expect_equal(name, "X-Amz-Security-Token", token, sent_token);
    free(creq), free(sts), free(sig), free(signed_req), free(auth), free(token);
    sparta__sigv4_result_free(&res);
    return ok;
}

static int check_query_form(const char *name, const char *dir, const vector_case *vc) {
    sparta__sigv4_request r = case_request(vc);
    sparta__sigv4_result res;
    json_object *exp;
    long expires = json_object_object_get_ex(vc->context, "expiration_in_seconds", &exp)
                       ? (long)json_object_get_int64(exp) : 3600;
    sparta__sigv4_signer s = vc->signer;
    s.sign_body = 0; /* the presigned form carries the body hash only in the canonical request */
    if (sparta__sigv4_presign(&s, &r, expires, &res) != 0) return 0;
    char *creq = read_case_file(dir, "query-canonical-request.txt");
    char *sts = read_case_file(dir, "query-string-to-sign.txt");
    char *sig = read_case_file(dir, "query-signature.txt");
    char *signed_req = read_case_file(dir, "query-signed-request.txt");
    int ok = expect_equal(name, "query canonical request", creq, res.canonical_request);
    ok &= expect_equal(name, "query string to sign", sts, res.string_to_sign);
    ok &= expect_equal(name, "query signature", sig, res.signature);
    /* The URL to send: same pairs as the suite's signed request line. */
    char *q = strchr(signed_req, '?');
    char *end = q ? strstr(q, " HTTP/") : NULL;
    char *want = q && end ? strndup(q + 1, (size_t)(end - q - 1)) : strdup("");
    if (!same_query_set(want, res.query ? res.query : "")) ok &= expect_equal(name, "presigned query", want, res.query);
    free(want), free(creq), free(sts), free(sig), free(signed_req);
    sparta__sigv4_result_free(&res);
    return ok;
}

static void test_aws_suite_vectors(void) {
    DIR *d = opendir(VECTORS);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    int cases = 0, header_ok = 0, query_ok = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char *dir = test_strf("%s/%s", VECTORS, e->d_name);
        vector_case vc;
        int loaded = load_case(dir, &vc) == 0;
        CU_ASSERT(loaded);
        if (loaded) {
            cases++;
            header_ok += check_header_form(e->d_name, dir, &vc);
            query_ok += check_query_form(e->d_name, dir, &vc);
            free_case(&vc);
        }
        free(dir);
    }
    closedir(d);
    printf("\n    sigv4 vectors: %d cases, header form %d/%d, query form %d/%d\n", cases,
           header_ok, cases, query_ok, cases);
    CU_ASSERT_EQUAL(cases, 38);
    CU_ASSERT_EQUAL(header_ok, cases);
    CU_ASSERT_EQUAL(query_ok, cases);
}

/* ---- rules beyond the suite, checked against botocore ------------------ */

typedef struct boto_case {
    const char *service, *method, *host, *wire_path, *body, *token;
    sparta__aws_kv headers[3];
    size_t header_count;
    sparta__aws_kv query[2];
    size_t query_count;
} boto_case;

/* Our Authorization header for the case, signed at 2024-01-02T03:04:05Z. */
static char *our_authorization(const boto_case *c) {
    sparta__sigv4_signer s = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", c->token,
                              "us-east-1", c->service, 1704164645, 0, 0, 0};
    sparta__sigv4_signer_rules(&s, c->service);
    sparta__aws_kv headers[4] = {{"Host", c->host}};
    for (size_t i = 0; i < c->header_count; i++) headers[i + 1] = c->headers[i];
    sparta__sigv4_request r = {c->method, c->wire_path, c->query, c->query_count, headers,
                               c->header_count + 1, c->body, strlen(c->body), NULL};
    sparta__sigv4_result res;
    if (sparta__sigv4_sign(&s, &r, &res) != 0) return NULL;
    char *auth = strdup(res.authorization);
    sparta__sigv4_result_free(&res);
    return auth;
}

static char *botocore_authorization(const boto_case *c) {
    json_object *spec = json_object_new_object();
    sparta_buffer url = SPARTA_BUFFER_INIT;
    sparta__buffer_printf(&url, "http://%s%s", c->host, c->wire_path);
    for (size_t i = 0; i < c->query_count; i++) {
        char *n = sparta__uri_encode(c->query[i].name, strlen(c->query[i].name), 0);
        char *v = sparta__uri_encode(c->query[i].value, strlen(c->query[i].value), 0);
        sparta__buffer_printf(&url, "%c%s=%s", i ? '&' : '?', n, v);
        free(n), free(v);
    }
    json_object *headers = json_object_new_object();
    for (size_t i = 0; i < c->header_count; i++)
        json_object_object_add(headers, c->headers[i].name, json_object_new_string(c->headers[i].value));
    json_object_object_add(spec, "method", json_object_new_string(c->method));
    json_object_object_add(spec, "url", json_object_new_string(url.data));
    json_object_object_add(spec, "headers", headers);
    json_object_object_add(spec, "body", json_object_new_string(c->body));
    json_object_object_add(spec, "service", json_object_new_string(c->service));
    json_object_object_add(spec, "region", json_object_new_string("us-east-1"));
    json_object_object_add(spec, "access_key", json_object_new_string("AKIDEXAMPLE"));
    json_object_object_add(spec, "secret_key", json_object_new_string("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
    if (c->token) json_object_object_add(spec, "token", json_object_new_string(c->token));
    json_object_object_add(spec, "timestamp", json_object_new_string("20240102T030405Z"));
    char *dir = test_tmpdir();
    char *in = test_strf("%s/spec.json", dir);
    test_write_file(in, json_object_to_json_string(spec));
    char *out = NULL;
    int rc = test_sh(&out, "python3 '%s/tools/sigv4_botocore.py' < '%s'", SPARTA_SOURCE_DIR "/tests", in);
    char *auth = NULL;
    json_object *res = rc == 0 ? json_tokener_parse(out) : NULL;
    if (res) auth = strdup(ctx_str(res, "authorization"));
    else fprintf(stderr, "\nbotocore reference failed (%d): %s\n", rc, out ? out : "");
    json_object_put(res);
    json_object_put(spec);
    sparta__buffer_free(&url);
    test_rmtree(dir);
    free(dir), free(in), free(out);
    return auth;
}

static void test_matches_botocore(void) {
    const boto_case cases[] = {
        /* S3: path as sent (already encoded once), payload hash signed, token signed. */
        {"s3", "PUT", "localhost:5000", "/bucket/a%20b%2Bc/k~ey.zip", "hello", "TOKEN/with+chars=",
         {{"Content-Type", "application/zip"}, {"User-Agent", "sparta/0.1"}, {"Content-MD5", "XUFAKrxLKna5cZ2REBfFkg=="}}, 3,
         {{0}}, 0},
        /* S3 query sub-resource with an empty value. */
        {"s3", "GET", "bucket.s3.us-east-1.amazonaws.com", "/", "", NULL, {{0}}, 0,
         {{"versioning", ""}}, 1},
        /* CloudFormation Query API: form body, session token. */
        {"cloudformation", "POST", "cloudformation.us-east-1.amazonaws.com", "/",
         "Action=DescribeStacks&StackName=my-stack&Version=2010-05-15", "FQoGZXIvYXdzE//token",
         {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}, {"Expect", "100-continue"}}, 2,
         {{0}}, 0},
        /* A REST path with an encoded ':' and dot segments: non-S3 services
         * normalise and encode the path a second time. */
        {"lambda", "GET", "lambda.us-east-1.amazonaws.com", "/2015-03-31/./functions/my%3Afn//configuration",
         "", NULL, {{"X-Amz-Target", "  spaced    value  "}}, 1, {{"Qualifier", "a b/c"}}, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *ours = our_authorization(&cases[i]);
        char *theirs = botocore_authorization(&cases[i]);
        CU_ASSERT_PTR_NOT_NULL(theirs);
        char *label = test_strf("botocore case %zu (%s %s)", i, cases[i].method, cases[i].wire_path);
        CU_ASSERT(expect_equal(label, "Authorization", theirs, ours));
        free(label), free(ours), free(theirs);
    }
}

static void test_s3_and_unsigned_headers(void) {
    sparta__sigv4_signer s = {"AKID", "SECRET", "TOKEN", "eu-west-1", "s3", 0, 0, 0, 0};
    sparta__sigv4_signer_rules(&s, "s3");
    CU_ASSERT(s.sign_body);
    CU_ASSERT(!s.normalize_path);
    sparta__aws_kv headers[] = {{"Host", "h"}, {"User-Agent", "ua"}, {"Connection", "close"},
                                {"Expect", ""}, {"X-Amz-Meta-Tag", "  a \t  b  "}};
    sparta__sigv4_request r = {"PUT", "/b/./k", NULL, 0, headers, 5, "abc", 3, NULL};
    sparta__sigv4_result res;
    CU_ASSERT_EQUAL_FATAL(sparta__sigv4_sign(&s, &r, &res), 0);
    CU_ASSERT_STRING_EQUAL(res.signed_headers,
                           "host;x-amz-content-sha256;x-amz-date;x-amz-meta-tag;x-amz-security-token");
    TEST_ASSERT_CONTAINS(res.canonical_request, "PUT\n/b/./k\n\n"); /* S3 path kept as sent */
    TEST_ASSERT_CONTAINS(res.canonical_request, "x-amz-meta-tag:a b\n");
    CU_ASSERT_STRING_EQUAL(res.payload_hash,
                           "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CU_ASSERT_STRING_EQUAL(res.amz_date, "19700101T000000Z");
    CU_ASSERT_EQUAL(res.add_count, 4);
    CU_ASSERT_STRING_EQUAL(sparta__aws_kv_find(res.add_headers, res.add_count, "X-Amz-Security-Token"), "TOKEN");
    CU_ASSERT_PTR_NOT_NULL(sparta__aws_kv_find(res.add_headers, res.add_count, "x-amz-content-sha256"));
    sparta__sigv4_result_free(&res);

    /* Without a token no token header is added or signed. */
    s.session_token = "";
    CU_ASSERT_EQUAL_FATAL(sparta__sigv4_sign(&s, &r, &res), 0);
    CU_ASSERT_PTR_NULL(strstr(res.signed_headers, "security-token"));
    CU_ASSERT_PTR_NULL(sparta__aws_kv_find(res.add_headers, res.add_count, "X-Amz-Security-Token"));
    sparta__sigv4_result_free(&res);

    /* Missing inputs are refused, not signed. */
    s.secret_access_key = NULL;
    CU_ASSERT_EQUAL(sparta__sigv4_sign(&s, &r, &res), SPARTA_EUSAGE);
}

static void test_uri_helpers(void) {
    char *e = sparta__uri_encode("a b/c~d+é", strlen("a b/c~d+é"), 1);
    CU_ASSERT_STRING_EQUAL(e, "a%20b/c~d%2B%C3%A9");
    free(e);
    e = sparta__uri_encode("a/b", 3, 0);
    CU_ASSERT_STRING_EQUAL(e, "a%2Fb");
    free(e);
    char *d = sparta__uri_decode("a%20b+c%2", 9, 1);
    CU_ASSERT_STRING_EQUAL(d, "a b c%2");
    free(d);
    const char *paths[][2] = {{"", "/"}, {"/", "/"}, {"//a//b//", "/a/b/"}, {"/a/./b/../c", "/a/c"},
                              {"/../..", "/"}, {"/a/b/..", "/a"}, {"a/b", "/a/b"}};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        char *n = sparta__uri_normalize_path(paths[i][0]);
        CU_ASSERT_STRING_EQUAL(n, paths[i][1]);
        free(n);
    }
    sparta__aws_kv q[] = {{"b", "2"}, {"a", "z"}, {"a", "y"}, {"Param-3", "x"}, {"Param", "/"}};
    char *cq = sparta__sigv4_canonical_query(q, 5);
    CU_ASSERT_STRING_EQUAL(cq, "Param=%2F&Param-3=x&a=y&a=z&b=2");
    free(cq);
}

int main(void) {
    static const test_case cases[] = {
        {"AWS SigV4 test suite: every vector, header and query forms", test_aws_suite_vectors},
        {"signatures match botocore (S3, Query, REST paths)", test_matches_botocore},
        {"S3 rules, unsigned headers, whitespace, tokens", test_s3_and_unsigned_headers},
        {"URI encoding, path normalisation, canonical query", test_uri_helpers},
        {NULL, NULL}};
    return test_main("sigv4", cases);
}
