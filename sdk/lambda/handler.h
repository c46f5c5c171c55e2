/* The handler and middleware objects (internal layout). */
#ifndef SPARTA_LAMBDA_HANDLER_H
#define SPARTA_LAMBDA_HANDLER_H

#include "internal.h"

enum {
    SPARTA__HANDLER_FUNC = 1, /* sparta_handler_func */
    SPARTA__HANDLER_DATA,     /* sparta_handler_data_func + user data */
    SPARTA__HANDLER_CHAIN,    /* a middleware wrapped around `next` */
    SPARTA__HANDLER_LEGACY    /* the deprecated sparta_lambda_func */
};

struct sparta_handler {
    int refs;
    int kind;
    sparta_handler_func func;
    sparta_handler_data_func data_func;
    void *user_data;
    void (*free_user_data)(void *);
    sparta_middleware *middleware; /* CHAIN */
    sparta_handler *next;          /* CHAIN */
    sparta_lambda_func legacy;     /* LEGACY */
    char *name;                    /* LEGACY: the registered name, for the warning */
    int warned;                    /* LEGACY: the deprecation line was logged */
};

struct sparta_middleware {
    int refs;
    int is_static; /* the shipped instances: never freed */
    sparta_middleware_func func;
    void *user_data;
    void (*free_user_data)(void *);
};

sparta_handler *sparta__handler_alloc(int kind);
void sparta__legacy_serve(sparta_handler *h, sparta_response_writer *w, const sparta_request *r);

#endif
