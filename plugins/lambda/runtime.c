/* The Lambda runtimes this plugin accepts, and the retired ones it names
 * with their successor (after AWS's runtime deprecation schedule, as of
 * 2026-11: a retired runtime can no longer be created). */
#include <string.h>

#include "lambda.h"

static const char *const supported[] = {
    "provided.al2023", "python3.12", "python3.13", "python3.14", "nodejs22.x", "nodejs24.x",
    "java21",          "java25",     "dotnet10",   "ruby3.3",    "ruby3.4",    "ruby4.0",
};

static const struct retired {
    const char *name, *successor;
} retired[] = {
    {"provided", "provided.al2023"},  {"provided.al2", "provided.al2023"}, {"go1.x", "provided.al2023"},
    {"python2.7", "python3.14"},      {"python3.6", "python3.14"},        {"python3.7", "python3.14"},
    {"python3.8", "python3.14"},      {"python3.9", "python3.14"},        {"python3.10", "python3.14"},
    {"python3.11", "python3.14"},     {"nodejs", "nodejs24.x"},           {"nodejs4.3", "nodejs24.x"},
    {"nodejs6.10", "nodejs24.x"},     {"nodejs8.10", "nodejs24.x"},       {"nodejs10.x", "nodejs24.x"},
    {"nodejs12.x", "nodejs24.x"},     {"nodejs14.x", "nodejs24.x"},       {"nodejs16.x", "nodejs24.x"},
    {"nodejs18.x", "nodejs24.x"},     {"nodejs20.x", "nodejs24.x"},       {"java8", "java25"},
    {"java8.al2", "java25"},          {"java11", "java25"},               {"java17", "java25"},
    {"dotnet6", "dotnet10"},          {"dotnet8", "dotnet10"},            {"dotnetcore3.1", "dotnet10"},
    {"ruby2.5", "ruby3.4"},           {"ruby2.7", "ruby3.4"},             {"ruby3.2", "ruby3.4"},
};

int lambda_runtime_supported(const char *runtime, const char **hint) {
    if (hint) *hint = NULL;
    if (!runtime) return 0;
    for (size_t i = 0; i < sizeof supported / sizeof *supported; i++)
        if (strcmp(runtime, supported[i]) == 0) return 1;
    for (size_t i = 0; hint && i < sizeof retired / sizeof *retired; i++)
        if (strcmp(runtime, retired[i].name) == 0) *hint = retired[i].successor;
    return 0;
}

const char *lambda_runtime_list(void) {
    return "provided.al2023, python3.12, python3.13, python3.14, nodejs22.x, nodejs24.x, java21, "
           "java25, dotnet10, ruby3.3, ruby3.4, ruby4.0";
}

int lambda_runtime_is_custom(const char *runtime) { return runtime && strncmp(runtime, "provided", 8) == 0; }
