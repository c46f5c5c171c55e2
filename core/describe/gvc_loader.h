/* Graphviz (libgvc and libcgraph), loaded when the first graph is drawn.
 *
 * Same scheme as aws/curl_loader.h, for the same reason: linking libgvc
 * costs every start of the tool about 1.5 ms (it pulls libcgraph, libcdt,
 * libpathplan, libltdl, libexpat), and only `sparta describe` with SVG or
 * HTML output lays a graph out. The host library does not link Graphviz;
 * gvc_loader.c opens libcgraph.so.6 then libgvc.so.6 on first use and
 * defines, hidden inside the host, forwarders under Graphviz's names for
 * what layout.c uses:
 *
 *   libgvc:    gvContext  gvLayout  gvRenderData  gvFreeRenderData
 *              gvFreeLayout
 *   libcgraph: agmemread  agclose  agseterr  agseterrf
 *
 * Code keeps including <graphviz/gvc.h> and <graphviz/cgraph.h> as usual.
 * A Graphviz function not in this list fails to link the tool: add it here.
 *
 * Graphviz finds its own plugins (dot layout, core/SVG renderer, pango) as
 * before: gvContext locates its config (config6a) next to the libgvc it
 * finds mapped in the process and opens each plugin with libltdl; each
 * plugin names libgvc/libcgraph as its own dependencies, so the libraries
 * opened here with RTLD_LOCAL are the ones the plugins bind to (one copy).
 *
 * If Graphviz cannot be loaded the forwarders fail like Graphviz does (NULL
 * contexts and graphs, -1 results), never crash; call sparta__gvc_load
 * first where the user should read why. */
#ifndef SPARTA_DESCRIBE_GVC_LOADER_H
#define SPARTA_DESCRIBE_GVC_LOADER_H

#include "error.h"

/* Loads libcgraph and libgvc if not done yet (thread-safe). Returns 0, or
 * SPARTA_EGENERIC with "cannot load libgvc.so.6 (<dlerror>): install the
 * libgvc6 package" (or the same for libcgraph.so.6 / libcgraph6) in err. A
 * failure is remembered: later calls fail the same way without trying
 * again. */
int sparta__gvc_load(sparta_error_slot *err);

#endif
