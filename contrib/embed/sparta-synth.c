/* An embedding tool: synthesizes a service's template in-process with
 * libsparta and prints it, or runs any sparta command line.
 *   sparta-synth sparta.cfg            print the template
 *   sparta-synth sparta.cfg -- ARGS    run `sparta ARGS` in-process */
#include <sparta/sparta.h>
#include <stdio.h>
#include <string.h>

static void log_line(void *user_data, sparta_log_level level, const char *line) {
    (void)user_data;
    if (level >= SPARTA_LOG_WARN) fprintf(stderr, "[sparta-synth] %s\n", line);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s sparta.cfg [-- sparta arguments]\n", argv[0]);
        return 2;
    }
    sparta_options options = SPARTA_OPTIONS_INIT;
    options.config_path = argv[1];
    options.log = log_line;
    sparta_host *host = NULL;
    if (sparta_host_new(&host, &options) != 0) return 1;
    int status = 0;
    if (argc > 3 && strcmp(argv[2], "--") == 0) {
        status = sparta_host_run(host, argc - 3, (const char *const *)(argv + 3));
    } else {
        char *json = NULL;
        size_t length = 0;
        if (sparta_host_synthesize(host, &json, &length) == 0) {
            fwrite(json, 1, length, stdout);
            sparta_string_free(json);
        } else {
            const sparta_error *e = sparta_host_last_error(host);
            fprintf(stderr, "sparta-synth: %s\n", e->message);
            status = 1;
        }
    }
    sparta_host_free(host);
    return status;
}
