/* Shell completion scripts generated from the whole tree.
 *
 * bash and zsh share one design: small lookup functions generated from
 * the tree (the child a word leads to, the subcommands and flags of each
 * command path) and a driver that walks the words typed so far, skipping
 * flags and their values, to find the command path being completed. fish
 * gets the same walk as a function used in `complete -n` conditions.
 * Command and flag names are limited to [A-Za-z0-9_-] (names.c), so they
 * need no quoting; summaries and usage text are quoted. Hidden commands are
 * left out. */
#include "command/internal.h"

#include <string.h>

typedef struct gen {
    const sparta_command_tree *t;
    sparta_buffer *out;
    char fn[80];     /* the program name as a shell identifier */
    int values_only; /* sh_flags_case lists only flags that take a value */
} gen;

/* Visits the visible nodes, root first. */
static void each_node(gen *g, const sparta_command_node *n,
                      void (*visit)(gen *g, const sparta_command_node *n)) {
    if (n->hidden) return;
    visit(g, n);
    for (size_t i = 0; i < n->child_count; i++) each_node(g, n->children[i], visit);
}

/* Text for one line, inside single quotes, for POSIX shells. */
static void put_sh_quoted(sparta_buffer *b, const char *s) {
    sparta__buffer_putc(b, '\'');
    for (; s && *s; s++) {
        if (*s == '\'') sparta__buffer_puts(b, "'\\''");
        else if ((unsigned char)*s < 0x20) sparta__buffer_putc(b, ' ');
        else sparta__buffer_putc(b, *s);
    }
    sparta__buffer_putc(b, '\'');
}

/* fish: inside single quotes only \ and ' are special. */
static void put_fish_quoted(sparta_buffer *b, const char *s) {
    sparta__buffer_putc(b, '\'');
    for (; s && *s; s++) {
        if (*s == '\'' || *s == '\\') sparta__buffer_putc(b, '\\');
        sparta__buffer_putc(b, (unsigned char)*s < 0x20 ? ' ' : *s);
    }
    sparta__buffer_putc(b, '\'');
}

static int visible_children(const sparta_command_node *n) {
    for (size_t i = 0; i < n->child_count; i++)
        if (!n->children[i]->hidden) return 1;
    return 0;
}

/* "--name --alias ..." of a node's own flags; only value-taking ones when asked. */
static void put_flags(sparta_buffer *b, const sparta_command_node *n, int values_only) {
    for (size_t i = 0; i < n->flag_count; i++) {
        const sparta_command_flag *f = n->flags[i];
        if (values_only && f->type == SPARTA_FLAG_BOOL) continue;
        sparta__buffer_printf(b, "%s--%s", b->length ? " " : "", f->name);
        if (f->alias) sparta__buffer_printf(b, " --%s", f->alias);
    }
}

/* ---- shared by bash and zsh -------------------------------------------------- */

static void sh_child_case(gen *g, const sparta_command_node *n) {
    for (size_t i = 0; i < n->child_count; i++) {
        const sparta_command_node *c = n->children[i];
        if (c->hidden) continue;
        sparta__buffer_printf(g->out, "        \"%s|%s\"", n->path, c->name);
        if (c->alias) sparta__buffer_printf(g->out, "|\"%s|%s\"", n->path, c->alias);
        sparta__buffer_printf(g->out, ") REPLY=\"%s\" ;;\n", c->path);
    }
}

static void sh_commands_case(gen *g, const sparta_command_node *n) {
    int root = n == g->t->root;
    if (!root && !visible_children(n)) return;
    sparta__buffer_printf(g->out, "        \"%s\") REPLY=\"", n->path);
    int first = 1;
    int help_done = !root;
    for (size_t i = 0; i <= n->child_count; i++) {
        const sparta_command_node *c = i < n->child_count ? n->children[i] : NULL;
        if (!help_done && (!c || strcmp(c->name, "help") > 0)) {
            sparta__buffer_printf(g->out, "%shelp", first ? "" : " ");
            first = 0;
            help_done = 1;
        }
        if (!c || c->hidden) continue;
        sparta__buffer_printf(g->out, "%s%s", first ? "" : " ", c->name);
        first = 0;
    }
    sparta__buffer_puts(g->out, "\" ;;\n");
}

static void sh_flags_case(gen *g, const sparta_command_node *n) {
    if (n == g->t->root) return; /* the root's flags are the globals, added to every path */
    sparta_buffer list = SPARTA_BUFFER_INIT;
    put_flags(&list, n, g->values_only);
    if (list.length) sparta__buffer_printf(g->out, "        \"%s\") REPLY=\"%s\" ;;\n", n->path, list.data);
    sparta__buffer_free(&list);
}

/* The lookup functions both bash and zsh scripts use. */
static void sh_functions(gen *g) {
    sparta_buffer *o = g->out;
    sparta__buffer_printf(o,
                          "# The command path that word $2 leads to from command path $1, in REPLY.\n"
                          "__%s_child() {\n"
                          "    case \"$1|$2\" in\n"
                          "        \"|help\") REPLY=\"\" ;;\n",
                          g->fn);
    each_node(g, g->t->root, sh_child_case);
    sparta__buffer_puts(o, "        *) return 1 ;;\n    esac\n}\n\n");

    sparta__buffer_printf(o, "# The subcommands of a command path, in REPLY.\n__%s_commands() {\n    case \"$1\" in\n",
                          g->fn);
    each_node(g, g->t->root, sh_commands_case);
    sparta__buffer_puts(o, "        *) REPLY=\"\" ;;\n    esac\n}\n\n");

    sparta_buffer globals = SPARTA_BUFFER_INIT, global_values = SPARTA_BUFFER_INIT;
    sparta__buffer_puts(&globals, "--help -h");
    put_flags(&globals, g->t->root, 0);
    put_flags(&global_values, g->t->root, 1);
    for (int v = 0; v < 2; v++) {
        sparta__buffer_printf(o,
                              "# The flags of a command path%s, global ones included, in REPLY.\n"
                              "__%s_%sflags() {\n    case \"$1\" in\n",
                              v ? " that take a value" : "", g->fn, v ? "value_" : "");
        g->values_only = v;
        each_node(g, g->t->root, sh_flags_case);
        const sparta_buffer *add = v ? &global_values : &globals;
        sparta__buffer_printf(o, "        *) REPLY=\"\" ;;\n    esac\n    REPLY=\"$REPLY %s\"\n}\n\n",
                              add->data ? add->data : "");
    }
    sparta__buffer_free(&globals);
    sparta__buffer_free(&global_values);
}

/* The loop both drivers run over the words before the cursor. `first` is
 * the index of the first word after the program, `words`/`limit` the
 * shell's names for the word array and the cursor index. */
static void sh_walk(gen *g, const char *first, const char *words, const char *limit, int equals_breaks) {
    sparta__buffer_printf(g->out,
                          "    for ((i = %s; i < %s; i++)); do\n"
                          "        word=\"${%s[i]}\"\n"
                          "        if ((skip)); then\n",
                          first, limit, words);
    if (equals_breaks)
        sparta__buffer_puts(g->out,
                            "            # bash splits --flag=value at '=' (COMP_WORDBREAKS)\n"
                            "            [[ $word == \"=\" ]] || skip=0\n");
    else
        sparta__buffer_puts(g->out, "            skip=0\n");
    sparta__buffer_printf(g->out,
                          "            continue\n"
                          "        fi\n"
                          "        if ((!flags_done)); then\n"
                          "            case \"$word\" in\n"
                          "                --) flags_done=1; descending=0; continue ;;\n"
                          "%s"
                          "                --*=*) continue ;;\n"
                          "                -*)\n"
                          "                    __%s_value_flags \"$cmdpath\"\n"
                          "                    [[ \" $REPLY \" == *\" $word \"* ]] && skip=1\n"
                          "                    continue ;;\n"
                          "            esac\n"
                          "        fi\n"
                          "        if ((descending)) && __%s_child \"$cmdpath\" \"$word\"; then\n"
                          "            cmdpath=\"$REPLY\"\n"
                          "        else\n"
                          "            descending=0\n"
                          "        fi\n"
                          "    done\n",
                          equals_breaks ? "                =) skip=1; continue ;;\n" : "", g->fn, g->fn);
}

static void bash_script(gen *g) {
    sparta_buffer *o = g->out;
    const char *p = g->t->program;
    sparta__buffer_printf(o,
                          "# bash completion for %s, generated by `%s completion bash` from its command tree.\n"
                          "# Load it with:  source <(%s completion bash)\n"
                          "# or save it as /etc/bash_completion.d/%s\n\n",
                          p, p, p, p);
    sh_functions(g);
    sparta__buffer_printf(o,
                          "_%s() {\n"
                          "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" cmdpath=\"\" word REPLY\n"
                          "    local i skip=0 flags_done=0 descending=1\n",
                          g->fn);
    sh_walk(g, "1", "COMP_WORDS", "COMP_CWORD", 1);
    sparta__buffer_printf(o,
                          "    COMPREPLY=()\n"
                          "    # a flag's value: leave it to readline's default (file names)\n"
                          "    if ((skip)) || [[ $cur == \"=\" ]]; then return 0; fi\n"
                          "    if ((!flags_done)) && [[ $cur == -* ]]; then\n"
                          "        __%s_flags \"$cmdpath\"\n"
                          "        COMPREPLY=($(compgen -W \"$REPLY\" -- \"$cur\"))\n"
                          "    elif ((descending)); then\n"
                          "        __%s_commands \"$cmdpath\"\n"
                          "        COMPREPLY=($(compgen -W \"$REPLY\" -- \"$cur\"))\n"
                          "    fi\n"
                          "    return 0\n"
                          "}\n\n"
                          "complete -o default -F _%s %s\n",
                          g->fn, g->fn, g->fn, p);
}

static void zsh_described_case(gen *g, const sparta_command_node *n) {
    int root = n == g->t->root;
    if (!root && !visible_children(n)) return;
    sparta__buffer_printf(g->out, "        \"%s\") reply=(", n->path);
    int help_done = !root, first = 1;
    for (size_t i = 0; i <= n->child_count; i++) {
        const sparta_command_node *c = i < n->child_count ? n->children[i] : NULL;
        if (!help_done && (!c || strcmp(c->name, "help") > 0)) {
            sparta__buffer_printf(g->out, "%s'help:Help about any command'", first ? "" : " ");
            help_done = 1;
            first = 0;
        }
        if (!c || c->hidden) continue;
        sparta_buffer item = SPARTA_BUFFER_INIT;
        sparta__buffer_printf(&item, "%s:%s", c->name, c->summary);
        if (!first) sparta__buffer_putc(g->out, ' ');
        put_sh_quoted(g->out, item.data ? item.data : c->name);
        sparta__buffer_free(&item);
        first = 0;
    }
    sparta__buffer_puts(g->out, ") ;;\n");
}

static void zsh_script(gen *g) {
    sparta_buffer *o = g->out;
    const char *p = g->t->program;
    sparta__buffer_printf(o,
                          "#compdef %s\n"
                          "# zsh completion for %s, generated by `%s completion zsh` from its command tree.\n"
                          "# Save it as a file named _%s in a directory on $fpath, or load it with:\n"
                          "#   source <(%s completion zsh)\n\n",
                          p, p, p, p, p);
    sh_functions(g);
    sparta__buffer_printf(o, "# \"name:summary\" for each subcommand of a command path, in reply.\n"
                             "__%s_described() {\n    case \"$1\" in\n",
                          g->fn);
    each_node(g, g->t->root, zsh_described_case);
    sparta__buffer_puts(o, "        *) reply=() ;;\n    esac\n}\n\n");
    sparta__buffer_printf(o,
                          "_%s() {\n"
                          "    local cur=\"${words[CURRENT]}\" cmdpath=\"\" word REPLY\n"
                          "    local -a reply\n"
                          "    local i skip=0 flags_done=0 descending=1\n",
                          g->fn);
    sh_walk(g, "2", "words", "CURRENT", 0);
    sparta__buffer_printf(o,
                          "    if ((skip)); then _files; return; fi\n"
                          "    if ((!flags_done)) && [[ $cur == -* ]]; then\n"
                          "        __%s_flags \"$cmdpath\"\n"
                          "        compadd -- ${=REPLY}\n"
                          "        return\n"
                          "    fi\n"
                          "    if ((descending)); then\n"
                          "        __%s_described \"$cmdpath\"\n"
                          "        if ((${#reply})); then\n"
                          "            _describe -t commands 'command' reply\n"
                          "            return\n"
                          "        fi\n"
                          "    fi\n"
                          "    _files\n"
                          "}\n\n"
                          "if [ \"$funcstack[1]\" = \"_%s\" ]; then\n"
                          "    _%s \"$@\"\n"
                          "else\n"
                          "    compdef _%s %s\n"
                          "fi\n",
                          g->fn, g->fn, g->fn, g->fn, g->fn, p);
}

/* ---- fish ----------------------------------------------------------------- */

static void fish_child_case(gen *g, const sparta_command_node *n) {
    for (size_t i = 0; i < n->child_count; i++) {
        const sparta_command_node *c = n->children[i];
        if (c->hidden) continue;
        sparta__buffer_printf(g->out, "        case '%s|%s'", n->path, c->name);
        if (c->alias) sparta__buffer_printf(g->out, " '%s|%s'", n->path, c->alias);
        sparta__buffer_printf(g->out, "\n            echo '%s'\n", c->path);
    }
}

static void fish_value_case(gen *g, const sparta_command_node *n) {
    if (n == g->t->root) return;
    sparta_buffer list = SPARTA_BUFFER_INIT;
    put_flags(&list, n, 1);
    if (list.length) sparta__buffer_printf(g->out, "        case '%s'\n            echo %s\n", n->path, list.data);
    sparta__buffer_free(&list);
}

static void fish_flag(gen *g, const sparta_command_node *n, const sparta_command_flag *f, const char *name) {
    sparta__buffer_printf(g->out, "complete -c %s", g->t->program);
    if (n != g->t->root) sparta__buffer_printf(g->out, " -n '__%s_at \"%s\"'", g->fn, n->path);
    sparta__buffer_printf(g->out, " -l %s%s -d ", name, f->type == SPARTA_FLAG_BOOL ? "" : " -r");
    put_fish_quoted(g->out, f->usage);
    sparta__buffer_putc(g->out, '\n');
}

static void fish_completions(gen *g, const sparta_command_node *n) {
    int root = n == g->t->root;
    for (size_t i = 0; i < n->child_count; i++) {
        const sparta_command_node *c = n->children[i];
        if (c->hidden) continue;
        sparta__buffer_printf(g->out, "complete -c %s -f -n '__%s_at \"%s\"' -a %s -d ", g->t->program, g->fn,
                              n->path, c->name);
        put_fish_quoted(g->out, c->summary);
        sparta__buffer_putc(g->out, '\n');
    }
    if (root)
        sparta__buffer_printf(g->out, "complete -c %s -f -n '__%s_at \"\"' -a help -d 'Help about any command'\n",
                              g->t->program, g->fn);
    for (size_t i = 0; i < n->flag_count; i++) {
        fish_flag(g, n, n->flags[i], n->flags[i]->name);
        if (n->flags[i]->alias) fish_flag(g, n, n->flags[i], n->flags[i]->alias);
    }
}

static void fish_script(gen *g) {
    sparta_buffer *o = g->out;
    const char *p = g->t->program;
    sparta__buffer_printf(o,
                          "# fish completion for %s, generated by `%s completion fish` from its command tree.\n"
                          "# Save it as ~/.config/fish/completions/%s.fish, or load it with:\n"
                          "#   %s completion fish | source\n\n"
                          "# The command path that word $argv[2] leads to from command path $argv[1].\n"
                          "function __%s_child\n"
                          "    switch \"$argv[1]|$argv[2]\"\n"
                          "        case '|help'\n"
                          "            echo ''\n",
                          p, p, p, p, g->fn);
    each_node(g, g->t->root, fish_child_case);
    sparta__buffer_puts(o, "        case '*'\n            return 1\n    end\nend\n\n");

    sparta_buffer globals = SPARTA_BUFFER_INIT;
    put_flags(&globals, g->t->root, 1);
    sparta__buffer_printf(o,
                          "# The flags of a command path that take a value, global ones included.\n"
                          "function __%s_value_flags\n    switch \"$argv[1]\"\n",
                          g->fn);
    each_node(g, g->t->root, fish_value_case);
    sparta__buffer_printf(o, "    end\n    echo %s\nend\n\n", globals.data ? globals.data : "");
    sparta__buffer_free(&globals);

    sparta__buffer_printf(o,
                          "# The command path the words before the cursor lead to.\n"
                          "function __%s_path\n"
                          "    set -l tokens (commandline -opc)\n"
                          "    set -e tokens[1]\n"
                          "    set -l cmdpath ''\n"
                          "    set -l skip 0\n"
                          "    for word in $tokens\n"
                          "        if test $skip -eq 1\n"
                          "            set skip 0\n"
                          "            continue\n"
                          "        end\n"
                          "        switch $word\n"
                          "            case '--'\n"
                          "                break\n"
                          "            case '--*=*'\n"
                          "                continue\n"
                          "            case '-*'\n"
                          "                if contains -- $word (string split ' ' -- (__%s_value_flags \"$cmdpath\"))\n"
                          "                    set skip 1\n"
                          "                end\n"
                          "                continue\n"
                          "        end\n"
                          "        __%s_child \"$cmdpath\" \"$word\" >/dev/null; or break\n"
                          "        set cmdpath (__%s_child \"$cmdpath\" \"$word\")\n"
                          "    end\n"
                          "    echo $cmdpath\n"
                          "end\n\n"
                          "function __%s_at\n"
                          "    set -l here (__%s_path)\n"
                          "    test \"$here\" = \"$argv[1]\"\n"
                          "end\n\n"
                          "complete -c %s -s h -l help -d 'help for a command'\n",
                          g->fn, g->fn, g->fn, g->fn, g->fn, g->fn, p);
    each_node(g, g->t->root, fish_completions);
}

int sparta__command_completion(const sparta_command_tree *t, const char *shell, char **out,
                               sparta_error_slot *err) {
    *out = NULL;
    void (*script)(gen *) = NULL;
    if (shell && !strcmp(shell, "bash")) script = bash_script;
    else if (shell && !strcmp(shell, "zsh")) script = zsh_script;
    else if (shell && !strcmp(shell, "fish")) script = fish_script;
    else
        return sparta__error_set(err, SPARTA_EUSAGE,
                                 "unknown shell \"%s\" for completion: use bash, zsh or fish, e.g. "
                                 "`%s completion bash`",
                                 shell ? shell : "", t->program);
    sparta_buffer b = SPARTA_BUFFER_INIT;
    gen g = {t, &b, {0}, 0};
    size_t i = 0;
    for (const char *p = t->program; *p && i + 1 < sizeof g.fn; p++, i++)
        g.fn[i] = (*p == '-' || *p == '.') ? '_' : *p;
    script(&g);
    if (!(*out = sparta__buffer_take(&b, NULL)))
        return sparta__error_set(err, SPARTA_ENOMEM, "out of memory while generating the %s completion", shell);
    return 0;
}
