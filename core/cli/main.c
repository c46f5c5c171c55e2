/* The sparta command-line tool: a thin shell over the public embedding API
 * (<sparta/sparta.h>), like curl's tool over libcurl. */
#include <sparta/sparta.h>
#include <stdio.h>

int main(int argc, char **argv) {
    sparta_options options = SPARTA_OPTIONS_INIT;
    sparta_host *host = NULL;
    if (sparta_host_new(&host, &options) != 0) {
        fprintf(stderr, "sparta: cannot start: out of memory\n");
        return 1;
    }
    int status = sparta_host_run(host, argc - 1, (const char *const *)(argv + 1));
    sparta_host_free(host);
    return status;
}
