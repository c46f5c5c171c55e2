#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf, strndup */
#endif
#include "aws/http.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "aws/curl_loader.h" /* libcurl is loaded on first use, not linked */
#include "aws/endpoint.h"
#include "aws/errors.h"
#include "aws/region.h"
#include "aws/sigv4.h"
#include "aws/uri.h"
#include "aws/xml_loader.h" /* libxml2 too */
#include "buffer.h"

struct sparta__aws_client {
    CURL *curl;                  /* reused: keeps connections and TLS sessions alive */
    sparta__aws_profile profile;
    sparta__aws_credentials creds;
    char region[64];
    sparta__aws_client_options opts;
    unsigned int seed;           /* backoff jitter */
    int timeouts_from_options;   /* bit 0: connect, bit 1: attempt; for the hint in messages */
};

static int env_int(const char *name) {
    const char *v = getenv(name);
    return v && *v ? atoi(v) : 0;
}

#define MAX_TIMEOUT_MS 86400000L /* a day: past that, a value is a mistake */

/* A timeout variable: unset or empty leaves *out alone; otherwise it must be
 * a positive whole number of milliseconds. */
static int env_timeout_ms(const char *name, long *out, sparta_error_slot *err) {
    const char *v = getenv(name);
    if (!v || !*v) return 0;
    long n = 0;
    int ok = 1;
    for (const char *p = v; *p && ok; p++) {
        if (!isdigit((unsigned char)*p) || n > MAX_TIMEOUT_MS) ok = 0;
        else n = n * 10 + (*p - '0');
    }
    if (!ok || n <= 0 || n > MAX_TIMEOUT_MS)
        return sparta__error_set(err, SPARTA_EUSAGE,
                                 "%s='%.40s' is not a timeout: give a whole number of milliseconds from 1 to "
                                 "%ld (e.g. %s=30000), or unset it", name, v, MAX_TIMEOUT_MS, name);
    *out = n;
    return 0;
}

void sparta__aws_client_token(char out[SPARTA__AWS_CLIENT_TOKEN_SIZE]) {
    unsigned char bytes[16];
    size_t got = 0;
    while (got < sizeof bytes) {
        ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
        if (n > 0) got += (size_t)n;
        else if (n < 0 && errno == EINTR) continue;
        else break;
    }
    if (got < sizeof bytes) {
        /* no getrandom (old kernel, seccomp): time, pid, a counter and an address, mixed */
        static unsigned long counter;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        unsigned long long x = ((unsigned long long)ts.tv_sec << 32) ^ (unsigned long long)ts.tv_nsec ^
                               ((unsigned long long)getpid() << 16) ^ (unsigned long long)(uintptr_t)&got ^
                               (unsigned long long)++counter;
        for (size_t i = got; i < sizeof bytes; i++) {
            x ^= x >> 33;
            x *= 0xff51afd7ed558ccdULL; /* splitmix-style finaliser */
            x ^= x >> 29;
            bytes[i] = (unsigned char)(x >> 24);
        }
    }
    static const char hex[] = "0123456789abcdef";
    memcpy(out, "sparta-", 7);
    for (size_t i = 0; i < sizeof bytes; i++) {
        out[7 + 2 * i] = hex[bytes[i] >> 4];
        out[8 + 2 * i] = hex[bytes[i] & 15];
    }
    out[7 + 2 * sizeof bytes] = '\0';
}

int sparta__aws_client_new(const sparta__aws_client_options *o, sparta__aws_client **out,
                           sparta_error_slot *err) {
    *out = NULL;
    sparta__aws_client_options defaults = SPARTA__AWS_CLIENT_OPTIONS_INIT;
    if (!o) o = &defaults;
    if (o->version != SPARTA__AWS_CLIENT_OPTIONS_VERSION)
        return sparta__error_set(err, SPARTA_EUSAGE, "AWS client options version %d, expected %d",
                                 o->version, SPARTA__AWS_CLIENT_OPTIONS_VERSION);
    long connect_timeout_ms = o->connect_timeout_ms, timeout_ms = o->timeout_ms;
    int rc = 0;
    if (connect_timeout_ms <= 0) rc = env_timeout_ms("SPARTA_HTTP_CONNECT_TIMEOUT_MS", &connect_timeout_ms, err);
    if (!rc && timeout_ms <= 0) rc = env_timeout_ms("SPARTA_HTTP_TIMEOUT_MS", &timeout_ms, err);
    if (!rc) rc = sparta__curl_load(err); /* the first AWS client pays for loading libcurl and libxml2 */
    if (!rc) rc = sparta__xml_load(err);
    if (rc) return rc;
    sparta__aws_client *c = calloc(1, sizeof *c);
    if (!c) return sparta__error_set(err, SPARTA_ENOMEM, "out of memory");
    c->opts = *o;
    c->opts.connect_timeout_ms = connect_timeout_ms;
    c->opts.timeout_ms = timeout_ms;
    c->timeouts_from_options = (o->connect_timeout_ms > 0 ? 1 : 0) | (o->timeout_ms > 0 ? 2 : 0);
    c->seed = (unsigned int)time(NULL) ^ (unsigned int)getpid();
    rc = sparta__aws_profile_load(o->profile, &c->profile, err);
    if (rc) {
        free(c);
        return rc;
    }
    rc = sparta__aws_region_resolve(o->region, &c->profile, o->fallback_region, c->region,
                                    sizeof c->region, NULL, err);
    if (!rc && o->credentials) {
        if (sparta__aws_credentials_copy(o->credentials, &c->creds) != 0)
            rc = sparta__error_set(err, SPARTA_ENOMEM, "out of memory");
    } else if (!rc) {
        sparta__aws_credentials_options co = {&c->profile, o->metadata_timeout_ms, o->logger, 0, 0};
        rc = sparta__aws_credentials_resolve(&co, &c->creds, err);
    }
    if (!rc && !(c->curl = curl_easy_init()))
        rc = sparta__error_set(err, SPARTA_EGENERIC, "libcurl could not create a handle");
    if (rc) {
        sparta__aws_client_free(c);
        return rc;
    }
    sparta__aws_client_options *x = &c->opts;
    if (x->connect_timeout_ms <= 0) x->connect_timeout_ms = 5000;
    if (x->timeout_ms <= 0) x->timeout_ms = 300000;
    if (x->low_speed_limit <= 0) x->low_speed_limit = 1;
    if (x->low_speed_time_s <= 0) x->low_speed_time_s = 30;
    if (x->max_attempts <= 0) x->max_attempts = env_int("AWS_MAX_ATTEMPTS");
    if (x->max_attempts <= 0) {
        const char *pm = sparta__aws_profile_get(&c->profile, "max_attempts");
        x->max_attempts = pm ? atoi(pm) : 0;
    }
    if (x->max_attempts <= 0) x->max_attempts = 4;
    if (x->max_attempts > 20) x->max_attempts = 20; /* bounded, whatever the environment says */
    if (x->retry_base_ms <= 0) x->retry_base_ms = 250;
    if (x->retry_max_ms <= 0) x->retry_max_ms = 20000;
    if (x->logger)
        sparta__log(x->logger, SPARTA_LOG_DEBUG, "AWS client ready", "region", c->region, "credentials",
                    c->creds.source, "profile", c->profile.name, (char *)NULL);
    *out = c;
    return 0;
}

void sparta__aws_client_free(sparta__aws_client *c) {
    if (!c) return;
    if (c->curl) curl_easy_cleanup(c->curl);
    sparta__aws_credentials_clear(&c->creds);
    sparta__aws_profile_free(&c->profile);
    free(c);
}

const char *sparta__aws_client_region(const sparta__aws_client *c) { return c->region; }
const char *sparta__aws_client_credentials_source(const sparta__aws_client *c) { return c->creds.source; }
sparta_logger *sparta__aws_client_logger(const sparta__aws_client *c) { return c->opts.logger; }
const sparta__aws_profile *sparta__aws_client_profile(const sparta__aws_client *c) { return &c->profile; }

int sparta__aws_client_endpoint(sparta__aws_client *c, const char *service, char **url,
                                int *overridden, sparta_error_slot *err) {
    return sparta__aws_endpoint_resolve(service, c->region, &c->profile, url, overridden, err);
}

void sparta__aws_response_free(sparta__aws_response *resp) {
    if (!resp) return;
    free(resp->body);
    sparta__aws_kvlist_free(&resp->headers);
    free(resp->error_code);
    free(resp->error_message);
    free(resp->request_id);
    memset(resp, 0, sizeof *resp);
}

/* ---- one attempt ----------------------------------------------------------- */

typedef struct attempt_io {
    sparta_buffer body;
    sparta__aws_kvlist *headers;
} attempt_io;

static size_t on_body(char *data, size_t size, size_t n, void *user) {
    attempt_io *io = user;
    sparta__buffer_put(&io->body, data, size * n);
    return io->body.failed ? 0 : size * n;
}

static size_t on_header(char *data, size_t size, size_t n, void *user) {
    attempt_io *io = user;
    size_t len = size * n;
    if (len >= 5 && !strncmp(data, "HTTP/", 5)) { /* a new response (after 100 Continue) */
        sparta__aws_kvlist_free(io->headers);
        return len;
    }
    const char *colon = memchr(data, ':', len);
    if (!colon) return len;
    char *name = strndup(data, (size_t)(colon - data));
    const char *v = colon + 1, *end = data + len;
    while (v < end && isspace((unsigned char)*v)) v++;
    while (end > v && isspace((unsigned char)end[-1])) end--;
    char *value = strndup(v, (size_t)(end - v));
    if (name && value) {
        for (char *p = name; *p; p++) *p = (char)tolower((unsigned char)*p);
        sparta__aws_kvlist_add(io->headers, name, value);
    }
    free(name);
    free(value);
    return len;
}

/* Splits "https://host:port/base" into host ("host:port") and base path. */
static void split_endpoint(const char *url, char **host, char **base) {
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    const char *slash = strchr(h, '/');
    *host = slash ? strndup(h, (size_t)(slash - h)) : strdup(h);
    *base = strdup(slash ? slash : "");
}

static int refresh_credentials(sparta__aws_client *c, sparta_error_slot *err) {
    /* Keys given by the caller are the caller's to renew. */
    if (c->opts.credentials || !c->creds.expiration || time(NULL) + 300 < c->creds.expiration) return 0;
    sparta__aws_credentials fresh;
    sparta__aws_credentials_options co = {&c->profile, c->opts.metadata_timeout_ms, c->opts.logger, 0, 0};
    int rc = sparta__aws_credentials_resolve(&co, &fresh, err);
    if (rc) return rc;
    sparta__aws_credentials_clear(&c->creds);
    c->creds = fresh;
    return 0;
}

typedef struct attempt_result {
    CURLcode curl_rc;
    char curl_error[CURL_ERROR_SIZE];
    long status;
    int connected; /* the request got as far as being sent (a connection was made or reused) */
} attempt_result;

static int perform_attempt(sparta__aws_client *c, const sparta__aws_http_request *req, int flags,
                           const char *endpoint, sparta__aws_response *resp, attempt_result *ar,
                           sparta_error_slot *err) {
    int rc = refresh_credentials(c, err);
    if (rc) return rc;
    sparta__aws_service svc = sparta__aws_service_lookup(req->service);
    char *host = NULL, *base = NULL, *full_host = NULL, *wire_path = NULL, *url = NULL;
    sparta_buffer qs = SPARTA_BUFFER_INIT;
    sparta__aws_kvlist headers = SPARTA__AWS_KVLIST_INIT;
    struct curl_slist *slist = NULL;
    sparta__sigv4_result sig;
    memset(&sig, 0, sizeof sig);
    attempt_io io = {SPARTA_BUFFER_INIT, &resp->headers};
    rc = SPARTA_ENOMEM;

    split_endpoint(endpoint, &host, &base);
    if (!host || !base) goto done;
    if (asprintf(&full_host, "%s%s", req->host_prefix ? req->host_prefix : "", host) < 0) {
        full_host = NULL;
        goto done;
    }
    {
        const char *p = req->path && *req->path ? req->path : "/";
        char *enc = sparta__uri_encode(p, strlen(p), 1);
        if (!enc) goto done;
        if (asprintf(&wire_path, "%s%s%s", base, enc[0] == '/' ? "" : "/", enc) < 0) wire_path = NULL;
        free(enc);
        if (!wire_path) goto done;
    }
    for (size_t i = 0; i < req->query_count; i++) {
        char *n = sparta__uri_encode(req->query[i].name, strlen(req->query[i].name), 0);
        const char *v = req->query[i].value ? req->query[i].value : "";
        char *ve = sparta__uri_encode(v, strlen(v), 0);
        if (n && ve) sparta__buffer_printf(&qs, "%c%s=%s", i ? '&' : '?', n, ve);
        else qs.failed = 1;
        free(n);
        free(ve);
    }
    if (qs.failed) goto done;
    const char *scheme_end = strstr(endpoint, "://");
    if (asprintf(&url, "%.*s://%s%s%s", (int)(scheme_end ? scheme_end - endpoint : 5),
                 scheme_end ? endpoint : "https", full_host, wire_path, qs.data ? qs.data : "") < 0) {
        url = NULL;
        goto done;
    }

    sparta__aws_kvlist_add(&headers, "Host", full_host);
    for (size_t i = 0; i < req->header_count; i++)
        sparta__aws_kvlist_add(&headers, req->headers[i].name, req->headers[i].value);
    const char *ctype = req->content_type;
    if (!ctype && req->body_length) ctype = "application/octet-stream";
    if (ctype) sparta__aws_kvlist_add(&headers, "Content-Type", ctype);
    if (headers.failed) goto done;

    sparta__sigv4_signer signer = {c->creds.access_key_id, c->creds.secret_access_key,
                                   c->creds.session_token, svc.global ? "us-east-1" : c->region,
                                   svc.signing_name, time(NULL), 0, 0, 0};
    sparta__sigv4_signer_rules(&signer, svc.signing_name);
    sparta__sigv4_request sr = {req->method, wire_path, req->query, req->query_count, headers.items,
                                headers.count, req->body, req->body_length, NULL};
    if ((rc = sparta__sigv4_sign(&signer, &sr, &sig)) != 0) {
        rc = sparta__error_set(err, rc, "could not sign the %s request", req->action ? req->action : "AWS");
        goto done;
    }
    rc = SPARTA_ENOMEM;
    for (size_t i = 0; i < headers.count + sig.add_count; i++) {
        const sparta__aws_kv *h = i < headers.count ? &headers.items[i] : &sig.add_headers[i - headers.count];
        char *line = NULL;
        /* "Name;" is curl's way to send a header with an empty value */
        if (asprintf(&line, *h->value ? "%s: %s" : "%s;", h->name, h->value) < 0) goto done;
        struct curl_slist *n = curl_slist_append(slist, line);
        memset(line, 0, strlen(line)); /* may hold the session token */
        free(line);
        if (!n) goto done;
        slist = n;
    }
    slist = curl_slist_append(slist, "Expect:"); /* no 100-continue round trip */
    if (!ctype) slist = curl_slist_append(slist, "Content-Type:");

    CURL *h = c->curl;
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, slist);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "sparta/" "0.1");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L); /* S3 redirects name the bucket's region */
    if (flags & SPARTA__AWS_MUTATING) curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L); /* no silent resend */
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->opts.connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->opts.timeout_ms);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, c->opts.low_speed_limit);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, c->opts.low_speed_time_s);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ar->curl_error);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &io);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &io);
    if (!strcmp(req->method, "HEAD")) {
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (!strcmp(req->method, "GET")) {
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
        /* POSTFIELDS sends the bytes as they are for any method */
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_length);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body_length ? (const char *)req->body : "");
    }
    ar->curl_error[0] = '\0';
    sparta__aws_kvlist_free(&resp->headers);
    ar->curl_rc = curl_easy_perform(h);
    ar->status = 0;
    if (ar->curl_rc == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &ar->status);
    curl_off_t pretransfer = 0; /* set once connected (or a connection reused) and about to send */
    ar->connected = ar->curl_rc == CURLE_OK ||
                    (curl_easy_getinfo(h, CURLINFO_PRETRANSFER_TIME_T, &pretransfer) == CURLE_OK && pretransfer > 0);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    if (!ar->curl_error[0]) snprintf(ar->curl_error, sizeof ar->curl_error, "%s", curl_easy_strerror(ar->curl_rc));
    resp->status = ar->status;
    free(resp->body);
    resp->body_length = 0;
    resp->body = sparta__buffer_take(&io.body, &resp->body_length);
    rc = resp->body ? 0 : SPARTA_ENOMEM;
done:
    if (rc == SPARTA_ENOMEM && err && !err->code) sparta__error_set(err, rc, "out of memory sending an AWS request");
    sparta__buffer_free(&io.body);
    sparta__buffer_free(&qs);
    sparta__aws_kvlist_free(&headers);
    if (slist) curl_slist_free_all(slist);
    sparta__sigv4_result_free(&sig);
    free(host), free(base), free(full_host), free(wire_path), free(url);
    return rc;
}

static int retryable_connection_fault(CURLcode rc) {
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        return 1;
    default:
        return 0;
    }
}

/* How a failed transfer is told to the user. */
typedef enum fault_kind {
    FAULT_UNREACHABLE, /* never got a connection: name resolution, connect refused or timed out */
    FAULT_TIMEOUT,     /* connected, but the whole attempt ran past timeout_ms */
    FAULT_STALLED,     /* connected, but bytes stopped flowing (low-speed limit) */
    FAULT_TLS,         /* connected, but no TLS session (handshake, certificate) */
    FAULT_BROKE,       /* connected, then the connection broke: reset, cut short, empty reply */
    FAULT_OTHER        /* anything else curl refuses (bad URL, out of memory, ...) */
} fault_kind;

static fault_kind classify_fault(const attempt_result *ar) {
    switch (ar->curl_rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return FAULT_UNREACHABLE;
    case CURLE_OPERATION_TIMEDOUT:
        if (!ar->connected) return FAULT_UNREACHABLE;
        return strstr(ar->curl_error, "too slow") ? FAULT_STALLED : FAULT_TIMEOUT;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
        return FAULT_TLS;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
        return FAULT_BROKE;
    default:
        return FAULT_OTHER;
    }
}

/* The final error for an attempt that got no HTTP answer; `tries` is "" or
 * " after N attempts". */
static int transfer_error(sparta__aws_client *c, const sparta__aws_http_request *req, const char *action,
                          const char *endpoint, const attempt_result *ar, const char *tries,
                          sparta_error_slot *err) {
    const char *svc = req->service;
    switch (classify_fault(ar)) {
    case FAULT_UNREACHABLE:
        if (ar->curl_rc == CURLE_OPERATION_TIMEDOUT)
            return sparta__error_set(err, SPARTA_EAWS,
                                     "%s %s: cannot reach %s%s: no connection within %ld ms (%s); check the "
                                     "endpoint and the network%s", svc, action, endpoint, tries,
                                     c->opts.connect_timeout_ms, ar->curl_error,
                                     c->timeouts_from_options & 1 ? ""
                                                                  : ", or raise SPARTA_HTTP_CONNECT_TIMEOUT_MS");
        return sparta__error_set(err, SPARTA_EAWS, "%s %s: cannot reach %s%s: %s", svc, action, endpoint, tries,
                                 ar->curl_error);
    case FAULT_TIMEOUT:
        return sparta__error_set(err, SPARTA_EAWS,
                                 "%s %s: no answer from %s within %ld ms%s (%s); check the network or raise the "
                                 "timeout%s", svc, action, endpoint, c->opts.timeout_ms, tries, ar->curl_error,
                                 c->timeouts_from_options & 2 ? "" : " (SPARTA_HTTP_TIMEOUT_MS)");
    case FAULT_STALLED:
        return sparta__error_set(err, SPARTA_EAWS,
                                 "%s %s failed%s: the connection to %s stalled (under %ld bytes/s for %ld s): %s; "
                                 "check the network", svc, action, tries, endpoint, c->opts.low_speed_limit,
                                 c->opts.low_speed_time_s, ar->curl_error);
    case FAULT_TLS:
        return sparta__error_set(err, SPARTA_EAWS, "%s %s failed%s: no TLS session with %s: %s", svc, action, tries,
                                 endpoint, ar->curl_error);
    case FAULT_BROKE:
        return sparta__error_set(err, SPARTA_EAWS, "%s %s failed%s: the connection to %s broke during the call: %s",
                                 svc, action, tries, endpoint, ar->curl_error);
    default:
        return sparta__error_set(err, SPARTA_EAWS, "%s %s failed%s: the request to %s could not be made: %s", svc,
                                 action, tries, endpoint, ar->curl_error);
    }
}

static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* Full jitter: uniform in [0, min(max, base * 2^(attempt-1))]. */
static long backoff_ms(sparta__aws_client *c, int attempt) {
    long cap = c->opts.retry_base_ms;
    for (int i = 1; i < attempt && cap < c->opts.retry_max_ms; i++) cap *= 2;
    if (cap > c->opts.retry_max_ms) cap = c->opts.retry_max_ms;
    return cap > 0 ? (long)(rand_r(&c->seed) % (unsigned long)(cap + 1)) : 0;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

int sparta__aws_request(sparta__aws_client *c, const sparta__aws_http_request *req,
                        sparta__aws_response *resp, sparta_error_slot *err) {
    return sparta__aws_request_ex(c, req, 0, resp, err);
}

int sparta__aws_request_ex(sparta__aws_client *c, const sparta__aws_http_request *req, int flags,
                           sparta__aws_response *resp, sparta_error_slot *err) {
    sparta__aws_response local;
    if (!resp) resp = &local;
    memset(resp, 0, sizeof *resp);
    const char *action = req->action ? req->action : req->method;
    char *endpoint = NULL;
    int overridden = 0;
    int rc = sparta__aws_client_endpoint(c, req->service, &endpoint, &overridden, err);
    if (rc) goto out;
    sparta_logger *lg = c->opts.logger;
    attempt_result ar;
    for (int attempt = 1;; attempt++) {
        resp->attempts = attempt;
        double started = now_ms();
        memset(&ar, 0, sizeof ar);
        rc = perform_attempt(c, req, flags, endpoint, resp, &ar, err);
        if (rc) goto out;
        char ms[32], st[16], at[16];
        snprintf(ms, sizeof ms, "%.0f", now_ms() - started);
        snprintf(st, sizeof st, "%ld", ar.status);
        snprintf(at, sizeof at, "%d", attempt);
        if (lg)
            sparta__log(lg, SPARTA_LOG_DEBUG, "AWS call", "service", req->service, "action", action,
                        "status", ar.curl_rc == CURLE_OK ? st : curl_easy_strerror(ar.curl_rc),
                        "attempt", at, "ms", ms, (char *)NULL);
        int retry = 0;
        char reason[512];
        free(resp->error_code);
        free(resp->error_message);
        free(resp->request_id);
        resp->error_code = resp->error_message = resp->request_id = NULL;
        if (ar.curl_rc != CURLE_OK) {
            retry = retryable_connection_fault(ar.curl_rc);
            snprintf(reason, sizeof reason, "%s", ar.curl_error);
        } else if (ar.status >= 300) {
            sparta__aws_error_info info;
            sparta__aws_error_parse(ar.status, &resp->headers, resp->body, resp->body_length, &info);
            resp->error_code = info.code;
            resp->error_message = info.message;
            resp->request_id = info.request_id;
            retry = sparta__aws_error_retryable(ar.status, resp->error_code);
            snprintf(reason, sizeof reason, "%s (HTTP %ld)", resp->error_code, ar.status);
        } else {
            rc = 0;
            break;
        }
        if (!retry || attempt >= c->opts.max_attempts) {
            char tries[64] = "";
            if (attempt > 1) snprintf(tries, sizeof tries, " after %d attempts", attempt);
            if (ar.curl_rc != CURLE_OK)
                rc = transfer_error(c, req, action, endpoint, &ar, tries, err);
            else
                rc = sparta__error_set(err, SPARTA_EAWS, "%s %s failed%s: %s: %s (HTTP %ld, request ID %s)",
                                       req->service, action, tries, resp->error_code,
                                       resp->error_message && *resp->error_message ? resp->error_message
                                                                                     : "no message",
                                       ar.status, resp->request_id ? resp->request_id : "none");
            break;
        }
        long delay = backoff_ms(c, attempt);
        if (lg) {
            char d[32];
            snprintf(d, sizeof d, "%ld", delay);
            sparta__log(lg, SPARTA_LOG_DEBUG, "AWS call will be retried", "service", req->service,
                        "action", action, "reason", reason, "attempt", at, "delay_ms", d, (char *)NULL);
        }
        sleep_ms(delay);
    }
out:
    free(endpoint);
    if (resp == &local) sparta__aws_response_free(&local);
    return rc;
}

int sparta__aws_query_call(sparta__aws_client *c, const char *service, const char *action,
                           const char *version, const sparta__aws_kvlist *params,
                           sparta__aws_response *resp, sparta_error_slot *err) {
    return sparta__aws_query_call_ex(c, service, action, version, params, 0, resp, err);
}

int sparta__aws_query_call_ex(sparta__aws_client *c, const char *service, const char *action,
                              const char *version, const sparta__aws_kvlist *params, int flags,
                              sparta__aws_response *resp, sparta_error_slot *err) {
    sparta_buffer body = SPARTA_BUFFER_INIT;
    sparta__buffer_printf(&body, "Action=%s&Version=%s", action, version);
    for (size_t i = 0; params && i < params->count; i++) {
        char *n = sparta__uri_encode(params->items[i].name, strlen(params->items[i].name), 0);
        char *v = sparta__uri_encode(params->items[i].value, strlen(params->items[i].value), 0);
        if (n && v) sparta__buffer_printf(&body, "&%s=%s", n, v);
        else body.failed = 1;
        free(n);
        free(v);
    }
    if (body.failed || (params && params->failed)) {
        sparta__buffer_free(&body);
        return sparta__error_set(err, SPARTA_ENOMEM, "out of memory building %s", action);
    }
    sparta__aws_http_request req = {service, action, "POST", NULL, "/", NULL, 0, NULL, 0,
                                    body.data, body.length, "application/x-www-form-urlencoded; charset=utf-8"};
    int rc = sparta__aws_request_ex(c, &req, flags, resp, err);
    sparta__buffer_free(&body);
    return rc;
}

int sparta__aws_json_call(sparta__aws_client *c, const char *service, const char *target_prefix,
                          const char *action, const char *json_body, sparta__aws_response *resp,
                          sparta_error_slot *err) {
    char target[256];
    snprintf(target, sizeof target, "%s.%s", target_prefix, action);
    sparta__aws_kv headers[] = {{"X-Amz-Target", target}};
    const char *body = json_body && *json_body ? json_body : "{}";
    sparta__aws_http_request req = {service, action, "POST", NULL, "/", NULL, 0, headers, 1,
                                    body, strlen(body), "application/x-amz-json-1.1"};
    return sparta__aws_request(c, &req, resp, err);
}
