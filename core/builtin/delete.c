#include <string.h>

#include "aws/converge.h"
#include "builtin.h"
#include "command/command.h"

int sparta__cmd_delete(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    sparta_host *host = p->host;
    const char *stack = NULL;
    sparta__aws_client *aws = NULL;
    int rc = sparta__builtin_stack_and_client(host, inv, &stack, &aws);
    if (rc != 0) return rc;
    sparta__converge_poll poll;
    memset(&poll, 0, sizeof poll);
    poll.initial_ms = sparta__invocation_flag_int(inv, "pollInterval");
    sparta__converge_result r;
    memset(&r, 0, sizeof r);
    rc = sparta__converge_delete(aws, stack, sparta__invocation_flag_bool(inv, "noWait"), &poll, &r, &host->error);
    if (rc == 0) {
        const char *what = r.outcome == SPARTA__CONVERGE_NOT_FOUND ? "Stack does not exist; nothing to delete"
                           : r.outcome == SPARTA__CONVERGE_STARTED ? "Stack delete started (--no-wait)"
                                                                   : "Stack deleted";
        sparta__log(&host->log, SPARTA_LOG_INFO, what, "stack", stack, NULL);
    }
    sparta__converge_result_free(&r);
    return rc;
}
