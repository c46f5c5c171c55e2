#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf */
#endif
#include "aws/s3.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aws/digest.h"
#include "aws/uri.h"
#include "aws/xml.h"
#include "buffer.h"

/* Path-style (/bucket/key) when the endpoint is overridden (moto, MinIO)
 * or the bucket has dots (they break the TLS wildcard); else
 * virtual-hosted style (bucket.s3.region.amazonaws.com/key). */
typedef struct s3_address {
    char prefix[300];
    char *path;
} s3_address;

static int s3_address_make(sparta__aws_client *c, const char *bucket, const char *key,
                           s3_address *a, sparta_error_slot *err) {
    char *endpoint = NULL;
    int overridden = 0;
    int rc = sparta__aws_client_endpoint(c, "s3", &endpoint, &overridden, err);
    if (rc) return rc;
    free(endpoint);
    int path_style = overridden || strchr(bucket, '.') != NULL;
    a->prefix[0] = '\0';
    if (!path_style) snprintf(a->prefix, sizeof a->prefix, "%s.", bucket);
    int n = path_style ? asprintf(&a->path, "/%s/%s", bucket, key ? key : "")
                       : asprintf(&a->path, "/%s", key ? key : "");
    if (n < 0) {
        a->path = NULL;
        return sparta__error_set(err, SPARTA_ENOMEM, "out of memory");
    }
    return 0;
}

/* The region S3 says the bucket is in, from a redirect or a signing error. */
static char *bucket_region(const sparta__aws_response *r) {
    const char *h = sparta__aws_kvlist_get(&r->headers, "x-amz-bucket-region");
    if (h && *h) return strdup(h);
    xmlDocPtr doc = sparta__xml_parse(r->body, r->body_length);
    char *region = doc ? sparta__xml_text(xmlDocGetRootElement(doc), "Region") : NULL;
    xmlFreeDoc(doc);
    return region;
}

/* Turns the generic AWS error into what a user can act on. */
static int s3_error(sparta__aws_client *c, const char *bucket, const char *what,
                    const sparta__aws_response *r, int rc, sparta_error_slot *err) {
    if (rc != SPARTA_EAWS || !r->status) return rc;
    const char *code = r->error_code ? r->error_code : "";
    const char *rid = r->request_id ? r->request_id : "none";
    char *region = NULL;
    if (!strcmp(code, "NoSuchBucket") || (r->status == 404 && !strcmp(what, "HeadBucket")))
        return sparta__error_set(err, SPARTA_EAWS,
                                 "S3 bucket '%s' does not exist (%s, HTTP %ld, request ID %s): create it "
                                 "or pass another --s3Bucket", bucket, what, r->status, rid);
    if (r->status == 301 || r->status == 307 || !strcmp(code, "PermanentRedirect") ||
        !strcmp(code, "AuthorizationHeaderMalformed") || !strcmp(code, "IllegalLocationConstraintException")) {
        region = bucket_region(r);
        if (region && strcmp(region, sparta__aws_client_region(c)) != 0) {
            rc = sparta__error_set(err, SPARTA_EAWS,
                                   "S3 bucket '%s' is in region %s, not %s (%s): pass --region %s or use "
                                   "a bucket in %s", bucket, region, sparta__aws_client_region(c), what,
                                   region, sparta__aws_client_region(c));
            free(region);
            return rc;
        }
        free(region);
    }
    if (!strcmp(code, "AccessDenied") || r->status == 403)
        return sparta__error_set(err, SPARTA_EAWS,
                                 "access denied to S3 bucket '%s' (%s, HTTP %ld, request ID %s): the "
                                 "credentials from %s cannot %s it; grant s3:PutObject, s3:GetObject and "
                                 "s3:ListBucket on it or use another bucket", bucket, what, r->status, rid,
                                 sparta__aws_client_credentials_source(c),
                                 !strcmp(what, "HeadBucket") || !strcmp(what, "HeadObject") ? "read" : "write to");
    return rc;
}

void sparta__s3_object_info_free(sparta__s3_object_info *info) {
    if (!info) return;
    free(info->etag);
    free(info->version_id);
    memset(info, 0, sizeof *info);
}

int sparta__s3_head_object(sparta__aws_client *c, const char *bucket, const char *key,
                           sparta__s3_object_info *info, sparta_error_slot *err) {
    s3_address a;
    sparta__s3_object_info local;
    if (!info) info = &local;
    memset(info, 0, sizeof *info);
    int rc = s3_address_make(c, bucket, key, &a, err);
    if (rc) return rc;
    sparta__aws_http_request req = {"s3", "HeadObject", "HEAD", a.prefix[0] ? a.prefix : NULL, a.path,
                                    NULL, 0, NULL, 0, NULL, 0, NULL};
    sparta__aws_response r;
    rc = sparta__aws_request(c, &req, &r, err);
    if (rc == 0) {
        info->exists = 1;
        const char *len = sparta__aws_kvlist_get(&r.headers, "content-length");
        const char *etag = sparta__aws_kvlist_get(&r.headers, "etag");
        const char *ver = sparta__aws_kvlist_get(&r.headers, "x-amz-version-id");
        info->size = len ? atoll(len) : 0;
        info->etag = etag ? strdup(etag) : NULL;
        info->version_id = ver ? strdup(ver) : NULL;
    } else if (r.status == 404 && r.error_code && strcmp(r.error_code, "NoSuchBucket") != 0) {
        /* A HEAD answer has no body, so a missing bucket also looks like a
         * plain 404: the bucket check before uploads tells them apart. */
        rc = 0;
        sparta__error_clear(err);
    } else {
        rc = s3_error(c, bucket, "HeadObject", &r, rc, err);
    }
    sparta__aws_response_free(&r);
    free(a.path);
    if (info == &local) sparta__s3_object_info_free(&local);
    return rc;
}

static int put_bytes(sparta__aws_client *c, const char *bucket, const char *key, const void *data,
                     size_t length, const char *content_type, const sparta__aws_kv *query,
                     size_t query_count, const char *action, char **etag, sparta_error_slot *err) {
    s3_address a;
    int rc = s3_address_make(c, bucket, key, &a, err);
    if (rc) return rc;
    char md5[25];
    sparta__md5_base64(data, length, md5);
    sparta__aws_kv headers[] = {{"Content-MD5", md5}};
    sparta__aws_http_request req = {"s3", action, "PUT", a.prefix[0] ? a.prefix : NULL, a.path, query,
                                    query_count, headers, 1, data, length,
                                    content_type ? content_type : "application/octet-stream"};
    sparta__aws_response r;
    rc = sparta__aws_request(c, &req, &r, err);
    if (rc == 0 && etag) {
        const char *e = sparta__aws_kvlist_get(&r.headers, "etag");
        *etag = strdup(e ? e : "");
    }
    rc = s3_error(c, bucket, action, &r, rc, err);
    sparta__aws_response_free(&r);
    free(a.path);
    return rc;
}

int sparta__s3_put_object(sparta__aws_client *c, const char *bucket, const char *key,
                          const void *data, size_t length, const char *content_type,
                          sparta_error_slot *err) {
    return put_bytes(c, bucket, key, data, length, content_type, NULL, 0, "PutObject", NULL, err);
}

/* POST/DELETE on the object with a query (multipart steps). */
static int object_call(sparta__aws_client *c, const char *bucket, const char *key, const char *method,
                       const char *action, const sparta__aws_kv *query, size_t query_count,
                       const char *body, const char *content_type, sparta__aws_response *r,
                       sparta_error_slot *err) {
    s3_address a;
    int rc = s3_address_make(c, bucket, key, &a, err);
    if (rc) return rc;
    sparta__aws_http_request req = {"s3", action, method, a.prefix[0] ? a.prefix : NULL, a.path, query,
                                    query_count, NULL, 0, body, body ? strlen(body) : 0, content_type};
    rc = sparta__aws_request(c, &req, r, err);
    rc = s3_error(c, bucket, action, r, rc, err);
    free(a.path);
    return rc;
}

static int multipart_upload(sparta__aws_client *c, const char *bucket, const char *key, FILE *f,
                            long long size, const char *content_type, sparta_error_slot *err) {
    sparta__aws_response r;
    sparta__aws_kv create_q[] = {{"uploads", ""}};
    s3_address a;
    int rc = s3_address_make(c, bucket, key, &a, err);
    if (rc) return rc;
    sparta__aws_kv ctype[] = {{"Content-Type", content_type ? content_type : "application/octet-stream"}};
    sparta__aws_http_request create = {"s3", "CreateMultipartUpload", "POST", a.prefix[0] ? a.prefix : NULL,
                                       a.path, create_q, 1, ctype, 1, NULL, 0, NULL};
    rc = sparta__aws_request(c, &create, &r, err);
    rc = s3_error(c, bucket, "CreateMultipartUpload", &r, rc, err);
    free(a.path);
    xmlDocPtr doc = rc ? NULL : sparta__xml_parse(r.body, r.body_length);
    char *upload_id = doc ? sparta__xml_text(xmlDocGetRootElement(doc), "UploadId") : NULL;
    xmlFreeDoc(doc);
    sparta__aws_response_free(&r);
    if (rc) return rc;
    if (!upload_id)
        return sparta__error_set(err, SPARTA_EAWS, "S3 CreateMultipartUpload for s3://%s/%s answered "
                                                    "without an UploadId", bucket, key);

    sparta_buffer complete = SPARTA_BUFFER_INIT;
    sparta__buffer_puts(&complete, "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    char *part = malloc(SPARTA__S3_PART_SIZE);
    if (!part) rc = sparta__error_set(err, SPARTA_ENOMEM, "out of memory for an upload part");
    long long sent = 0;
    for (int number = 1; !rc && sent < size; number++) {
        size_t n = fread(part, 1, SPARTA__S3_PART_SIZE, f);
        if (n == 0) {
            rc = sparta__error_set(err, SPARTA_EIO, "file for s3://%s/%s shrank while uploading", bucket, key);
            break;
        }
        char num[16], *etag = NULL;
        snprintf(num, sizeof num, "%d", number);
        sparta__aws_kv q[] = {{"partNumber", num}, {"uploadId", upload_id}};
        rc = put_bytes(c, bucket, key, part, n, NULL, q, 2, "UploadPart", &etag, err);
        if (!rc) sparta__buffer_printf(&complete, "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>",
                                       number, etag);
        free(etag);
        sent += (long long)n;
    }
    free(part);
    sparta__buffer_puts(&complete, "</CompleteMultipartUpload>");
    sparta__aws_kv upload_q[] = {{"uploadId", upload_id}};
    if (!rc && complete.failed) rc = sparta__error_set(err, SPARTA_ENOMEM, "out of memory");
    if (!rc) {
        rc = object_call(c, bucket, key, "POST", "CompleteMultipartUpload", upload_q, 1, complete.data,
                         "application/xml", &r, err);
        /* S3 may answer 200 and still put an <Error> in the body. */
        xmlDocPtr d = rc ? NULL : sparta__xml_parse(r.body, r.body_length);
        xmlNodePtr root = d ? xmlDocGetRootElement(d) : NULL;
        if (root && !strcmp((const char *)root->name, "Error")) {
            char *code = sparta__xml_text(root, "Code"), *msg = sparta__xml_text(root, "Message");
            rc = sparta__error_set(err, SPARTA_EAWS, "s3 CompleteMultipartUpload failed: %s: %s",
                                   code ? code : "?", msg ? msg : "");
            free(code);
            free(msg);
        }
        xmlFreeDoc(d);
        sparta__aws_response_free(&r);
    }
    if (rc) {
        /* Leave no paid-for parts behind; keep the first error. */
        sparta_error_slot ignore = {0};
        object_call(c, bucket, key, "DELETE", "AbortMultipartUpload", upload_q, 1, NULL, NULL, &r, &ignore);
        sparta__aws_response_free(&r);
        sparta_logger *lg = sparta__aws_client_logger(c);
        if (lg) sparta__log(lg, SPARTA_LOG_WARN, "aborted the multipart upload", "bucket", bucket, "key",
                            key, (char *)NULL);
    }
    sparta__buffer_free(&complete);
    free(upload_id);
    return rc;
}

int sparta__s3_upload_file(sparta__aws_client *c, const char *bucket, const char *key,
                           const char *path, const char *content_type, sparta_error_slot *err) {
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0) {
        if (f) fclose(f);
        return sparta__error_set(err, SPARTA_EIO, "cannot read %s for upload to s3://%s/%s", path, bucket, key);
    }
    int rc;
    if ((unsigned long long)st.st_size > SPARTA__S3_MULTIPART_THRESHOLD) {
        rc = multipart_upload(c, bucket, key, f, (long long)st.st_size, content_type, err);
    } else {
        size_t n = (size_t)st.st_size;
        char *data = malloc(n ? n : 1);
        if (!data) rc = sparta__error_set(err, SPARTA_ENOMEM, "out of memory reading %s", path);
        else if (fread(data, 1, n, f) != n) rc = sparta__error_set(err, SPARTA_EIO, "cannot read %s", path);
        else rc = sparta__s3_put_object(c, bucket, key, data, n, content_type, err);
        free(data);
    }
    fclose(f);
    sparta_logger *lg = sparta__aws_client_logger(c);
    if (!rc && lg) {
        char size[32];
        snprintf(size, sizeof size, "%lld", (long long)st.st_size);
        sparta__log(lg, SPARTA_LOG_INFO, "Uploaded", "bucket", bucket, "key", key, "bytes", size, (char *)NULL);
    }
    return rc;
}

int sparta__s3_upload_file_if_absent(sparta__aws_client *c, const char *bucket, const char *key,
                                     const char *path, int *uploaded, sparta_error_slot *err) {
    sparta__s3_object_info info;
    if (uploaded) *uploaded = 0;
    int rc = sparta__s3_head_object(c, bucket, key, &info, err);
    int exists = info.exists;
    sparta__s3_object_info_free(&info);
    if (rc) return rc;
    if (exists) {
        sparta_logger *lg = sparta__aws_client_logger(c);
        if (lg) sparta__log(lg, SPARTA_LOG_INFO, "Already in S3, not uploading again", "bucket", bucket,
                            "key", key, (char *)NULL);
        return 0;
    }
    rc = sparta__s3_upload_file(c, bucket, key, path, NULL, err);
    if (!rc && uploaded) *uploaded = 1;
    return rc;
}

static int bucket_call(sparta__aws_client *c, const char *bucket, const char *method, const char *action,
                       const sparta__aws_kv *query, size_t query_count, const char *body,
                       sparta__aws_response *r, sparta_error_slot *err) {
    s3_address a;
    int rc = s3_address_make(c, bucket, NULL, &a, err);
    if (rc) return rc;
    sparta__aws_http_request req = {"s3", action, method, a.prefix[0] ? a.prefix : NULL, a.path, query,
                                    query_count, NULL, 0, body, body ? strlen(body) : 0,
                                    body ? "application/xml" : NULL};
    rc = sparta__aws_request(c, &req, r, err);
    rc = s3_error(c, bucket, action, r, rc, err);
    free(a.path);
    return rc;
}

int sparta__s3_check_bucket(sparta__aws_client *c, const char *bucket, sparta_error_slot *err) {
    sparta__aws_response r;
    int rc = bucket_call(c, bucket, "HEAD", "HeadBucket", NULL, 0, NULL, &r, err);
    sparta__aws_response_free(&r);
    return rc;
}

int sparta__s3_get_bucket_versioning(sparta__aws_client *c, const char *bucket, char **status,
                                     sparta_error_slot *err) {
    sparta__aws_response r;
    sparta__aws_kv q[] = {{"versioning", ""}};
    *status = NULL;
    int rc = bucket_call(c, bucket, "GET", "GetBucketVersioning", q, 1, NULL, &r, err);
    if (!rc) {
        xmlDocPtr doc = sparta__xml_parse(r.body, r.body_length);
        char *s = doc ? sparta__xml_text(xmlDocGetRootElement(doc), "Status") : NULL;
        xmlFreeDoc(doc);
        *status = s ? s : strdup("");
    }
    sparta__aws_response_free(&r);
    return rc;
}

int sparta__s3_create_bucket(sparta__aws_client *c, const char *bucket, sparta_error_slot *err) {
    const char *region = sparta__aws_client_region(c);
    char *body = NULL;
    if (strcmp(region, "us-east-1") != 0 &&
        asprintf(&body, "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                        "<LocationConstraint>%s</LocationConstraint></CreateBucketConfiguration>", region) < 0)
        return sparta__error_set(err, SPARTA_ENOMEM, "out of memory");
    sparta__aws_response r;
    int rc = bucket_call(c, bucket, "PUT", "CreateBucket", NULL, 0, body, &r, err);
    sparta__aws_response_free(&r);
    free(body);
    return rc;
}

char *sparta__s3_object_url(const sparta__aws_client *c, const char *bucket, const char *key) {
    char *enc = sparta__uri_encode(key, strlen(key), 1), *url = NULL;
    if (enc && asprintf(&url, "https://%s.s3.%s.amazonaws.com/%s", bucket, sparta__aws_client_region(c), enc) < 0)
        url = NULL;
    free(enc);
    return url;
}
