/* Where a service lives: the endpoint overrides the AWS SDKs define
 * (AWS_ENDPOINT_URL_<SERVICE_ID>, AWS_ENDPOINT_URL, the profile's services
 * section and endpoint_url), otherwise the regional endpoint. */
#ifndef SPARTA_AWS_ENDPOINT_H
#define SPARTA_AWS_ENDPOINT_H

#include "aws/profile.h"
#include "error.h"

typedef struct sparta__aws_service {
    const char *name;         /* endpoint prefix, what callers pass: "s3", "logs" */
    const char *service_id;   /* the SDKs' service ID: "S3", "CloudWatch Logs" */
    const char *signing_name; /* SigV4 service: usually the same as name */
    int global;               /* one endpoint, signed for us-east-1 (IAM) */
} sparta__aws_service;

/* The entry for `name`; unknown names get a synthesized entry (name used for
 * all three) so a plugin can reach a service this table does not list. */
sparta__aws_service sparta__aws_service_lookup(const char *name);

/* AWS_ENDPOINT_URL_<ID>: the service ID upper-cased, spaces to underscores. */
void sparta__aws_endpoint_env_name(const char *service_id, char *out, size_t out_len);

/* Resolves the base URL (no trailing slash) for service in region.
 * *overridden is 1 when it came from the environment or the profile. */
int sparta__aws_endpoint_resolve(const char *service, const char *region,
                                 const sparta__aws_profile *profile, char **url, int *overridden,
                                 sparta_error_slot *err);

#endif
