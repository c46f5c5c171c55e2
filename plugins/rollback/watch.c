/* `sparta alarms watch`: the gate of an alarm-approved promotion. Polls the
 * stack's alarms (names "<stack>-alarm.*" plus rollback.extraAlarmArns) for the
 * monitoring window and fails as soon as one is in ALARM. It fails closed:
 * no alarms found, or CloudWatch not answering, is a failure too. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rollback.h"

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_seconds(double s) {
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static int parse_flag(sparta_plugin *p, const sparta_invocation *inv, const char *name, int64_t min, int64_t max,
                      int64_t fallback, int64_t *out) {
    const char *text = rb_api->flag_string(inv, name);
    *out = fallback;
    if (!text) return 0;
    char *end = NULL;
    long long v = strtoll(text, &end, 10);
    if (!*text || *end || v < min || v > max)
        return rb_api->error(p, SPARTA_EUSAGE, "--%s %s is out of range: use %lld to %lld", name, text, (long long)min,
                             (long long)max);
    *out = v;
    return 0;
}

static int check_once(sparta_plugin *p, const char *stack, const rb_list *extras, size_t *alarms) {
    sparta_text prefix = {0};
    sparta_text_printf(&prefix, "%s" RB_NAME_INFIX, stack);
    rb_alarm_list list;
    int rc = rb_describe_alarms(p, sparta_text_str(&prefix), extras, &list);
    sparta_text_free(&prefix);
    if (rc != 0) return rc;
    *alarms = list.count;
    sparta_text firing = {0};
    size_t n = 0;
    for (size_t i = 0; i < list.count; i++) {
        if (strcmp(list.items[i].state, "ALARM") != 0) continue;
        sparta_text_printf(&firing, "\n  %s: %s", list.items[i].name,
                           list.items[i].reason[0] ? list.items[i].reason : "no reason given");
        n++;
    }
    for (size_t i = 0; extras && i < extras->count; i++)
        if (!rb_alarm_list_find(&list, extras->items[i]))
            rb_api->log(p, SPARTA_LOG_WARN, "extra alarm %s does not exist", extras->items[i]);
    if (n)
        rc = rb_api->error(p, SPARTA_EGENERIC, "%zu alarm%s of stack %s %s in ALARM: do not promote this build%s", n,
                           n == 1 ? "" : "s", stack, n == 1 ? "is" : "are", sparta_text_str(&firing));
    else if (list.count == 0)
        rc = rb_api->error(p, SPARTA_ENOTFOUND,
                           "stack %s has no alarms (none named %s" RB_NAME_INFIX "*): deploy it with the rollback plugin enabled "
                           "before gating a promotion on its alarms",
                           stack, stack);
    sparta_text_free(&firing);
    rb_alarm_list_free(&list);
    return rc;
}

int rb_command_watch(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    if (!rb_has_aws())
        return rb_api->error(p, SPARTA_ESTATE, "this sparta host cannot call AWS from a plugin (ABI 1.1): upgrade sparta");
    const char *stack = rb_api->flag_string(inv, "stackName");
    if (!stack || !*stack) stack = rb_api->service_get(p, "stackName");
    if (!stack || !*stack) return rb_api->error(p, SPARTA_EUSAGE, "no stack to watch: pass --stackName NAME");
    rb_settings s;
    int rc = rb_settings_read(p, &s);
    if (rc != 0) return rc;
    int64_t minutes = 0, interval = 0;
    rc = parse_flag(p, inv, "minutes", 0, RB_MAX_MONITORING_MINUTES, s.monitoring_minutes, &minutes);
    if (rc == 0) rc = parse_flag(p, inv, "interval", 1, 3600, 30, &interval);
    rb_list extras = {NULL, 0};
    if (rc == 0 && rb_settings_extra_names(&s, &extras) != 0) rc = rb_api->error(p, SPARTA_ENOMEM, "out of memory");

    double start = now_seconds(), deadline = start + (double)minutes * 60;
    int64_t max_polls = minutes * 60 / (interval > 0 ? interval : 1) + 2;
    size_t alarms = 0;
    if (rc == 0)
        rb_api->log(p, SPARTA_LOG_INFO, "watching the alarms of stack %s for %lld minute%s", stack, (long long)minutes,
                    minutes == 1 ? "" : "s");
    for (int64_t poll = 0; rc == 0; poll++) {
        rc = check_once(p, stack, &extras, &alarms);
        if (rc != 0) break;
        double left = deadline - now_seconds();
        if (left <= 0 || poll + 1 >= max_polls) break;
        rb_api->log(p, SPARTA_LOG_INFO, "%zu alarm%s OK, %.0f s left", alarms, alarms == 1 ? "" : "s", left);
        sleep_seconds(left < (double)interval ? left : (double)interval);
    }
    if (rc == 0)
        rb_api->print(p, "the %zu alarm%s of stack %s stayed OK for %lld minute%s\n", alarms, alarms == 1 ? "" : "s",
                      stack, (long long)minutes, minutes == 1 ? "" : "s");
    free(extras.items);
    rb_settings_free(&s);
    return rc;
}
