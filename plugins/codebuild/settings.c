/* Reads the `codebuild` group: every setting has a default, every value is
 * checked against what CodeBuild accepts, and every problem is reported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codebuild.h"

#define G "codebuild"

static const char *const default_install[] = {
    "$(command -v dnf || command -v yum) install -y gcc make cmake git zip unzip json-c-devel libzip-devel libconfig-devel "
    "libxml2-devel libcurl-devel openssl-devel"};
static const char *const default_build[] = {"cmake -S . -B build -DCMAKE_BUILD_TYPE=Release",
                                            "cmake --build build -j\"$(nproc)\""};
static const char *const default_test[] = {"ctest --test-dir build --output-on-failure"};

static const char *const compute_types[] = {"BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM",
                                            "BUILD_GENERAL1_LARGE", "BUILD_GENERAL1_XLARGE",
                                            "BUILD_GENERAL1_2XLARGE"};

static int has_space_or_quote(const char *s) {
    for (; *s; s++)
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\'' || *s == '"' || *s == '\\') return 1;
    return 0;
}

int codebuild_env_name_valid(const char *name) {
    if (!name || !((*name >= 'A' && *name <= 'Z') || (*name >= 'a' && *name <= 'z') || *name == '_')) return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return strlen(name) <= 255;
}

static const char *string_at(sparta_plugin *p, const sparta_value *v, const char *key, const char *fallback,
                             codebuild_problems *pr) {
    const sparta_value *x = codebuild_api->value_get(v, key);
    if (!x) return fallback;
    const char *s = codebuild_api->value_string(x);
    char path[128];
    snprintf(path, sizeof path, G ".%s", key);
    if (!s) {
        codebuild_problem(pr, p, x, path, "must be a string");
        return fallback;
    }
    if (!*s) {
        codebuild_problem(pr, p, x, path, "is empty: remove it to get the default");
        return fallback;
    }
    return s;
}

/* A list of commands: the config's strings, or the defaults. */
static int commands_at(sparta_plugin *p, const sparta_value *section, const char *key, const char *const *defaults,
                       size_t default_count, const char ***out, size_t *count, codebuild_problems *pr) {
    const sparta_value *list = codebuild_api->value_get(section, key);
    if (!list) {
        *out = calloc(default_count + 1, sizeof **out);
        if (!*out) return SPARTA_ENOMEM;
        for (size_t i = 0; i < default_count; i++) (*out)[i] = defaults[i];
        *count = default_count;
        return 0;
    }
    if (codebuild_api->value_type(list) != SPARTA_VALUE_ARRAY) {
        codebuild_problem(pr, p, list, G, "%s must be a list of commands: %s = [ \"make\" ];", key, key);
        *out = calloc(1, sizeof **out);
        *count = 0;
        return *out ? 0 : SPARTA_ENOMEM;
    }
    size_t n = codebuild_api->value_count(list);
    *out = calloc(n + 1, sizeof **out);
    if (!*out) return SPARTA_ENOMEM;
    *count = 0;
    for (size_t i = 0; i < n; i++) {
        const sparta_value *c = codebuild_api->value_at(list, i);
        const char *s = codebuild_api->value_string(c);
        if (!s || !*s || strchr(s, '\n')) {
            codebuild_problem(pr, p, c, G, "%s[%zu] must be a one-line, non-empty command", key, i);
            continue;
        }
        (*out)[(*count)++] = s;
    }
    return 0;
}

static void read_variables(sparta_plugin *p, const sparta_value *env, codebuild_settings *s, codebuild_problems *pr) {
    if (!env) return;
    if (codebuild_api->value_type(env) != SPARTA_VALUE_OBJECT) {
        codebuild_problem(pr, p, env, G ".environment", "must be a group: environment = { NAME = \"value\"; };");
        return;
    }
    size_t n = codebuild_api->value_count(env);
    s->variables = calloc(n + 1, sizeof *s->variables);
    if (!s->variables) {
        pr->text.failed = 1; /* out of memory: codebuild_settings_read returns SPARTA_ENOMEM */
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = codebuild_api->value_key_at(env, i);
        const sparta_value *v = codebuild_api->value_at(env, i);
        const char *value = codebuild_api->value_string(v);
        if (!codebuild_env_name_valid(name)) {
            codebuild_problem(pr, p, v, G ".environment", "'%s' is not a variable name (letters, digits, '_')", name);
            continue;
        }
        if (strncmp(name, "CODEBUILD_", 10) == 0 || strcmp(name, "ARTIFACT_BUCKET") == 0) {
            codebuild_problem(pr, p, v, G ".environment", "%s is reserved (CODEBUILD_* by CodeBuild, "
                                                          "ARTIFACT_BUCKET by sparta): rename it", name);
            continue;
        }
        if (!value) {
            codebuild_problem(pr, p, v, G ".environment", "%s must be a string", name);
            continue;
        }
        codebuild_variable var = {name, value, CODEBUILD_VARIABLE_PLAINTEXT};
        if (strncmp(value, "ssm:", 4) == 0) {
            var.type = CODEBUILD_VARIABLE_PARAMETER_STORE;
            var.value = value + 4;
        } else if (strncmp(value, "secretsmanager:", 15) == 0) {
            var.type = CODEBUILD_VARIABLE_SECRETS_MANAGER;
            var.value = value + 15;
        }
        if (var.type != CODEBUILD_VARIABLE_PLAINTEXT && (!*var.value || has_space_or_quote(var.value))) {
            codebuild_problem(pr, p, v, G ".environment", "%s: '%s' names no parameter or secret", name, value);
            continue;
        }
        s->variables[s->variable_count++] = var;
    }
}

static void check_buildspec_path(sparta_plugin *p, const sparta_value *at, const char *path, codebuild_problems *pr) {
    if (path[0] == '/' || strstr(path, "..") || has_space_or_quote(path))
        codebuild_problem(pr, p, at, G ".buildspec",
                          "'%s' must be a path inside the repository (relative, no '..', no spaces)", path);
}

static void check_source(sparta_plugin *p, const sparta_value *at, const char *source, codebuild_problems *pr) {
    if (has_space_or_quote(source) || !(strncmp(source, "https://", 8) == 0 || strncmp(source, "git@", 4) == 0 ||
                                        strncmp(source, "ssh://", 6) == 0))
        codebuild_problem(pr, p, at, G ".spartaSource",
                          "'%s' is not a git URL: use https://HOST/OWNER/sparta.git[#REF]", source);
}

int codebuild_settings_read(sparta_plugin *p, const sparta_value *section, codebuild_settings *s,
                            codebuild_problems *pr) {
    memset(s, 0, sizeof *s);
    const sparta_host_api *api = codebuild_api;
    if (section && api->value_type(section) != SPARTA_VALUE_OBJECT) {
        codebuild_problem(pr, p, section, G, "must be a group: codebuild = { ... };");
        section = NULL;
    }
    s->image = string_at(p, section, "image", CODEBUILD_DEFAULT_IMAGE, pr);
    if (has_space_or_quote(s->image))
        codebuild_problem(pr, p, api->value_get(section, "image"), G ".image", "'%s' is not an image name", s->image);
    s->environment_type = strstr(s->image, "aarch64") || strstr(s->image, "arm64") ? "ARM_CONTAINER"
                                                                                     : "LINUX_CONTAINER";
    s->compute_type = string_at(p, section, "computeType", CODEBUILD_DEFAULT_COMPUTE, pr);
    int known = 0;
    for (size_t i = 0; i < sizeof compute_types / sizeof *compute_types; i++)
        if (strcmp(s->compute_type, compute_types[i]) == 0) known = 1;
    if (!known)
        codebuild_problem(pr, p, api->value_get(section, "computeType"), G ".computeType",
                          "'%s' is not a compute type: use BUILD_GENERAL1_SMALL, BUILD_GENERAL1_MEDIUM, "
                          "BUILD_GENERAL1_LARGE, BUILD_GENERAL1_XLARGE or BUILD_GENERAL1_2XLARGE",
                          s->compute_type);
    s->timeout = CODEBUILD_DEFAULT_TIMEOUT;
    const sparta_value *timeout = api->value_get(section, "timeout");
    if (timeout) {
        if (api->value_type(timeout) != SPARTA_VALUE_INT)
            codebuild_problem(pr, p, timeout, G ".timeout", "must be a whole number of minutes");
        else if (api->value_int(timeout) < CODEBUILD_TIMEOUT_MIN || api->value_int(timeout) > CODEBUILD_TIMEOUT_MAX)
            codebuild_problem(pr, p, timeout, G ".timeout", "%lld minutes: CodeBuild accepts %d to %d",
                              (long long)api->value_int(timeout), CODEBUILD_TIMEOUT_MIN, CODEBUILD_TIMEOUT_MAX);
        else
            s->timeout = api->value_int(timeout);
    }
    s->buildspec = string_at(p, section, "buildspec", CODEBUILD_DEFAULT_BUILDSPEC, pr);
    check_buildspec_path(p, api->value_get(section, "buildspec"), s->buildspec, pr);
    s->sparta_source = string_at(p, section, "spartaSource", NULL, pr);
    if (s->sparta_source) check_source(p, api->value_get(section, "spartaSource"), s->sparta_source, pr);
    const sparta_value *prs = api->value_get(section, "pullRequests");
    if (prs && api->value_type(prs) != SPARTA_VALUE_BOOL)
        codebuild_problem(pr, p, prs, G ".pullRequests", "must be true or false");
    s->pull_requests = prs && api->value_bool(prs);
    read_variables(p, api->value_get(section, "environment"), s, pr);
    int rc = commands_at(p, section, "install", default_install, 1, &s->install, &s->install_count, pr);
    if (rc == 0) rc = commands_at(p, section, "build", default_build, 2, &s->build, &s->build_count, pr);
    if (rc == 0) rc = commands_at(p, section, "test", default_test, 1, &s->test, &s->test_count, pr);
    if (rc == 0 && pr->text.failed) rc = SPARTA_ENOMEM;
    return rc;
}

int codebuild_settings_load(sparta_plugin *p, codebuild_settings *s) {
    codebuild_problems pr = {0};
    int rc = codebuild_settings_read(p, codebuild_api->config_section(p), s, &pr);
    if (rc == 0) return codebuild_problems_report(&pr, p, "the codebuild group of sparta.cfg");
    sparta_text_free(&pr.text);
    return codebuild_api->error(p, rc, "out of memory");
}

void codebuild_buildspec_path(sparta_plugin *p, const codebuild_settings *s, char *out, size_t cap) {
    char root[4096] = "";
    const char *origin = codebuild_api->value_origin(p, codebuild_api->config_root(p));
    if (origin && *origin) {
        snprintf(root, sizeof root, "%s", origin); /* "<file>:<line>" */
        char *colon = strrchr(root, ':');
        if (colon) *colon = '\0';
        char *slash = strrchr(root, '/');
        if (slash) slash[1] = '\0';
        else root[0] = '\0';
    }
    snprintf(out, cap, "%s%s", root, s->buildspec);
}

void codebuild_settings_free(codebuild_settings *s) {
    free(s->variables);
    free(s->install);
    free(s->build);
    free(s->test);
    memset(s, 0, sizeof *s);
}
