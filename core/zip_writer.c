/* The ZIP container over zlib: see zip_writer.h. Field layouts follow
 * APPNOTE 6.3 sections 4.3.7 (local header), 4.3.12 (central directory
 * header) and 4.3.16 (end of central directory). */
#include "zip_writer.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#define LOCAL_HEADER_SIGNATURE 0x04034b50u
#define CENTRAL_HEADER_SIGNATURE 0x02014b50u
#define END_OF_CENTRAL_SIGNATURE 0x06054b50u
#define LOCAL_HEADER_SIZE 30
#define CENTRAL_HEADER_SIZE 46
#define END_OF_CENTRAL_SIZE 22

#define METHOD_STORED 0
#define METHOD_DEFLATED 8
/* "Version needed to extract": 1.0 for stored data, 2.0 for deflate. */
#define VERSION_STORED 10
#define VERSION_DEFLATED 20
/* Upper byte 3: the attributes are Unix ones; lower: APPNOTE 2.0. */
#define VERSION_MADE_BY_UNIX ((3u << 8) | 20u)
/* General purpose bit 11: the name is UTF-8. Set only for non-ASCII
 * names, as zip does, so plain names read the same everywhere. */
#define FLAG_UTF8_NAME 0x0800u
/* zip's own default: level 9 costs several times the CPU for a few
 * percent smaller code archives. */
#define DEFLATE_LEVEL 6

typedef struct byte_buffer {
    unsigned char *data;
    size_t len, cap;
} byte_buffer;

struct sparta_zip_writer {
    z_stream deflater; /* raw deflate, reset per entry */
    byte_buffer out;     /* local headers and data */
    byte_buffer central; /* central directory, appended at finish */
    size_t entries;
    uint16_t dos_time, dos_date;
};

static int reserve(byte_buffer *b, size_t extra) {
    if (extra > SIZE_MAX - b->len) return -1;
    if (b->len + extra <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra) cap = cap > SIZE_MAX / 2 ? b->len + extra : cap * 2;
    unsigned char *data = realloc(b->data, cap);
    if (!data) return -1;
    b->data = data;
    b->cap = cap;
    return 0;
}

static void put16(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v) {
    put16(p, v & 0xffffu);
    put16(p + 2, v >> 16);
}

sparta_zip_writer *sparta__zip_writer_new(void) {
    sparta_zip_writer *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    /* Negative window bits: raw deflate, the form ZIP stores (no zlib header). */
    if (deflateInit2(&w->deflater, DEFLATE_LEVEL, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(w);
        return NULL;
    }
    return w;
}

void sparta__zip_writer_free(sparta_zip_writer *w) {
    if (!w) return;
    deflateEnd(&w->deflater);
    free(w->out.data);
    free(w->central.data);
    free(w);
}

void sparta__zip_writer_begin(sparta_zip_writer *w, uint16_t dos_time, uint16_t dos_date) {
    w->out.len = 0;
    w->central.len = 0;
    w->entries = 0;
    w->dos_time = dos_time;
    w->dos_date = dos_date;
}

static int name_is_ascii(const char *name) {
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p >= 0x80) return 0;
    return 1;
}

/* Deflates bytes into out at its end; returns the compressed size, or
 * SIZE_MAX when deflate would not make the entry smaller (store it). */
static size_t deflate_into(sparta_zip_writer *w, const unsigned char *bytes, size_t length, int *failed) {
    *failed = 0;
    if (length == 0 || length > UINT32_MAX) return SIZE_MAX;
    uLong bound = deflateBound(&w->deflater, (uLong)length);
    if (bound > UINT32_MAX) return SIZE_MAX; /* past what one deflate call takes */
    if (reserve(&w->out, bound) != 0) {
        *failed = 1;
        return SIZE_MAX;
    }
    deflateReset(&w->deflater);
    w->deflater.next_in = (Bytef *)bytes;
    w->deflater.avail_in = (uInt)length;
    w->deflater.next_out = w->out.data + w->out.len;
    w->deflater.avail_out = (uInt)bound;
    if (deflate(&w->deflater, Z_FINISH) != Z_STREAM_END) {
        *failed = 1;
        return SIZE_MAX;
    }
    size_t compressed = (size_t)w->deflater.total_out;
    return compressed < length ? compressed : SIZE_MAX;
}

int sparta__zip_writer_add(sparta_zip_writer *w, const char *name, const unsigned char *bytes, size_t length,
                           uint32_t mode, const char **why) {
    size_t name_len = strlen(name);
    if (name_len > 0xffffu) return *why = "the entry name is longer than 65535 bytes", -1;
    if (w->entries >= 0xffffu) return *why = "the archive would hold more than 65535 files", -1;
    if (length > UINT32_MAX) return *why = "a file is larger than 4 GiB (Lambda takes at most 250 MB unzipped)", -1;
    size_t header_at = w->out.len;
    if (header_at > UINT32_MAX) return *why = "the archive is larger than 4 GiB", -1;
    if (reserve(&w->out, LOCAL_HEADER_SIZE + name_len) != 0 ||
        reserve(&w->central, CENTRAL_HEADER_SIZE + name_len) != 0)
        return *why = "out of memory", -1;
    w->out.len += LOCAL_HEADER_SIZE + name_len;

    uint32_t crc = (uint32_t)crc32(0L, Z_NULL, 0);
    /* crc32 takes uInt lengths: feed it in pieces. */
    for (size_t off = 0; off < length;) {
        uInt piece = length - off > 0x40000000u ? 0x40000000u : (uInt)(length - off);
        crc = (uint32_t)crc32(crc, bytes + off, piece);
        off += piece;
    }
    int failed;
    size_t compressed = deflate_into(w, bytes, length, &failed);
    if (failed) {
        w->out.len = header_at;
        return *why = "out of memory while compressing", -1;
    }
    uint32_t method = METHOD_DEFLATED, version = VERSION_DEFLATED;
    if (compressed == SIZE_MAX) {
        if (reserve(&w->out, length) != 0) {
            w->out.len = header_at;
            return *why = "out of memory", -1;
        }
        if (length) memcpy(w->out.data + w->out.len, bytes, length);
        compressed = length;
        method = METHOD_STORED;
        version = VERSION_STORED;
    }
    w->out.len += compressed;
    uint32_t flags = name_is_ascii(name) ? 0 : FLAG_UTF8_NAME;

    unsigned char *h = w->out.data + header_at;
    put32(h, LOCAL_HEADER_SIGNATURE);
    put16(h + 4, version);
    put16(h + 6, flags);
    put16(h + 8, method);
    put16(h + 10, w->dos_time);
    put16(h + 12, w->dos_date);
    put32(h + 14, crc);
    put32(h + 18, (uint32_t)compressed);
    put32(h + 22, (uint32_t)length);
    put16(h + 26, (uint32_t)name_len);
    put16(h + 28, 0); /* no extra field */
    memcpy(h + LOCAL_HEADER_SIZE, name, name_len);

    unsigned char *c = w->central.data + w->central.len;
    put32(c, CENTRAL_HEADER_SIGNATURE);
    put16(c + 4, VERSION_MADE_BY_UNIX);
    memcpy(c + 6, h + 4, 26); /* version needed .. name length: as in the local header */
    put16(c + 32, 0);         /* comment length */
    put16(c + 34, 0);         /* disk number start */
    put16(c + 36, 0);         /* internal attributes */
    put32(c + 38, (uint32_t)(S_IFREG | (mode & 0777)) << 16);
    put32(c + 42, (uint32_t)header_at);
    memcpy(c + CENTRAL_HEADER_SIZE, name, name_len);
    w->central.len += CENTRAL_HEADER_SIZE + name_len;
    w->entries++;
    return 0;
}

int sparta__zip_writer_finish(sparta_zip_writer *w, const unsigned char **bytes, size_t *length,
                              const char **why) {
    size_t central_at = w->out.len;
    if (central_at > UINT32_MAX || w->central.len > UINT32_MAX)
        return *why = "the archive is larger than 4 GiB", -1;
    if (reserve(&w->out, w->central.len + END_OF_CENTRAL_SIZE) != 0) return *why = "out of memory", -1;
    if (w->central.len) memcpy(w->out.data + w->out.len, w->central.data, w->central.len);
    w->out.len += w->central.len;
    unsigned char *e = w->out.data + w->out.len;
    put32(e, END_OF_CENTRAL_SIGNATURE);
    put16(e + 4, 0); /* this disk */
    put16(e + 6, 0); /* disk with the central directory */
    put16(e + 8, (uint32_t)w->entries);
    put16(e + 10, (uint32_t)w->entries);
    put32(e + 12, (uint32_t)w->central.len);
    put32(e + 16, (uint32_t)central_at);
    put16(e + 20, 0); /* comment length */
    w->out.len += END_OF_CENTRAL_SIZE;
    *bytes = w->out.data;
    *length = w->out.len;
    return 0;
}
