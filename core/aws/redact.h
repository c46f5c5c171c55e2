/* Masks AWS account IDs (12-digit numbers, as in ARNs) for `status --redact`
 * so output can be pasted into tickets. */
#ifndef SPARTA_AWS_REDACT_H
#define SPARTA_AWS_REDACT_H

/* A copy of text with every standalone run of exactly 12 digits replaced by
 * "************". Caller frees; NULL on OOM. */
char *sparta__aws_redact_account_ids(const char *text);

#endif
