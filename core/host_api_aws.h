/* The ABI 1.1 entries of the host table: AWS, second stacks, converge
 * extras, written artifacts (core/host_api_aws.c). */
#ifndef SPARTA_CORE_HOST_API_AWS_H
#define SPARTA_CORE_HOST_API_AWS_H

#include "host.h"

int sparta__api_aws_request(sparta_plugin *p, const sparta_aws_request *request, sparta_aws_response *response);
void sparta__api_aws_response_free(sparta_aws_response *response);
int sparta__api_s3_upload(sparta_plugin *p, const char *bucket, const char *key, const char *path, int *uploaded);
int sparta__api_converge_add_parameter(sparta_plugin *p, const char *key, const char *value);
int sparta__api_converge_add_rollback_trigger(sparta_plugin *p, const char *alarm_arn);
int sparta__api_converge_add_rollback_trigger_typed(sparta_plugin *p, const char *alarm_arn, const char *type);
int sparta__api_converge_set_monitoring_minutes(sparta_plugin *p, int minutes);
int sparta__api_converge_skip(sparta_plugin *p, const char *reason);
sparta_graph *sparta__api_graph_new(sparta_plugin *p, const char *stack_name);
int sparta__api_stack_converge(sparta_plugin *p, sparta_graph *g, const sparta_converge_options *options);
int sparta__api_synthesize(sparta_plugin *p);
const char *sparta__api_template_text(sparta_plugin *p, size_t *length);
const char *sparta__api_archive_path(sparta_plugin *p, const char *archive_name);
const char *sparta__api_archive_s3_key(sparta_plugin *p, const char *archive_name);
int sparta__api_zip_write(sparta_plugin *p, const char *path, const sparta_zip_entry *entries, size_t count);
const char *sparta__api_stack_value(sparta_plugin *p, const char *stack_name, const char *key);

#endif
