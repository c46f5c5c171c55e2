/* One parsed command line: the command, the flag values given, the
 * positional arguments. Reading a flag falls back to its default. */
#include "command/internal.h"

#include <stdlib.h>
#include <string.h>

sparta_invocation *sparta__invocation_new(const sparta_command_tree *tree) {
    sparta_invocation *inv = calloc(1, sizeof *inv);
    if (!inv) return NULL;
    inv->tree = tree;
    inv->command = tree->root;
    return inv;
}

void sparta__invocation_free(sparta_invocation *inv) {
    if (!inv) return;
    for (size_t i = 0; i < inv->value_count; i++) {
        for (size_t j = 0; j < inv->values[i].count; j++) free(inv->values[i].values[j]);
        free(inv->values[i].values);
    }
    free(inv->values);
    for (size_t i = 0; i < inv->arg_count; i++) free(inv->args[i]);
    free(inv->args);
    free(inv);
}

const sparta_invocation_value *sparta__invocation_value(const sparta_invocation *inv,
                                                        const sparta_command_flag *flag) {
    for (size_t i = 0; inv && flag && i < inv->value_count; i++)
        if (inv->values[i].flag == flag) return &inv->values[i];
    return NULL;
}

int sparta__invocation_value_add(sparta_invocation *inv, const sparta_command_flag *flag, const char *value) {
    sparta_invocation_value *v = (sparta_invocation_value *)sparta__invocation_value(inv, flag);
    if (!v) {
        if (inv->value_count == inv->value_cap) {
            size_t cap = inv->value_cap ? inv->value_cap * 2 : 8;
            sparta_invocation_value *n = realloc(inv->values, cap * sizeof *n);
            if (!n) return -1;
            inv->values = n;
            inv->value_cap = cap;
        }
        v = &inv->values[inv->value_count++];
        memset(v, 0, sizeof *v);
        v->flag = flag;
    }
    char *copy = strdup(value);
    if (!copy) return -1;
    if (flag->type != SPARTA_FLAG_LIST && v->count) { /* the last one wins */
        free(v->values[0]);
        v->values[0] = copy;
        return 0;
    }
    if (v->count == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 4;
        char **n = realloc(v->values, cap * sizeof *n);
        if (!n) {
            free(copy);
            return -1;
        }
        v->values = n;
        v->cap = cap;
    }
    v->values[v->count++] = copy;
    return 0;
}

int sparta__invocation_arg_add(sparta_invocation *inv, const char *arg) {
    if (inv->arg_count == inv->arg_cap) {
        size_t cap = inv->arg_cap ? inv->arg_cap * 2 : 8;
        char **n = realloc(inv->args, cap * sizeof *n);
        if (!n) return -1;
        inv->args = n;
        inv->arg_cap = cap;
    }
    if (!(inv->args[inv->arg_count] = strdup(arg))) return -1;
    inv->arg_count++;
    return 0;
}

static const sparta_command_flag *lookup(const sparta_invocation *inv, const char *name) {
    return inv && name ? sparta__command_flag_find(inv->command, name) : NULL;
}

const char *sparta__invocation_flag_string(const sparta_invocation *inv, const char *name) {
    const sparta_command_flag *f = lookup(inv, name);
    if (!f) return NULL;
    const sparta_invocation_value *v = sparta__invocation_value(inv, f);
    return v && v->count ? v->values[v->count - 1] : f->default_value;
}

int sparta__invocation_flag_bool(const sparta_invocation *inv, const char *name) {
    return sparta__command_parse_bool(sparta__invocation_flag_string(inv, name)) == 1;
}

int64_t sparta__invocation_flag_int(const sparta_invocation *inv, const char *name) {
    int64_t v = 0;
    return sparta__command_parse_int(sparta__invocation_flag_string(inv, name), &v) == 0 ? v : 0;
}

size_t sparta__invocation_flag_list_count(const sparta_invocation *inv, const char *name) {
    const sparta_command_flag *f = lookup(inv, name);
    if (!f) return 0;
    const sparta_invocation_value *v = sparta__invocation_value(inv, f);
    if (v && v->count) return v->count;
    return f->default_value ? 1 : 0;
}

const char *sparta__invocation_flag_list_at(const sparta_invocation *inv, const char *name, size_t i) {
    const sparta_command_flag *f = lookup(inv, name);
    if (!f) return NULL;
    const sparta_invocation_value *v = sparta__invocation_value(inv, f);
    if (v && v->count) return i < v->count ? v->values[i] : NULL;
    return i == 0 ? f->default_value : NULL;
}

size_t sparta__invocation_arg_count(const sparta_invocation *inv) { return inv ? inv->arg_count : 0; }

const char *sparta__invocation_arg_at(const sparta_invocation *inv, size_t i) {
    return inv && i < inv->arg_count ? inv->args[i] : NULL;
}

int sparta__invocation_flag_is_set(const sparta_invocation *inv, const char *name) {
    const sparta_invocation_value *v = sparta__invocation_value(inv, lookup(inv, name));
    return v && v->count;
}

const sparta_command_node *sparta__invocation_command(const sparta_invocation *inv) {
    return inv ? inv->command : NULL;
}

int sparta__invocation_help_requested(const sparta_invocation *inv) { return inv && inv->help; }
