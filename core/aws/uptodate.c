/* Deciding "nothing changed" ourselves: CloudFormation's own answer costs
 * a change set round trip, and moto's is unreliable. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/converge.h"
#include "aws/template_facts.h"

/* Parameter keys and tag keys are case-sensitive, unlike HTTP header names. */
static const char *exact(const sparta__aws_kv *items, size_t count, const char *name) {
    for (size_t i = 0; i < count; i++)
        if (!strcmp(items[i].name, name)) return items[i].value;
    return NULL;
}

static int same_template(const char *deployed, const char *ours) {
    json_object *a = json_tokener_parse(deployed), *b = json_tokener_parse(ours);
    int same;
    if (a && b) {
        same = json_object_equal(a, b);
    } else { /* YAML or text: compare ignoring surrounding whitespace */
        while (*deployed == ' ' || *deployed == '\n') deployed++;
        while (*ours == ' ' || *ours == '\n') ours++;
        size_t n = strlen(deployed), m = strlen(ours);
        while (n && (deployed[n - 1] == ' ' || deployed[n - 1] == '\n')) n--;
        while (m && (ours[m - 1] == ' ' || ours[m - 1] == '\n')) m--;
        same = n == m && !memcmp(deployed, ours, n);
    }
    json_object_put(a);
    json_object_put(b);
    return same;
}

int sparta__converge_up_to_date(const sparta__cfn_stack *deployed, const char *deployed_template,
                                const sparta__converge_options *o, char *why, size_t why_len) {
    if (!o->template_body || !deployed_template) {
        snprintf(why, why_len, "no template to compare");
        return 0;
    }
    if (!same_template(deployed_template, o->template_body)) {
        snprintf(why, why_len, "the template changed");
        return 0;
    }
    for (size_t i = 0; i < o->parameter_count; i++) {
        const char *was = exact(deployed->parameters.items, deployed->parameters.count, o->parameters[i].name);
        if (!was) {
            snprintf(why, why_len, "parameter %s is new", o->parameters[i].name);
            return 0;
        }
        /* NoEcho values come back masked: we cannot tell, so assume changed */
        if (strcmp(was, o->parameters[i].value) != 0 || !strcmp(was, "****")) {
            snprintf(why, why_len, "parameter %s changed", o->parameters[i].name);
            return 0;
        }
    }
    for (size_t i = 0; i < deployed->parameters.count; i++) {
        const sparta__aws_kv *p = &deployed->parameters.items[i];
        if (exact(o->parameters, o->parameter_count, p->name)) continue;
        char *def = sparta__template_parameter_default(o->template_body, p->name);
        int same = def && !strcmp(def, p->value);
        free(def);
        if (!same) {
            snprintf(why, why_len, "parameter %s goes back to its default", p->name);
            return 0;
        }
    }
    if (deployed->tags.count != o->tag_count) {
        snprintf(why, why_len, "the stack tags changed");
        return 0;
    }
    for (size_t i = 0; i < o->tag_count; i++) {
        const char *was = exact(deployed->tags.items, deployed->tags.count, o->tags[i].name);
        if (!was || strcmp(was, o->tags[i].value) != 0) {
            snprintf(why, why_len, "tag %s changed", o->tags[i].name);
            return 0;
        }
    }
    return 1;
}
