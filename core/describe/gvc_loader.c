/* Graphviz on first use: see gvc_loader.h. */
#include "describe/gvc_loader.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <pthread.h>

#include "aws/lazy_lib.h"

/* The libraries the host was built against (Graphviz 2.x: libgvc ABI 6,
 * libcgraph ABI 6), and the Debian packages that ship them. */
#ifndef SPARTA_LIBGVC_SONAME
#define SPARTA_LIBGVC_SONAME "libgvc.so.6"
#endif
#ifndef SPARTA_LIBGVC_PACKAGE
#define SPARTA_LIBGVC_PACKAGE "libgvc6"
#endif
#ifndef SPARTA_LIBCGRAPH_SONAME
#define SPARTA_LIBCGRAPH_SONAME "libcgraph.so.6"
#endif
#ifndef SPARTA_LIBCGRAPH_PACKAGE
#define SPARTA_LIBCGRAPH_PACKAGE "libcgraph6"
#endif

/* Never exported from libsparta: a program that embeds the host and links
 * Graphviz itself keeps calling Graphviz directly, and Graphviz's plugins
 * bind to Graphviz, not to these. */
#define FORWARDER __attribute__((visibility("hidden")))

static struct {
    /* libgvc */
    GVC_t *(*context)(void);
    int (*layout)(GVC_t *gvc, graph_t *g, const char *engine);
    int (*render_data)(GVC_t *gvc, graph_t *g, const char *format, char **result, unsigned int *length);
    void (*free_render_data)(char *data);
    int (*free_layout)(GVC_t *gvc, graph_t *g);
    /* libcgraph */
    Agraph_t *(*memread)(const char *cp);
    int (*close)(Agraph_t *g);
    agerrlevel_t (*seterr)(agerrlevel_t level);
    agusererrf (*seterrf)(agusererrf handler);
} api;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded;            /* written once, under load_once */
static char load_error[1024]; /* why not, when !loaded */

static void load(void) {
    static const sparta__lazy_symbol cgraph[] = {
        {"agmemread", &api.memread},
        {"agclose", &api.close},
        {"agseterr", &api.seterr},
        {"agseterrf", &api.seterrf},
    };
    static const sparta__lazy_symbol gvc[] = {
        {"gvContext", &api.context},
        {"gvLayout", &api.layout},
        {"gvRenderData", &api.render_data},
        {"gvFreeRenderData", &api.free_render_data},
        {"gvFreeLayout", &api.free_layout},
    };
    /* libcgraph first: libgvc needs it, and a missing libcgraph then names
     * its own package. Both stay open for the life of the process. */
    if (!sparta__lazy_lib_open(SPARTA_LIBCGRAPH_SONAME, SPARTA_LIBCGRAPH_PACKAGE, cgraph,
                               sizeof cgraph / sizeof cgraph[0], load_error, sizeof load_error))
        return;
    if (!sparta__lazy_lib_open(SPARTA_LIBGVC_SONAME, SPARTA_LIBGVC_PACKAGE, gvc, sizeof gvc / sizeof gvc[0],
                               load_error, sizeof load_error))
        return;
    loaded = 1;
}

static int ready(void) {
    pthread_once(&load_once, load);
    return loaded;
}

int sparta__gvc_load(sparta_error_slot *err) {
    if (ready()) return 0;
    return sparta__error_set(err, SPARTA_EGENERIC, "%s", load_error);
}

/* ---- the forwarders: libgvc ------------------------------------------------- */

FORWARDER GVC_t *gvContext(void) { return ready() ? api.context() : NULL; }

FORWARDER int gvLayout(GVC_t *gvc, graph_t *g, const char *engine) {
    return gvc && g && ready() ? api.layout(gvc, g, engine) : -1;
}

FORWARDER int gvRenderData(GVC_t *gvc, graph_t *g, const char *format, char **result, unsigned int *length) {
    if (gvc && g && ready()) return api.render_data(gvc, g, format, result, length);
    if (result) *result = NULL;
    if (length) *length = 0;
    return -1;
}

FORWARDER void gvFreeRenderData(char *data) {
    if (data && ready()) api.free_render_data(data);
}

FORWARDER int gvFreeLayout(GVC_t *gvc, graph_t *g) {
    return gvc && g && ready() ? api.free_layout(gvc, g) : 0; /* nothing was laid out */
}

/* ---- the forwarders: libcgraph ---------------------------------------------- */

FORWARDER Agraph_t *agmemread(const char *cp) { return cp && ready() ? api.memread(cp) : NULL; }

FORWARDER int agclose(Agraph_t *g) { return g && ready() ? api.close(g) : -1; }

/* Without Graphviz there is no level to change: answer with its default. */
FORWARDER agerrlevel_t agseterr(agerrlevel_t level) { return ready() ? api.seterr(level) : AGWARN; }

FORWARDER agusererrf agseterrf(agusererrf handler) { return ready() ? api.seterrf(handler) : NULL; }
