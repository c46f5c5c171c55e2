/* The `codebuild` group of sparta.cfg, as the host checks it before any
 * hook runs. Ranges and formats are checked by settings.c. */
#include "codebuild.h"

#define FIELD(path, type, description) {sizeof(sparta_schema_field), path, type, 0, description}

const sparta_schema_field codebuild_schema[] = {
    FIELD("image", SPARTA_VALUE_STRING, "build image (default " CODEBUILD_DEFAULT_IMAGE ")"),
    FIELD("computeType", SPARTA_VALUE_STRING, "BUILD_GENERAL1_SMALL (default), _MEDIUM, _LARGE, _XLARGE, _2XLARGE"),
    FIELD("timeout", SPARTA_VALUE_INT, "build timeout in minutes, 5..2160 (default 60)"),
    FIELD("environment", SPARTA_VALUE_OBJECT, "build environment variables; \"ssm:NAME\" and "
                                              "\"secretsmanager:ID\" values are read from those stores"),
    FIELD("environment.*", SPARTA_VALUE_STRING, NULL),
    FIELD("buildspec", SPARTA_VALUE_STRING, "buildspec path in the repository (default buildspec.yml)"),
    FIELD("install", SPARTA_VALUE_ARRAY, "install-phase commands (default: the build dependencies)"),
    FIELD("install.[]", SPARTA_VALUE_STRING, NULL),
    FIELD("build", SPARTA_VALUE_ARRAY, "commands that build the service (default: cmake)"),
    FIELD("build.[]", SPARTA_VALUE_STRING, NULL),
    FIELD("test", SPARTA_VALUE_ARRAY, "commands that test the service (default: ctest)"),
    FIELD("test.[]", SPARTA_VALUE_STRING, NULL),
    FIELD("spartaSource", SPARTA_VALUE_STRING, "git URL[#REF] the build installs sparta from"),
    FIELD("pullRequests", SPARTA_VALUE_BOOL, "also build every pull request (no deploy)"),
};

const size_t codebuild_schema_count = sizeof codebuild_schema / sizeof *codebuild_schema;
