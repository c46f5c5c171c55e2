/* Faults survived: the real `sparta provision` of a lambda service, run
 * through the fault proxy (tests/tools/aws_fault_proxy.py) in front of
 * moto_server, one scenario per table row.
 *
 * Each row names the proxy rules, the expected outcome (exit code and
 * fragments of the output: converged after retries, or a clear error), what
 * the proxy must have counted and, for retried mutating calls, that every
 * attempt carried the same idempotency token. Then the common checks: nothing local is
 * half-written (no *.tmp* files in the output directory, the template parses
 * as JSON, every archive passes `unzip -t`), nothing in S3 is half-written
 * (an object under a content-addressed key has the size of the local file
 * with that SHA-256), no multipart upload is left dangling, and a rerun with
 * the proxy cleared converges (exit 0; `aws cloudformation describe-stacks`
 * against moto says CREATE_COMPLETE or UPDATE_COMPLETE, and it is the only
 * stack of that name).
 *
 * At the end the table is printed as Markdown (scenario | faults injected |
 * outcome | rerun) and written to <build>/faults-survived.md. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* setenv */
#endif
#include <dirent.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "aws/digest.h"
#include "local_aws.h"
#include "test_service.h"
#include "test_support.h"

#define BUCKET "sparta-artifacts"
#define STACK "faults"

/* AWS-shaped error bodies (no double quotes inside: they sit in JSON strings). */
#define CFN_ERROR(type, code, message)                                                                     \
    "<ErrorResponse><Error><Type>" type "</Type><Code>" code "</Code><Message>" message                   \
    "</Message></Error><RequestId>proxy-fault</RequestId></ErrorResponse>"
#define S3_ERROR(code, message) "<Error><Code>" code "</Code><Message>" message "</Message></Error>"

typedef struct scenario {
    const char *name;
    const char *faults;       /* what the proxy injects, for the table */
    const char *rules;        /* the proxy's rules (JSON) */
    int code_mib;             /* incompressible MiB in the function's code: 0, 2 (big single PUT), 17 (multipart) */
    int update;               /* 1: a clean first provision, then a changed service (an UPDATE) */
    const char *env;          /* for the faulted run: "AWS_MAX_ATTEMPTS=3" (NULL: the client's defaults) */
    int expect_rc;
    const char *expect;       /* in the faulted run's output; " && " between several fragments */
    const char *counts;       /* what the proxy counted: "DescribeStacks=3,CreateChangeSet>=1" */
    int multipart;            /* check that no multipart upload is left behind */
    const char *same_token;   /* "Action:Field": every attempt of Action sent one token in Field */
    double max_seconds;       /* the faulted run ends within this (0: no bound but timeout(1)'s) */
    const char *rerun_expect; /* in the rerun's output; " && " between several fragments */
} scenario;

static const scenario scenarios[] = {
    {"throttling storm",
     "S3 `SlowDown` (503) and CloudFormation `Throttling` (400) on the first 2 requests of every operation",
     "[{\"service\":\"s3\",\"each\":2,\"status\":503,\"body\":\"" S3_ERROR("SlowDown", "Please reduce your request rate.") "\"},"
     "{\"service\":\"cloudformation\",\"each\":2,\"status\":400,\"body\":\"" CFN_ERROR("Sender", "Throttling", "Rate exceeded") "\"}]",
     0, 0, NULL, 0, "Stack created",
     "HeadObject>=3,PutObject>=3,DescribeStacks>=3,CreateChangeSet=3,DescribeChangeSet>=3,ExecuteChangeSet=3", 0,
     "CreateChangeSet:ClientToken", 0, "Stack is up to date"},
    {"5xx burst",
     "502 (HTML body), then 500 `InternalError` / `InternalFailure`, on the first 2 requests of every operation",
     "[{\"each\":1,\"status\":502,\"headers\":{\"Content-Type\":\"text/html\"},\"body\":\"<html><body><h1>502 Bad Gateway</h1></body></html>\"},"
     "{\"service\":\"s3\",\"each\":1,\"status\":500,\"body\":\"" S3_ERROR("InternalError", "We encountered an internal error. Please try again.") "\"},"
     "{\"service\":\"cloudformation\",\"each\":1,\"status\":500,\"body\":\"" CFN_ERROR("Receiver", "InternalFailure", "internal failure") "\"}]",
     0, 0, NULL, 0, "Stack created", "HeadObject>=3,PutObject>=3,CreateChangeSet=3,ExecuteChangeSet=3", 0,
     "ExecuteChangeSet:ClientRequestToken", 0, "Stack is up to date"},
    {"503 that never clears",
     "every CloudFormation request answered 503 `ServiceUnavailable`; `AWS_MAX_ATTEMPTS=3`",
     "[{\"service\":\"cloudformation\",\"status\":503,\"body\":\"" CFN_ERROR("Receiver", "ServiceUnavailable", "Service is unavailable") "\"}]",
     0, 0, "AWS_MAX_ATTEMPTS=3", 1, "cloudformation DescribeStacks failed after 3 attempts: ServiceUnavailable",
     "DescribeStacks=3,CreateChangeSet=0", 0, NULL, 0, "Stack created"},
    {"slow answers",
     "PutObject and CreateChangeSet answered after 1 s (under the client's timeout)",
     "[{\"operation\":\"PutObject\",\"times\":1,\"kind\":\"delay\",\"seconds\":1},"
     "{\"action\":\"CreateChangeSet\",\"times\":1,\"kind\":\"delay\",\"seconds\":1}]",
     0, 0, NULL, 0, "Stack created", "PutObject=2,CreateChangeSet=1,ExecuteChangeSet=1", 0, NULL, 0,
     "Stack is up to date"},
    {"slow answer past the timeout",
     "every DescribeStacks held for 3 s without an answer; `SPARTA_HTTP_TIMEOUT_MS=1000 AWS_MAX_ATTEMPTS=2`",
     "[{\"action\":\"DescribeStacks\",\"kind\":\"hang\",\"seconds\":3}]",
     0, 0, "SPARTA_HTTP_TIMEOUT_MS=1000 AWS_MAX_ATTEMPTS=2", 1,
     "cloudformation DescribeStacks: no answer from && within 1000 ms after 2 attempts",
     "DescribeStacks=2,CreateChangeSet=0", 0, NULL, 15, "Stack created"},
    {"reset mid-upload (single PUT)",
     "connection reset after 64 KiB of a 2 MiB archive's PutObject, twice",
     "[{\"operation\":\"PutObject\",\"times\":2,\"kind\":\"reset\",\"after_bytes\":65536}]",
     2, 0, NULL, 0, "Stack created", "PutObject>=4,HeadObject=2", 0, NULL, 0, "Stack is up to date"},
    {"reset mid-upload (multipart part)",
     "connection reset after 1 MiB of part 2 of a 17 MiB archive's multipart upload, twice",
     "[{\"operation\":\"UploadPart\",\"query\":\"partNumber=2\",\"times\":2,\"kind\":\"reset\",\"after_bytes\":1048576}]",
     17, 0, NULL, 0, "Stack created", "CreateMultipartUpload=1,UploadPart>=5,CompleteMultipartUpload=1,AbortMultipartUpload=0",
     1, NULL, 0, "Stack is up to date"},
    {"multipart part that never gets through",
     "connection reset after 1 MiB of every attempt at part 2 of a 17 MiB archive; `AWS_MAX_ATTEMPTS=3`",
     "[{\"operation\":\"UploadPart\",\"query\":\"partNumber=2\",\"kind\":\"reset\",\"after_bytes\":1048576}]",
     17, 0, "AWS_MAX_ATTEMPTS=3", 1, "s3 UploadPart failed after 3 attempts: the connection to && broke during the call",
     "CompleteMultipartUpload=0,AbortMultipartUpload=1,CreateChangeSet=0", 1, NULL, 0, "Stack created"},
    {"truncated DescribeStacks",
     "every DescribeStacks answer cut to half its Content-Length (stack exists); `AWS_MAX_ATTEMPTS=3`",
     "[{\"action\":\"DescribeStacks\",\"kind\":\"truncate\"}]",
     0, 1, "AWS_MAX_ATTEMPTS=3", 1,
     "cloudformation DescribeStacks failed after 3 attempts: the connection to && broke during the call",
     "DescribeStacks=3,CreateChangeSet=0", 0, NULL, 0, "Stack updated"},
    {"malformed DescribeStacks",
     "DescribeStacks answered 200 with XML that stops mid-element",
     "[{\"action\":\"DescribeStacks\",\"status\":200,\"headers\":{\"Content-Type\":\"text/xml\"},\"body\":\"<DescribeStacksResponse>"
     "<DescribeStacksResult><Stacks><member><StackName>faults</StackName><StackStatus>CREATE_COMPL\"}]",
     0, 0, NULL, 1, "cloudformation DescribeStacks: the answer is not the XML expected", "DescribeStacks=1,CreateChangeSet=0",
     0, NULL, 0, "Stack created"},
    {"endpoint dies after CreateChangeSet (create)",
     "every request after CreateChangeSet reset (first provision); `AWS_MAX_ATTEMPTS=3`",
     "[{\"after\":\"CreateChangeSet\",\"kind\":\"reset\"}]",
     0, 0, "AWS_MAX_ATTEMPTS=3", 1, "cloudformation DescribeChangeSet failed after 3 attempts: the connection to && broke",
     "CreateChangeSet=1,DescribeChangeSet>=3,ExecuteChangeSet=0", 0, NULL, 0,
     "Stack is in REVIEW_IN_PROGRESS (a CREATE change set never executed, no resources): deleting it and creating it "
     "again && Stack created"},
    {"endpoint dies after CreateChangeSet (update)",
     "every request after CreateChangeSet reset (stack exists); `AWS_MAX_ATTEMPTS=3`",
     "[{\"after\":\"CreateChangeSet\",\"kind\":\"reset\"}]",
     0, 1, "AWS_MAX_ATTEMPTS=3", 1, "cloudformation DescribeChangeSet failed after 3 attempts: the connection to && broke",
     "CreateChangeSet=1,DescribeChangeSet>=3,ExecuteChangeSet=0", 0, NULL, 0, "Stack updated"},
    {"CreateChangeSet answer lost",
     "CreateChangeSet reaches CloudFormation but its answer is cut; the retry, with the same `ClientToken`, is answered "
     "as AWS may (`AlreadyExistsException`)",
     "[{\"action\":\"CreateChangeSet\",\"body_contains\":\"ClientToken=sparta-\",\"times\":1,\"kind\":\"truncate\"},"
     "{\"action\":\"CreateChangeSet\",\"body_contains\":\"ClientToken=sparta-\",\"times\":1,\"status\":400,\"body\":\""
     CFN_ERROR("Sender", "AlreadyExistsException", "ChangeSet already exists") "\"}]",
     0, 1, NULL, 0, "CreateChangeSet took effect though its answer was lost && Stack updated",
     "CreateChangeSet=2,DescribeChangeSet>=2,ExecuteChangeSet=1", 0, "CreateChangeSet:ClientToken", 0,
     "Stack is up to date"},
    {"ExecuteChangeSet answer lost",
     "ExecuteChangeSet reaches CloudFormation but its answer is cut; the retry, with the same `ClientRequestToken`, is "
     "answered as AWS may (`InvalidChangeSetStatus`)",
     "[{\"action\":\"ExecuteChangeSet\",\"body_contains\":\"ClientRequestToken=sparta-\",\"times\":1,\"kind\":\"truncate\"},"
     "{\"action\":\"ExecuteChangeSet\",\"body_contains\":\"ClientRequestToken=sparta-\",\"times\":1,\"status\":400,\"body\":\""
     CFN_ERROR("Sender", "InvalidChangeSetStatus",
               "ChangeSet cannot be executed in its current execution status of [EXECUTE_IN_PROGRESS]") "\"}]",
     0, 1, NULL, 0, "ExecuteChangeSet took effect though its answer was lost && Stack updated", "ExecuteChangeSet=2",
     0, "ExecuteChangeSet:ClientRequestToken", 0, "Stack is up to date"},
};
#define SCENARIOS (sizeof scenarios / sizeof scenarios[0])

typedef struct result {
    int ran, passed;
    char outcome[768];
    char rerun[768];
    int faulted; /* requests a proxy rule answered */
} result;

static result results[SCENARIOS];
static local_aws moto, proxy;
static char *work;       /* temp dir for the code blobs the scenarios share */
static test_service svc; /* the scenario's service, fresh for each */

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* ---- the service --------------------------------------------------------- */

static char *service_cfg(int memory) {
    return test_strf("service = { name = \"" STACK "\"; description = \"fault scenarios\"; };\n"
                     "plugins = { enabled = [ \"lambda\" ]; };\n"
                     "lambda = {\n"
                     "  functions = ( { name = \"hello\"; runtime = \"python3.12\"; handler = \"index.handler\";\n"
                     "                  code = \"code\"; memory = %d; } );\n"
                     "};\n",
                     memory);
}

/* A code blob of mib incompressible MiB, made once per run. */
static char *blob(int mib) {
    char *path = test_strf("%s/blob-%d.bin", work, mib);
    struct stat st;
    if (stat(path, &st) != 0 && test_sh(NULL, "head -c %d /dev/urandom > '%s'", mib * 1024 * 1024, path) != 0)
        CU_FAIL("cannot write random bytes for the code tree");
    return path;
}

/* A fresh service directory: sparta.cfg, index.py and the scenario's blob. */
static void make_service(const scenario *s) {
    char *cfg = service_cfg(128);
    test_service_new(&svc, cfg);
    free(cfg);
    const char *dir = svc.dir;
    CU_ASSERT_EQUAL(test_sh(NULL, "mkdir -p '%s/code'", dir), 0);
    char *index = test_strf("%s/code/index.py", dir);
    test_write_file(index, "def handler(event, context):\n    return {\"ok\": True}\n");
    free(index);
    if (s->code_mib) {
        char *b = blob(s->code_mib);
        CU_ASSERT_EQUAL(test_sh(NULL, "ln '%s' '%s/code/blob.bin' 2>/dev/null || cp '%s' '%s/code/blob.bin'", b, dir,
                                b, dir),
                        0);
        free(b);
    }
}

/* sparta provision through the proxy, env ("NAME=value ...") added; bounded by timeout(1). */
static int provision(const char *env, char **out) {
    char *prefix = test_strf("%s timeout 90", env ? env : "");
    int rc = test_service_sparta_prefixed(&svc, out, prefix, "provision --s3Bucket " BUCKET " --pollInterval 20");
    free(prefix);
    return rc;
}

/* Every fragment of spec (" && " between them) is in out; the first missing one is reported. */
static int contains_all(const char *out, const char *spec) {
    int ok = 1;
    for (const char *p = spec; p && ok;) {
        const char *sep = strstr(p, " && ");
        size_t n = sep ? (size_t)(sep - p) : strlen(p);
        char *frag = strndup(p, n);
        if (!out || !strstr(out, frag)) {
            fprintf(stderr, "\nexpected to find [%s] in the output\n", frag);
            ok = 0;
        }
        free(frag);
        p = sep ? sep + 4 : NULL;
    }
    return ok;
}

static int make_bucket(void) {
    char *url = test_strf("http://127.0.0.1:%d/" BUCKET, moto.port);
    long status = local_http("PUT", url, "", NULL);
    free(url);
    return status == 200 ? 0 : -1;
}

/* ---- the proxy's counters -------------------------------------------------- */

static json_object *proxy_stats(void) {
    char *text = local_proxy_get(&proxy, "stats");
    json_object *j = text ? json_tokener_parse(text) : NULL;
    free(text);
    return j;
}

static int counted(json_object *stats, const char *operation) {
    json_object *ops = NULL, *v = NULL;
    if (stats && json_object_object_get_ex(stats, "operations", &ops) && json_object_object_get_ex(ops, operation, &v))
        return json_object_get_int(v);
    return 0;
}

/* Checks "Op=n,Op>=n" against the counters; describes what was seen ("Op ×n, ..."). */
static void check_counts(json_object *stats, const char *spec, char *seen, size_t seen_len) {
    char *copy = strdup(spec), *save = NULL;
    seen[0] = '\0';
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *ge = strstr(item, ">="), *eq = strchr(item, '=');
        int at_least = ge != NULL;
        char *cut = at_least ? ge : eq;
        if (!cut) continue;
        *cut = '\0';
        int want = atoi(cut + (at_least ? 2 : 1)), got = counted(stats, item);
        int ok = at_least ? got >= want : got == want;
        if (!ok) fprintf(stderr, "\nproxy counted %s %d time(s), expected %s%d\n", item, got, at_least ? ">=" : "", want);
        CU_ASSERT(ok);
        if (got) {
            size_t n = strlen(seen);
            snprintf(seen + n, seen_len - n, "%s%s ×%d", n ? ", " : "", item, got);
        }
    }
    free(copy);
}

/* spec "Action:Field": each logged request for Action carried Field, the
 * same idempotency token ("sparta-" and hex, at most 64 characters) every
 * time, and there were at least two of them (a retry). */
static void check_same_token(const char *spec) {
    char action[64], field[64];
    if (sscanf(spec, "%63[^:]:%63s", action, field) != 2) {
        CU_FAIL("same_token is not Action:Field");
        return;
    }
    char *text = local_proxy_get(&proxy, "requests");
    json_object *log = text ? json_tokener_parse(text) : NULL;
    free(text);
    int n = 0, same = 1, well_formed = 1;
    char first[128] = "";
    for (size_t i = 0; log && i < json_object_array_length(log); i++) {
        json_object *e = json_object_array_get_idx(log, i), *a = NULL, *form = NULL, *v = NULL;
        if (!json_object_object_get_ex(e, "action", &a) || strcmp(json_object_get_string(a), action) != 0) continue;
        const char *token = json_object_object_get_ex(e, "form", &form) && json_object_object_get_ex(form, field, &v)
                                ? json_object_get_string(v)
                                : "";
        size_t len = strlen(token);
        if (strncmp(token, "sparta-", 7) != 0 || len > 64 ||
            strspn(token, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != len)
            well_formed = 0;
        if (n++ == 0) snprintf(first, sizeof first, "%s", token);
        else if (strcmp(first, token) != 0) same = 0;
        if (!well_formed || !same) fprintf(stderr, "\n%s attempt %d: %s=[%s] (first: [%s])\n", action, n, field, token, first);
    }
    json_object_put(log);
    if (n < 2) fprintf(stderr, "\n%s sent %d time(s): no retry to compare tokens\n", action, n);
    CU_ASSERT(n >= 2);
    CU_ASSERT(well_formed);
    CU_ASSERT(same);
}

/* ---- common checks ------------------------------------------------------------ */

/* Nothing local is half-written: no temp files, the template parses, every
 * archive passes unzip -t. */
static void check_local(const char *dir) {
    char *out = NULL;
    test_sh(&out, "find '%s/.sparta' -name '*.tmp*'", dir);
    if (out && *out) fprintf(stderr, "\nleft-over temp files:\n%s\n", out);
    CU_ASSERT_STRING_EQUAL(out ? out : "?", "");
    free(out);
    char *outdir = test_strf("%s/.sparta", dir);
    DIR *d = opendir(outdir);
    CU_ASSERT_PTR_NOT_NULL(d);
    int templates = 0, archives = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        char *path = test_strf("%s/%s", outdir, e->d_name);
        if (ends_with(e->d_name, ".template.json")) {
            templates++;
            json_object *j = json_object_from_file(path);
            if (!j) fprintf(stderr, "\n%s is not valid JSON\n", path);
            CU_ASSERT_PTR_NOT_NULL(j);
            json_object_put(j);
        } else if (ends_with(e->d_name, ".zip")) {
            archives++;
            char *t = NULL;
            int rc = test_sh(&t, "unzip -tq '%s'", path);
            if (rc != 0) fprintf(stderr, "\nunzip -t %s: %s\n", path, t);
            CU_ASSERT_EQUAL(rc, 0);
            free(t);
        }
        free(path);
    }
    if (d) closedir(d);
    CU_ASSERT_EQUAL(templates, 1);
    CU_ASSERT_EQUAL(archives, 1);
    free(outdir);
}

/* Nothing in S3 is half-written: every object whose content-addressed key
 * names a local file's SHA-256 has that file's size. With all_present,
 * every local file must be there. */
static void check_s3(const char *dir, int all_present) {
    char *url = test_strf("http://127.0.0.1:%d/" BUCKET "?list-type=2", moto.port), *listing = NULL;
    CU_ASSERT_EQUAL(local_http("GET", url, NULL, &listing), 200);
    free(url);
    char *outdir = test_strf("%s/.sparta", dir);
    DIR *d = opendir(outdir);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        if (!ends_with(e->d_name, ".template.json") && !ends_with(e->d_name, ".zip")) continue;
        char *path = test_strf("%s/%s", outdir, e->d_name);
        size_t len = 0;
        char *data = test_read_file(path, &len), hex[SPARTA__SHA256_HEX_LEN + 1];
        sparta__sha256_hex(data ? data : "", data ? len : 0, hex);
        free(data);
        /* <Contents><Key>...HEX...</Key>...<Size>N</Size> */
        const char *at = listing ? strstr(listing, hex) : NULL;
        if (at) {
            const char *size = strstr(at, "<Size>");
            long long remote = size ? atoll(size + 6) : -1;
            if (remote != (long long)len)
                fprintf(stderr, "\nS3 holds %lld bytes under the key of %s (%zu bytes locally)\n", remote, path, len);
            CU_ASSERT_EQUAL(remote, (long long)len);
        } else if (all_present) {
            fprintf(stderr, "\n%s (sha256 %s) is not in S3:\n%s\n", path, hex, listing ? listing : "");
            CU_FAIL("a local file is missing from S3 after the rerun");
        }
        free(path);
    }
    if (d) closedir(d);
    free(outdir);
    free(listing);
}

/* No multipart upload left dangling (aborted or completed). */
static void check_no_multipart(void) {
    char *out = NULL;
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out,
                                  "s3api list-multipart-uploads --bucket " BUCKET
                                  " --query 'length(Uploads || `[]`)' --output text"),
                    0);
    if (!out || strcmp(out, "0\n") != 0) fprintf(stderr, "\nmultipart uploads left: %s\n", out ? out : "?");
    CU_ASSERT_STRING_EQUAL(out ? out : "?", "0\n");
    free(out);
}

/* The statuses of every stack named STACK, space-separated. */
static char *stack_statuses(void) {
    char *out = NULL;
    int rc = local_aws_cli(&moto, &out,
                           "cloudformation describe-stacks --query \"Stacks[?StackName=='" STACK
                           "'].StackStatus\" --output text");
    CU_ASSERT_EQUAL(rc, 0);
    for (char *p = out; p && *p; p++)
        if (*p == '\t' || *p == '\n') *p = ' ';
    size_t n = out ? strlen(out) : 0;
    while (n && out[n - 1] == ' ') out[--n] = '\0';
    return out;
}

/* The message of the first ERRO line, with the proxy's address made stable. */
static void error_line(const char *out, char *msg, size_t len) {
    const char *e = out ? strstr(out, "ERRO[") : NULL;
    const char *start = e ? strstr(e, "] ") : NULL;
    msg[0] = '\0';
    if (!start) return;
    start += 2;
    const char *end = strchr(start, '\n');
    size_t n = end ? (size_t)(end - start) : strlen(start);
    size_t w = 0, ep = strlen(proxy.endpoint);
    for (size_t i = 0; i < n && w + 12 < len;) {
        if (!strncmp(start + i, proxy.endpoint, ep)) {
            w += (size_t)snprintf(msg + w, len - w, "<endpoint>");
            i += ep;
            continue;
        }
        if (start[i] == '|') msg[w++] = '\\';
        msg[w++] = start[i++];
    }
    msg[w] = '\0';
    while (w && msg[w - 1] == ' ') msg[--w] = '\0';
}

/* ---- one scenario ------------------------------------------------------------- */

static void run_scenario(size_t i) {
    const scenario *s = &scenarios[i];
    result *r = &results[i];
    unsigned before = CU_get_number_of_failures();
    double t0 = now_s();
    r->ran = 1;
    CU_ASSERT_EQUAL_FATAL(local_aws_reset(&moto), 0);
    CU_ASSERT_EQUAL_FATAL(make_bucket(), 0);
    make_service(s);
    const char *dir = svc.dir;
    char *out = NULL;
    if (s->update) {
        CU_ASSERT_EQUAL_FATAL(local_proxy_rules(&proxy, "[]"), 0);
        int rc = provision(NULL, &out);
        if (rc != 0) fprintf(stderr, "\nfirst provision (exit %d):\n%s\n", rc, out);
        CU_ASSERT_EQUAL(rc, 0);
        free(out);
        char *cfg = service_cfg(256); /* a change: the faulted run is an update */
        test_service_configure(&svc, cfg);
        free(cfg);
    }

    /* The faulted run. */
    CU_ASSERT_EQUAL_FATAL(local_proxy_rules(&proxy, s->rules), 0);
    double started = now_s();
    int rc = provision(s->env, &out);
    double took = now_s() - started;
    if (s->max_seconds > 0 && took > s->max_seconds)
        fprintf(stderr, "\n[%s] the faulted run took %.1f s (bound %.0f s)\n", s->name, took, s->max_seconds);
    CU_ASSERT(s->max_seconds <= 0 || took <= s->max_seconds);
    json_object *stats = proxy_stats();
    json_object *f = NULL;
    r->faulted = stats && json_object_object_get_ex(stats, "faults", &f) ? json_object_get_int(f) : 0;
    int found = contains_all(out, s->expect);
    if (rc != s->expect_rc || !found)
        fprintf(stderr, "\n[%s] exit %d (expected %d), output:\n%s\n", s->name, rc, s->expect_rc, out ? out : "");
    CU_ASSERT_EQUAL(rc, s->expect_rc);
    CU_ASSERT(found);
    CU_ASSERT(r->faulted > 0);
    char seen[256];
    check_counts(stats, s->counts, seen, sizeof seen);
    json_object_put(stats);
    if (s->same_token) check_same_token(s->same_token);
    if (rc == 0) {
        const char *what = out && strstr(out, "CreateChangeSet took effect though its answer was lost")
                               ? "; the retry found the change set made: described and executed"
                           : out && strstr(out, "ExecuteChangeSet took effect though its answer was lost")
                               ? "; the retry found the change set executing: watched to the end"
                               : "";
        snprintf(r->outcome, sizeof r->outcome, "converged (exit 0)%s; proxy saw %s", what, seen);
    } else {
        char msg[512];
        error_line(out, msg, sizeof msg);
        CU_ASSERT(msg[0] != '\0');
        snprintf(r->outcome, sizeof r->outcome, "clear error (exit %d): %s", rc, msg);
    }
    free(out);
    check_local(dir);
    check_s3(dir, rc == 0);
    if (s->multipart) check_no_multipart();

    /* The rerun, proxy cleared. */
    CU_ASSERT_EQUAL_FATAL(local_proxy_rules(&proxy, "[]"), 0);
    rc = provision(NULL, &out);
    found = contains_all(out, s->rerun_expect);
    if (rc != 0 || !found) fprintf(stderr, "\n[%s] rerun exit %d, output:\n%s\n", s->name, rc, out ? out : "");
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT(found);
    char rerun[512];
    const char *said = NULL;
    for (const char **w = (const char *[]){"Stack created", "Stack updated", "Stack is up to date", NULL}; *w; w++)
        if (out && strstr(out, *w)) said = *w;
    if (rc != 0) {
        char msg[400];
        error_line(out, msg, sizeof msg);
        snprintf(rerun, sizeof rerun, "did not converge (exit %d): %s", rc, msg);
    } else {
        int review = out && strstr(out, "Stack is in REVIEW_IN_PROGRESS");
        snprintf(rerun, sizeof rerun, "converged: %s%s", review ? "REVIEW_IN_PROGRESS stack deleted, then " : "",
                 said ? said : "exit 0");
    }
    free(out);
    check_local(dir);
    check_s3(dir, 1);
    if (s->multipart) check_no_multipart();
    const char *want = s->update ? "UPDATE_COMPLETE" : "CREATE_COMPLETE";
    char *statuses = stack_statuses(); /* exactly one stack of that name, in the wanted state */
    if (!statuses || strcmp(statuses, want) != 0)
        fprintf(stderr, "\n[%s] stacks named " STACK ": [%s], expected [%s]\n", s->name, statuses ? statuses : "", want);
    CU_ASSERT_STRING_EQUAL(statuses ? statuses : "", want);
    snprintf(r->rerun, sizeof r->rerun, "%s; stack %s", rerun, statuses ? statuses : "?");
    free(statuses);
    r->passed = CU_get_number_of_failures() == before;
    fprintf(stderr, "  [%s: %.1f s] ", s->name, now_s() - t0);
}

#define CASE(n) \
    static void case_##n(void) { run_scenario(n); }
CASE(0)
CASE(1)
CASE(2)
CASE(3)
CASE(4)
CASE(5)
CASE(6)
CASE(7)
CASE(8)
CASE(9)
CASE(10)
CASE(11)
CASE(12)
CASE(13)
static void (*const case_fns[])(void) = {case_0, case_1, case_2,  case_3,  case_4,  case_5,  case_6,
                                          case_7, case_8, case_9, case_10, case_11, case_12, case_13};
_Static_assert(sizeof case_fns / sizeof case_fns[0] == SCENARIOS, "one CASE() per scenario");

/* ---- the table ------------------------------------------------------------------ */

static void print_table(FILE *to) {
    fprintf(to, "| scenario | faults injected | outcome | rerun |\n|---|---|---|---|\n");
    for (size_t i = 0; i < SCENARIOS; i++) {
        const result *r = &results[i];
        if (!r->ran) continue;
        fprintf(to, "| %s | %s (%d request%s faulted) | %s%s | %s |\n", scenarios[i].name, scenarios[i].faults,
                r->faulted, r->faulted == 1 ? "" : "s", r->passed ? "" : "**TEST FAILED** ", r->outcome,
                r->rerun[0] ? r->rerun : "-");
    }
}

int main(void) {
    if (system("command -v aws unzip python3 >/dev/null 2>&1") != 0) {
        fprintf(stderr, "the faults suite needs the aws CLI, unzip and python3\n");
        return 1;
    }
    double t0 = now_s();
    /* ctest passes the build's plugin folder; run by hand, find it anyway */
    setenv("SPARTA_PLUGIN_PATH", getenv("SPARTA_PLUGIN_PATH") ? getenv("SPARTA_PLUGIN_PATH") : SPARTA_BINARY_DIR "/plugins", 1);
    work = test_tmpdir();
    if (!work || test_service_open(&svc, NULL) != 0 || local_aws_start(&moto) != 0) return 1;
    if (local_proxy_start(&proxy, moto.endpoint, 120) != 0) {
        local_aws_stop(&moto);
        return 1;
    }
    local_aws_set_env(&proxy); /* sparta talks to the proxy; checks go to moto directly */

    test_case cases[SCENARIOS + 1];
    for (size_t i = 0; i < SCENARIOS; i++) cases[i] = (test_case){scenarios[i].name, case_fns[i]};
    cases[SCENARIOS] = (test_case){NULL, NULL};
    int rc = test_main("faults", cases);

    local_aws_stop(&proxy);
    local_aws_stop(&moto);
    printf("\n## Faults survived\n\n");
    print_table(stdout);
    char *md = test_strf("%s/faults-survived.md", SPARTA_BINARY_DIR);
    FILE *f = fopen(md, "w");
    if (f) {
        print_table(f);
        fclose(f);
        printf("\n(written to %s; %.0f s)\n", md, now_s() - t0);
    } else {
        fprintf(stderr, "cannot write %s\n", md);
        rc = 1;
    }
    free(md);
    test_service_close(&svc);
    test_rmtree(work);
    free(work);
    return rc;
}
