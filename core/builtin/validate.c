#include "builtin.h"
#include "command/command.h"

int sparta__cmd_validate(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    sparta_host *host = p->host;
    const char *bucket = sparta__invocation_flag_string(inv, "s3Bucket");
    if (bucket) host->s3_bucket = bucket;
    int rc = sparta__host_synthesize(host, SPARTA_PHASE_VALIDATE, sparta__invocation_flag_string(inv, "stackName"));
    if (rc != 0) return rc;
    sparta__host_print(host, "%s: valid (%zu resources)\n", host->config.path, host->graph->resource_count);
    return 0;
}
