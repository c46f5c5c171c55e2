/* sparta describe: the service (or any template file) as a picture. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "builtin.h"
#include "file_replace.h"
#include "command/command.h"
#include "describe/describe.h"

/* describe changes nothing in AWS: without a bucket the template shows this. */
#define DESCRIBE_NO_BUCKET "s3-bucket-not-set"

/* --format when it names a describe format, else the --out extension, else html. */
static int choose_format(sparta_host *host, const sparta_invocation *inv, const char *out,
                         sparta_describe_format *format) {
    const char *name = sparta__invocation_flag_string(inv, "format");
    if (name && sparta__invocation_flag_is_set(inv, "format") && strcmp(name, "text") != 0) {
        if (sparta__describe_format_parse(name, format) != 0)
            return sparta__error_set(&host->error, SPARTA_EUSAGE,
                                     "--format '%s' is not a describe format: use html, svg, dot or json", name);
        return 0;
    }
    if (out && strcmp(out, "-") != 0 && sparta__describe_format_from_path(out, format) == 0) return 0;
    *format = SPARTA_DESCRIBE_HTML;
    return 0;
}

static int make_dirs(sparta_host *host, const char *path) {
    if (sparta__make_dirs(path) == 0) return 0;
    return sparta__error_set(&host->error, SPARTA_EIO,
                             "cannot create the output directory %s: %s; pick another with --outputDir or pass "
                             "--out FILE",
                             path, strerror(errno));
}

/* "pipeline.template.json" -> "pipeline". */
static char *stack_from_path(const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    static const char *const suffixes[] = {".template.json", ".json"};
    for (size_t i = 0; i < 2; i++) {
        size_t s = strlen(suffixes[i]);
        if (n > s && strcmp(base + n - s, suffixes[i]) == 0) {
            n -= s;
            break;
        }
    }
    return strndup(base, n);
}

static int load_template_file(sparta_host *host, const char *path, const char *stack, sparta_describe_model *m) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return sparta__error_set(&host->error, SPARTA_EIO, "cannot read --template %s: %s", path, strerror(errno));
    sparta_buffer text = SPARTA_BUFFER_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) sparta__buffer_put(&text, chunk, n);
    int read_error = ferror(f);
    fclose(f);
    if (read_error || text.failed) {
        sparta__buffer_free(&text);
        return sparta__error_set(&host->error, SPARTA_EIO, "cannot read --template %s", path);
    }
    char *derived = stack ? NULL : stack_from_path(path);
    int rc = sparta__describe_model_load(m, text.data ? text.data : "", text.length, path, stack ? stack : derived,
                                         &host->error);
    free(derived);
    sparta__buffer_free(&text);
    return rc;
}

static int load_service(sparta_host *host, const sparta_invocation *inv, sparta_describe_model *m) {
    const char *bucket = sparta__invocation_flag_string(inv, "s3Bucket"), *saved_bucket = host->s3_bucket;
    if (bucket) host->s3_bucket = bucket;
    int rc = sparta__host_load(host);
    if (rc != 0) return rc;
    const char *configured = sparta__host_service(host, "s3Bucket");
    if (!configured || !*configured) {
        host->s3_bucket = DESCRIBE_NO_BUCKET;
        sparta__log(&host->log, SPARTA_LOG_DEBUG, "No S3 bucket: code locations show a placeholder", "bucket",
                    DESCRIBE_NO_BUCKET, NULL);
    }
    rc = sparta__host_synthesize(host, SPARTA_PHASE_MARSHAL, sparta__invocation_flag_string(inv, "stackName"));
    host->s3_bucket = saved_bucket; /* the placeholder is for this picture only */
    if (rc != 0) return rc;
    sparta_buffer source = SPARTA_BUFFER_INIT;
    sparta__buffer_puts(&source, host->config_path ? host->config_path : "sparta.cfg");
    for (size_t i = 0; i < host->plugin_count; i++)
        sparta__buffer_printf(&source, "%s%s", i ? ", " : " (plugins: ", host->plugins[i]->name);
    if (host->plugin_count) sparta__buffer_putc(&source, ')');
    rc = sparta__describe_model_load(m, host->template_json, host->template_length,
                                     source.data ? source.data : "sparta.cfg", host->graph->stack_name, &host->error);
    sparta__buffer_free(&source);
    for (size_t i = 0; rc == 0 && i < host->archives.count; i++) {
        const sparta_named_archive *a = &host->archives.items[i];
        if (sparta__describe_model_add_archive(m, a->name, a->path, sparta__archive_entry_count(a->archive),
                                               a->sha256) != 0)
            rc = sparta__error_set(&host->error, SPARTA_ENOMEM, "out of memory");
    }
    return rc;
}

static int render(sparta_host *host, const sparta_describe_model *m, sparta_describe_format format,
                  sparta_buffer *out) {
    if (format == SPARTA_DESCRIBE_JSON) return sparta__describe_json(m, out);
    sparta_buffer dot = SPARTA_BUFFER_INIT;
    int rc = sparta__describe_dot(m, &dot);
    if (rc == 0 && format == SPARTA_DESCRIBE_DOT) {
        sparta__buffer_put(out, dot.data, dot.length);
    } else if (rc == 0) {
        char *svg = NULL;
        size_t svg_length = 0;
        rc = sparta__describe_svg(dot.data, &svg, &svg_length, &host->error);
        if (rc == 0 && format == SPARTA_DESCRIBE_SVG) sparta__buffer_put(out, svg, svg_length);
        else if (rc == 0) rc = sparta__describe_html(m, svg, svg_length, out);
        free(svg);
    }
    sparta__buffer_free(&dot);
    if (rc == 0 && out->failed) rc = SPARTA_ENOMEM;
    if (rc == SPARTA_ENOMEM) sparta__error_set(&host->error, rc, "out of memory while drawing %s", m->stack);
    return rc;
}

int sparta__cmd_describe(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    sparta_host *host = p->host;
    const char *out_flag = sparta__invocation_flag_string(inv, "out");
    const char *template_path = sparta__invocation_flag_string(inv, "template");
    sparta_describe_format format;
    int rc = choose_format(host, inv, out_flag, &format);
    if (rc != 0) return rc;

    sparta_describe_model m;
    memset(&m, 0, sizeof m);
    rc = template_path ? load_template_file(host, template_path, sparta__invocation_flag_string(inv, "stackName"), &m)
                       : load_service(host, inv, &m);
    sparta_buffer out = SPARTA_BUFFER_INIT;
    if (rc == 0) rc = render(host, &m, format, &out);

    char *path = NULL;
    if (rc == 0 && out_flag && strcmp(out_flag, "-") == 0) {
        sparta__host_write(host, out.data ? out.data : "", out.length);
    } else if (rc == 0) {
        if (out_flag) {
            path = strdup(out_flag);
        } else {
            rc = make_dirs(host, host->output_dir);
            if (rc == 0 && asprintf(&path, "%s/%s.%s", host->output_dir, m.stack,
                                    sparta__describe_format_extension(format)) < 0)
                path = NULL;
        }
        if (rc == 0 && !path) rc = sparta__error_set(&host->error, SPARTA_ENOMEM, "out of memory");
        if (rc == 0) rc = sparta__describe_write_file(path, out.data ? out.data : "", out.length, &host->error);
        if (rc == 0) {
            char nodes[32], edges[32];
            snprintf(nodes, sizeof nodes, "%zu", m.node_count);
            snprintf(edges, sizeof edges, "%zu", m.edge_count);
            sparta__log(&host->log, SPARTA_LOG_INFO, "Description written", "path", path, "format",
                        sparta__describe_format_extension(format), "nodes", nodes, "edges", edges, NULL);
            sparta__host_print(host, "%s\n", path);
        }
    }
    free(path);
    sparta__buffer_free(&out);
    sparta__describe_model_free(&m);
    return rc;
}
