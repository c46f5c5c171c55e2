#include "aws/region.h"

#include <stdio.h>
#include <stdlib.h>

int sparta__aws_region_resolve(const char *explicit_region, const sparta__aws_profile *profile,
                               const char *fallback, char *out, size_t out_len, const char **source,
                               sparta_error_slot *err) {
    const char *from_env = getenv("AWS_REGION");
    const char *from_default = getenv("AWS_DEFAULT_REGION");
    const char *from_profile = sparta__aws_profile_get(profile, "region");
    struct {
        const char *value, *source;
    } order[] = {{explicit_region, "--region"},
                 {from_env, "AWS_REGION"},
                 {from_default, "AWS_DEFAULT_REGION"},
                 {from_profile, "profile"},
                 {fallback, "service.region"}};
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        if (order[i].value && *order[i].value) {
            snprintf(out, out_len, "%s", order[i].value);
            if (source) *source = order[i].source;
            return 0;
        }
    }
    return sparta__error_set(err, SPARTA_ECONFIG,
                             "no AWS region: pass --region, set AWS_REGION, add `region` to AWS "
                             "profile '%s', or set service.region in sparta.cfg",
                             profile && profile->name ? profile->name : "default");
}
