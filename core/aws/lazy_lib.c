/* See lazy_lib.h. */
#include "aws/lazy_lib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

_Static_assert(sizeof(void (*)(void)) == sizeof(void *), "dlsym results must fit a function pointer");

int sparta__lazy_lib_open(const char *soname, const char *package, const sparta__lazy_symbol *symbols,
                          size_t count, char *why, size_t why_len) {
    dlerror();
    void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *e = dlerror();
        snprintf(why, why_len, "cannot load %s (%s): install the %s package", soname, e ? e : "unknown reason",
                 package);
        return 0;
    }
    for (size_t i = 0; i < count; i++) {
        void *sym = dlsym(lib, symbols[i].name);
        if (!sym) {
            snprintf(why, why_len, "cannot use %s: it has no %s: install the %s package", soname,
                     symbols[i].name, package);
            for (size_t j = 0; j < i; j++) memset(symbols[j].slot, 0, sizeof sym);
            dlclose(lib);
            return 0;
        }
        memcpy(symbols[i].slot, &sym, sizeof sym); /* POSIX: an object pointer holds a function's address */
    }
    return 1;
}
