/* Stack names: CloudFormation's rule, and the default name of an
 * environment's stack, <Environment>-<service>-<branch> (Sparta's sample made
 * Test-SpartaCodePipeline-master). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "codepipeline.h"

int cp_stack_name_valid(const char *name) {
    if (!name || !*name || strlen(name) > CP_STACK_NAME_MAX || !isalpha((unsigned char)name[0])) return 0;
    for (const char *q = name; *q; q++)
        if (!isalnum((unsigned char)*q) && *q != '-') return 0;
    return 1;
}

void cp_default_stack_name(const char *environment, const char *service, const char *branch, char *out,
                           size_t cap) {
    char raw[1024];
    snprintf(raw, sizeof raw, "%s-%s-%s", environment, service, branch);
    size_t n = 0, max = cap - 1 < CP_STACK_NAME_MAX ? cap - 1 : CP_STACK_NAME_MAX;
    for (const char *q = raw; *q && n < max; q++) {
        char ch = isalnum((unsigned char)*q) ? *q : '-';
        if (ch == '-' && n && out[n - 1] == '-') continue; /* feature//x -> feature-x */
        out[n++] = ch;
    }
    while (n && out[n - 1] == '-') n--;
    out[n] = '\0';
    if (n) out[0] = (char)toupper((unsigned char)out[0]);
}
