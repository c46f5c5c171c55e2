/* sparta_host_run: global flags, then config and plugins, then the command. */
#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "command/command.h"

#define EXIT_ERROR 1
#define EXIT_USAGE 2

static void report_error(sparta_host *host) {
    const char *message = host->error.message[0] ? host->error.message : "unknown error";
    if (host->error.plugin[0])
        sparta__log(&host->log, SPARTA_LOG_ERROR, message, "plugin", host->error.plugin, NULL);
    else
        sparta__log(&host->log, SPARTA_LOG_ERROR, message, NULL);
}

/* Applies the global flags that shape logging and loading. */
static int apply_globals(sparta_host *host, const sparta_invocation *globals) {
    const char *level = sparta__invocation_flag_string(globals, "level");
    if (level) {
        int parsed = sparta__log_level_parse(level);
        if (parsed < 0)
            return sparta__error_set(&host->error, SPARTA_EUSAGE,
                                     "--level '%s' is not a level: use debug, info, warn or error", level);
        host->log.level = (sparta_log_level)parsed;
    }
    /* json switches logs and command output to JSON; html, svg and dot are
     * output formats of `describe` and leave the logs as text. */
    const char *format = sparta__invocation_flag_string(globals, "format");
    static const char *const formats[] = {"text", "json", "html", "svg", "dot"};
    int known = !format;
    for (size_t i = 0; format && i < sizeof formats / sizeof *formats; i++) known |= strcmp(format, formats[i]) == 0;
    if (!known)
        return sparta__error_set(&host->error, SPARTA_EUSAGE,
                                 "--format '%s' is not a format: use text or json (describe also takes html, svg "
                                 "or dot)",
                                 format);
    if (format && strcmp(format, "json") == 0) host->log.format = SPARTA_LOG_JSON;
    if (sparta__invocation_flag_bool(globals, "nocolor")) host->log.color = 0;
    if (sparta__invocation_flag_bool(globals, "timestamps")) host->log.timestamps = 1;
    const char *config = sparta__invocation_flag_string(globals, "config");
    if (config && sparta__invocation_flag_is_set(globals, "config")) {
        free(host->config_path_owned);
        free(host->config_text_owned);
        host->config_text_owned = NULL;
        host->options.config_text = NULL;
        host->config_path_owned = strdup(config);
        host->options.config_path = host->config_path_owned;
    }
    const char *output = sparta__invocation_flag_string(globals, "outputDir");
    if (output && sparta__invocation_flag_is_set(globals, "outputDir")) {
        free(host->output_dir_owned);
        host->output_dir_owned = strdup(output);
        host->output_dir = host->output_dir_owned;
    }
    host->noop = sparta__invocation_flag_bool(globals, "noop");
    /* The globals invocation is freed below: keep copies. */
    free(host->region_owned);
    free(host->profile_owned);
    const char *region = sparta__invocation_flag_string(globals, "region");
    const char *profile = sparta__invocation_flag_string(globals, "profile");
    host->region_owned = region ? strdup(region) : NULL;
    host->profile_owned = profile ? strdup(profile) : NULL;
    host->region_flag = host->region_owned;
    host->profile_flag = host->profile_owned;
    return 0;
}

int sparta_host_run(sparta_host *host, int argc, const char *const *argv) {
    if (!host) return EXIT_ERROR;
    sparta__error_clear(&host->error);
    sparta_invocation *globals = NULL;
    int rc = sparta__command_parse_globals(host->commands, argc, argv, &globals, &host->error);
    if (rc == 0) rc = apply_globals(host, globals);
    sparta__invocation_free(globals);
    if (rc != 0) {
        report_error(host);
        return rc == SPARTA_EUSAGE ? EXIT_USAGE : EXIT_ERROR;
    }
    rc = sparta__host_load(host);
    if (rc != 0) {
        report_error(host);
        return EXIT_ERROR;
    }
    sparta_invocation *inv = NULL;
    rc = sparta__command_parse(host->commands, argc, argv, &inv, &host->error);
    if (rc != 0) {
        report_error(host);
        return rc == SPARTA_EUSAGE ? EXIT_USAGE : EXIT_ERROR;
    }
    const sparta_command_node *node = sparta__invocation_command(inv);
    sparta_command_fn run = sparta__command_run(node);
    if (sparta__invocation_help_requested(inv) || !run) {
        /* `sparta`, `sparta help X`, `X --help` and a bare group all show help. */
        char *help = sparta__command_help(host->commands, node);
        if (help) sparta__host_write(host, help, strlen(help));
        free(help);
        sparta__invocation_free(inv);
        return 0;
    }
    sparta_plugin *owner = sparta__command_owner(node);
    host->invocation = inv;
    sparta__error_clear(&host->error);
    /* A plugin command sees a checked config and the bucket its --s3Bucket names,
     * as the host's own commands do. */
    host->s3_bucket = sparta__command_flag_find(node, "s3Bucket") ? sparta__invocation_flag_string(inv, "s3Bucket")
                                                                  : NULL;
    rc = owner != &host->builtin ? sparta__host_configure(host) : 0;
    if (rc == 0) rc = run(owner, inv, owner->state);
    host->invocation = NULL;
    host->s3_bucket = NULL;
    sparta__host_run_state_reset(host);
    sparta__invocation_free(inv);
    if (rc > 0) return rc; /* a quiet exit status, e.g. diff --exit-code */
    if (rc != 0) {
        if (!host->error.message[0])
            sparta__error_set(&host->error, rc, "command failed with code %d and no message", rc);
        if (owner != &host->builtin && !host->error.plugin[0])
            snprintf(host->error.plugin, sizeof host->error.plugin, "%s", owner->name);
        report_error(host);
        return rc == SPARTA_EUSAGE ? EXIT_USAGE : EXIT_ERROR;
    }
    return 0;
}
