/* Reading AWS XML answers with libxml2: find elements by local name along a
 * path, ignoring namespaces (CloudFormation and S3 use different ones). */
#ifndef SPARTA_AWS_XML_H
#define SPARTA_AWS_XML_H

#include <libxml/tree.h>
#include <stddef.h>

/* NULL when the bytes are not well-formed XML; never prints to stderr. */
xmlDocPtr sparta__xml_parse(const char *body, size_t length);
/* The element at a '/'-separated path of local names below parent
 * ("DescribeStacksResult/Stacks"), or NULL. parent NULL = nothing. */
xmlNodePtr sparta__xml_find(xmlNodePtr parent, const char *path);
/* The next sibling element with the same local name (for <member> lists). */
xmlNodePtr sparta__xml_next(xmlNodePtr node);
/* A copy of the text of the element at path (parent itself for ""), or NULL. */
char *sparta__xml_text(xmlNodePtr parent, const char *path);

#endif
