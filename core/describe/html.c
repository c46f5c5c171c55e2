/* One self-contained HTML page: the laid-out SVG, a details panel filled by
 * an inline script, a summary, and the whole template highlighted. Nothing
 * is loaded from anywhere: styles, script, data and picture are inline. */
#include "describe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_write.h"

static void html_escape(sparta_buffer *out, const char *s, size_t n) {
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *esc = NULL;
        switch (s[i]) {
        case '&': esc = "&amp;"; break;
        case '<': esc = "&lt;"; break;
        case '>': esc = "&gt;"; break;
        case '"': esc = "&quot;"; break;
        default: break;
        }
        if (esc) {
            sparta__buffer_put(out, s + i - run, run);
            run = 0;
            sparta__buffer_puts(out, esc);
        } else {
            run++;
        }
    }
    sparta__buffer_put(out, s + n - run, run);
}

static void html_text(sparta_buffer *out, const char *s) { html_escape(out, s ? s : "", s ? strlen(s) : 0); }

/* JSON inside <script>: "<" only occurs in strings, where \u003c is the same
 * text, so "</script>" in a template cannot end the element. */
static void script_json(sparta_buffer *out, const char *json, size_t n) {
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (json[i] == '<') {
            sparta__buffer_put(out, json + i - run, run);
            run = 0;
            sparta__buffer_puts(out, "\\u003c");
        } else {
            run++;
        }
    }
    sparta__buffer_put(out, json + n - run, run);
}

static void json_str(sparta_buffer *out, const char *s) {
    sparta__json_write_string(out, s ? s : "", s ? strlen(s) : 0);
}

/* Thousands separators: 51200 -> "51,200". */
static void number(sparta_buffer *out, long long v) {
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%lld", v < 0 ? -v : v);
    if (v < 0) sparta__buffer_putc(out, '-');
    for (int i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0) sparta__buffer_putc(out, ',');
        sparta__buffer_putc(out, digits[i]);
    }
}

/* The page's own compact model: arrays indexed like node_N / edge_N. */
static void page_model(sparta_buffer *out, const sparta_describe_model *m) {
    sparta_buffer json = SPARTA_BUFFER_INIT;
    sparta__buffer_puts(&json, "{\"stack\":");
    json_str(&json, m->stack);
    sparta__buffer_puts(&json, ",\"edgeKinds\":[");
    for (int k = 0; k < SPARTA_DESCRIBE_EDGE_KIND_COUNT; k++) {
        if (k) sparta__buffer_putc(&json, ',');
        json_str(&json, sparta__describe_edge_kind_name((sparta_describe_edge_kind)k));
    }
    sparta__buffer_puts(&json, "],\"groups\":[");
    for (size_t g = 0; g < m->group_count; g++) {
        if (g) sparta__buffer_putc(&json, ',');
        json_str(&json, m->groups[g].name);
    }
    sparta__buffer_puts(&json, "],\"nodes\":[");
    for (size_t i = 0; i < m->node_count; i++) {
        const sparta_describe_node *n = &m->nodes[i];
        sparta__buffer_puts(&json, i ? ",\n[" : "\n[");
        json_str(&json, n->id);
        sparta__buffer_putc(&json, ',');
        json_str(&json, sparta__describe_node_kind_name(n->kind));
        sparta__buffer_putc(&json, ',');
        json_str(&json, n->type);
        sparta__buffer_putc(&json, ',');
        json_str(&json, n->style.service);
        sparta__buffer_putc(&json, ',');
        json_str(&json, n->style.stroke);
        sparta__buffer_printf(&json, ",%ld]", n->group);
    }
    sparta__buffer_puts(&json, "],\"edges\":[");
    for (size_t e = 0; e < m->edge_count; e++)
        sparta__buffer_printf(&json, "%s[%zu,%zu,%d]", e ? "," : "", m->edges[e].from, m->edges[e].to,
                              (int)m->edges[e].kind);
    sparta__buffer_puts(&json, "]}");
    script_json(out, json.data ? json.data : "{}", json.length);
    if (json.failed) out->failed = 1;
    sparta__buffer_free(&json);
}

/* The SVG element from Graphviz's document: no XML prolog or doctype, and
 * no fixed size, so the viewBox can zoom and pan inside the pane. */
static void inline_svg(sparta_buffer *out, const char *svg, size_t length) {
    const char *start = strstr(svg, "<svg");
    const char *tag_end = start ? strchr(start, '>') : NULL;
    if (!tag_end) return;
    sparta__buffer_puts(out, "<svg id=\"graph-svg\" role=\"img\" preserveAspectRatio=\"xMidYMid meet\"");
    const char *p = start + 4;
    while (p < tag_end) {
        /* Copy every attribute but width and height. */
        const char *attr = p;
        while (p < tag_end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')) p++;
        const char *name = p;
        while (p < tag_end && *p != '=' && *p != ' ' && *p != '\n') p++;
        size_t name_length = (size_t)(p - name);
        if (p < tag_end && *p == '=') {
            p++;
            char quote = *p;
            if (quote == '"' || quote == '\'') {
                const char *close = memchr(p + 1, quote, (size_t)(tag_end - p - 1));
                p = close ? close + 1 : tag_end;
            }
        }
        int drop = (name_length == 5 && strncmp(name, "width", 5) == 0) ||
                   (name_length == 6 && strncmp(name, "height", 6) == 0);
        if (!drop) sparta__buffer_put(out, attr, (size_t)(p - attr));
        if (p == attr) p++;
    }
    sparta__buffer_put(out, tag_end, (size_t)(svg + length - tag_end));
}

typedef struct type_count {
    const char *type;
    sparta_describe_style style;
    size_t count;
} type_count;

static int compare_counts(const void *pa, const void *pb) {
    const type_count *a = pa, *b = pb;
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    return strcmp(a->type, b->type);
}

static void swatch(sparta_buffer *out, const sparta_describe_style *s) {
    sparta__buffer_printf(out, "<span class=\"sw\" style=\"background:%s;border-color:%s\"></span>", s->fill,
                          s->stroke);
}

static void summary(sparta_buffer *out, const sparta_describe_model *m) {
    size_t edge_counts[SPARTA_DESCRIBE_EDGE_KIND_COUNT] = {0};
    for (size_t e = 0; e < m->edge_count; e++) edge_counts[m->edges[e].kind]++;
    sparta__buffer_puts(out, "<section class=\"card\" id=\"summary\"><h2>Summary</h2><div class=\"stats\">");
    const struct {
        const char *label;
        size_t value;
    } stats[] = {{"resources", m->section_count[SPARTA_DESCRIBE_RESOURCE]},
                 {"functions", m->group_count},
                 {"parameters", m->section_count[SPARTA_DESCRIBE_PARAMETER]},
                 {"outputs", m->section_count[SPARTA_DESCRIBE_OUTPUT]},
                 {"references", m->edge_count}};
    for (size_t i = 0; i < sizeof stats / sizeof *stats; i++) {
        sparta__buffer_puts(out, "<div class=\"stat\"><b>");
        number(out, (long long)stats[i].value);
        sparta__buffer_printf(out, "</b><span>%s</span></div>", stats[i].label);
    }
    sparta__buffer_puts(out, "<div class=\"stat\"><b>");
    number(out, (long long)m->template_length);
    sparta__buffer_puts(out, "</b><span>template bytes</span></div></div>");
    if (m->template_length > 51200)
        sparta__buffer_puts(out, "<p class=\"note\">Over CloudFormation's 51,200-byte inline limit: the template is "
                                 "deployed by S3 URL (the limit there is 1,000,000 bytes).</p>");
    sparta__buffer_puts(out, "<p class=\"note\">References: ");
    for (int k = 0; k < SPARTA_DESCRIBE_EDGE_KIND_COUNT; k++) {
        sparta__buffer_printf(out, "%s<span class=\"edge-key %s\"></span>%s ", k ? " · " : "",
                              sparta__describe_edge_kind_slug((sparta_describe_edge_kind)k),
                              sparta__describe_edge_kind_name((sparta_describe_edge_kind)k));
        number(out, (long long)edge_counts[k]);
    }
    if (m->unresolved)
        sparta__buffer_printf(out, " · %zu reference%s to names outside the template", m->unresolved,
                              m->unresolved == 1 ? "" : "s");
    sparta__buffer_puts(out, "</p><div class=\"tables\">");

    /* Resources by type, most common first. */
    type_count *counts = calloc(m->node_count + 1, sizeof *counts);
    size_t distinct = 0;
    for (size_t i = 0; counts && i < m->node_count; i++) {
        const sparta_describe_node *n = &m->nodes[i];
        if (n->kind != SPARTA_DESCRIBE_RESOURCE) continue;
        size_t j = 0;
        while (j < distinct && strcmp(counts[j].type, n->type) != 0) j++;
        if (j == distinct) counts[distinct++] = (type_count){n->type, n->style, 0};
        counts[j].count++;
    }
    if (counts) qsort(counts, distinct, sizeof *counts, compare_counts);
    sparta__buffer_puts(out, "<table class=\"types\"><thead><tr><th>Resource type</th><th>Service</th>"
                             "<th class=\"num\">Count</th></tr></thead><tbody>");
    for (size_t i = 0; i < distinct; i++) {
        sparta__buffer_puts(out, "<tr><td>");
        swatch(out, &counts[i].style);
        html_text(out, counts[i].type);
        sparta__buffer_puts(out, "</td><td>");
        html_text(out, counts[i].style.service);
        sparta__buffer_puts(out, "</td><td class=\"num\">");
        number(out, (long long)counts[i].count);
        sparta__buffer_puts(out, "</td></tr>");
    }
    sparta__buffer_puts(out, "</tbody></table>");
    free(counts);

    sparta__buffer_puts(out, "<table class=\"archives\"><thead><tr><th>Code archive</th><th class=\"num\">Size</th>"
                             "<th class=\"num\">Files</th><th>SHA-256</th></tr></thead><tbody>");
    for (size_t i = 0; i < m->archive_count; i++) {
        const sparta_describe_archive *a = &m->archives[i];
        sparta__buffer_puts(out, "<tr><td title=\"");
        html_text(out, a->path);
        sparta__buffer_puts(out, "\">");
        html_text(out, a->name);
        sparta__buffer_puts(out, ".zip</td><td class=\"num\">");
        if (a->size >= 0) {
            number(out, a->size);
            sparta__buffer_puts(out, " B");
        } else {
            sparta__buffer_puts(out, "?");
        }
        sparta__buffer_puts(out, "</td><td class=\"num\">");
        number(out, (long long)a->entries);
        sparta__buffer_puts(out, "</td><td><code>");
        if (a->sha256) html_escape(out, a->sha256, strlen(a->sha256) > 12 ? 12 : strlen(a->sha256));
        sparta__buffer_puts(out, "</code></td></tr>");
    }
    if (!m->archive_count)
        sparta__buffer_puts(out, "<tr><td colspan=\"4\" class=\"muted\">No code archives (a template file was "
                                 "described, or no plugin packaged code).</td></tr>");
    sparta__buffer_puts(out, "</tbody></table></div></section>\n");
}

static int section_of(const char *key, size_t n) {
    if (n == 10 && strncmp(key, "Parameters", 10) == 0) return SPARTA_DESCRIBE_PARAMETER;
    if (n == 9 && strncmp(key, "Resources", 9) == 0) return SPARTA_DESCRIBE_RESOURCE;
    if (n == 7 && strncmp(key, "Outputs", 7) == 0) return SPARTA_DESCRIBE_OUTPUT;
    return -1;
}

/* The template with spans for keys, strings, numbers and literals; each
 * entry of Parameters, Resources and Outputs gets an anchor (tpl-N). */
static void highlighted_template(sparta_buffer *out, const sparta_describe_model *m) {
    const char *t = m->template_text;
    size_t n = m->template_length;
    int depth = 0, section = -1;
    for (size_t i = 0; i < n;) {
        char c = t[i];
        if (c == '"') {
            size_t j = i + 1;
            int escaped = 0;
            while (j < n && t[j] != '"') {
                if (t[j] == '\\') {
                    escaped = 1;
                    j++;
                }
                j++;
            }
            if (j < n) j++; /* the closing quote */
            size_t k = j;
            while (k < n && (t[k] == ' ' || t[k] == '\n' || t[k] == '\r' || t[k] == '\t')) k++;
            int key = k < n && t[k] == ':';
            const char *content = t + i + 1;
            size_t content_length = j - i >= 2 ? j - i - 2 : 0;
            long anchor = -1;
            if (key && depth == 1) section = section_of(content, content_length);
            if (key && depth == 2 && section >= 0 && !escaped) {
                char *id = strndup(content, content_length);
                anchor = id ? sparta__describe_node_find(m, (sparta_describe_node_kind)section, id) : -1;
                free(id);
            }
            if (anchor >= 0) sparta__buffer_printf(out, "<span class=\"k\" id=\"tpl-%ld\">", anchor);
            else sparta__buffer_puts(out, key ? "<span class=\"k\">" : "<span class=\"s\">");
            html_escape(out, t + i, j - i);
            sparta__buffer_puts(out, "</span>");
            i = j;
        } else if (c == '{' || c == '[') {
            depth++;
            sparta__buffer_putc(out, c);
            i++;
        } else if (c == '}' || c == ']') {
            depth--;
            sparta__buffer_putc(out, c);
            i++;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            size_t j = i + 1;
            while (j < n && strchr("0123456789.eE+-", t[j])) j++;
            sparta__buffer_puts(out, "<span class=\"n\">");
            html_escape(out, t + i, j - i);
            sparta__buffer_puts(out, "</span>");
            i = j;
        } else if (c == 't' || c == 'f' || c == 'n') {
            size_t j = i;
            while (j < n && t[j] >= 'a' && t[j] <= 'z') j++;
            sparta__buffer_puts(out, "<span class=\"b\">");
            html_escape(out, t + i, j - i);
            sparta__buffer_puts(out, "</span>");
            i = j > i ? j : i + 1;
        } else {
            html_escape(out, t + i, 1);
            i++;
        }
    }
}

static void legend(sparta_buffer *out, const sparta_describe_model *m) {
    sparta__buffer_puts(out, "<div class=\"legend\">");
    size_t count = sparta__describe_style_count();
    for (size_t s = 0; s < count; s++) {
        sparta_describe_style style = sparta__describe_style_at(s);
        int used = 0;
        for (size_t i = 0; i < m->node_count && !used; i++) used = strcmp(m->nodes[i].style.slug, style.slug) == 0;
        if (!used) continue;
        sparta__buffer_puts(out, "<span>");
        swatch(out, &style);
        html_text(out, style.service);
        sparta__buffer_puts(out, "</span>");
    }
    for (int k = 0; k < SPARTA_DESCRIBE_EDGE_KIND_COUNT; k++)
        sparta__buffer_printf(out, "<span><span class=\"edge-key %s\"></span>%s</span>",
                              sparta__describe_edge_kind_slug((sparta_describe_edge_kind)k),
                              sparta__describe_edge_kind_name((sparta_describe_edge_kind)k));
    sparta__buffer_puts(out, "</div>");
}

int sparta__describe_html(const sparta_describe_model *m, const char *svg, size_t svg_length, sparta_buffer *out) {
    sparta__buffer_puts(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                             "<meta name=\"generator\" content=\"sparta describe\">\n<title>");
    html_text(out, m->stack);
    sparta__buffer_puts(out, " · sparta describe</title>\n<style>\n");
    sparta__buffer_puts(out, sparta__describe_css);
    sparta__buffer_puts(out, "</style>\n</head>\n<body>\n<header><div><h1>");
    html_text(out, m->stack);
    sparta__buffer_puts(out, "</h1><div class=\"sub\">");
    if (m->description) {
        html_text(out, m->description);
        sparta__buffer_puts(out, " · ");
    }
    sparta__buffer_puts(out, "from ");
    html_text(out, m->source);
    sparta__buffer_puts(out, "</div></div><label class=\"find\">Find <input id=\"find\" list=\"ids\" "
                             "placeholder=\"logical ID\" autocomplete=\"off\"></label><datalist id=\"ids\">");
    for (size_t i = 0; i < m->node_count; i++) {
        sparta__buffer_puts(out, "<option value=\"");
        html_text(out, m->nodes[i].id);
        sparta__buffer_puts(out, "\">");
    }
    sparta__buffer_puts(out, "</datalist></header>\n<main>\n<section id=\"graph-pane\"><div class=\"toolbar\">"
                             "<button type=\"button\" data-action=\"in\" title=\"Zoom in (+)\">+</button>"
                             "<button type=\"button\" data-action=\"out\" title=\"Zoom out (-)\">&minus;</button>"
                             "<button type=\"button\" data-action=\"fit\" title=\"Whole graph (0)\">Fit</button>");
    legend(out, m);
    sparta__buffer_puts(out, "</div>\n<div id=\"graph\">\n");
    inline_svg(out, svg, svg_length);
    sparta__buffer_puts(out, "\n</div></section>\n<aside id=\"details\"><p class=\"muted\">Click a node to see its "
                             "properties and references. Scroll to zoom, drag to pan.</p></aside>\n</main>\n");
    summary(out, m);
    sparta__buffer_puts(out, "<section class=\"card\" id=\"template\"><h2>Template</h2><pre class=\"json\">");
    highlighted_template(out, m);
    sparta__buffer_puts(out, "</pre></section>\n<script type=\"application/json\" id=\"sparta-model\">");
    page_model(out, m);
    sparta__buffer_puts(out, "</script>\n<script type=\"application/json\" id=\"sparta-template\">");
    script_json(out, m->template_compact, strlen(m->template_compact));
    sparta__buffer_puts(out, "</script>\n<script>\n");
    sparta__buffer_puts(out, sparta__describe_js);
    sparta__buffer_puts(out, "</script>\n</body>\n</html>\n");
    return out->failed ? SPARTA_ENOMEM : 0;
}
