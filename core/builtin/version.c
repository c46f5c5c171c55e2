#include "builtin.h"
#include "build_info.h"

int sparta__cmd_version(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    sparta_host *host = p->host;
    if (sparta__builtin_json(inv))
        sparta__host_print(host,
                           "{\"version\":\"%s\",\"gitSHA\":\"%s\",\"abi\":\"%d.%d\",\"buildDate\":\"%s\"}\n",
                           SPARTA_VERSION, SPARTA_GIT_SHA, SPARTA_ABI_MAJOR, SPARTA_ABI_MINOR, SPARTA_BUILD_DATE);
    else
        sparta__host_print(host, "sparta %s\n  git SHA:     %s\n  plugin ABI:  %d.%d\n  build date:  %s\n",
                           SPARTA_VERSION, SPARTA_GIT_SHA, SPARTA_ABI_MAJOR, SPARTA_ABI_MINOR, SPARTA_BUILD_DATE);
    return 0;
}
