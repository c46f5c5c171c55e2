#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* timegm */
#endif
#include "aws/credentials.h"

#include <ctype.h>
#include <curl/curl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aws/assume_role.h"
#include "aws/credential_process.h"
#include "buffer.h"

void sparta__aws_credentials_clear(sparta__aws_credentials *c) {
    if (!c) return;
    char *secrets[] = {c->access_key_id, c->secret_access_key, c->session_token};
    for (size_t i = 0; i < 3; i++)
        if (secrets[i]) {
            memset(secrets[i], 0, strlen(secrets[i]));
            free(secrets[i]);
        }
    memset(c, 0, sizeof *c);
}

time_t sparta__aws_parse_time(const char *iso) {
    struct tm tm = {0};
    if (!iso || sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                       &tm.tm_min, &tm.tm_sec) != 6)
        return 0;
    if (tm.tm_year < 1970 || tm.tm_year > 9999 || tm.tm_mon < 1 || tm.tm_mon > 12) return 0;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

static int set_keys(sparta__aws_credentials *out, const char *id, const char *secret,
                    const char *token) {
    out->access_key_id = strdup(id);
    out->secret_access_key = strdup(secret);
    out->session_token = token && *token ? strdup(token) : NULL;
    if (!out->access_key_id || !out->secret_access_key || (token && *token && !out->session_token))
        return SPARTA_ENOMEM;
    return 0;
}

int sparta__aws_credentials_copy(const sparta__aws_credentials *from, sparta__aws_credentials *to) {
    memset(to, 0, sizeof *to);
    int rc = from->access_key_id && from->secret_access_key
                 ? set_keys(to, from->access_key_id, from->secret_access_key, from->session_token)
                 : SPARTA_ENOMEM;
    if (rc) {
        sparta__aws_credentials_clear(to);
        return rc;
    }
    to->expiration = from->expiration;
    snprintf(to->source, sizeof to->source, "%s", from->source);
    return 0;
}

static int is_true(const char *v) { return v && (!strcasecmp(v, "true") || !strcmp(v, "1")); }

/* ---- a tiny HTTP client for the metadata endpoints ----------------------
 * Separate from the signed client: no retries beyond one, short timeouts,
 * and the bodies (which hold keys) are never logged. */

static size_t collect(char *data, size_t size, size_t n, void *user) {
    sparta_buffer *b = user;
    if (b->length + size * n > 1 << 20) return 0; /* metadata answers are small */
    sparta__buffer_put(b, data, size * n);
    return size * n;
}

/* Returns the HTTP status (body in *body), or -1 on a connection fault
 * (reason in `why`). */
static long metadata_http(const char *method, const char *url, struct curl_slist *headers,
                          long timeout_ms, char **body, char *why, size_t why_len) {
    CURL *h = curl_easy_init();
    if (!h) {
        snprintf(why, why_len, "could not start libcurl");
        return -1;
    }
    sparta_buffer b = SPARTA_BUFFER_INIT;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (!strcmp(method, "PUT")) curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*"); /* metadata is link-local: never via a proxy */
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    CURLcode rc = curl_easy_perform(h);
    long status = -1;
    if (rc == CURLE_OK) {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        *body = sparta__buffer_take(&b, NULL);
    } else {
        snprintf(why, why_len, "%s", curl_easy_strerror(rc));
        sparta__buffer_free(&b);
    }
    curl_easy_cleanup(h);
    return status;
}

/* {"AccessKeyId", "SecretAccessKey", "Token", "Expiration"} as both the
 * container endpoint and IMDS answer. */
static int parse_metadata_keys(const char *body, sparta__aws_credentials *out, char *why, size_t why_len) {
    json_object *j = json_tokener_parse(body);
    json_object *id = NULL, *secret = NULL, *token = NULL, *exp = NULL;
    if (!j || !json_object_object_get_ex(j, "AccessKeyId", &id) ||
        !json_object_object_get_ex(j, "SecretAccessKey", &secret)) {
        snprintf(why, why_len, "answer is not a credentials document");
        json_object_put(j);
        return -1;
    }
    json_object_object_get_ex(j, "Token", &token);
    json_object_object_get_ex(j, "Expiration", &exp);
    int rc = set_keys(out, json_object_get_string(id), json_object_get_string(secret),
                      token ? json_object_get_string(token) : NULL);
    if (exp) out->expiration = sparta__aws_parse_time(json_object_get_string(exp));
    json_object_put(j);
    return rc;
}

/* The container provider may only talk plain HTTP to addresses on this host
 * (or the ECS/EKS agents), as the SDKs require, so a stray variable cannot
 * send the token elsewhere in clear text. */
static int full_uri_allowed(const char *url) {
    if (!strncasecmp(url, "https://", 8)) return 1;
    if (strncasecmp(url, "http://", 7)) return 0;
    const char *host = url + 7;
    const char *allowed[] = {"127.", "localhost:", "localhost/", "[::1]", "169.254.170.2:",
                             "169.254.170.2/", "169.254.170.23:", "169.254.170.23/", "[fd00:ec2::23]"};
    for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++)
        if (!strncasecmp(host, allowed[i], strlen(allowed[i]))) return 1;
    return !strcasecmp(host, "localhost") || !strcmp(host, "169.254.170.2") ||
           !strcmp(host, "169.254.170.23");
}

static char *read_token_file(const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    while (n && isspace((unsigned char)buf[n - 1])) buf[--n] = '\0';
    return strdup(buf);
}

/* 1: found, 0: not configured (why set), -1: configured but failed (why set). */
static int from_container(long timeout_ms, sparta__aws_credentials *out, char *why, size_t why_len) {
    const char *rel = getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    const char *full = getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    char url[2048];
    if (rel && *rel) {
        snprintf(url, sizeof url, "http://169.254.170.2%s", rel);
    } else if (full && *full) {
        if (!full_uri_allowed(full)) {
            snprintf(why, why_len, "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https or a loopback "
                                   "address, got %s", full);
            return -1;
        }
        snprintf(url, sizeof url, "%s", full);
    } else {
        snprintf(why, why_len, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI/_FULL_URI not set");
        return 0;
    }
    struct curl_slist *headers = NULL;
    const char *token_file = getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    char *token = token_file && *token_file ? read_token_file(token_file) : NULL;
    if (token_file && *token_file && !token) {
        snprintf(why, why_len, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s", token_file);
        return -1;
    }
    if (!token && getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN"))
        token = strdup(getenv("AWS_CONTAINER_AUTHORIZATION_TOKEN"));
    if (token && *token) {
        char *h = NULL;
        if (asprintf(&h, "Authorization: %s", token) >= 0) {
            headers = curl_slist_append(headers, h);
            memset(h, 0, strlen(h));
            free(h);
        }
    }
    if (token) memset(token, 0, strlen(token));
    free(token);
    char *body = NULL, err[256] = "";
    long status = metadata_http("GET", url, headers, timeout_ms, &body, err, sizeof err);
    curl_slist_free_all(headers);
    int rc = -1;
    if (status < 0) snprintf(why, why_len, "%.700s: %.250s", url, err);
    else if (status != 200) snprintf(why, why_len, "%.700s answered HTTP %ld", url, status);
    else if (parse_metadata_keys(body, out, err, sizeof err) == 0) rc = 1;
    else snprintf(why, why_len, "%.700s: %.250s", url, err);
    if (body) memset(body, 0, strlen(body));
    free(body);
    return rc;
}

static int from_imds(long timeout_ms, sparta__aws_credentials *out, char *why, size_t why_len) {
    if (is_true(getenv("AWS_EC2_METADATA_DISABLED"))) {
        snprintf(why, why_len, "disabled by AWS_EC2_METADATA_DISABLED");
        return 0;
    }
    const char *base = getenv("AWS_EC2_METADATA_SERVICE_ENDPOINT");
    if (!base || !*base) base = "http://169.254.169.254";
    size_t blen = strlen(base);
    while (blen && base[blen - 1] == '/') blen--;
    char url[2048], err[256] = "";
    char *token = NULL, *role = NULL, *doc = NULL;
    int rc = -1;
    snprintf(url, sizeof url, "%.*s/latest/api/token", (int)blen, base);
    struct curl_slist *h = curl_slist_append(NULL, "X-aws-ec2-metadata-token-ttl-seconds: 21600");
    long status = metadata_http("PUT", url, h, timeout_ms, &token, err, sizeof err);
    curl_slist_free_all(h);
    if (status != 200) {
        if (status < 0) snprintf(why, why_len, "%.700s: %.250s", url, err);
        else snprintf(why, why_len, "%.700s answered HTTP %ld", url, status);
        goto done;
    }
    char th[4200];
    snprintf(th, sizeof th, "X-aws-ec2-metadata-token: %s", token);
    h = curl_slist_append(NULL, th);
    memset(th, 0, sizeof th);
    snprintf(url, sizeof url, "%.*s/latest/meta-data/iam/security-credentials/", (int)blen, base);
    status = metadata_http("GET", url, h, timeout_ms, &role, err, sizeof err);
    if (status != 200 || !role || !*role) {
        if (status == 404) snprintf(why, why_len, "this instance has no IAM role");
        else if (status < 0) snprintf(why, why_len, "%.700s: %.250s", url, err);
        else snprintf(why, why_len, "%.700s answered HTTP %ld", url, status);
        curl_slist_free_all(h);
        goto done;
    }
    role[strcspn(role, "\r\n")] = '\0';
    snprintf(url, sizeof url, "%.*s/latest/meta-data/iam/security-credentials/%s", (int)blen, base, role);
    status = metadata_http("GET", url, h, timeout_ms, &doc, err, sizeof err);
    curl_slist_free_all(h);
    if (status != 200) {
        snprintf(why, why_len, "%.700s answered %ld", url, status);
        goto done;
    }
    if (parse_metadata_keys(doc, out, err, sizeof err) == 0) rc = 1;
    else snprintf(why, why_len, "%s", err);
done:
    if (token) memset(token, 0, strlen(token));
    if (doc) memset(doc, 0, strlen(doc));
    free(token);
    free(role);
    free(doc);
    return rc;
}

#define MAX_ROLE_HOPS 5

/* role_arn: the source keys (source_profile, or credential_source), then
 * STS AssumeRole with them. */
static int from_role(const sparta__aws_credentials_options *o, const sparta__aws_profile *p,
                     sparta__aws_credentials *out, sparta_error_slot *err) {
    if (o->depth >= MAX_ROLE_HOPS)
        return sparta__error_set(err, SPARTA_EAWS,
                                 "profile '%s': more than %d source_profile hops to reach keys; is there a cycle "
                                 "of source_profile settings?",
                                 p->name, MAX_ROLE_HOPS);
    const char *source_name = sparta__aws_profile_get(p, "source_profile");
    const char *credential_source = sparta__aws_profile_get(p, "credential_source");
    if (!source_name == !credential_source)
        return sparta__error_set(err, SPARTA_EAWS,
                                 "profile '%s': role_arn needs exactly one of source_profile or credential_source "
                                 "(Environment, EcsContainer or Ec2InstanceMetadata)",
                                 p->name);
    sparta__aws_credentials source;
    memset(&source, 0, sizeof source);
    char why[1024] = "";
    int rc = 0;
    if (source_name) {
        sparta__aws_profile sp;
        rc = sparta__aws_profile_load(source_name, &sp, err);
        if (!rc) {
            sparta__aws_credentials_options so = {&sp, o->metadata_timeout_ms, o->logger, 1, o->depth + 1};
            rc = sparta__aws_credentials_resolve(&so, &source, err);
            sparta__aws_profile_free(&sp);
        }
        if (rc) sparta__error_prefix(err, "profile '%s': its source_profile '%s'", p->name, source_name);
    } else if (!strcasecmp(credential_source, "Environment")) {
        const char *id = getenv("AWS_ACCESS_KEY_ID"), *secret = getenv("AWS_SECRET_ACCESS_KEY");
        if (!id || !*id || !secret || !*secret)
            rc = sparta__error_set(err, SPARTA_EAWS,
                                   "profile '%s': credential_source = Environment, but AWS_ACCESS_KEY_ID and "
                                   "AWS_SECRET_ACCESS_KEY are not both set",
                                   p->name);
        else if ((rc = set_keys(&source, id, secret, getenv("AWS_SESSION_TOKEN"))) == 0)
            snprintf(source.source, sizeof source.source, "environment");
    } else if (!strcasecmp(credential_source, "EcsContainer") || !strcasecmp(credential_source, "Ec2InstanceMetadata")) {
        int container = !strcasecmp(credential_source, "EcsContainer");
        long timeout = o->metadata_timeout_ms > 0 ? o->metadata_timeout_ms : 1000;
        if ((container ? from_container : from_imds)(timeout, &source, why, sizeof why) == 1)
            snprintf(source.source, sizeof source.source, "%s", container ? "container credentials" : "EC2 instance metadata");
        else
            rc = sparta__error_set(err, SPARTA_EAWS, "profile '%s': credential_source = %s gave no keys: %s", p->name,
                                   credential_source, why);
    } else {
        rc = sparta__error_set(err, SPARTA_EAWS,
                               "profile '%s': credential_source '%s' is not one of Environment, EcsContainer or "
                               "Ec2InstanceMetadata",
                               p->name, credential_source);
    }
    if (!rc) rc = sparta__aws_assume_role(p, &source, o->logger, out, err);
    sparta__aws_credentials_clear(&source);
    return rc;
}

int sparta__aws_credentials_resolve(const sparta__aws_credentials_options *o,
                                    sparta__aws_credentials *out, sparta_error_slot *err) {
    memset(out, 0, sizeof *out);
    sparta_logger *lg = o ? o->logger : NULL;
    const sparta__aws_profile *p = o ? o->profile : NULL;
    long timeout = o && o->metadata_timeout_ms > 0 ? o->metadata_timeout_ms : 1000;
    sparta_buffer tried = SPARTA_BUFFER_INIT;
    char why[1024];
    int rc;

    /* 1. Environment; skipped when a profile was named on the command line,
     *    as botocore does (AWS_PROFILE does not skip it). */
    const char *id = getenv("AWS_ACCESS_KEY_ID"), *secret = getenv("AWS_SECRET_ACCESS_KEY");
    if (p && p->explicit_name) {
        sparta__buffer_printf(&tried, "\n  - environment: skipped, profile '%s' was named explicitly", p->name);
    } else if (id && *id && secret && *secret) {
        if ((rc = set_keys(out, id, secret, getenv("AWS_SESSION_TOKEN"))) != 0) goto fail_oom;
        snprintf(out->source, sizeof out->source, "environment");
        goto found;
    } else if ((id && *id) || (secret && *secret)) {
        sparta__buffer_free(&tried);
        return sparta__error_set(err, SPARTA_EAWS,
                                 "AWS credentials in the environment are incomplete: %s is set but %s "
                                 "is not; set both or neither",
                                 id && *id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                                 id && *id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
    } else {
        sparta__buffer_puts(&tried, "\n  - environment: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY not set");
    }

    /* 2. Shared profile files. A role_arn comes first, as in the AWS CLI,
     *    except in a source_profile, whose own keys end a chain of roles. */
    if (p) {
        const char *pid = sparta__aws_profile_get(p, "aws_access_key_id");
        const char *psecret = sparta__aws_profile_get(p, "aws_secret_access_key");
        if (sparta__aws_profile_get(p, "role_arn") && !(o->depth > 0 && pid && psecret)) {
            rc = from_role(o, p, out, err);
            if (rc == 0) goto found;
            sparta__buffer_free(&tried);
            return rc;
        }
        if (pid && psecret) {
            if ((rc = set_keys(out, pid, psecret, sparta__aws_profile_get(p, "aws_session_token"))) != 0)
                goto fail_oom;
            snprintf(out->source, sizeof out->source, "profile %s", p->name);
            goto found;
        }
        /* An outside program that prints the keys: its failure is final, as in
         * the AWS CLI, rather than a quiet fall-through to other sources. */
        const char *process = sparta__aws_profile_get(p, "credential_process");
        if (process) {
            rc = sparta__aws_credential_process(p->name, process, out, err);
            if (rc == 0) goto found;
            sparta__buffer_free(&tried);
            return rc;
        }
        const char *unsupported =
            sparta__aws_profile_get(p, "sso_session") || sparta__aws_profile_get(p, "sso_start_url") ? "AWS SSO" : NULL;
        if (unsupported)
            sparta__buffer_printf(&tried, "\n  - profile '%s': uses %s, which sparta does not support yet "
                                          "(export the keys, e.g. `aws configure export-credentials --format env`)",
                                  p->name, unsupported);
        else
            sparta__buffer_printf(&tried, "\n  - profile '%s' in %s and %s: %s", p->name, p->credentials_path,
                                  p->config_path, p->found ? "no aws_access_key_id/aws_secret_access_key" : "no such section");
    }

    if (o && o->profile_only) {
        rc = sparta__error_set(err, SPARTA_EAWS, "AWS profile '%s' has no keys to offer:%s", p ? p->name : "",
                               tried.data ? tried.data : "");
        sparta__buffer_free(&tried);
        return rc;
    }

    /* 3. Container endpoint (CodeBuild, ECS, EKS pod identity). */
    rc = from_container(timeout, out, why, sizeof why);
    if (rc == 1) {
        snprintf(out->source, sizeof out->source, "container credentials");
        goto found;
    }
    sparta__aws_credentials_clear(out);
    sparta__buffer_printf(&tried, "\n  - container credentials: %s", why);

    /* 4. EC2 instance metadata, IMDSv2. */
    rc = from_imds(timeout, out, why, sizeof why);
    if (rc == 1) {
        snprintf(out->source, sizeof out->source, "EC2 instance metadata");
        goto found;
    }
    sparta__aws_credentials_clear(out);
    sparta__buffer_printf(&tried, "\n  - EC2 instance metadata (IMDSv2): %s", why);

    rc = sparta__error_set(err, SPARTA_EAWS,
                           "no AWS credentials found. Tried, in order:%s\nSet AWS_ACCESS_KEY_ID and "
                           "AWS_SECRET_ACCESS_KEY, or name a profile with --profile / AWS_PROFILE",
                           tried.data ? tried.data : "");
    sparta__buffer_free(&tried);
    return rc;

found:
    sparta__buffer_free(&tried);
    /* Only where the keys came from and the public key ID prefix: never the secret. */
    if (lg) sparta__log(lg, SPARTA_LOG_DEBUG, "AWS credentials resolved", "source", out->source,
                        "session", out->session_token ? "temporary" : "long-term", (char *)NULL);
    return 0;
fail_oom:
    sparta__buffer_free(&tried);
    sparta__aws_credentials_clear(out);
    return sparta__error_set(err, SPARTA_ENOMEM, "out of memory reading AWS credentials");
}
