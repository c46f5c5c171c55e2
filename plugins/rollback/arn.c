/* ARNs of CloudWatch alarms and SNS topics, checked before CloudFormation
 * would refuse them half-way through a deploy. */
#include <string.h>

#include "rollback.h"

static int copy_field(char *dst, size_t cap, const char *begin, const char *end) {
    size_t n = (size_t)(end - begin);
    if (n >= cap) return -1;
    memcpy(dst, begin, n);
    dst[n] = '\0';
    return 0;
}

int rb_arn_parse(const char *text, rb_arn *out) {
    memset(out, 0, sizeof *out);
    if (!text || strncmp(text, "arn:", 4) != 0) return -1;
    const char *p = text + 4;
    char *fields[4] = {out->partition, out->service, out->region, out->account};
    size_t caps[4] = {sizeof out->partition, sizeof out->service, sizeof out->region, sizeof out->account};
    for (int i = 0; i < 4; i++) {
        const char *colon = strchr(p, ':');
        if (!colon || copy_field(fields[i], caps[i], p, colon) != 0) return -1;
        p = colon + 1;
    }
    return copy_field(out->resource, sizeof out->resource, p, p + strlen(p));
}

static int partition_ok(const char *s) {
    if (strncmp(s, "aws", 3) != 0) return 0;
    for (s += 3; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || *s == '-')) return 0;
    return 1;
}

/* us-east-1, eu-central-2, us-gov-west-1, cn-north-1 ... */
static int region_ok(const char *s) {
    size_t n = strlen(s);
    if (n < 4 || !(s[0] >= 'a' && s[0] <= 'z') || !(s[n - 1] >= '0' && s[n - 1] <= '9') || s[n - 2] != '-')
        return 0;
    int dash = 0;
    for (const char *c = s; *c; c++) {
        if (*c == '-') dash++;
        else if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9'))) return 0;
    }
    return dash >= 2;
}

static int account_ok(const char *s) {
    if (strlen(s) != 12) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

static const char *check_common(const char *text, const char *service, rb_arn *out) {
    if (rb_arn_parse(text, out) != 0) return "it is not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)";
    if (!partition_ok(out->partition)) return "its partition is not aws, aws-cn, aws-us-gov, ...";
    if (strcmp(out->service, service) != 0) return NULL; /* the caller names the service */
    if (!region_ok(out->region)) return "its region is not a region such as us-east-1";
    if (!account_ok(out->account)) return "its account is not 12 digits";
    return NULL;
}

const char *rb_arn_check_alarm(const char *text, rb_arn *out) {
    rb_arn local;
    if (!out) out = &local;
    const char *why = check_common(text, "cloudwatch", out);
    if (why) return why;
    if (strcmp(out->service, "cloudwatch") != 0) return "its service is not cloudwatch";
    if (strncmp(out->resource, "alarm:", 6) != 0) return "it does not name an alarm (...:alarm:NAME)";
    size_t n = strlen(out->resource + 6);
    if (n == 0 || n > RB_ALARM_NAME_MAX) return "its alarm name is empty or longer than 255";
    return NULL;
}

const char *rb_arn_alarm_name(const rb_arn *arn) { return arn->resource + 6; }

const char *rb_arn_check_topic(const char *text, rb_arn *out) {
    rb_arn local;
    if (!out) out = &local;
    const char *why = check_common(text, "sns", out);
    if (why) return why;
    if (strcmp(out->service, "sns") != 0) return "its service is not sns";
    size_t n = strlen(out->resource);
    if (n == 0 || n > 256) return "its topic name is empty or longer than 256";
    for (const char *c = out->resource; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
              *c == '_' || *c == '.'))
            return "its topic name has characters other than A-Z, a-z, 0-9, '-', '_' and '.'";
    return NULL;
}
