/* URI encoding as SigV4 defines it (RFC 3986 unreserved characters kept,
 * everything else %XX upper-case), and the path normalisation botocore
 * applies before signing for services other than S3. */
#ifndef SPARTA_AWS_URI_H
#define SPARTA_AWS_URI_H

#include <stddef.h>

/* Encodes n bytes of s; '/' is kept when keep_slash. Caller frees; NULL on OOM. */
char *sparta__uri_encode(const char *s, size_t n, int keep_slash);
/* Decodes %XX (and '+' as space when form); caller frees. */
char *sparta__uri_decode(const char *s, size_t n, int form);
/* Removes '.' and '..' segments and empty segments; keeps the leading '/'
 * and a trailing '/' when something remains. Caller frees. */
char *sparta__uri_normalize_path(const char *path);

#endif
