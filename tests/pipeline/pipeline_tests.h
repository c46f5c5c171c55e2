/* The pipeline suite's cases, one file per area. */
#ifndef SPARTA_TEST_PIPELINE_TESTS_H
#define SPARTA_TEST_PIPELINE_TESTS_H

void test_service_template_golden(void);
void test_package_contents(void);
void test_missing_keys_warning(void);
void test_no_environments_no_parameters(void);
void test_pipeline_connection_golden(void);
void test_pipeline_oauth_golden(void);
void test_pipeline_secret_and_settings(void);
void test_pipeline_alarm_gate_golden(void);
void test_bad_alarm_gate(void);
void test_example_config(void);
void test_buildspec_written(void);
void test_buildspec_keeps_foreign_file(void);
void test_bad_repo_urls(void);
void test_bad_credentials(void);
void test_bad_config(void);
void test_bad_package_flag(void);
void test_moto_provision_pipeline(void);
void test_moto_pipeline_api(void);
void test_moto_package_upload(void);
void test_moto_unversioned_bucket(void);
void test_moto_oauth_token_stays_secret(void);
void pl_moto_stop(void);

#endif
