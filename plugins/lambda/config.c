/* Reads the lambda group into lambda_config and checks everything the
 * schema cannot: ranges, names, runtimes, code paths, references. Every
 * problem is collected, so the user fixes them in one pass. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lambda.h"

#define API lambda_api

typedef struct parse_ctx {
    sparta_plugin *p;
    lambda_problems *pr;
    const sparta_value *defaults;
    int defaults_code_reported;
} parse_ctx;

static const int64_t retention_days[] = {1,   3,   5,   7,    14,   30,   60,   90,   120,  150,  180,
                                         365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};

static const char *const reserved_env[] = {
    "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR"};

/* A setting of the function, else of `defaults`. *quiet is set when the
 * value came from defaults, which were checked (and reported) once. */
static const sparta_value *setting(const parse_ctx *c, const sparta_value *fn, const char *fpath,
                                   const char *key, char *path, size_t cap, int *quiet) {
    const sparta_value *v = API->value_get(fn, key);
    *quiet = 0;
    if (v) {
        lambda_format(path, cap, "%s.%s", fpath, key);
        return v;
    }
    v = API->value_get(c->defaults, key);
    if (v) {
        lambda_format(path, cap, "lambda.defaults.%s", key);
        *quiet = fn != c->defaults;
    }
    return v;
}

static lambda_problems *out(const parse_ctx *c, int quiet) { return quiet ? NULL : c->pr; }

/* The folder of the file a value came from ("dir/sparta.cfg:12" -> "dir"). */
static char *origin_dir(const parse_ctx *c, const sparta_value *v) {
    const char *origin = API->value_origin(c->p, v);
    size_t n = strlen(origin);
    const char *colon = strrchr(origin, ':');
    if (colon && colon[1]) {
        const char *d = colon + 1;
        while (*d >= '0' && *d <= '9') d++;
        if (!*d) n = (size_t)(colon - origin);
    }
    char *dir = strndup(origin, n);
    if (!dir) return NULL;
    char *slash = strrchr(dir, '/');
    if (!slash) {
        free(dir);
        return strdup(".");
    }
    if (slash == dir) slash[1] = '\0';
    else *slash = '\0';
    return dir;
}

static int64_t ranged(const parse_ctx *c, const sparta_value *v, const char *path, int quiet, int64_t lo,
                      int64_t hi, int64_t fallback) {
    if (!v) return fallback;
    int64_t x = API->value_int(v);
    if (x < lo || x > hi) {
        lambda_problem(out(c, quiet), v, path, "%lld is out of range %lld..%lld", (long long)x, (long long)lo,
                       (long long)hi);
        return fallback;
    }
    return x;
}

static const char *one_of(const parse_ctx *c, const sparta_value *v, const char *path, int quiet,
                          const char *const *allowed, size_t n, const char *fallback) {
    if (!v) return fallback;
    const char *s = API->value_string(v);
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, allowed[i]) == 0) return allowed[i];
    char list[256] = "";
    for (size_t i = 0; i < n; i++) {
        strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
        strncat(list, allowed[i], sizeof list - strlen(list) - 1);
    }
    lambda_problem(out(c, quiet), v, path, "'%s' is not allowed: use one of %s", s ? s : "", list);
    return fallback;
}

static const char *check_runtime(const parse_ctx *c, const sparta_value *v, const char *path, int quiet) {
    if (!v) return LAMBDA_DEFAULT_RUNTIME;
    const char *runtime = API->value_string(v);
    const char *hint = NULL;
    if (lambda_runtime_supported(runtime, &hint)) return runtime;
    if (hint)
        lambda_problem(out(c, quiet), v, path,
                       "runtime '%s' is retired: AWS Lambda no longer creates functions with it; use %s",
                       runtime, hint);
    else
        lambda_problem(out(c, quiet), v, path, "unknown runtime '%s': use one of %s", runtime,
                       lambda_runtime_list());
    return NULL;
}

static int64_t check_retention(const parse_ctx *c, const sparta_value *v, const char *path, int quiet) {
    if (!v) return 0;
    int64_t days = API->value_int(v);
    for (size_t i = 0; i < sizeof retention_days / sizeof *retention_days; i++)
        if (days == retention_days[i]) return days;
    lambda_problem(out(c, quiet), v, path,
                   "%lld is not a CloudWatch Logs retention: use 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, "
                   "365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653 (or leave it out to "
                   "keep logs forever)",
                   (long long)days);
    return 0;
}

static int env_key_valid(const char *k) {
    if (!((k[0] >= 'a' && k[0] <= 'z') || (k[0] >= 'A' && k[0] <= 'Z'))) return 0;
    for (const char *p = k; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return 1;
}

/* Checks a map (environment or tags) of one source into `pairs`, letting
 * later sources override earlier keys. */
static void merge_map(const parse_ctx *c, const sparta_value *map, const char *path, int quiet, int is_env,
                      lambda_pair **pairs, size_t *count) {
    size_t n = API->value_count(map);
    for (size_t i = 0; i < n; i++) {
        const char *key = API->value_key_at(map, i);
        const sparta_value *v = API->value_at(map, i);
        const char *text = API->value_string(v);
        char kpath[600];
        lambda_format(kpath, sizeof kpath, "%s.%s", path, key);
        if (is_env) {
            int bad = 0;
            if (!env_key_valid(key)) {
                lambda_problem(out(c, quiet), v, kpath,
                               "'%s' is not a valid environment variable name: use letters, digits and '_', "
                               "starting with a letter",
                               key);
                bad = 1;
            }
            for (size_t r = 0; r < sizeof reserved_env / sizeof *reserved_env; r++)
                if (strcmp(key, reserved_env[r]) == 0) {
                    lambda_problem(out(c, quiet), v, kpath,
                                   "'%s' is reserved by AWS Lambda, which sets it itself: pick another name",
                                   key);
                    bad = 1;
                }
            const char *why = text ? lambda_text_check(text) : NULL;
            if (why) {
                lambda_problem(out(c, quiet), v, kpath, "%s", why);
                bad = 1;
            }
            if (bad) continue;
        } else {
            if (strlen(key) > 128 || strncmp(key, "aws", 3) == 0) {
                lambda_problem(out(c, quiet), v, kpath,
                               "tag key '%s' is not allowed: at most 128 characters, not starting with 'aws'",
                               key);
                continue;
            }
            if (text && strlen(text) > 256) {
                lambda_problem(out(c, quiet), v, kpath, "a tag value holds at most 256 characters, not %zu",
                               strlen(text));
                continue;
            }
        }
        size_t j = 0;
        while (j < *count && strcmp((*pairs)[j].key, key) != 0) j++;
        if (j == *count) {
            lambda_pair *grown = realloc(*pairs, (*count + 1) * sizeof **pairs);
            if (!grown) return;
            *pairs = grown;
            (*count)++;
        }
        (*pairs)[j].key = key;
        (*pairs)[j].value = text ? text : "";
    }
}

static int action_valid(const char *a) {
    if (strcmp(a, "*") == 0) return 1;
    const char *colon = strchr(a, ':');
    if (!colon || colon == a || !colon[1]) return 0;
    for (const char *p = a; p < colon; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')) return 0;
    for (const char *p = colon + 1; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '*'))
            return 0;
    return 1;
}

static void add_privileges(const parse_ctx *c, const sparta_value *list, const char *path, int quiet,
                           lambda_function *f) {
    size_t n = API->value_count(list);
    for (size_t i = 0; i < n; i++) {
        const sparta_value *item = API->value_at(list, i);
        char ipath[600], kpath[700];
        lambda_format(ipath, sizeof ipath, "%s.[%zu]", path, i);
        const sparta_value *actions = API->value_get(item, "actions");
        const sparta_value *resource = API->value_get(item, "resource");
        int ok = 1;
        lambda_format(kpath, sizeof kpath, "%s.actions", ipath);
        if (API->value_count(actions) == 0) {
            lambda_problem(out(c, quiet), actions ? actions : item, kpath,
                           "a privilege needs at least one action, e.g. actions = [ \"s3:GetObject\" ];");
            ok = 0;
        }
        for (size_t a = 0; a < API->value_count(actions); a++) {
            const char *action = API->value_string(API->value_at(actions, a));
            if (!action_valid(action)) {
                lambda_problem(out(c, quiet), API->value_at(actions, a), kpath,
                               "'%s' is not an IAM action: write service:Action, e.g. \"dynamodb:GetItem\"",
                               action);
                ok = 0;
            }
        }
        lambda_format(kpath, sizeof kpath, "%s.resource", ipath);
        sparta_value_type t = API->value_type(resource);
        if (t == SPARTA_VALUE_STRING) {
            const char *why = lambda_text_check(API->value_string(resource));
            if (!*API->value_string(resource) || why) {
                lambda_problem(out(c, quiet), resource, kpath, "%s", why ? why : "the resource is empty: write an ARN");
                ok = 0;
            }
        } else if (t == SPARTA_VALUE_ARRAY && API->value_count(resource) > 0) {
            for (size_t r = 0; r < API->value_count(resource); r++) {
                const char *arn = API->value_string(API->value_at(resource, r));
                const char *why = arn ? lambda_text_check(arn) : NULL;
                if (!arn || !*arn || why) {
                    lambda_problem(out(c, quiet), API->value_at(resource, r), kpath, "%s",
                                   why ? why : "each resource is a non-empty ARN string");
                    ok = 0;
                }
            }
        } else if (resource) {
            lambda_problem(out(c, quiet), resource, kpath,
                           "expected an ARN string or a non-empty list of ARNs, e.g. resource = "
                           "\"arn:aws:s3:::bucket/*\";");
            ok = 0;
        }
        if (!ok || !resource) continue;
        lambda_privilege *grown = realloc(f->privileges, (f->privilege_count + 1) * sizeof *grown);
        if (!grown) return;
        f->privileges = grown;
        f->privileges[f->privilege_count++] = (lambda_privilege){actions, resource};
    }
}

/* Resolves `code` and checks it exists (and, for provided.* runtimes, that
 * the bootstrap is an executable file). */
static void check_code(parse_ctx *c, lambda_function *f, const sparta_value *v, const char *path, int quiet,
                       const char *fpath) {
    if (!v) {
        lambda_problem(c->pr, f->at, fpath,
                       "function '%s' has no code: set code = \"path\" (a file or directory, relative to "
                       "sparta.cfg) here or in lambda.defaults",
                       f->name);
        return;
    }
    if (quiet && c->defaults_code_reported) return;
    const char *code = API->value_string(v);
    char *dir = origin_dir(c, v);
    char *full = NULL;
    if (!code[0]) {
        lambda_problem(c->pr, v, path, "code is empty: name a file or directory");
        if (quiet) c->defaults_code_reported = 1;
        free(dir);
        return;
    }
    if (code[0] == '/' || !dir || asprintf(&full, "%s/%s", dir, code) < 0) full = strdup(code);
    free(dir);
    struct stat st;
    const char *problem = NULL;
    char detail[1200] = "";
    if (!full || stat(full, &st) != 0) {
        lambda_format(detail, sizeof detail, "code '%s' does not exist (looked for %s): build it first or fix the path",
                 code, full ? full : code);
        problem = detail;
    } else if (S_ISDIR(st.st_mode)) {
        f->code_is_dir = 1;
        if (f->runtime && lambda_runtime_is_custom(f->runtime)) {
            char *boot = NULL;
            struct stat bs;
            if (asprintf(&boot, "%s/bootstrap", full) >= 0) {
                if (stat(boot, &bs) != 0 || !S_ISREG(bs.st_mode)) {
                    lambda_format(detail, sizeof detail,
                             "code directory '%s' has no bootstrap: a %s function runs the executable "
                             "'bootstrap' at the root of its code",
                             code, f->runtime);
                    problem = detail;
                } else if (!(bs.st_mode & S_IXUSR)) {
                    lambda_format(detail, sizeof detail,
                             "'%s/bootstrap' is not executable: chmod +x it (Lambda runs it as the function)",
                             code);
                    problem = detail;
                }
                free(boot);
            }
        }
    } else if (S_ISREG(st.st_mode)) {
        if (f->runtime && lambda_runtime_is_custom(f->runtime) && !(st.st_mode & S_IXUSR)) {
            lambda_format(detail, sizeof detail,
                     "code '%s' is not executable: chmod +x it (it is packaged as the function's bootstrap)",
                     code);
            problem = detail;
        }
    } else {
        lambda_format(detail, sizeof detail, "code '%s' is neither a file nor a directory", code);
        problem = detail;
    }
    if (problem) {
        lambda_problem(c->pr, v, path, "%s", problem);
        if (quiet) c->defaults_code_reported = 1;
        free(full);
        return;
    }
    f->code_path = full;
}

/* The settings `defaults` and functions share. */
static void parse_common(parse_ctx *c, lambda_function *f, const sparta_value *fn, const char *fpath) {
    static const char *const architectures[] = {"x86_64", "arm64"};
    static const char *const tracing[] = {"Active", "PassThrough"};
    char path[600];
    int quiet;
    const sparta_value *v;

    v = setting(c, fn, fpath, "runtime", path, sizeof path, &quiet);
    f->runtime = check_runtime(c, v, path, quiet);
    v = setting(c, fn, fpath, "handler", path, sizeof path, &quiet);
    f->handler = v ? API->value_string(v) : NULL;
    if (f->handler && !f->handler[0]) lambda_problem(out(c, quiet), v, path, "handler is empty");
    v = setting(c, fn, fpath, "memory", path, sizeof path, &quiet);
    f->memory = ranged(c, v, path, quiet, LAMBDA_MEMORY_MIN, LAMBDA_MEMORY_MAX, LAMBDA_MEMORY_DEFAULT);
    v = setting(c, fn, fpath, "timeout", path, sizeof path, &quiet);
    f->timeout = ranged(c, v, path, quiet, LAMBDA_TIMEOUT_MIN, LAMBDA_TIMEOUT_MAX, LAMBDA_TIMEOUT_DEFAULT);
    v = setting(c, fn, fpath, "architecture", path, sizeof path, &quiet);
    f->architecture = one_of(c, v, path, quiet, architectures, 2, "x86_64");
    v = setting(c, fn, fpath, "tracing", path, sizeof path, &quiet);
    f->tracing = one_of(c, v, path, quiet, tracing, 2, NULL);
    v = setting(c, fn, fpath, "logRetentionDays", path, sizeof path, &quiet);
    f->log_retention = check_retention(c, v, path, quiet);

    /* Maps and lists merge: defaults first, the function's own on top. */
    int own = fn != c->defaults;
    if ((v = API->value_get(c->defaults, "environment")))
        merge_map(c, v, "lambda.defaults.environment", own, 1, &f->environment, &f->environment_count);
    if (own && (v = API->value_get(fn, "environment"))) {
        lambda_format(path, sizeof path, "%s.environment", fpath);
        merge_map(c, v, path, 0, 1, &f->environment, &f->environment_count);
    }
    if ((v = API->value_get(c->defaults, "tags")))
        merge_map(c, v, "lambda.defaults.tags", own, 0, &f->tags, &f->tag_count);
    if (own && (v = API->value_get(fn, "tags"))) {
        lambda_format(path, sizeof path, "%s.tags", fpath);
        merge_map(c, v, path, 0, 0, &f->tags, &f->tag_count);
    }
    if ((v = API->value_get(c->defaults, "privileges")))
        add_privileges(c, v, "lambda.defaults.privileges", own, f);
    if (own && (v = API->value_get(fn, "privileges"))) {
        lambda_format(path, sizeof path, "%s.privileges", fpath);
        add_privileges(c, v, path, 0, f);
    }
    size_t env_bytes = 0;
    for (size_t i = 0; i < f->environment_count; i++)
        env_bytes += strlen(f->environment[i].key) + strlen(f->environment[i].value);
    if (env_bytes > LAMBDA_ENV_BYTES_MAX) {
        lambda_format(path, sizeof path, "%s.environment", fpath);
        lambda_problem(c->pr, fn, path,
                       "the environment holds %zu bytes; Lambda accepts at most %d: move large values to "
                       "SSM Parameter Store or S3",
                       env_bytes, LAMBDA_ENV_BYTES_MAX);
    }
}

static void parse_function(parse_ctx *c, lambda_config *cfg, size_t i, const sparta_value *fn) {
    lambda_function *f = &cfg->functions[i];
    char fpath[64], path[600];
    int quiet;
    lambda_format(fpath, sizeof fpath, "lambda.functions.[%zu]", i);
    f->at = fn;
    const sparta_value *name = API->value_get(fn, "name");
    f->name = API->value_string(name);
    if (!f->name) f->name = "";
    lambda_format(path, sizeof path, "%s.name", fpath);
    if (!lambda_function_name_valid(f->name)) {
        lambda_problem(c->pr, name ? name : fn, path,
                       "'%s' is not a valid function name: use 1 to 64 letters, digits, '-' and '_' (it "
                       "becomes part of the Lambda FunctionName)",
                       f->name);
    } else {
        lambda_logical_base(f->name, f->id, sizeof f->id);
        for (size_t j = 0; j < i; j++) {
            const lambda_function *g = &cfg->functions[j];
            if (strcmp(g->name, f->name) == 0) {
                /* value_origin's buffer is reused by lambda_problem: copy it. */
                char first[1100];
                lambda_format(first, sizeof first, "%s", API->value_origin(c->p, API->value_get(g->at, "name")));
                lambda_problem(c->pr, name, path, "duplicate function name '%s' (first declared at %s): rename one",
                               f->name, first);
            }
            else if (g->id[0] && strcmp(g->id, f->id) == 0)
                lambda_problem(c->pr, name, path,
                               "functions '%s' and '%s' both get the logical ID '%sFunction': rename one",
                               g->name, f->name, f->id);
        }
    }
    const sparta_value *v = API->value_get(fn, "description");
    f->description = v ? API->value_string(v) : NULL;
    if (f->description && strlen(f->description) > LAMBDA_DESCRIPTION_MAX) {
        lambda_format(path, sizeof path, "%s.description", fpath);
        lambda_problem(c->pr, v, path, "a description holds at most %d characters, not %zu",
                       LAMBDA_DESCRIPTION_MAX, strlen(f->description));
    }
    parse_common(c, f, fn, fpath);
    if (f->runtime && !lambda_runtime_is_custom(f->runtime) && !f->handler) {
        lambda_format(path, sizeof path, "%s.handler", fpath);
        lambda_problem(c->pr, fn, path,
                       "runtime %s needs a handler (e.g. handler = \"app.handler\";); only provided.* "
                       "runtimes default to bootstrap",
                       f->runtime);
    }
    if (!f->handler) f->handler = "bootstrap";
    v = setting(c, fn, fpath, "code", path, sizeof path, &quiet);
    check_code(c, f, v, path, quiet, fpath);

    v = API->value_get(fn, "reservedConcurrency");
    lambda_format(path, sizeof path, "%s.reservedConcurrency", fpath);
    f->reserved_concurrency = v ? ranged(c, v, path, 0, 0, 1000000, -1) : -1;

    f->depends_on = API->value_get(fn, "dependsOn");
    const sparta_value *events = API->value_get(fn, "events");
    lambda_format(path, sizeof path, "%s.events", fpath);
    if (events) lambda_events_parse(c->p, f, events, path, c->pr);
}

/* dependsOn names a function of this group or a logical ID. */
static void check_depends_on(parse_ctx *c, const lambda_config *cfg) {
    for (size_t i = 0; i < cfg->function_count; i++) {
        const lambda_function *f = &cfg->functions[i];
        for (size_t j = 0; j < API->value_count(f->depends_on); j++) {
            const sparta_value *v = API->value_at(f->depends_on, j);
            const char *target = API->value_string(v);
            char path[600];
            lambda_format(path, sizeof path, "lambda.functions.[%zu].dependsOn.[%zu]", i, j);
            if (strcmp(target, f->name) == 0) {
                lambda_problem(c->pr, v, path, "function '%s' cannot depend on itself", f->name);
                continue;
            }
            int known = 0;
            for (size_t k = 0; k < cfg->function_count; k++)
                if (strcmp(cfg->functions[k].name, target) == 0) known = 1;
            const char *p = target;
            while (*p && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))) p++;
            if (!known && (*p || !*target))
                lambda_problem(c->pr, v, path,
                               "'%s' is neither a function of this service nor a logical ID (letters and "
                               "digits only)",
                               target);
        }
    }
}

static void check_parameters(parse_ctx *c, const sparta_value *params) {
    for (size_t i = 0; i < API->value_count(params); i++) {
        const char *key = API->value_key_at(params, i);
        const char *p = key;
        while (*p && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))) p++;
        if (*p || strlen(key) > 255) {
            char path[600];
            lambda_format(path, sizeof path, "lambda.parameters.%s", key);
            lambda_problem(c->pr, API->value_at(params, i), path,
                           "'%s' is not a valid CloudFormation parameter name: use letters and digits only",
                           key);
        }
    }
}

/* In one shared archive, two different files may not share an entry name. */
static void check_shared_entries(parse_ctx *c, const lambda_config *cfg) {
    for (size_t i = 0; i < cfg->function_count; i++) {
        const lambda_function *f = &cfg->functions[i];
        if (!f->code_path || f->code_is_dir) continue;
        for (size_t j = 0; j < i; j++) {
            const lambda_function *g = &cfg->functions[j];
            if (!g->code_path || g->code_is_dir || strcmp(f->code_path, g->code_path) == 0) continue;
            if (strcmp(lambda_code_entry(f), lambda_code_entry(g)) == 0) {
                char path[64];
                lambda_format(path, sizeof path, "lambda.functions.[%zu].code", i);
                lambda_problem(c->pr, API->value_get(f->at, "code") ? API->value_get(f->at, "code") : f->at, path,
                               "functions '%s' and '%s' both put a different '%s' into the shared package: "
                               "use one file for both, or package = \"function\"",
                               g->name, f->name, lambda_code_entry(f));
            }
        }
    }
}

int lambda_config_parse(sparta_plugin *p, lambda_config *cfg, lambda_problems *pr) {
    memset(cfg, 0, sizeof *cfg);
    const sparta_value *section = API->config_section(p);
    if (!section) return 0;
    parse_ctx c = {p, pr, API->value_get(section, "defaults"), 0};

    static const char *const packages[] = {"function", "shared"};
    const sparta_value *package = API->value_get(section, "package");
    cfg->shared_package = one_of(&c, package, "lambda.package", 0, packages, 2, "function") == packages[1];
    cfg->parameters = API->value_get(section, "parameters");
    check_parameters(&c, cfg->parameters);

    /* defaults are checked once, on their own (but code per function). */
    if (c.defaults) {
        lambda_function scratch;
        memset(&scratch, 0, sizeof scratch);
        parse_common(&c, &scratch, c.defaults, "lambda.defaults");
        free(scratch.environment);
        free(scratch.tags);
        free(scratch.privileges);
    }

    const sparta_value *functions = API->value_get(section, "functions");
    size_t n = API->value_count(functions);
    if (n) {
        cfg->functions = calloc(n, sizeof *cfg->functions);
        if (!cfg->functions) return API->error(p, SPARTA_ENOMEM, "out of memory reading lambda.functions");
        cfg->function_count = n;
    }
    for (size_t i = 0; i < n; i++) parse_function(&c, cfg, i, API->value_at(functions, i));
    check_depends_on(&c, cfg);
    if (cfg->shared_package) check_shared_entries(&c, cfg);
    return 0;
}

int lambda_config_read(sparta_plugin *p, lambda_config *cfg) {
    lambda_problems pr = {p, NULL, 0, 0, 0};
    int rc = lambda_config_parse(p, cfg, &pr);
    if (rc == 0 && pr.count) {
        /* "dir/sparta.cfg:12: lambda...." -> the file's name leads the message. */
        const char *first = pr.text;
        const char *colon = strchr(first, ':');
        int file_len = colon ? (int)(colon - first) : 0;
        if (pr.length && pr.text[pr.length - 1] == '\n') pr.text[--pr.length] = '\0';
        rc = API->error(p, SPARTA_ECONFIG, "%.*s%s%zu problem%s in the lambda group:\n%s", file_len, first,
                        file_len ? " has " : "", pr.count, pr.count == 1 ? "" : "s", pr.text);
    }
    lambda_problems_free(&pr);
    return rc;
}

void lambda_config_free(lambda_config *cfg) {
    for (size_t i = 0; i < cfg->function_count; i++) {
        lambda_function *f = &cfg->functions[i];
        free(f->code_path);
        free(f->environment);
        free(f->tags);
        free(f->privileges);
        free(f->events);
    }
    free(cfg->functions);
    memset(cfg, 0, sizeof *cfg);
}
