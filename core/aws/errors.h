/* Making sense of AWS error answers: XML (<Error><Code>, Query and S3),
 * JSON (__type / message) or anything else (moto's HTML 500 pages), and
 * deciding which failures are worth another attempt. */
#ifndef SPARTA_AWS_ERRORS_H
#define SPARTA_AWS_ERRORS_H

#include <stddef.h>

#include "aws/kv.h"

typedef struct sparta__aws_error_info {
    char *code;       /* "ThrottlingException", or "HTTP 500" when the body says nothing */
    char *message;    /* may be a cleaned snippet of a non-AWS body */
    char *request_id; /* NULL when neither headers nor body carry one */
} sparta__aws_error_info;

/* Parses an error answer. headers: lower-case names. Never fails: fields it
 * cannot find are derived from the status. */
void sparta__aws_error_parse(long status, const sparta__aws_kvlist *headers, const char *body,
                             size_t length, sparta__aws_error_info *out);
void sparta__aws_error_info_free(sparta__aws_error_info *e);

/* Throttling codes (Throttling, ThrottlingException, RequestLimitExceeded,
 * SlowDown, TooManyRequestsException, ...), HTTP 429 and 5xx. */
int sparta__aws_error_retryable(long status, const char *code);
int sparta__aws_error_is_throttling(const char *code);

#endif
