/* What the files of core/command/ share; nothing outside this folder
 * includes it. */
#ifndef SPARTA_CORE_COMMAND_INTERNAL_H
#define SPARTA_CORE_COMMAND_INTERNAL_H

#include "buffer.h"
#include "command/command.h"

struct sparta_command_node {
    sparta_command_tree *tree;
    sparta_command_node *parent;
    char *name, *alias, *path, *summary, *help, *args;
    sparta_command_fn run;
    void *owner;
    int hidden;
    int implicit; /* made as a parent of a nested path; a spec may fill it in */
    sparta_command_node **children; /* sorted by name */
    size_t child_count, child_cap;
    sparta_command_flag **flags; /* sorted by name */
    size_t flag_count, flag_cap;
};

struct sparta_command_tree {
    char *program;
    sparta_command_node *root;
    sparta_command_owner_name_fn owner_name;
};

typedef struct sparta_invocation_value {
    const sparta_command_flag *flag;
    char **values; /* the last one counts unless the flag is a list */
    size_t count, cap;
} sparta_invocation_value;

struct sparta_invocation {
    const sparta_command_tree *tree;
    const sparta_command_node *command;
    sparta_invocation_value *values;
    size_t value_count, value_cap;
    char **args;
    size_t arg_count, arg_cap;
    int help;
};

/* ---- names.c ---- */
/* Letters, digits, '-' and '_', not starting with '-': safe in every shell
 * script we generate. */
int sparta__command_name_valid(const char *name);
/* "s3Bucket" -> "s3-bucket", "URLPath" -> "url-path"; NULL when the name
 * has no upper-case letter (nothing to alias) or on out-of-memory. */
char *sparta__command_kebab(const char *camel);
/* "true"/"false", "1"/"0", "yes"/"no", "on"/"off" (any case) -> 1/0; -1 otherwise. */
int sparta__command_parse_bool(const char *text);
/* A whole base-10 int64; 0 on success. */
int sparta__command_parse_int(const char *text, int64_t *out);
/* Describes an owner for a message: `plugin "lambda"` or `the sparta host`. */
void sparta__command_describe_owner(const sparta_command_tree *tree, const void *owner, char *out,
                                    size_t size);
const char *sparta__command_flag_type_name(sparta_flag_type type);

/* ---- spec.c ---- */
/* Copies a spec that crossed the ABI into *out (zero-filled, min(size,
 * ours)); refuses one larger than we know or smaller than version 1.
 * Strings are still borrowed. */
int sparta__command_spec_copy(const sparta_command_spec *in, sparta_command_spec *out,
                              sparta_error_slot *err);
int sparta__command_flag_spec_copy(const sparta_flag_spec *in, sparta_flag_spec *out, const char *where,
                                   sparta_error_slot *err);
/* Element i of spec->flags, stepping by the size the plugin was built with. */
const sparta_flag_spec *sparta__command_spec_flag(const sparta_command_spec *spec, size_t i);

/* ---- tree.c ---- */
/* A child by name or alias; hidden ones included. */
sparta_command_node *sparta__command_child_find(const sparta_command_node *node, const char *word);
/* "sparta provision" ("sparta" for the root). */
void sparta__command_full_name(const sparta_command_tree *tree, const sparta_command_node *node,
                               sparta_buffer *out);

/* ---- suggest.c ---- */
#define SPARTA_COMMAND_SUGGEST_MAX 3
typedef struct sparta_command_suggestions {
    const void *keys[SPARTA_COMMAND_SUGGEST_MAX]; /* one suggestion per thing */
    const char *text[SPARTA_COMMAND_SUGGEST_MAX];
    size_t score[SPARTA_COMMAND_SUGGEST_MAX];
    size_t count;
} sparta_command_suggestions;
/* Considers `candidate` (naming the thing `key`) for what the user typed. */
void sparta__command_suggest(sparta_command_suggestions *s, const char *typed, const char *candidate,
                             const void *key);
/* Appends "\n\nDid you mean this?\n\t<prefix>x\n..." when there is any. */
void sparta__command_suggest_write(const sparta_command_suggestions *s, const char *prefix,
                                   sparta_buffer *out);

/* ---- invocation.c ---- */
sparta_invocation *sparta__invocation_new(const sparta_command_tree *tree);
/* Records a value given on the command line: appended for a list flag,
 * replacing the earlier one otherwise. 0 or -1 (out of memory). */
int sparta__invocation_value_add(sparta_invocation *inv, const sparta_command_flag *flag, const char *value);
int sparta__invocation_arg_add(sparta_invocation *inv, const char *arg);
const sparta_invocation_value *sparta__invocation_value(const sparta_invocation *inv,
                                                        const sparta_command_flag *flag);

/* ---- help.c ---- */
void sparta__command_usage_write(const sparta_command_tree *tree, const sparta_command_node *node,
                                 sparta_buffer *out);

#endif
