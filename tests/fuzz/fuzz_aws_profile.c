/* The shared AWS files (~/.aws/config, ~/.aws/credentials) and the
 * credential expiry timestamps: text a user or a tool wrote, read on every
 * run.
 *
 * Input: flags byte, a profile name (up to NUL), a timestamp (up to NUL),
 * the config file (up to NUL), then the credentials file. Both files are
 * written to a scratch directory and named by AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE. Properties:
 *  - loading never crashes; a missing non-default profile is SPARTA_ECONFIG
 *    naming the profile; the default profile is never an error;
 *  - keys are lower-case without surrounding blanks; values are trimmed;
 *  - lookups of any key (and any service key) are safe;
 *  - sparta__aws_parse_time never overflows (UBSan watches the arithmetic). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aws/credentials.h"
#include "aws/profile.h"
#include "fuzz_support.h"

static char g_config[300], g_credentials[300], g_dir[256];

static void scratch_init(void) {
    if (*g_dir) return;
    const char *tmp = getenv("TMPDIR");
    snprintf(g_dir, sizeof g_dir, "%s/sparta-fuzz-profile-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    FUZZ_CHECK(mkdtemp(g_dir) != NULL, "mkdtemp");
    snprintf(g_config, sizeof g_config, "%s/config", g_dir);
    snprintf(g_credentials, sizeof g_credentials, "%s/credentials", g_dir);
    setenv("AWS_CONFIG_FILE", g_config, 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", g_credentials, 1);
    unsetenv("AWS_PROFILE");
}

static void cleanup(void) {
    if (!*g_dir) return;
    unlink(g_config);
    unlink(g_credentials);
    rmdir(g_dir);
}

static void write_file(const char *path, const char *text, size_t n) {
    FILE *f = fopen(path, "w");
    FUZZ_CHECK(f != NULL, "cannot write %s", path);
    fwrite(text, 1, n, f);
    fclose(f);
}

static void check_list(const sparta__aws_kvlist *l) {
    for (size_t i = 0; i < l->count; i++) {
        const char *k = l->items[i].name, *v = l->items[i].value;
        FUZZ_CHECK(k && v, "NULL key or value");
        for (const char *c = k; *c; c++) FUZZ_CHECK(!isupper((unsigned char)*c), "key %s not lower-case", k);
        if (*k) FUZZ_CHECK(!isspace((unsigned char)k[0]) && !isspace((unsigned char)k[strlen(k) - 1]), "key '%s' not trimmed", k);
        if (*v) FUZZ_CHECK(!isspace((unsigned char)v[0]) && !isspace((unsigned char)v[strlen(v) - 1]), "value '%s' not trimmed", v);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int registered;
    if (!registered) {
        registered = 1;
        atexit(cleanup);
    }
    scratch_init();
    fuzz_input in = {data, size};
    uint8_t flags = fuzz_u8(&in);
    char *name = fuzz_string_until(&in, 0, 80, NULL);
    char *stamp = fuzz_string_until(&in, 0, 80, NULL);
    size_t config_len, credentials_len;
    char *config = fuzz_string_until(&in, 0, 1u << 16, &config_len);
    char *credentials = fuzz_rest(&in, &credentials_len);
    write_file(g_config, config, config_len);
    write_file(g_credentials, credentials, credentials_len);
    if (flags & 1) setenv("AWS_PROFILE", name, 1);
    else unsetenv("AWS_PROFILE");

    (void)sparta__aws_parse_time(stamp);

    sparta__aws_profile p;
    sparta_error_slot err;
    memset(&err, 0, sizeof err);
    const char *asked = (flags & 2) ? name : NULL;
    int rc = sparta__aws_profile_load(asked, &p, &err);
    const char *effective = asked && *asked ? asked : (flags & 1) && *name ? name : "default";
    if (rc != 0) {
        FUZZ_CHECK(rc == SPARTA_ECONFIG, "load returned %d: %s", rc, err.message);
        FUZZ_CHECK(strcmp(effective, "default") != 0, "the default profile is never an error: %s", err.message);
        FUZZ_CHECK(strstr(err.message, effective) != NULL, "refusal does not name the profile: %s", err.message);
    } else {
        FUZZ_CHECK(p.name && !strcmp(p.name, effective), "profile name %s, want %s", p.name, effective);
        check_list(&p.values);
        check_list(&p.services);
        static const char *const keys[] = {"region", "aws_access_key_id", "services", "endpoint_url",
                                           "s3.endpoint_url", "max_attempts", ""};
        for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) (void)sparta__aws_profile_get(&p, keys[i]);
        (void)sparta__aws_profile_get(&p, stamp);
        (void)sparta__aws_profile_service_get(&p, "s3", "endpoint_url");
        (void)sparta__aws_profile_service_get(&p, stamp, name);
        sparta__aws_profile_free(&p);
    }
    free(name);
    free(stamp);
    free(config);
    free(credentials);
    return 0;
}
