/* Helpers for the pipeline suite: a service folder with a sparta.cfg that
 * enables lambda, codebuild and codepipeline (sparta runs in it through
 * test_service_sparta); golden files; cfn-lint; the Python checks in
 * pipeline_check.py. */
#ifndef SPARTA_TEST_PIPELINE_SUPPORT_H
#define SPARTA_TEST_PIPELINE_SUPPORT_H

#include "test_service.h"
#include "test_support.h"

#define PL_BUCKET "sparta-pipeline-artifacts"
#define PL_CONNECTION "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
#define PL_REPO "https://github.com/acme/hello/tree/main"

/* The service every test starts from: two functions, two environments. */
extern const char *const pl_codebuild_cfg;
extern const char *const pl_codepipeline_cfg;

/* The current service: pl_svc.dir is a fresh folder per pl_service call.
 * main opens and closes it. */
extern test_service pl_svc;

/* A fresh folder with bootstrap binaries and a sparta.cfg made of the
 * service group, plugins, the lambda group and the given groups. */
void pl_service(const char *codebuild_group, const char *codepipeline_group);
/* A file of pl_svc.dir (NULL when missing); caller frees. */
char *pl_read(const char *relative);
/* Compares text with tests/golden/pipeline/NAME (SPARTA_UPDATE_GOLDEN=1 rewrites it). */
void pl_golden(const char *name, const char *text);
/* cfn-lint with the no-wildcard-actions rules; returns its exit status. */
int pl_lint(const char *relative);
/* python3 tests/pipeline/pipeline_check.py ARGS; output in *out. */
int pl_check(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Is the named plugin built? (lambda may be left out of SPARTA_PLUGINS) */
int pl_plugin_built(const char *name);

#endif
