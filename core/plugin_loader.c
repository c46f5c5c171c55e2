/* Loading plugins: find NAME.so, refuse unsafe files, dlopen, check the
 * descriptor field by field, then (only then) call init. */
#include "host.h"

#include "command/command.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The first version of the descriptor ends with fini: anything smaller is garbage. */
#define DESCRIPTOR_V1_SIZE (offsetof(sparta_plugin_descriptor, fini) + sizeof(sparta_plugin_fini_fn))

int sparta__descriptor_check(const sparta_plugin_descriptor *d, const char *path, sparta_error_slot *err) {
    if (!d)
        return sparta__error_set(err, SPARTA_EPLUGIN,
                                 "plugin %s was refused: sparta_plugin_entry() returned NULL; it must "
                                 "return its descriptor (use SPARTA_PLUGIN_DEFINE from <sparta/plugin.h>)",
                                 path);
    char diffs[1536] = "";
    size_t len = 0;
#define DIFF(...)                                                                       \
    do {                                                                                \
        int n_ = snprintf(diffs + len, sizeof diffs - len, "%s", len ? "; " : "");      \
        if (n_ > 0 && (size_t)n_ < sizeof diffs - len) len += (size_t)n_;               \
        n_ = snprintf(diffs + len, sizeof diffs - len, __VA_ARGS__);                    \
        if (n_ > 0 && (size_t)n_ < sizeof diffs - len) len += (size_t)n_;               \
    } while (0)
    if (d->magic != SPARTA_PLUGIN_MAGIC) {
        DIFF("magic is 0x%08x, the host expects 0x%08x (not a sparta plugin descriptor)", d->magic,
             SPARTA_PLUGIN_MAGIC);
        /* With the wrong magic, nothing else in the struct can be trusted. */
    } else {
        if (d->abi_major != SPARTA_ABI_MAJOR)
            DIFF("ABI major is %u, the host's is %d", d->abi_major, SPARTA_ABI_MAJOR);
        else if (d->abi_minor > SPARTA_ABI_MINOR)
            DIFF("ABI minor is %u, newer than the host's %d (plugin built for ABI %u.%u, host speaks "
                 "%d.%d)",
                 d->abi_minor, SPARTA_ABI_MINOR, d->abi_major, d->abi_minor, SPARTA_ABI_MAJOR,
                 SPARTA_ABI_MINOR);
        if (d->struct_size < DESCRIPTOR_V1_SIZE)
            DIFF("descriptor size is %u bytes, smaller than the first ABI's %zu", d->struct_size,
                 (size_t)DESCRIPTOR_V1_SIZE);
        else if (d->struct_size > sizeof(sparta_plugin_descriptor))
            DIFF("descriptor size is %u bytes, larger than the %zu bytes this host knows", d->struct_size,
                 sizeof(sparta_plugin_descriptor));
    }
#undef DIFF
    if (len)
        return sparta__error_set(err, SPARTA_EPLUGIN,
                                 "plugin %s was refused: %s. Rebuild the plugin against this host's SDK "
                                 "(pkg-config --cflags sparta-plugin, or find_package(Sparta)), or "
                                 "install a sparta that speaks its ABI",
                                 path, diffs);
    return 0;
}

/* A plugin anyone else can rewrite is code anyone else can run. */
static int check_permissions(const char *path, sparta_error_slot *err) {
    struct stat st;
    if (stat(path, &st) != 0)
        return sparta__error_set(err, SPARTA_EPLUGIN, "plugin %s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return sparta__error_set(err, SPARTA_EPLUGIN, "plugin %s is not a regular file", path);
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        return sparta__error_set(err, SPARTA_EPLUGIN,
                                 "plugin %s was refused: the file is %s-writable, so another user "
                                 "could replace the code sparta runs; fix it with chmod go-w '%s'",
                                 path, (st.st_mode & S_IWOTH) ? "world" : "group", path);
    char *dir = strdup(path);
    char *slash = dir ? strrchr(dir, '/') : NULL;
    if (slash) *slash = '\0';
    int rc = 0;
    if (dir && stat(slash ? (*dir ? dir : "/") : ".", &st) == 0 && (st.st_mode & (S_IWGRP | S_IWOTH)) &&
        !(st.st_mode & S_ISVTX))
        rc = sparta__error_set(err, SPARTA_EPLUGIN,
                               "plugin %s was refused: its directory %s is %s-writable, so another "
                               "user could replace the plugin; fix it with chmod go-w '%s'",
                               path, slash ? dir : ".", (st.st_mode & S_IWOTH) ? "world" : "group",
                               slash ? dir : ".");
    free(dir);
    return rc;
}

static char *join_path(const char *dir, const char *name) {
    char *out = NULL;
    if (asprintf(&out, "%s/%s", dir, name) < 0) return NULL;
    return out;
}

/* Search order: sparta.cfg's plugins.path (relative to the file), the
 * embedder's paths, $SPARTA_PLUGIN_PATH, the install directory. */
static size_t search_dirs(sparta_host *host, char **dirs, size_t cap) {
    size_t n = 0;
    const sparta_value *paths = sparta__value_path(host->config.root, "plugins.path");
    for (size_t i = 0; paths && paths->type == SPARTA_VALUE_ARRAY && i < paths->as.array.count && n < cap; i++) {
        const sparta_value *p = paths->as.array.items[i];
        if (p->type != SPARTA_VALUE_STRING) continue;
        dirs[n++] = p->as.str.text[0] == '/' ? strdup(p->as.str.text)
                                             : join_path(host->config.directory, p->as.str.text);
    }
    for (size_t i = 0; i < host->plugin_path_count && n < cap; i++) dirs[n++] = strdup(host->plugin_paths[i]);
    const char *env = getenv("SPARTA_PLUGIN_PATH");
    if (env && *env) {
        char *copy = strdup(env), *save = NULL;
        for (char *tok = strtok_r(copy, ":", &save); tok && n < cap; tok = strtok_r(NULL, ":", &save))
            dirs[n++] = strdup(tok);
        free(copy);
    }
    if (n < cap) dirs[n++] = strdup(SPARTA_PLUGIN_INSTALL_DIR);
    return n;
}

static int plugin_name_valid(const char *name) {
    if (!name || !*name || strlen(name) > 64) return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-'))
            return 0;
    return 1;
}

static char *find_plugin(sparta_host *host, const char *name, const sparta_value *where) {
    char *dirs[64];
    size_t n = search_dirs(host, dirs, 64);
    char *found = NULL;
    char file[128];
    snprintf(file, sizeof file, "%s.so", name);
    for (size_t i = 0; i < n; i++) {
        char *candidate = dirs[i] ? join_path(dirs[i], file) : NULL;
        if (!found && candidate && access(candidate, F_OK) == 0) {
            found = candidate;
            candidate = NULL;
        }
        free(candidate);
    }
    if (!found) {
        sparta_buffer looked = SPARTA_BUFFER_INIT;
        for (size_t i = 0; i < n; i++) sparta__buffer_printf(&looked, "%s%s", i ? ", " : "", dirs[i] ? dirs[i] : "?");
        sparta__error_set_at(&host->error, SPARTA_EPLUGIN, host->config.path, where ? where->line : 0,
                             "%s:%d: plugins.enabled: unknown plugin '%s': no %s in %s. Build or install "
                             "it, add its folder to plugins.path or SPARTA_PLUGIN_PATH, or remove it "
                             "from plugins.enabled",
                             host->config.path, where ? where->line : 0, name, file,
                             looked.data ? looked.data : "(nowhere)");
        sparta__buffer_free(&looked);
    }
    for (size_t i = 0; i < n; i++) free(dirs[i]);
    return found;
}

static int plugin_open(sparta_host *host, const char *name, const char *path, sparta_plugin **out) {
    sparta_error_slot *err = &host->error;
    int rc = check_permissions(path, err);
    if (rc != 0) return rc;
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *why = dlerror();
        int not_elf = why && (strstr(why, "invalid ELF header") || strstr(why, "file too short") ||
                              strstr(why, "not an ELF"));
        return sparta__error_set(err, SPARTA_EPLUGIN,
                                 "plugin '%s' (%s) could not be loaded: %s%s", name, path,
                                 not_elf ? "the file is not a shared object; rebuild it as a plugin "
                                           "(a MODULE library built with sparta_add_plugin or "
                                           "pkg-config sparta-plugin)"
                                         : why ? why : "unknown dlopen error",
                                 not_elf ? "" : "; check that its dependencies are installed");
    }
    dlerror();
    sparta_plugin_entry_fn entry;
    *(void **)&entry = dlsym(lib, SPARTA_PLUGIN_ENTRY_SYMBOL);
    if (!entry) {
        dlclose(lib);
        return sparta__error_set(err, SPARTA_EPLUGIN,
                                 "plugin '%s' (%s) was refused: it does not export %s(); a plugin "
                                 "defines it with SPARTA_PLUGIN_DEFINE from <sparta/plugin.h>",
                                 name, path, SPARTA_PLUGIN_ENTRY_SYMBOL);
    }
    const sparta_plugin_descriptor *d = entry();
    rc = sparta__descriptor_check(d, path, err);
    if (rc != 0) {
        dlclose(lib);
        return rc;
    }
    sparta_plugin *p = calloc(1, sizeof *p);
    if (!p) {
        dlclose(lib);
        return sparta__error_set(err, SPARTA_ENOMEM, "out of memory loading %s", path);
    }
    memcpy(&p->info, d, d->struct_size < sizeof p->info ? d->struct_size : sizeof p->info);
    p->host = host;
    p->library = lib;
    p->descriptor = d;
    p->path = strdup(path);
    p->name = strdup(p->info.name ? p->info.name : "");
    p->version = strdup(p->info.version ? p->info.version : "");
    p->description = strdup(p->info.description ? p->info.description : "");
    p->license = strdup(p->info.license ? p->info.license : "");
    *out = p;
    if (strcmp(p->name, name) != 0)
        return sparta__error_set(err, SPARTA_EPLUGIN,
                                 "plugin file %s declares the name '%s', but it was enabled as '%s': a "
                                 "plugin NAME lives in NAME.so; rename the file or fix the name",
                                 path, p->name, name);
    if (!p->info.init)
        return sparta__error_set(err, SPARTA_EPLUGIN, "plugin '%s' (%s) was refused: it has no init function",
                                 name, path);
    return 0;
}

static void plugin_free(sparta_plugin *p) {
    if (!p) return;
    if (p->initialized && p->info.fini) p->info.fini(p->state);
    if (p->library) dlclose(p->library);
    for (size_t i = 0; i < p->schema_count; i++) {
        free((char *)p->schema[i].path);
        free((char *)p->schema[i].description);
    }
    free(p->schema);
    free(p->name);
    free(p->version);
    free(p->description);
    free(p->license);
    free(p->path);
    free(p);
}

int sparta__plugins_load(sparta_host *host) {
    const sparta_value *enabled = sparta__value_path(host->config.root, "plugins.enabled");
    if (!enabled) return 0;
    if (enabled->type != SPARTA_VALUE_ARRAY)
        return sparta__error_set_at(&host->error, SPARTA_ECONFIG, host->config.path, enabled->line,
                                    "%s:%d: plugins.enabled: expected a list of plugin names, e.g. "
                                    "enabled = [ \"lambda\" ];",
                                    host->config.path, enabled->line);
    host->plugins = calloc(enabled->as.array.count + 1, sizeof *host->plugins);
    if (!host->plugins) return SPARTA_ENOMEM;
    for (size_t i = 0; i < enabled->as.array.count; i++) {
        const sparta_value *item = enabled->as.array.items[i];
        const char *name = item->type == SPARTA_VALUE_STRING ? item->as.str.text : NULL;
        if (!plugin_name_valid(name))
            return sparta__error_set_at(&host->error, SPARTA_ECONFIG, host->config.path, item->line,
                                        "%s:%d: plugins.enabled.[%zu]: '%s' is not a plugin name (letters, "
                                        "digits, '-' and '_')",
                                        host->config.path, item->line, i, name ? name : "(not a string)");
        for (size_t j = 0; j < host->plugin_count; j++)
            if (strcmp(host->plugins[j]->name, name) == 0)
                return sparta__error_set_at(&host->error, SPARTA_EPLUGIN, host->config.path, item->line,
                                            "%s:%d: plugins.enabled: two plugins are named '%s' (%s is "
                                            "already loaded); enable each plugin once",
                                            host->config.path, item->line, name, host->plugins[j]->path);
        char *path = find_plugin(host, name, item);
        if (!path) return SPARTA_EPLUGIN;
        sparta_plugin *p = NULL;
        int rc = plugin_open(host, name, path, &p);
        free(path);
        if (rc != 0) {
            plugin_free(p);
            return rc;
        }
        host->plugins[host->plugin_count++] = p;
    }
    /* init runs after every file passed its checks, in name order, so the
     * result never depends on the order of plugins.enabled. */
    for (size_t i = 0; i < host->plugin_count; i++) {
        for (size_t j = i + 1; j < host->plugin_count; j++) {
            if (strcmp(host->plugins[j]->name, host->plugins[i]->name) < 0) {
                sparta_plugin *t = host->plugins[i];
                host->plugins[i] = host->plugins[j];
                host->plugins[j] = t;
            }
        }
    }
    for (size_t i = 0; i < host->plugin_count; i++) {
        sparta_plugin *p = host->plugins[i];
        sparta__error_clear(&host->error);
        p->registering = 1;
        int rc = p->info.init(p, sparta__host_api(), &p->state);
        p->registering = 0;
        if (rc != 0) {
            if (host->error.code == 0 || host->error.message[0] == '\0')
                sparta__error_set(&host->error, SPARTA_EPLUGIN, "init returned %d without an error message", rc);
            sparta__error_prefix(&host->error, "plugin '%s' (%s) failed to initialise", p->name, p->path);
            snprintf(host->error.plugin, sizeof host->error.plugin, "%s", p->name);
            host->error.code = SPARTA_EPLUGIN;
            /* Nothing may point into a plugin that failed: drop what it registered. */
            sparta__command_remove_owned(host->commands, p);
            size_t kept = 0;
            for (size_t h = 0; h < host->hook_count; h++)
                if (host->hooks[h].plugin != p) host->hooks[kept++] = host->hooks[h];
            host->hook_count = kept;
            return SPARTA_EPLUGIN;
        }
        p->initialized = 1;
    }
    return 0;
}

void sparta__plugins_unload(sparta_host *host) {
    for (size_t i = host->plugin_count; i > 0; i--) plugin_free(host->plugins[i - 1]);
    free(host->plugins);
    host->plugins = NULL;
    host->plugin_count = 0;
}
