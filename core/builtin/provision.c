#include <stdlib.h>

#include "builtin.h"
#include "command/command.h"

int sparta__cmd_provision(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    sparta_host *host = p->host;
    host->s3_bucket = sparta__invocation_flag_string(inv, "s3Bucket");
    const char *stack = sparta__invocation_flag_string(inv, "stackName");
    int rc = sparta__host_synthesize(host, SPARTA_PHASE_MARSHAL, stack);
    if (rc != 0) return rc;
    char *path = NULL;
    rc = sparta__host_write_template(host, &path);
    if (rc != 0) return rc;
    sparta__log(&host->log, SPARTA_LOG_INFO, "Template written", "path", path, NULL);
    for (size_t i = 0; i < host->archives.count; i++)
        sparta__log(&host->log, SPARTA_LOG_INFO, "Archive written", "path", host->archives.items[i].path,
                    "s3Key", host->archives.items[i].s3_key, NULL);
    if (host->noop) {
        sparta__host_print(host, "%s\n", path);
        free(path);
        return 0;
    }
    free(path);
    return sparta__error_set(&host->error, SPARTA_EGENERIC,
                             "provision without --noop needs the AWS client, which this build lacks");
}
