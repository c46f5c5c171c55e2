/* A local AWS for the integration suites: moto_server on a free loopback
 * port, and the fault-injecting proxy of tests/tools/aws_fault_proxy.py.
 * Both are started as child processes and stopped by their pid. */
#ifndef SPARTA_TEST_LOCAL_AWS_H
#define SPARTA_TEST_LOCAL_AWS_H

#include <sys/types.h>

typedef struct local_aws {
    pid_t pid;
    int port;
    char endpoint[64]; /* http://localhost:PORT */
    char log_path[256];
} local_aws;

/* A port nobody listens on right now (bind to port 0, read it back). */
int local_aws_free_port(void);

/* Starts moto_server and waits (at most ~15 s) until GET
 * /moto-api/data.json answers 200. On failure prints why (including a
 * missing moto_server) and returns -1. */
int local_aws_start(local_aws *m);
/* POST /moto-api/reset: wipes all state. */
int local_aws_reset(const local_aws *m);
/* Points the AWS environment at the server: AWS_ENDPOINT_URL, dummy keys,
 * AWS_REGION=us-east-1, AWS_EC2_METADATA_DISABLED=true; clears
 * AWS_SESSION_TOKEN, AWS_PROFILE and per-service endpoint variables. */
void local_aws_set_env(const local_aws *m);
/* SIGTERM, then SIGKILL after 3 s; reaps the child. */
void local_aws_stop(local_aws *m);

/* A suite's one moto_server, clean for each test: the first call starts it
 * and points the environment at it, every later call wipes its state.
 * 0 when it is ready. */
int local_aws_fresh(local_aws *m);
/* Runs `aws <args>` against the server in us-east-1 (args may carry
 * redirections); output into *out when out is not NULL, else onto stderr if
 * aws fails (so a failed set-up call says why). Returns the exit status. */
int local_aws_cli(const local_aws *m, char **out, const char *args);
/* local_aws_cli with printf-style arguments. */
int local_aws_clif(const local_aws *m, char **out, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The fault proxy: forwards to `upstream` (may be NULL: canned answers
 * only) and stops by itself after `idle_seconds` without requests or when
 * this process is gone. */
int local_proxy_start(local_aws *p, const char *upstream, int idle_seconds);
/* Replaces the proxy's rules (a JSON array; see the script) and its counters. */
int local_proxy_rules(const local_aws *p, const char *rules_json);
/* GET /__proxy/<what> ("stats", "requests"); caller frees. */
char *local_proxy_get(const local_aws *p, const char *what);

/* One plain HTTP call (no signing); returns the status or -1. */
long local_http(const char *method, const char *url, const char *body, char **response);

#endif
