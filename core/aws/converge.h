/* Converging a CloudFormation stack, independent of the command line:
 * provision (change set or direct create/update), diff, status and delete.
 * It streams each new stack event to a callback, answers "up to date"
 * without asking CloudFormation when nothing changed, recreates a stack
 * left in ROLLBACK_COMPLETE by a failed first create or in
 * REVIEW_IN_PROGRESS by a CREATE change set never executed, reports every
 * failed resource, and stops watching (not the operation) on an interrupt. */
#ifndef SPARTA_AWS_CONVERGE_H
#define SPARTA_AWS_CONVERGE_H

#include <signal.h>
#include <stddef.h>

#include "aws/cloudformation.h"
#include "aws/http.h"

typedef enum sparta__converge_method {
    SPARTA__CONVERGE_CHANGE_SET = 0, /* CreateChangeSet, wait, ExecuteChangeSet */
    SPARTA__CONVERGE_DIRECT = 1      /* CreateStack / UpdateStack */
} sparta__converge_method;

typedef enum sparta__converge_outcome {
    SPARTA__CONVERGE_NONE = 0,
    SPARTA__CONVERGE_CREATED,
    SPARTA__CONVERGE_UPDATED,
    SPARTA__CONVERGE_UP_TO_DATE,      /* nothing changed: success */
    SPARTA__CONVERGE_CHANGE_SET_READY,/* --no-execute: change set created and kept */
    SPARTA__CONVERGE_DELETED,
    SPARTA__CONVERGE_NOT_FOUND,       /* delete of a stack that does not exist: success */
    SPARTA__CONVERGE_STARTED,         /* delete --no-wait */
    SPARTA__CONVERGE_FAILED,          /* rolled back / failed: error returned */
    SPARTA__CONVERGE_INTERRUPTED,     /* stopped watching; CloudFormation goes on */
    SPARTA__CONVERGE_TIMED_OUT        /* same, because the wait timed out */
} sparta__converge_outcome;

/* Called for each new stack event, oldest first; done/total count resources
 * that reached a final state against those in the template. */
typedef void (*sparta__converge_event_fn)(void *user, const sparta__cfn_event *event, size_t done,
                                          size_t total);

typedef struct sparta__converge_poll {
    long initial_ms;                  /* 0: 1000 */
    long max_ms;                      /* 0: 5000; each wait is 1.5x the last, up to this */
    long timeout_ms;                  /* 0: 2 hours */
    sparta__converge_event_fn on_event; /* NULL: events go to the client's logger */
    void *user;
    volatile sig_atomic_t *interrupted; /* non-zero: stop waiting (Ctrl-C) */
} sparta__converge_poll;

#define SPARTA__CONVERGE_OPTIONS_VERSION 1

typedef struct sparta__converge_options {
    int version;                      /* SPARTA__CONVERGE_OPTIONS_VERSION */
    const char *stack_name;
    const char *template_body;        /* for the no-change check and capabilities */
    const char *template_url;         /* https://BUCKET.s3.REGION.amazonaws.com/KEY; NULL: send the body */
    const sparta__aws_kv *parameters;
    size_t parameter_count;
    const sparta__aws_kv *tags;
    size_t tag_count;
    const char *const *capabilities;  /* NULL: computed from template_body */
    size_t capability_count;
    sparta__converge_method method;
    int no_execute;                   /* stop after creating the change set */
    int fail_on_empty_changeset;      /* an empty change set is an error, not success */
    const sparta__cfn_rollback_config *rollback; /* may be NULL */
    sparta__converge_poll poll;
} sparta__converge_options;

typedef struct sparta__converge_failure {
    char *logical_id, *resource_type, *status, *reason;
} sparta__converge_failure;

typedef struct sparta__converge_result {
    sparta__converge_outcome outcome;
    char *stack_id;
    char *status;                     /* last stack status seen */
    char *status_reason;
    char *change_set_id;              /* --no-execute: the change set left for review */
    sparta__cfn_change_set *change_set; /* --no-execute: its changes */
    sparta__cfn_output *outputs;      /* on success; moto drops them after change sets */
    size_t output_count;
    sparta__converge_failure *failures; /* every *_FAILED event seen while waiting */
    size_t failure_count;
    int recreated;                    /* a ROLLBACK_COMPLETE or REVIEW_IN_PROGRESS stack was deleted first */
} sparta__converge_result;

void sparta__converge_result_free(sparta__converge_result *r);

/* provision. 0 for CREATED, UPDATED, UP_TO_DATE, CHANGE_SET_READY; else a
 * negative code with the reason (and every failed resource) in err. */
int sparta__converge(sparta__aws_client *c, const sparta__converge_options *o,
                     sparta__converge_result *out, sparta_error_slot *err);

typedef struct sparta__diff_result {
    int stack_exists;
    sparta__cfn_change_set *change_set; /* its changes; change_count 0 when none */
    char *deployed_template;            /* NULL when the stack does not exist */
} sparta__diff_result;

/* diff: a real change set, described, then deleted (with the empty stack
 * CloudFormation creates for a CREATE change set). */
int sparta__converge_diff(sparta__aws_client *c, const sparta__converge_options *o,
                          sparta__diff_result *out, sparta_error_slot *err);
void sparta__diff_result_free(sparta__diff_result *d);

/* status: SPARTA_ENOTFOUND when the stack does not exist. */
int sparta__converge_status(sparta__aws_client *c, const char *stack_name, sparta__cfn_stack **out,
                            sparta_error_slot *err);

/* delete: waits for DELETE_COMPLETE unless no_wait. A stack that does not
 * exist is success (outcome NOT_FOUND). poll may be NULL. */
int sparta__converge_delete(sparta__aws_client *c, const char *stack_name, int no_wait,
                            const sparta__converge_poll *poll, sparta__converge_result *out,
                            sparta_error_slot *err);

/* The no-change check: template (as JSON values), parameters (deployed
 * values against ours or the template's defaults) and tags. 1 when equal;
 * otherwise 0 and `why` says what differs. */
int sparta__converge_up_to_date(const sparta__cfn_stack *deployed, const char *deployed_template,
                                const sparta__converge_options *o, char *why, size_t why_len);

#endif
