/* libxml2, loaded when the first AWS answer needs parsing.
 *
 * Same scheme as curl_loader.h, for the same reason: linking libxml2 costs
 * every start of the tool about 1.3 ms (it pulls ICU and libstdc++). The
 * host library does not link it; xml_loader.c opens libxml2.so.2 on first
 * use, calls xmlInitParser once, and defines, hidden inside the host,
 * forwarders under libxml2's names for what the host uses:
 *
 *   xmlReadMemory  xmlFreeDoc  xmlDocGetRootElement  xmlNodeGetContent
 *   xmlFree (a variable in libxml2: here a function pointer to a forwarder)
 *
 * Code keeps including <libxml/...> and walking xmlNode structs as usual.
 * A libxml2 function not in this list fails to link the tool: add it here.
 * If libxml2 cannot be loaded the forwarders fail like libxml2 does (NULL
 * documents and nodes), never crash. */
#ifndef SPARTA_AWS_XML_LOADER_H
#define SPARTA_AWS_XML_LOADER_H

#include "error.h"

/* Loads libxml2 if not done yet (thread-safe). Returns 0, or SPARTA_EAWS
 * with "cannot load libxml2.so.2 (<dlerror>): install the libxml2 package"
 * in err. A failure is remembered. */
int sparta__xml_load(sparta_error_slot *err);

#endif
