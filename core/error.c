#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void error_format(sparta_error_slot *slot, const char *fmt, va_list ap) {
    vsnprintf(slot->message, sizeof slot->message, fmt, ap);
}

int sparta__error_set(sparta_error_slot *slot, int code, const char *fmt, ...) {
    if (!slot) return code;
    sparta__error_clear(slot);
    slot->code = code;
    va_list ap;
    va_start(ap, fmt);
    error_format(slot, fmt, ap);
    va_end(ap);
    return code;
}

int sparta__error_set_at(sparta_error_slot *slot, int code, const char *file, int line,
                         const char *fmt, ...) {
    if (!slot) return code;
    sparta__error_clear(slot);
    slot->code = code;
    snprintf(slot->file, sizeof slot->file, "%s", file ? file : "");
    slot->line = line;
    va_list ap;
    va_start(ap, fmt);
    error_format(slot, fmt, ap);
    va_end(ap);
    return code;
}

void sparta__error_prefix(sparta_error_slot *slot, const char *fmt, ...) {
    if (!slot) return;
    char prefix[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    /* Shift the message right and put "prefix: " in front; truncation keeps the prefix. */
    size_t cap = sizeof slot->message, plen = strlen(prefix), mlen = strlen(slot->message);
    if (plen + 2 >= cap) plen = cap - 3;
    if (plen + 2 + mlen >= cap) mlen = cap - 1 - plen - 2;
    memmove(slot->message + plen + 2, slot->message, mlen);
    memcpy(slot->message, prefix, plen);
    slot->message[plen] = ':';
    slot->message[plen + 1] = ' ';
    slot->message[plen + 2 + mlen] = '\0';
}

void sparta__error_clear(sparta_error_slot *slot) {
    if (!slot) return;
    slot->code = 0;
    slot->message[0] = '\0';
    slot->plugin[0] = '\0';
    slot->file[0] = '\0';
    slot->line = 0;
}
