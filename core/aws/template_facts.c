#include "aws/template_facts.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

static int has_fn_transform(json_object *v) {
    if (json_object_is_type(v, json_type_object)) {
        json_object_object_foreach(v, key, child) {
            if (!strcmp(key, "Fn::Transform") || has_fn_transform(child)) return 1;
        }
    } else if (json_object_is_type(v, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(v); i++)
            if (has_fn_transform(json_object_array_get_idx(v, i))) return 1;
    }
    return 0;
}

int sparta__template_capabilities(const char *template_json, const char *caps[3]) {
    json_object *t = template_json ? json_tokener_parse(template_json) : NULL;
    if (!t || !json_object_is_type(t, json_type_object)) {
        json_object_put(t);
        return -1;
    }
    static const char *const named[][2] = {
        {"AWS::IAM::Role", "RoleName"},         {"AWS::IAM::User", "UserName"},
        {"AWS::IAM::Group", "GroupName"},       {"AWS::IAM::ManagedPolicy", "ManagedPolicyName"},
        {"AWS::IAM::InstanceProfile", "InstanceProfileName"}};
    int iam = 0, named_iam = 0, expand = 0;
    json_object *resources = NULL, *transform = NULL;
    if (json_object_object_get_ex(t, "Transform", &transform)) expand = 1;
    if (json_object_object_get_ex(t, "Resources", &resources) &&
        json_object_is_type(resources, json_type_object)) {
        json_object_object_foreach(resources, id, res) {
            (void)id;
            json_object *type = NULL, *props = NULL;
            if (!json_object_object_get_ex(res, "Type", &type) || !json_object_is_type(type, json_type_string))
                continue; /* "Type": null would be a NULL string */
            const char *ty = json_object_get_string(type);
            json_object_object_get_ex(res, "Properties", &props);
            if (!strncmp(ty, "AWS::IAM::", 10)) iam = 1;
            if (!strcmp(ty, "AWS::CloudFormation::Stack") || !strncmp(ty, "AWS::Serverless::", 17)) {
                iam = named_iam = expand = 1;
            }
            for (size_t i = 0; props && i < sizeof named / sizeof *named; i++) {
                json_object *name = NULL;
                if (!strcmp(ty, named[i][0]) && json_object_object_get_ex(props, named[i][1], &name) && name)
                    named_iam = 1;
            }
        }
    }
    if (!expand) expand = has_fn_transform(t);
    json_object_put(t);
    int n = 0;
    if (iam) caps[n++] = "CAPABILITY_IAM";
    if (named_iam) caps[n++] = "CAPABILITY_NAMED_IAM";
    if (expand) caps[n++] = "CAPABILITY_AUTO_EXPAND";
    return n;
}

size_t sparta__template_resource_count(const char *template_json) {
    json_object *t = template_json ? json_tokener_parse(template_json) : NULL, *r = NULL;
    size_t n = 0;
    if (t && json_object_object_get_ex(t, "Resources", &r) && json_object_is_type(r, json_type_object))
        n = (size_t)json_object_object_length(r);
    json_object_put(t);
    return n;
}

char *sparta__template_parameter_default(const char *template_json, const char *name) {
    json_object *t = template_json ? json_tokener_parse(template_json) : NULL, *params, *p, *d;
    char *out = NULL;
    if (t && json_object_object_get_ex(t, "Parameters", &params) &&
        json_object_object_get_ex(params, name, &p) && json_object_object_get_ex(p, "Default", &d) && d)
        out = strdup(json_object_get_string(d));
    json_object_put(t);
    return out;
}
