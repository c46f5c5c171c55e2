/* The model as Graphviz DOT. Every name and label is a quoted string, so a
 * template's text (types, descriptions) cannot break the syntax. Node and
 * edge ids ("node_3", "edge_7") carry into the SVG for the page's script. */
#include "describe.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct edge_style {
    const char *slug, *color, *style, *arrowhead;
} edge_style;

static const edge_style edge_styles[SPARTA_DESCRIBE_EDGE_KIND_COUNT] = {
    {"ref", "#4B5563", "solid", "normal"},
    {"getatt", "#2563EB", "solid", "normal"},
    {"sub", "#059669", "dashed", "normal"},
    {"dependson", "#9CA3AF", "dotted", "empty"},
};

const char *sparta__describe_edge_kind_slug(sparta_describe_edge_kind kind) {
    return (unsigned)kind < SPARTA_DESCRIBE_EDGE_KIND_COUNT ? edge_styles[kind].slug : "?";
}

/* Length of the valid UTF-8 sequence at s (0 when invalid). */
static size_t utf8_length(const unsigned char *s) {
    if (s[0] < 0x80) return 1;
    size_t n = (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (!n || (n == 2 && s[0] < 0xC2) || (n == 4 && s[0] > 0xF4)) return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    return n;
}

void sparta__describe_dot_quote(sparta_buffer *out, const char *text) {
    sparta__buffer_putc(out, '"');
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    while (*s) {
        if (*s == '"' || *s == '\\') {
            sparta__buffer_putc(out, '\\');
            sparta__buffer_putc(out, (char)*s++);
        } else if (*s == '\n') {
            sparta__buffer_puts(out, "\\n");
            s++;
        } else if (*s < 0x20 || *s == 0x7F) {
            sparta__buffer_putc(out, ' ');
            s++;
        } else {
            size_t n = utf8_length(s);
            if (n) {
                sparta__buffer_put(out, s, n);
                s += n;
            } else {
                sparta__buffer_putc(out, '?');
                s++;
            }
        }
    }
    sparta__buffer_putc(out, '"');
}

/* The node's DOT name: resources by logical ID; parameters and outputs
 * by section, since an output may share a resource's name. */
static void node_name(sparta_buffer *out, const sparta_describe_node *n) {
    if (n->kind == SPARTA_DESCRIBE_RESOURCE) {
        sparta__describe_dot_quote(out, n->id);
        return;
    }
    sparta_buffer name = SPARTA_BUFFER_INIT;
    sparta__buffer_printf(&name, "%s.%s", n->kind == SPARTA_DESCRIBE_PARAMETER ? "Parameters" : "Outputs", n->id);
    sparta__describe_dot_quote(out, name.data);
    sparta__buffer_free(&name);
}

static void attribute(sparta_buffer *out, const char *key, const char *value, int *first) {
    sparta__buffer_puts(out, *first ? "" : ", ");
    *first = 0;
    sparta__buffer_puts(out, key);
    sparta__buffer_putc(out, '=');
    sparta__describe_dot_quote(out, value);
}

static void write_node(sparta_buffer *out, const sparta_describe_model *m, size_t i, const char *indent) {
    const sparta_describe_node *n = &m->nodes[i];
    sparta_buffer text = SPARTA_BUFFER_INIT;
    int first = 1;
    sparta__buffer_puts(out, indent);
    node_name(out, n);
    sparta__buffer_puts(out, " [");
    sparta__buffer_printf(&text, "node_%zu", i);
    attribute(out, "id", text.data, &first);
    text.length = 0;
    sparta__buffer_printf(&text, "%s\n%s", n->id, n->short_type);
    attribute(out, "label", text.data, &first);
    text.length = 0;
    sparta__buffer_printf(&text, "%s\n%s", n->id, n->type);
    if (n->description) sparta__buffer_printf(&text, "\n%s", n->description);
    attribute(out, "tooltip", text.data, &first);
    text.length = 0;
    sparta__buffer_printf(&text, "%s svc-%s", sparta__describe_node_kind_name(n->kind), n->style.slug);
    attribute(out, "class", text.data, &first);
    attribute(out, "color", n->style.stroke, &first);
    attribute(out, "fillcolor", n->style.fill, &first);
    if (n->kind == SPARTA_DESCRIBE_PARAMETER) attribute(out, "shape", "note", &first);
    else if (n->kind == SPARTA_DESCRIBE_OUTPUT) attribute(out, "shape", "cds", &first);
    else if (n->group >= 0 && m->groups[n->group].function == i) attribute(out, "penwidth", "2.2", &first);
    sparta__buffer_puts(out, "];\n");
    sparta__buffer_free(&text);
}

/* Connected components (a function's group counts as connected). */
static size_t find_root(size_t *parent, size_t i) {
    while (parent[i] != i) i = parent[i] = parent[parent[i]];
    return i;
}

static size_t component_count(const sparta_describe_model *m) {
    size_t *parent = malloc((m->node_count + 1) * sizeof *parent);
    if (!parent) return 1;
    for (size_t i = 0; i < m->node_count; i++)
        parent[i] = m->nodes[i].group >= 0 ? m->groups[m->nodes[i].group].function : i;
    for (size_t e = 0; e < m->edge_count; e++)
        parent[find_root(parent, m->edges[e].from)] = find_root(parent, m->edges[e].to);
    size_t count = 0;
    for (size_t i = 0; i < m->node_count; i++) count += find_root(parent, i) == i;
    free(parent);
    return count;
}

int sparta__describe_dot(const sparta_describe_model *m, sparta_buffer *out) {
    sparta__buffer_puts(out, "digraph ");
    sparta__describe_dot_quote(out, m->stack);
    sparta__buffer_puts(out, " {\n  graph [");
    int first = 1;
    attribute(out, "id", "graph_root", &first);
    attribute(out, "rankdir", "LR", &first);
    attribute(out, "fontname", "Helvetica,Arial,sans-serif", &first);
    attribute(out, "fontsize", "12", &first);
    attribute(out, "nodesep", "0.18", &first);
    attribute(out, "ranksep", "0.5", &first);
    attribute(out, "newrank", "true", &first);
    attribute(out, "pad", "0.2", &first);
    /* Fewer crossing-minimisation passes: big services lay out in seconds. */
    attribute(out, "mclimit", "0.3", &first);
    attribute(out, "nslimit", "4", &first);
    attribute(out, "nslimit1", "4", &first);
    attribute(out, "searchsize", "20", &first);
    /* Unconnected parts are laid out one by one and packed in a grid of
     * about 3:2, not stacked in one tall column. Graphviz 2.43 drops
     * clusters from packed parts, so a graph with function groups is not
     * packed: its groups stack and the page starts at the top. */
    size_t components = m->group_count ? 1 : component_count(m);
    if (components > 1) {
        char mode[32];
        snprintf(mode, sizeof mode, "array_c%d", (int)ceil(sqrt((double)components / 2.5)));
        attribute(out, "pack", "24", &first);
        attribute(out, "packmode", mode, &first);
    }
    sparta__buffer_puts(out, "];\n");
    sparta__buffer_puts(out, "  node [shape=\"box\", style=\"rounded,filled\", "
                             "fontname=\"Helvetica,Arial,sans-serif\", fontsize=\"10\", fontcolor=\"#1F2937\", "
                             "penwidth=\"1.2\", margin=\"0.12,0.05\", height=\"0.4\"];\n");
    sparta__buffer_puts(out, "  edge [fontname=\"Helvetica,Arial,sans-serif\", fontsize=\"8\", arrowsize=\"0.6\", "
                             "penwidth=\"1.1\"];\n");

    for (size_t g = 0; g < m->group_count; g++) {
        const sparta_describe_group *group = &m->groups[g];
        const sparta_describe_node *fn = &m->nodes[group->function];
        sparta_buffer text = SPARTA_BUFFER_INIT;
        sparta__buffer_printf(&text, "cluster_%zu", g);
        sparta__buffer_puts(out, "  subgraph ");
        sparta__describe_dot_quote(out, text.data);
        sparta__buffer_puts(out, " {\n    graph [");
        first = 1;
        attribute(out, "id", text.data, &first);
        attribute(out, "label", group->name, &first);
        attribute(out, "tooltip", fn->description ? fn->description : group->name, &first);
        attribute(out, "style", "rounded,dashed", &first);
        attribute(out, "color", fn->style.stroke, &first);
        attribute(out, "fontcolor", fn->style.stroke, &first);
        attribute(out, "bgcolor", "#FFFCF8", &first);
        attribute(out, "class", "group", &first);
        sparta__buffer_puts(out, "];\n");
        sparta__buffer_free(&text);
        for (size_t i = 0; i < m->node_count; i++)
            if (m->nodes[i].group == (long)g) write_node(out, m, i, "    ");
        sparta__buffer_puts(out, "  }\n");
    }
    for (size_t i = 0; i < m->node_count; i++)
        if (m->nodes[i].group < 0) write_node(out, m, i, "  ");

    for (size_t e = 0; e < m->edge_count; e++) {
        const sparta_describe_edge *edge = &m->edges[e];
        const edge_style *s = &edge_styles[edge->kind];
        sparta_buffer text = SPARTA_BUFFER_INIT;
        sparta__buffer_puts(out, "  ");
        node_name(out, &m->nodes[edge->from]);
        sparta__buffer_puts(out, " -> ");
        node_name(out, &m->nodes[edge->to]);
        sparta__buffer_puts(out, " [");
        first = 1;
        sparta__buffer_printf(&text, "edge_%zu", e);
        attribute(out, "id", text.data, &first);
        text.length = 0;
        sparta__buffer_printf(&text, "%s %s %s", m->nodes[edge->from].id, sparta__describe_edge_kind_name(edge->kind),
                              m->nodes[edge->to].id);
        attribute(out, "tooltip", text.data, &first);
        attribute(out, "class", s->slug, &first);
        attribute(out, "color", s->color, &first);
        attribute(out, "style", s->style, &first);
        attribute(out, "arrowhead", s->arrowhead, &first);
        sparta__buffer_puts(out, "];\n");
        sparta__buffer_free(&text);
    }
    sparta__buffer_puts(out, "}\n");
    return out->failed ? SPARTA_ENOMEM : 0;
}
