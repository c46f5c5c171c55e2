/* Help and usage text, generated from the tree in cobra's layout. */
#include "command/internal.h"

#include <stdlib.h>
#include <string.h>

static int visible_children(const sparta_command_tree *t, const sparta_command_node *n) {
    if (n == t->root) return 1; /* `help` is always there */
    for (size_t i = 0; i < n->child_count; i++)
        if (!n->children[i]->hidden) return 1;
    return 0;
}

void sparta__command_usage_write(const sparta_command_tree *t, const sparta_command_node *n,
                                 sparta_buffer *out) {
    sparta__command_full_name(t, n, out);
    if (n->run || !visible_children(t, n)) {
        sparta__buffer_puts(out, " [flags]");
        if (n->args) sparta__buffer_printf(out, " %s", n->args);
    } else {
        sparta__buffer_puts(out, " [command]");
    }
}

char *sparta__command_usage(const sparta_command_tree *t, const sparta_command_node *n) {
    sparta_buffer b = SPARTA_BUFFER_INIT;
    sparta__command_usage_write(t, n, &b);
    return sparta__buffer_take(&b, NULL);
}

/* Rows of two columns, the second aligned one gap after the widest first. */
typedef struct row {
    char *left;
    char *right;
} row;

typedef struct table {
    row *rows;
    size_t count, cap;
    sparta_buffer *out;
} table;

static void table_add(table *tb, sparta_buffer *left, sparta_buffer *right) {
    if (tb->count == tb->cap) {
        size_t cap = tb->cap ? tb->cap * 2 : 16;
        row *rows = realloc(tb->rows, cap * sizeof *rows);
        if (!rows) { /* out of memory: the help comes back NULL */
            tb->out->failed = 1;
            sparta__buffer_free(left);
            sparta__buffer_free(right);
            return;
        }
        tb->rows = rows;
        tb->cap = cap;
    }
    tb->rows[tb->count].left = sparta__buffer_take(left, NULL);
    tb->rows[tb->count].right = sparta__buffer_take(right, NULL);
    tb->count++;
}

static void table_flush(table *tb, const char *heading) {
    size_t width = 0;
    for (size_t i = 0; i < tb->count; i++) {
        size_t w = tb->rows[i].left ? strlen(tb->rows[i].left) : 0;
        if (w > width) width = w;
    }
    if (tb->count) sparta__buffer_printf(tb->out, "\n%s:\n", heading);
    for (size_t i = 0; i < tb->count; i++) {
        const char *l = tb->rows[i].left ? tb->rows[i].left : "";
        const char *r = tb->rows[i].right ? tb->rows[i].right : "";
        if (*r) sparta__buffer_printf(tb->out, "  %-*s   %s\n", (int)width, l, r);
        else sparta__buffer_printf(tb->out, "  %s\n", l);
        free(tb->rows[i].left);
        free(tb->rows[i].right);
    }
    tb->count = 0;
}

static void flag_row(table *tb, const sparta_command_flag *f) {
    sparta_buffer l = SPARTA_BUFFER_INIT, r = SPARTA_BUFFER_INIT;
    sparta__buffer_printf(&l, "    --%s", f->name);
    if (f->alias) sparta__buffer_printf(&l, ", --%s", f->alias);
    if (f->type != SPARTA_FLAG_BOOL) sparta__buffer_printf(&l, " %s", sparta__command_flag_type_name(f->type));
    sparta__buffer_puts(&r, f->usage);
    if (f->type == SPARTA_FLAG_LIST) sparta__buffer_puts(&r, *f->usage ? " (repeatable)" : "(repeatable)");
    if (f->default_value) {
        const char *sep = r.length ? " " : "";
        if (f->type == SPARTA_FLAG_STRING || f->type == SPARTA_FLAG_LIST)
            sparta__buffer_printf(&r, "%s(default \"%s\")", sep, f->default_value);
        else if (f->type == SPARTA_FLAG_INT || sparta__command_parse_bool(f->default_value) == 1)
            sparta__buffer_printf(&r, "%s(default %s)", sep, f->default_value);
    }
    if (f->required) sparta__buffer_puts(&r, r.length ? " (required)" : "(required)");
    table_add(tb, &l, &r);
}

static void help_row(table *tb, const char *for_what) {
    sparta_buffer l = SPARTA_BUFFER_INIT, r = SPARTA_BUFFER_INIT;
    sparta__buffer_puts(&l, "-h, --help");
    sparta__buffer_printf(&r, "help for %s", for_what);
    table_add(tb, &l, &r);
}

char *sparta__command_help(const sparta_command_tree *t, const sparta_command_node *n) {
    sparta_buffer b = SPARTA_BUFFER_INIT, full = SPARTA_BUFFER_INIT;
    sparta__command_full_name(t, n, &full);
    const char *fullname = full.data ? full.data : t->program;
    table tb = {.out = &b};

    const char *about = n->help && *n->help ? n->help : n->summary;
    if (about && *about) {
        size_t len = strlen(about);
        while (len && about[len - 1] == '\n') len--;
        sparta__buffer_put(&b, about, len);
        sparta__buffer_puts(&b, "\n\n");
    }
    sparta__buffer_puts(&b, "Usage:\n");
    if (n->run || !visible_children(t, n)) {
        sparta__buffer_printf(&b, "  %s [flags]%s%s\n", fullname, n->args ? " " : "", n->args ? n->args : "");
    }
    if (visible_children(t, n)) sparta__buffer_printf(&b, "  %s [command]\n", fullname);
    if (n->alias) sparta__buffer_printf(&b, "\nAliases:\n  %s, %s\n", n->name, n->alias);

    /* subcommands, `help` among them at the root */
    int help_listed = n != t->root;
    for (size_t i = 0; i <= n->child_count; i++) {
        const sparta_command_node *c = i < n->child_count ? n->children[i] : NULL;
        if (!help_listed && (!c || strcmp(c->name, "help") > 0)) {
            sparta_buffer l = SPARTA_BUFFER_INIT, r = SPARTA_BUFFER_INIT;
            sparta__buffer_puts(&l, "help");
            sparta__buffer_puts(&r, "Help about any command");
            table_add(&tb, &l, &r);
            help_listed = 1;
        }
        if (!c || c->hidden) continue;
        sparta_buffer l = SPARTA_BUFFER_INIT, r = SPARTA_BUFFER_INIT;
        sparta__buffer_puts(&l, c->name);
        sparta__buffer_puts(&r, c->summary);
        table_add(&tb, &l, &r);
    }
    table_flush(&tb, "Available Commands");

    help_row(&tb, n == t->root ? t->program : n->name);
    for (size_t i = 0; i < n->flag_count; i++) flag_row(&tb, n->flags[i]);
    table_flush(&tb, "Flags");
    if (n != t->root) {
        for (size_t i = 0; i < t->root->flag_count; i++) flag_row(&tb, t->root->flags[i]);
        table_flush(&tb, "Global Flags");
    }
    if (visible_children(t, n))
        sparta__buffer_printf(&b, "\nUse \"%s [command] --help\" for more information about a command.\n",
                              fullname);
    sparta__buffer_free(&full);
    free(tb.rows);
    return sparta__buffer_take(&b, NULL);
}
