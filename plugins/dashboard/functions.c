/* The Lambda functions of the graph, as the dashboard names them. Only the
 * graph is read: the lambda plugin's internals are none of our business. */
#include <stdlib.h>
#include <string.h>

#include "dashboard.h"

static char *sub_escaped(const char *s) {
    sparta_text t = {0};
    dash_text_sub_literal(&t, s);
    return sparta_text_take(&t);
}

/* "svc-hello" in stack "svc" shows as "hello". */
static const char *without_stack(const char *name, const char *stack) {
    size_t n = stack ? strlen(stack) : 0;
    if (n && strncmp(name, stack, n) == 0 && name[n] == '-' && name[n + 1]) return name + n + 1;
    return name;
}

int dash_functions_collect(sparta_plugin *p, sparta_graph *g, dash_function **out, size_t *count) {
    *out = NULL;
    *count = 0;
    size_t total = dash_api->resource_count(g), n = 0;
    dash_function *fns = calloc(total ? total : 1, sizeof *fns);
    if (!fns) return dash_api->error(p, SPARTA_ENOMEM, "out of memory listing functions");
    const char *stack = dash_api->graph_stack_name(g);
    for (size_t i = 0; i < total; i++) {
        sparta_resource *r = dash_api->resource_at(g, i);
        const char *type = dash_api->resource_type(r);
        if (!type || strcmp(type, "AWS::Lambda::Function") != 0) continue;
        dash_function *f = &fns[n++];
        f->logical_id = dash_api->resource_id(r);
        const sparta_value *name = dash_api->value_get(dash_api->resource_properties(r), "FunctionName");
        const char *literal = dash_api->value_string(name);
        /* {"Fn::Sub": "${AWS::StackName}-hello"}: a name that follows the deployed stack. */
        const char *scoped = dash_api->value_string(dash_api->value_get(name, "Fn::Sub"));
        static const char stack_ref[] = "${AWS::StackName}-";
        if (scoped && strncmp(scoped, stack_ref, sizeof stack_ref - 1) == 0 && scoped[sizeof stack_ref - 1] &&
            !strchr(scoped + sizeof stack_ref - 1, '$')) {
            f->name_sub = strdup(scoped);
            f->display = strdup(scoped + sizeof stack_ref - 1);
        } else if (literal && *literal) {
            f->name_sub = sub_escaped(literal);
            f->display = strdup(without_stack(literal, stack));
        } else {
            /* Ref to a function is its name: CloudFormation fills it in. */
            size_t len = strlen(f->logical_id) + 4;
            f->name_sub = malloc(len);
            if (f->name_sub) {
                strcpy(f->name_sub, "${");
                strcat(f->name_sub, f->logical_id);
                strcat(f->name_sub, "}");
            }
            f->display = strdup(f->logical_id);
        }
        if (!f->name_sub || !f->display) {
            dash_functions_free(fns, n);
            return dash_api->error(p, SPARTA_ENOMEM, "out of memory listing functions");
        }
    }
    *out = fns;
    *count = n;
    return 0;
}

void dash_functions_free(dash_function *fns, size_t count) {
    for (size_t i = 0; fns && i < count; i++) {
        free(fns[i].name_sub);
        free(fns[i].display);
    }
    free(fns);
}
