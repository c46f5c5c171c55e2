/* What the host knows of a deployed stack: status, and the partition,
 * region and account of its StackId ARN (so alarm ARNs can be written). */
#include <stdio.h>
#include <string.h>

#include "rollback.h"

int rb_has_aws(void) { return SPARTA_HOST_HAS(rb_api, aws_request) && rb_api->aws_request && rb_api->aws_response_free; }

static int has_stack_value(void) { return SPARTA_HOST_HAS(rb_api, stack_value) && rb_api->stack_value; }

const char *rb_region(sparta_plugin *p, const sparta_invocation *inv) {
    const char *region = inv ? rb_api->flag_string(inv, "region") : NULL;
    if (!region || !*region) region = rb_api->service_get(p, "region");
    return region && *region ? region : NULL;
}

void rb_stack_info_read(sparta_plugin *p, const char *stack, const char *region, rb_stack_info *out) {
    memset(out, 0, sizeof *out);
    snprintf(out->partition, sizeof out->partition, "aws");
    if (region) snprintf(out->region, sizeof out->region, "%s", region);
    if (!has_stack_value()) return;
    const char *client_region = rb_api->stack_value(p, stack, "Region");
    if (!out->region[0] && client_region) snprintf(out->region, sizeof out->region, "%s", client_region);
    const char *status = rb_api->stack_value(p, stack, "StackStatus");
    out->deployed = status && strcmp(status, "REVIEW_IN_PROGRESS") != 0 && strcmp(status, "DELETE_COMPLETE") != 0;
    rb_arn arn;
    const char *id = rb_api->stack_value(p, stack, "StackId");
    if (id && rb_arn_parse(id, &arn) == 0) {
        snprintf(out->partition, sizeof out->partition, "%s", arn.partition);
        snprintf(out->region, sizeof out->region, "%s", arn.region);
        snprintf(out->account, sizeof out->account, "%s", arn.account);
    }
    const char *account = rb_api->stack_value(p, stack, "AccountId");
    if (account && strlen(account) == 12) snprintf(out->account, sizeof out->account, "%s", account);
}

char *rb_physical_id(sparta_plugin *p, const char *stack, const char *logical_id) {
    if (!rb_has_aws()) return NULL;
    sparta_text body = {0};
    sparta_text_puts(&body, "Action=DescribeStackResource&Version=2010-05-15&StackName=");
    sparta_text_urlencode(&body, stack);
    sparta_text_puts(&body, "&LogicalResourceId=");
    sparta_text_urlencode(&body, logical_id);
    if (body.failed) {
        sparta_text_free(&body);
        return NULL;
    }
    sparta_aws_request req = {sizeof req, "cloudformation", "POST", "/", NULL,
                              "application/x-www-form-urlencoded; charset=utf-8", NULL, body.data, body.length};
    sparta_aws_response res = {sizeof res, 0, NULL, 0};
    int rc = rb_api->aws_request(p, &req, &res);
    char *id = rc == 0 && res.body ? rb_xml_text(res.body, res.body + strlen(res.body), "PhysicalResourceId", NULL)
                                   : NULL;
    rb_api->aws_response_free(&res);
    sparta_text_free(&body);
    return id;
}
