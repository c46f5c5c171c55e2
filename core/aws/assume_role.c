/* See assume_role.h. AssumeRole is a Query API call (STS 2011-06-15); its
 * answer's AssumeRoleResult/Credentials holds the keys. */
#include "aws/assume_role.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/http.h"
#include "aws/xml.h"

#define STS_VERSION "2011-06-15"

/* The keys from an AssumeRole answer; NULL, or what is missing. */
static const char *read_keys(const sparta__aws_response *resp, sparta__aws_credentials *out) {
    xmlDocPtr doc = sparta__xml_parse(resp->body, resp->body_length);
    xmlNodePtr keys = doc ? sparta__xml_find(xmlDocGetRootElement(doc), "AssumeRoleResult/Credentials") : NULL;
    char *expiration = keys ? sparta__xml_text(keys, "Expiration") : NULL;
    out->access_key_id = keys ? sparta__xml_text(keys, "AccessKeyId") : NULL;
    out->secret_access_key = keys ? sparta__xml_text(keys, "SecretAccessKey") : NULL;
    out->session_token = keys ? sparta__xml_text(keys, "SessionToken") : NULL;
    out->expiration = sparta__aws_parse_time(expiration);
    free(expiration);
    if (doc) xmlFreeDoc(doc);
    if (!keys) return "the answer has no AssumeRoleResult/Credentials";
    if (!out->access_key_id || !out->secret_access_key || !out->session_token)
        return "the answer's Credentials lack AccessKeyId, SecretAccessKey or SessionToken";
    if (!out->expiration) return "the answer's Credentials have no valid Expiration";
    return NULL;
}

int sparta__aws_assume_role(const sparta__aws_profile *role_profile, const sparta__aws_credentials *source,
                            sparta_logger *logger, sparta__aws_credentials *out, sparta_error_slot *err) {
    memset(out, 0, sizeof *out);
    const char *role_arn = sparta__aws_profile_get(role_profile, "role_arn");
    if (sparta__aws_profile_get(role_profile, "mfa_serial"))
        return sparta__error_set(err, SPARTA_EAWS,
                                 "profile '%s': role_arn with mfa_serial needs a one-time code, and sparta does not "
                                 "prompt for one; assume the role first (aws sts assume-role ... --token-code) and "
                                 "export its keys",
                                 role_profile->name);
    sparta__aws_client_options o = SPARTA__AWS_CLIENT_OPTIONS_INIT;
    o.profile = role_profile->name;
    o.fallback_region = "us-east-1";
    o.logger = logger;
    o.credentials = source;
    sparta__aws_client *sts = NULL;
    int rc = sparta__aws_client_new(&o, &sts, err);
    if (rc) return rc;

    sparta__aws_kvlist params = {0};
    const char *session = sparta__aws_profile_get(role_profile, "role_session_name");
    const char *duration = sparta__aws_profile_get(role_profile, "duration_seconds");
    const char *external_id = sparta__aws_profile_get(role_profile, "external_id");
    rc = sparta__aws_kvlist_add(&params, "RoleArn", role_arn);
    if (!rc && session) rc = sparta__aws_kvlist_add(&params, "RoleSessionName", session);
    if (!rc && !session) rc = sparta__aws_kvlist_addf(&params, "RoleSessionName", "sparta-%lld", (long long)time(NULL));
    if (!rc && duration) rc = sparta__aws_kvlist_add(&params, "DurationSeconds", duration);
    if (!rc && external_id) rc = sparta__aws_kvlist_add(&params, "ExternalId", external_id);
    if (rc) rc = sparta__error_set(err, SPARTA_ENOMEM, "out of memory");

    sparta__aws_response resp = {0};
    if (!rc) rc = sparta__aws_query_call(sts, "sts", "AssumeRole", STS_VERSION, &params, &resp, err);
    if (rc == SPARTA_EAWS)
        sparta__error_prefix(err, "profile '%s': cannot assume role %s with the keys of %s", role_profile->name,
                             role_arn, source->source);
    const char *missing = rc ? NULL : read_keys(&resp, out);
    if (missing)
        rc = sparta__error_set(err, SPARTA_EAWS, "profile '%s': AssumeRole %s answered, but %s", role_profile->name,
                               role_arn, missing);
    if (rc) sparta__aws_credentials_clear(out);
    else snprintf(out->source, sizeof out->source, "profile %s (role %.100s)", role_profile->name, role_arn);
    sparta__aws_response_free(&resp);
    sparta__aws_kvlist_free(&params);
    sparta__aws_client_free(sts);
    return rc;
}
