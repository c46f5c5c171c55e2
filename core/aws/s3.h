/* The S3 calls provision needs: HEAD to skip what is there, PUT with a
 * Content-MD5 checksum, multipart for big archives (aborted on failure),
 * bucket checks that say what is wrong (missing, other region, not
 * writable), and GetBucketVersioning for the pipeline's source bucket. */
#ifndef SPARTA_AWS_S3_H
#define SPARTA_AWS_S3_H

#include <stddef.h>

#include "aws/http.h"

/* Bodies over the threshold go as multipart uploads of PART_SIZE parts
 * (S3 wants >= 5 MiB for every part but the last). */
#define SPARTA__S3_MULTIPART_THRESHOLD (16u * 1024u * 1024u)
#define SPARTA__S3_PART_SIZE (8u * 1024u * 1024u)

typedef struct sparta__s3_object_info {
    int exists;
    long long size;
    char *etag;
    char *version_id;
} sparta__s3_object_info;

void sparta__s3_object_info_free(sparta__s3_object_info *info);

/* info->exists is 0 (and 0 returned) when the object is not there. */
int sparta__s3_head_object(sparta__aws_client *c, const char *bucket, const char *key,
                           sparta__s3_object_info *info, sparta_error_slot *err);
int sparta__s3_put_object(sparta__aws_client *c, const char *bucket, const char *key,
                          const void *data, size_t length, const char *content_type,
                          sparta_error_slot *err);
/* PutObject, or a multipart upload over SPARTA__S3_MULTIPART_THRESHOLD. */
int sparta__s3_upload_file(sparta__aws_client *c, const char *bucket, const char *key,
                           const char *path, const char *content_type, sparta_error_slot *err);
/* HEADs first; uploads only when absent. *uploaded says which happened. */
int sparta__s3_upload_file_if_absent(sparta__aws_client *c, const char *bucket, const char *key,
                                     const char *path, int *uploaded, sparta_error_slot *err);
/* HeadBucket with clear errors: missing bucket, bucket in another region,
 * no access. */
int sparta__s3_check_bucket(sparta__aws_client *c, const char *bucket, sparta_error_slot *err);
/* *status: "Enabled", "Suspended" or "" (never versioned); caller frees. */
int sparta__s3_get_bucket_versioning(sparta__aws_client *c, const char *bucket, char **status,
                                     sparta_error_slot *err);
/* CreateBucket in the client's region (tests and the demo use it). */
int sparta__s3_create_bucket(sparta__aws_client *c, const char *bucket, sparta_error_slot *err);
/* https://BUCKET.s3.REGION.amazonaws.com/KEY: the TemplateURL form both
 * CloudFormation and moto accept. Caller frees. */
char *sparta__s3_object_url(const sparta__aws_client *c, const char *bucket, const char *key);

#endif
