/* The `codepipeline` group of sparta.cfg, as the host checks it before any
 * hook runs. Names, values and ranges are checked by config.c. */
#include "codepipeline.h"

#define FIELD(path, type, required, description) {sizeof(sparta_schema_field), path, type, required, description}

const sparta_schema_field cp_schema[] = {
    FIELD("environments", SPARTA_VALUE_ARRAY, 0, "the stacks the pipeline deploys, in order"),
    FIELD("environments.[]", SPARTA_VALUE_OBJECT, 0, NULL),
    FIELD("environments.[].name", SPARTA_VALUE_STRING, 1, "the environment's name, e.g. name = \"test\";"),
    FIELD("environments.[].variables", SPARTA_VALUE_OBJECT, 0, "function environment variables for this stack"),
    FIELD("environments.[].variables.*", SPARTA_VALUE_NULL, 0, NULL),
    FIELD("environments.[].approval", SPARTA_VALUE_STRING, 0, "none (default), manual, or alarms (rollback plugin)"),
    FIELD("environments.[].stackName", SPARTA_VALUE_STRING, 0, "default <Name>-<service>-<branch>"),
    FIELD("environments.[].tags", SPARTA_VALUE_OBJECT, 0, "stack tags"),
    FIELD("environments.[].tags.*", SPARTA_VALUE_STRING, 0, NULL),
    FIELD("environments.[].stackPolicy", SPARTA_VALUE_NULL, 0, "a stack policy: { Statement = ( {...} ); }"),
    FIELD("updatePipeline", SPARTA_VALUE_BOOL, 0, "the pipeline updates its own stack (default true)"),
    FIELD("deployPrivileges", SPARTA_VALUE_ARRAY, 0, "more IAM statements for the deploy role"),
    FIELD("deployPrivileges.[]", SPARTA_VALUE_OBJECT, 0, NULL),
    FIELD("deployPrivileges.[].actions", SPARTA_VALUE_ARRAY, 1, "e.g. [ \"dynamodb:CreateTable\" ]"),
    FIELD("deployPrivileges.[].actions.[]", SPARTA_VALUE_STRING, 0, NULL),
    FIELD("deployPrivileges.[].resources", SPARTA_VALUE_ARRAY, 1, "ARNs, ${AWS::Region} and friends allowed"),
    FIELD("deployPrivileges.[].resources.[]", SPARTA_VALUE_STRING, 0, NULL),
};

const size_t cp_schema_count = sizeof cp_schema / sizeof *cp_schema;
