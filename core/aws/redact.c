#include "aws/redact.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

char *sparta__aws_redact_account_ids(const char *text) {
    if (!text) return NULL;
    char *out = strdup(text);
    if (!out) return NULL;
    size_t n = strlen(out);
    for (size_t i = 0; i < n;) {
        if (!isdigit((unsigned char)out[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && isdigit((unsigned char)out[j])) j++;
        /* standalone: not glued to letters either (hex IDs, timestamps) */
        int before_ok = i == 0 || !isalnum((unsigned char)out[i - 1]);
        int after_ok = j == n || !isalnum((unsigned char)out[j]);
        if (j - i == 12 && before_ok && after_ok) memset(out + i, '*', 12);
        i = j;
    }
    return out;
}
