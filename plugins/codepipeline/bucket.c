/* The pipeline's artifact bucket: versioned (CodePipeline needs it),
 * encrypted at rest (SSE-S3), private, TLS only, and kept when the stack is
 * deleted or the bucket replaced, so no build or archive is lost. It also
 * holds the code archives the build uploads ($ARTIFACT_BUCKET). */
#include "codepipeline.h"

static sparta_value *object1(sparta_graph *g, const char *key, sparta_value *v) {
    sparta_value *o = API->new_object(g);
    API->object_set(o, key, v);
    return o;
}

static sparta_value *bucket_properties(sparta_graph *g) {
    sparta_value *sse = API->new_array(g);
    API->array_push(sse, object1(g, "ServerSideEncryptionByDefault",
                                 object1(g, "SSEAlgorithm", API->new_string(g, "AES256"))));
    sparta_value *block = API->new_object(g);
    API->object_set(block, "BlockPublicAcls", API->new_bool(g, 1));
    API->object_set(block, "BlockPublicPolicy", API->new_bool(g, 1));
    API->object_set(block, "IgnorePublicAcls", API->new_bool(g, 1));
    API->object_set(block, "RestrictPublicBuckets", API->new_bool(g, 1));
    sparta_value *rules = API->new_array(g);
    API->array_push(rules, object1(g, "ObjectOwnership", API->new_string(g, "BucketOwnerEnforced")));

    sparta_value *props = API->new_object(g);
    API->object_set(props, "BucketEncryption", object1(g, "ServerSideEncryptionConfiguration", sse));
    API->object_set(props, "VersioningConfiguration", object1(g, "Status", API->new_string(g, "Enabled")));
    API->object_set(props, "PublicAccessBlockConfiguration", block);
    API->object_set(props, "OwnershipControls", object1(g, "Rules", rules));
    return props;
}

/* Denies every request that does not come over TLS. */
static sparta_value *tls_only_policy(sparta_graph *g) {
    sparta_value *resources = API->new_array(g);
    API->array_push(resources, API->get_att(g, "ArtifactBucket", "Arn"));
    API->array_push(resources, API->sub(g, "${ArtifactBucket.Arn}/*"));
    sparta_value *deny = API->new_object(g);
    API->object_set(deny, "Sid", API->new_string(g, "DenyInsecureTransport"));
    API->object_set(deny, "Effect", API->new_string(g, "Deny"));
    API->object_set(deny, "Principal", API->new_string(g, "*"));
    API->object_set(deny, "Action", API->new_string(g, "s3:*"));
    API->object_set(deny, "Resource", resources);
    API->object_set(deny, "Condition",
                    object1(g, "Bool", object1(g, "aws:SecureTransport", API->new_string(g, "false"))));
    sparta_value *statements = API->new_array(g);
    API->array_push(statements, deny);
    sparta_value *document = API->new_object(g);
    API->object_set(document, "Version", API->new_string(g, "2012-10-17"));
    API->object_set(document, "Statement", statements);
    sparta_value *props = API->new_object(g);
    API->object_set(props, "Bucket", API->ref(g, "ArtifactBucket"));
    API->object_set(props, "PolicyDocument", document);
    return props;
}

int cp_bucket_add(sparta_plugin *p, sparta_graph *g, const cp_plan *plan) {
    sparta_resource *bucket = API->resource_add(p, g, "ArtifactBucket", "AWS::S3::Bucket", bucket_properties(g));
    if (!bucket) return SPARTA_EGRAPH;
    API->resource_set(bucket, "DeletionPolicy", API->new_string(g, "Retain"));
    API->resource_set(bucket, "UpdateReplacePolicy", API->new_string(g, "Retain"));
    return API->resource_add(p, g, "ArtifactBucketPolicy", "AWS::S3::BucketPolicy", tls_only_policy(g))
               ? 0
               : SPARTA_EGRAPH;
}
