/* Query bodies for the CloudWatch and CloudFormation query APIs: RFC 3986
 * unreserved characters stay, every other byte becomes %XX. */
#include "rollback.h"

void rb_text_urlencode(sparta_text *t, const char *s) {
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~')
            sparta_text_put(t, s, 1);
        else
            sparta_text_printf(t, "%%%02X", c);
    }
}
