/* The bare model as JSON, for tools: nodes and edges by logical ID. */
#include "describe.h"

#include "json_write.h"

int sparta__describe_json(const sparta_describe_model *m, sparta_buffer *out) {
    sparta__buffer_putc(out, '{');
    sparta__json_write_member(out, "stack", m->stack, 0);
    sparta__json_write_member(out, "source", m->source, 1);
    sparta__buffer_puts(out, ",\"nodes\":[");
    for (size_t i = 0; i < m->node_count; i++) {
        const sparta_describe_node *n = &m->nodes[i];
        sparta__buffer_puts(out, i ? ",\n{" : "\n{");
        sparta__json_write_member(out, "id", n->id, 0);
        sparta__json_write_member(out, "kind", sparta__describe_node_kind_name(n->kind), 1);
        sparta__json_write_member(out, "type", n->type, 1);
        sparta__json_write_member(out, "service", n->style.service, 1);
        sparta__json_write_member(out, "group", n->group >= 0 ? m->groups[n->group].name : NULL, 1);
        sparta__buffer_putc(out, '}');
    }
    sparta__buffer_puts(out, "],\"edges\":[");
    for (size_t e = 0; e < m->edge_count; e++) {
        const sparta_describe_edge *edge = &m->edges[e];
        sparta__buffer_puts(out, e ? ",\n{" : "\n{");
        sparta__json_write_member(out, "from", m->nodes[edge->from].id, 0);
        sparta__json_write_member(out, "to", m->nodes[edge->to].id, 1);
        sparta__json_write_member(out, "kind", sparta__describe_edge_kind_name(edge->kind), 1);
        if (m->nodes[edge->from].kind != SPARTA_DESCRIBE_RESOURCE)
            sparta__json_write_member(out, "fromKind", sparta__describe_node_kind_name(m->nodes[edge->from].kind), 1);
        if (m->nodes[edge->to].kind != SPARTA_DESCRIBE_RESOURCE)
            sparta__json_write_member(out, "toKind", sparta__describe_node_kind_name(m->nodes[edge->to].kind), 1);
        sparta__buffer_putc(out, '}');
    }
    sparta__buffer_puts(out, "],\"archives\":[");
    for (size_t i = 0; i < m->archive_count; i++) {
        const sparta_describe_archive *a = &m->archives[i];
        sparta__buffer_puts(out, i ? ",{" : "{");
        sparta__json_write_member(out, "name", a->name, 0);
        sparta__json_write_member(out, "path", a->path, 1);
        sparta__json_write_member(out, "sha256", a->sha256, 1);
        sparta__buffer_printf(out, ",\"size\":%lld,\"entries\":%zu}", a->size, a->entries);
    }
    sparta__buffer_printf(out, "],\"templateBytes\":%zu}\n", m->template_length);
    return out->failed ? SPARTA_ENOMEM : 0;
}
