/* <environment>.json, in CodePipeline's template-configuration format:
 *   {"Parameters": {...}, "Tags": {...}, "StackPolicy": {...}}
 * Parameters holds every variable of any environment (one this environment
 * lacks is ""), Tags the service's tags under the environment's, StackPolicy
 * the environment's policy. Keys are sorted: the same config gives the same
 * bytes. */
#include <stdlib.h>
#include <string.h>

#include "codepipeline.h"

typedef struct pair {
    const char *key, *value;
} pair;

static int by_key(const void *a, const void *b) { return strcmp(((const pair *)a)->key, ((const pair *)b)->key); }

static void object(sparta_text *t, pair *pairs, size_t n) {
    qsort(pairs, n, sizeof *pairs, by_key);
    sparta_text_puts(t, "{");
    for (size_t i = 0; i < n; i++) {
        sparta_text_puts(t, i ? ",\n    " : "\n    ");
        sparta_text_json_string(t, pairs[i].key);
        sparta_text_puts(t, ": ");
        sparta_text_json_string(t, pairs[i].value);
    }
    sparta_text_puts(t, n ? "\n  }" : "}");
}

/* Adds or replaces key in pairs. */
static void put(pair *pairs, size_t *n, const char *key, const char *value) {
    for (size_t i = 0; i < *n; i++)
        if (strcmp(pairs[i].key, key) == 0) {
            pairs[i].value = value;
            return;
        }
    pairs[(*n)++] = (pair){key, value};
}

char *cp_template_configuration(const cp_config *c, const cp_environment *env, const sparta_value *service_tags) {
    size_t tag_cap = API->value_count(service_tags) + API->value_count(env->tags);
    pair *params = calloc(c->key_count + 1, sizeof *params);
    pair *tags = calloc(tag_cap + 1, sizeof *tags);
    sparta_text t = {0};
    if (!params || !tags) t.failed = 1;
    size_t np = 0, nt = 0;
    for (size_t i = 0; params && i < c->key_count; i++) {
        const char *v = cp_environment_value(env, c->keys[i].name);
        params[np++] = (pair){c->keys[i].parameter, v ? v : ""};
    }
    const sparta_value *sources[2] = {service_tags, env->tags};
    for (size_t s = 0; tags && s < 2; s++)
        for (size_t i = 0; i < API->value_count(sources[s]); i++) {
            const char *value = API->value_string(API->value_at(sources[s], i));
            if (value) put(tags, &nt, API->value_key_at(sources[s], i), value);
        }
    sparta_text_puts(&t, "{\n  \"Parameters\": ");
    if (params) object(&t, params, np);
    if (nt) {
        sparta_text_puts(&t, ",\n  \"Tags\": ");
        object(&t, tags, nt);
    }
    if (env->stack_policy) {
        sparta_text_puts(&t, ",\n  \"StackPolicy\": ");
        cp_json_value(&t, env->stack_policy, 1);
    }
    sparta_text_puts(&t, "\n}\n");
    free(params);
    free(tags);
    return sparta_text_take(&t);
}
