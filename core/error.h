/* The error slot: one per host, as in libgit2. Functions return a negative
 * SPARTA_E* code and leave what/where/what-to-do here. */
#ifndef SPARTA_CORE_ERROR_H
#define SPARTA_CORE_ERROR_H

#include <sparta/plugin.h>

#define SPARTA_ERROR_MESSAGE_MAX 4096

typedef struct sparta_error_slot {
    int code;
    char message[SPARTA_ERROR_MESSAGE_MAX];
    char plugin[128];
    char file[1024];
    int line;
} sparta_error_slot;

/* Sets code and message (clearing plugin/file/line) and returns `code`. */
int sparta__error_set(sparta_error_slot *slot, int code, const char *fmt, ...) SPARTA_PRINTF(3, 4);
/* Like sparta__error_set, recording where in which file the problem is. */
int sparta__error_set_at(sparta_error_slot *slot, int code, const char *file, int line,
                         const char *fmt, ...) SPARTA_PRINTF(5, 6);
/* Prefixes the current message with "context: ". */
void sparta__error_prefix(sparta_error_slot *slot, const char *fmt, ...) SPARTA_PRINTF(2, 3);
void sparta__error_clear(sparta_error_slot *slot);

#endif
