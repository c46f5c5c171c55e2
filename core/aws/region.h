/* Which region to talk to: --region, AWS_REGION, AWS_DEFAULT_REGION, the
 * profile's `region`, then the caller's fallback (sparta.cfg service.region). */
#ifndef SPARTA_AWS_REGION_H
#define SPARTA_AWS_REGION_H

#include <stddef.h>

#include "aws/profile.h"
#include "error.h"

/* Writes the region into out; *source (may be NULL) names where it came from. */
int sparta__aws_region_resolve(const char *explicit_region, const sparta__aws_profile *profile,
                               const char *fallback, char *out, size_t out_len, const char **source,
                               sparta_error_slot *err);

#endif
