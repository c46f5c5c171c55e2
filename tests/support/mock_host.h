/* A mock host table: unit-tests one plugin alone. It dlopens the plugin,
 * hands its init a copy of the host table whose registration entries record
 * what the plugin registers (commands, flags, hooks, schema, log lines),
 * and runs the recorded hooks one phase at a time on a graph the test can
 * inspect, without sparta.cfg, the loader or the command line. */
#ifndef SPARTA_TEST_MOCK_HOST_H
#define SPARTA_TEST_MOCK_HOST_H

#include <sparta/plugin.h>
#include <stddef.h>

typedef struct mock_host mock_host;

/* `config_text` is a whole sparta.cfg; the plugin sees its own group. */
mock_host *mock_host_new(const char *plugin_path, const char *config_text);
void mock_host_free(mock_host *m);

/* dlopen, descriptor check, init. 0 or the plugin's error code. */
int mock_host_init(mock_host *m);
/* Runs the plugin's hooks for one phase (by priority). */
int mock_host_run_phase(mock_host *m, sparta_phase phase);

size_t mock_host_command_count(const mock_host *m);
const char *mock_host_command_path(const mock_host *m, size_t i);
size_t mock_host_flag_count(const mock_host *m);
const char *mock_host_flag(const mock_host *m, size_t i); /* "provision --name" */
size_t mock_host_hook_count(const mock_host *m);
sparta_phase mock_host_hook_phase(const mock_host *m, size_t i);
size_t mock_host_schema_count(const mock_host *m);
const char *mock_host_schema_path(const mock_host *m, size_t i);

sparta_graph *mock_host_graph(mock_host *m);
/* The graph as template JSON; caller frees. */
char *mock_host_template(mock_host *m);
const char *mock_host_error(const mock_host *m);
/* Every line the plugin logged, newline separated. */
const char *mock_host_log(const mock_host *m);

#endif
