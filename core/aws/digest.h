/* Hashes and encodings AWS asks for: SHA-256 (hex for SigV4, base64 for
 * x-amz-checksum-sha256), HMAC-SHA256 for the signing key, MD5 for
 * Content-MD5. All through OpenSSL's EVP interface. */
#ifndef SPARTA_AWS_DIGEST_H
#define SPARTA_AWS_DIGEST_H

#include <stddef.h>

#define SPARTA__SHA256_LEN 32
#define SPARTA__SHA256_HEX_LEN 64

void sparta__sha256(const void *data, size_t n, unsigned char out[SPARTA__SHA256_LEN]);
/* out gets 64 lower-case hex digits and a NUL. */
void sparta__sha256_hex(const void *data, size_t n, char out[SPARTA__SHA256_HEX_LEN + 1]);
void sparta__hmac_sha256(const void *key, size_t key_len, const void *data, size_t n,
                         unsigned char out[SPARTA__SHA256_LEN]);
void sparta__hex_encode(const unsigned char *bytes, size_t n, char *out);
/* Base64 of MD5 / SHA-256 of data: out needs 25 / 45 bytes. */
void sparta__md5_base64(const void *data, size_t n, char out[25]);
void sparta__sha256_base64(const void *data, size_t n, char out[45]);
/* Base64 of raw bytes; out needs 4 * ((n + 2) / 3) + 1 bytes. */
void sparta__base64(const unsigned char *bytes, size_t n, char *out);

#endif
