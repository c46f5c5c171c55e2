/* The shared AWS config files: ~/.aws/config ([profile NAME], [default])
 * and ~/.aws/credentials ([NAME]), located by AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE as every AWS SDK does. */
#ifndef SPARTA_AWS_PROFILE_H
#define SPARTA_AWS_PROFILE_H

#include "aws/kv.h"
#include "error.h"

typedef struct sparta__aws_profile {
    char *name;
    int found;                   /* a section of that name exists in either file */
    int explicit_name;           /* chosen by the caller (--profile), not by AWS_PROFILE */
    char *config_path, *credentials_path;
    sparta__aws_kvlist values;   /* credentials-file keys first, so they win */
    sparta__aws_kvlist services; /* "[services X]" keys named "s3.endpoint_url" */
} sparta__aws_profile;

/* Loads the profile `name` (NULL: AWS_PROFILE, then "default"). A missing
 * named profile is an error; a missing default profile is just empty. */
int sparta__aws_profile_load(const char *name, sparta__aws_profile *out, sparta_error_slot *err);
const char *sparta__aws_profile_get(const sparta__aws_profile *p, const char *key);
/* A key of the profile's `services` section for one service (section key
 * like "s3" or "cloudformation"), e.g. endpoint_url; NULL when none. */
const char *sparta__aws_profile_service_get(const sparta__aws_profile *p, const char *service_key,
                                            const char *key);
void sparta__aws_profile_free(sparta__aws_profile *p);

#endif
