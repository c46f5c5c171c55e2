/* Where the AWS keys come from, in the order the AWS SDKs look:
 * environment, shared profile files (keys, or a credential_process),
 * container endpoint (CodeBuild, ECS), EC2 instance metadata (IMDSv2).
 * Secrets never reach a log line. */
#ifndef SPARTA_AWS_CREDENTIALS_H
#define SPARTA_AWS_CREDENTIALS_H

#include <time.h>

#include "aws/profile.h"
#include "error.h"
#include "log.h"

typedef struct sparta__aws_credentials {
    char *access_key_id;
    char *secret_access_key;
    char *session_token;  /* NULL for long-term keys */
    char source[160];     /* "environment", "profile dev (/home/u/.aws/credentials)", ... */
    time_t expiration;    /* 0 when the keys do not expire */
} sparta__aws_credentials;

typedef struct sparta__aws_credentials_options {
    const sparta__aws_profile *profile; /* loaded by the caller; NULL: none */
    long metadata_timeout_ms;           /* container / IMDS calls; 0: 1000 ms */
    sparta_logger *logger;              /* may be NULL */
    int profile_only;                   /* the profile's keys or nothing (a source_profile) */
    int depth;                          /* source_profile hops so far */
} sparta__aws_credentials_options;

/* Walks the chain. No credentials found is SPARTA_EAWS with one message
 * that lists every place tried and why it gave nothing. */
int sparta__aws_credentials_resolve(const sparta__aws_credentials_options *o,
                                    sparta__aws_credentials *out, sparta_error_slot *err);
/* Wipes and frees the strings. */
void sparta__aws_credentials_clear(sparta__aws_credentials *c);
/* Fills `to` with copies of `from`'s keys, expiration and source. Returns 0,
 * or SPARTA_ENOMEM (also when `from` lacks a key) with `to` left cleared. */
int sparta__aws_credentials_copy(const sparta__aws_credentials *from, sparta__aws_credentials *to);
/* ISO 8601 UTC ("2026-11-26T12:00:00Z") to time_t; 0 when unparsable. */
time_t sparta__aws_parse_time(const char *iso);

#endif
