/* What a command run borrows from the host, released when it ends. */
#include <stdlib.h>
#include <string.h>

#include "host.h"

static void free_strings(char **items, size_t count) {
    for (size_t i = 0; i < count; i++) free(items[i]);
    free(items);
}

void sparta__host_run_state_reset(sparta_host *host) {
    sparta_run_state *r = &host->run;
    free_strings(r->parameters, r->parameter_count);
    free_strings(r->rollback_alarms, r->rollback_alarm_count);
    free(r->rollback_types);
    free_strings(r->strings, r->string_count);
    free(r->skip_reason);
    for (size_t i = 0; i < r->graph_count; i++) sparta__graph_free(r->graphs[i]);
    free(r->graphs);
    memset(r, 0, sizeof *r);
}

const char *sparta__host_keep(sparta_host *host, char *owned) {
    if (!owned) return NULL;
    char **n = realloc(host->run.strings, (host->run.string_count + 1) * sizeof *n);
    if (!n) {
        free(owned);
        return NULL;
    }
    host->run.strings = n;
    n[host->run.string_count++] = owned;
    return owned;
}
