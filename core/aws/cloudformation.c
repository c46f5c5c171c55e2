#include "aws/cloudformation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"

#define CFN_VERSION "2010-05-15"

/* Calls the API and parses the XML answer; *result is <ActionResult>. */
static int cfn_call(sparta__aws_client *c, const char *action, const sparta__aws_kvlist *params,
                    sparta__aws_response *r, xmlDocPtr *doc, xmlNodePtr *result, sparta_error_slot *err) {
    *doc = NULL;
    *result = NULL;
    /* calls that change something: see SPARTA__AWS_MUTATING */
    int mutating = !strncmp(action, "Create", 6) || !strncmp(action, "Update", 6) ||
                   !strncmp(action, "Delete", 6) || !strncmp(action, "Execute", 7);
    int rc = sparta__aws_query_call_ex(c, "cloudformation", action, CFN_VERSION, params,
                                       mutating ? SPARTA__AWS_MUTATING : 0, r, err);
    if (rc) return rc;
    *doc = sparta__xml_parse(r->body, r->body_length);
    char name[96];
    snprintf(name, sizeof name, "%sResult", action);
    *result = *doc ? sparta__xml_find(xmlDocGetRootElement(*doc), name) : NULL;
    if (!*doc || (!*result && strcmp(action, "DeleteStack") && strcmp(action, "DeleteChangeSet") &&
                  strcmp(action, "ExecuteChangeSet"))) {
        xmlFreeDoc(*doc);
        *doc = NULL;
        return sparta__error_set(err, SPARTA_EAWS,
                                 "cloudformation %s: the answer is not the XML expected (HTTP %ld, %zu "
                                 "bytes, request ID %s)", action, r->status, r->body_length,
                                 r->request_id ? r->request_id : "none");
    }
    return 0;
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static int is_missing_stack(const sparta__aws_response *r) {
    return r->error_code && !strcmp(r->error_code, "ValidationError") && r->error_message &&
           strstr(r->error_message, "does not exist");
}

static void add_input(sparta__aws_kvlist *p, const sparta__cfn_stack_input *in) {
    sparta__aws_kvlist_add(p, "StackName", in->stack_name);
    if (in->template_url) sparta__aws_kvlist_add(p, "TemplateURL", in->template_url);
    else if (in->template_body) sparta__aws_kvlist_add(p, "TemplateBody", in->template_body);
    char key[96];
    for (size_t i = 0; i < in->parameter_count; i++) {
        snprintf(key, sizeof key, "Parameters.member.%zu.ParameterKey", i + 1);
        sparta__aws_kvlist_add(p, key, in->parameters[i].name);
        snprintf(key, sizeof key, "Parameters.member.%zu.ParameterValue", i + 1);
        sparta__aws_kvlist_add(p, key, in->parameters[i].value);
    }
    for (size_t i = 0; i < in->tag_count; i++) {
        snprintf(key, sizeof key, "Tags.member.%zu.Key", i + 1);
        sparta__aws_kvlist_add(p, key, in->tags[i].name);
        snprintf(key, sizeof key, "Tags.member.%zu.Value", i + 1);
        sparta__aws_kvlist_add(p, key, in->tags[i].value);
    }
    for (size_t i = 0; i < in->capability_count; i++) {
        snprintf(key, sizeof key, "Capabilities.member.%zu", i + 1);
        sparta__aws_kvlist_add(p, key, in->capabilities[i]);
    }
    if (in->rollback && (in->rollback->alarm_count || in->rollback->monitoring_minutes)) {
        for (size_t i = 0; i < in->rollback->alarm_count; i++) {
            snprintf(key, sizeof key, "RollbackConfiguration.RollbackTriggers.member.%zu.Arn", i + 1);
            sparta__aws_kvlist_add(p, key, in->rollback->alarm_arns[i]);
            snprintf(key, sizeof key, "RollbackConfiguration.RollbackTriggers.member.%zu.Type", i + 1);
            const char *type = in->rollback->alarm_types ? in->rollback->alarm_types[i] : NULL;
            sparta__aws_kvlist_add(p, key, type ? type : "AWS::CloudWatch::Alarm");
        }
        sparta__aws_kvlist_addf(p, "RollbackConfiguration.MonitoringTimeInMinutes", "%d",
                                in->rollback->monitoring_minutes);
    }
}

/* ---- DescribeStacks ------------------------------------------------------ */

static void read_pairs(xmlNodePtr list, const char *k, const char *v, sparta__aws_kvlist *into) {
    for (xmlNodePtr m = sparta__xml_find(list, "member"); m; m = sparta__xml_next(m)) {
        char *key = sparta__xml_text(m, k), *value = sparta__xml_text(m, v);
        if (key) sparta__aws_kvlist_add(into, key, value ? value : "");
        free(key);
        free(value);
    }
}

static size_t count_members(xmlNodePtr list) {
    size_t n = 0;
    for (xmlNodePtr m = sparta__xml_find(list, "member"); m; m = sparta__xml_next(m)) n++;
    return n;
}

int sparta__cfn_describe_stack(sparta__aws_client *c, const char *name, sparta__cfn_stack **out,
                               sparta_error_slot *err) {
    *out = NULL;
    sparta__aws_kvlist p = SPARTA__AWS_KVLIST_INIT;
    sparta__aws_kvlist_add(&p, "StackName", name);
    sparta__aws_response r;
    xmlDocPtr doc;
    xmlNodePtr res;
    int rc = cfn_call(c, "DescribeStacks", &p, &r, &doc, &res, err);
    sparta__aws_kvlist_free(&p);
    if (rc) {
        if (is_missing_stack(&r)) {
            rc = 0;
            sparta__error_clear(err);
        }
        sparta__aws_response_free(&r);
        return rc;
    }
    xmlNodePtr m = sparta__xml_find(res, "Stacks/member");
    if (m) {
        sparta__cfn_stack *s = calloc(1, sizeof *s);
        if (!s) {
            xmlFreeDoc(doc);
            sparta__aws_response_free(&r);
            return sparta__error_set(err, SPARTA_ENOMEM, "out of memory");
        }
        s->stack_id = sparta__xml_text(m, "StackId");
        s->name = sparta__xml_text(m, "StackName");
        s->status = sparta__xml_text(m, "StackStatus");
        s->status_reason = sparta__xml_text(m, "StackStatusReason");
        s->description = sparta__xml_text(m, "Description");
        s->creation_time = sparta__xml_text(m, "CreationTime");
        s->last_updated_time = sparta__xml_text(m, "LastUpdatedTime");
        read_pairs(sparta__xml_find(m, "Parameters"), "ParameterKey", "ParameterValue", &s->parameters);
        read_pairs(sparta__xml_find(m, "Tags"), "Key", "Value", &s->tags);
        xmlNodePtr outs = sparta__xml_find(m, "Outputs");
        size_t n = count_members(outs);
        s->outputs = calloc(n ? n : 1, sizeof *s->outputs);
        for (xmlNodePtr o = sparta__xml_find(outs, "member"); o && s->outputs; o = sparta__xml_next(o)) {
            sparta__cfn_output *x = &s->outputs[s->output_count++];
            x->key = sparta__xml_text(o, "OutputKey");
            x->value = sparta__xml_text(o, "OutputValue");
            x->description = sparta__xml_text(o, "Description");
            x->export_name = sparta__xml_text(o, "ExportName");
        }
        xmlNodePtr caps = sparta__xml_find(m, "Capabilities");
        n = count_members(caps);
        s->capabilities = calloc(n ? n : 1, sizeof *s->capabilities);
        for (xmlNodePtr k = sparta__xml_find(caps, "member"); k && s->capabilities; k = sparta__xml_next(k))
            s->capabilities[s->capability_count++] = sparta__xml_text(k, "");
        /* A deleted stack looked up by ID still answers: treat it as gone. */
        if (s->status && !strcmp(s->status, "DELETE_COMPLETE") && strncmp(name, "arn:", 4) != 0) {
            sparta__cfn_stack_free(s);
            s = NULL;
        }
        *out = s;
    }
    xmlFreeDoc(doc);
    sparta__aws_response_free(&r);
    return 0;
}

void sparta__cfn_stack_free(sparta__cfn_stack *s) {
    if (!s) return;
    free(s->stack_id), free(s->name), free(s->status), free(s->status_reason), free(s->description);
    free(s->creation_time), free(s->last_updated_time);
    sparta__aws_kvlist_free(&s->parameters);
    sparta__aws_kvlist_free(&s->tags);
    for (size_t i = 0; i < s->output_count; i++) {
        free(s->outputs[i].key), free(s->outputs[i].value);
        free(s->outputs[i].description), free(s->outputs[i].export_name);
    }
    free(s->outputs);
    for (size_t i = 0; i < s->capability_count; i++) free(s->capabilities[i]);
    free(s->capabilities);
    free(s);
}

/* ---- DescribeStackEvents ----------------------------------------------- */

int sparta__cfn_describe_stack_events(sparta__aws_client *c, const char *stack,
                                      const char *stop_event_id, int max_pages,
                                      sparta__cfn_event_list *out, sparta_error_slot *err) {
    memset(out, 0, sizeof *out);
    char *next = NULL;
    int rc = 0, stop = 0;
    size_t cap = 0;
    for (int page = 0; !stop && (max_pages <= 0 || page < max_pages); page++) {
        sparta__aws_kvlist p = SPARTA__AWS_KVLIST_INIT;
        sparta__aws_kvlist_add(&p, "StackName", stack);
        if (next) sparta__aws_kvlist_add(&p, "NextToken", next);
        free(next);
        next = NULL;
        sparta__aws_response r;
        xmlDocPtr doc;
        xmlNodePtr res;
        rc = cfn_call(c, "DescribeStackEvents", &p, &r, &doc, &res, err);
        sparta__aws_kvlist_free(&p);
        sparta__aws_response_free(&r);
        if (rc) break;
        for (xmlNodePtr m = sparta__xml_find(res, "StackEvents/member"); m; m = sparta__xml_next(m)) {
            char *id = sparta__xml_text(m, "EventId");
            if (stop_event_id && id && !strcmp(id, stop_event_id)) {
                free(id);
                stop = 1;
                break;
            }
            if (out->count == cap) {
                cap = cap ? cap * 2 : 32;
                sparta__cfn_event *n = realloc(out->items, cap * sizeof *n);
                if (!n) {
                    free(id);
                    rc = sparta__error_set(err, SPARTA_ENOMEM, "out of memory");
                    break;
                }
                out->items = n;
            }
            sparta__cfn_event *e = &out->items[out->count++];
            e->event_id = id;
            e->timestamp = sparta__xml_text(m, "Timestamp");
            e->status = sparta__xml_text(m, "ResourceStatus");
            e->resource_type = sparta__xml_text(m, "ResourceType");
            e->logical_id = sparta__xml_text(m, "LogicalResourceId");
            e->physical_id = sparta__xml_text(m, "PhysicalResourceId");
            e->reason = sparta__xml_text(m, "ResourceStatusReason");
        }
        next = rc ? NULL : sparta__xml_text(res, "NextToken");
        xmlFreeDoc(doc);
        if (rc || !next || !*next) break;
    }
    free(next);
    if (rc) sparta__cfn_event_list_free(out);
    return rc;
}

void sparta__cfn_event_list_free(sparta__cfn_event_list *l) {
    for (size_t i = 0; l && i < l->count; i++) {
        sparta__cfn_event *e = &l->items[i];
        free(e->event_id), free(e->timestamp), free(e->status), free(e->resource_type);
        free(e->logical_id), free(e->physical_id), free(e->reason);
    }
    if (l) {
        free(l->items);
        memset(l, 0, sizeof *l);
    }
}

/* ---- templates and change sets ---------------------------------------- */

int sparta__cfn_get_template(sparta__aws_client *c, const char *stack, char **body,
                             sparta_error_slot *err) {
    *body = NULL;
    sparta__aws_kvlist p = SPARTA__AWS_KVLIST_INIT;
    sparta__aws_kvlist_add(&p, "StackName", stack);
    sparta__aws_kvlist_add(&p, "TemplateStage", "Original");
    sparta__aws_response r;
    xmlDocPtr doc;
    xmlNodePtr res;
    int rc = cfn_call(c, "GetTemplate", &p, &r, &doc, &res, err);
    sparta__aws_kvlist_free(&p);
    if (!rc) {
        *body = sparta__xml_text(res, "TemplateBody");
        if (!*body) *body = strdup("");
    }
    xmlFreeDoc(doc);
    sparta__aws_response_free(&r);
    return rc;
}

static void log_retry_took_effect(sparta__aws_client *c, const char *message, const char *stack,
                                  const char *change_set, const char *why) {
    sparta_logger *lg = sparta__aws_client_logger(c);
    if (lg)
        sparta__log(lg, SPARTA_LOG_INFO, message, "stack", stack, "change_set", change_set, "answer", why,
                    (char *)NULL);
}

/* A retried call was answered with an error that means "already done"
 * (AlreadyExistsException, InvalidChangeSetStatus): the first attempt took
 * effect but its answer was lost. Only for a retry: on a first attempt the
 * error is real. */
static int retry_found_done(const sparta__aws_response *r, const char *code) {
    return r->attempts > 1 && r->error_code && !strcmp(r->error_code, code);
}

int sparta__cfn_create_change_set(sparta__aws_client *c, const sparta__cfn_stack_input *in,
                                  const char *change_set_name, const char *change_set_type,
                                  char **change_set_id, char **stack_id, sparta_error_slot *err) {
    if (change_set_id) *change_set_id = NULL;
    if (stack_id) *stack_id = NULL;
    char token[SPARTA__AWS_CLIENT_TOKEN_SIZE];
    sparta__aws_client_token(token); /* one per call: every retry sends the same */
    sparta__aws_kvlist p = SPARTA__AWS_KVLIST_INIT;
    add_input(&p, in);
    sparta__aws_kvlist_add(&p, "ChangeSetName", change_set_name);
    sparta__aws_kvlist_add(&p, "ChangeSetType", change_set_type);
    sparta__aws_kvlist_add(&p, "Description", "Created by sparta");
    sparta__aws_kvlist_add(&p, "ClientToken", token);
    sparta__aws_response r;
    xmlDocPtr doc;
    xmlNodePtr res;
    int rc = cfn_call(c, "CreateChangeSet", &p, &r, &doc, &res, err);
    sparta__aws_kvlist_free(&p);
    if (!rc) {
        if (change_set_id) *change_set_id = sparta__xml_text(res, "Id");
        if (stack_id) *stack_id = sparta__xml_text(res, "StackId");
    } else if (retry_found_done(&r, "AlreadyExistsException")) {
        /* Our change set (its name is ours alone): read what the lost answer said. */
        sparta_error_slot scratch = {0}; /* if it cannot be read, the first error is the one to tell */
        sparta__cfn_change_set *cs = NULL;
        if (sparta__cfn_describe_change_set(c, in->stack_name, change_set_name, &cs, &scratch) == 0) {
            log_retry_took_effect(c, "CreateChangeSet took effect though its answer was lost; using the change set",
                                  in->stack_name, change_set_name, r.error_code);
            if (change_set_id) *change_set_id = dup_or_null(cs->id ? cs->id : change_set_name);
            if (stack_id) *stack_id = dup_or_null(cs->stack_id);
            sparta__cfn_change_set_free(cs);
            sparta__error_clear(err);
            rc = 0;
        }
    }
    xmlFreeDoc(doc);
    sparta__aws_response_free(&r);
    return rc;
}

int sparta__cfn_describe_change_set(sparta__aws_client *c, const char *stack, const char *change_set,
                                    sparta__cfn_change_set **out, sparta_error_slot *err) {
    *out = NULL;
    sparta__cfn_change_set *cs = calloc(1, sizeof *cs);
    if (!cs) return sparta__error_set(err, SPARTA_ENOMEM, "out of memory");
    char *next = NULL;
    size_t cap = 0;
    int rc = 0;
    for (int page = 0; page < 100; page++) { /* bounded: 100 pages of changes is far past any limit */
        sparta__aws_kvlist p = SPARTA__AWS_KVLIST_INIT;
        sparta__aws_kvlist_add(&p, "ChangeSetName", change_set);
        if (stack) sparta__aws_kvlist_add(&p, "StackName", stack);
        if (next) sparta__aws_kvlist_add(&p, "NextToken", next);
        free(next);
        next = NULL;
        sparta__aws_response r;
        xmlDocPtr doc;
        xmlNodePtr res;
        rc = cfn_call(c, "DescribeChangeSet", &p, &r, &doc, &res, err);
        sparta__aws_kvlist_free(&p);
        sparta__aws_response_free(&r);
        if (rc) break;
        if (page == 0) {
            cs->id = sparta__xml_text(res, "ChangeSetId");
            cs->name = sparta__xml_text(res, "ChangeSetName");
            cs->stack_id = sparta__xml_text(res, "StackId");
            cs->status = sparta__xml_text(res, "Status");
            cs->status_reason = sparta__xml_text(res, "StatusReason");
            cs->execution_status = sparta__xml_text(res, "ExecutionStatus");
        }
        for (xmlNodePtr m = sparta__xml_find(res, "Changes/member"); m; m = sparta__xml_next(m)) {
            xmlNodePtr rcn = sparta__xml_find(m, "ResourceChange");
            if (!rcn) continue;
            if (cs->change_count == cap) {
                cap = cap ? cap * 2 : 16;
                sparta__cfn_change *n = realloc(cs->changes, cap * sizeof *n);
                if (!n) {
                    rc = sparta__error_set(err, SPARTA_ENOMEM, "out of memory");
                    break;
                }
                cs->changes = n;
            }
            sparta__cfn_change *ch = &cs->changes[cs->change_count++];
            ch->action = sparta__xml_text(rcn, "Action");
            ch->logical_id = sparta__xml_text(rcn, "LogicalResourceId");
            ch->physical_id = sparta__xml_text(rcn, "PhysicalResourceId");
            ch->resource_type = sparta__xml_text(rcn, "ResourceType");
            ch->replacement = sparta__xml_text(rcn, "Replacement");
        }
        next = rc ? NULL : sparta__xml_text(res, "NextToken");
        xmlFreeDoc(doc);
        if (rc || !next || !*next) break;
    }
    free(next);
    if (rc) {
        sparta__cfn_change_set_free(cs);
        return rc;
    }
    *out = cs;
    return 0;
}

void sparta__cfn_change_set_free(sparta__cfn_change_set *cs) {
    if (!cs) return;
    free(cs->id), free(cs->name), free(cs->stack_id), free(cs->status), free(cs->status_reason);
    free(cs->execution_status);
    for (size_t i = 0; i < cs->change_count; i++) {
        sparta__cfn_change *ch = &cs->changes[i];
        free(ch->action), free(ch->logical_id), free(ch->physical_id), free(ch->resource_type);
        free(ch->replacement);
    }
    free(cs->changes);
    free(cs);
}

/* action with ChangeSetName / StackName, and ClientRequestToken (one per
 * call) when token_param; *r holds the answer for the caller to free. */
static int simple_call(sparta__aws_client *c, const char *action, const char *stack,
                       const char *change_set, int token_param, sparta__aws_response *r,
                       sparta_error_slot *err) {
    sparta__aws_kvlist p = SPARTA__AWS_KVLIST_INIT;
    if (change_set) sparta__aws_kvlist_add(&p, "ChangeSetName", change_set);
    if (stack) sparta__aws_kvlist_add(&p, "StackName", stack);
    char token[SPARTA__AWS_CLIENT_TOKEN_SIZE];
    if (token_param) {
        sparta__aws_client_token(token);
        sparta__aws_kvlist_add(&p, "ClientRequestToken", token);
    }
    xmlDocPtr doc;
    xmlNodePtr res;
    int rc = cfn_call(c, action, &p, r, &doc, &res, err);
    sparta__aws_kvlist_free(&p);
    xmlFreeDoc(doc);
    return rc;
}

int sparta__cfn_execute_change_set(sparta__aws_client *c, const char *stack, const char *change_set,
                                   sparta_error_slot *err) {
    sparta__aws_response r;
    int rc = simple_call(c, "ExecuteChangeSet", stack, change_set, 1, &r, err);
    if (rc && retry_found_done(&r, "InvalidChangeSetStatus")) {
        /* Executing (or executed) already: the first attempt took effect. */
        sparta_error_slot scratch = {0}; /* if it cannot be read, the first error is the one to tell */
        sparta__cfn_change_set *cs = NULL;
        const char *st = NULL;
        if (sparta__cfn_describe_change_set(c, stack, change_set, &cs, &scratch) == 0) st = cs->execution_status;
        if (st && (!strcmp(st, "EXECUTE_IN_PROGRESS") || !strcmp(st, "EXECUTE_COMPLETE"))) {
            log_retry_took_effect(c, "ExecuteChangeSet took effect though its answer was lost", stack, change_set,
                                  st);
            sparta__error_clear(err);
            rc = 0;
        }
        sparta__cfn_change_set_free(cs);
    }
    sparta__aws_response_free(&r);
    return rc;
}

int sparta__cfn_delete_change_set(sparta__aws_client *c, const char *stack, const char *change_set,
                                  sparta_error_slot *err) {
    sparta__aws_response r;
    int rc = simple_call(c, "DeleteChangeSet", stack, change_set, 0, &r, err);
    sparta__aws_response_free(&r);
    return rc;
}

int sparta__cfn_delete_stack(sparta__aws_client *c, const char *stack, sparta_error_slot *err) {
    sparta__aws_response r;
    int rc = simple_call(c, "DeleteStack", stack, NULL, 1, &r, err);
    sparta__aws_response_free(&r);
    return rc;
}

static int stack_call(sparta__aws_client *c, const char *action, const sparta__cfn_stack_input *in,
                      char **stack_id, int *no_updates, sparta_error_slot *err) {
    sparta__aws_kvlist p = SPARTA__AWS_KVLIST_INIT;
    add_input(&p, in);
    char token[SPARTA__AWS_CLIENT_TOKEN_SIZE];
    sparta__aws_client_token(token); /* one per call: every retry sends the same */
    sparta__aws_kvlist_add(&p, "ClientRequestToken", token);
    sparta__aws_response r;
    xmlDocPtr doc;
    xmlNodePtr res;
    int rc = cfn_call(c, action, &p, &r, &doc, &res, err);
    sparta__aws_kvlist_free(&p);
    if (no_updates) *no_updates = 0;
    if (rc && no_updates && r.error_message && strstr(r.error_message, "No updates are to be performed")) {
        *no_updates = 1;
        rc = 0;
        sparta__error_clear(err);
    } else if (!rc && stack_id) {
        *stack_id = sparta__xml_text(res, "StackId");
    }
    xmlFreeDoc(doc);
    sparta__aws_response_free(&r);
    return rc;
}

int sparta__cfn_create_stack(sparta__aws_client *c, const sparta__cfn_stack_input *in, char **stack_id,
                             sparta_error_slot *err) {
    return stack_call(c, "CreateStack", in, stack_id, NULL, err);
}

int sparta__cfn_update_stack(sparta__aws_client *c, const sparta__cfn_stack_input *in, char **stack_id,
                             int *no_updates, sparta_error_slot *err) {
    return stack_call(c, "UpdateStack", in, stack_id, no_updates, err);
}
