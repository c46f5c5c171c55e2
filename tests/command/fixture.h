/* A command tree shaped like sparta's, shared by the command suite. */
#ifndef SPARTA_TEST_COMMAND_FIXTURE_H
#define SPARTA_TEST_COMMAND_FIXTURE_H

#include "command/command.h"
#include "test_support.h"

/* Owners standing in for plugins; fixture_owner_name names them. */
extern int plugin_codepipeline, plugin_ops;

/* The host's globals and built-ins, plugin "codepipeline"'s provisionPipeline
 * and --codePipelinePackage on provision, plugin "ops"'s "pipeline show". */
sparta_command_tree *fixture_tree(void);
/* Parses a NULL-terminated argv; returns the code, *inv set on success. */
int fixture_parse(sparta_command_tree *t, sparta_invocation **inv, sparta_error_slot *err, ...);
int fixture_run(sparta_plugin *p, const sparta_invocation *inv, void *state);

#define CASE(fn) {#fn, fn}

/* the cases of each file */
void test_kebab_and_names(void);
void test_nested_add(void);
void test_alias_lookup(void);
void test_duplicates_refused(void);
void test_flag_clashes(void);
void test_spec_sizes(void);
void test_all_or_nothing(void);
void test_remove_owned(void);
void test_walk_by_owner(void);
void test_parse_flag_forms(void);
void test_parse_defaults(void);
void test_parse_required(void);
void test_parse_help(void);
void test_parse_positionals(void);
void test_parse_errors(void);
void test_parse_suggestions(void);
void test_parse_globals_only(void);
void test_levenshtein(void);
void test_help_root(void);
void test_help_command(void);
void test_help_group(void);
void test_completion_bash(void);
void test_completion_zsh(void);
void test_completion_fish(void);
void test_completion_errors(void);

#endif
