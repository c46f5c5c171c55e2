/* sparta.cfg: parsed with libconfig, turned into the value model so plugins
 * never see libconfig types. Every value remembers its file and line. */
#ifndef SPARTA_CORE_CONFIG_H
#define SPARTA_CORE_CONFIG_H

#include "error.h"
#include "value.h"

typedef struct sparta_config {
    sparta_arena *arena;
    const char *path;       /* as given, for messages; "<memory>" for text */
    const char *directory;  /* plugins.path entries are relative to it */
    sparta_value *root;     /* an object */
} sparta_config;

/* Parses a file (text == NULL) or in-memory text named `path`. */
int sparta__config_load(sparta_config *config, const char *path, const char *text, sparta_error_slot *err);
void sparta__config_free(sparta_config *config);

#endif
