/* The host's own commands. Each file holds one command; register.c holds
 * the table and the global flags. */
#ifndef SPARTA_CORE_BUILTIN_H
#define SPARTA_CORE_BUILTIN_H

#include "host.h"

int sparta__cmd_version(sparta_plugin *p, const sparta_invocation *inv, void *state);
int sparta__cmd_plugins(sparta_plugin *p, const sparta_invocation *inv, void *state);
int sparta__cmd_provision(sparta_plugin *p, const sparta_invocation *inv, void *state);
int sparta__cmd_validate(sparta_plugin *p, const sparta_invocation *inv, void *state);
int sparta__cmd_diff(sparta_plugin *p, const sparta_invocation *inv, void *state);
int sparta__cmd_status(sparta_plugin *p, const sparta_invocation *inv, void *state);
int sparta__cmd_delete(sparta_plugin *p, const sparta_invocation *inv, void *state);
int sparta__cmd_completion(sparta_plugin *p, const sparta_invocation *inv, void *state);
int sparta__cmd_describe(sparta_plugin *p, const sparta_invocation *inv, void *state);

/* The stack a command acts on (--stackName, else the service's) and the AWS client. */
int sparta__builtin_stack_and_client(sparta_host *host, const sparta_invocation *inv, const char **stack,
                                     sparta__aws_client **aws);

/* True when --format json was given. */
int sparta__builtin_json(const sparta_invocation *inv);

#endif
