#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "command/command.h"

int sparta__cmd_completion(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    sparta_host *host = p->host;
    if (sparta__invocation_arg_count(inv) != 1)
        return sparta__error_set(&host->error, SPARTA_EUSAGE,
                                 "completion takes one shell: sparta completion bash|zsh|fish");
    char *script = NULL;
    int rc = sparta__command_completion(host->commands, sparta__invocation_arg_at(inv, 0), &script, &host->error);
    if (rc != 0) return rc;
    sparta__host_write(host, script, strlen(script));
    free(script);
    return 0;
}
