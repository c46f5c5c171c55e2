/* A profile's role_arn: STS AssumeRole with the keys of its source_profile
 * or credential_source, as the AWS CLI does for cross-account and CI roles. */
#ifndef SPARTA_AWS_ASSUME_ROLE_H
#define SPARTA_AWS_ASSUME_ROLE_H

#include "aws/credentials.h"
#include "aws/profile.h"
#include "error.h"
#include "log.h"

/* Calls AssumeRole (the STS endpoint of the role profile: its region or
 * us-east-1, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, endpoint_url) signed
 * with `source`, with the profile's role_arn, role_session_name (default
 * "sparta-<unix time>"), duration_seconds and external_id, and fills `out`
 * with the temporary keys and their expiration. mfa_serial is refused with
 * a clear error (sparta does not prompt for codes). */
int sparta__aws_assume_role(const sparta__aws_profile *role_profile, const sparta__aws_credentials *source,
                            sparta_logger *logger, sparta__aws_credentials *out, sparta_error_slot *err);

#endif
