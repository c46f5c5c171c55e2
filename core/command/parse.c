/* argv -> invocation. One pass, left to right: words walk down the tree
 * until one is not a subcommand; a flag is looked up among the flags of
 * the command reached so far and the globals, so flags come after the
 * command they belong to. */
#include "command/internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct parser {
    const sparta_command_tree *t;
    sparta_invocation *inv;
    sparta_error_slot *err;
    int globals_only;
} parser;

/* Sets a usage error: the message, the usage line and where to read more. */
static int usage_error(parser *p, const sparta_command_node *n, sparta_buffer *msg) {
    sparta_buffer full = SPARTA_BUFFER_INIT;
    sparta__command_full_name(p->t, n, &full);
    sparta__buffer_puts(msg, "\nUsage: ");
    sparta__command_usage_write(p->t, n, msg);
    sparta__buffer_printf(msg, "\nRun '%s --help' for details.", full.data ? full.data : p->t->program);
    int rc = sparta__error_set(p->err, SPARTA_EUSAGE, "%s", msg->data && !msg->failed ? msg->data : "usage error");
    sparta__buffer_free(&full);
    sparta__buffer_free(msg);
    return rc;
}

static int oom(parser *p) {
    return sparta__error_set(p->err, SPARTA_ENOMEM, "out of memory while parsing the command line");
}

static void suggest_flags(const sparta_command_node *n, const char *typed, sparta_command_suggestions *s) {
    for (int pass = 0; pass < 2; pass++) {
        const sparta_command_node *at = pass ? n->tree->root : n;
        if (pass && at == n) break;
        for (size_t i = 0; i < at->flag_count; i++) {
            sparta__command_suggest(s, typed, at->flags[i]->name, at->flags[i]);
            if (at->flags[i]->alias) sparta__command_suggest(s, typed, at->flags[i]->alias, at->flags[i]);
        }
    }
    sparta__command_suggest(s, typed, "help", "help");
}

static int unknown_flag(parser *p, const sparta_command_node *n, const char *arg, const char *name) {
    sparta_buffer msg = SPARTA_BUFFER_INIT, full = SPARTA_BUFFER_INIT;
    sparta__command_full_name(p->t, n, &full);
    sparta_command_suggestions s = {0};
    suggest_flags(n, name, &s);
    if (arg[1] != '-')
        sparta__buffer_printf(&msg, "unknown shorthand flag \"%s\" for \"%s\": flags are spelled with two "
                              "dashes, e.g. --noop", arg, full.data ? full.data : "");
    else
        sparta__buffer_printf(&msg, "unknown flag --%s for \"%s\"", name, full.data ? full.data : "");
    sparta__command_suggest_write(&s, "--", &msg);
    sparta__buffer_free(&full);
    return usage_error(p, n, &msg);
}

static int unknown_command(parser *p, const sparta_command_node *n, const char *word, int help_topic) {
    sparta_buffer msg = SPARTA_BUFFER_INIT, full = SPARTA_BUFFER_INIT;
    sparta__command_full_name(p->t, n, &full);
    sparta_command_suggestions s = {0};
    for (size_t i = 0; i < n->child_count; i++) {
        const sparta_command_node *c = n->children[i];
        if (c->hidden) continue;
        sparta__command_suggest(&s, word, c->name, c);
        if (c->alias) sparta__command_suggest(&s, word, c->alias, c);
    }
    if (n == p->t->root) sparta__command_suggest(&s, word, "help", "help");
    sparta__buffer_printf(&msg, "unknown %s \"%s\" for \"%s\"", help_topic ? "help topic" : "command", word,
                          full.data ? full.data : "");
    sparta__command_suggest_write(&s, "", &msg);
    sparta__buffer_free(&full);
    return usage_error(p, n, &msg);
}

/* argv[*i] starts with '-' and is not "-", "--", "-h" or "--help". */
static int parse_flag(parser *p, const sparta_command_node *n, int argc, const char *const *argv, int *i) {
    const char *arg = argv[*i];
    const char *body = arg + (arg[1] == '-' ? 2 : 1);
    const char *eq = strchr(body, '=');
    size_t len = eq ? (size_t)(eq - body) : strlen(body);
    char name[128];
    if (len >= sizeof name) len = sizeof name - 1;
    memcpy(name, body, len);
    name[len] = '\0';
    const sparta_command_flag *f = arg[1] == '-' && *name ? sparta__command_flag_find(n, name) : NULL;
    if (!f) return p->globals_only ? 0 : unknown_flag(p, n, arg, name);

    const char *value = eq ? eq + 1 : NULL;
    sparta_buffer msg = SPARTA_BUFFER_INIT;
    if (f->type == SPARTA_FLAG_BOOL) {
        if (!value) value = "true";
        if (sparta__command_parse_bool(value) < 0) {
            sparta__buffer_printf(&msg, "invalid value \"%s\" for flag --%s: expected true or false", value, name);
            return usage_error(p, n, &msg);
        }
    } else if (!value) {
        const char *next = *i + 1 < argc ? argv[*i + 1] : NULL;
        if (!next || (next[0] == '-' && next[1] == '-')) {
            sparta__buffer_printf(&msg, "flag --%s needs a value (%s): --%s VALUE or --%s=VALUE", name,
                                  sparta__command_flag_type_name(f->type), name, name);
            return usage_error(p, n, &msg);
        }
        value = argv[++*i];
    }
    int64_t ignored;
    if (f->type == SPARTA_FLAG_INT && sparta__command_parse_int(value, &ignored) != 0) {
        sparta__buffer_printf(&msg, "invalid value \"%s\" for flag --%s: expected an integer", value, name);
        return usage_error(p, n, &msg);
    }
    return sparta__invocation_value_add(p->inv, f, value) == 0 ? 0 : oom(p);
}

/* Flags of `from` itself (not global) would not apply below it. */
static int leave(parser *p, const sparta_command_node *from, const sparta_command_node *to) {
    if (from == p->t->root) return 0;
    for (size_t i = 0; i < p->inv->value_count; i++) {
        const sparta_command_flag *f = p->inv->values[i].flag;
        if (f->command != from) continue;
        sparta_buffer msg = SPARTA_BUFFER_INIT, a = SPARTA_BUFFER_INIT, b = SPARTA_BUFFER_INIT;
        sparta__command_full_name(p->t, from, &a);
        sparta__command_full_name(p->t, to, &b);
        sparta__buffer_printf(&msg, "flag --%s belongs to \"%s\", not \"%s\"", f->name, a.data ? a.data : "",
                              b.data ? b.data : "");
        sparta__buffer_free(&a);
        sparta__buffer_free(&b);
        return usage_error(p, to, &msg);
    }
    return 0;
}

static int check_required(parser *p, const sparta_command_node *n) {
    sparta_buffer missing = SPARTA_BUFFER_INIT;
    size_t count = 0;
    for (int pass = 0; pass < 2; pass++) {
        const sparta_command_node *at = pass ? p->t->root : n;
        if (pass && at == n) break;
        for (size_t i = 0; i < at->flag_count; i++) {
            const sparta_command_flag *f = at->flags[i];
            if (!f->required || sparta__invocation_value(p->inv, f)) continue;
            sparta__buffer_printf(&missing, "%s--%s", count ? ", " : "", f->name);
            count++;
        }
    }
    if (!count) return 0;
    sparta_buffer msg = SPARTA_BUFFER_INIT;
    sparta__buffer_printf(&msg, "required flag%s %s not set", count > 1 ? "s" : "",
                          missing.data ? missing.data : "");
    sparta__buffer_free(&missing);
    return usage_error(p, n, &msg);
}

static int parse(parser *p, int argc, const char *const *argv) {
    const sparta_command_node *n = p->t->root;
    int flags_done = 0, descending = 1, help_topic = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i] ? argv[i] : "";
        if (!flags_done && a[0] == '-' && a[1]) {
            if (!strcmp(a, "--")) {
                flags_done = 1;
                descending = 0;
            } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
                p->inv->help = 1;
            } else {
                int rc = parse_flag(p, n, argc, argv, &i);
                if (rc) return rc;
            }
            continue;
        }
        if (p->globals_only) continue;
        if (descending) {
            if (n == p->t->root && !strcmp(a, "help")) { /* `help [command...]` */
                help_topic = 1;
                p->inv->help = 1;
                continue;
            }
            const sparta_command_node *c = sparta__command_child_find(n, a);
            if (c) {
                int rc = leave(p, n, c);
                if (rc) return rc;
                n = p->inv->command = c;
                continue;
            }
            descending = 0;
            if (help_topic || (!n->args && (n->child_count || n == p->t->root)))
                return unknown_command(p, n, a, help_topic);
        }
        if (!n->args && !p->inv->help) {
            sparta_buffer msg = SPARTA_BUFFER_INIT, full = SPARTA_BUFFER_INIT;
            sparta__command_full_name(p->t, n, &full);
            sparta__buffer_printf(&msg, "\"%s\" takes no arguments, but got \"%s\"", full.data ? full.data : "", a);
            sparta__buffer_free(&full);
            return usage_error(p, n, &msg);
        }
        if (sparta__invocation_arg_add(p->inv, a) != 0) return oom(p);
    }
    if (!p->inv->help && !p->globals_only) return check_required(p, n);
    return 0;
}

static int run(const sparta_command_tree *t, int argc, const char *const *argv, int globals_only,
               sparta_invocation **out, sparta_error_slot *err) {
    *out = NULL;
    parser p = {t, sparta__invocation_new(t), err, globals_only};
    if (!p.inv) return oom(&p);
    int rc = parse(&p, argc < 0 ? 0 : argc, argv);
    if (rc) {
        sparta__invocation_free(p.inv);
        return rc;
    }
    *out = p.inv;
    return 0;
}

int sparta__command_parse(const sparta_command_tree *t, int argc, const char *const *argv,
                          sparta_invocation **out, sparta_error_slot *err) {
    return run(t, argc, argv, 0, out, err);
}

int sparta__command_parse_globals(const sparta_command_tree *t, int argc, const char *const *argv,
                                  sparta_invocation **out, sparta_error_slot *err) {
    return run(t, argc, argv, 1, out, err);
}
