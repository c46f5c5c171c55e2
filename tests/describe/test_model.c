/* The model and its DOT: every node and edge of a template, names escaped,
 * function groups, and templates that are not templates. */
#include <stdlib.h>
#include <string.h>

#include "describe/describe.h"
#include "describe_tests.h"

/* Every intrinsic form the walker knows, names that need escaping, an output
 * named like a resource, pseudo parameters and a dangling DependsOn. */
static const char tricky[] =
    "{\n"
    "  \"Description\": \"tricky \\\"quotes\\\" and \\\\ backslashes\",\n"
    "  \"Parameters\": { \"Stage\": { \"Type\": \"String\", \"Description\": \"say \\\"hi\\\"\\nnext line\" } },\n"
    "  \"Resources\": {\n"
    "    \"HelloFunction\": { \"Type\": \"AWS::Lambda::Function\", \"Properties\": {\n"
    "      \"Description\": \"Says \\\"hello\\\" \\\\ world\\n</script><b>\",\n"
    "      \"Role\": { \"Fn::GetAtt\": [ \"HelloRole\", \"Arn\" ] },\n"
    "      \"Environment\": { \"Variables\": {\n"
    "        \"A\": { \"Fn::Sub\": \"${Stage}-${AWS::Region}-${!Literal}-${HelloQueue.Arn}\" },\n"
    "        \"B\": { \"Fn::Sub\": [ \"${Local}-${HelloLogGroup}\", { \"Local\": { \"Ref\": \"Stage\" } } ] } } } } },\n"
    "    \"HelloRole\": { \"Type\": \"AWS::IAM::Role\", \"Properties\": { \"Policies\": [\n"
    "      { \"Resource\": { \"Fn::GetAtt\": \"HelloLogGroup.Arn\" } }, { \"Resource\": { \"Ref\": \"SharedTable\" } } ] } },\n"
    "    \"HelloLogGroup\": { \"Type\": \"AWS::Logs::LogGroup\" },\n"
    "    \"HelloQueue\": { \"Type\": \"AWS::SQS::Queue\" },\n"
    "    \"HelloWorldFunction\": { \"Type\": \"AWS::Lambda::Function\", \"DependsOn\": \"HelloFunction\",\n"
    "      \"Properties\": { \"Queue\": { \"Fn::GetAtt\": [ \"OnlyWorldQueue\", \"Arn\" ] } } },\n"
    "    \"HelloWorldRole\": { \"Type\": \"AWS::IAM::Role\", \"Properties\": { \"T\": { \"Ref\": \"SharedTable\" } } },\n"
    "    \"HelloweenBucket\": { \"Type\": \"AWS::S3::Bucket\" },\n"
    "    \"SharedTable\": { \"Type\": \"AWS::DynamoDB::Table\" },\n"
    "    \"OnlyWorldQueue\": { \"Type\": \"AWS::SQS::Queue\" },\n"
    "    \"Weird\": { \"Type\": \"Custom::Q\\\"uote\\\\Back\\nslash\\ttab\", \"DependsOn\": [ \"HelloQueue\", \"Missing\" ] },\n"
    "    \"Uni\": { \"Type\": \"AWS::SNS::Topic\", \"Properties\": { \"Description\": \"Gr\\u00fc\\u00dfe \\u2713 \\u0001!\" } }\n"
    "  },\n"
    "  \"Outputs\": {\n"
    "    \"HelloArn\": { \"Value\": { \"Fn::GetAtt\": [ \"HelloFunction\", \"Arn\" ] } },\n"
    "    \"HelloFunction\": { \"Description\": \"an output named like a resource\", \"Value\": { \"Ref\": \"HelloFunction\" } },\n"
    "    \"Region\": { \"Value\": { \"Ref\": \"AWS::Region\" } }\n"
    "  }\n"
    "}\n";

static const char *const tricky_ids[] = {"Stage", "HelloFunction", "HelloRole", "HelloLogGroup", "HelloQueue",
                                         "HelloWorldFunction", "HelloWorldRole", "HelloweenBucket", "SharedTable",
                                         "OnlyWorldQueue", "Weird", "Uni", "HelloArn", "Region"};

/* DOT names: resources by ID, the others by section. */
static const struct {
    const char *from, *to, *kind;
} tricky_edges[] = {
    {"HelloFunction", "HelloRole", "Fn::GetAtt"},
    {"HelloFunction", "Parameters.Stage", "Fn::Sub"},
    {"HelloFunction", "HelloQueue", "Fn::Sub"},
    {"HelloFunction", "HelloLogGroup", "Fn::Sub"},
    {"HelloFunction", "Parameters.Stage", "Ref"},
    {"HelloRole", "HelloLogGroup", "Fn::GetAtt"},
    {"HelloRole", "SharedTable", "Ref"},
    {"HelloWorldFunction", "HelloFunction", "DependsOn"},
    {"HelloWorldFunction", "OnlyWorldQueue", "Fn::GetAtt"},
    {"HelloWorldRole", "SharedTable", "Ref"},
    {"Weird", "HelloQueue", "DependsOn"},
    {"Outputs.HelloArn", "HelloFunction", "Fn::GetAtt"},
    {"Outputs.HelloFunction", "HelloFunction", "Ref"},
};
#define TRICKY_EDGES (sizeof tricky_edges / sizeof *tricky_edges)

static void load(sparta_describe_model *m, const char *text) {
    sparta_error_slot err;
    memset(&err, 0, sizeof err);
    int rc = sparta__describe_model_load(m, text, strlen(text), "tricky.json", "tricky", &err);
    if (rc != 0) fprintf(stderr, "\n  load failed: %s\n", err.message);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
}

static char *dot_of(const sparta_describe_model *m) {
    sparta_buffer b = SPARTA_BUFFER_INIT;
    CU_ASSERT_EQUAL(sparta__describe_dot(m, &b), 0);
    return sparta__buffer_take(&b, NULL);
}

/* The line of the DOT edge from -> to of this kind, or NULL. */
static const char *edge_line(const char *dot, const char *from, const char *to, const char *kind) {
    char *head = test_strf("  \"%s\" -> \"%s\" [", from, to);
    const char *from_id = strchr(from, '.') ? strchr(from, '.') + 1 : from;
    const char *to_id = strchr(to, '.') ? strchr(to, '.') + 1 : to;
    char *tip = test_strf("tooltip=\"%s %s %s\"", from_id, kind, to_id);
    const char *found = NULL;
    for (const char *p = strstr(dot, head); p && !found; p = strstr(p + 1, head)) {
        const char *end = strchr(p, '\n');
        const char *t = strstr(p, tip);
        if (t && (!end || t < end)) found = p;
    }
    free(head);
    free(tip);
    return found;
}

static void test_every_node_and_edge(void) {
    sparta_describe_model m;
    load(&m, tricky);
    CU_ASSERT_EQUAL(m.node_count, 15);
    CU_ASSERT_EQUAL(m.section_count[SPARTA_DESCRIBE_PARAMETER], 1);
    CU_ASSERT_EQUAL(m.section_count[SPARTA_DESCRIBE_RESOURCE], 11);
    CU_ASSERT_EQUAL(m.section_count[SPARTA_DESCRIBE_OUTPUT], 3);
    CU_ASSERT_EQUAL(m.edge_count, TRICKY_EDGES);
    CU_ASSERT_EQUAL(m.unresolved, 1); /* DependsOn Missing; AWS::Region is a pseudo parameter */
    char *dot = dot_of(&m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
    CU_ASSERT_EQUAL(strncmp(dot, "digraph \"tricky\" {\n", 19), 0);
    for (size_t i = 0; i < sizeof tricky_ids / sizeof *tricky_ids; i++) {
        long n = sparta__describe_node_find(&m, SPARTA_DESCRIBE_RESOURCE, tricky_ids[i]);
        if (n < 0) n = sparta__describe_node_find(&m, SPARTA_DESCRIBE_PARAMETER, tricky_ids[i]);
        if (n < 0) n = sparta__describe_node_find(&m, SPARTA_DESCRIBE_OUTPUT, tricky_ids[i]);
        CU_ASSERT(n >= 0);
        char *decl = test_strf("[id=\"node_%ld\", label=\"%s\\n", n, tricky_ids[i]);
        TEST_ASSERT_CONTAINS(dot, decl);
        free(decl);
    }
    TEST_ASSERT_CONTAINS(dot, "  \"HelloFunction\" [id=");
    TEST_ASSERT_CONTAINS(dot, "  \"Outputs.HelloFunction\" [id=");
    TEST_ASSERT_CONTAINS(dot, "  \"Parameters.Stage\" [id=");
    TEST_ASSERT_CONTAINS(dot, "label=\"HelloFunction\\nLambda::Function\"");
    TEST_ASSERT_CONTAINS(dot, "label=\"Stage\\nParameter: String\"");
    for (size_t e = 0; e < TRICKY_EDGES; e++) {
        const char *line = edge_line(dot, tricky_edges[e].from, tricky_edges[e].to, tricky_edges[e].kind);
        if (!line)
            fprintf(stderr, "\n  missing edge %s -> %s (%s)\n", tricky_edges[e].from, tricky_edges[e].to,
                    tricky_edges[e].kind);
        CU_ASSERT_PTR_NOT_NULL(line);
    }
    /* Exactly these edges: one "->" per edge. */
    size_t arrows = 0;
    for (const char *p = strstr(dot, "\" -> \""); p; p = strstr(p + 1, "\" -> \"")) arrows++;
    CU_ASSERT_EQUAL(arrows, TRICKY_EDGES);
    /* Edge styles by kind. */
    const char *dep = edge_line(dot, "HelloWorldFunction", "HelloFunction", "DependsOn");
    CU_ASSERT(dep && strstr(dep, "style=\"dotted\"") && strstr(dep, "style=\"dotted\"") < strchr(dep, '\n'));
    const char *sub = edge_line(dot, "HelloFunction", "HelloQueue", "Fn::Sub");
    CU_ASSERT(sub && strstr(sub, "style=\"dashed\"") < strchr(sub, '\n'));
    /* Service colours: Lambda orange, IAM red, Logs pink, S3 green, SQS purple. */
    TEST_ASSERT_CONTAINS(dot, "class=\"resource svc-lambda\", color=\"#ED7100\"");
    TEST_ASSERT_CONTAINS(dot, "class=\"resource svc-iam\", color=\"#DD344C\"");
    TEST_ASSERT_CONTAINS(dot, "class=\"resource svc-cloudwatch\", color=\"#E7157B\"");
    TEST_ASSERT_CONTAINS(dot, "class=\"resource svc-s3\", color=\"#7AA116\"");
    TEST_ASSERT_CONTAINS(dot, "class=\"resource svc-messaging\", color=\"#8C4FFF\"");
    free(dot);
    sparta__describe_model_free(&m);
}

static void test_names_escaped(void) {
    sparta_describe_model m;
    load(&m, tricky);
    char *dot = dot_of(&m);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
    /* A type with a quote, a backslash, a newline and a tab. */
    TEST_ASSERT_CONTAINS(dot, "label=\"Weird\\nCustom::Q\\\"uote\\\\Back\\nslash tab\"");
    /* A property string in the tooltip: quotes, backslash, newline, markup. */
    TEST_ASSERT_CONTAINS(dot, "Says \\\"hello\\\" \\\\ world\\n</script><b>\"");
    /* UTF-8 kept, control characters replaced. */
    TEST_ASSERT_CONTAINS(dot, "Grüße ✓  !\"");
    /* No raw newline or tab inside any quoted string: every line is a whole statement. */
    for (const char *line = dot; *line;) {
        const char *end = strchr(line, '\n');
        size_t quotes = 0;
        for (const char *c = line; c < end; c++) {
            if (*c == '\\') c++;
            else if (*c == '"') quotes++;
            CU_ASSERT_NOT_EQUAL(*c, '\t');
        }
        CU_ASSERT_EQUAL(quotes % 2, 0);
        line = end + 1;
    }
    /* Graphviz reads it back and draws every node, edge and group. */
    sparta_error_slot err;
    memset(&err, 0, sizeof err);
    char *svg = NULL;
    size_t svg_length = 0;
    CU_ASSERT_EQUAL_FATAL(sparta__describe_svg(dot, &svg, &svg_length, &err), 0);
    CU_ASSERT(svg_length > 1000);
    TEST_ASSERT_CONTAINS(svg, "Custom::Q&quot;uote\\Back");
    size_t nodes = 0, edges = 0, clusters = 0;
    for (const char *p = strstr(svg, "<g id=\"node_"); p; p = strstr(p + 1, "<g id=\"node_")) nodes++;
    for (const char *p = strstr(svg, "<g id=\"edge_"); p; p = strstr(p + 1, "<g id=\"edge_")) edges++;
    for (const char *p = strstr(svg, "<g id=\"cluster_"); p; p = strstr(p + 1, "<g id=\"cluster_")) clusters++;
    CU_ASSERT_EQUAL(nodes, m.node_count);
    CU_ASSERT_EQUAL(edges, m.edge_count);
    CU_ASSERT_EQUAL(clusters, 2);
    free(svg);
    free(dot);
    sparta__describe_model_free(&m);
}

static void test_dot_quote(void) {
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"plain", "\"plain\""},
        {"", "\"\""},
        {"a\"b", "\"a\\\"b\""},
        {"back\\slash", "\"back\\\\slash\""},
        {"\\\"", "\"\\\\\\\"\""},
        {"two\nlines", "\"two\\nlines\""},
        {"tab\there\r", "\"tab here \""},
        {"bad \xff\xfe byte", "\"bad ?? byte\""},
        {"cut \xe2\x9c", "\"cut ??\""},
        {"ok \xe2\x9c\x93", "\"ok \xe2\x9c\x93\""},
        {"overlong \xc0\xaf", "\"overlong ??\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sparta_buffer b = SPARTA_BUFFER_INIT;
        sparta__describe_dot_quote(&b, cases[i].in);
        if (strcmp(b.data, cases[i].out) != 0) fprintf(stderr, "\n  quote(%s) = %s\n", cases[i].in, b.data);
        CU_ASSERT_STRING_EQUAL(b.data, cases[i].out);
        sparta__buffer_free(&b);
    }
}

static long group_of(const sparta_describe_model *m, sparta_describe_node_kind kind, const char *id) {
    long n = sparta__describe_node_find(m, kind, id);
    CU_ASSERT_FATAL(n >= 0);
    return m->nodes[n].group;
}

static const char *group_name(const sparta_describe_model *m, sparta_describe_node_kind kind, const char *id) {
    long g = group_of(m, kind, id);
    return g >= 0 ? m->groups[g].name : "(none)";
}

static void test_function_groups(void) {
    sparta_describe_model m;
    load(&m, tricky);
    CU_ASSERT_EQUAL_FATAL(m.group_count, 2);
    const sparta_describe_node_kind R = SPARTA_DESCRIBE_RESOURCE;
    CU_ASSERT_STRING_EQUAL(group_name(&m, R, "HelloFunction"), "Hello");
    CU_ASSERT_STRING_EQUAL(group_name(&m, R, "HelloRole"), "Hello");
    CU_ASSERT_STRING_EQUAL(group_name(&m, R, "HelloLogGroup"), "Hello");
    CU_ASSERT_STRING_EQUAL(group_name(&m, R, "HelloQueue"), "Hello");
    CU_ASSERT_STRING_EQUAL(group_name(&m, SPARTA_DESCRIBE_OUTPUT, "HelloArn"), "Hello");
    CU_ASSERT_STRING_EQUAL(group_name(&m, SPARTA_DESCRIBE_OUTPUT, "HelloFunction"), "Hello");
    /* The longest prefix wins. */
    CU_ASSERT_STRING_EQUAL(group_name(&m, R, "HelloWorldFunction"), "HelloWorld");
    CU_ASSERT_STRING_EQUAL(group_name(&m, R, "HelloWorldRole"), "HelloWorld");
    /* Only at a CamelCase boundary: Helloween is not Hello's. */
    CU_ASSERT_STRING_EQUAL(group_name(&m, R, "HelloweenBucket"), "(none)");
    /* A resource only one function's resources use joins that function... */
    CU_ASSERT_STRING_EQUAL(group_name(&m, R, "OnlyWorldQueue"), "HelloWorld");
    CU_ASSERT_STRING_EQUAL(group_name(&m, R, "Weird"), "Hello");
    /* ...one that two functions share stays outside, as do parameters. */
    CU_ASSERT_STRING_EQUAL(group_name(&m, R, "SharedTable"), "(none)");
    CU_ASSERT_STRING_EQUAL(group_name(&m, R, "Uni"), "(none)");
    CU_ASSERT_STRING_EQUAL(group_name(&m, SPARTA_DESCRIBE_PARAMETER, "Stage"), "(none)");
    CU_ASSERT_STRING_EQUAL(group_name(&m, SPARTA_DESCRIBE_OUTPUT, "Region"), "(none)");

    /* In the DOT, a cluster holds its nodes. */
    char *dot = dot_of(&m);
    const char *c0 = strstr(dot, "  subgraph \"cluster_0\" {\n"), *c1 = strstr(dot, "  subgraph \"cluster_1\" {\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c1);
    const char *c0_end = strstr(c0, "\n  }\n"), *c1_end = strstr(c1, "\n  }\n");
    TEST_ASSERT_CONTAINS(c0, "label=\"Hello\"");
    const char *hello_role = strstr(dot, "    \"HelloRole\" [");
    CU_ASSERT(hello_role > c0 && hello_role < c0_end);
    const char *world_queue = strstr(dot, "    \"OnlyWorldQueue\" [");
    CU_ASSERT(world_queue > c1 && world_queue < c1_end);
    const char *shared = strstr(dot, "\n  \"SharedTable\" [");
    CU_ASSERT(shared && shared > c1_end);
    /* The function itself stands out. */
    const char *fn = strstr(dot, "    \"HelloFunction\" [");
    CU_ASSERT(fn && strstr(fn, "penwidth=\"2.2\"") < strchr(fn, '\n'));
    free(dot);
    sparta__describe_model_free(&m);
}

static void test_deterministic(void) {
    sparta_describe_model a, b;
    load(&a, tricky);
    load(&b, tricky);
    char *da = dot_of(&a), *db = dot_of(&b);
    CU_ASSERT_STRING_EQUAL(da, db);
    sparta_buffer ja = SPARTA_BUFFER_INIT, jb = SPARTA_BUFFER_INIT;
    CU_ASSERT_EQUAL(sparta__describe_json(&a, &ja), 0);
    CU_ASSERT_EQUAL(sparta__describe_json(&b, &jb), 0);
    CU_ASSERT_STRING_EQUAL(ja.data, jb.data);
    free(da);
    free(db);
    sparta__buffer_free(&ja);
    sparta__buffer_free(&jb);
    sparta__describe_model_free(&a);
    sparta__describe_model_free(&b);
}

static void expect_refused(const char *text, const char *needle) {
    sparta_describe_model m;
    sparta_error_slot err;
    memset(&err, 0, sizeof err);
    int rc = sparta__describe_model_load(&m, text, strlen(text), "input.json", "x", &err);
    CU_ASSERT_EQUAL(rc, SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "input.json");
    TEST_ASSERT_CONTAINS(err.message, needle);
    CU_ASSERT_EQUAL(m.node_count, 0);
    CU_ASSERT_PTR_NULL(m.nodes);
}

static void test_not_a_template(void) {
    expect_refused("", "the file is empty");
    expect_refused("Resources:\n  A:\n    Type: AWS::S3::Bucket\n",
                   "input.json:1:1: not a CloudFormation template: it is not JSON");
    expect_refused("{\n  \"Resources\": {\n    \"A\": { \"Type\": \"AWS::S3::Bucket\" }\n", "the JSON ends too early");
    expect_refused("{\"Resources\": {}}\n{\"more\": 1}", "input.json:2:1: not a CloudFormation template: text after");
    expect_refused("[1, 2, 3]", "has no \"Resources\" object");
    expect_refused("{\"Resources\": [1]}", "has no \"Resources\" object");
    /* The smallest template is fine. */
    sparta_describe_model m;
    sparta_error_slot err;
    memset(&err, 0, sizeof err);
    CU_ASSERT_EQUAL(sparta__describe_model_load(&m, "{\"Resources\":{}}", 16, "min.json", "min", &err), 0);
    CU_ASSERT_EQUAL(m.node_count, 0);
    sparta_buffer b = SPARTA_BUFFER_INIT;
    CU_ASSERT_EQUAL(sparta__describe_dot(&m, &b), 0);
    char *svg = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL(sparta__describe_svg(b.data, &svg, &n, &err), 0);
    TEST_ASSERT_CONTAINS(svg, "<svg");
    free(svg);
    sparta__buffer_free(&b);
    sparta__describe_model_free(&m);
}

static void test_graphviz_error(void) {
    sparta_error_slot err;
    memset(&err, 0, sizeof err);
    char *svg = NULL;
    size_t n = 0;
    CU_ASSERT_EQUAL(sparta__describe_svg("digraph { a -> ", &svg, &n, &err), SPARTA_EGRAPH);
    TEST_ASSERT_CONTAINS(err.message, "Graphviz could not read the DOT text");
    CU_ASSERT_PTR_NULL(svg);
    /* Graphviz recovers for the next graph. */
    CU_ASSERT_EQUAL(sparta__describe_svg("digraph { a -> b }", &svg, &n, &err), 0);
    free(svg);
}

const test_case describe_model_cases[] = {
    {"every node and edge in the DOT", test_every_node_and_edge},
    {"names, types and property strings are escaped", test_names_escaped},
    {"DOT quoting", test_dot_quote},
    {"a cluster per function", test_function_groups},
    {"same template, same bytes", test_deterministic},
    {"text that is not a template is refused", test_not_a_template},
    {"a Graphviz error is reported", test_graphviz_error},
    {NULL, NULL},
};
