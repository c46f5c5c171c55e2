/* Helpers for the lambda plugin suite: a service folder with code, runs
 * through the embedding API, golden files and one batched cfn-lint. */
#ifndef LP_SUPPORT_H
#define LP_SUPPORT_H

#include <stddef.h>

/* A fresh service folder holding:
 *   hello/bootstrap  (0755 script)       world/bootstrap (0755 script)
 *   bin/bootstrap    (0755 script)       worker          (0755 single file)
 *   app.py           (0644)              plain           (0644 file, not executable)
 *   nobootstrap/readme.txt */
char *lp_service_new(void);
/* Writes DIR/sparta.cfg: the service header (name `service`, bucket
 * "artifacts-bucket"), plugins enabled = ["lambda"], then `lambda_text`. */
void lp_write_config(const char *dir, const char *service, const char *lambda_text);

/* Copies tests/lambda_plugin/configs/NAME.cfg to DIR/sparta.cfg. */
void lp_copy_config(const char *dir, const char *name);

typedef struct lp_result {
    int status;       /* sparta_host_run's exit status */
    char *template_json; /* NULL unless the run succeeded */
    char *error;      /* the host's last error message, "" on success */
    char *log;        /* captured log lines */
} lp_result;

/* Runs `provision --noop --outputDir OUT` on DIR/sparta.cfg in-process. */
lp_result lp_provision(const char *dir, const char *out_dir);
void lp_result_free(lp_result *r);
/* Synthesis that must fail; returns the error message (caller frees). */
char *lp_error(const char *dir, const char *service, const char *lambda_text);

/* Compares text with tests/golden/lambda/NAME.json; SPARTA_UPDATE_GOLDEN=1 rewrites it. */
void lp_golden(const char *name, const char *text);
/* Queues a template for the suite's single cfn-lint run (lp_lint_all). */
void lp_lint_add(const char *name, const char *text);
/* Lints every queued template with the no-wildcard rule: no errors, no warnings. */
void lp_lint_all(void);
void lp_cleanup(void);

/* The S3Key string of function ID (e.g. "HelloFunction") in a template, or NULL; caller frees. */
char *lp_s3_key(const char *template_json, const char *function_id);
/* Occurrences of needle in haystack. */
size_t lp_count(const char *haystack, const char *needle);

#endif
