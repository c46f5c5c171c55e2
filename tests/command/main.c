#include "fixture.h"

int main(void) {
    static const test_case cases[] = {
        CASE(test_kebab_and_names),    CASE(test_nested_add),        CASE(test_alias_lookup),
        CASE(test_duplicates_refused), CASE(test_flag_clashes),      CASE(test_spec_sizes),
        CASE(test_all_or_nothing),     CASE(test_remove_owned),      CASE(test_walk_by_owner),
        CASE(test_parse_flag_forms),   CASE(test_parse_defaults),    CASE(test_parse_required),
        CASE(test_parse_help),         CASE(test_parse_positionals), CASE(test_parse_errors),
        CASE(test_parse_suggestions),  CASE(test_parse_globals_only), CASE(test_levenshtein),
        CASE(test_help_root),          CASE(test_help_command),      CASE(test_help_group),
        CASE(test_completion_bash),    CASE(test_completion_zsh),    CASE(test_completion_fish),
        CASE(test_completion_errors),  {NULL, NULL},
    };
    return test_main("command", cases);
}
