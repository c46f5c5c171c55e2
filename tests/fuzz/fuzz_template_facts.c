/* Template facts read before a converge: capabilities, resource count,
 * parameter defaults, from any JSON text (a template given with
 * --template, one read back from a stack, or what a plugin marshalled).
 *
 * Input: a parameter name (up to the first NUL, at most 64 bytes), then the
 * template text. Properties:
 *  - capabilities: -1 exactly when the text is not a JSON object, else 0..3
 *    distinct names from the three CloudFormation knows, and any template
 *    with an AWS::IAM:: resource needs CAPABILITY_IAM;
 *  - the resource count is what json-c counts under Resources;
 *  - a parameter default exists only when Parameters.<name>.Default does. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "aws/template_facts.h"
#include "fuzz_support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_input in = {data, size};
    char *name = fuzz_string_until(&in, 0, 64, NULL);
    char *text = fuzz_rest(&in, NULL);

    json_object *t = json_tokener_parse(text);
    int is_object = t && json_object_is_type(t, json_type_object);

    const char *caps[3] = {NULL, NULL, NULL};
    int n = sparta__template_capabilities(text, caps);
    FUZZ_CHECK((n == -1) == !is_object, "capabilities returned %d for %s", n, is_object ? "an object" : "non-object");
    FUZZ_CHECK(n >= -1 && n <= 3, "capability count %d", n);
    for (int i = 0; i < n; i++) {
        FUZZ_CHECK(caps[i] && (!strcmp(caps[i], "CAPABILITY_IAM") || !strcmp(caps[i], "CAPABILITY_NAMED_IAM") ||
                               !strcmp(caps[i], "CAPABILITY_AUTO_EXPAND")),
                   "unknown capability");
        for (int k = 0; k < i; k++) FUZZ_CHECK(strcmp(caps[i], caps[k]) != 0, "capability listed twice");
    }

    size_t expected_count = 0;
    json_object *resources = NULL;
    if (is_object && json_object_object_get_ex(t, "Resources", &resources) &&
        json_object_is_type(resources, json_type_object)) {
        expected_count = (size_t)json_object_object_length(resources);
        int iam = 0;
        json_object_object_foreach(resources, id, res) {
            (void)id;
            json_object *type = NULL;
            if (json_object_is_type(res, json_type_object) && json_object_object_get_ex(res, "Type", &type) &&
                json_object_is_type(type, json_type_string) &&
                !strncmp(json_object_get_string(type), "AWS::IAM::", 10))
                iam = 1;
        }
        if (iam) {
            int found = 0;
            for (int i = 0; i < n; i++) found |= !strcmp(caps[i], "CAPABILITY_IAM");
            FUZZ_CHECK(found, "an IAM resource without CAPABILITY_IAM");
        }
    }
    FUZZ_CHECK(sparta__template_resource_count(text) == expected_count, "resource count");

    char *def = sparta__template_parameter_default(text, name);
    json_object *params = NULL, *p = NULL, *d = NULL;
    int has_default = is_object && json_object_object_get_ex(t, "Parameters", &params) &&
                      json_object_is_type(params, json_type_object) && json_object_object_get_ex(params, name, &p) &&
                      json_object_is_type(p, json_type_object) && json_object_object_get_ex(p, "Default", &d) && d;
    FUZZ_CHECK((def != NULL) == has_default, "parameter default for '%s' %s", name, def ? "invented" : "lost");
    free(def);

    json_object_put(t);
    free(name);
    free(text);
    return 0;
}
