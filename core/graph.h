/* The template graph: resources, parameters, conditions, mappings and outputs
 * that plugins contribute; edges come from DependsOn and intrinsics. */
#ifndef SPARTA_CORE_GRAPH_H
#define SPARTA_CORE_GRAPH_H

#include "buffer.h"
#include "error.h"
#include "json_write.h"
#include "log.h"
#include "strmap.h"
#include "value.h"

/* CloudFormation's quotas that the graph enforces. */
#define SPARTA_LIMIT_RESOURCES 500
#define SPARTA_LIMIT_PARAMETERS 200
#define SPARTA_LIMIT_OUTPUTS 200
#define SPARTA_LIMIT_MAPPINGS 200
#define SPARTA_LIMIT_TEMPLATE_BYTES 1000000  /* by S3 URL */
#define SPARTA_LIMIT_TEMPLATE_BODY_BYTES 51200 /* inline body; larger goes by URL */
#define SPARTA_LIMIT_LOGICAL_ID 255

typedef enum sparta_graph_section_kind {
    SPARTA_SECTION_PARAMETERS = 0,
    SPARTA_SECTION_MAPPINGS,
    SPARTA_SECTION_CONDITIONS,
    SPARTA_SECTION_OUTPUTS,
    SPARTA_SECTION_COUNT
} sparta_graph_section_kind;

typedef struct sparta_graph_entry {
    const char *id;
    const char *owner; /* plugin name, or "sparta" */
    sparta_value *value;
} sparta_graph_entry;

typedef struct sparta_graph_section {
    sparta_graph_entry *items;
    size_t count, capacity;
    sparta_strmap index;
} sparta_graph_section;

struct sparta_resource {
    sparta_graph *graph;
    const char *id, *type, *owner;
    sparta_value *properties;      /* an object */
    sparta_value *depends_on;      /* an array of strings, or NULL */
    sparta_value *attributes;      /* Condition, DeletionPolicy, UpdateReplacePolicy, Metadata */
};

struct sparta_graph {
    sparta_arena *arena;
    sparta_error_slot *error;
    sparta_logger *log;
    const char *stack_name;
    const char *description;
    sparta_resource **resources;
    size_t resource_count, resource_capacity;
    int sorted;
    sparta_strmap resource_index;
    sparta_graph_section sections[SPARTA_SECTION_COUNT];
};

sparta_graph *sparta__graph_new(sparta_error_slot *error, sparta_logger *log, const char *stack_name);
void sparta__graph_free(sparta_graph *g);

/* Returns NULL with the error set for an invalid or duplicate logical ID. */
sparta_resource *sparta__graph_resource_add(sparta_graph *g, const char *owner, const char *id,
                                            const char *type, sparta_value *properties);
int sparta__graph_section_add(sparta_graph *g, sparta_graph_section_kind kind, const char *owner,
                              const char *id, sparta_value *value);
const sparta_graph_entry *sparta__graph_section_find(const sparta_graph *g, sparta_graph_section_kind kind,
                                                     const char *id);
sparta_resource *sparta__graph_resource_find(const sparta_graph *g, const char *id);
/* Resources sorted by logical ID. */
sparta_resource *sparta__graph_resource_at(sparta_graph *g, size_t i);
int sparta__resource_depends_on(sparta_resource *r, const char *id);
int sparta__resource_set_attribute(sparta_resource *r, const char *attribute, sparta_value *v);

/* 1..255 letters and digits, as CloudFormation requires. */
int sparta__logical_id_valid(const char *id);

/* Checks every reference, DependsOn, Condition, cycle and quota. Each problem
 * is one line in `problems`; returns how many there are (0 = valid). */
size_t sparta__graph_validate(sparta_graph *g, sparta_buffer *problems);

/* Writes the template JSON. Same graph, same bytes. */
int sparta__graph_marshal(sparta_graph *g, sparta_deferred_resolver resolve, void *resolve_user_data,
                          char **json, size_t *length);

#endif
