/* The codebuild and codepipeline plugins, run as a user runs them: the
 * service template with per-environment parameters, the
 * --codePipelinePackage ZIP, the buildspec, the pipeline stack (golden
 * files, cfn-lint with a no-wildcard-actions rule), bad input, and the whole
 * flow against moto_server. */
#include <stdio.h>
#include <stdlib.h>

#include "pipeline_support.h"
#include "pipeline_tests.h"

int main(void) {
    if (test_sh(NULL, "command -v cfn-lint && command -v python3 && command -v unzip && command -v moto_server && "
                      "command -v aws") != 0) {
        fprintf(stderr, "the pipeline suite needs cfn-lint, python3, unzip, moto_server and the aws CLI on PATH "
                        "(see ../shared/LOCAL-AWS.md)\n");
        return 1;
    }
    if (test_service_open(&pl_svc, NULL) != 0) return 1;
    static const test_case cases[] = {
        {"service template: parameters wired into every function (golden)", test_service_template_golden},
        {"--codePipelinePackage ZIP: template and one file per environment", test_package_contents},
        {"environments with different keys: a warning naming them", test_missing_keys_warning},
        {"no environments: the template is unchanged", test_no_environments_no_parameters},
        {"pipeline stack with a connection (golden, lint, no wildcards)", test_pipeline_connection_golden},
        {"pipeline stack with an OAuth token (golden, NoEcho)", test_pipeline_oauth_golden},
        {"pipeline stack with a token secret and build settings", test_pipeline_secret_and_settings},
        {"approval = \"alarms\": an AlarmGate CodeBuild action (golden, lint)", test_pipeline_alarm_gate_golden},
        {"contrib/buildspec/sparta.cfg.example: the sample in 15 lines", test_example_config},
        {"sparta buildspec writes buildspec.yml (golden)", test_buildspec_written},
        {"sparta buildspec keeps a file it did not write", test_buildspec_keeps_foreign_file},
        {"bad --repo URLs", test_bad_repo_urls},
        {"bad or missing credentials", test_bad_credentials},
        {"bad codepipeline and codebuild groups", test_bad_config},
        {"bad --codePipelinePackage", test_bad_package_flag},
        {"approval = \"alarms\" on the first environment or without rollback", test_bad_alarm_gate},
        {"moto: provisionPipeline creates the stack; a rerun changes nothing", test_moto_provision_pipeline},
        {"moto: CodePipeline and CodeBuild accept the generated definitions", test_moto_pipeline_api},
        {"moto: provision --codePipelinePackage uploads and does not converge", test_moto_package_upload},
        {"moto: an unversioned bucket is a clear error", test_moto_unversioned_bucket},
        {"moto: the OAuth token stays out of files, logs and templates", test_moto_oauth_token_stays_secret},
        {NULL, NULL}};
    int rc = test_main("pipeline", cases);
    pl_moto_stop();
    test_service_close(&pl_svc);
    return rc;
}
