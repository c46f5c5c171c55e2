/* sparta.cfg parsing and schema validation. */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "schema.h"
#include "test_support.h"

static const sparta_schema_field lambda_schema[] = {
    {sizeof(sparta_schema_field), "defaults", SPARTA_VALUE_OBJECT, 0, NULL},
    {sizeof(sparta_schema_field), "defaults.memory", SPARTA_VALUE_INT, 0, NULL},
    {sizeof(sparta_schema_field), "functions", SPARTA_VALUE_ARRAY, 1, "the functions to deploy"},
    {sizeof(sparta_schema_field), "functions.[]", SPARTA_VALUE_OBJECT, 0, NULL},
    {sizeof(sparta_schema_field), "functions.[].name", SPARTA_VALUE_STRING, 1, NULL},
    {sizeof(sparta_schema_field), "functions.[].memory", SPARTA_VALUE_INT, 0, NULL},
    {sizeof(sparta_schema_field), "functions.[].timeout", SPARTA_VALUE_DOUBLE, 0, NULL},
    {sizeof(sparta_schema_field), "functions.[].environment", SPARTA_VALUE_OBJECT, 0, NULL},
    {sizeof(sparta_schema_field), "functions.[].environment.*", SPARTA_VALUE_STRING, 0, NULL},
    {sizeof(sparta_schema_field), "functions.[].events", SPARTA_VALUE_NULL, 0, NULL},
};
#define LAMBDA_FIELDS (sizeof lambda_schema / sizeof *lambda_schema)

static void test_values_and_lines(void) {
    sparta_config c;
    sparta_error_slot err = {0};
    const char *text = "service = {\n  name = \"hello\";\n  tags = { team = \"core\"; };\n};\n"
                       "n = 5; big = 5000000000L; f = 1.5; b = true; l = ( 1, \"two\" );\n";
    CU_ASSERT_EQUAL_FATAL(sparta__config_load(&c, "inline.cfg", text, &err), 0);
    const sparta_value *name = sparta__value_path(c.root, "service.name");
    CU_ASSERT_STRING_EQUAL(name->as.str.text, "hello");
    CU_ASSERT_EQUAL(name->line, 2);
    CU_ASSERT_STRING_EQUAL(name->file, "inline.cfg");
    CU_ASSERT_STRING_EQUAL(sparta__value_path(c.root, "service.tags.team")->as.str.text, "core");
    CU_ASSERT_EQUAL(sparta__value_get(c.root, "big")->as.integer, 5000000000LL);
    CU_ASSERT_EQUAL(sparta__value_get(c.root, "b")->type, SPARTA_VALUE_BOOL);
    CU_ASSERT_EQUAL(sparta__value_get(c.root, "l")->as.array.count, 2);
    sparta__config_free(&c);
}

static void test_syntax_error_names_file_and_line(void) {
    sparta_config c;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(sparta__config_load(&c, "bad.cfg", "service = {\n name = \"x\"\n oops };\n", &err),
                    SPARTA_ECONFIG);
    TEST_ASSERT_CONTAINS(err.message, "bad.cfg:3: syntax error");
    CU_ASSERT_EQUAL(err.line, 3);
    CU_ASSERT_EQUAL(sparta__config_load(&c, "/nonexistent/sparta.cfg", NULL, &err), SPARTA_ECONFIG);
    TEST_ASSERT_CONTAINS(err.message, "cannot read the config file");
}

static char *check(const char *text, size_t *count) {
    sparta_config c;
    sparta_error_slot err = {0};
    if (sparta__config_load(&c, "sparta.cfg", text, &err) != 0) return strdup(err.message);
    sparta_buffer problems = SPARTA_BUFFER_INIT;
    *count = sparta__schema_validate(lambda_schema, LAMBDA_FIELDS, "lambda",
                                     sparta__value_get(c.root, "lambda"), &problems);
    sparta__config_free(&c);
    return sparta__buffer_take(&problems, NULL);
}

static void test_schema_accepts_valid(void) {
    size_t count = 99;
    char *text = check("lambda = { defaults = { memory = 256; };\n functions = ( { name = \"a\"; memory = 128; "
                       "timeout = 3; environment = { A = \"x\"; }; events = ( 1, \"any\" ); } ); };",
                       &count);
    CU_ASSERT_EQUAL(count, 0);
    CU_ASSERT_STRING_EQUAL(text, "");
    free(text);
}

static void test_schema_reports_every_problem_with_path_and_line(void) {
    size_t count = 0;
    char *text = check("lambda = {\n"
                       "  functions = (\n"
                       "    { name = \"a\"; },\n"
                       "    { name = \"b\"; },\n"
                       "    { name = \"c\";\n"
                       "      memory = \"big\"; },\n"
                       "    { memroy = 1; environment = { K = 3; }; }\n"
                       "  );\n"
                       "};\n",
                       &count);
    CU_ASSERT_EQUAL(count, 4);
    TEST_ASSERT_CONTAINS(text, "sparta.cfg:6: lambda.functions.[2].memory: expected an integer, found a string");
    TEST_ASSERT_CONTAINS(text, "lambda.functions.[3]: missing required key 'name'");
    TEST_ASSERT_CONTAINS(text, "sparta.cfg:7: lambda.functions.[3].memroy: unknown key 'memroy'");
    TEST_ASSERT_CONTAINS(text, "one of: name, memory, timeout, environment, events");
    TEST_ASSERT_CONTAINS(text, "lambda.functions.[3].environment.K: expected a string, found an integer");
    free(text);
}

static void test_schema_missing_section_required(void) {
    size_t count = 0;
    char *text = check("service = { name = \"x\"; };", &count);
    CU_ASSERT_EQUAL(count, 1);
    TEST_ASSERT_CONTAINS(text, "lambda: missing required key 'functions': the functions to deploy");
    free(text);
}

int main(void) {
    static const test_case cases[] = {
        {"values keep their type, file and line", test_values_and_lines},
        {"a syntax error names file and line", test_syntax_error_names_file_and_line},
        {"schema accepts a valid group", test_schema_accepts_valid},
        {"schema reports every problem with path and line", test_schema_reports_every_problem_with_path_and_line},
        {"schema checks required keys of a missing group", test_schema_missing_section_required},
        {NULL, NULL}};
    return test_main("config", cases);
}
