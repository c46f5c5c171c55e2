/* The command tree: commands are data, as in cobra and git's command table.
 * Every node (name, kebab-case alias, summary, help, flags, owner, run
 * callback) is registered once; parsing, help, usage errors with "did you
 * mean", and shell completion are all generated from the tree.
 *
 * Names are camelCase ("provisionPipeline", "--s3Bucket"); a kebab-case
 * alias ("provision-pipeline", "--s3-bucket") is derived when a spec gives
 * none. Flags registered on the root are global: they apply to every
 * command. `help` (a root word), `-h` and `--help` are reserved.
 *
 * The tree copies everything it is given (specs, strings), so a plugin's
 * spec may live on its stack. */
#ifndef SPARTA_CORE_COMMAND_H
#define SPARTA_CORE_COMMAND_H

#include <stddef.h>
#include <stdint.h>
#include <sparta/plugin.h>

#include "error.h"

typedef struct sparta_command_tree sparta_command_tree;
typedef struct sparta_command_node sparta_command_node;

/* A registered flag; read-only for callers. */
typedef struct sparta_command_flag {
    char *name;          /* camelCase: "s3Bucket" */
    char *alias;         /* kebab-case: "s3-bucket"; NULL when none */
    sparta_flag_type type;
    char *default_value; /* NULL when none */
    char *usage;         /* "" when none */
    int required;
    void *owner;         /* who registered it */
    const sparta_command_node *command; /* where; the root for global flags */
} sparta_command_flag;

/* Names an owner for messages ("lambda"); the host installs one that reads
 * its plugin struct. Without it owners are described by address. */
typedef const char *(*sparta_command_owner_name_fn)(const void *owner);

/* ---- the tree ------------------------------------------------------------ */

/* A tree whose root is the program "sparta". NULL on out-of-memory. */
sparta_command_tree *sparta__command_tree_new(void);
void sparta__command_tree_free(sparta_command_tree *tree);
/* The program name used in usage lines and scripts (default "sparta";
 * letters, digits, '-', '_' and '.'). */
int sparta__command_tree_set_program(sparta_command_tree *tree, const char *program);
const char *sparta__command_tree_program(const sparta_command_tree *tree);
void sparta__command_tree_set_owner_namer(sparta_command_tree *tree, sparta_command_owner_name_fn fn);

/* Registers `spec` (copied; its size checked as for any struct crossing the
 * ABI). spec->path is space separated ("pipeline show"); missing parents
 * become groups, which a later spec for that path fills in. A path that is
 * taken, a name or alias that clashes with a sibling, or a flag that
 * clashes is refused with an error naming both owners. spec->run may be
 * NULL for a pure group. All or nothing. */
int sparta__command_add(sparta_command_tree *tree, const sparta_command_spec *spec, void *owner,
                        sparta_error_slot *err);
/* Adds one flag to the command at `command_path` (names or aliases; NULL or
 * "" is the root, making the flag global). */
int sparta__command_flag_add(sparta_command_tree *tree, const char *command_path,
                             const sparta_flag_spec *spec, void *owner, sparta_error_slot *err);
/* Drops every command and flag `owner` registered (e.g. after its plugin's
 * init failed); a command with children registered by others becomes a
 * plain group. Returns how many commands and flags were removed. */
size_t sparta__command_remove_owned(sparta_command_tree *tree, const void *owner);

/* ---- nodes --------------------------------------------------------------- */

sparta_command_node *sparta__command_root(const sparta_command_tree *tree);
/* The node at a space-separated path of names or aliases; "" is the root.
 * NULL when there is none. */
sparta_command_node *sparta__command_find(const sparta_command_tree *tree, const char *path);

const char *sparta__command_name(const sparta_command_node *node);  /* the program for the root */
const char *sparta__command_alias(const sparta_command_node *node); /* NULL when none */
const char *sparta__command_path(const sparta_command_node *node);  /* "pipeline show"; "" for root */
const char *sparta__command_summary(const sparta_command_node *node); /* "" when none */
const char *sparta__command_long_help(const sparta_command_node *node); /* NULL when none */
const char *sparta__command_args_usage(const sparta_command_node *node); /* NULL: takes no arguments */
void *sparta__command_owner(const sparta_command_node *node);
/* The run callback as registered (NULL for groups). The host may register
 * its own commands with a cast function pointer and cast it back. */
sparta_command_fn sparta__command_run(const sparta_command_node *node);
int sparta__command_is_hidden(const sparta_command_node *node);
/* Hidden commands parse and run but are left out of help, suggestions and
 * completion. */
void sparta__command_set_hidden(sparta_command_node *node, int hidden);
/* Replaces summary and long help (e.g. the root's description). */
int sparta__command_set_text(sparta_command_node *node, const char *summary, const char *help);
const sparta_command_node *sparta__command_parent(const sparta_command_node *node);
size_t sparta__command_child_count(const sparta_command_node *node);
const sparta_command_node *sparta__command_child_at(const sparta_command_node *node, size_t i); /* by name */
/* The command's own flags, sorted by name (the root's are the globals). */
size_t sparta__command_flag_count(const sparta_command_node *node);
const sparta_command_flag *sparta__command_flag_at(const sparta_command_node *node, size_t i);
/* A flag that applies to `node` (its own, then global) by name or alias. */
const sparta_command_flag *sparta__command_flag_find(const sparta_command_node *node, const char *name);

/* Visits every node, root first, then depth first with children by name.
 * A non-zero return from `visit` stops the walk and is returned. */
typedef int (*sparta_command_visit_fn)(const sparta_command_node *node, void *ctx);
int sparta__command_walk(const sparta_command_tree *tree, sparta_command_visit_fn visit, void *ctx);

/* ---- parsing ------------------------------------------------------------- */

/* Parses argv (without the program name): command words, then flags
 * anywhere after the command that owns them (`--flag=value`,
 * `--flag value`, `--bool`, `--bool=false`), `--` ending flags, `-h` or
 * `--help` anywhere, and `help [command...]`. Unknown commands and flags,
 * bad values, missing values and missing required flags are SPARTA_EUSAGE
 * errors that say what to do ("did you mean", the usage line). On success
 * *out is a new invocation; it borrows from the tree, so free it first. */
int sparta__command_parse(const sparta_command_tree *tree, int argc, const char *const *argv,
                          sparta_invocation **out, sparta_error_slot *err);
/* Collects only global flags, ignoring every other word and unknown flag:
 * for the host to read --config, --level, ... before plugins register
 * their commands. The invocation's command is the root. */
int sparta__command_parse_globals(const sparta_command_tree *tree, int argc, const char *const *argv,
                                  sparta_invocation **out, sparta_error_slot *err);

/* ---- the invocation (accessors match sparta_host_api) --------------------- */

/* Flags are found by name or alias among the command's flags and the
 * globals. Unset flags read as their default; without one: NULL, 0, 0. */
const char *sparta__invocation_flag_string(const sparta_invocation *inv, const char *name);
int sparta__invocation_flag_bool(const sparta_invocation *inv, const char *name);
int64_t sparta__invocation_flag_int(const sparta_invocation *inv, const char *name);
/* A list flag's values in order; an unset list reads as its default (one
 * element) or empty. Other flags read as a list of their one value. */
size_t sparta__invocation_flag_list_count(const sparta_invocation *inv, const char *name);
const char *sparta__invocation_flag_list_at(const sparta_invocation *inv, const char *name, size_t i);
size_t sparta__invocation_arg_count(const sparta_invocation *inv);
const char *sparta__invocation_arg_at(const sparta_invocation *inv, size_t i);
/* True when the command line gave the flag (defaults do not count). */
int sparta__invocation_flag_is_set(const sparta_invocation *inv, const char *name);
/* The command to run, or whose help to show. */
const sparta_command_node *sparta__invocation_command(const sparta_invocation *inv);
/* -h, --help or `help [command]` was given. */
int sparta__invocation_help_requested(const sparta_invocation *inv);
void sparta__invocation_free(sparta_invocation *inv);

/* ---- generated text ------------------------------------------------------- */

/* cobra-style help for `node`: description, usage, aliases, subcommands,
 * flags, global flags. malloc'd; NULL on out-of-memory. */
char *sparta__command_help(const sparta_command_tree *tree, const sparta_command_node *node);
/* The one-line usage: "sparta provision [flags]". malloc'd. */
char *sparta__command_usage(const sparta_command_tree *tree, const sparta_command_node *node);
/* A completion script for "bash", "zsh" or "fish" covering the whole tree.
 * *out is malloc'd. */
int sparta__command_completion(const sparta_command_tree *tree, const char *shell, char **out,
                               sparta_error_slot *err);

/* ---- suggestions (exposed for tests) -------------------------------------- */

/* Case-insensitive edit distance. */
size_t sparta__command_levenshtein(const char *a, const char *b);

#endif
