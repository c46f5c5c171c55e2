/* The Lambda runtime's HTTP/1.1 client (sdk/lambda/http_client.c) reading
 * a raw answer: status line, headers, Content-Length / chunked / until-close
 * bodies, 1xx interim answers, all as bytes from the fuzzer.
 *
 * The client's connection is one end of a socketpair; the other end gets
 * the answer and is shut for writing, so every exchange ends (the client
 * also has a deadline). Input: a control byte (body limit, timeout), then
 * the answer. Properties:
 *  - the result is OK, GONE or FAILED, and a failure always says why;
 *  - OK means a final three-digit status of 200 or more (never a 1xx) and a NUL-terminated
 *    body: all body_bytes the server sent, or, when that is more than the
 *    limit, truncated with at most limit bytes kept;
 *  - every header handed over has a non-empty name without ':', CR, LF or
 *    blanks, and a value without CR or LF that is trimmed of blanks;
 *  - for a plain Content-Length answer, the body is the bytes that follow
 *    the head. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz_support.h"
#include "internal.h"

static void check_header(void *user, const char *name, size_t name_len, const char *value, size_t value_len) {
    (void)user;
    FUZZ_CHECK(name_len > 0, "empty header name");
    for (size_t i = 0; i < name_len; i++)
        FUZZ_CHECK(name[i] != ':' && name[i] != '\r' && name[i] != '\n' && name[i] != ' ' && name[i] != '\t',
                   "header name '%.*s' has byte 0x%02x", (int)name_len, name, (unsigned char)name[i]);
    for (size_t i = 0; i < value_len; i++)
        FUZZ_CHECK(value[i] != '\r' && value[i] != '\n', "header value has CR or LF");
    if (value_len) {
        FUZZ_CHECK(value[0] != ' ' && value[0] != '\t', "header value not trimmed at the start");
        FUZZ_CHECK(value[value_len - 1] != ' ' && value[value_len - 1] != '\t', "header value not trimmed at the end");
    }
}

static void forget_headers(void *user) { (void)user; }

/* The body of "HTTP/1.1 200 ...\r\nContent-Length: N\r\n\r\n<N bytes>" when
 * the answer is exactly that simple (one header, a plain length); else NULL. */
static const uint8_t *simple_body(const uint8_t *data, size_t size, size_t *length) {
    static const char start[] = "HTTP/1.1 200 OK\r\nContent-Length: ";
    size_t n = sizeof start - 1;
    if (size < n || memcmp(data, start, n) != 0) return NULL;
    size_t digits = 0, value = 0;
    while (n + digits < size && data[n + digits] >= '0' && data[n + digits] <= '9' && digits < 6)
        value = value * 10 + (size_t)(data[n + digits++] - '0');
    if (!digits || data[n] == '0' || n + digits + 4 > size || memcmp(data + n + digits, "\r\n\r\n", 4) != 0)
        return NULL;
    size_t at = n + digits + 4;
    if (size - at != value) return NULL;
    *length = value;
    return data + at;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int once;
    if (!once) {
        signal(SIGPIPE, SIG_IGN);
        once = 1;
    }
    if (size < 1 || size > 48 * 1024) return 0; /* fits a socket buffer: no writer thread needed */
    uint8_t control = data[0];
    const uint8_t *answer = data + 1;
    size_t answer_size = size - 1;
    static const size_t limits[] = {0, 1, 16, 4096, 1 << 20};
    size_t limit = limits[control % 5];

    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return 0;
    size_t off = 0;
    while (off < answer_size) {
        ssize_t n = write(pair[1], answer + off, answer_size - off);
        if (n < 0 && errno == EINTR) continue;
        FUZZ_CHECK(n > 0, "writing the answer into the socketpair failed: %s", strerror(errno));
        off += (size_t)n;
    }
    shutdown(pair[1], SHUT_WR);

    sparta__http c;
    FUZZ_CHECK(sparta__http_init(&c, "127.0.0.1:9") == 0, "endpoint rejected");
    c.fd = pair[0]; /* as if connected; never reused, so never reconnected */
    sparta__buf body = {0};
    sparta__http_response res = {0};
    res.body = &body;
    res.body_limit = limit;
    res.on_header = check_header;
    res.on_reset = forget_headers;
    static const char head[] = "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n";
    int rc = sparta__http_exchange(&c, head, sizeof head - 1, NULL, 0, 2000, &res);

    FUZZ_CHECK(rc == SPARTA__HTTP_OK || rc == SPARTA__HTTP_GONE || rc == SPARTA__HTTP_FAILED, "result %d", rc);
    if (rc != SPARTA__HTTP_OK) {
        FUZZ_CHECK(c.error[0] != '\0', "failure %d without a reason", rc);
    } else {
        FUZZ_CHECK(res.status >= 200 && res.status <= 999, "final status %d", res.status);
        FUZZ_CHECK(res.body_truncated == (res.body_bytes > limit), "truncated %d with %zu of %zu", res.body_truncated,
                   res.body_bytes, limit);
        if (res.body_truncated) FUZZ_CHECK(body.len <= limit, "kept %zu bytes past the limit %zu", body.len, limit);
        else FUZZ_CHECK(body.len == res.body_bytes, "body %zu bytes of %zu sent", body.len, res.body_bytes);
        FUZZ_CHECK(!body.data || body.data[body.len] == '\0', "body not NUL-terminated");
        size_t expected_length = 0;
        const uint8_t *expected = simple_body(answer, answer_size, &expected_length);
        if (expected) {
            FUZZ_CHECK(res.body_bytes == expected_length, "Content-Length %zu read as %zu", expected_length,
                       res.body_bytes);
            FUZZ_CHECK(res.body_truncated || (body.len == expected_length && !memcmp(body.data, expected, body.len)),
                       "body bytes differ");
        }
    }
    sparta__buf_free(&body);
    sparta__http_free(&c); /* closes pair[0] */
    close(pair[1]);
    return 0;
}
