#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf */
#endif
#include "aws/profile.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *home_file(const char *env, const char *leaf) {
    const char *set = getenv(env);
    char *path = NULL;
    if (set && *set) {
        if (set[0] == '~' && set[1] == '/' && getenv("HOME")) {
            if (asprintf(&path, "%s%s", getenv("HOME"), set + 1) < 0) path = NULL;
        } else {
            path = strdup(set);
        }
        return path;
    }
    const char *home = getenv("HOME");
    if (asprintf(&path, "%s/.aws/%s", home ? home : "", leaf) < 0) path = NULL;
    return path;
}

static char *trim(char *s) {
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
    return s;
}

/* Reads the section `want` of an INI file into `into`; keys already there
 * are kept (first file read wins). Indented lines under a key with an empty
 * value are sub-keys ("s3 =\n  endpoint_url = x" -> "s3.endpoint_url").
 * Returns 1 when the section exists, 0 when not, -1 when unreadable. */
static int read_section(const char *path, const char *want, sparta__aws_kvlist *into) {
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    char line[4096], parent[256] = "";
    int in = 0, found = 0;
    while (fgets(line, sizeof line, f)) {
        int indented = line[0] == ' ' || line[0] == '\t';
        char *t = trim(line);
        if (!*t || *t == '#' || *t == ';') continue;
        if (*t == '[') {
            char *end = strchr(t, ']');
            if (end) *end = '\0';
            char *name = trim(t + 1);
            /* "[profile  x]" and "[x]" both name x; collapse inner blanks */
            in = !strcmp(name, want);
            if (!in && !strncmp(want, "profile ", 8) && !strncmp(name, "profile", 7) &&
                isspace((unsigned char)name[7]))
                in = !strcmp(trim(name + 7), want + 8);
            found |= in;
            parent[0] = '\0';
            continue;
        }
        if (!in) continue;
        char *eq = strchr(t, '=');
        if (!eq) continue;
        *eq = '\0';
        char *key = trim(t), *value = trim(eq + 1);
        /* inline comments after whitespace, as botocore allows */
        for (char *c = value; *c; c++)
            if ((*c == '#' || *c == ';') && c > value && isspace((unsigned char)c[-1])) {
                *c = '\0';
                value = trim(value);
                break;
            }
        char full[512];
        if (indented && parent[0]) snprintf(full, sizeof full, "%s.%s", parent, key);
        else snprintf(full, sizeof full, "%s", key);
        if (!indented) snprintf(parent, sizeof parent, "%s", *value ? "" : key);
        if (!*value && !indented) continue;
        for (char *k = full; *k; k++) *k = (char)tolower((unsigned char)*k);
        if (!sparta__aws_kvlist_get(into, full)) sparta__aws_kvlist_add(into, full, value);
    }
    fclose(f);
    return found;
}

int sparta__aws_profile_load(const char *name, sparta__aws_profile *out, sparta_error_slot *err) {
    memset(out, 0, sizeof *out);
    out->explicit_name = name && *name;
    const char *env = getenv("AWS_PROFILE");
    if (!out->explicit_name) name = env && *env ? env : "default";
    out->name = strdup(name);
    out->config_path = home_file("AWS_CONFIG_FILE", "config");
    out->credentials_path = home_file("AWS_SHARED_CREDENTIALS_FILE", "credentials");
    if (!out->name || !out->config_path || !out->credentials_path) {
        sparta__aws_profile_free(out);
        return sparta__error_set(err, SPARTA_ENOMEM, "out of memory loading AWS profile");
    }
    int in_creds = read_section(out->credentials_path, name, &out->values);
    char section[300];
    if (!strcmp(name, "default")) snprintf(section, sizeof section, "default");
    else snprintf(section, sizeof section, "profile %s", name);
    int in_config = read_section(out->config_path, section, &out->values);
    if (in_config <= 0 && !strcmp(name, "default"))
        in_config = read_section(out->config_path, "profile default", &out->values);
    out->found = in_creds > 0 || in_config > 0;
    const char *services = sparta__aws_profile_get(out, "services");
    if (services) {
        snprintf(section, sizeof section, "services %s", services);
        read_section(out->config_path, section, &out->services);
    }
    if (!out->found && strcmp(name, "default") != 0) {
        int rc = sparta__error_set(err, SPARTA_ECONFIG,
                                   "AWS profile '%s' not found in %s or %s: check the name "
                                   "(--profile / AWS_PROFILE) or add a [profile %s] section",
                                   name, out->credentials_path, out->config_path, name);
        sparta__aws_profile_free(out);
        return rc;
    }
    return 0;
}

const char *sparta__aws_profile_get(const sparta__aws_profile *p, const char *key) {
    const char *v = p ? sparta__aws_kvlist_get(&p->values, key) : NULL;
    return v && *v ? v : NULL;
}

const char *sparta__aws_profile_service_get(const sparta__aws_profile *p, const char *service_key,
                                            const char *key) {
    if (!p) return NULL;
    char full[256];
    snprintf(full, sizeof full, "%s.%s", service_key, key);
    for (char *k = full; *k; k++) *k = (char)tolower((unsigned char)*k);
    const char *v = sparta__aws_kvlist_get(&p->services, full);
    return v && *v ? v : NULL;
}

void sparta__aws_profile_free(sparta__aws_profile *p) {
    if (!p) return;
    free(p->name);
    free(p->config_path);
    free(p->credentials_path);
    /* the values may hold secret keys: wipe before freeing */
    for (size_t i = 0; i < p->values.count; i++)
        memset((char *)p->values.items[i].value, 0, strlen(p->values.items[i].value));
    sparta__aws_kvlist_free(&p->values);
    sparta__aws_kvlist_free(&p->services);
    memset(p, 0, sizeof *p);
}
