/* Colours by AWS service, close to the AWS architecture icon families:
 * compute orange, security red, management pink, storage green, application
 * integration purple, developer tools blue. */
#include "describe.h"

#include <string.h>

typedef struct service_entry {
    const char *prefix; /* the type's service part: "Lambda" in AWS::Lambda::Function */
    sparta_describe_style style;
} service_entry;

#define S(prefix, name, slug, stroke, fill) {prefix, {name, slug, stroke, fill}}

static const service_entry services[] = {
    S("Lambda", "Lambda", "lambda", "#ED7100", "#FDE9D4"),
    S("Serverless", "Lambda", "lambda", "#ED7100", "#FDE9D4"),
    S("IAM", "IAM", "iam", "#DD344C", "#FADADF"),
    S("KMS", "IAM", "iam", "#DD344C", "#FADADF"),
    S("SecretsManager", "IAM", "iam", "#DD344C", "#FADADF"),
    S("Logs", "CloudWatch", "cloudwatch", "#E7157B", "#FBD9EA"),
    S("CloudWatch", "CloudWatch", "cloudwatch", "#E7157B", "#FBD9EA"),
    S("SSM", "CloudWatch", "cloudwatch", "#E7157B", "#FBD9EA"),
    S("S3", "S3", "s3", "#7AA116", "#E7F1D4"),
    S("DynamoDB", "DynamoDB", "dynamodb", "#3334B9", "#DEDEF7"),
    S("SNS", "Messaging", "messaging", "#8C4FFF", "#ECE1FF"),
    S("SQS", "Messaging", "messaging", "#8C4FFF", "#ECE1FF"),
    S("Events", "Messaging", "messaging", "#8C4FFF", "#ECE1FF"),
    S("Scheduler", "Messaging", "messaging", "#8C4FFF", "#ECE1FF"),
    S("StepFunctions", "Messaging", "messaging", "#8C4FFF", "#ECE1FF"),
    S("ApiGateway", "Messaging", "messaging", "#8C4FFF", "#ECE1FF"),
    S("ApiGatewayV2", "Messaging", "messaging", "#8C4FFF", "#ECE1FF"),
    S("CodePipeline", "CI/CD", "cicd", "#2E73D9", "#DCE9FA"),
    S("CodeBuild", "CI/CD", "cicd", "#2E73D9", "#DCE9FA"),
    S("CodeCommit", "CI/CD", "cicd", "#2E73D9", "#DCE9FA"),
    S("CodeDeploy", "CI/CD", "cicd", "#2E73D9", "#DCE9FA"),
    S("CodeStarConnections", "CI/CD", "cicd", "#2E73D9", "#DCE9FA"),
    S("CloudFormation", "CloudFormation", "cloudformation", "#B0084D", "#F6D6E2"),
};

static const sparta_describe_style other = {"Other", "other", "#5F6B7A", "#ECEFF3"};
static const sparta_describe_style custom = {"CloudFormation", "cloudformation", "#B0084D", "#F6D6E2"};
static const sparta_describe_style parameter = {"Parameter", "parameter", "#4B5563", "#F9FAFB"};
static const sparta_describe_style output = {"Output", "output", "#0F766E", "#E6F4F1"};

sparta_describe_style sparta__describe_style_for_type(const char *type) {
    /* AWS::<Service>::<Thing>; Custom::X is a custom resource. */
    if (strncmp(type, "Custom::", 8) == 0) return custom;
    if (strncmp(type, "AWS::", 5) != 0) return other;
    const char *service = type + 5, *end = strstr(service, "::");
    size_t n = end ? (size_t)(end - service) : strlen(service);
    for (size_t i = 0; i < sizeof services / sizeof *services; i++)
        if (strlen(services[i].prefix) == n && strncmp(service, services[i].prefix, n) == 0) return services[i].style;
    return other;
}

sparta_describe_style sparta__describe_style_for_kind(sparta_describe_node_kind kind) {
    return kind == SPARTA_DESCRIBE_PARAMETER ? parameter : kind == SPARTA_DESCRIBE_OUTPUT ? output : other;
}

/* Distinct styles in table order, then Other, Parameter, Output. */
static size_t distinct(size_t want, sparta_describe_style *out) {
    size_t n = 0;
    for (size_t i = 0; i < sizeof services / sizeof *services; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++) seen = strcmp(services[j].style.slug, services[i].style.slug) == 0;
        if (seen) continue;
        if (n == want && out) *out = services[i].style;
        n++;
    }
    const sparta_describe_style tail[] = {other, parameter, output};
    for (size_t i = 0; i < 3; i++, n++)
        if (n == want && out) *out = tail[i];
    return n;
}

size_t sparta__describe_style_count(void) { return distinct((size_t)-1, NULL); }

sparta_describe_style sparta__describe_style_at(size_t i) {
    sparta_describe_style s = other;
    distinct(i, &s);
    return s;
}
