/* Output formats by name and by file extension. */
#include "describe.h"

#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    sparta_describe_format format;
} names[] = {
    {"html", SPARTA_DESCRIBE_HTML}, {"htm", SPARTA_DESCRIBE_HTML}, {"svg", SPARTA_DESCRIBE_SVG},
    {"dot", SPARTA_DESCRIBE_DOT},   {"gv", SPARTA_DESCRIBE_DOT},   {"json", SPARTA_DESCRIBE_JSON},
};

int sparta__describe_format_parse(const char *name, sparta_describe_format *out) {
    for (size_t i = 0; name && i < sizeof names / sizeof *names; i++)
        if (strcasecmp(name, names[i].name) == 0) {
            *out = names[i].format;
            return 0;
        }
    return -1;
}

int sparta__describe_format_from_path(const char *path, sparta_describe_format *out) {
    const char *slash = path ? strrchr(path, '/') : NULL;
    const char *dot = path ? strrchr(slash ? slash : path, '.') : NULL;
    return dot ? sparta__describe_format_parse(dot + 1, out) : -1;
}

const char *sparta__describe_format_extension(sparta_describe_format format) {
    switch (format) {
    case SPARTA_DESCRIBE_SVG: return "svg";
    case SPARTA_DESCRIBE_DOT: return "dot";
    case SPARTA_DESCRIBE_JSON: return "json";
    case SPARTA_DESCRIBE_HTML: break;
    }
    return "html";
}
