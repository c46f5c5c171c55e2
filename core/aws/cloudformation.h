/* CloudFormation's Query API (form POST, Version=2010-05-15, XML answers)
 * as plain C structs. Every _describe/_get fills a struct the caller frees
 * with the matching _free. */
#ifndef SPARTA_AWS_CLOUDFORMATION_H
#define SPARTA_AWS_CLOUDFORMATION_H

#include <stddef.h>

#include "aws/http.h"

typedef struct sparta__cfn_output {
    char *key, *value, *description, *export_name;
} sparta__cfn_output;

typedef struct sparta__cfn_stack {
    char *stack_id, *name, *status, *status_reason, *description;
    char *creation_time, *last_updated_time; /* ISO 8601 as AWS sends them; may be NULL */
    sparta__aws_kvlist parameters;           /* ParameterKey -> ParameterValue */
    sparta__aws_kvlist tags;
    sparta__cfn_output *outputs;
    size_t output_count;
    char **capabilities;
    size_t capability_count;
} sparta__cfn_stack;

typedef struct sparta__cfn_event {
    char *event_id, *timestamp, *status, *resource_type, *logical_id, *physical_id, *reason;
} sparta__cfn_event;

typedef struct sparta__cfn_event_list {
    sparta__cfn_event *items; /* newest first, as AWS returns them */
    size_t count;
} sparta__cfn_event_list;

typedef struct sparta__cfn_change {
    char *action, *logical_id, *physical_id, *resource_type, *replacement;
} sparta__cfn_change;

typedef struct sparta__cfn_change_set {
    char *id, *name, *stack_id, *status, *status_reason, *execution_status;
    sparta__cfn_change *changes;
    size_t change_count;
} sparta__cfn_change_set;

typedef struct sparta__cfn_rollback_config {
    const char *const *alarm_arns;  /* CloudWatch alarms that roll the update back */
    const char *const *alarm_types; /* per alarm; NULL (or a NULL entry): AWS::CloudWatch::Alarm */
    size_t alarm_count;
    int monitoring_minutes;         /* 0..180 */
} sparta__cfn_rollback_config;

/* What CreateStack, UpdateStack and CreateChangeSet share. */
typedef struct sparta__cfn_stack_input {
    const char *stack_name;
    const char *template_body;      /* one of body / url */
    const char *template_url;
    const sparta__aws_kv *parameters;
    size_t parameter_count;
    const sparta__aws_kv *tags;
    size_t tag_count;
    const char *const *capabilities;
    size_t capability_count;
    const sparta__cfn_rollback_config *rollback; /* may be NULL */
} sparta__cfn_stack_input;

/* *out NULL (and 0 returned) when the stack does not exist. */
int sparta__cfn_describe_stack(sparta__aws_client *c, const char *name, sparta__cfn_stack **out,
                               sparta_error_slot *err);
void sparta__cfn_stack_free(sparta__cfn_stack *s);

/* Pages through events, newest first, until `stop_event_id` is seen (not
 * included) or max_pages pages were read (0: all). */
int sparta__cfn_describe_stack_events(sparta__aws_client *c, const char *stack,
                                      const char *stop_event_id, int max_pages,
                                      sparta__cfn_event_list *out, sparta_error_slot *err);
void sparta__cfn_event_list_free(sparta__cfn_event_list *l);

/* Original template body of the stack; caller frees. */
int sparta__cfn_get_template(sparta__aws_client *c, const char *stack, char **body,
                             sparta_error_slot *err);

/* The mutating calls below send an idempotency token made once per call
 * (ClientToken for CreateChangeSet, ClientRequestToken for the others but
 * DeleteChangeSet), the same on every retry of that call. */

/* change_set_type "CREATE" or "UPDATE"; ids returned are owned by the
 * caller. change_set_name must be unique to this call: when a retry is
 * answered AlreadyExistsException (the first attempt made the change set,
 * its answer was lost), the change set of that name is described and its ids
 * returned as success. */
int sparta__cfn_create_change_set(sparta__aws_client *c, const sparta__cfn_stack_input *in,
                                  const char *change_set_name, const char *change_set_type,
                                  char **change_set_id, char **stack_id, sparta_error_slot *err);
/* All pages of changes. */
int sparta__cfn_describe_change_set(sparta__aws_client *c, const char *stack, const char *change_set,
                                    sparta__cfn_change_set **out, sparta_error_slot *err);
void sparta__cfn_change_set_free(sparta__cfn_change_set *cs);
/* A retry answered InvalidChangeSetStatus while the change set is
 * EXECUTE_IN_PROGRESS or EXECUTE_COMPLETE is success: the first attempt
 * started it. */
int sparta__cfn_execute_change_set(sparta__aws_client *c, const char *stack, const char *change_set,
                                   sparta_error_slot *err);
int sparta__cfn_delete_change_set(sparta__aws_client *c, const char *stack, const char *change_set,
                                  sparta_error_slot *err);

int sparta__cfn_create_stack(sparta__aws_client *c, const sparta__cfn_stack_input *in, char **stack_id,
                             sparta_error_slot *err);
/* *no_updates set (and 0 returned) when CloudFormation says there is
 * nothing to update. */
int sparta__cfn_update_stack(sparta__aws_client *c, const sparta__cfn_stack_input *in, char **stack_id,
                             int *no_updates, sparta_error_slot *err);
int sparta__cfn_delete_stack(sparta__aws_client *c, const char *stack, sparta_error_slot *err);

#endif
