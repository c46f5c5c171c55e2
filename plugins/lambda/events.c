/* Event sources: what each one adds to the template.
 *   schedule     AWS::Events::Rule (ScheduleExpression) + AWS::Lambda::Permission
 *   eventBridge  AWS::Events::Rule (EventPattern, optional bus) + permission
 *   sns          AWS::SNS::Subscription + permission (+ AWS::SNS::Topic when named, not an ARN)
 *   sqs          AWS::Lambda::EventSourceMapping (+ AWS::SQS::Queue when named); the role
 *                gets the queue's receive/delete/attributes actions (iam.c)
 *   s3           bucket by name: the stack creates AWS::S3::Bucket with a notification
 *                configuration (one bucket for all functions that name it), which
 *                waits for the permission; bucket by ARN (existing): an EventBridge
 *                rule on the bucket's "Object Created"/... events (the bucket must
 *                have EventBridge notifications turned on) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda.h"

#define API lambda_api

/* A resource several functions may share: a created topic, queue or bucket. */
typedef struct lambda_shared_resource {
    const char *kind;  /* "Topic", "Queue", "Bucket" */
    const char *name;  /* as the user wrote it */
    char id[256];
    sparta_value *properties;
    sparta_value *list; /* buckets: NotificationConfiguration.LambdaConfigurations */
    sparta_resource *resource;
    int64_t visibility; /* queues: the visibility timeout set */
} lambda_shared_resource;

static lambda_shared_resource *shared_find(lambda_build *b, const char *kind, const char *name, int *clash,
                                           char *id, size_t cap) {
    char base[200];
    lambda_logical_base(name, base, sizeof base);
    lambda_format(id, cap, "%s%s", base, kind);
    *clash = 0;
    for (size_t i = 0; i < b->shared_count; i++) {
        lambda_shared_resource *s = &b->shared[i];
        if (strcmp(s->kind, kind) != 0) continue;
        if (strcmp(s->name, name) == 0) return s;
        if (strcmp(s->id, id) == 0) *clash = 1;
    }
    return NULL;
}

static lambda_shared_resource *shared_add(lambda_build *b, const char *kind, const char *name, const char *type,
                                          sparta_value *props) {
    int clash = 0;
    char id[256];
    lambda_shared_resource *found = shared_find(b, kind, name, &clash, id, sizeof id);
    if (found) return found;
    if (clash) {
        API->error(b->plugin, SPARTA_ECONFIG,
                   "two %ss, '%s' and another, both get the logical ID '%s': rename one", kind, name, id);
        return NULL;
    }
    if (b->shared_count == b->shared_capacity) {
        size_t cap = b->shared_capacity ? b->shared_capacity * 2 : 8;
        lambda_shared_resource *grown = realloc(b->shared, cap * sizeof *grown);
        if (!grown) {
            API->error(b->plugin, SPARTA_ENOMEM, "out of memory");
            return NULL;
        }
        b->shared = grown;
        b->shared_capacity = cap;
    }
    sparta_resource *r = API->resource_add(b->plugin, b->graph, id, type, props);
    if (!r) return NULL;
    lambda_shared_resource *s = &b->shared[b->shared_count++];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->name = name;
    lambda_format(s->id, sizeof s->id, "%s", id);
    s->properties = props;
    s->resource = r;
    return s;
}

void lambda_build_free(lambda_build *b) {
    free(b->shared);
    b->shared = NULL;
    b->shared_count = b->shared_capacity = 0;
}

static sparta_value *function_arn(lambda_build *b, const lambda_ids *ids) {
    return API->get_att(b->graph, ids->function, "Arn");
}

static int add_permission(lambda_build *b, const lambda_ids *ids, const char *id, const char *principal,
                          sparta_value *source_arn, int with_account) {
    sparta_graph *g = b->graph;
    sparta_value *props = API->new_object(g);
    API->object_set(props, "Action", API->new_string(g, "lambda:InvokeFunction"));
    API->object_set(props, "FunctionName", function_arn(b, ids));
    API->object_set(props, "Principal", API->new_string(g, principal));
    API->object_set(props, "SourceArn", source_arn);
    if (with_account) API->object_set(props, "SourceAccount", API->ref(g, "AWS::AccountId"));
    return API->resource_add(b->plugin, g, id, "AWS::Lambda::Permission", props) ? 0 : SPARTA_EGRAPH;
}

/* An EventBridge rule that targets the function, and its permission. */
static int add_rule(lambda_build *b, const lambda_ids *ids, const char *prefix, sparta_value *rule_props) {
    sparta_graph *g = b->graph;
    char rule_id[300], permission_id[300], target_id[65];
    lambda_format(rule_id, sizeof rule_id, "%sRule", prefix);
    lambda_format(permission_id, sizeof permission_id, "%sPermission", prefix);
    size_t n = strlen(ids->function);
    if (n >= sizeof target_id) n = sizeof target_id - 1; /* a target Id holds at most 64 characters */
    memcpy(target_id, ids->function, n);
    target_id[n] = '\0';
    API->object_set(rule_props, "State", API->new_string(g, "ENABLED"));
    sparta_value *target = API->new_object(g);
    API->object_set(target, "Arn", function_arn(b, ids));
    API->object_set(target, "Id", API->new_string(g, target_id));
    sparta_value *targets = API->new_array(g);
    API->array_push(targets, target);
    API->object_set(rule_props, "Targets", targets);
    if (!API->resource_add(b->plugin, g, rule_id, "AWS::Events::Rule", rule_props)) return SPARTA_EGRAPH;
    return add_permission(b, ids, permission_id, "events.amazonaws.com", API->get_att(g, rule_id, "Arn"), 0);
}

/* Event pattern values must be lists: a scalar leaf becomes a one-item list,
 * so `source = "aws.ec2";` works as `source = [ "aws.ec2" ];`. */
static sparta_value *pattern_copy(sparta_graph *g, const sparta_value *v) {
    sparta_value_type t = API->value_type(v);
    if (t == SPARTA_VALUE_OBJECT) {
        sparta_value *o = API->new_object(g);
        for (size_t i = 0; i < API->value_count(v); i++) {
            const sparta_value *child = API->value_at(v, i);
            sparta_value_type ct = API->value_type(child);
            sparta_value *c;
            if (ct == SPARTA_VALUE_OBJECT || ct == SPARTA_VALUE_ARRAY) {
                c = ct == SPARTA_VALUE_OBJECT ? pattern_copy(g, child) : API->copy(g, child);
            } else {
                c = API->new_array(g);
                API->array_push(c, API->copy(g, child));
            }
            API->object_set(o, API->value_key_at(v, i), c);
        }
        return o;
    }
    return API->copy(g, v);
}

static int build_schedule(lambda_build *b, const lambda_function *f, const lambda_ids *ids, const lambda_event *e) {
    sparta_graph *g = b->graph;
    char prefix[300];
    lambda_format(prefix, sizeof prefix, "%sSchedule%d", f->id, e->index);
    sparta_value *props = API->new_object(g);
    API->object_set(props, "Description", API->new_stringf(g, "%s: %s", f->name, e->expression));
    API->object_set(props, "ScheduleExpression", API->new_string(g, e->expression));
    return add_rule(b, ids, prefix, props);
}

static int build_eventbridge(lambda_build *b, const lambda_function *f, const lambda_ids *ids,
                             const lambda_event *e) {
    sparta_graph *g = b->graph;
    char prefix[300];
    lambda_format(prefix, sizeof prefix, "%sEventBridge%d", f->id, e->index);
    sparta_value *props = API->new_object(g);
    API->object_set(props, "Description", API->new_stringf(g, "%s: event pattern %d", f->name, e->index));
    if (e->event_bus) API->object_set(props, "EventBusName", lambda_text_value(g, e->event_bus));
    API->object_set(props, "EventPattern", pattern_copy(g, e->pattern));
    return add_rule(b, ids, prefix, props);
}

static int build_sns(lambda_build *b, const lambda_function *f, const lambda_ids *ids, const lambda_event *e) {
    sparta_graph *g = b->graph;
    sparta_value *topic_arn;
    if (e->create) {
        char topic_name[257];
        lambda_physical_name(b->stack, e->target, 256, topic_name, sizeof topic_name);
        sparta_value *props = API->new_object(g);
        API->object_set(props, "TopicName", lambda_stack_scoped_name(g, b->stack, "", topic_name, e->target, ""));
        lambda_shared_resource *s = shared_add(b, "Topic", e->target, "AWS::SNS::Topic", props);
        if (!s) return SPARTA_EGRAPH;
        topic_arn = API->ref(g, s->id);
    } else {
        topic_arn = lambda_text_value(g, e->target);
    }
    char id[300];
    lambda_format(id, sizeof id, "%sSns%dSubscription", f->id, e->index);
    sparta_value *props = API->new_object(g);
    API->object_set(props, "Protocol", API->new_string(g, "lambda"));
    API->object_set(props, "TopicArn", topic_arn);
    API->object_set(props, "Endpoint", function_arn(b, ids));
    if (e->filter_policy) API->object_set(props, "FilterPolicy", pattern_copy(g, e->filter_policy));
    if (!API->resource_add(b->plugin, g, id, "AWS::SNS::Subscription", props)) return SPARTA_EGRAPH;
    lambda_format(id, sizeof id, "%sSns%dPermission", f->id, e->index);
    return add_permission(b, ids, id, "sns.amazonaws.com", API->copy(g, topic_arn), 0);
}

sparta_value *lambda_sqs_queue_arn(lambda_build *b, const lambda_function *f, const lambda_event *e) {
    sparta_graph *g = b->graph;
    if (!e->create) return lambda_text_value(g, e->target);
    /* Lambda refuses a mapping whose queue hides messages for less time than
     * the function may run; AWS recommends six times the timeout. */
    int64_t visibility = f->timeout * 6 < 30 ? 30 : f->timeout * 6;
    if (visibility > 43200) visibility = 43200;
    int clash = 0;
    char id[256];
    lambda_shared_resource *s = shared_find(b, "Queue", e->target, &clash, id, sizeof id);
    if (!s) {
        size_t n = strlen(e->target);
        int fifo = n > 5 && strcmp(e->target + n - 5, ".fifo") == 0;
        char base[128], queue_name[81];
        lambda_format(base, sizeof base, "%.*s", (int)(fifo ? n - 5 : n), e->target);
        lambda_physical_name(b->stack, base, fifo ? 75 : 80, queue_name, sizeof queue_name);
        sparta_value *props = API->new_object(g);
        API->object_set(props, "QueueName", lambda_stack_scoped_name(g, b->stack, "", queue_name, base, fifo ? ".fifo" : ""));
        if (fifo) API->object_set(props, "FifoQueue", API->new_bool(g, 1));
        s = shared_add(b, "Queue", e->target, "AWS::SQS::Queue", props);
        if (!s) return NULL;
    }
    if (visibility > s->visibility) {
        s->visibility = visibility;
        API->object_set(s->properties, "VisibilityTimeout", API->new_int(g, visibility));
    }
    return API->get_att(g, s->id, "Arn");
}

static int build_sqs(lambda_build *b, const lambda_function *f, const lambda_ids *ids, const lambda_event *e) {
    sparta_graph *g = b->graph;
    sparta_value *queue_arn = lambda_sqs_queue_arn(b, f, e);
    if (!queue_arn) return SPARTA_EGRAPH;
    char id[300];
    lambda_format(id, sizeof id, "%sSqs%dMapping", f->id, e->index);
    sparta_value *props = API->new_object(g);
    API->object_set(props, "EventSourceArn", queue_arn);
    API->object_set(props, "FunctionName", API->ref(g, ids->function));
    API->object_set(props, "BatchSize", API->new_int(g, e->batch_size));
    if (e->batch_window >= 0)
        API->object_set(props, "MaximumBatchingWindowInSeconds", API->new_int(g, e->batch_window));
    if (!e->enabled) API->object_set(props, "Enabled", API->new_bool(g, 0));
    return API->resource_add(b->plugin, g, id, "AWS::Lambda::EventSourceMapping", props) ? 0 : SPARTA_EGRAPH;
}

static sparta_value *key_filter_rules(sparta_graph *g, const lambda_event *e) {
    sparta_value *rules = API->new_array(g);
    const char *names[2] = {"prefix", "suffix"};
    const char *values[2] = {e->prefix, e->suffix};
    for (int i = 0; i < 2; i++) {
        if (!values[i]) continue;
        sparta_value *rule = API->new_object(g);
        API->object_set(rule, "Name", API->new_string(g, names[i]));
        API->object_set(rule, "Value", API->new_string(g, values[i]));
        API->array_push(rules, rule);
    }
    return rules;
}

/* A bucket this stack creates: its notification waits for the permission. */
static int build_s3_created(lambda_build *b, const lambda_function *f, const lambda_ids *ids, const lambda_event *e) {
    sparta_graph *g = b->graph;
    char permission_id[300];
    lambda_format(permission_id, sizeof permission_id, "%sS3%dPermission", f->id, e->index);
    int rc = add_permission(b, ids, permission_id, "s3.amazonaws.com",
                            API->sub(g, API->value_string(API->new_stringf(g, "arn:${AWS::Partition}:s3:::%s", e->bucket))), 1);
    if (rc != 0) return rc;
    int clash = 0;
    char id[256];
    lambda_shared_resource *s = shared_find(b, "Bucket", e->bucket, &clash, id, sizeof id);
    if (!s) {
        sparta_value *props = API->new_object(g);
        API->object_set(props, "BucketName", API->new_string(g, e->bucket));
        sparta_value *block = API->new_object(g);
        static const char *const flags[] = {"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls",
                                            "RestrictPublicBuckets"};
        for (int i = 0; i < 4; i++) API->object_set(block, flags[i], API->new_bool(g, 1));
        API->object_set(props, "PublicAccessBlockConfiguration", block);
        sparta_value *list = API->new_array(g);
        sparta_value *notification = API->new_object(g);
        API->object_set(notification, "LambdaConfigurations", list);
        API->object_set(props, "NotificationConfiguration", notification);
        s = shared_add(b, "Bucket", e->bucket, "AWS::S3::Bucket", props);
        if (!s) return SPARTA_EGRAPH;
        s->list = list;
    }
    for (size_t i = 0; i < e->s3_event_count; i++) {
        sparta_value *config = API->new_object(g);
        API->object_set(config, "Event", API->new_string(g, e->s3_events[i]));
        API->object_set(config, "Function", function_arn(b, ids));
        if (e->prefix || e->suffix) {
            sparta_value *key = API->new_object(g);
            API->object_set(key, "Rules", key_filter_rules(g, e));
            sparta_value *filter = API->new_object(g);
            API->object_set(filter, "S3Key", key);
            API->object_set(config, "Filter", filter);
        }
        API->array_push(s->list, config);
    }
    return API->resource_depends_on(s->resource, permission_id);
}

static const char *s3_detail_type(const char *event) {
    static const char *const map[][2] = {{"s3:ObjectCreated:*", "Object Created"},
                                         {"s3:ObjectRemoved:*", "Object Deleted"},
                                         {"s3:ObjectRestore:Post", "Object Restore Initiated"},
                                         {"s3:ObjectRestore:Completed", "Object Restore Completed"},
                                         {"s3:ObjectAcl:Put", "Object ACL Updated"}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strcmp(event, map[i][0]) == 0) return map[i][1];
    return NULL;
}

/* An existing bucket: S3 sends its events to EventBridge's default bus. */
static int build_s3_existing(lambda_build *b, const lambda_function *f, const lambda_ids *ids,
                             const lambda_event *e) {
    sparta_graph *g = b->graph;
    sparta_value *pattern = API->new_object(g);
    sparta_value *source = API->new_array(g);
    API->array_push(source, API->new_string(g, "aws.s3"));
    API->object_set(pattern, "source", source);
    sparta_value *types = API->new_array(g);
    const char *seen[16];
    size_t seen_count = 0;
    for (size_t i = 0; i < e->s3_event_count; i++) {
        const char *type = s3_detail_type(e->s3_events[i]);
        int dup = 0;
        for (size_t k = 0; k < seen_count; k++)
            if (strcmp(seen[k], type) == 0) dup = 1;
        if (dup || !type) continue;
        seen[seen_count++] = type;
        API->array_push(types, API->new_string(g, type));
    }
    API->object_set(pattern, "detail-type", types);
    sparta_value *detail = API->new_object(g);
    sparta_value *bucket = API->new_object(g);
    sparta_value *names = API->new_array(g);
    API->array_push(names, API->new_string(g, e->bucket));
    API->object_set(bucket, "name", names);
    API->object_set(detail, "bucket", bucket);
    if (e->prefix || e->suffix) {
        sparta_value *match = API->new_object(g);
        if (e->prefix && e->suffix)
            API->object_set(match, "wildcard", API->new_stringf(g, "%s*%s", e->prefix, e->suffix));
        else if (e->prefix)
            API->object_set(match, "prefix", API->new_string(g, e->prefix));
        else
            API->object_set(match, "suffix", API->new_string(g, e->suffix));
        sparta_value *keys = API->new_array(g);
        API->array_push(keys, match);
        sparta_value *object = API->new_object(g);
        API->object_set(object, "key", keys);
        API->object_set(detail, "object", object);
    }
    API->object_set(pattern, "detail", detail);
    char prefix[300];
    lambda_format(prefix, sizeof prefix, "%sS3%d", f->id, e->index);
    sparta_value *props = API->new_object(g);
    API->object_set(props, "Description", API->new_stringf(g, "%s: S3 events from %s", f->name, e->bucket));
    API->object_set(props, "EventPattern", pattern);
    return add_rule(b, ids, prefix, props);
}

int lambda_build_events(lambda_build *b, const lambda_function *f, const lambda_ids *ids) {
    for (size_t i = 0; i < f->event_count; i++) {
        const lambda_event *e = &f->events[i];
        int rc = 0;
        switch (e->kind) {
        case LAMBDA_EVENT_SCHEDULE: rc = build_schedule(b, f, ids, e); break;
        case LAMBDA_EVENT_EVENTBRIDGE: rc = build_eventbridge(b, f, ids, e); break;
        case LAMBDA_EVENT_SNS: rc = build_sns(b, f, ids, e); break;
        case LAMBDA_EVENT_SQS: rc = build_sqs(b, f, ids, e); break;
        case LAMBDA_EVENT_S3: rc = e->existing ? build_s3_existing(b, f, ids, e) : build_s3_created(b, f, ids, e); break;
        default: break;
        }
        if (rc != 0) return rc;
    }
    return 0;
}
