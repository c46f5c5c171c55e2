/* Shared helpers for the libFuzzer targets: a reader that turns the fuzzer's
 * bytes into small integers, choices and strings (never reading past the
 * end: an exhausted input yields zeros and empty strings), and a check macro
 * that aborts with a message so libFuzzer records the input as a crash. */
#ifndef SPARTA_FUZZ_SUPPORT_H
#define SPARTA_FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fuzz_input {
    const uint8_t *data;
    size_t size;
} fuzz_input;

static inline int fuzz_empty(const fuzz_input *in) { return in->size == 0; }

static inline uint8_t fuzz_u8(fuzz_input *in) {
    if (!in->size) return 0;
    uint8_t b = in->data[0];
    in->data++;
    in->size--;
    return b;
}

static inline uint16_t fuzz_u16(fuzz_input *in) {
    uint16_t hi = fuzz_u8(in);
    return (uint16_t)((hi << 8) | fuzz_u8(in));
}

static inline uint32_t fuzz_u32(fuzz_input *in) {
    uint32_t hi = fuzz_u16(in);
    return (hi << 16) | fuzz_u16(in);
}

/* 0 .. n-1 (n > 0). */
static inline size_t fuzz_pick(fuzz_input *in, size_t n) { return n ? fuzz_u8(in) % n : 0; }

/* A malloc'd NUL-terminated string: bytes up to the next `end` byte (consumed,
 * not included) or max bytes or the end of the input. *length (may be NULL)
 * gets its length; it may contain NULs when allow_nul. */
static inline char *fuzz_string_until(fuzz_input *in, uint8_t end, size_t max, size_t *length) {
    size_t n = 0;
    while (n < in->size && n < max && in->data[n] != end) n++;
    char *s = malloc(n + 1);
    if (!s) abort();
    if (n) memcpy(s, in->data, n);
    s[n] = '\0';
    int hit_end = n < in->size && in->data[n] == end && n < max;
    in->data += n + (hit_end ? 1 : 0);
    in->size -= n + (hit_end ? 1 : 0);
    if (length) *length = n;
    return s;
}

/* A length-prefixed string of at most max bytes (may contain NULs). */
static inline char *fuzz_string_sized(fuzz_input *in, size_t max, size_t *length) {
    size_t want = fuzz_u8(in);
    if (want > max) want = max;
    if (want > in->size) want = in->size;
    char *s = malloc(want + 1);
    if (!s) abort();
    if (want) memcpy(s, in->data, want);
    s[want] = '\0';
    in->data += want;
    in->size -= want;
    if (length) *length = want;
    return s;
}

/* The rest of the input as a malloc'd NUL-terminated copy. */
static inline char *fuzz_rest(fuzz_input *in, size_t *length) {
    char *s = malloc(in->size + 1);
    if (!s) abort();
    if (in->size) memcpy(s, in->data, in->size);
    s[in->size] = '\0';
    if (length) *length = in->size;
    in->data += in->size;
    in->size = 0;
    return s;
}

/* A property every input must keep: print what broke and abort, so that
 * libFuzzer saves the input as a crash. Writes to fd 2 directly: a target
 * may point the stderr FILE elsewhere to capture what the code logs. */
#define FUZZ_CHECK(cond, ...)                                                            \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            dprintf(2, "FUZZ_CHECK failed at %s:%d: %s\n  ", __FILE__, __LINE__, #cond);   \
            dprintf(2, __VA_ARGS__);                                                     \
            dprintf(2, "\n");                                                            \
            abort();                                                                     \
        }                                                                                \
    } while (0)

#endif
