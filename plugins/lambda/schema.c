/* The lambda group's schema: the host rejects unknown keys and wrong types
 * (with file:line) before any hook runs. Ranges, names, files and the
 * shape of union-typed keys (sns, sqs, privileges.resource, eventBridge
 * patterns) are checked by config.c. */
#include "lambda.h"

#define F(path, type, required, description) \
    {sizeof(sparta_schema_field), path, SPARTA_VALUE_##type, required, description}

/* Keys shared by `defaults` and each function. */
#define COMMON(prefix)                                                                                  \
    F(prefix "runtime", STRING, 0, "Lambda runtime, default provided.al2023"),                          \
    F(prefix "handler", STRING, 0, "handler; default bootstrap for provided.* runtimes"),               \
    F(prefix "code", STRING, 0, "a file or directory, relative to sparta.cfg"),                         \
    F(prefix "memory", INT, 0, "MB, 128..10240, default 128"),                                          \
    F(prefix "timeout", INT, 0, "seconds, 1..900, default 3"),                                          \
    F(prefix "architecture", STRING, 0, "x86_64 or arm64"),                                             \
    F(prefix "environment", OBJECT, 0, "environment variables"),                                        \
    F(prefix "environment.*", STRING, 0, "a value; \"${Param}\" refers to a stack parameter"),          \
    F(prefix "tracing", STRING, 0, "X-Ray tracing: Active or PassThrough"),                             \
    F(prefix "tags", OBJECT, 0, "tags on the function"),                                                \
    F(prefix "tags.*", STRING, 0, NULL),                                                                \
    F(prefix "logRetentionDays", INT, 0, "CloudWatch Logs retention"),                                  \
    F(prefix "privileges", ARRAY, 0, "IAM statements for the function's role"),                         \
    F(prefix "privileges.[]", OBJECT, 0, NULL),                                                         \
    F(prefix "privileges.[].actions", ARRAY, 1, "IAM actions, e.g. [\"s3:GetObject\"]"),                 \
    F(prefix "privileges.[].actions.[]", STRING, 0, NULL),                                              \
    F(prefix "privileges.[].resource", NULL, 1, "an ARN or a list of ARNs")

const sparta_schema_field lambda_schema[] = {
    F("package", STRING, 0, "\"function\" (one archive per function, default) or \"shared\""),
    F("parameters", OBJECT, 0, "String stack parameters: Name = \"default\""),
    F("parameters.*", STRING, 0, NULL),
    F("defaults", OBJECT, 0, "settings every function inherits"),
    COMMON("defaults."),
    F("functions", ARRAY, 0, "the functions"),
    F("functions.[]", OBJECT, 0, NULL),
    F("functions.[].name", STRING, 1, "the function's name: letters, digits, '-' and '_'"),
    F("functions.[].description", STRING, 0, NULL),
    COMMON("functions.[]."),
    F("functions.[].reservedConcurrency", INT, 0, "reserved concurrent executions"),
    F("functions.[].dependsOn", ARRAY, 0, "function names or logical IDs created first"),
    F("functions.[].dependsOn.[]", STRING, 0, NULL),
    F("functions.[].events", ARRAY, 0, "event sources"),
    F("functions.[].events.[]", OBJECT, 0, NULL),
    F("functions.[].events.[].schedule", STRING, 0, "rate(5 minutes) or cron(0 12 * * ? *)"),
    F("functions.[].events.[].eventBridge", OBJECT, 0, NULL),
    F("functions.[].events.[].eventBridge.pattern", NULL, 1, "the event pattern, a group"),
    F("functions.[].events.[].eventBridge.eventBus", STRING, 0, "bus name or ARN; default bus if unset"),
    F("functions.[].events.[].sns", NULL, 0, "topic ARN or name to create, or { topic; filterPolicy; }"),
    F("functions.[].events.[].sqs", NULL, 0,
      "queue ARN or name to create, or { queue; batchSize; batchWindow; enabled; }"),
    F("functions.[].events.[].s3", OBJECT, 0, NULL),
    F("functions.[].events.[].s3.bucket", STRING, 1, "bucket name (created) or ARN (existing)"),
    F("functions.[].events.[].s3.events", ARRAY, 0, "default [\"s3:ObjectCreated:*\"]"),
    F("functions.[].events.[].s3.events.[]", STRING, 0, NULL),
    F("functions.[].events.[].s3.prefix", STRING, 0, NULL),
    F("functions.[].events.[].s3.suffix", STRING, 0, NULL),
};

const size_t lambda_schema_count = sizeof lambda_schema / sizeof *lambda_schema;
