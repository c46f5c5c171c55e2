#include "aws/converge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "aws/template_facts.h"
#include "buffer.h"

/* ---- small helpers -------------------------------------------------------- */

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int ends_with(const char *s, const char *suffix) {
    size_t n = s ? strlen(s) : 0, m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

static int in_progress(const char *status) { return status && strstr(status, "_IN_PROGRESS") != NULL; }

static int succeeded(const char *status) {
    return status && (!strcmp(status, "CREATE_COMPLETE") || !strcmp(status, "UPDATE_COMPLETE") ||
                      !strcmp(status, "IMPORT_COMPLETE"));
}

static void poll_defaults(const sparta__converge_poll *in, sparta__converge_poll *out) {
    if (in) *out = *in;
    else memset(out, 0, sizeof *out);
    if (out->initial_ms <= 0) out->initial_ms = 1000;
    if (out->max_ms <= 0) out->max_ms = 5000;
    if (out->max_ms < out->initial_ms) out->max_ms = out->initial_ms;
    if (out->timeout_ms <= 0) out->timeout_ms = 2L * 3600 * 1000;
}

static int interrupted(const sparta__converge_poll *p) { return p->interrupted && *p->interrupted; }

/* Sleeps up to ms in short slices so Ctrl-C is seen at once. */
static void nap(const sparta__converge_poll *p, long ms) {
    while (ms > 0 && !interrupted(p)) {
        long slice = ms < 50 ? ms : 50;
        struct timespec ts = {0, slice * 1000000L};
        nanosleep(&ts, NULL);
        ms -= slice;
    }
}

static void info(sparta__aws_client *c, const char *message, const char *stack, const char *k,
                 const char *v) {
    sparta_logger *lg = sparta__aws_client_logger(c);
    if (lg) sparta__log(lg, SPARTA_LOG_INFO, message, "stack", stack, k, v, (char *)NULL);
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static void set_str(char **slot, const char *value) {
    free(*slot);
    *slot = dup_or_null(value);
}

void sparta__converge_result_free(sparta__converge_result *r) {
    if (!r) return;
    free(r->stack_id), free(r->status), free(r->status_reason), free(r->change_set_id);
    sparta__cfn_change_set_free(r->change_set);
    for (size_t i = 0; i < r->output_count; i++) {
        free(r->outputs[i].key), free(r->outputs[i].value);
        free(r->outputs[i].description), free(r->outputs[i].export_name);
    }
    free(r->outputs);
    for (size_t i = 0; i < r->failure_count; i++) {
        free(r->failures[i].logical_id), free(r->failures[i].resource_type);
        free(r->failures[i].status), free(r->failures[i].reason);
    }
    free(r->failures);
    memset(r, 0, sizeof *r);
}

/* Moves the stack's outputs into the result. */
static void take_outputs(sparta__converge_result *r, sparta__cfn_stack *s) {
    if (!s) return;
    r->outputs = s->outputs;
    r->output_count = s->output_count;
    s->outputs = NULL;
    s->output_count = 0;
    set_str(&r->status, s->status);
    set_str(&r->status_reason, s->status_reason);
    if (!r->stack_id) r->stack_id = dup_or_null(s->stack_id);
}

/* ---- watching a stack ------------------------------------------------------ */

typedef struct watch {
    const char *stack_name;
    char *stack_ref;          /* stack ID when known (survives deletion), else name */
    char *last_event_id;      /* newest event already shown */
    sparta__aws_kvlist done;  /* logical IDs that reached a final state */
    size_t total;
} watch;

static void watch_free(watch *w) {
    free(w->stack_ref);
    free(w->last_event_id);
    sparta__aws_kvlist_free(&w->done);
}

/* Remembers the newest existing event so only later ones are shown. */
static int watch_mark(sparta__aws_client *c, watch *w, sparta_error_slot *err) {
    sparta__cfn_event_list l;
    int rc = sparta__cfn_describe_stack_events(c, w->stack_ref, NULL, 1, &l, err);
    if (rc) return rc;
    set_str(&w->last_event_id, l.count ? l.items[0].event_id : NULL);
    sparta__cfn_event_list_free(&l);
    return 0;
}

static void add_failure(sparta__converge_result *r, const sparta__cfn_event *e) {
    sparta__converge_failure *n = realloc(r->failures, (r->failure_count + 1) * sizeof *n);
    if (!n) return;
    r->failures = n;
    sparta__converge_failure *f = &r->failures[r->failure_count++];
    f->logical_id = dup_or_null(e->logical_id);
    f->resource_type = dup_or_null(e->resource_type);
    f->status = dup_or_null(e->status);
    f->reason = dup_or_null(e->reason ? e->reason : "");
}

static void default_event_sink(sparta__aws_client *c, const sparta__cfn_event *e, size_t done, size_t total) {
    sparta_logger *lg = sparta__aws_client_logger(c);
    if (!lg) return;
    char progress[64];
    snprintf(progress, sizeof progress, "%zu/%zu", done, total);
    sparta__log(lg, ends_with(e->status, "_FAILED") ? SPARTA_LOG_WARN : SPARTA_LOG_INFO,
                e->status ? e->status : "?", "time", e->timestamp ? e->timestamp : "",
                "type", e->resource_type ? e->resource_type : "", "resource", e->logical_id ? e->logical_id : "",
                "reason", e->reason ? e->reason : "", "resources", progress, (char *)NULL);
}

/* Shows events newer than the last one seen, oldest first. */
static int watch_events(sparta__aws_client *c, watch *w, const sparta__converge_poll *p,
                        sparta__converge_result *r, sparta_error_slot *err) {
    sparta__cfn_event_list l;
    int rc = sparta__cfn_describe_stack_events(c, w->stack_ref, w->last_event_id, 20, &l, err);
    if (rc) return rc;
    for (size_t k = l.count; k-- > 0;) {
        const sparta__cfn_event *e = &l.items[k];
        int is_stack = e->resource_type && !strcmp(e->resource_type, "AWS::CloudFormation::Stack") &&
                       e->logical_id && !strcmp(e->logical_id, w->stack_name);
        if (!is_stack && e->logical_id && (ends_with(e->status, "_COMPLETE") || ends_with(e->status, "_FAILED")) &&
            !sparta__aws_kvlist_get(&w->done, e->logical_id))
            sparta__aws_kvlist_add(&w->done, e->logical_id, "");
        if (ends_with(e->status, "_FAILED")) add_failure(r, e);
        size_t done = w->done.count > w->total ? w->total : w->done.count;
        if (p->on_event) p->on_event(p->user, e, done, w->total);
        else default_event_sink(c, e, done, w->total);
    }
    if (l.count) set_str(&w->last_event_id, l.items[0].event_id);
    sparta__cfn_event_list_free(&l);
    return 0;
}

static int stop_message(sparta__aws_client *c, const char *stack, const char *status, int timed_out,
                        long timeout_ms, sparta__converge_result *r, sparta_error_slot *err) {
    r->outcome = timed_out ? SPARTA__CONVERGE_TIMED_OUT : SPARTA__CONVERGE_INTERRUPTED;
    char why[96];
    if (timed_out) snprintf(why, sizeof why, "still %s after %ld s", status ? status : "in progress", timeout_ms / 1000);
    else snprintf(why, sizeof why, "interrupted while %s", status ? status : "in progress");
    return sparta__error_set(err, SPARTA_EGENERIC,
                             "stopped watching stack %s (%s): the operation continues in CloudFormation "
                             "(region %s); follow it with `sparta status`", stack, why,
                             sparta__aws_client_region(c));
}

/* Polls until the stack leaves *_IN_PROGRESS, streaming events. On return
 * r->status holds the final status (DELETE_COMPLETE when the stack is gone). */
static int watch_until_done(sparta__aws_client *c, watch *w, const sparta__converge_poll *p,
                            sparta__converge_result *r, sparta_error_slot *err) {
    double start = now_ms();
    long delay = p->initial_ms;
    for (;;) {
        sparta__cfn_stack *s = NULL;
        int rc = sparta__cfn_describe_stack(c, w->stack_ref, &s, err);
        if (rc) return rc;
        set_str(&r->status, s ? s->status : "DELETE_COMPLETE");
        set_str(&r->status_reason, s ? s->status_reason : NULL);
        sparta__cfn_stack_free(s);
        if (s || w->last_event_id) {
            /* events of a deleted stack are still readable by ID; by name they are gone */
            rc = watch_events(c, w, p, r, err);
            if (rc && strncmp(w->stack_ref, "arn:", 4) == 0) return rc;
            if (rc) sparta__error_clear(err);
        }
        if (!in_progress(r->status)) return 0;
        if (interrupted(p)) return stop_message(c, w->stack_name, r->status, 0, 0, r, err);
        if (now_ms() - start >= (double)p->timeout_ms)
            return stop_message(c, w->stack_name, r->status, 1, p->timeout_ms, r, err);
        long left = p->timeout_ms - (long)(now_ms() - start);
        nap(p, delay < left ? delay : left);
        if (interrupted(p)) return stop_message(c, w->stack_name, r->status, 0, 0, r, err);
        delay = delay + delay / 2;
        if (delay > p->max_ms) delay = p->max_ms;
    }
}

/* The error for a stack that ended in a failure state, listing every
 * failed resource with its reason. */
static int failure_error(const char *stack, sparta__converge_result *r, sparta_error_slot *err) {
    r->outcome = SPARTA__CONVERGE_FAILED;
    sparta_buffer b = SPARTA_BUFFER_INIT;
    const char *st = r->status ? r->status : "?";
    const char *what = !strcmp(st, "ROLLBACK_COMPLETE") ? "the create failed and was rolled back; the next "
                                                          "provision deletes the stack and creates it again"
                       : !strcmp(st, "UPDATE_ROLLBACK_COMPLETE") ? "the update failed and was rolled back to "
                                                                   "the previous version"
                       : !strcmp(st, "UPDATE_ROLLBACK_FAILED") ? "the update failed and so did its rollback; "
                                                                 "run `aws cloudformation continue-update-rollback`"
                       : !strcmp(st, "DELETE_FAILED") ? "some resources could not be deleted"
                                                      : "the operation failed";
    sparta__buffer_printf(&b, "stack %s ended in %s: %s", stack, st, what);
    if (r->status_reason && *r->status_reason) sparta__buffer_printf(&b, " (%s)", r->status_reason);
    if (r->failure_count) {
        sparta__buffer_puts(&b, "\nfailed resources:");
        for (size_t i = 0; i < r->failure_count; i++) {
            const sparta__converge_failure *f = &r->failures[i];
            sparta__buffer_printf(&b, "\n  - %s (%s) %s: %s", f->logical_id ? f->logical_id : "?",
                                  f->resource_type ? f->resource_type : "?", f->status ? f->status : "",
                                  f->reason && *f->reason ? f->reason : "no reason given");
        }
    }
    int rc = sparta__error_set(err, SPARTA_EAWS, "%s", b.data ? b.data : "stack failed");
    sparta__buffer_free(&b);
    return rc;
}

/* ---- provision ---------------------------------------------------------------- */

static void input_from(const sparta__converge_options *o, const char *const *caps, size_t ncaps,
                       sparta__cfn_stack_input *in) {
    memset(in, 0, sizeof *in);
    in->stack_name = o->stack_name;
    in->template_url = o->template_url;
    in->template_body = o->template_url ? NULL : o->template_body;
    in->parameters = o->parameters;
    in->parameter_count = o->parameter_count;
    in->tags = o->tags;
    in->tag_count = o->tag_count;
    in->capabilities = caps;
    in->capability_count = ncaps;
    in->rollback = o->rollback;
}

static int empty_change_set(const sparta__cfn_change_set *cs) {
    const char *reason = cs->status_reason ? cs->status_reason : "";
    return cs->status && !strcmp(cs->status, "FAILED") &&
           (strstr(reason, "didn't contain changes") || strstr(reason, "No updates are to be performed") ||
            strstr(reason, "submitted information didn't contain"));
}

/* Waits for a change set to leave CREATE_PENDING / CREATE_IN_PROGRESS. */
static int wait_change_set(sparta__aws_client *c, const char *stack, const char *id,
                           const sparta__converge_poll *p, sparta__cfn_change_set **out,
                           sparta__converge_result *r, sparta_error_slot *err) {
    double start = now_ms();
    long delay = p->initial_ms < 500 ? p->initial_ms : 500; /* change sets are quick */
    for (;;) {
        int rc = sparta__cfn_describe_change_set(c, stack, id, out, err);
        if (rc) return rc;
        const char *st = (*out)->status ? (*out)->status : "";
        if (strcmp(st, "CREATE_PENDING") && strcmp(st, "CREATE_IN_PROGRESS")) return 0;
        sparta__cfn_change_set_free(*out);
        *out = NULL;
        if (interrupted(p) || now_ms() - start >= (double)p->timeout_ms) {
            sparta_error_slot ignore = {0};
            sparta__cfn_delete_change_set(c, stack, id, &ignore);
            r->outcome = interrupted(p) ? SPARTA__CONVERGE_INTERRUPTED : SPARTA__CONVERGE_TIMED_OUT;
            return sparta__error_set(err, SPARTA_EGENERIC,
                                     "stopped waiting for the change set of stack %s (%s); it was deleted "
                                     "and nothing was changed", stack,
                                     interrupted(p) ? "interrupted" : "timed out");
        }
        nap(p, delay);
        delay = delay + delay / 2;
        if (delay > p->max_ms) delay = p->max_ms;
    }
}

/* sparta-<UTC time>-<12 random hex digits>: a name no other call makes, so
 * that a retried CreateChangeSet answered AlreadyExistsException can take
 * the change set of that name as its own. */
static void change_set_name(char *out, size_t n) {
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char stamp[32], token[SPARTA__AWS_CLIENT_TOKEN_SIZE];
    strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
    sparta__aws_client_token(token); /* "sparta-" and hex */
    snprintf(out, n, "sparta-%s-%.12s", stamp, token + 7);
}

/* Deletes a stack and waits for it to be gone. */
static int delete_and_wait(sparta__aws_client *c, const char *name, const char *stack_id,
                           const sparta__converge_poll *p, sparta__converge_result *r, sparta_error_slot *err) {
    watch w = {name, strdup(stack_id ? stack_id : name), NULL, SPARTA__AWS_KVLIST_INIT, 0};
    int rc = watch_mark(c, &w, err);
    if (!rc) rc = sparta__cfn_delete_stack(c, name, err);
    if (!rc) rc = watch_until_done(c, &w, p, r, err);
    if (!rc && r->status && strcmp(r->status, "DELETE_COMPLETE") != 0) rc = failure_error(name, r, err);
    watch_free(&w);
    return rc;
}

/* A stack that is there but cannot be converged now: say why and what to do. */
static int unusable_stack(const sparta__cfn_stack *s, sparta_error_slot *err) {
    if (in_progress(s->status))
        return sparta__error_set(err, SPARTA_ESTATE,
                                 "stack %s is busy (%s): another operation is running; wait for it to "
                                 "finish (`sparta status`) and try again", s->name, s->status);
    if (!strcmp(s->status, "UPDATE_ROLLBACK_FAILED"))
        return sparta__error_set(err, SPARTA_ESTATE,
                                 "stack %s is in UPDATE_ROLLBACK_FAILED: fix the resource that blocks the "
                                 "rollback, run `aws cloudformation continue-update-rollback --stack-name "
                                 "%s`, then provision again", s->name, s->name);
    return sparta__error_set(err, SPARTA_ESTATE,
                             "stack %s is in %s%s%s: delete it (`sparta delete`) and provision again",
                             s->name, s->status, s->status_reason ? ": " : "",
                             s->status_reason ? s->status_reason : "");
}

int sparta__converge(sparta__aws_client *c, const sparta__converge_options *o,
                     sparta__converge_result *out, sparta_error_slot *err) {
    memset(out, 0, sizeof *out);
    if (!o || o->version != SPARTA__CONVERGE_OPTIONS_VERSION || !o->stack_name ||
        (!o->template_body && !o->template_url))
        return sparta__error_set(err, SPARTA_EUSAGE,
                                 "converge needs options version %d, a stack name and a template",
                                 SPARTA__CONVERGE_OPTIONS_VERSION);
    sparta__converge_poll p;
    poll_defaults(&o->poll, &p);
    const char *computed[3];
    const char *const *caps = o->capabilities;
    size_t ncaps = o->capability_count;
    if (!caps) {
        int n = sparta__template_capabilities(o->template_body, computed);
        caps = computed;
        ncaps = n > 0 ? (size_t)n : 0;
    }
    const char *name = o->stack_name;
    sparta__cfn_stack *s = NULL;
    char *deployed = NULL, *cs_id = NULL, *stack_id = NULL;
    sparta__cfn_change_set *cs = NULL;
    watch w = {name, NULL, NULL, SPARTA__AWS_KVLIST_INIT, sparta__template_resource_count(o->template_body)};
    int rc = sparta__cfn_describe_stack(c, name, &s, err);
    if (rc) goto done;

    int exists = s != NULL;
    if (s && !strcmp(s->status, "REVIEW_IN_PROGRESS")) {
        /* An unexecuted CREATE change set (a provision cut off between
         * CreateChangeSet and ExecuteChangeSet, or --no-execute): the stack
         * has no resources. Remove it, change set and all, so the create
         * below makes the one stack of this name. */
        info(c, "Stack is in REVIEW_IN_PROGRESS (a CREATE change set never executed, no resources): deleting it "
                "and creating it again", name, "status", s->status);
        if ((rc = delete_and_wait(c, name, s->stack_id, &p, out, err)) != 0) goto done;
        free(out->status), free(out->status_reason);
        out->status = out->status_reason = NULL;
        out->recreated = 1;
        exists = 0;
    } else if (s && !strcmp(s->status, "ROLLBACK_COMPLETE")) {
        info(c, "Stack is in ROLLBACK_COMPLETE after a failed first create: deleting it and creating it again",
             name, "status", s->status);
        if ((rc = delete_and_wait(c, name, s->stack_id, &p, out, err)) != 0) goto done;
        free(out->status), free(out->status_reason);
        out->status = out->status_reason = NULL;
        out->recreated = 1;
        exists = 0;
    } else if (s && (in_progress(s->status) || ends_with(s->status, "_FAILED"))) {
        rc = unusable_stack(s, err);
        goto done;
    } else if (s && o->template_body) {
        char why[256];
        if ((rc = sparta__cfn_get_template(c, name, &deployed, err)) != 0) goto done;
        if (sparta__converge_up_to_date(s, deployed, o, why, sizeof why)) {
            info(c, "Stack is up to date", name, "status", s->status);
            out->outcome = SPARTA__CONVERGE_UP_TO_DATE;
            take_outputs(out, s);
            goto done;
        }
        sparta_logger *lg = sparta__aws_client_logger(c);
        if (lg) sparta__log(lg, SPARTA_LOG_DEBUG, "Stack differs", "stack", name, "why", why, (char *)NULL);
    }

    sparta__cfn_stack_input in;
    input_from(o, caps, ncaps, &in);
    if (o->method == SPARTA__CONVERGE_DIRECT) {
        if (exists) {
            int no_updates = 0;
            w.stack_ref = strdup(s->stack_id);
            if ((rc = watch_mark(c, &w, err)) != 0) goto done;
            info(c, "Updating stack", name, "method", "direct");
            if ((rc = sparta__cfn_update_stack(c, &in, &stack_id, &no_updates, err)) != 0) goto done;
            if (no_updates) {
                info(c, "Stack is up to date", name, "status", s->status);
                out->outcome = SPARTA__CONVERGE_UP_TO_DATE;
                take_outputs(out, s);
                goto done;
            }
        } else {
            info(c, "Creating stack", name, "method", "direct");
            if ((rc = sparta__cfn_create_stack(c, &in, &stack_id, err)) != 0) goto done;
            w.stack_ref = strdup(stack_id ? stack_id : name);
        }
    } else {
        char cs_name[96];
        change_set_name(cs_name, sizeof cs_name);
        const char *type = exists ? "UPDATE" : "CREATE";
        info(c, "Creating change set", name, "type", type);
        if ((rc = sparta__cfn_create_change_set(c, &in, cs_name, type, &cs_id, &stack_id, err)) != 0) goto done;
        if (!cs_id) cs_id = strdup(cs_name);
        if ((rc = wait_change_set(c, name, cs_id, &p, &cs, out, err)) != 0) goto done;
        if (empty_change_set(cs)) {
            sparta_error_slot ignore = {0};
            sparta__cfn_delete_change_set(c, name, cs_id, &ignore);
            if (o->fail_on_empty_changeset) {
                out->outcome = SPARTA__CONVERGE_FAILED;
                rc = sparta__error_set(err, SPARTA_EAWS, "stack %s: the change set contains no changes "
                                                         "(--fail-on-empty-changeset)", name);
                goto done;
            }
            info(c, "Stack is up to date", name, "change_set", "empty, deleted");
            out->outcome = SPARTA__CONVERGE_UP_TO_DATE;
            take_outputs(out, s);
            goto done;
        }
        if (strcmp(cs->status, "CREATE_COMPLETE") != 0) {
            rc = sparta__error_set(err, SPARTA_EAWS, "change set for stack %s is %s: %s", name, cs->status,
                                   cs->status_reason ? cs->status_reason : "no reason given");
            sparta_error_slot ignore = {0};
            sparta__cfn_delete_change_set(c, name, cs_id, &ignore);
            out->outcome = SPARTA__CONVERGE_FAILED;
            goto done;
        }
        if (o->no_execute) {
            info(c, "Change set created and not executed (--no-execute)", name, "change_set", cs_id);
            out->outcome = SPARTA__CONVERGE_CHANGE_SET_READY;
            out->change_set = cs;
            cs = NULL;
            out->change_set_id = cs_id;
            cs_id = NULL;
            out->stack_id = dup_or_null(stack_id);
            goto done;
        }
        w.stack_ref = strdup(stack_id ? stack_id : name);
        if ((rc = watch_mark(c, &w, err)) != 0) goto done;
        info(c, "Executing change set", name, "changes", "");
        if ((rc = sparta__cfn_execute_change_set(c, name, cs_id, err)) != 0) goto done;
    }
    if (!w.stack_ref) {
        rc = sparta__error_set(err, SPARTA_ENOMEM, "out of memory");
        goto done;
    }
    set_str(&out->stack_id, stack_id ? stack_id : w.stack_ref);
    if ((rc = watch_until_done(c, &w, &p, out, err)) != 0) goto done;
    if (!succeeded(out->status)) {
        rc = failure_error(name, out, err);
        goto done;
    }
    out->outcome = exists ? SPARTA__CONVERGE_UPDATED : SPARTA__CONVERGE_CREATED;
    sparta__cfn_stack_free(s);
    s = NULL;
    if ((rc = sparta__cfn_describe_stack(c, w.stack_ref, &s, err)) != 0) goto done;
    take_outputs(out, s);
    info(c, exists ? "Stack updated" : "Stack created", name, "status", out->status);
done:
    watch_free(&w);
    sparta__cfn_stack_free(s);
    sparta__cfn_change_set_free(cs);
    free(deployed), free(cs_id), free(stack_id);
    return rc;
}

/* ---- diff ------------------------------------------------------------------------ */

void sparta__diff_result_free(sparta__diff_result *d) {
    if (!d) return;
    sparta__cfn_change_set_free(d->change_set);
    free(d->deployed_template);
    memset(d, 0, sizeof *d);
}

int sparta__converge_diff(sparta__aws_client *c, const sparta__converge_options *o,
                          sparta__diff_result *out, sparta_error_slot *err) {
    memset(out, 0, sizeof *out);
    if (!o || o->version != SPARTA__CONVERGE_OPTIONS_VERSION || !o->stack_name ||
        (!o->template_body && !o->template_url))
        return sparta__error_set(err, SPARTA_EUSAGE, "diff needs a stack name and a template");
    sparta__converge_poll p;
    poll_defaults(&o->poll, &p);
    const char *computed[3];
    const char *const *caps = o->capabilities;
    size_t ncaps = o->capability_count;
    if (!caps) {
        int n = sparta__template_capabilities(o->template_body, computed);
        caps = computed;
        ncaps = n > 0 ? (size_t)n : 0;
    }
    sparta__cfn_stack *s = NULL;
    char *cs_id = NULL, *stack_id = NULL;
    sparta__converge_result scratch;
    memset(&scratch, 0, sizeof scratch);
    int rc = sparta__cfn_describe_stack(c, o->stack_name, &s, err);
    if (rc) return rc;
    int review = s && !strcmp(s->status, "REVIEW_IN_PROGRESS");
    out->stack_exists = s && !review;
    if (out->stack_exists && (rc = sparta__cfn_get_template(c, o->stack_name, &out->deployed_template, err)) != 0)
        goto done;
    sparta__cfn_stack_input in;
    input_from(o, caps, ncaps, &in);
    char cs_name[96];
    change_set_name(cs_name, sizeof cs_name);
    rc = sparta__cfn_create_change_set(c, &in, cs_name, out->stack_exists ? "UPDATE" : "CREATE", &cs_id,
                                       &stack_id, err);
    if (rc) goto done;
    if (!cs_id) cs_id = strdup(cs_name);
    rc = wait_change_set(c, o->stack_name, cs_id, &p, &out->change_set, &scratch, err);
    sparta_error_slot ignore = {0};
    if (!rc) {
        if (empty_change_set(out->change_set)) {
            out->change_set->change_count = 0;
        } else if (strcmp(out->change_set->status, "CREATE_COMPLETE") != 0) {
            rc = sparta__error_set(err, SPARTA_EAWS, "change set for stack %s is %s: %s", o->stack_name,
                                   out->change_set->status,
                                   out->change_set->status_reason ? out->change_set->status_reason : "");
        }
        sparta__cfn_delete_change_set(c, o->stack_name, cs_id, &ignore);
    }
    /* A CREATE change set made an empty REVIEW_IN_PROGRESS stack: remove it
     * too, so diff leaves nothing behind. */
    if (!out->stack_exists && !review) sparta__cfn_delete_stack(c, stack_id ? stack_id : o->stack_name, &ignore);
done:
    if (rc) {
        sparta__diff_result_free(out);
    }
    sparta__converge_result_free(&scratch);
    sparta__cfn_stack_free(s);
    free(cs_id), free(stack_id);
    return rc;
}

/* ---- status and delete ------------------------------------------------------------ */

int sparta__converge_status(sparta__aws_client *c, const char *stack_name, sparta__cfn_stack **out,
                            sparta_error_slot *err) {
    int rc = sparta__cfn_describe_stack(c, stack_name, out, err);
    if (!rc && !*out)
        rc = sparta__error_set(err, SPARTA_ENOTFOUND, "stack %s does not exist in region %s", stack_name,
                               sparta__aws_client_region(c));
    return rc;
}

int sparta__converge_delete(sparta__aws_client *c, const char *stack_name, int no_wait,
                            const sparta__converge_poll *poll, sparta__converge_result *out,
                            sparta_error_slot *err) {
    memset(out, 0, sizeof *out);
    sparta__converge_poll p;
    poll_defaults(poll, &p);
    sparta__cfn_stack *s = NULL;
    int rc = sparta__cfn_describe_stack(c, stack_name, &s, err);
    if (rc) return rc;
    if (!s) {
        info(c, "Stack does not exist: nothing to delete", stack_name, "region", sparta__aws_client_region(c));
        out->outcome = SPARTA__CONVERGE_NOT_FOUND;
        return 0;
    }
    out->stack_id = dup_or_null(s->stack_id);
    if (in_progress(s->status) && strcmp(s->status, "REVIEW_IN_PROGRESS") != 0 &&
        strcmp(s->status, "DELETE_IN_PROGRESS") != 0) {
        rc = unusable_stack(s, err);
        sparta__cfn_stack_free(s);
        return rc;
    }
    watch w = {stack_name, strdup(s->stack_id), NULL, SPARTA__AWS_KVLIST_INIT, 0};
    sparta__cfn_stack_free(s);
    if (!no_wait) rc = watch_mark(c, &w, err);
    /* the resources still standing are what remains to delete */
    if (!rc) {
        info(c, "Deleting stack", stack_name, "wait", no_wait ? "no" : "yes");
        rc = sparta__cfn_delete_stack(c, stack_name, err);
    }
    if (!rc && no_wait) {
        out->outcome = SPARTA__CONVERGE_STARTED;
    } else if (!rc) {
        rc = watch_until_done(c, &w, &p, out, err);
        if (!rc && strcmp(out->status, "DELETE_COMPLETE") != 0) rc = failure_error(stack_name, out, err);
        else if (!rc) {
            out->outcome = SPARTA__CONVERGE_DELETED;
            info(c, "Stack deleted", stack_name, "status", out->status);
        }
    }
    watch_free(&w);
    return rc;
}
