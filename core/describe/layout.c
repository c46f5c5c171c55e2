/* Graphviz lays the graph out: DOT in, SVG out, through libgvc's dot
 * layout. No layout code of ours. Graphviz is not linked: the gv* and ag*
 * calls below go through gvc_loader.c, which opens it on the first drawing
 * (see gvc_loader.h). Graphviz reports problems through a process-wide
 * callback; while a graph is drawn they are collected here for the error
 * message (so drawing is not thread-safe), then the embedder's own settings
 * come back. */
#include "describe.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "describe/gvc_loader.h"

static char graphviz_message[1024];

/* One Graphviz context for the process. Graphviz 2.43's pango text layout
 * keeps a pointer to the last font name, which lives in the context: a
 * second context after the first was freed reads freed memory. */
static GVC_t *context(void) {
    static GVC_t *gvc;
    if (!gvc) gvc = gvContext();
    return gvc;
}

static int collect_message(char *text) {
    size_t have = strlen(graphviz_message);
    if (have + 1 < sizeof graphviz_message)
        snprintf(graphviz_message + have, sizeof graphviz_message - have, "%s", text);
    return 0;
}

static const char *message(void) {
    size_t n = strlen(graphviz_message);
    while (n && (graphviz_message[n - 1] == '\n' || graphviz_message[n - 1] == ' ')) graphviz_message[--n] = '\0';
    return n ? graphviz_message : "no message";
}

int sparta__describe_svg(const char *dot, char **svg, size_t *svg_length, sparta_error_slot *err) {
    *svg = NULL;
    *svg_length = 0;
    int rc = sparta__gvc_load(err); /* "cannot load libgvc.so.6 (...): install the libgvc6 package" */
    if (rc != 0) return rc;
    graphviz_message[0] = '\0';
    agerrlevel_t level = agseterr(AGERR); /* warnings stay quiet; errors are collected */
    agusererrf handler = agseterrf(collect_message);
    GVC_t *gvc = context();
    if (!gvc) {
        agseterrf(handler);
        agseterr(level);
        return sparta__error_set(err, SPARTA_ENOMEM, "Graphviz could not start (gvContext failed)");
    }
    Agraph_t *g = agmemread(dot);
    if (!g) {
        rc = sparta__error_set(err, SPARTA_EGRAPH, "Graphviz could not read the DOT text of the graph: %s", message());
    } else if (gvLayout(gvc, g, "dot") != 0) {
        rc = sparta__error_set(err, SPARTA_EGRAPH,
                               "Graphviz could not lay out the graph with the dot layout: %s; check that "
                               "Graphviz's plugins are installed (Debian: libgvc6, `dot -c` registers them)",
                               message());
    } else {
        char *data = NULL;
        unsigned int length = 0;
        if (gvRenderData(gvc, g, "svg", &data, &length) != 0 || !data) {
            rc = sparta__error_set(err, SPARTA_EGRAPH,
                                   "Graphviz could not render SVG: %s; check that Graphviz's core plugin is "
                                   "installed (Debian: libgvc6)",
                                   message());
        } else {
            *svg = malloc((size_t)length + 1);
            if (*svg) {
                memcpy(*svg, data, length);
                (*svg)[length] = '\0';
                *svg_length = length;
            } else {
                rc = sparta__error_set(err, SPARTA_ENOMEM, "out of memory");
            }
        }
        if (data) gvFreeRenderData(data);
        gvFreeLayout(gvc, g);
    }
    if (g) agclose(g);
    agseterrf(handler);
    agseterr(level);
    return rc;
}
