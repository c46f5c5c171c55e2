/* The pipeline's GitHub credentials, exactly one of:
 *  --connectionArn ARN     a CodeStar/CodeConnections connection (preferred)
 *  --githubTokenSecret ID  an OAuth token in Secrets Manager (JSON key "token"),
 *                          resolved by CloudFormation: {{resolve:secretsmanager:...}}
 *  --oauth TOKEN|@FILE     an OAuth token (or $SPARTA_GITHUB_TOKEN), passed only as
 *                          the NoEcho parameter GitHubOAuthToken at converge time.
 * A token never reaches a template, an archive, a log line or the output. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codepipeline.h"

#define CHOICES "--connectionArn ARN (preferred), --githubTokenSecret NAME, or --oauth @FILE / $" CP_TOKEN_ENV

static int connection_arn_valid(const char *arn) {
    /* arn:PARTITION:codestar-connections|codeconnections:REGION:ACCOUNT:connection/ID */
    const char *q = arn;
    if (strncmp(q, "arn:", 4) != 0) return 0;
    q += 4;
    q = strchr(q, ':');
    if (!q) return 0;
    q++;
    if (strncmp(q, "codestar-connections:", 21) == 0) q += 21;
    else if (strncmp(q, "codeconnections:", 16) == 0) q += 16;
    else return 0;
    const char *region = q;
    q = strchr(q, ':');
    if (!q || q == region) return 0;
    const char *account = q + 1;
    q = strchr(account, ':');
    if (!q || q - account != 12) return 0;
    for (const char *d = account; d < q; d++)
        if (!isdigit((unsigned char)*d)) return 0;
    if (strncmp(q + 1, "connection/", 11) != 0 || !q[12]) return 0;
    for (const char *c = q + 12; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '-') return 0;
    return 1;
}

static int secret_id_valid(const char *s) {
    size_t n = strlen(s);
    if (n == 0 || n > 2048) return 0;
    for (const char *q = s; *q; q++)
        if (!isalnum((unsigned char)*q) && !strchr("/_+=.@-:", *q)) return 0;
    return 1;
}

/* Reads a token file: its first line, without the newline. */
static int read_token_file(sparta_plugin *p, const char *path, char **out) {
    FILE *f = fopen(path, "r");
    if (!f) return API->error(p, SPARTA_EUSAGE, "--oauth @%s: cannot read the token file: %s", path, strerror(errno));
    char line[4096];
    if (!fgets(line, sizeof line, f)) line[0] = '\0';
    fclose(f);
    line[strcspn(line, "\r\n")] = '\0';
    *out = strdup(line);
    memset(line, 0, sizeof line);
    return *out ? 0 : SPARTA_ENOMEM;
}

static int token_valid(const char *t) {
    if (!*t) return 0;
    for (const char *q = t; *q; q++)
        if ((unsigned char)*q <= ' ' || (unsigned char)*q >= 0x7f) return 0;
    return 1;
}

int cp_source_read(sparta_plugin *p, const sparta_invocation *inv, cp_source *out) {
    memset(out, 0, sizeof *out);
    const char *arn = API->flag_string(inv, "connectionArn");
    const char *secret = API->flag_string(inv, "githubTokenSecret");
    const char *oauth = API->flag_string(inv, "oauth");
    const char *env = getenv(CP_TOKEN_ENV);
    int given = (arn != NULL) + (secret != NULL) + (oauth != NULL);
    if (given > 1)
        return API->error(p, SPARTA_EUSAGE, "give one source credential, not %d: " CHOICES, given);
    if (arn) {
        if (!*arn) return API->error(p, SPARTA_EUSAGE, "--connectionArn is empty: " CHOICES);
        if (!connection_arn_valid(arn))
            return API->error(p, SPARTA_EUSAGE,
                              "--connectionArn '%s' is not a connection ARN "
                              "(arn:aws:codeconnections:REGION:ACCOUNT:connection/ID); create one in the console "
                              "under Developer Tools > Settings > Connections",
                              arn);
        out->kind = CP_SOURCE_CONNECTION;
        out->connection_arn = arn;
        return 0;
    }
    if (secret) {
        if (!*secret) return API->error(p, SPARTA_EUSAGE, "--githubTokenSecret is empty: " CHOICES);
        if (!secret_id_valid(secret))
            return API->error(p, SPARTA_EUSAGE, "--githubTokenSecret '%s' is not a Secrets Manager name or ARN",
                              secret);
        out->kind = CP_SOURCE_SECRET;
        out->secret = secret;
        return 0;
    }
    out->kind = CP_SOURCE_OAUTH;
    if (oauth && oauth[0] == '@') {
        int rc = read_token_file(p, oauth + 1, &out->token);
        if (rc != 0) return rc;
        if (!*out->token) {
            cp_source_free(out);
            return API->error(p, SPARTA_EUSAGE, "--oauth @%s: the token file is empty: " CHOICES, oauth + 1);
        }
    } else if (oauth) {
        if (!*oauth) return API->error(p, SPARTA_EUSAGE, "--oauth is empty: " CHOICES);
        API->log(p, SPARTA_LOG_WARN, "--oauth TOKEN puts the token in the process list: prefer --oauth @FILE, $"
                 CP_TOKEN_ENV ", or --githubTokenSecret");
        out->token = strdup(oauth);
    } else if (env) {
        if (!*env) return API->error(p, SPARTA_EUSAGE, "$" CP_TOKEN_ENV " is empty: " CHOICES);
        out->token = strdup(env);
    } else {
        return API->error(p, SPARTA_EUSAGE, "provisionPipeline needs GitHub credentials: " CHOICES);
    }
    if (!out->token) return API->error(p, SPARTA_ENOMEM, "out of memory");
    if (!token_valid(out->token)) {
        cp_source_free(out);
        return API->error(p, SPARTA_EUSAGE, "the GitHub token has spaces or control characters: check it");
    }
    return 0;
}

void cp_source_free(cp_source *s) {
    if (s->token) {
        memset(s->token, 0, strlen(s->token));
        free(s->token);
    }
    memset(s, 0, sizeof *s);
}
