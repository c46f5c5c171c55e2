/* The service side: environment variables as template parameters, the
 * --codePipelinePackage ZIP, the missing-keys warning. */
#include <stdlib.h>
#include <string.h>

#include "pipeline_support.h"
#include "pipeline_tests.h"

#define PACKAGE_RUN "provision --noop --codePipelinePackage pipeline.zip"

void test_service_template_golden(void) {
    if (!pl_plugin_built("lambda")) return;
    pl_service(pl_codebuild_cfg, pl_codepipeline_cfg);
    char *out = NULL;
    CU_ASSERT_EQUAL(test_service_sparta(&pl_svc, &out, PACKAGE_RUN), 0);
    free(out);
    char *tmpl = pl_read(".sparta/hello.template.json");
    pl_golden("service.template.json", tmpl);
    /* Every function's LOG_LEVEL and FEATURE_X refer to the parameters; the
     * function's own GREETING stays. */
    CU_ASSERT_EQUAL(test_sh(&out,
                            "python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); "
                            "p=t[\"Parameters\"]; assert p[\"LOGLEVEL\"][\"Type\"]==\"String\" and \"FEATUREX\" in p; "
                            "fs=[r for r in t[\"Resources\"].values() if r[\"Type\"]==\"AWS::Lambda::Function\"]; "
                            "assert len(fs)==2; "
                            "assert all(f[\"Properties\"][\"Environment\"][\"Variables\"][\"LOG_LEVEL\"]=={\"Ref\":\"LOGLEVEL\"} "
                            "and f[\"Properties\"][\"Environment\"][\"Variables\"][\"FEATURE_X\"]=={\"Ref\":\"FEATUREX\"} for f in fs); "
                            "assert any(f[\"Properties\"][\"Environment\"][\"Variables\"].get(\"GREETING\")==\"hi\" for f in fs)' "
                            "'%s/.sparta/hello.template.json'",
                            pl_svc.dir),
                    0);
    free(out);
    CU_ASSERT_EQUAL(pl_lint(".sparta/hello.template.json") & 3, 0);
    free(tmpl);
}

void test_package_contents(void) {
    if (!pl_plugin_built("lambda")) return;
    pl_service(pl_codebuild_cfg, pl_codepipeline_cfg);
    char *out = NULL;
    CU_ASSERT_EQUAL(test_service_sparta(&pl_svc, &out, PACKAGE_RUN), 0);
    TEST_ASSERT_CONTAINS(out, "Pipeline package written: .sparta/pipeline.zip");
    free(out);
    CU_ASSERT_EQUAL(pl_check(NULL, "package .sparta/pipeline.zip test=LOGLEVEL:debug,FEATUREX:true "
                                   "prod=LOGLEVEL:warn,FEATUREX:"),
                    0);
    /* cloudformation.json is the template, byte for byte. */
    CU_ASSERT_EQUAL(test_sh(NULL, "cd '%s' && unzip -p .sparta/pipeline.zip cloudformation.json | "
                                  "cmp - .sparta/hello.template.json",
                            pl_svc.dir),
                    0);
    char *test_json = NULL, *prod_json = NULL;
    test_sh(&test_json, "cd '%s' && unzip -p .sparta/pipeline.zip test.json", pl_svc.dir);
    test_sh(&prod_json, "cd '%s' && unzip -p .sparta/pipeline.zip prod.json", pl_svc.dir);
    pl_golden("test.json", test_json);
    pl_golden("prod.json", prod_json);
    TEST_ASSERT_CONTAINS(prod_json, "\"stage\": \"prod\"");
    TEST_ASSERT_CONTAINS(prod_json, "\"team\": \"core\"");
    TEST_ASSERT_CONTAINS(prod_json, "\"StackPolicy\"");
    CU_ASSERT_PTR_NULL(strstr(test_json, "StackPolicy"));
    free(test_json);
    free(prod_json);
    /* The same config gives the same bytes. */
    CU_ASSERT_EQUAL(test_service_sparta_prefixed(&pl_svc, NULL, "cp .sparta/pipeline.zip first.zip &&",
                                                 PACKAGE_RUN " >/dev/null 2>&1 && cmp first.zip .sparta/pipeline.zip"),
                    0);
}

void test_missing_keys_warning(void) {
    if (!pl_plugin_built("lambda")) return;
    pl_service(NULL, pl_codepipeline_cfg);
    char *out = NULL;
    CU_ASSERT_EQUAL(test_service_sparta(&pl_svc, &out, PACKAGE_RUN), 0);
    TEST_ASSERT_CONTAINS(out, "WARN");
    TEST_ASSERT_CONTAINS(out, "environment 'prod' does not define the variable FEATURE_X");
    CU_ASSERT_PTR_NULL(strstr(out, "environment 'test' does not define"));
    free(out);
}

void test_no_environments_no_parameters(void) {
    if (!pl_plugin_built("lambda")) return;
    pl_service(NULL, "codepipeline = { };\n");
    char *out = NULL;
    CU_ASSERT_EQUAL(test_service_sparta(&pl_svc, &out, "provision --noop"), 0);
    free(out);
    char *tmpl = pl_read(".sparta/hello.template.json");
    CU_ASSERT_PTR_NOT_NULL(tmpl);
    if (tmpl) CU_ASSERT_PTR_NULL(strstr(tmpl, "\"Parameters\""));
    free(tmpl);
}
