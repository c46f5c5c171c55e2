/* XML answers (CloudFormation, S3): sparta__xml_parse, then the walks the
 * AWS client does over them (find along a path, next sibling, text).
 *
 * Input: a path (up to the first NUL, at most 128 bytes) then the body. The
 * body is handed over in a buffer of exactly its length, as a response
 * body's length is what counts. Properties:
 *  - parsing never reads past `length` and never prints;
 *  - find(NULL, p) is NULL, find(n, "") is n, text(n, "") is never NULL;
 *  - every node found is an element with the local name asked for, and
 *    next() only returns later siblings with the same name;
 *  - the walks the client does (DescribeStacks, DescribeStackEvents,
 *    DescribeChangeSet, S3 multipart, error documents) finish. */
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"
#include "fuzz_support.h"

static const char *const result_paths[] = {
    "DescribeStacksResult/Stacks/member",
    "DescribeStackEventsResult/StackEvents/member",
    "DescribeChangeSetResult/Changes/member",
    "DescribeChangeSetResult",
    "GetTemplateResult",
    "CreateChangeSetResult",
    "CreateStackResult",
    "UpdateStackResult",
    "Error",
    "Errors/Error",
    "InitiateMultipartUploadResult",
    "ListBucketResult",
    "",
};
static const char *const member_fields[] = {
    "StackId", "StackName", "StackStatus", "StackStatusReason", "Description", "CreationTime",
    "LastUpdatedTime", "Outputs", "Parameters", "Tags", "Capabilities", "EventId", "LogicalResourceId",
    "PhysicalResourceId", "ResourceType", "ResourceStatus", "ResourceStatusReason", "Timestamp",
    "ResourceChange", "ResourceChange/Action", "ResourceChange/Replacement", "Code", "Message", "RequestId",
    "UploadId", "NextToken", "Outputs/member", "Parameters/member", "Tags/member", "ExecutionStatus", "",
};

static size_t last_name_len(const char *path) {
    const char *slash = strrchr(path, '/');
    return strlen(slash ? slash + 1 : path);
}

static void check_found(xmlNodePtr node, const char *path) {
    /* A single trailing '/' is ignored by find: "Stacks/" finds <Stacks>. */
    if (!node || !*path || path[strlen(path) - 1] == '/') return;
    const char *slash = strrchr(path, '/');
    const char *want = slash ? slash + 1 : path;
    FUZZ_CHECK(node->type == XML_ELEMENT_NODE, "find(\"%s\") returned a non-element", path);
    FUZZ_CHECK(strlen((const char *)node->name) == last_name_len(path) && !strcmp((const char *)node->name, want),
               "find(\"%s\") returned <%s>", path, (const char *)node->name);
}

static void walk_members(xmlNodePtr first, const char *path) {
    check_found(first, path);
    size_t n = 0;
    for (xmlNodePtr m = first; m && n < 1000; m = sparta__xml_next(m), n++) {
        if (m != first) {
            FUZZ_CHECK(m->type == XML_ELEMENT_NODE && !strcmp((const char *)m->name, (const char *)first->name),
                       "next() left the member list");
            FUZZ_CHECK(m->parent == first->parent, "next() returned a non-sibling");
        }
        for (size_t f = 0; f < sizeof member_fields / sizeof *member_fields; f++) {
            xmlNodePtr node = sparta__xml_find(m, member_fields[f]);
            check_found(node, member_fields[f]);
            char *text = sparta__xml_text(m, member_fields[f]);
            FUZZ_CHECK((text != NULL) == (node != NULL), "text and find disagree on \"%s\"", member_fields[f]);
            free(text);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_input in = {data, size};
    char *path = fuzz_string_until(&in, 0, 128, NULL);
    char *body = malloc(in.size ? in.size : 1);
    if (!body) abort();
    if (in.size) memcpy(body, in.data, in.size);

    FUZZ_CHECK(sparta__xml_find(NULL, path) == NULL, "find on NULL");
    xmlDocPtr doc = sparta__xml_parse(body, in.size);
    if (doc) {
        xmlNodePtr root = xmlDocGetRootElement(doc);
        FUZZ_CHECK(sparta__xml_find(root, "") == root, "find(\"\") must return the parent");
        if (root) {
            char *all = sparta__xml_text(root, "");
            FUZZ_CHECK(all != NULL, "text of the root");
            free(all);
        }
        for (size_t i = 0; i < sizeof result_paths / sizeof *result_paths; i++)
            walk_members(sparta__xml_find(root, result_paths[i]), result_paths[i]);
        xmlNodePtr mine = sparta__xml_find(root, path);
        walk_members(mine, path);
        char *text = sparta__xml_text(root, path);
        FUZZ_CHECK((text != NULL) == (mine != NULL), "text and find disagree on the fuzzed path");
        free(text);
        xmlFreeDoc(doc);
    }
    free(body);
    free(path);
    return 0;
}
