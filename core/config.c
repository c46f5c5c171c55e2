#include "config.h"

#include <libconfig.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

static sparta_value *convert(sparta_arena *arena, const config_setting_t *s, const char *file) {
    sparta_value *v = NULL;
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT:
        v = sparta__value_int(arena, config_setting_get_int(s));
        break;
    case CONFIG_TYPE_INT64:
        v = sparta__value_int(arena, config_setting_get_int64(s));
        break;
    case CONFIG_TYPE_FLOAT:
        v = sparta__value_double(arena, config_setting_get_float(s));
        break;
    case CONFIG_TYPE_BOOL:
        v = sparta__value_bool(arena, config_setting_get_bool(s));
        break;
    case CONFIG_TYPE_STRING:
        v = sparta__value_string(arena, config_setting_get_string(s));
        break;
    case CONFIG_TYPE_ARRAY:
    case CONFIG_TYPE_LIST:
    case CONFIG_TYPE_GROUP: {
        int group = config_setting_type(s) == CONFIG_TYPE_GROUP;
        v = sparta__value_new(arena, group ? SPARTA_VALUE_OBJECT : SPARTA_VALUE_ARRAY);
        int n = config_setting_length(s);
        for (int i = 0; v && i < n; i++) {
            config_setting_t *child = config_setting_get_elem(s, (unsigned)i);
            sparta_value *c = convert(arena, child, file);
            if (!c) return NULL;
            int rc = group ? sparta__value_object_set(v, config_setting_name(child), c)
                           : sparta__value_array_push(v, c);
            if (rc != 0) return NULL;
        }
        break;
    }
    default:
        v = sparta__value_new(arena, SPARTA_VALUE_NULL);
    }
    if (v) {
        v->file = file;
        v->line = (int)config_setting_source_line(s);
    }
    return v;
}

int sparta__config_load(sparta_config *config, const char *path, const char *text, sparta_error_slot *err) {
    memset(config, 0, sizeof *config);
    config_t cfg;
    config_init(&cfg);
    int ok = text ? config_read_string(&cfg, text) : config_read_file(&cfg, path);
    if (ok != CONFIG_TRUE) {
        int rc;
        if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
            rc = sparta__error_set_at(err, SPARTA_ECONFIG, path, 0,
                                      "%s: cannot read the config file: create it, or pick another "
                                      "with --config PATH or SPARTA_CONFIG",
                                      path);
        else
            rc = sparta__error_set_at(err, SPARTA_ECONFIG, path, config_error_line(&cfg),
                                      "%s:%d: %s: fix the libconfig syntax (settings end with ';', "
                                      "strings are double-quoted, groups use { }, lists use ( ) or [ ])",
                                      path, config_error_line(&cfg), config_error_text(&cfg));
        config_destroy(&cfg);
        return rc;
    }
    config->arena = sparta__arena_new();
    if (!config->arena) {
        config_destroy(&cfg);
        return sparta__error_set(err, SPARTA_ENOMEM, "out of memory reading %s", path);
    }
    config->path = sparta__arena_strdup(config->arena, path);
    char *copy = strdup(path);
    config->directory = sparta__arena_strdup(config->arena, text ? "." : dirname(copy));
    free(copy);
    config->root = convert(config->arena, config_root_setting(&cfg), config->path);
    config_destroy(&cfg);
    if (!config->root) {
        sparta__config_free(config);
        return sparta__error_set(err, SPARTA_ENOMEM, "out of memory reading %s", path);
    }
    return 0;
}

void sparta__config_free(sparta_config *config) {
    if (config) sparta__arena_free(config->arena);
    if (config) memset(config, 0, sizeof *config);
}
