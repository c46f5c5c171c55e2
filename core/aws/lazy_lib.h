/* Opening a shared library on first use instead of linking it: the part
 * curl_loader.c and xml_loader.c share (see curl_loader.h for why). */
#ifndef SPARTA_AWS_LAZY_LIB_H
#define SPARTA_AWS_LAZY_LIB_H

#include <stddef.h>

typedef struct sparta__lazy_symbol {
    const char *name; /* "curl_easy_init" */
    void *slot;       /* where its address goes: a function pointer (or, for a variable, a pointer to it) */
} sparta__lazy_symbol;

/* dlopen(soname, RTLD_NOW | RTLD_LOCAL) and fill every slot. Returns 1, or
 * 0 with "cannot load <soname> (<dlerror>): install the <package> package"
 * (or which symbol is missing) in why, the slots zeroed and nothing left
 * open. The library is never closed once loaded. Not thread-safe: call it
 * under pthread_once. */
int sparta__lazy_lib_open(const char *soname, const char *package, const sparta__lazy_symbol *symbols,
                          size_t count, char *why, size_t why_len);

#endif
