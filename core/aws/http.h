/* The AWS client: one reused libcurl handle, TLS verified, timeouts,
 * SigV4 on every attempt, bounded retries with full-jitter exponential
 * backoff on throttling, 5xx and connection faults. Every service call in
 * the host (and, through the host table, in plugins) goes through
 * sparta__aws_request. */
#ifndef SPARTA_AWS_HTTP_H
#define SPARTA_AWS_HTTP_H

#include <stddef.h>

#include "aws/credentials.h"
#include "aws/kv.h"
#include "error.h"
#include "log.h"

typedef struct sparta__aws_client sparta__aws_client;

#define SPARTA__AWS_CLIENT_OPTIONS_VERSION 1

typedef struct sparta__aws_client_options {
    int version;                 /* SPARTA__AWS_CLIENT_OPTIONS_VERSION */
    const char *profile;         /* --profile; NULL: AWS_PROFILE or default */
    const char *region;          /* --region; NULL: environment, profile, fallback */
    const char *fallback_region; /* sparta.cfg service.region */
    long connect_timeout_ms;     /* 0: SPARTA_HTTP_CONNECT_TIMEOUT_MS, else 5000 */
    long timeout_ms;             /* whole attempt; 0: SPARTA_HTTP_TIMEOUT_MS, else 300000 */
    long low_speed_limit;        /* bytes/s below which ...; 0: 1 */
    long low_speed_time_s;       /* ... for this long aborts the attempt; 0: 30 */
    int max_attempts;            /* 0: AWS_MAX_ATTEMPTS, profile max_attempts, else 4 */
    long retry_base_ms;          /* first backoff cap; 0: 250 */
    long retry_max_ms;           /* backoff cap; 0: 20000 */
    long metadata_timeout_ms;    /* container / IMDS credential calls; 0: 1000 */
    sparta_logger *logger;       /* NULL: no logs */
    /* Sign with these keys (copied) instead of resolving the chain: the
     * source keys of an assume-role call. NULL: resolve. */
    const sparta__aws_credentials *credentials;
} sparta__aws_client_options;

#define SPARTA__AWS_CLIENT_OPTIONS_INIT \
    {SPARTA__AWS_CLIENT_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL}

/* Resolves profile, region and credentials (no network call except the
 * container / IMDS providers). NULL options = all defaults. The timeout
 * variables, when used, must be positive whole numbers of milliseconds (at
 * most 86400000); anything else is SPARTA_EUSAGE naming the variable. */
int sparta__aws_client_new(const sparta__aws_client_options *o, sparta__aws_client **out,
                           sparta_error_slot *err);
void sparta__aws_client_free(sparta__aws_client *c);

const char *sparta__aws_client_region(const sparta__aws_client *c);
const char *sparta__aws_client_credentials_source(const sparta__aws_client *c);
sparta_logger *sparta__aws_client_logger(const sparta__aws_client *c);
const sparta__aws_profile *sparta__aws_client_profile(const sparta__aws_client *c);
/* Base URL of a service ("https://s3.eu-west-1.amazonaws.com", or the
 * override); *overridden 1 when from AWS_ENDPOINT_URL* or the profile. */
int sparta__aws_client_endpoint(sparta__aws_client *c, const char *service, char **url,
                                int *overridden, sparta_error_slot *err);

typedef struct sparta__aws_http_request {
    const char *service;          /* endpoint prefix: "s3", "cloudformation", "codepipeline" */
    const char *action;           /* for messages and logs: "PutObject" */
    const char *method;           /* "GET", "PUT", "POST", "HEAD", "DELETE" */
    const char *host_prefix;      /* "bucket." for S3 virtual-hosted style, or NULL */
    const char *path;             /* decoded; encoded here (keeping '/'); NULL: "/" */
    const sparta__aws_kv *query;  /* decoded pairs */
    size_t query_count;
    const sparta__aws_kv *headers;
    size_t header_count;
    const void *body;             /* borrowed; sent again on each attempt */
    size_t body_length;
    const char *content_type;     /* NULL: none for empty bodies, else application/octet-stream */
} sparta__aws_http_request;

typedef struct sparta__aws_response {
    long status;                  /* 0 when no answer came */
    char *body;                   /* NUL-terminated */
    size_t body_length;
    sparta__aws_kvlist headers;   /* lower-case names */
    char *error_code;             /* set for non-2xx answers */
    char *error_message;
    char *request_id;
    int attempts;
} sparta__aws_response;

/* Signs and sends, retrying as described above. Returns 0 for a 2xx
 * answer; SPARTA_EAWS otherwise, with resp (if not NULL) filled so callers
 * can tell a 404 from a failure, and err saying service, action, error code,
 * message, request ID and attempts. */
int sparta__aws_request(sparta__aws_client *c, const sparta__aws_http_request *req,
                        sparta__aws_response *resp, sparta_error_slot *err);

/* flags for the _ex calls */
#define SPARTA__AWS_MUTATING 1 /* the call changes something (CreateChangeSet, ExecuteChangeSet,
                                  CreateStack, ...): each attempt goes out on a new connection.
                                  libcurl silently sends a request again when a kept-alive
                                  connection turns out dead; for these calls every request AWS
                                  may have acted on is then one of resp->attempts, so a caller
                                  can tell a first attempt from a retry. */
int sparta__aws_request_ex(sparta__aws_client *c, const sparta__aws_http_request *req, int flags,
                           sparta__aws_response *resp, sparta_error_slot *err);
void sparta__aws_response_free(sparta__aws_response *resp);

/* An idempotency token for one logical mutating call: "sparta-" and 32
 * random hex digits (39 characters, [a-z0-9-], within what CloudFormation
 * accepts for ClientToken and ClientRequestToken). Make it once, put it in
 * the request, and sparta__aws_request sends the same bytes on every retry,
 * so AWS can tell a retry from a second call. */
#define SPARTA__AWS_CLIENT_TOKEN_SIZE 40
void sparta__aws_client_token(char out[SPARTA__AWS_CLIENT_TOKEN_SIZE]);

/* Query protocol (CloudFormation, CloudWatch, IAM, STS): form POST of
 * Action, Version and params; XML answer in resp. */
int sparta__aws_query_call(sparta__aws_client *c, const char *service, const char *action,
                           const char *version, const sparta__aws_kvlist *params,
                           sparta__aws_response *resp, sparta_error_slot *err);
int sparta__aws_query_call_ex(sparta__aws_client *c, const char *service, const char *action,
                              const char *version, const sparta__aws_kvlist *params, int flags,
                              sparta__aws_response *resp, sparta_error_slot *err);
/* JSON protocol (CodePipeline, CodeBuild, Logs): POST with X-Amz-Target
 * "<target_prefix>.<action>" and application/x-amz-json-1.1. */
int sparta__aws_json_call(sparta__aws_client *c, const char *service, const char *target_prefix,
                          const char *action, const char *json_body, sparta__aws_response *resp,
                          sparta_error_slot *err);

#endif
