/* Reads the `codepipeline` group: the environments the pipeline deploys in
 * order, their variables (each a String parameter of the service template),
 * approvals, stack names, tags and stack policies. Every problem is
 * reported, each with its file and line. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codepipeline.h"

#define G "codepipeline"

static int environment_name_valid(const char *name) {
    size_t n = strlen(name);
    if (n == 0 || n > 64 || !isalpha((unsigned char)name[0])) return 0;
    for (const char *q = name; *q; q++)
        if (!isalnum((unsigned char)*q) && *q != '-') return 0;
    return 1;
}

/* Lambda accepts [a-zA-Z]([a-zA-Z0-9_])+ and reserves AWS_*, LAMBDA_* and _*. */
static const char *variable_name_problem(const char *name) {
    size_t n = strlen(name);
    if (n < 2 || !isalpha((unsigned char)name[0]))
        return "is not a valid name: a letter, then letters, digits or '_' (at least 2 characters)";
    for (const char *q = name; *q; q++)
        if (!isalnum((unsigned char)*q) && *q != '_')
            return "is not a valid name: a letter, then letters, digits or '_' (at least 2 characters)";
    if (strncmp(name, "AWS_", 4) == 0 || strncmp(name, "LAMBDA_", 7) == 0)
        return "is reserved by Lambda (AWS_* and LAMBDA_*): rename it";
    return NULL;
}

/* The parameter of a variable: its name without '_' (LOG_LEVEL -> LOGLEVEL),
 * because CloudFormation parameter names are letters and digits only. */
static int parameter_name(const char *variable, char *out, size_t cap) {
    size_t n = 0;
    for (const char *q = variable; *q; q++) {
        if (*q == '_') continue;
        if (n + 1 >= cap) return -1;
        out[n++] = *q;
    }
    out[n] = '\0';
    return n ? 0 : -1;
}

static const char *value_text(const sparta_value *v, char *buf, size_t cap) {
    switch (API->value_type(v)) {
    case SPARTA_VALUE_STRING: return API->value_string(v);
    case SPARTA_VALUE_INT: snprintf(buf, cap, "%" PRId64, API->value_int(v)); return buf;
    case SPARTA_VALUE_DOUBLE: snprintf(buf, cap, "%.17g", API->value_double(v)); return buf;
    case SPARTA_VALUE_BOOL: return API->value_bool(v) ? "true" : "false";
    default: return NULL;
    }
}

static int add_key(cp_config *c, const char *name, size_t capacity) {
    for (size_t i = 0; i < c->key_count; i++)
        if (strcmp(c->keys[i].name, name) == 0) return 0;
    if (c->key_count >= capacity) return -1;
    cp_key *k = &c->keys[c->key_count++];
    k->name = name;
    parameter_name(name, k->parameter, sizeof k->parameter);
    return 0;
}

static void read_variables(sparta_plugin *p, cp_environment *env, const sparta_value *vars, const char *path,
                           codebuild_problems *pr) {
    if (!vars) return;
    if (API->value_type(vars) != SPARTA_VALUE_OBJECT) {
        codebuild_problem(pr, p, vars, path, "must be a group: variables = { LOG_LEVEL = \"info\"; };");
        return;
    }
    size_t n = API->value_count(vars);
    env->variables = calloc(n + 1, sizeof *env->variables);
    if (!env->variables) {
        pr->text.failed = 1; /* out of memory: cp_config_read returns SPARTA_ENOMEM */
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = API->value_key_at(vars, i);
        const sparta_value *v = API->value_at(vars, i);
        const char *problem = variable_name_problem(name);
        if (problem) {
            codebuild_problem(pr, p, v, path, "'%s' %s", name, problem);
            continue;
        }
        cp_variable *var = &env->variables[env->variable_count];
        var->name = name;
        var->at = v;
        var->value = value_text(v, var->number, sizeof var->number);
        if (!var->value) {
            codebuild_problem(pr, p, v, path, "%s must be a string, a number or a boolean", name);
            continue;
        }
        env->variable_count++;
    }
}

static void read_tags(sparta_plugin *p, cp_environment *env, const sparta_value *tags, const char *path,
                      codebuild_problems *pr) {
    if (!tags) return;
    if (API->value_type(tags) != SPARTA_VALUE_OBJECT) {
        codebuild_problem(pr, p, tags, path, "must be a group: tags = { team = \"payments\"; };");
        return;
    }
    for (size_t i = 0; i < API->value_count(tags); i++) {
        const char *key = API->value_key_at(tags, i);
        const char *value = API->value_string(API->value_at(tags, i));
        if (!value) codebuild_problem(pr, p, API->value_at(tags, i), path, "%s must be a string", key);
        else if (strncmp(key, "aws:", 4) == 0)
            codebuild_problem(pr, p, API->value_at(tags, i), path, "'%s': the aws: prefix is reserved by AWS", key);
        else if (strlen(key) > 128 || strlen(value) > 256)
            codebuild_problem(pr, p, API->value_at(tags, i), path,
                              "'%s': tag keys are at most 128 characters, values at most 256", key);
    }
    env->tags = tags;
}

static void read_stack_policy(sparta_plugin *p, cp_environment *env, const sparta_value *policy, const char *path,
                              codebuild_problems *pr) {
    if (!policy) return;
    const sparta_value *statements = API->value_get(policy, "Statement");
    if (API->value_type(policy) != SPARTA_VALUE_OBJECT || API->value_type(statements) != SPARTA_VALUE_ARRAY ||
        API->value_count(statements) == 0) {
        codebuild_problem(pr, p, policy, path,
                          "must be a stack policy group with a Statement list: stackPolicy = { Statement = ( { "
                          "Effect = \"Allow\"; Action = \"Update:*\"; Principal = \"*\"; Resource = \"*\"; } ); };");
        return;
    }
    env->stack_policy = policy;
}

static void read_environment(sparta_plugin *p, cp_config *c, size_t index, const sparta_value *e,
                             codebuild_problems *pr, size_t key_capacity) {
    char path[96];
    snprintf(path, sizeof path, G ".environments.[%zu]", index);
    cp_environment *env = &c->environments[c->environment_count++];
    env->at = e;
    if (API->value_type(e) != SPARTA_VALUE_OBJECT) {
        codebuild_problem(pr, p, e, path, "must be a group: { name = \"test\"; variables = { ... }; }");
        return;
    }
    env->name = API->value_string(API->value_get(e, "name"));
    if (!env->name) {
        codebuild_problem(pr, p, e, path, "needs a name: name = \"test\";");
    } else if (!environment_name_valid(env->name)) {
        codebuild_problem(pr, p, API->value_get(e, "name"), path,
                          "name '%s' is not valid: a letter, then letters, digits or '-', at most 64 (it names "
                          "a pipeline stage, a stack and <name>.json)",
                          env->name);
    } else {
        for (size_t i = 0; i + 1 < c->environment_count; i++)
            if (c->environments[i].name && strcasecmp(c->environments[i].name, env->name) == 0)
                codebuild_problem(pr, p, API->value_get(e, "name"), path,
                                  "environment '%s' is declared twice (names are compared without case)",
                                  env->name);
    }
    const sparta_value *approval = API->value_get(e, "approval");
    const char *a = API->value_string(approval);
    if (!approval || (a && strcmp(a, "none") == 0)) env->approval = CP_APPROVAL_NONE;
    else if (a && strcmp(a, "manual") == 0) env->approval = CP_APPROVAL_MANUAL;
    else if (a && strcmp(a, "alarms") == 0) {
        env->approval = CP_APPROVAL_ALARMS;
        c->alarm_gates++;
        if (index == 0)
            codebuild_problem(pr, p, approval, path,
                              "approval = \"alarms\" gates a promotion on the alarms of the previous environment's "
                              "stack, and '%s' is the first environment: there is none to watch; use approval = "
                              "\"manual\" or \"none\" here",
                              env->name ? env->name : "?");
    } else
        codebuild_problem(pr, p, approval, path, "approval '%s' is not none, manual or alarms", a ? a : "?");
    const sparta_value *stack = API->value_get(e, "stackName");
    if (stack) {
        env->stack_name = API->value_string(stack);
        if (!env->stack_name || !cp_stack_name_valid(env->stack_name)) {
            codebuild_problem(pr, p, stack, path,
                              "stackName '%s' is not a valid CloudFormation stack name (letters, digits and "
                              "'-', starting with a letter, at most 128)",
                              env->stack_name ? env->stack_name : "?");
            env->stack_name = NULL;
        }
    }
    char sub[128];
    snprintf(sub, sizeof sub, "%s.variables", path);
    read_variables(p, env, API->value_get(e, "variables"), sub, pr);
    for (size_t i = 0; i < env->variable_count; i++)
        if (add_key(c, env->variables[i].name, key_capacity) != 0) break;
    snprintf(sub, sizeof sub, "%s.tags", path);
    read_tags(p, env, API->value_get(e, "tags"), sub, pr);
    snprintf(sub, sizeof sub, "%s.stackPolicy", path);
    read_stack_policy(p, env, API->value_get(e, "stackPolicy"), sub, pr);
}

int cp_plugin_enabled(sparta_plugin *p, const char *name) {
    const sparta_value *enabled = API->value_get(API->value_get(API->config_root(p), "plugins"), "enabled");
    for (size_t i = 0; i < API->value_count(enabled); i++) {
        const char *s = API->value_string(API->value_at(enabled, i));
        if (s && strcmp(s, name) == 0) return 1;
    }
    return 0;
}

/* approval = "alarms" runs `sparta alarms watch` (the rollback plugin) for
 * rollback.monitoringMinutes; the rollback plugin checks its own group, so
 * only what the gate needs is checked here. */
static void check_alarm_gates(sparta_plugin *p, cp_config *c, const sparta_value *envs, codebuild_problems *pr) {
    c->alarm_minutes = CP_GATE_DEFAULT_MINUTES;
    if (!c->alarm_gates) return;
    const sparta_value *first = NULL;
    size_t index = 0;
    for (size_t i = 0; i < c->environment_count && !first; i++)
        if (c->environments[i].approval == CP_APPROVAL_ALARMS) {
            first = API->value_get(API->value_at(envs, i), "approval");
            index = i;
        }
    char path[96];
    snprintf(path, sizeof path, G ".environments.[%zu]", index);
    if (!cp_plugin_enabled(p, "rollback"))
        codebuild_problem(pr, p, first, path,
                          "approval = \"alarms\" needs the rollback plugin (its alarms and `sparta alarms watch` "
                          "are the gate): enable it, plugins = { enabled = [ ..., \"rollback\" ]; };, or use "
                          "approval = \"manual\"");
    const sparta_value *minutes = API->value_get(API->value_get(API->config_root(p), "rollback"), "monitoringMinutes");
    if (!minutes) return;
    int64_t m = API->value_type(minutes) == SPARTA_VALUE_INT ? API->value_int(minutes) : -1;
    if (m < 0 || m > CP_GATE_MAX_MINUTES)
        codebuild_problem(pr, p, minutes, "rollback.monitoringMinutes",
                          "must be a whole number of minutes from 0 to %d: the alarm gates (approval = \"alarms\") "
                          "watch that long",
                          CP_GATE_MAX_MINUTES);
    else
        c->alarm_minutes = (int)m;
}

/* Two variables whose parameters would share a name (LOG_LEVEL, LOGLEVEL). */
static void check_parameters(sparta_plugin *p, const cp_config *c, codebuild_problems *pr) {
    for (size_t i = 0; i < c->key_count; i++) {
        if (strlen(c->keys[i].parameter) > CP_PARAMETER_NAME_MAX)
            codebuild_problem(pr, p, NULL, G, "variable %s is too long for a parameter name", c->keys[i].name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->keys[i].parameter, c->keys[j].parameter) == 0)
                codebuild_problem(pr, p, NULL, G ".environments",
                                  "variables %s and %s would both become the template parameter %s "
                                  "(parameter names drop '_'): rename one",
                                  c->keys[j].name, c->keys[i].name, c->keys[i].parameter);
    }
}

static void check_privileges(sparta_plugin *p, const sparta_value *list, codebuild_problems *pr) {
    if (API->value_type(list) != SPARTA_VALUE_ARRAY) {
        codebuild_problem(pr, p, list, G ".deployPrivileges", "must be a list: ( { actions = [...]; resources = [...]; } )");
        return;
    }
    for (size_t i = 0; i < API->value_count(list); i++) {
        const sparta_value *item = API->value_at(list, i);
        const sparta_value *actions = API->value_get(item, "actions");
        const sparta_value *resources = API->value_get(item, "resources");
        char path[96];
        snprintf(path, sizeof path, G ".deployPrivileges.[%zu]", i);
        if (API->value_type(actions) != SPARTA_VALUE_ARRAY || API->value_count(actions) == 0 ||
            API->value_type(resources) != SPARTA_VALUE_ARRAY || API->value_count(resources) == 0) {
            codebuild_problem(pr, p, item, path, "needs actions = [ \"service:Action\" ]; and resources = [ \"arn:...\" ];");
            continue;
        }
        for (size_t j = 0; j < API->value_count(actions); j++) {
            const char *action = API->value_string(API->value_at(actions, j));
            const char *colon = action ? strchr(action, ':') : NULL;
            if (!action || !colon || colon == action || !colon[1])
                codebuild_problem(pr, p, API->value_at(actions, j), path, "'%s' is not an IAM action (service:Action)",
                                  action ? action : "?");
            else if (strcmp(colon + 1, "*") == 0)
                codebuild_problem(pr, p, API->value_at(actions, j), path,
                                  "'%s' grants every action of the service: name the actions the stack needs",
                                  action);
        }
        for (size_t j = 0; j < API->value_count(resources); j++) {
            const char *r = API->value_string(API->value_at(resources, j));
            if (!r || !*r)
                codebuild_problem(pr, p, API->value_at(resources, j), path, "resources must be ARN strings");
        }
    }
}

int cp_config_read(sparta_plugin *p, cp_config *c, codebuild_problems *pr) {
    memset(c, 0, sizeof *c);
    c->update_pipeline = 1;
    c->alarm_minutes = CP_GATE_DEFAULT_MINUTES;
    const sparta_value *section = API->config_section(p);
    if (!section) return 0;
    if (API->value_type(section) != SPARTA_VALUE_OBJECT) {
        codebuild_problem(pr, p, section, G, "must be a group: codepipeline = { environments = ( ... ); };");
        return 0;
    }
    const sparta_value *update = API->value_get(section, "updatePipeline");
    if (update && API->value_type(update) != SPARTA_VALUE_BOOL)
        codebuild_problem(pr, p, update, G ".updatePipeline", "must be true or false");
    else if (update)
        c->update_pipeline = API->value_bool(update);
    const sparta_value *privileges = API->value_get(section, "deployPrivileges");
    if (privileges) {
        check_privileges(p, privileges, pr);
        c->deploy_privileges = privileges;
    }
    const sparta_value *envs = API->value_get(section, "environments");
    if (!envs) return 0;
    if (API->value_type(envs) != SPARTA_VALUE_ARRAY) {
        codebuild_problem(pr, p, envs, G ".environments", "must be a list: environments = ( { name = \"test\"; } );");
        return 0;
    }
    size_t n = API->value_count(envs), keys = 0;
    if (n > CP_ENVIRONMENTS_MAX) {
        codebuild_problem(pr, p, envs, G ".environments",
                          "%zu environments: a pipeline holds at most %d (CodePipeline allows 50 stages)", n,
                          CP_ENVIRONMENTS_MAX);
        return 0;
    }
    for (size_t i = 0; i < n; i++) keys += API->value_count(API->value_get(API->value_at(envs, i), "variables"));
    c->environments = calloc(n + 1, sizeof *c->environments);
    c->keys = calloc(keys + 1, sizeof *c->keys);
    if (!c->environments || !c->keys) return SPARTA_ENOMEM;
    for (size_t i = 0; i < n; i++) read_environment(p, c, i, API->value_at(envs, i), pr, keys);
    check_parameters(p, c, pr);
    check_alarm_gates(p, c, envs, pr);
    return pr->text.failed ? SPARTA_ENOMEM : 0;
}

int cp_config_load(sparta_plugin *p, cp_config *c) {
    codebuild_problems pr = {0};
    int rc = cp_config_read(p, c, &pr);
    if (rc != 0) {
        sparta_text_free(&pr.text);
        return API->error(p, rc, "out of memory");
    }
    return codebuild_problems_report(&pr, p, "the codepipeline group of sparta.cfg");
}

const char *cp_environment_value(const cp_environment *env, const char *key) {
    for (size_t i = 0; i < env->variable_count; i++)
        if (strcmp(env->variables[i].name, key) == 0) return env->variables[i].value;
    return NULL;
}

void cp_config_warn_missing(sparta_plugin *p, const cp_config *c) {
    for (size_t e = 0; e < c->environment_count; e++) {
        const cp_environment *env = &c->environments[e];
        if (!env->name) continue;
        sparta_text missing = {0};
        size_t count = 0;
        for (size_t k = 0; k < c->key_count; k++) {
            if (cp_environment_value(env, c->keys[k].name)) continue;
            sparta_text_printf(&missing, "%s%s", count ? ", " : "", c->keys[k].name);
            count++;
        }
        if (count && !missing.failed)
            API->log(p, SPARTA_LOG_WARN,
                     "environment '%s' does not define %s %s, which other environments define: its stack gets "
                     "\"\" (add %s to its variables to choose a value)",
                     env->name, count == 1 ? "the variable" : "the variables", missing.data,
                     count == 1 ? "it" : "them");
        sparta_text_free(&missing);
    }
}

void cp_config_free(cp_config *c) {
    for (size_t i = 0; i < c->environment_count; i++) free(c->environments[i].variables);
    free(c->environments);
    free(c->keys);
    memset(c, 0, sizeof *c);
}
