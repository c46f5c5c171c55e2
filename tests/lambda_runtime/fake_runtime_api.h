/* A fake Lambda Runtime API on 127.0.0.1 for the runtime tests: serves a
 * fixed list of events, records every request, counts connections. When the
 * events run out it closes its listening socket and the connection that
 * asked for more, so the runtime sees the endpoint go away. */
#ifndef FAKE_RUNTIME_API_H
#define FAKE_RUNTIME_API_H

#include <stddef.h>
#include <sys/types.h>

typedef struct fake_event {
    const char *id;            /* NULL: no Lambda-Runtime-Aws-Request-Id header */
    const char *body;          /* NULL: empty */
    size_t body_len;           /* 0: strlen(body) */
    const char *extra_headers; /* raw "Name: value\r\n" lines, or NULL */
    const char *deadline;      /* raw Lambda-Runtime-Deadline-Ms value; NULL: now + deadline_in_ms */
    long deadline_in_ms;       /* 0: 60000 */
    int no_deadline;           /* omit the deadline header */
    const char *raw;           /* non-NULL: send exactly these bytes as the answer to next */
    size_t raw_len;            /* 0: strlen(raw) */
    int hangup;                /* close the connection right after this answer */
} fake_event;

typedef struct fake_request {
    char method[16];
    char path[1024];
    char *headers; /* raw header block, NUL-terminated */
    char *body;    /* NUL-terminated */
    size_t body_len;
    int connection; /* which accepted connection carried it (1-based) */
} fake_request;

#define FAKE_MAX_REQUESTS 256

typedef struct fake_server {
    int listen_fd;
    int port;
    char endpoint[64]; /* 127.0.0.1:PORT */
    /* script */
    const fake_event *events;
    size_t n_events;
    size_t served;
    int close_each;      /* answer everything with Connection: close */
    int response_status; /* answer to .../response; 0: 202 */
    int next_status;     /* non-zero: answer next with this status instead of an event */
    int vanish;          /* go away right after sending the last event (mid-invocation) */
    int close_idle;      /* close the connection after answering a post, without saying so */
    const char *post_answer_raw; /* non-NULL: answer every post with exactly these bytes */
    size_t piece_bytes;  /* non-zero: send every answer in pieces this small, pausing between */
    /* record */
    fake_request requests[FAKE_MAX_REQUESTS];
    size_t n_requests;
    int connections;
} fake_server;

int fake_server_start(fake_server *s, const fake_event *events, size_t n_events);
/* Serves until `child` has exited and its connections are closed, or until
 * timeout_ms (then kills it). Returns the child's wait status, or -1 on
 * timeout. */
int fake_server_serve(fake_server *s, pid_t child, int timeout_ms);
void fake_server_free(fake_server *s);

/* The nth (0-based) recorded request whose path ends with `suffix`. */
const fake_request *fake_find(const fake_server *s, const char *suffix, int nth);
size_t fake_count(const fake_server *s, const char *suffix);
/* Value of a header of a recorded request (case-insensitive name), copied
 * into out; returns NULL when absent. */
const char *fake_header(const fake_request *r, const char *name, char *out, size_t size);

#endif
