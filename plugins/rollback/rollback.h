/* The rollback plugin: CloudWatch alarms on every Lambda function's Errors
 * and Throttles, handed to CloudFormation as rollback triggers on every
 * deploy after the first, plus the commands a pipeline needs to gate a
 * promotion on those alarms (`sparta alarms`, `sparta alarms watch`). */
#ifndef SPARTA_ROLLBACK_H
#define SPARTA_ROLLBACK_H

#include <stddef.h>
#include <stdint.h>
#include <sparta/plugin.h>
#include <sparta/text.h>

#ifndef ROLLBACK_SPARTA_VERSION
#define ROLLBACK_SPARTA_VERSION "0.0.0"
#endif

extern const sparta_host_api *rb_api;

/* CloudFormation's and CloudWatch's limits. */
#define RB_MAX_TRIGGERS 5            /* RollbackConfiguration.RollbackTriggers */
#define RB_MAX_MONITORING_MINUTES 180
#define RB_STACK_NAME_MAX 128
#define RB_ALARM_NAME_MAX 255
#define RB_LOGICAL_ID_MAX 255
#define RB_COMPOSITE_CHILDREN_MAX 100
#define RB_ALARM_RULE_MAX 10240
#define RB_DEFAULT_MONITORING_MINUTES 5

/* ---- settings (sparta.cfg group "rollback") ---- */

typedef struct rb_alarm_settings {
    int enabled;
    double threshold;        /* alarm when Sum > threshold */
    int period;              /* seconds */
    int evaluation_periods;
    int datapoints_to_alarm; /* 0: every evaluated period (CloudWatch's default) */
} rb_alarm_settings;

typedef struct rb_list {
    const char **items;
    size_t count;
} rb_list;

typedef struct rb_settings {
    int monitoring_minutes;
    rb_alarm_settings errors, throttles;
    rb_list extra_arns;
    int create_topic;  /* an SNS topic in the stack for notifications */
    rb_list emails;    /* email subscriptions on it */
    rb_list topic_arns;/* existing topics to notify too */
    int ok_actions;    /* notify on recovery too */
} rb_settings;

extern const sparta_schema_field rb_schema[];
extern const size_t rb_schema_count;

/* Reads and range-checks the group, all problems at once with sparta.cfg:line. */
int rb_settings_read(sparta_plugin *p, rb_settings *out);
/* The same at CONFIGURE, which also logs the warnings (once a run, not at
 * every phase that reads the settings again). */
int rb_settings_check(sparta_plugin *p);
void rb_settings_free(rb_settings *s);
/* Are notifications configured (own topic or existing ones)? */
int rb_settings_notify(const rb_settings *s);
/* The alarm names of the valid rollback.extraAlarmArns, pointing into the
 * ARNs themselves (free out->items only). 0, or -1 when out of memory. */
int rb_settings_extra_names(const rb_settings *s, rb_list *out);

/* ---- ARNs ---- */

typedef struct rb_arn {
    char partition[32];
    char service[32];
    char region[32];
    char account[16];
    char resource[512]; /* everything after the account */
} rb_arn;

/* Splits arn:partition:service:region:account:resource; 0 or -1. */
int rb_arn_parse(const char *text, rb_arn *out);
/* arn:aws[a-z-]*:cloudwatch:<region>:<12 digits>:alarm:<name>. Returns
 * NULL when valid, else why not. */
const char *rb_arn_check_alarm(const char *text, rb_arn *out);
const char *rb_arn_check_topic(const char *text, rb_arn *out);
/* The alarm name of a valid alarm ARN. */
const char *rb_arn_alarm_name(const rb_arn *arn);

/* ---- names ---- */

/* The function part of an alarm name: its FunctionName without a leading
 * "<stack>-", or its logical ID; cut (with a hash) to fit alarm names. */
char *rb_function_display(const char *function_name, const char *logical_id, const char *stack);
/* Alphanumeric logical ID "<base><suffix>", cut with a hash to 255. */
char *rb_logical_id(const char *base, const char *suffix);

/* ---- the plan: which alarms the stack gets ---- */

/* Alarm names are "<stack>-alarm.<function>.<Metric>": inside the
 * "<stack>-*" names the pipeline's deploy role may manage, and, as stack
 * names have no '.', the prefix "<stack>-alarm." matches no other stack's. */
#define RB_NAME_INFIX "-alarm."
void rb_alarm_name(sparta_text *out, const char *stack, const char *suffix);

typedef struct rb_alarm {
    char *logical_id;
    char *suffix;          /* the alarm name is "<stack>-alarm.<suffix>" */
    int composite;
    const char *metric;    /* "Errors", "Throttles"; NULL for a composite */
    rb_alarm_settings limits;
    char *function_id;     /* the function's logical ID */
    char *function_name;   /* its literal FunctionName, or NULL */
    int name_follows_stack; /* FunctionName is "${AWS::StackName}-x": function_name is this stack's */
    char *display;
    size_t first_child, child_count; /* a composite's alarms, in plan->alarms */
    int over_composites;   /* the root over composite alarms of parts */
} rb_alarm;

typedef struct rb_plan {
    int ready;             /* DECORATE ran in this process */
    rb_alarm *alarms;      /* metric alarms first, then composites */
    size_t count, capacity;
    size_t metric_count;
    int use_composite;     /* the trigger is a composite alarm, not the metric alarms */
} rb_plan;

typedef struct rb_state {
    rb_plan plan;
} rb_state;

#define RB_TOPIC_ID "RollbackAlarmTopic"

void rb_plan_free(rb_plan *plan);
/* DECORATE: plans the alarms and adds them (and the topic) to the graph. */
int rb_decorate(sparta_plugin *p, sparta_graph *g, void *state);
int rb_configure(sparta_plugin *p, sparta_graph *g, void *state);
/* The alarms CloudFormation watches: [first, first + count) of plan->alarms:
 * the metric alarms themselves, or the one composite alarm over them all. */
void rb_plan_triggers(const rb_plan *plan, size_t *first, size_t *count);
/* Text shared by the template and `sparta alarms`. */
void rb_alarm_description(const rb_alarm *a, sparta_text *out);
/* A composite's rule. With `stack` NULL the children are ${LogicalId}
 * references for Fn::Sub; otherwise their resolved names. */
void rb_alarm_rule(const rb_plan *plan, const rb_alarm *a, const char *stack, sparta_text *out);

/* ---- the deployed stack ---- */

typedef struct rb_stack_info {
    int deployed;          /* exists and is not REVIEW_IN_PROGRESS / DELETE_COMPLETE */
    char partition[32];
    char region[32];
    char account[16];
} rb_stack_info;

/* What the host knows of the stack; the region falls back to `region`. */
void rb_stack_info_read(sparta_plugin *p, const char *stack, const char *region, rb_stack_info *out);
/* PhysicalResourceId of a resource of a deployed stack, or NULL (free it). */
char *rb_physical_id(sparta_plugin *p, const char *stack, const char *logical_id);
/* The region: --region, then service.region / AWS_REGION. NULL if none. */
const char *rb_region(sparta_plugin *p, const sparta_invocation *inv);
int rb_has_aws(void);

/* ---- CloudWatch DescribeAlarms ---- */

typedef struct rb_alarm_status {
    char *name;
    char *state;  /* OK, ALARM, INSUFFICIENT_DATA */
    char *reason;
} rb_alarm_status;

typedef struct rb_alarm_list {
    rb_alarm_status *items;
    size_t count, capacity;
} rb_alarm_list;

/* Metric and composite alarms whose names start with `prefix` (if not NULL)
 * plus those named in `names`. */
int rb_describe_alarms(sparta_plugin *p, const char *prefix, const rb_list *names, rb_alarm_list *out);
const rb_alarm_status *rb_alarm_list_find(const rb_alarm_list *l, const char *name);
void rb_alarm_list_free(rb_alarm_list *l);

/* ---- tiny XML reading (AWS Query API answers) ---- */

/* The unescaped text of the first <tag>...</tag> in [begin, end), or NULL.
 * *after points past the closing tag. Caller frees. */
char *rb_xml_text(const char *begin, const char *end, const char *tag, const char **after);

/* ---- hooks and commands ---- */

int rb_converge(sparta_plugin *p, sparta_graph *g, void *state);
int rb_command_alarms(sparta_plugin *p, const sparta_invocation *inv, void *state);
int rb_command_watch(sparta_plugin *p, const sparta_invocation *inv, void *state);

#endif
