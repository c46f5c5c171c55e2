/* Command and flag specs cross the ABI: the plugin may have been built
 * against an older or newer <sparta/plugin.h>. Each spec starts with its
 * size; we copy min(size, ours) into zeroes, so fields a plugin does not
 * know read as zero, and refuse a spec larger than we know (its extra
 * fields would be silently ignored) or too small to be version 1. */
#include "command/internal.h"

#include <stddef.h>
#include <string.h>

/* Version 1 ends after these members; later versions only append. */
#define COMMAND_SPEC_V1_SIZE (offsetof(sparta_command_spec, flag_count) + sizeof(size_t))
#define FLAG_SPEC_V1_SIZE (offsetof(sparta_flag_spec, required) + sizeof(int))

static int check_size(uint32_t size, size_t ours, size_t minimum, const char *what, const char *where,
                      sparta_error_slot *err) {
    if (size > ours)
        return sparta__error_set(err, SPARTA_EPLUGIN,
                                 "%s%s is %u bytes, but this sparta knows only %zu: it was built against "
                                 "a newer SDK; rebuild the plugin against this sparta's <sparta/plugin.h> "
                                 "or upgrade sparta",
                                 what, where, size, ours);
    if (size < minimum)
        return sparta__error_set(err, SPARTA_EPLUGIN,
                                 "%s%s is %u bytes, smaller than its first version (%zu bytes): set "
                                 ".size = sizeof(%s)",
                                 what, where, size, minimum, what);
    return 0;
}

int sparta__command_flag_spec_copy(const sparta_flag_spec *in, sparta_flag_spec *out, const char *where,
                                   sparta_error_slot *err) {
    if (!in) return sparta__error_set(err, SPARTA_EGENERIC, "sparta_flag_spec%s is NULL", where);
    int rc = check_size(in->size, sizeof *out, FLAG_SPEC_V1_SIZE, "sparta_flag_spec", where, err);
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    memcpy(out, in, in->size);
    return 0;
}

int sparta__command_spec_copy(const sparta_command_spec *in, sparta_command_spec *out,
                              sparta_error_slot *err) {
    if (!in) return sparta__error_set(err, SPARTA_EGENERIC, "sparta_command_spec is NULL");
    int rc = check_size(in->size, sizeof *out, COMMAND_SPEC_V1_SIZE, "sparta_command_spec", "", err);
    if (rc) return rc;
    memset(out, 0, sizeof *out);
    memcpy(out, in, in->size);
    if (out->flag_count && !out->flags)
        return sparta__error_set(err, SPARTA_EGENERIC,
                                 "sparta_command_spec for \"%s\" has flag_count %zu but no flags",
                                 out->path ? out->path : "", out->flag_count);
    /* The array's stride is the plugin's sizeof(sparta_flag_spec): the
     * first element's size, which every element must repeat. */
    for (size_t i = 0; i < out->flag_count; i++) {
        const sparta_flag_spec *f = sparta__command_spec_flag(out, i);
        if (f->size != out->flags[0].size)
            return sparta__error_set(err, SPARTA_EPLUGIN,
                                     "sparta_command_spec for \"%s\": flags[%zu].size is %u but flags[0].size "
                                     "is %u; set .size = sizeof(sparta_flag_spec) on every flag",
                                     out->path ? out->path : "", i, f->size, out->flags[0].size);
        if (i == 0) {
            rc = check_size(f->size, sizeof *f, FLAG_SPEC_V1_SIZE, "sparta_flag_spec", " (flags[0])", err);
            if (rc) return rc;
            if (f->size % _Alignof(sparta_flag_spec))
                return sparta__error_set(err, SPARTA_EPLUGIN,
                                         "sparta_command_spec for \"%s\": flags[0].size %u is not a "
                                         "sizeof(sparta_flag_spec) any compiler would produce",
                                         out->path ? out->path : "", f->size);
        }
    }
    return 0;
}

const sparta_flag_spec *sparta__command_spec_flag(const sparta_command_spec *spec, size_t i) {
    size_t stride = spec->flags[0].size;
    return (const sparta_flag_spec *)(const void *)((const char *)spec->flags + i * stride);
}
