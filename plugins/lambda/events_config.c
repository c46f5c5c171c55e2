/* Reads functions.[].events: each element holds exactly one event source.
 *   { schedule = "rate(5 minutes)"; }
 *   { eventBridge = { pattern = { source = [ "aws.ec2" ]; }; eventBus = "orders"; }; }
 *   { sns = "arn:aws:sns:...:topic"; }  or  { sns = "alerts"; } (created)  or
 *   { sns = { topic = "..."; filterPolicy = { ... }; }; }
 *   { sqs = "arn:aws:sqs:...:queue"; }  or  { sqs = "jobs"; } (created)  or
 *   { sqs = { queue = "..."; batchSize = 10; batchWindow = 0; enabled = true; }; }
 *   { s3 = { bucket = "uploads-bucket"; events = [ "s3:ObjectCreated:*" ]; prefix = "in/"; suffix = ".jpg"; }; } */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda.h"

#define API lambda_api

static const char *const kind_keys[LAMBDA_EVENT_KIND_COUNT] = {"schedule", "eventBridge", "sns", "sqs", "s3"};

static const char *const s3_events_known[] = {
    "s3:ObjectCreated:*",       "s3:ObjectCreated:Put",        "s3:ObjectCreated:Post",
    "s3:ObjectCreated:Copy",    "s3:ObjectCreated:CompleteMultipartUpload",
    "s3:ObjectRemoved:*",       "s3:ObjectRemoved:Delete",     "s3:ObjectRemoved:DeleteMarkerCreated",
    "s3:ObjectRestore:*",       "s3:ObjectRestore:Post",       "s3:ObjectRestore:Completed",
    "s3:ObjectRestore:Delete",  "s3:ReducedRedundancyLostObject", "s3:Replication:*",
    "s3:ObjectTagging:*",       "s3:ObjectTagging:Put",        "s3:ObjectTagging:Delete",
    "s3:ObjectAcl:Put",         "s3:LifecycleExpiration:*",    "s3:LifecycleTransition",
    "s3:IntelligentTiering"};

/* Events an existing bucket can deliver through EventBridge. */
static const char *const s3_events_eventbridge[] = {"s3:ObjectCreated:*", "s3:ObjectRemoved:*",
                                                    "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed",
                                                    "s3:ObjectAcl:Put"};

static int is_digits(const char *s, size_t n) {
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return 0;
    return 1;
}

/* NULL when the expression is one EventBridge accepts, else why not. */
static const char *schedule_problem(const char *e) {
    size_t n = strlen(e);
    if (n > 6 && strncmp(e, "rate(", 5) == 0 && e[n - 1] == ')') {
        const char *space = strchr(e + 5, ' ');
        if (!space || !is_digits(e + 5, (size_t)(space - e - 5)))
            return "a rate is rate(VALUE UNIT) with a positive whole VALUE, e.g. rate(5 minutes)";
        long value = strtol(e + 5, NULL, 10);
        char unit[32];
        size_t un = (size_t)(e + n - 1 - space - 1);
        if (un == 0 || un >= sizeof unit) return "a rate's unit is minute(s), hour(s) or day(s)";
        memcpy(unit, space + 1, un);
        unit[un] = '\0';
        int singular = !strcmp(unit, "minute") || !strcmp(unit, "hour") || !strcmp(unit, "day");
        int plural = !strcmp(unit, "minutes") || !strcmp(unit, "hours") || !strcmp(unit, "days");
        if (value <= 0) return "a rate's value is a positive whole number";
        if (!singular && !plural) return "a rate's unit is minute(s), hour(s) or day(s)";
        if (value == 1 && !singular) return "write rate(1 minute), rate(1 hour) or rate(1 day): a value of 1 takes the singular unit";
        if (value > 1 && !plural) return "a value above 1 takes the plural unit, e.g. rate(5 minutes)";
        return NULL;
    }
    if (n > 6 && strncmp(e, "cron(", 5) == 0 && e[n - 1] == ')') {
        char fields[6][64];
        int count = 0;
        const char *p = e + 5, *end = e + n - 1;
        while (p < end) {
            while (p < end && *p == ' ') p++;
            if (p >= end) break;
            const char *q = p;
            while (q < end && *q != ' ') q++;
            if (count < 6 && (size_t)(q - p) < sizeof fields[0]) {
                memcpy(fields[count], p, (size_t)(q - p));
                fields[count][q - p] = '\0';
            }
            count++;
            p = q;
        }
        if (count != 6)
            return "a cron expression has six fields: cron(minutes hours day-of-month month day-of-week year), "
                   "e.g. cron(0 12 * * ? *)";
        if ((strcmp(fields[2], "?") == 0) == (strcmp(fields[4], "?") == 0))
            return "in a cron expression exactly one of day-of-month and day-of-week is '?', e.g. cron(0 12 * * ? *)";
        return NULL;
    }
    return "a schedule is rate(VALUE UNIT) or cron(...), e.g. rate(5 minutes) or cron(0 12 * * ? *)";
}

/* Topic and queue names the stack creates. */
static int simple_name_valid(const char *s, size_t max) {
    size_t n = strlen(s);
    if (n == 0 || n > max) return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
              *p == '_'))
            return 0;
    return 1;
}

static int bucket_name_valid(const char *s) {
    size_t n = strlen(s);
    if (n < 3 || n > 63) return 0;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '.')) return 0;
    return s[0] != '-' && s[0] != '.' && s[n - 1] != '-' && s[n - 1] != '.' && !strstr(s, "..");
}

static int is_reference(const char *s) { return strncmp(s, "arn:", 4) == 0 || strstr(s, "${") != NULL; }

static int ends_with(const char *s, const char *suffix) {
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* sns and sqs: a string, or a group whose keys we check here. Returns the
 * target string (ARN or name), or NULL after reporting. */
static const char *target_of(lambda_problems *pr, const sparta_value *v, const char *path, const char *target_key,
                             const char *const *keys, size_t key_count) {
    if (API->value_type(v) == SPARTA_VALUE_STRING) return API->value_string(v);
    if (API->value_type(v) != SPARTA_VALUE_OBJECT) {
        lambda_problem(pr, v, path, "expected an ARN, a name, or a group { %s = \"...\"; ... }", target_key);
        return NULL;
    }
    int ok = 1;
    for (size_t i = 0; i < API->value_count(v); i++) {
        const char *key = API->value_key_at(v, i);
        int known = 0;
        for (size_t k = 0; k < key_count; k++)
            if (strcmp(key, keys[k]) == 0) known = 1;
        if (!known) {
            char list[200] = "";
            for (size_t k = 0; k < key_count; k++) {
                strncat(list, k ? ", " : "", sizeof list - strlen(list) - 1);
                strncat(list, keys[k], sizeof list - strlen(list) - 1);
            }
            char kpath[700];
            lambda_format(kpath, sizeof kpath, "%s.%s", path, key);
            lambda_problem(pr, API->value_at(v, i), kpath, "unknown key '%s': remove it or use one of: %s", key, list);
            ok = 0;
        }
    }
    const sparta_value *t = API->value_get(v, target_key);
    if (!t) {
        lambda_problem(pr, v, path, "missing required key '%s'", target_key);
        return NULL;
    }
    if (API->value_type(t) != SPARTA_VALUE_STRING) {
        char kpath[700];
        lambda_format(kpath, sizeof kpath, "%s.%s", path, target_key);
        lambda_problem(pr, t, kpath, "expected a string");
        return NULL;
    }
    return ok ? API->value_string(t) : NULL;
}

static int64_t int_key(lambda_problems *pr, const sparta_value *group, const char *key, const char *path,
                       int64_t lo, int64_t hi, int64_t fallback, int *ok) {
    const sparta_value *v = API->value_type(group) == SPARTA_VALUE_OBJECT ? API->value_get(group, key) : NULL;
    if (!v) return fallback;
    char kpath[700];
    lambda_format(kpath, sizeof kpath, "%s.%s", path, key);
    if (API->value_type(v) != SPARTA_VALUE_INT) {
        lambda_problem(pr, v, kpath, "expected an integer");
        *ok = 0;
        return fallback;
    }
    int64_t x = API->value_int(v);
    if (x < lo || x > hi) {
        lambda_problem(pr, v, kpath, "%lld is out of range %lld..%lld", (long long)x, (long long)lo, (long long)hi);
        *ok = 0;
        return fallback;
    }
    return x;
}

static void parse_sns(lambda_problems *pr, lambda_event *e, const sparta_value *v, const char *path) {
    static const char *const keys[] = {"topic", "filterPolicy"};
    e->target = target_of(pr, v, path, "topic", keys, 2);
    if (!e->target) return;
    if (!e->target[0]) {
        lambda_problem(pr, v, path, "the sns event names no topic: give a topic ARN, or a name to create one");
        e->target = NULL;
        return;
    }
    const sparta_value *policy = API->value_type(v) == SPARTA_VALUE_OBJECT ? API->value_get(v, "filterPolicy") : NULL;
    if (policy && API->value_type(policy) != SPARTA_VALUE_OBJECT) {
        char kpath[700];
        lambda_format(kpath, sizeof kpath, "%s.filterPolicy", path);
        lambda_problem(pr, policy, kpath, "expected a group, e.g. filterPolicy = { type = [ \"order\" ]; };");
        e->target = NULL;
        return;
    }
    e->filter_policy = policy;
    e->create = !is_reference(e->target);
    const char *why = lambda_text_check(e->target);
    if (why) {
        lambda_problem(pr, v, path, "%s", why);
        e->target = NULL;
    } else if (e->create && !simple_name_valid(e->target, 200)) {
        lambda_problem(pr, v, path,
                       "'%s' is neither a topic ARN (arn:...) nor a topic name to create (letters, digits, '-' "
                       "and '_')",
                       e->target);
        e->target = NULL;
    }
}

static void parse_sqs(lambda_problems *pr, lambda_event *e, const sparta_value *v, const char *path) {
    static const char *const keys[] = {"queue", "batchSize", "batchWindow", "enabled"};
    e->target = target_of(pr, v, path, "queue", keys, 4);
    if (!e->target) return;
    if (!e->target[0]) {
        lambda_problem(pr, v, path, "the sqs event names no queue: give a queue ARN, or a name to create one");
        e->target = NULL;
        return;
    }
    int ok = 1;
    e->batch_size = int_key(pr, v, "batchSize", path, 1, 10000, 10, &ok);
    e->batch_window = int_key(pr, v, "batchWindow", path, 0, 300, -1, &ok);
    e->enabled = 1;
    const sparta_value *enabled = API->value_type(v) == SPARTA_VALUE_OBJECT ? API->value_get(v, "enabled") : NULL;
    if (enabled && API->value_type(enabled) != SPARTA_VALUE_BOOL) {
        char kpath[700];
        lambda_format(kpath, sizeof kpath, "%s.enabled", path);
        lambda_problem(pr, enabled, kpath, "expected true or false");
        ok = 0;
    } else if (enabled) {
        e->enabled = API->value_bool(enabled);
    }
    int fifo = ends_with(e->target, ".fifo");
    if (ok && fifo && e->batch_size > 10) {
        lambda_problem(pr, v, path, "a FIFO queue takes a batchSize of at most 10, not %lld", (long long)e->batch_size);
        ok = 0;
    }
    if (ok && e->batch_size > 10 && e->batch_window < 1) {
        lambda_problem(pr, v, path,
                       "a batchSize above 10 needs a batchWindow of at least 1 second (Lambda's rule for "
                       "standard queues)");
        ok = 0;
    }
    e->create = !is_reference(e->target);
    const char *why = lambda_text_check(e->target);
    char base[128] = "";
    if (e->create) {
        size_t n = strlen(e->target) - (fifo ? 5 : 0);
        if (n < sizeof base) {
            memcpy(base, e->target, n);
            base[n] = '\0';
        }
    }
    if (why) {
        lambda_problem(pr, v, path, "%s", why);
        ok = 0;
    } else if (e->create && !simple_name_valid(base, 75)) {
        lambda_problem(pr, v, path,
                       "'%s' is neither a queue ARN (arn:...) nor a queue name to create (letters, digits, '-' "
                       "and '_', optionally ending in .fifo)",
                       e->target);
        ok = 0;
    }
    if (!ok) e->target = NULL;
}

static void parse_s3(lambda_problems *pr, lambda_event *e, const sparta_value *v, const char *path) {
    const sparta_value *bucket = API->value_get(v, "bucket");
    char kpath[700];
    lambda_format(kpath, sizeof kpath, "%s.bucket", path);
    const char *b = API->value_string(bucket);
    if (!b || !b[0]) {
        lambda_problem(pr, bucket ? bucket : v, kpath, "the s3 event names no bucket");
        return;
    }
    if (strncmp(b, "arn:", 4) == 0) {
        const char *name = strstr(b, ":s3:::");
        if (!name || !name[6] || strchr(name + 6, '/') || !bucket_name_valid(name + 6)) {
            lambda_problem(pr, bucket, kpath, "'%s' is not a bucket ARN: write arn:aws:s3:::BUCKET", b);
            return;
        }
        e->existing = 1;
        e->bucket = name + 6;
    } else if (!bucket_name_valid(b)) {
        lambda_problem(pr, bucket, kpath,
                       "'%s' is not a valid bucket name: 3 to 63 lowercase letters, digits, '.' and '-' (give an "
                       "ARN, arn:aws:s3:::NAME, for an existing bucket)",
                       b);
        return;
    } else {
        e->bucket = b;
    }
    const sparta_value *events = API->value_get(v, "events");
    lambda_format(kpath, sizeof kpath, "%s.events", path);
    if (events && API->value_count(events) == 0) lambda_problem(pr, events, kpath, "the list of S3 events is empty");
    for (size_t i = 0; i < API->value_count(events); i++) {
        const sparta_value *ev = API->value_at(events, i);
        const char *name = API->value_string(ev);
        int known = 0, bridged = 0;
        for (size_t k = 0; k < sizeof s3_events_known / sizeof *s3_events_known; k++)
            if (strcmp(name, s3_events_known[k]) == 0) known = 1;
        for (size_t k = 0; k < sizeof s3_events_eventbridge / sizeof *s3_events_eventbridge; k++)
            if (strcmp(name, s3_events_eventbridge[k]) == 0) bridged = 1;
        if (!known) {
            lambda_problem(pr, ev, kpath, "'%s' is not an S3 event type, e.g. s3:ObjectCreated:* or s3:ObjectRemoved:*",
                           name);
            e->bucket = NULL;
        } else if (e->existing && !bridged) {
            lambda_problem(pr, ev, kpath,
                           "'%s' cannot reach a function from an existing bucket: existing buckets are wired "
                           "through EventBridge, which carries s3:ObjectCreated:*, s3:ObjectRemoved:*, "
                           "s3:ObjectRestore:Post, s3:ObjectRestore:Completed and s3:ObjectAcl:Put",
                           name);
            e->bucket = NULL;
        } else if (e->s3_event_count < sizeof e->s3_events / sizeof *e->s3_events) {
            e->s3_events[e->s3_event_count++] = name;
        }
    }
    if (!events) e->s3_events[e->s3_event_count++] = "s3:ObjectCreated:*";
    e->prefix = API->value_string(API->value_get(v, "prefix"));
    e->suffix = API->value_string(API->value_get(v, "suffix"));
}

void lambda_events_parse(sparta_plugin *p, lambda_function *f, const sparta_value *events, const char *path,
                         lambda_problems *pr) {
    (void)p;
    size_t n = API->value_count(events);
    if (!n) return;
    f->events = calloc(n, sizeof *f->events);
    if (!f->events) return;
    int counters[LAMBDA_EVENT_KIND_COUNT] = {0};
    for (size_t i = 0; i < n; i++) {
        const sparta_value *ev = API->value_at(events, i);
        char epath[600], kpath[700];
        lambda_format(epath, sizeof epath, "%s.[%zu]", path, i);
        int found = -1, count = 0;
        for (int k = 0; k < LAMBDA_EVENT_KIND_COUNT; k++)
            if (API->value_get(ev, kind_keys[k])) {
                if (found < 0) found = k;
                count++;
            }
        if (count == 0) {
            lambda_problem(pr, ev, epath, "an event needs one of schedule, eventBridge, sns, sqs or s3");
            continue;
        }
        if (count > 1) {
            lambda_problem(pr, ev, epath,
                           "an event holds exactly one of schedule, eventBridge, sns, sqs or s3: split it into "
                           "one event per source");
            continue;
        }
        lambda_event e;
        memset(&e, 0, sizeof e);
        e.kind = (lambda_event_kind)found;
        e.at = ev;
        const sparta_value *v = API->value_get(ev, kind_keys[found]);
        lambda_format(kpath, sizeof kpath, "%s.%s", epath, kind_keys[found]);
        int ok = 1;
        switch (e.kind) {
        case LAMBDA_EVENT_SCHEDULE: {
            const char *why = schedule_problem(API->value_string(v));
            if (why) {
                lambda_problem(pr, v, kpath, "'%s': %s", API->value_string(v), why);
                ok = 0;
            }
            e.expression = API->value_string(v);
            break;
        }
        case LAMBDA_EVENT_EVENTBRIDGE: {
            e.pattern = API->value_get(v, "pattern");
            const sparta_value *bus = API->value_get(v, "eventBus");
            e.event_bus = API->value_string(bus);
            char ppath[800];
            lambda_format(ppath, sizeof ppath, "%s.pattern", kpath);
            if (API->value_type(e.pattern) != SPARTA_VALUE_OBJECT || API->value_count(e.pattern) == 0) {
                lambda_problem(pr, e.pattern, ppath,
                               "an event pattern is a non-empty group, e.g. pattern = { source = [ \"aws.ec2\" ]; };");
                ok = 0;
            }
            if (e.event_bus && (!e.event_bus[0] || lambda_text_check(e.event_bus))) {
                lambda_format(ppath, sizeof ppath, "%s.eventBus", kpath);
                lambda_problem(pr, bus, ppath, "%s",
                               e.event_bus[0] ? lambda_text_check(e.event_bus) : "the event bus name is empty");
                ok = 0;
            }
            break;
        }
        case LAMBDA_EVENT_SNS:
            parse_sns(pr, &e, v, kpath);
            ok = e.target != NULL;
            break;
        case LAMBDA_EVENT_SQS:
            parse_sqs(pr, &e, v, kpath);
            ok = e.target != NULL;
            break;
        case LAMBDA_EVENT_S3:
            parse_s3(pr, &e, v, kpath);
            ok = e.bucket != NULL;
            break;
        default:
            ok = 0;
        }
        if (!ok) continue;
        e.index = ++counters[e.kind];
        f->events[f->event_count++] = e;
    }
}
