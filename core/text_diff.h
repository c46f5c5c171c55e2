/* A readable line diff (unified style, 3 lines of context) for `sparta diff`. */
#ifndef SPARTA_CORE_TEXT_DIFF_H
#define SPARTA_CORE_TEXT_DIFF_H

#include "buffer.h"

/* Appends the diff of `before` -> `after` to out; returns how many lines changed. */
size_t sparta__text_diff(const char *before, const char *after, const char *before_name, const char *after_name,
                         sparta_buffer *out);

#endif
