/* AWS Signature Version 4: canonical request, string to sign, signing key,
 * then either an Authorization header or a presigned query string. Pure
 * computation: the time is a parameter, nothing is sent or logged here. */
#ifndef SPARTA_AWS_SIGV4_H
#define SPARTA_AWS_SIGV4_H

#include <stddef.h>
#include <time.h>

#include "aws/kv.h"

typedef struct sparta__sigv4_signer {
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token;  /* NULL or "" for long-term keys */
    const char *region;
    const char *service;        /* signing name: "s3", "cloudformation", ... */
    time_t now;
    int normalize_path;         /* non-S3 rules: normalise, then encode the path again */
    int sign_body;              /* add and sign x-amz-content-sha256 (S3 always does) */
    int omit_session_token;     /* token sent but not signed (a test-suite variant) */
} sparta__sigv4_signer;

/* Fills normalize_path/sign_body the way botocore does for `service`. */
void sparta__sigv4_signer_rules(sparta__sigv4_signer *s, const char *service);

typedef struct sparta__sigv4_request {
    const char *method;
    const char *path;                /* as sent on the wire (percent-encoded), no query */
    const sparta__aws_kv *query;     /* decoded pairs; the signer encodes and sorts them */
    size_t query_count;
    const sparta__aws_kv *headers;   /* must include Host; others as they will be sent */
    size_t header_count;
    const void *body;
    size_t body_length;
    const char *payload_hash;        /* hex SHA-256 of the body when already known, or NULL */
} sparta__sigv4_request;

typedef struct sparta__sigv4_result {
    char amz_date[17];               /* 20150830T123600Z */
    char payload_hash[65];
    char signature[65];
    char *canonical_request;         /* contains the session token: never log it */
    char *string_to_sign;
    char *signed_headers;            /* "host;x-amz-date" */
    char *authorization;             /* header form only */
    char *query;                     /* presigned form only: the whole query to send */
    /* Header form: the headers the caller must add to the request, in order
     * (X-Amz-Date, X-Amz-Security-Token, x-amz-content-sha256, Authorization).
     * Values borrow from this result and the signer. */
    sparta__aws_kv add_headers[4];
    size_t add_count;
} sparta__sigv4_result;

/* Header form. Returns 0, or SPARTA_ENOMEM / SPARTA_EUSAGE (missing input). */
int sparta__sigv4_sign(const sparta__sigv4_signer *s, const sparta__sigv4_request *r,
                       sparta__sigv4_result *out);
/* Query (presigned URL) form, valid `expires` seconds. */
int sparta__sigv4_presign(const sparta__sigv4_signer *s, const sparta__sigv4_request *r,
                          long expires, sparta__sigv4_result *out);
void sparta__sigv4_result_free(sparta__sigv4_result *out);

/* The canonical query string (encoded, sorted) of decoded pairs; caller frees. */
char *sparta__sigv4_canonical_query(const sparta__aws_kv *query, size_t count);

#endif
