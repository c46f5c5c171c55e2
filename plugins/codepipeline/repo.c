/* --repo: a GitHub repository URL, optionally naming a branch the way
 * GitHub's own links do: https://github.com/OWNER/REPO/tree/BRANCH. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "codepipeline.h"

#define FORMS "use https://github.com/OWNER/REPO or https://github.com/OWNER/REPO/tree/BRANCH"

static int owner_valid(const char *s, size_t n) {
    if (n == 0 || n > 39 || s[0] == '-') return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-') return 0;
    return 1;
}

static int repo_valid(const char *s, size_t n) {
    if (n == 0 || n > 100 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.')) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' && s[i] != '.') return 0;
    return 1;
}

/* git check-ref-format, the parts that matter here. */
static int branch_valid(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > 200 || s[0] == '/' || s[0] == '-' || s[n - 1] == '/' || s[n - 1] == '.' ||
        strstr(s, "..") || strstr(s, "//") || strstr(s, "@{") || (n >= 5 && strcmp(s + n - 5, ".lock") == 0))
        return 0;
    for (const char *q = s; *q; q++)
        if ((unsigned char)*q <= ' ' || strchr("~^:?*[\\'\"$`", *q)) return 0;
    return 1;
}

int cp_repo_parse(sparta_plugin *p, const char *url, cp_repo *out) {
    memset(out, 0, sizeof *out);
    if (!url || !*url)
        return API->error(p, SPARTA_EUSAGE, "--repo is empty: " FORMS);
    if (strncmp(url, "git@", 4) == 0 || strncmp(url, "ssh://", 6) == 0)
        return API->error(p, SPARTA_EUSAGE, "--repo '%s' is an SSH URL: " FORMS, url);
    const char *prefix = "https://github.com/";
    if (strncmp(url, prefix, strlen(prefix)) != 0)
        return API->error(p, SPARTA_EUSAGE,
                          "--repo '%s' is not a GitHub repository URL (https://github.com/ only): " FORMS, url);
    const char *owner = url + strlen(prefix);
    const char *slash = strchr(owner, '/');
    if (!slash || !owner_valid(owner, (size_t)(slash - owner)))
        return API->error(p, SPARTA_EUSAGE, "--repo '%s' does not name an owner and a repository: " FORMS, url);
    const char *name = slash + 1;
    size_t name_len = strcspn(name, "/");
    if (name_len > 4 && strncmp(name + name_len - 4, ".git", 4) == 0 && (name[name_len] == '\0'))
        name_len -= 4;
    if (!repo_valid(name, name_len))
        return API->error(p, SPARTA_EUSAGE, "--repo '%s' does not name a repository: " FORMS, url);
    snprintf(out->owner, sizeof out->owner, "%.*s", (int)(slash - owner), owner);
    snprintf(out->name, sizeof out->name, "%.*s", (int)name_len, name);
    const char *rest = name + strcspn(name, "/");
    if (*rest == '/' && rest[1] == '\0') rest++;
    if (*rest) {
        if (strncmp(rest, "/tree/", 6) != 0 || !rest[6])
            return API->error(p, SPARTA_EUSAGE, "--repo '%s' has '%s' after the repository: " FORMS, url, rest);
        snprintf(out->branch, sizeof out->branch, "%s", rest + 6);
        size_t n = strlen(out->branch);
        if (n && out->branch[n - 1] == '/') out->branch[n - 1] = '\0';
        if (!branch_valid(out->branch))
            return API->error(p, SPARTA_EUSAGE, "--repo '%s': '%s' is not a valid branch name", url, out->branch);
        out->branch_given = 1;
    } else {
        snprintf(out->branch, sizeof out->branch, "main");
    }
    snprintf(out->clone_url, sizeof out->clone_url, "https://github.com/%s/%s.git", out->owner, out->name);
    snprintf(out->canonical, sizeof out->canonical, "https://github.com/%s/%s/tree/%s", out->owner, out->name,
             out->branch);
    return 0;
}
