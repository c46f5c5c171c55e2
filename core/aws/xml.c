#include "aws/xml.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

xmlDocPtr sparta__xml_parse(const char *body, size_t length) {
    if (!body || !length) return NULL;
    return xmlReadMemory(body, (int)length, "aws.xml", NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS);
}

static xmlNodePtr child_named(xmlNodePtr parent, const char *name, size_t n) {
    for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strlen((const char *)c->name) == n &&
            !strncmp((const char *)c->name, name, n))
            return c;
    return NULL;
}

xmlNodePtr sparta__xml_find(xmlNodePtr parent, const char *path) {
    xmlNodePtr node = parent;
    const char *p = path;
    while (node && p && *p) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        node = child_named(node, p, n);
        p = slash ? slash + 1 : NULL;
    }
    return node;
}

xmlNodePtr sparta__xml_next(xmlNodePtr node) {
    for (xmlNodePtr c = node ? node->next : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, (const char *)node->name))
            return c;
    return NULL;
}

char *sparta__xml_text(xmlNodePtr parent, const char *path) {
    xmlNodePtr node = sparta__xml_find(parent, path);
    if (!node) return NULL;
    xmlChar *content = xmlNodeGetContent(node);
    char *out = strdup(content ? (const char *)content : "");
    xmlFree(content);
    return out;
}
