/* libcurl, loaded when the first AWS call needs it.
 *
 * Linking libcurl costs every start of the tool about 5 ms: Debian's build
 * pulls some 30 shared libraries (TLS, Kerberos, LDAP, SSH, HTTP/2, ...),
 * and `sparta version` or `sparta plugins` never talk to AWS. So the host
 * library does not link libcurl. On first use, curl_loader.c opens
 * libcurl.so.4 (dlopen, RTLD_NOW | RTLD_LOCAL), resolves the functions
 * below into a table and runs curl_global_init, once (pthread_once).
 *
 * The functions keep their libcurl names: curl_loader.c defines them,
 * hidden inside the host, as forwarders through that table. Host code keeps
 * including <curl/curl.h> (types, constants, the compile-time type checks
 * of curl_easy_setopt) and calling them as usual. Forwarded:
 *
 *   curl_easy_init  curl_easy_cleanup  curl_easy_reset  curl_easy_setopt
 *   curl_easy_perform  curl_easy_getinfo  curl_easy_strerror
 *   curl_slist_append  curl_slist_free_all
 *
 * A libcurl function not in this list fails to link the tool: add it to the
 * table and the forwarders. Global initialisation is the loader's job: do
 * not call curl_global_init.
 *
 * If libcurl cannot be loaded, the forwarders fail the way libcurl reports
 * failure (NULL handles and lists, CURLE_FAILED_INIT) and never crash; call
 * sparta__curl_load first where the user should read why. */
#ifndef SPARTA_AWS_CURL_LOADER_H
#define SPARTA_AWS_CURL_LOADER_H

#include "error.h"

/* Loads and initialises libcurl if not done yet (thread-safe). Returns 0,
 * or SPARTA_EAWS with "cannot load libcurl.so.4 (<dlerror>): install the
 * libcurl4 package" (or why initialisation failed) in err. A failure is
 * remembered: later calls fail the same way without trying again. */
int sparta__curl_load(sparta_error_slot *err);

#endif
