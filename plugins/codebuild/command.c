/* `sparta buildspec`: writes the pipeline's buildspec into the repository,
 * next to sparta.cfg, at codebuild.buildspec. A file sparta did not write is
 * kept unless --force says otherwise. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codebuild.h"
#include "plugin_internal.h"

#define API codebuild_api

/* 1 when the file exists and was not written by `sparta buildspec`. */
static int foreign_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    char line[256] = "";
    if (!fgets(line, sizeof line, f)) line[0] = '\0';
    fclose(f);
    return strncmp(line, CODEBUILD_GENERATED_MARK, strlen(CODEBUILD_GENERATED_MARK)) != 0;
}

static int write_file(sparta_plugin *p, const char *path, const char *text) {
    char tmp[4200];
    int n_tmp = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    if (n_tmp < 0 || (size_t)n_tmp >= sizeof tmp) return API->error(p, SPARTA_EIO, "path too long: %s", path);
    FILE *f = fopen(tmp, "w");
    if (!f) return API->error(p, SPARTA_EIO, "cannot write %s: %s", tmp, strerror(errno));
    size_t n = strlen(text);
    int ok = fwrite(text, 1, n, f) == n;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int saved = errno;
        unlink(tmp);
        return API->error(p, SPARTA_EIO, "cannot write %s: %s", path, strerror(saved));
    }
    return 0;
}

int codebuild_cmd_buildspec(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    codebuild_settings s;
    int rc = codebuild_settings_load(p, &s);
    char *text = rc == 0 ? codebuild_buildspec_pipeline(&s) : NULL;
    if (rc == 0 && !text) rc = API->error(p, SPARTA_ENOMEM, "out of memory");
    if (rc == 0 && API->flag_bool(inv, "stdout")) {
        API->print(p, "%s", text);
    } else if (rc == 0) {
        char path[4200];
        codebuild_buildspec_path(p, &s, path, sizeof path);
        if (foreign_file(path) && !API->flag_bool(inv, "force")) {
            rc = API->error(p, SPARTA_EIO,
                            "%s exists and was not written by `sparta buildspec`: move it away, set "
                            "codebuild.buildspec to another path, or pass --force to replace it",
                            path);
        } else {
            rc = write_file(p, path, text);
            if (rc == 0) {
                API->log(p, SPARTA_LOG_INFO, "Buildspec written: commit it; the pipeline's build runs it");
                API->print(p, "%s\n", path);
            }
        }
    }
    free(text);
    codebuild_settings_free(&s);
    return rc;
}
