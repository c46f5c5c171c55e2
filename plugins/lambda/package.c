/* ARCHIVE: the code archives. By default each function gets its own
 * archive named after it, so changing one function's code changes only
 * that function's S3 key. With `package = "shared"` every function's code
 * goes into one archive, "lambda" (useful when one binary serves several
 * functions, chosen by their handler). The host writes the archives
 * deterministically and names their S3 keys by content. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "lambda.h"

#define API lambda_api

const char *lambda_archive_name(const lambda_config *cfg, const lambda_function *f) {
    return cfg->shared_package ? LAMBDA_SHARED_ARCHIVE : f->name;
}

/* The single file's name inside the archive. */
const char *lambda_code_entry(const lambda_function *f) {
    if (lambda_runtime_is_custom(f->runtime)) return "bootstrap";
    const char *slash = strrchr(f->code_path, '/');
    return slash ? slash + 1 : f->code_path;
}

/* In a shared archive, the same code is added once. */
static int already_added(const lambda_config *cfg, size_t i) {
    const lambda_function *f = &cfg->functions[i];
    char mine[PATH_MAX], other[PATH_MAX];
    const char *a = realpath(f->code_path, mine) ? mine : f->code_path;
    for (size_t j = 0; j < i; j++) {
        const lambda_function *g = &cfg->functions[j];
        const char *b = realpath(g->code_path, other) ? other : g->code_path;
        if (strcmp(a, b) == 0 && f->code_is_dir == g->code_is_dir &&
            (f->code_is_dir || strcmp(lambda_code_entry(f), lambda_code_entry(g)) == 0))
            return 1;
    }
    return 0;
}

int lambda_package(sparta_plugin *p, const lambda_config *cfg) {
    for (size_t i = 0; i < cfg->function_count; i++) {
        const lambda_function *f = &cfg->functions[i];
        if (!f->code_path) continue;
        const char *archive = lambda_archive_name(cfg, f);
        if (cfg->shared_package && already_added(cfg, i)) continue;
        int rc = f->code_is_dir ? API->archive_add_tree(p, archive, "", f->code_path)
                                : API->archive_add_file(p, archive, lambda_code_entry(f), f->code_path);
        if (rc != 0) {
            /* The host's error names the entry; the log line names the function. */
            API->log(p, SPARTA_LOG_ERROR, "packaging function '%s' (code %s) into archive '%s' failed%s", f->name,
                     f->code_path, archive,
                     cfg->shared_package ? ": in a shared package two functions' code may not hold the same file"
                                         : "");
            return rc;
        }
    }
    return 0;
}
