/* The command line: sparta__command_parse on a small fixed tree (plus a few
 * commands and flags registered from the input, as a plugin would), then
 * everything a command reads from the invocation, the generated help and
 * usage, and the completion scripts.
 *
 * Input: a registration count, that many command/flag specs (strings up to
 * NUL), then argv words separated by NUL. Properties:
 *  - a refused command line is SPARTA_EUSAGE with a message that carries
 *    the usage line; parse never crashes, whatever the words;
 *  - an accepted one has a command from the tree, at most argc positional
 *    arguments, int flags that read back as the integer their text says,
 *    bool flags 0 or 1, required flags set (unless help was asked for);
 *  - parse_globals accepts anything parse accepts;
 *  - help, usage and completion text are produced for any tree. */
#include <stdlib.h>
#include <string.h>

#include "command/command.h"
#include "fuzz_support.h"

#define MAX_ARGS 24

static int run_nothing(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    (void)p;
    (void)inv;
    (void)state;
    return 0;
}

static int plugin_a, plugin_b;

static const char *owner_name(const void *owner) {
    if (owner == &plugin_a) return "codepipeline";
    if (owner == &plugin_b) return "fuzzed";
    return NULL;
}

#define FLAG(name, alias, type, def, req) {sizeof(sparta_flag_spec), name, alias, SPARTA_FLAG_##type, def, "usage", req}

static sparta_command_tree *fixed_tree(void) {
    sparta_command_tree *t = sparta__command_tree_new();
    FUZZ_CHECK(t != NULL, "tree_new");
    sparta__command_tree_set_owner_namer(t, owner_name);
    sparta_error_slot err;
    static const sparta_flag_spec globals[] = {
        FLAG("config", NULL, STRING, NULL, 0), FLAG("level", NULL, STRING, "info", 0),
        FLAG("noop", NULL, BOOL, NULL, 0),     FLAG("outputDir", NULL, STRING, ".sparta", 0),
    };
    for (size_t i = 0; i < sizeof globals / sizeof *globals; i++)
        FUZZ_CHECK(sparta__command_flag_add(t, "", &globals[i], NULL, &err) == 0, "global: %s", err.message);
    static const sparta_flag_spec provision[] = {
        FLAG("s3Bucket", NULL, STRING, NULL, 0), FLAG("memory", NULL, INT, "128", 0),
        FLAG("wait", NULL, BOOL, "true", 0),     FLAG("buildTags", NULL, LIST, NULL, 0),
    };
    static const sparta_flag_spec del[] = {FLAG("stackName", NULL, STRING, NULL, 1)};
    static const sparta_flag_spec show[] = {FLAG("verbose", "v-v", BOOL, NULL, 0), FLAG("limit", NULL, INT, NULL, 0)};
    const struct {
        const char *path, *args;
        const sparta_flag_spec *flags;
        size_t n;
        void *owner;
    } cmds[] = {
        {"provision", NULL, provision, 4, NULL},
        {"delete", NULL, del, 1, NULL},
        {"describe", NULL, NULL, 0, NULL},
        {"completion", "bash|zsh|fish", NULL, 0, NULL},
        {"provisionPipeline", NULL, NULL, 0, &plugin_a},
        {"pipeline show", "[NAME]", show, 2, &plugin_a},
        {"internalDebug", NULL, NULL, 0, NULL},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        sparta_command_spec spec = {sizeof spec, cmds[i].path, NULL, "summary", NULL, cmds[i].args,
                                    run_nothing, cmds[i].flags, cmds[i].n};
        FUZZ_CHECK(sparta__command_add(t, &spec, cmds[i].owner, &err) == 0, "fixed %s: %s", cmds[i].path,
                   err.message);
    }
    sparta__command_set_hidden(sparta__command_find(t, "internalDebug"), 1);
    return t;
}

/* A string from the input, or NULL for an empty one when nullable. */
static char *opt_string(fuzz_input *in, size_t max, int nullable) {
    char *s = fuzz_string_until(in, 0, max, NULL);
    if (nullable && !*s) {
        free(s);
        return NULL;
    }
    return s;
}

static void register_fuzzed(sparta_command_tree *t, fuzz_input *in) {
    size_t n = fuzz_pick(in, 4);
    sparta_error_slot err;
    for (size_t i = 0; i < n; i++) {
        uint8_t kind = fuzz_u8(in);
        char *path = opt_string(in, 60, 0);
        sparta_flag_spec flags[2];
        char *strings[2][4];
        size_t nflags = kind & 1 ? 0 : fuzz_pick(in, 3);
        for (size_t f = 0; f < nflags; f++) {
            strings[f][0] = opt_string(in, 40, 0);
            strings[f][1] = opt_string(in, 40, 1);
            strings[f][2] = opt_string(in, 20, 1);
            strings[f][3] = opt_string(in, 60, 0);
            flags[f] = (sparta_flag_spec){sizeof(sparta_flag_spec), strings[f][0], strings[f][1],
                                          (sparta_flag_type)(fuzz_u8(in) % 4), strings[f][2], strings[f][3],
                                          fuzz_u8(in) & 1};
        }
        if (kind & 2) {
            /* a flag on an existing (or fuzzed) command path */
            if (nflags) sparta__command_flag_add(t, path, &flags[0], &plugin_b, &err);
        } else {
            char *alias = opt_string(in, 40, 1), *summary = opt_string(in, 80, 0), *help = opt_string(in, 80, 1),
                 *args = opt_string(in, 20, 1);
            sparta_command_spec spec = {sizeof spec, path, alias, summary, help, args,
                                        (kind & 4) ? NULL : run_nothing, nflags ? flags : NULL, nflags};
            sparta__command_add(t, &spec, &plugin_b, &err);
            sparta_command_node *added = sparta__command_find(t, path);
            if ((kind & 8) && added) sparta__command_set_hidden(added, 1);
            free(alias);
            free(summary);
            free(help);
            free(args);
        }
        for (size_t f = 0; f < nflags; f++)
            for (size_t k = 0; k < 4; k++) free(strings[f][k]);
        free(path);
    }
}

static void check_flag(const sparta_invocation *inv, const sparta_command_flag *f, int help) {
    const char *text = sparta__invocation_flag_string(inv, f->name);
    int set = sparta__invocation_flag_is_set(inv, f->name);
    if (f->alias) FUZZ_CHECK(sparta__invocation_flag_is_set(inv, f->alias) == set, "alias of --%s", f->name);
    switch (f->type) {
    case SPARTA_FLAG_BOOL: {
        int b = sparta__invocation_flag_bool(inv, f->name);
        FUZZ_CHECK(b == 0 || b == 1, "bool --%s read %d", f->name, b);
        break;
    }
    case SPARTA_FLAG_INT: {
        int64_t v = sparta__invocation_flag_int(inv, f->name);
        if (set && text) FUZZ_CHECK(v == strtoll(text, NULL, 10), "int --%s: %lld from \"%s\"", f->name, (long long)v, text);
        break;
    }
    case SPARTA_FLAG_LIST: {
        size_t n = sparta__invocation_flag_list_count(inv, f->name);
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(sparta__invocation_flag_list_at(inv, f->name, i) != NULL, "list --%s item %zu", f->name, i);
        FUZZ_CHECK(sparta__invocation_flag_list_at(inv, f->name, n) == NULL, "list --%s past the end", f->name);
        break;
    }
    default: break;
    }
    if (f->required && !help) FUZZ_CHECK(set, "required --%s accepted unset", f->name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_input in = {data, size};
    sparta_command_tree *t = fixed_tree();
    register_fuzzed(t, &in);

    char *words[MAX_ARGS];
    int argc = 0;
    while (!fuzz_empty(&in) && argc < MAX_ARGS) words[argc++] = fuzz_string_until(&in, 0, 200, NULL);

    sparta_error_slot err;
    memset(&err, 0, sizeof err);
    sparta_invocation *inv = NULL;
    int rc = sparta__command_parse(t, argc, (const char *const *)words, &inv, &err);
    if (rc != 0) {
        FUZZ_CHECK(rc == SPARTA_EUSAGE, "parse returned %d: %s", rc, err.message);
        FUZZ_CHECK(inv == NULL, "refused parse left an invocation");
        FUZZ_CHECK(strstr(err.message, "Usage: ") != NULL, "usage error without the usage line: %s", err.message);
    } else {
        const sparta_command_node *cmd = sparta__invocation_command(inv);
        FUZZ_CHECK(cmd != NULL, "no command");
        FUZZ_CHECK(sparta__command_find(t, sparta__command_path(cmd)) == cmd, "command not in the tree");
        int help = sparta__invocation_help_requested(inv);
        size_t nargs = sparta__invocation_arg_count(inv);
        FUZZ_CHECK(nargs <= (size_t)argc, "%zu arguments from %d words", nargs, argc);
        for (size_t i = 0; i < nargs; i++) FUZZ_CHECK(sparta__invocation_arg_at(inv, i) != NULL, "arg %zu", i);
        for (const sparta_command_node *n = cmd; n; n = sparta__command_parent(n))
            for (size_t i = 0; i < sparta__command_flag_count(n); i++)
                check_flag(inv, sparta__command_flag_at(n, i), help);
        for (int i = 0; i < argc; i++) {
            /* any word as a flag name: reads fall back to nothing */
            (void)sparta__invocation_flag_string(inv, words[i]);
            (void)sparta__invocation_flag_list_count(inv, words[i]);
        }
        char *h = sparta__command_help(t, cmd), *u = sparta__command_usage(t, cmd);
        FUZZ_CHECK(h && u, "help or usage text missing");
        free(h);
        free(u);
        sparta__invocation_free(inv);

        sparta_invocation *globals = NULL;
        FUZZ_CHECK(sparta__command_parse_globals(t, argc, (const char *const *)words, &globals, &err) == 0,
                   "parse accepted what parse_globals refused: %s", err.message);
        sparta__invocation_free(globals);
    }
    /* Completion scripts, once in a while (they cover the whole tree). */
    if (size && data[0] == 'C') {
        static const char *const shells[] = {"bash", "zsh", "fish"};
        for (size_t i = 0; i < 3; i++) {
            char *script = NULL;
            FUZZ_CHECK(sparta__command_completion(t, shells[i], &script, &err) == 0 && script, "%s completion: %s",
                       shells[i], err.message);
            free(script);
        }
    }
    for (int i = 0; i + 1 < argc; i++) (void)sparta__command_levenshtein(words[i], words[i + 1]);
    for (int i = 0; i < argc; i++) free(words[i]);
    sparta__command_tree_free(t);
    return 0;
}
