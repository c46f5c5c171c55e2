/* Handler and middleware objects, and their composition (sparta_chain).
 * Both are reference counted so that one middleware instance can wrap
 * several handlers and the registry can hold what main() built. */
#include "handler.h"

#include <stdlib.h>
#include <string.h>

static void handler_ref(sparta_handler *h) { __atomic_add_fetch(&h->refs, 1, __ATOMIC_RELAXED); }

static void middleware_ref(sparta_middleware *mw) {
    if (!mw->is_static) __atomic_add_fetch(&mw->refs, 1, __ATOMIC_RELAXED);
}

sparta_handler *sparta__handler_alloc(int kind) {
    sparta_handler *h = calloc(1, sizeof *h);
    if (!h) return NULL;
    h->refs = 1;
    h->kind = kind;
    return h;
}

SPARTA_LAMBDA_API sparta_handler *sparta_handler_from_func(sparta_handler_func fn) {
    if (!fn) return NULL;
    sparta_handler *h = sparta__handler_alloc(SPARTA__HANDLER_FUNC);
    if (h) h->func = fn;
    return h;
}

SPARTA_LAMBDA_API sparta_handler *sparta_handler_new(sparta_handler_data_func fn, void *user_data,
                                                     void (*free_user_data)(void *)) {
    if (!fn) return NULL;
    sparta_handler *h = sparta__handler_alloc(SPARTA__HANDLER_DATA);
    if (!h) return NULL;
    h->data_func = fn;
    h->user_data = user_data;
    h->free_user_data = free_user_data;
    return h;
}

SPARTA_LAMBDA_API void sparta_handler_free(sparta_handler *h) {
    if (!h || __atomic_sub_fetch(&h->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
    if (h->free_user_data) h->free_user_data(h->user_data);
    if (h->middleware) sparta_middleware_free(h->middleware);
    if (h->next) sparta_handler_free(h->next);
    free(h->name);
    free(h);
}

SPARTA_LAMBDA_API void sparta_handler_serve(const sparta_handler *h, sparta_response_writer *w,
                                            const sparta_request *r) {
    if (!h || !w || !r) return;
    switch (h->kind) {
    case SPARTA__HANDLER_FUNC: h->func(w, r); break;
    case SPARTA__HANDLER_DATA: h->data_func(w, r, h->user_data); break;
    case SPARTA__HANDLER_CHAIN: h->middleware->func(w, r, h->next, h->middleware->user_data); break;
    case SPARTA__HANDLER_LEGACY: sparta__legacy_serve((sparta_handler *)h, w, r); break;
    default: break;
    }
}

SPARTA_LAMBDA_API sparta_middleware *sparta_middleware_new(sparta_middleware_func fn, void *user_data,
                                                           void (*free_user_data)(void *)) {
    if (!fn) return NULL;
    sparta_middleware *mw = calloc(1, sizeof *mw);
    if (!mw) return NULL;
    mw->refs = 1;
    mw->func = fn;
    mw->user_data = user_data;
    mw->free_user_data = free_user_data;
    return mw;
}

SPARTA_LAMBDA_API void sparta_middleware_free(sparta_middleware *mw) {
    if (!mw || mw->is_static) return;
    if (__atomic_sub_fetch(&mw->refs, 1, __ATOMIC_ACQ_REL) != 0) return;
    if (mw->free_user_data) mw->free_user_data(mw->user_data);
    free(mw);
}

SPARTA_LAMBDA_API sparta_handler *sparta_chainv(sparta_handler *h, sparta_middleware *const *middleware,
                                                size_t count) {
    if (!h || (count && !middleware)) return NULL;
    handler_ref(h);
    sparta_handler *current = h;
    /* Build inside out: the last middleware listed wraps the handler
     * first, so the first listed ends up outermost. */
    for (size_t i = count; i-- > 0;) {
        if (!middleware[i]) continue;
        sparta_handler *link = sparta__handler_alloc(SPARTA__HANDLER_CHAIN);
        if (!link) {
            sparta_handler_free(current);
            return NULL;
        }
        middleware_ref(middleware[i]);
        link->middleware = middleware[i];
        link->next = current; /* the link takes over our reference */
        current = link;
    }
    return current;
}

SPARTA_LAMBDA_API sparta_handler *sparta_chain(sparta_handler *h, ...) {
    sparta_middleware *list[64];
    size_t n = 0;
    va_list ap;
    va_start(ap, h);
    sparta_middleware *mw;
    int too_many = 0;
    while ((mw = va_arg(ap, sparta_middleware *)) != NULL) {
        if (n == sizeof list / sizeof list[0]) too_many = 1;
        else list[n++] = mw;
    }
    va_end(ap);
    if (too_many) return NULL;
    return sparta_chainv(h, list, n);
}
