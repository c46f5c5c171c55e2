#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf */
#endif
#include "aws/endpoint.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const sparta__aws_service services[] = {
    {"s3", "S3", "s3", 0},
    {"cloudformation", "CloudFormation", "cloudformation", 0},
    {"codepipeline", "CodePipeline", "codepipeline", 0},
    {"codebuild", "CodeBuild", "codebuild", 0},
    {"monitoring", "CloudWatch", "monitoring", 0},
    {"logs", "CloudWatch Logs", "logs", 0},
    {"lambda", "Lambda", "lambda", 0},
    {"sts", "STS", "sts", 0},
    {"iam", "IAM", "iam", 1},
    {"events", "EventBridge", "events", 0},
    {"sns", "SNS", "sns", 0},
    {"sqs", "SQS", "sqs", 0},
    {"dynamodb", "DynamoDB", "dynamodb", 0},
    {"apigateway", "API Gateway", "apigateway", 0},
};

sparta__aws_service sparta__aws_service_lookup(const char *name) {
    if (name && !strcasecmp(name, "cloudwatch")) name = "monitoring";
    for (size_t i = 0; i < sizeof services / sizeof *services; i++)
        if (name && !strcasecmp(services[i].name, name)) return services[i];
    sparta__aws_service unknown = {name, name, name, 0};
    return unknown;
}

void sparta__aws_endpoint_env_name(const char *service_id, char *out, size_t out_len) {
    size_t o = (size_t)snprintf(out, out_len, "AWS_ENDPOINT_URL_");
    for (const char *p = service_id; *p && o + 1 < out_len; p++)
        out[o++] = *p == ' ' || *p == '-' ? '_' : (char)toupper((unsigned char)*p);
    out[o < out_len ? o : out_len - 1] = '\0';
}

static int is_true(const char *v) { return v && (!strcasecmp(v, "true") || !strcmp(v, "1")); }

/* Section key in a profile's services block: service ID lower-cased, spaces
 * to underscores ("cloudwatch_logs"). */
static void services_key(const char *service_id, char *out, size_t out_len) {
    size_t o = 0;
    for (const char *p = service_id; *p && o + 1 < out_len; p++)
        out[o++] = *p == ' ' ? '_' : (char)tolower((unsigned char)*p);
    out[o] = '\0';
}

static int set_url(char **url, const char *value, sparta_error_slot *err) {
    size_t n = strlen(value);
    while (n && value[n - 1] == '/') n--;
    *url = strndup(value, n);
    if (!*url) return sparta__error_set(err, SPARTA_ENOMEM, "out of memory");
    if (strncasecmp(*url, "http://", 7) && strncasecmp(*url, "https://", 8)) {
        int rc = sparta__error_set(err, SPARTA_ECONFIG,
                                   "endpoint URL '%s' must start with http:// or https://", *url);
        free(*url);
        *url = NULL;
        return rc;
    }
    return 0;
}

int sparta__aws_endpoint_resolve(const char *service, const char *region,
                                 const sparta__aws_profile *profile, char **url, int *overridden,
                                 sparta_error_slot *err) {
    sparta__aws_service svc = sparta__aws_service_lookup(service);
    *url = NULL;
    *overridden = 1;
    if (!is_true(getenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) &&
        !is_true(sparta__aws_profile_get(profile, "ignore_configured_endpoint_urls"))) {
        char env[128], key[128];
        sparta__aws_endpoint_env_name(svc.service_id, env, sizeof env);
        const char *v = getenv(env);
        if (v && *v) return set_url(url, v, err);
        v = getenv("AWS_ENDPOINT_URL");
        if (v && *v) return set_url(url, v, err);
        services_key(svc.service_id, key, sizeof key);
        v = sparta__aws_profile_service_get(profile, key, "endpoint_url");
        if (v) return set_url(url, v, err);
        v = sparta__aws_profile_get(profile, "endpoint_url");
        if (v) return set_url(url, v, err);
    }
    *overridden = 0;
    const char *suffix = region && !strncmp(region, "cn-", 3) ? "amazonaws.com.cn" : "amazonaws.com";
    int n = svc.global ? asprintf(url, "https://%s.%s", svc.name, suffix)
                       : asprintf(url, "https://%s.%s.%s", svc.name, region, suffix);
    if (n < 0) {
        *url = NULL;
        return sparta__error_set(err, SPARTA_ENOMEM, "out of memory");
    }
    return 0;
}
