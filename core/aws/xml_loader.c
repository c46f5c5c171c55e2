/* libxml2 on first use: see xml_loader.h. */
#include "aws/xml_loader.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlmemory.h>
#include <pthread.h>

#include "aws/lazy_lib.h"

#ifdef LIBXML_THREAD_ALLOC_ENABLED
#error "this libxml2 makes xmlFree a per-thread function; xml_loader.c forwards the variable"
#endif

#ifndef SPARTA_LIBXML2_SONAME
#define SPARTA_LIBXML2_SONAME "libxml2.so.2"
#endif

#define FORWARDER __attribute__((visibility("hidden"))) /* never exported from libsparta */

static struct {
    void (*init_parser)(void);
    xmlDocPtr (*read_memory)(const char *buffer, int size, const char *url, const char *encoding, int options);
    void (*free_doc)(xmlDocPtr doc);
    xmlNodePtr (*doc_get_root_element)(const xmlDoc *doc);
    xmlChar *(*node_get_content)(const xmlNode *node);
    xmlFreeFunc *free; /* libxml2's variable xmlFree */
} api;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded;
static char load_error[1024];

static void load(void) {
    static const sparta__lazy_symbol symbols[] = {
        {"xmlInitParser", &api.init_parser},
        {"xmlReadMemory", &api.read_memory},
        {"xmlFreeDoc", &api.free_doc},
        {"xmlDocGetRootElement", &api.doc_get_root_element},
        {"xmlNodeGetContent", &api.node_get_content},
        {"xmlFree", &api.free},
    };
    if (!sparta__lazy_lib_open(SPARTA_LIBXML2_SONAME, "libxml2", symbols, sizeof symbols / sizeof symbols[0],
                               load_error, sizeof load_error))
        return;
    api.init_parser(); /* once, before any thread parses */
    loaded = 1;
}

static int ready(void) {
    pthread_once(&load_once, load);
    return loaded;
}

int sparta__xml_load(sparta_error_slot *err) {
    if (ready()) return 0;
    return sparta__error_set(err, SPARTA_EAWS, "%s", load_error);
}

/* ---- the forwarders ---------------------------------------------------------- */

FORWARDER xmlDocPtr xmlReadMemory(const char *buffer, int size, const char *url, const char *encoding,
                                  int options) {
    return ready() ? api.read_memory(buffer, size, url, encoding, options) : NULL;
}

FORWARDER void xmlFreeDoc(xmlDocPtr doc) {
    if (doc && ready()) api.free_doc(doc);
}

FORWARDER xmlNodePtr xmlDocGetRootElement(const xmlDoc *doc) {
    return doc && ready() ? api.doc_get_root_element(doc) : NULL;
}

FORWARDER xmlChar *xmlNodeGetContent(const xmlNode *node) {
    return node && ready() ? api.node_get_content(node) : NULL;
}

/* Read at each call: a program may have changed libxml2's xmlFree (xmlMemSetup). */
static void free_forward(void *mem) {
    if (mem && ready()) (*api.free)(mem);
}

FORWARDER xmlFreeFunc xmlFree = free_forward;
