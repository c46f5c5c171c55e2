/* The tree itself: nodes, registration of commands and flags, lookups and
 * the walk. */
#include "command/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 16

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static void flag_free(sparta_command_flag *f) {
    if (!f) return;
    free(f->name);
    free(f->alias);
    free(f->default_value);
    free(f->usage);
    free(f);
}

static void node_free(sparta_command_node *n) {
    if (!n) return;
    for (size_t i = 0; i < n->child_count; i++) node_free(n->children[i]);
    for (size_t i = 0; i < n->flag_count; i++) flag_free(n->flags[i]);
    free(n->children);
    free(n->flags);
    free(n->name);
    free(n->alias);
    free(n->path);
    free(n->summary);
    free(n->help);
    free(n->args);
    free(n);
}

static sparta_command_node *node_new(sparta_command_tree *tree, sparta_command_node *parent,
                                     const char *name) {
    sparta_command_node *n = calloc(1, sizeof *n);
    if (!n) return NULL;
    n->tree = tree;
    n->parent = parent;
    n->name = strdup(name);
    n->summary = strdup("");
    if (!parent || !*parent->path) {
        n->path = strdup(parent ? name : "");
    } else if ((n->path = malloc(strlen(parent->path) + strlen(name) + 2))) {
        sprintf(n->path, "%s %s", parent->path, name);
    }
    if (!n->name || !n->summary || !n->path) {
        node_free(n);
        return NULL;
    }
    return n;
}

/* ---- the tree ------------------------------------------------------------ */

sparta_command_tree *sparta__command_tree_new(void) {
    sparta_command_tree *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->program = strdup("sparta");
    t->root = t->program ? node_new(t, NULL, "sparta") : NULL;
    if (!t->root) {
        free(t->program);
        free(t);
        return NULL;
    }
    return t;
}

void sparta__command_tree_free(sparta_command_tree *t) {
    if (!t) return;
    node_free(t->root);
    free(t->program);
    free(t);
}

int sparta__command_tree_set_program(sparta_command_tree *t, const char *program) {
    if (!program || !*program || strlen(program) > 64) return SPARTA_EUSAGE;
    for (const char *p = program; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return SPARTA_EUSAGE;
    char *a = strdup(program), *b = strdup(program);
    if (!a || !b) {
        free(a);
        free(b);
        return SPARTA_ENOMEM;
    }
    free(t->program);
    free(t->root->name);
    t->program = a;
    t->root->name = b;
    return 0;
}

const char *sparta__command_tree_program(const sparta_command_tree *t) { return t->program; }

void sparta__command_tree_set_owner_namer(sparta_command_tree *t, sparta_command_owner_name_fn fn) {
    t->owner_name = fn;
}

/* ---- lookups ------------------------------------------------------------- */

static sparta_command_node *child_by_name(const sparta_command_node *n, const char *name) {
    for (size_t i = 0; i < n->child_count; i++)
        if (!strcmp(n->children[i]->name, name)) return n->children[i];
    return NULL;
}

sparta_command_node *sparta__command_child_find(const sparta_command_node *n, const char *word) {
    sparta_command_node *c = child_by_name(n, word);
    for (size_t i = 0; !c && i < n->child_count; i++)
        if (n->children[i]->alias && !strcmp(n->children[i]->alias, word)) c = n->children[i];
    return c;
}

sparta_command_node *sparta__command_root(const sparta_command_tree *t) { return t->root; }

sparta_command_node *sparta__command_find(const sparta_command_tree *t, const char *path) {
    sparta_command_node *n = t->root;
    for (const char *p = path ? path : ""; n && *p;) {
        while (*p == ' ') p++;
        size_t len = strcspn(p, " ");
        if (!len) break;
        char word[128];
        if (len >= sizeof word) return NULL;
        memcpy(word, p, len);
        word[len] = '\0';
        n = sparta__command_child_find(n, word);
        p += len;
    }
    return n;
}

void sparta__command_full_name(const sparta_command_tree *t, const sparta_command_node *n,
                               sparta_buffer *out) {
    sparta__buffer_puts(out, t->program);
    if (*n->path) sparta__buffer_printf(out, " %s", n->path);
}

static const sparta_command_flag *flag_match(const sparta_command_node *n, const char *word) {
    for (size_t i = 0; i < n->flag_count; i++) {
        const sparta_command_flag *f = n->flags[i];
        if (!strcmp(f->name, word) || (f->alias && !strcmp(f->alias, word))) return f;
    }
    return NULL;
}

const sparta_command_flag *sparta__command_flag_find(const sparta_command_node *n, const char *name) {
    if (!n || !name) return NULL;
    const sparta_command_flag *f = flag_match(n, name);
    return f ? f : flag_match(n->tree->root, name);
}

/* A flag anywhere under `n` (for a new global, which applies everywhere). */
static const sparta_command_flag *flag_match_below(const sparta_command_node *n, const char *word) {
    const sparta_command_flag *f = flag_match(n, word);
    for (size_t i = 0; !f && i < n->child_count; i++) f = flag_match_below(n->children[i], word);
    return f;
}

/* ---- accessors ----------------------------------------------------------- */

const char *sparta__command_name(const sparta_command_node *n) { return n->name; }
const char *sparta__command_alias(const sparta_command_node *n) { return n->alias; }
const char *sparta__command_path(const sparta_command_node *n) { return n->path; }
const char *sparta__command_summary(const sparta_command_node *n) { return n->summary; }
const char *sparta__command_long_help(const sparta_command_node *n) { return n->help; }
const char *sparta__command_args_usage(const sparta_command_node *n) { return n->args; }
void *sparta__command_owner(const sparta_command_node *n) { return n->owner; }
sparta_command_fn sparta__command_run(const sparta_command_node *n) { return n->run; }
int sparta__command_is_hidden(const sparta_command_node *n) { return n->hidden; }
void sparta__command_set_hidden(sparta_command_node *n, int hidden) { n->hidden = hidden != 0; }
const sparta_command_node *sparta__command_parent(const sparta_command_node *n) { return n->parent; }

int sparta__command_set_text(sparta_command_node *n, const char *summary, const char *help) {
    char *s = strdup(summary ? summary : ""), *h = dup_or_null(help);
    if (!s || (help && !h)) {
        free(s);
        free(h);
        return SPARTA_ENOMEM;
    }
    free(n->summary);
    free(n->help);
    n->summary = s;
    n->help = h;
    return 0;
}
size_t sparta__command_child_count(const sparta_command_node *n) { return n->child_count; }
const sparta_command_node *sparta__command_child_at(const sparta_command_node *n, size_t i) {
    return i < n->child_count ? n->children[i] : NULL;
}
size_t sparta__command_flag_count(const sparta_command_node *n) { return n->flag_count; }
const sparta_command_flag *sparta__command_flag_at(const sparta_command_node *n, size_t i) {
    return i < n->flag_count ? n->flags[i] : NULL;
}

static int walk(const sparta_command_node *n, sparta_command_visit_fn visit, void *ctx) {
    int rc = visit(n, ctx);
    for (size_t i = 0; !rc && i < n->child_count; i++) rc = walk(n->children[i], visit, ctx);
    return rc;
}

int sparta__command_walk(const sparta_command_tree *t, sparta_command_visit_fn visit, void *ctx) {
    return walk(t->root, visit, ctx);
}

/* ---- growing arrays without failing later ---------------------------------- */

static int reserve(void **items, size_t *cap, size_t count, size_t more, size_t size) {
    if (count + more <= *cap) return 0;
    size_t n = *cap ? *cap : 4;
    while (n < count + more) n *= 2;
    void *p = realloc(*items, n * size);
    if (!p) return -1;
    *items = p;
    *cap = n;
    return 0;
}

static int reserve_children(sparta_command_node *n, size_t more) {
    void *items = n->children;
    int rc = reserve(&items, &n->child_cap, n->child_count, more, sizeof *n->children);
    n->children = items;
    return rc;
}

static int reserve_flags(sparta_command_node *n, size_t more) {
    void *items = n->flags;
    int rc = reserve(&items, &n->flag_cap, n->flag_count, more, sizeof *n->flags);
    n->flags = items;
    return rc;
}

/* Callers reserve first, so these never fail. */
static void insert_child(sparta_command_node *n, sparta_command_node *c) {
    size_t at = 0;
    while (at < n->child_count && strcmp(n->children[at]->name, c->name) < 0) at++;
    memmove(n->children + at + 1, n->children + at, (n->child_count - at) * sizeof *n->children);
    n->children[at] = c;
    n->child_count++;
    c->parent = n;
}

static void insert_flag(sparta_command_node *n, sparta_command_flag *f) {
    size_t at = 0;
    while (at < n->flag_count && strcmp(n->flags[at]->name, f->name) < 0) at++;
    memmove(n->flags + at + 1, n->flags + at, (n->flag_count - at) * sizeof *n->flags);
    n->flags[at] = f;
    n->flag_count++;
    f->command = n;
}

/* ---- flags --------------------------------------------------------------- */

static int oom(sparta_error_slot *err) {
    return sparta__error_set(err, SPARTA_ENOMEM, "out of memory while registering commands");
}

/* Where a clash was found, for the message. */
static int flag_clash_error(const sparta_command_tree *t, const char *label, const char *word,
                            const char *mine, const sparta_command_flag *other, sparta_error_slot *err) {
    char theirs[200];
    sparta__command_describe_owner(t, other->owner, theirs, sizeof theirs);
    sparta_buffer where = SPARTA_BUFFER_INIT;
    sparta__command_full_name(t, other->command, &where);
    int global = other->command == t->root;
    int rc = sparta__error_set(err, SPARTA_EUSAGE,
                               "cannot add flag --%s to \"%s\" for %s: --%s is already %s --%s%s%s on "
                               "\"%s\", registered by %s; choose another name",
                               word, label, mine, word, global ? "the global flag" : "the flag", other->name,
                               other->alias ? ", --" : "", other->alias ? other->alias : "",
                               where.data ? where.data : "", theirs);
    sparta__buffer_free(&where);
    return rc;
}

/* Builds a flag from a copied spec for node `n` (NULL: a command about to
 * be created, where only the globals apply), refusing clashes with flags
 * that apply there and with `pending` ones from the same spec. */
static int flag_make(sparta_command_tree *t, const sparta_command_node *n, const char *label,
                     const sparta_flag_spec *spec, void *owner, sparta_command_flag *const *pending,
                     size_t pending_count, sparta_command_flag **out, sparta_error_slot *err) {
    char mine[200];
    sparta__command_describe_owner(t, owner, mine, sizeof mine);
    const char *name = spec->name;
    if (!name || !sparta__command_name_valid(name))
        return sparta__error_set(err, SPARTA_EUSAGE,
                                 "cannot add flag \"%s\" to \"%s\" for %s: a flag name is letters, digits, "
                                 "'-' and '_', starting with a letter or digit and given without dashes "
                                 "(\"s3Bucket\")",
                                 name ? name : "(null)", label, mine);
    if (spec->alias && *spec->alias && (!sparta__command_name_valid(spec->alias) || !strcmp(spec->alias, name)))
        return sparta__error_set(err, SPARTA_EUSAGE,
                                 "cannot add flag --%s to \"%s\" for %s: its alias \"%s\" must be a different "
                                 "valid name, usually the kebab-case form (\"s3-bucket\")",
                                 name, label, mine, spec->alias);
    if ((unsigned)spec->type > SPARTA_FLAG_LIST)
        return sparta__error_set(err, SPARTA_EUSAGE,
                                 "cannot add flag --%s to \"%s\" for %s: unknown flag type %d", name, label,
                                 mine, (int)spec->type);
    const char *dv = spec->default_value;
    int64_t ignored;
    if (dv && spec->type == SPARTA_FLAG_BOOL && sparta__command_parse_bool(dv) < 0)
        return sparta__error_set(err, SPARTA_EUSAGE,
                                 "cannot add flag --%s to \"%s\" for %s: default \"%s\" is not a bool (use "
                                 "\"true\" or \"false\")",
                                 name, label, mine, dv);
    if (dv && spec->type == SPARTA_FLAG_INT && sparta__command_parse_int(dv, &ignored) != 0)
        return sparta__error_set(err, SPARTA_EUSAGE,
                                 "cannot add flag --%s to \"%s\" for %s: default \"%s\" is not an integer",
                                 name, label, mine, dv);
    if (dv && spec->required)
        return sparta__error_set(err, SPARTA_EUSAGE,
                                 "cannot add flag --%s to \"%s\" for %s: it is required and has a default "
                                 "(\"%s\"); drop one of them",
                                 name, label, mine, dv);

    sparta_command_flag *f = calloc(1, sizeof *f);
    if (!f) return oom(err);
    f->name = strdup(name);
    f->alias = spec->alias ? (*spec->alias ? strdup(spec->alias) : NULL) : sparta__command_kebab(name);
    f->type = spec->type;
    f->default_value = dup_or_null(dv);
    f->usage = strdup(spec->usage ? spec->usage : "");
    f->required = spec->required != 0;
    f->owner = owner;
    if (!f->name || !f->usage || (dv && !f->default_value) || (spec->alias && *spec->alias && !f->alias)) {
        flag_free(f);
        return oom(err);
    }
    const char *words[2] = {f->name, f->alias};
    for (size_t w = 0; w < 2 && words[w]; w++) {
        const char *word = words[w];
        if (!strcmp(word, "help") || !strcmp(word, "h")) {
            int rc = sparta__error_set(err, SPARTA_EUSAGE,
                                       "cannot add flag --%s to \"%s\" for %s: --%s is reserved for help",
                                       name, label, mine, word);
            flag_free(f);
            return rc;
        }
        const sparta_command_flag *other = NULL;
        for (size_t i = 0; !other && i < pending_count; i++)
            if (!strcmp(pending[i]->name, word) || (pending[i]->alias && !strcmp(pending[i]->alias, word)))
                other = pending[i];
        if (other) {
            int rc = sparta__error_set(err, SPARTA_EUSAGE,
                                       "cannot add flag --%s to \"%s\" for %s: the same spec already has a "
                                       "flag --%s",
                                       word, label, mine, word);
            flag_free(f);
            return rc;
        }
        if (!n) other = flag_match(t->root, word);
        else if (n == t->root) other = flag_match_below(t->root, word);
        else other = sparta__command_flag_find(n, word);
        if (other) {
            int rc = flag_clash_error(t, label, word, mine, other, err);
            flag_free(f);
            return rc;
        }
    }
    *out = f;
    return 0;
}

int sparta__command_flag_add(sparta_command_tree *t, const char *command_path, const sparta_flag_spec *spec_in,
                             void *owner, sparta_error_slot *err) {
    sparta_flag_spec spec;
    int rc = sparta__command_flag_spec_copy(spec_in, &spec, "", err);
    if (rc) return rc;
    sparta_command_node *n = sparta__command_find(t, command_path);
    if (!n) {
        sparta_buffer msg = SPARTA_BUFFER_INIT;
        sparta__buffer_printf(&msg, "cannot add flag --%s: there is no command \"%s %s\"",
                              spec.name ? spec.name : "", t->program, command_path);
        /* suggest among every command path */
        sparta_command_suggestions s = {0};
        const sparta_command_node *stack[256];
        size_t top = 0;
        stack[top++] = t->root;
        while (top) {
            const sparta_command_node *x = stack[--top];
            if (*x->path && !x->hidden) sparta__command_suggest(&s, command_path, x->path, x);
            for (size_t i = 0; i < x->child_count && top < 256; i++) stack[top++] = x->children[i];
        }
        sparta__command_suggest_write(&s, "", &msg);
        rc = sparta__error_set(err, SPARTA_ENOTFOUND, "%s", msg.data ? msg.data : "no such command");
        sparta__buffer_free(&msg);
        return rc;
    }
    sparta_buffer label = SPARTA_BUFFER_INIT;
    sparta__command_full_name(t, n, &label);
    sparta_command_flag *f = NULL;
    rc = label.failed ? oom(err) : flag_make(t, n, label.data, &spec, owner, NULL, 0, &f, err);
    sparta__buffer_free(&label);
    if (rc) return rc;
    if (reserve_flags(n, 1) != 0) {
        flag_free(f);
        return oom(err);
    }
    insert_flag(n, f);
    return 0;
}

/* ---- commands ------------------------------------------------------------ */

static int command_error(const sparta_command_tree *t, const char *path, const char *mine,
                         sparta_error_slot *err, const char *fmt, const char *a, const char *b) {
    char reason[600];
    snprintf(reason, sizeof reason, fmt, a ? a : "", b ? b : "");
    return sparta__error_set(err, SPARTA_EUSAGE, "cannot register command \"%s %s\" for %s: %s", t->program,
                             path, mine, reason);
}

/* A sibling of `self` under `parent` already called `word` (name or alias). */
static const sparta_command_node *sibling_clash(const sparta_command_node *parent,
                                                const sparta_command_node *self, const char *word) {
    for (size_t i = 0; parent && i < parent->child_count; i++) {
        const sparta_command_node *c = parent->children[i];
        if (c != self && (!strcmp(c->name, word) || (c->alias && !strcmp(c->alias, word)))) return c;
    }
    return NULL;
}

int sparta__command_add(sparta_command_tree *t, const sparta_command_spec *spec_in, void *owner,
                        sparta_error_slot *err) {
    sparta_command_spec spec;
    int rc = sparta__command_spec_copy(spec_in, &spec, err);
    if (rc) return rc;
    char mine[200], theirs[200];
    sparta__command_describe_owner(t, owner, mine, sizeof mine);
    if (!spec.path || !*spec.path)
        return sparta__error_set(err, SPARTA_EUSAGE,
                                 "cannot register a command for %s: the spec has no path; set .path, e.g. "
                                 "\"provisionPipeline\" or \"pipeline show\"",
                                 mine);

    /* the words of the path */
    char copy[512], *words[MAX_DEPTH];
    size_t count = 0;
    if (strlen(spec.path) >= sizeof copy)
        return command_error(t, "...", mine, err, "its path is too long%s%s", NULL, NULL);
    strcpy(copy, spec.path);
    for (char *save = NULL, *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        if (count == MAX_DEPTH) return command_error(t, spec.path, mine, err, "it is nested too deeply%s%s", NULL, NULL);
        if (!sparta__command_name_valid(w))
            return command_error(t, spec.path, mine, err,
                                 "\"%s\" is not a valid command name: use letters, digits, '-' and '_', "
                                 "starting with a letter or digit%s",
                                 w, NULL);
        words[count++] = w;
    }
    if (!count) return command_error(t, spec.path, mine, err, "its path is empty%s%s", NULL, NULL);
    const char *last = words[count - 1];
    if (count == 1 && (!strcmp(last, "help") || (spec.alias && !strcmp(spec.alias, "help"))))
        return command_error(t, spec.path, mine, err, "\"help\" is reserved for sparta's own help%s%s", NULL, NULL);

    /* the existing part of the path */
    sparta_command_node *parent = t->root;
    size_t have = 0;
    for (; have + 1 < count; have++) {
        sparta_command_node *c = child_by_name(parent, words[have]);
        if (!c) break;
        parent = c;
    }
    sparta_command_node *existing = have + 1 == count ? child_by_name(parent, last) : NULL;
    if (existing && !existing->implicit) {
        sparta__command_describe_owner(t, existing->owner, theirs, sizeof theirs);
        return command_error(t, spec.path, mine, err, "it is already registered by %s%s; choose another name",
                             theirs, NULL);
    }
    /* the first new word must not be a sibling's alias */
    const sparta_command_node *other = sibling_clash(parent, existing, words[have]);
    if (other && !existing) {
        sparta__command_describe_owner(t, other->owner, theirs, sizeof theirs);
        return command_error(t, spec.path, mine, err, "\"%s\" is already an alias of a command registered by %s",
                             words[have], theirs);
    }

    /* the alias: given, or derived from the camelCase name */
    char *alias = NULL;
    if (spec.alias && *spec.alias) {
        if (!sparta__command_name_valid(spec.alias) || !strcmp(spec.alias, last))
            return command_error(t, spec.path, mine, err,
                                 "its alias \"%s\" must be a different valid name, usually the kebab-case "
                                 "form%s",
                                 spec.alias, NULL);
        if (!(alias = strdup(spec.alias))) return oom(err);
    } else if (!spec.alias) {
        alias = sparta__command_kebab(last);
    }
    if (alias && have + 1 == count && (other = sibling_clash(parent, existing, alias))) {
        sparta__command_describe_owner(t, other->owner, theirs, sizeof theirs);
        rc = command_error(t, spec.path, mine, err, "its alias \"%s\" is already taken by a command of %s", alias,
                           theirs);
        free(alias);
        return rc;
    }

    /* the flags, checked before anything changes */
    sparta_command_flag **flags = spec.flag_count ? calloc(spec.flag_count, sizeof *flags) : NULL;
    if (spec.flag_count && !flags) {
        free(alias);
        return oom(err);
    }
    sparta_buffer label = SPARTA_BUFFER_INIT;
    sparta__buffer_printf(&label, "%s %s", t->program, spec.path);
    for (size_t i = 0; !rc && i < spec.flag_count; i++) {
        sparta_flag_spec fs;
        char where[48];
        snprintf(where, sizeof where, " (flags[%zu])", i);
        rc = sparta__command_flag_spec_copy(sparta__command_spec_flag(&spec, i), &fs, where, err);
        if (!rc) rc = flag_make(t, existing, label.data ? label.data : "", &fs, owner, flags, i, &flags[i], err);
    }
    sparta__buffer_free(&label);

    /* the new nodes, built detached */
    sparta_command_node *chain = NULL, *node = existing;
    char *summary = NULL, *help = NULL, *args = NULL;
    if (!rc) {
        summary = strdup(spec.summary ? spec.summary : "");
        help = dup_or_null(spec.help);
        args = dup_or_null(spec.args);
        if (!summary || (spec.help && !help) || (spec.args && !args)) rc = oom(err);
    }
    sparta_command_node *at = parent;
    for (size_t i = have; !rc && !existing && i < count; i++) {
        sparta_command_node *n = node_new(t, at, words[i]);
        if (!n || (i + 1 < count && reserve_children(n, 1) != 0)) {
            node_free(n);
            rc = oom(err);
            break;
        }
        n->implicit = i + 1 < count;
        n->owner = owner;
        if (at != parent) insert_child(at, n);
        else chain = n;
        at = node = n;
    }
    if (!rc && chain && reserve_children(parent, 1) != 0) rc = oom(err);
    if (!rc && spec.flag_count && reserve_flags(node, spec.flag_count) != 0) rc = oom(err);
    if (rc) {
        for (size_t i = 0; flags && i < spec.flag_count; i++) flag_free(flags[i]);
        free(flags);
        node_free(chain);
        free(alias);
        free(summary);
        free(help);
        free(args);
        return rc;
    }

    /* commit: nothing below can fail */
    if (chain) insert_child(parent, chain);
    free(node->alias);
    free(node->summary);
    free(node->help);
    free(node->args);
    node->alias = alias;
    node->summary = summary;
    node->help = help;
    node->args = args;
    node->run = spec.run;
    node->owner = owner;
    node->implicit = 0;
    for (size_t i = 0; i < spec.flag_count; i++) insert_flag(node, flags[i]);
    free(flags);
    return 0;
}

/* ---- removal ------------------------------------------------------------- */

static size_t remove_owned(sparta_command_node *n, const void *owner) {
    size_t removed = 0;
    for (size_t i = 0; i < n->flag_count;) {
        if (n->flags[i]->owner == owner) {
            flag_free(n->flags[i]);
            memmove(n->flags + i, n->flags + i + 1, (n->flag_count - i - 1) * sizeof *n->flags);
            n->flag_count--;
            removed++;
        } else {
            i++;
        }
    }
    for (size_t i = 0; i < n->child_count;) {
        sparta_command_node *c = n->children[i];
        removed += remove_owned(c, owner);
        if (c->owner == owner && !c->child_count) {
            node_free(c);
            memmove(n->children + i, n->children + i + 1, (n->child_count - i - 1) * sizeof *n->children);
            n->child_count--;
            removed++;
            continue;
        }
        if (c->owner == owner) { /* others hang below: keep it as a bare group */
            c->run = NULL;
            c->implicit = 1;
            c->owner = c->children[0]->owner;
            removed++;
        }
        i++;
    }
    return removed;
}

size_t sparta__command_remove_owned(sparta_command_tree *t, const void *owner) {
    return owner ? remove_owned(t->root, owner) : 0;
}
