/* `sparta describe`: a picture of a stack. A CloudFormation template (the
 * one synthesis marshalled, or any template file) becomes a model of nodes
 * (resources, parameters, outputs) and edges (Ref, Fn::GetAtt, Fn::Sub,
 * DependsOn); the model is written as DOT, laid out by Graphviz (libgvc)
 * into SVG, and wrapped in one self-contained HTML page. JSON gives the
 * bare model to other tools. */
#ifndef SPARTA_CORE_DESCRIBE_H
#define SPARTA_CORE_DESCRIBE_H

#include <stddef.h>

#include "buffer.h"
#include "error.h"

typedef enum sparta_describe_format {
    SPARTA_DESCRIBE_HTML = 0,
    SPARTA_DESCRIBE_SVG,
    SPARTA_DESCRIBE_DOT,
    SPARTA_DESCRIBE_JSON
} sparta_describe_format;

typedef enum sparta_describe_node_kind {
    SPARTA_DESCRIBE_PARAMETER = 0,
    SPARTA_DESCRIBE_RESOURCE,
    SPARTA_DESCRIBE_OUTPUT
} sparta_describe_node_kind;

typedef enum sparta_describe_edge_kind {
    SPARTA_DESCRIBE_REF = 0,
    SPARTA_DESCRIBE_GETATT,
    SPARTA_DESCRIBE_SUB,
    SPARTA_DESCRIBE_DEPENDS_ON,
    SPARTA_DESCRIBE_EDGE_KIND_COUNT
} sparta_describe_edge_kind;

/* How a node is drawn: its AWS service and that service's colours. */
typedef struct sparta_describe_style {
    const char *service; /* "Lambda", "IAM", ...; "Parameter", "Output" */
    const char *slug;    /* CSS class suffix: "lambda", "iam", ... */
    const char *stroke;  /* "#ED7100" */
    const char *fill;    /* a light tint of stroke */
} sparta_describe_style;

typedef struct sparta_describe_node {
    char *id;                       /* the logical ID */
    sparta_describe_node_kind kind;
    char *type;                     /* "AWS::Lambda::Function"; a parameter's Type; "Output" */
    char *short_type;               /* "Lambda::Function" */
    char *description;              /* Properties.Description / Description, or NULL */
    sparta_describe_style style;
    long group;                     /* index into groups, or -1 */
} sparta_describe_node;

typedef struct sparta_describe_edge {
    size_t from, to; /* node indexes: `from` refers to `to` */
    sparta_describe_edge_kind kind;
} sparta_describe_edge;

/* The resources of one function, drawn as a Graphviz cluster. */
typedef struct sparta_describe_group {
    char *name;      /* the function's logical-ID prefix: "Hello" for HelloFunction */
    size_t function; /* node index of the function */
} sparta_describe_group;

typedef struct sparta_describe_archive {
    char *name, *path;
    long long size;  /* bytes on disk, or -1 when unknown */
    size_t entries;
    char *sha256;
} sparta_describe_archive;

typedef struct sparta_describe_model {
    char *stack;
    char *source;         /* "sparta.cfg" or the --template path, for the page */
    char *description;    /* the template's Description, or NULL */
    char *template_text;  /* the template as shown (pretty-printed) */
    size_t template_length;
    char *template_compact; /* the template as compact JSON, for the page's script */
    sparta_describe_node *nodes;
    size_t node_count;
    sparta_describe_edge *edges;
    size_t edge_count;
    sparta_describe_group *groups;
    size_t group_count;
    sparta_describe_archive *archives;
    size_t archive_count;
    size_t unresolved;    /* references to names that are not in the template */
    size_t section_count[3]; /* per sparta_describe_node_kind */
} sparta_describe_model;

/* Parses a template (JSON text) into `m` (zeroed first). `source` names the
 * text in error messages. A text that is not JSON, or whose top level is not
 * an object with a Resources object, is a SPARTA_EUSAGE error naming it. */
int sparta__describe_model_load(sparta_describe_model *m, const char *text, size_t length, const char *source,
                                const char *stack, sparta_error_slot *err);
/* Records one code archive (for the summary). */
int sparta__describe_model_add_archive(sparta_describe_model *m, const char *name, const char *path,
                                       size_t entries, const char *sha256);
void sparta__describe_model_free(sparta_describe_model *m);
/* The index of the node (any kind) with this logical ID, or -1. */
long sparta__describe_node_find(const sparta_describe_model *m, sparta_describe_node_kind kind, const char *id);

const char *sparta__describe_node_kind_name(sparta_describe_node_kind kind);  /* "resource" */
const char *sparta__describe_edge_kind_name(sparta_describe_edge_kind kind);  /* "Fn::GetAtt" */
/* The edge kind's CSS class, shared by the DOT edges and the page's legend: "getatt". */
const char *sparta__describe_edge_kind_slug(sparta_describe_edge_kind kind);
/* The service and colours for a resource type ("AWS::S3::Bucket"). */
sparta_describe_style sparta__describe_style_for_type(const char *type);
sparta_describe_style sparta__describe_style_for_kind(sparta_describe_node_kind kind);
/* Every service style, for the page's legend. */
size_t sparta__describe_style_count(void);
sparta_describe_style sparta__describe_style_at(size_t i);

/* DOT text of the model: one node per resource/parameter/output, one edge
 * per reference, a cluster per function. Deterministic. */
int sparta__describe_dot(const sparta_describe_model *m, sparta_buffer *out);
/* Writes `text` as a DOT quoted string: quotes and backslashes escaped,
 * newlines as \n, other control bytes and invalid UTF-8 replaced. */
void sparta__describe_dot_quote(sparta_buffer *out, const char *text);

/* Lays DOT out with Graphviz's dot layout and renders SVG (malloc'd). */
int sparta__describe_svg(const char *dot, char **svg, size_t *svg_length, sparta_error_slot *err);

/* The self-contained page: `svg` is what sparta__describe_svg rendered. */
int sparta__describe_html(const sparta_describe_model *m, const char *svg, size_t svg_length, sparta_buffer *out);
/* {"stack":..,"nodes":[{id,kind,type,service,group}],"edges":[{from,to,kind}]} */
int sparta__describe_json(const sparta_describe_model *m, sparta_buffer *out);

/* The page's inline stylesheet and script (html_assets.c). */
extern const char sparta__describe_css[];
extern const char sparta__describe_js[];

/* "html", "svg", "dot" (or "gv"), "json" -> format; -1 when unknown. */
int sparta__describe_format_parse(const char *name, sparta_describe_format *out);
/* The format a file name implies by its extension; -1 when none. */
int sparta__describe_format_from_path(const char *path, sparta_describe_format *out);
const char *sparta__describe_format_extension(sparta_describe_format format); /* "html" */

/* Writes bytes to `path` through a temporary file in the same directory,
 * renamed into place: on any error nothing is left behind and the error
 * names `path`. */
int sparta__describe_write_file(const char *path, const char *bytes, size_t length, sparta_error_slot *err);

#endif
