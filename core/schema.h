/* Config schemas: a plugin declares the keys its sparta.cfg group accepts;
 * the host checks the group before any hook runs. */
#ifndef SPARTA_CORE_SCHEMA_H
#define SPARTA_CORE_SCHEMA_H

#include "buffer.h"
#include "value.h"

/* Checks `section` (the group named `section_name`) against the fields.
 * Field type SPARTA_VALUE_NULL accepts anything below it unchecked.
 * Writes one line per problem, "file:line: lambda.functions.[2].memory:
 * expected an integer, found a string"; returns how many. */
size_t sparta__schema_validate(const sparta_schema_field *fields, size_t count, const char *section_name,
                               const sparta_value *section, sparta_buffer *problems);

#endif
