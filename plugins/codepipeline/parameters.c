/* One template, promoted from stack to stack: each environment variable of
 * the codepipeline environments becomes a String parameter of the service
 * template, and every function's environment variable of that name refers
 * to it. The pipeline gives each stack its values (<environment>.json). */
#include <string.h>

#include "codepipeline.h"

static sparta_value *member(sparta_graph *g, sparta_value *object, const char *key) {
    /* The graph's values are the plugin's to change; value_get reads them. */
    sparta_value *v = (sparta_value *)API->value_get(object, key);
    if (v && API->value_type(v) == SPARTA_VALUE_OBJECT) return v;
    v = API->new_object(g);
    API->object_set(object, key, v);
    return v;
}

int cp_decorate(sparta_plugin *p, sparta_graph *g, void *state) {
    cp_config c;
    int rc = cp_config_load(p, &c);
    for (size_t i = 0; rc == 0 && i < c.key_count; i++) {
        sparta_value *param = API->new_object(g);
        API->object_set(param, "Type", API->new_string(g, "String"));
        API->object_set(param, "Default", API->new_string(g, ""));
        API->object_set(param, "Description",
                        API->new_stringf(g, "%s of every function; each pipeline environment sets it", c.keys[i].name));
        rc = API->parameter_add(p, g, c.keys[i].parameter, param);
    }
    size_t wired = 0;
    for (size_t r = 0; rc == 0 && c.key_count && r < API->resource_count(g); r++) {
        sparta_resource *res = API->resource_at(g, r);
        if (strcmp(API->resource_type(res), "AWS::Lambda::Function") != 0) continue;
        sparta_value *props = API->resource_properties(res);
        sparta_value *vars = member(g, member(g, props, "Environment"), "Variables");
        for (size_t i = 0; i < c.key_count; i++)
            API->object_set(vars, c.keys[i].name, API->ref(g, c.keys[i].parameter));
        wired++;
    }
    if (rc == 0 && c.key_count)
        API->log(p, SPARTA_LOG_DEBUG, "%zu pipeline variable%s wired into %zu function%s", c.key_count,
                 c.key_count == 1 ? "" : "s", wired, wired == 1 ? "" : "s");
    cp_config_free(&c);
    return rc;
}
