/* The template graph: IDs, references, cycles, quotas, deterministic output. */
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "test_support.h"

static sparta_error_slot err;
static sparta_logger quiet;

static sparta_graph *graph_new(void) {
    sparta__logger_init(&quiet);
    quiet.level = SPARTA_LOG_ERROR + 1;
    sparta__error_clear(&err);
    return sparta__graph_new(&err, &quiet, "demo");
}

static sparta_value *props(sparta_graph *g) { return sparta__value_new(g->arena, SPARTA_VALUE_OBJECT); }

static char *validate(sparta_graph *g, size_t *count) {
    sparta_buffer problems = SPARTA_BUFFER_INIT;
    *count = sparta__graph_validate(g, &problems);
    return sparta__buffer_take(&problems, NULL);
}

static void test_invalid_and_duplicate_ids(void) {
    sparta_graph *g = graph_new();
    CU_ASSERT_PTR_NULL(sparta__graph_resource_add(g, "lambda", "bad-id", "AWS::S3::Bucket", NULL));
    TEST_ASSERT_CONTAINS(err.message, "invalid logical ID 'bad-id'");
    TEST_ASSERT_CONTAINS(err.message, "plugin 'lambda'");
    CU_ASSERT_PTR_NOT_NULL(sparta__graph_resource_add(g, "lambda", "Bucket", "AWS::S3::Bucket", NULL));
    CU_ASSERT_PTR_NULL(sparta__graph_resource_add(g, "dashboard", "Bucket", "AWS::S3::Bucket", NULL));
    TEST_ASSERT_CONTAINS(err.message, "duplicate logical ID 'Bucket'");
    TEST_ASSERT_CONTAINS(err.message, "plugin 'lambda'");
    TEST_ASSERT_CONTAINS(err.message, "plugin 'dashboard'");
    /* Parameters share the namespace of resources. */
    sparta_value *def = props(g);
    sparta__value_object_set(def, "Type", sparta__value_string(g->arena, "String"));
    CU_ASSERT_EQUAL(sparta__graph_section_add(g, SPARTA_SECTION_PARAMETERS, "x", "Bucket", def), SPARTA_EGRAPH);
    TEST_ASSERT_CONTAINS(err.message, "duplicate logical ID 'Bucket'");
    char long_id[300];
    memset(long_id, 'A', 256);
    long_id[256] = '\0';
    CU_ASSERT_FALSE(sparta__logical_id_valid(long_id));
    long_id[255] = '\0';
    CU_ASSERT_TRUE(sparta__logical_id_valid(long_id));
    CU_ASSERT_PTR_NULL(sparta__graph_resource_add(g, "x", "Thing", "NotAType", NULL));
    TEST_ASSERT_CONTAINS(err.message, "not a CloudFormation type");
    sparta__graph_free(g);
}

static void test_dangling_references_all_reported(void) {
    sparta_graph *g = graph_new();
    sparta_value *p = props(g);
    sparta__value_object_set(p, "A", sparta__value_ref(g->arena, "Missing"));
    sparta__value_object_set(p, "B", sparta__value_get_att(g->arena, "Gone", "Arn"));
    sparta__value_object_set(p, "C", sparta__value_sub(g->arena, "arn:${AWS::Region}:${Nope.Arn}:${!Literal}"));
    sparta__value_object_set(p, "D", sparta__value_ref(g->arena, "AWS::StackName"));
    sparta_resource *r = sparta__graph_resource_add(g, "t", "Fn", "AWS::Lambda::Function", p);
    sparta__resource_depends_on(r, "Ghost");
    size_t count = 0;
    char *text = validate(g, &count);
    CU_ASSERT_EQUAL(count, 4);
    TEST_ASSERT_CONTAINS(text, "Resources.Fn.A: Ref to 'Missing'");
    TEST_ASSERT_CONTAINS(text, "Resources.Fn.B: Fn::GetAtt on 'Gone'");
    TEST_ASSERT_CONTAINS(text, "Resources.Fn.C: Fn::GetAtt on 'Nope'");
    TEST_ASSERT_CONTAINS(text, "Resources.Fn.DependsOn: 'Ghost'");
    CU_ASSERT_PTR_NULL(strstr(text, "AWS::StackName"));
    CU_ASSERT_PTR_NULL(strstr(text, "Literal"));
    free(text);
    sparta__graph_free(g);
}

static void test_sub_variables_and_parameters_resolve(void) {
    sparta_graph *g = graph_new();
    sparta_value *def = props(g);
    sparta__value_object_set(def, "Type", sparta__value_string(g->arena, "String"));
    CU_ASSERT_EQUAL(sparta__graph_section_add(g, SPARTA_SECTION_PARAMETERS, "x", "Stage", def), 0);
    sparta_value *vars = props(g);
    sparta__value_object_set(vars, "Local", sparta__value_string(g->arena, "v"));
    sparta_value *args = sparta__value_new(g->arena, SPARTA_VALUE_ARRAY);
    sparta__value_array_push(args, sparta__value_string(g->arena, "${Stage}-${Local}"));
    sparta__value_array_push(args, vars);
    sparta_value *sub = sparta__value_new(g->arena, SPARTA_VALUE_OBJECT);
    sparta__value_object_set(sub, "Fn::Sub", args);
    sparta_value *p = props(g);
    sparta__value_object_set(p, "BucketName", sub);
    sparta__graph_resource_add(g, "t", "Bucket", "AWS::S3::Bucket", p);
    size_t count = 0;
    char *text = validate(g, &count);
    CU_ASSERT_EQUAL(count, 0);
    free(text);
    sparta__graph_free(g);
}

static void test_cycle_is_named(void) {
    sparta_graph *g = graph_new();
    sparta_value *pa = props(g), *pb = props(g), *pc = props(g);
    sparta__value_object_set(pa, "X", sparta__value_ref(g->arena, "Bravo"));
    sparta__value_object_set(pb, "X", sparta__value_get_att(g->arena, "Charlie", "Arn"));
    sparta__value_object_set(pc, "X", sparta__value_sub(g->arena, "${Alpha}"));
    sparta__graph_resource_add(g, "t", "Alpha", "AWS::SNS::Topic", pa);
    sparta__graph_resource_add(g, "t", "Bravo", "AWS::SNS::Topic", pb);
    sparta__graph_resource_add(g, "t", "Charlie", "AWS::SNS::Topic", pc);
    size_t count = 0;
    char *text = validate(g, &count);
    CU_ASSERT_EQUAL(count, 1);
    TEST_ASSERT_CONTAINS(text, "dependency cycle Alpha -> Bravo -> Charlie -> Alpha");
    free(text);
    sparta__graph_free(g);
}

static void test_resource_quota(void) {
    sparta_graph *g = graph_new();
    char id[32];
    for (int i = 0; i < SPARTA_LIMIT_RESOURCES + 1; i++) {
        snprintf(id, sizeof id, "Topic%d", i);
        CU_ASSERT_PTR_NOT_NULL_FATAL(sparta__graph_resource_add(g, "t", id, "AWS::SNS::Topic", NULL));
    }
    size_t count = 0;
    char *text = validate(g, &count);
    CU_ASSERT_EQUAL(count, 1);
    TEST_ASSERT_CONTAINS(text, "the template has 501 resources; CloudFormation allows at most 500");
    free(text);
    sparta__graph_free(g);
}

static char *build_and_marshal(int reverse) {
    sparta_graph *g = graph_new();
    const char *ids[] = {"Zulu", "Alpha", "Mike"};
    for (int k = 0; k < 3; k++) {
        const char *id = ids[reverse ? 2 - k : k];
        sparta_value *p = props(g);
        sparta__value_object_set(p, "Name", sparta__value_string(g->arena, id));
        sparta__value_object_set(p, "Quote", sparta__value_string(g->arena, "a \"b\"\n\t\x01"));
        sparta__value_object_set(p, "Size", sparta__value_int(g->arena, 42));
        sparta__value_object_set(p, "Ratio", sparta__value_double(g->arena, 0.1));
        sparta_resource *r = sparta__graph_resource_add(g, "t", id, "AWS::SNS::Topic", p);
        sparta__resource_set_attribute(r, "DeletionPolicy", sparta__value_string(g->arena, "Retain"));
    }
    sparta_value *out = props(g);
    sparta__value_object_set(out, "Value", sparta__value_ref(g->arena, "Alpha"));
    sparta__graph_section_add(g, SPARTA_SECTION_OUTPUTS, "t", "AlphaArn", out);
    char *json = NULL;
    size_t length = 0;
    CU_ASSERT_EQUAL(sparta__graph_marshal(g, NULL, NULL, &json, &length), 0);
    CU_ASSERT_EQUAL(strlen(json), length);
    sparta__graph_free(g);
    return json;
}

static void test_marshal_is_deterministic_and_sorted(void) {
    char *a = build_and_marshal(0), *b = build_and_marshal(1);
    CU_ASSERT_STRING_EQUAL(a, b);
    char *alpha = strstr(a, "\"Alpha\": {"), *mike = strstr(a, "\"Mike\": {"), *zulu = strstr(a, "\"Zulu\": {");
    CU_ASSERT_TRUE(alpha && mike && zulu && alpha < mike && mike < zulu);
    TEST_ASSERT_CONTAINS(a, "\"Quote\": \"a \\\"b\\\"\\n\\t\\u0001\"");
    TEST_ASSERT_CONTAINS(a, "\"Ratio\": 0.10000000000000001");
    TEST_ASSERT_CONTAINS(a, "\"DeletionPolicy\": \"Retain\"");
    TEST_ASSERT_CONTAINS(a, "\"AWSTemplateFormatVersion\": \"2010-09-09\"");
    /* Valid JSON, checked by an independent parser. */
    char *dir = test_tmpdir();
    char *path = test_strf("%s/t.json", dir);
    test_write_file(path, a);
    CU_ASSERT_EQUAL(test_sh(NULL, "python3 -m json.tool '%s' >/dev/null", path), 0);
    free(path);
    test_rmtree(dir);
    free(dir);
    free(a);
    free(b);
}

static void test_empty_graph_is_a_problem(void) {
    sparta_graph *g = graph_new();
    size_t count = 0;
    char *text = validate(g, &count);
    CU_ASSERT_EQUAL(count, 1);
    TEST_ASSERT_CONTAINS(text, "no resources");
    free(text);
    sparta__graph_free(g);
}

int main(void) {
    static const test_case cases[] = {
        {"invalid and duplicate logical IDs", test_invalid_and_duplicate_ids},
        {"dangling references are all reported", test_dangling_references_all_reported},
        {"Fn::Sub variables and parameters resolve", test_sub_variables_and_parameters_resolve},
        {"a cycle is named", test_cycle_is_named},
        {"resource quota", test_resource_quota},
        {"marshal is deterministic and sorted", test_marshal_is_deterministic_and_sorted},
        {"an empty graph is a problem", test_empty_graph_is_a_problem},
        {NULL, NULL}};
    return test_main("graph", cases);
}
