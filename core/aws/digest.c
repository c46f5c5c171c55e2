#include "aws/digest.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

void sparta__sha256(const void *data, size_t n, unsigned char out[SPARTA__SHA256_LEN]) {
    unsigned int len = 0;
    EVP_Digest(data, n, out, &len, EVP_sha256(), NULL);
}

void sparta__hex_encode(const unsigned char *bytes, size_t n, char *out) {
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

void sparta__sha256_hex(const void *data, size_t n, char out[SPARTA__SHA256_HEX_LEN + 1]) {
    unsigned char md[SPARTA__SHA256_LEN];
    sparta__sha256(data, n, md);
    sparta__hex_encode(md, sizeof md, out);
}

void sparta__hmac_sha256(const void *key, size_t key_len, const void *data, size_t n,
                         unsigned char out[SPARTA__SHA256_LEN]) {
    unsigned int len = 0;
    HMAC(EVP_sha256(), key, (int)key_len, data, n, out, &len);
}

void sparta__base64(const unsigned char *bytes, size_t n, char *out) {
    EVP_EncodeBlock((unsigned char *)out, bytes, (int)n);
}

void sparta__md5_base64(const void *data, size_t n, char out[25]) {
    unsigned char md[16];
    unsigned int len = 0;
    EVP_Digest(data, n, md, &len, EVP_md5(), NULL);
    sparta__base64(md, sizeof md, out);
}

void sparta__sha256_base64(const void *data, size_t n, char out[45]) {
    unsigned char md[SPARTA__SHA256_LEN];
    sparta__sha256(data, n, md);
    sparta__base64(md, sizeof md, out);
}
