#include <stdlib.h>
#include <string.h>

#include "aws/converge.h"
#include "aws/redact.h"
#include "builtin.h"
#include "command/command.h"
#include "json_write.h"

static void kv_section(sparta_buffer *out, const char *title, const sparta__aws_kvlist *l, int json) {
    if (json) {
        sparta__buffer_printf(out, ",\"%s\":{", title);
        for (size_t i = 0; i < l->count; i++) sparta__json_write_member(out, l->items[i].name, l->items[i].value, i > 0);
        sparta__buffer_putc(out, '}');
        return;
    }
    if (!l->count) return;
    sparta__buffer_printf(out, "%s:\n", title);
    for (size_t i = 0; i < l->count; i++)
        sparta__buffer_printf(out, "  %s = %s\n", l->items[i].name, l->items[i].value ? l->items[i].value : "");
}

int sparta__cmd_status(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    sparta_host *host = p->host;
    const char *stack = NULL;
    sparta__aws_client *aws = NULL;
    int rc = sparta__builtin_stack_and_client(host, inv, &stack, &aws);
    if (rc != 0) return rc;
    sparta__cfn_stack *s = NULL;
    rc = sparta__converge_status(aws, stack, &s, &host->error);
    if (rc == SPARTA_ENOTFOUND)
        return sparta__error_set(&host->error, SPARTA_ENOTFOUND,
                                 "stack %s does not exist in %s: deploy it with sparta provision", stack,
                                 sparta__aws_client_region(aws));
    if (rc != 0) return rc;
    int json = sparta__host_json_output(host);
    sparta_buffer out = SPARTA_BUFFER_INIT;
    if (json) {
        sparta__buffer_putc(&out, '{');
        sparta__json_write_member(&out, "stackName", s->name, 0);
        sparta__json_write_member(&out, "stackId", s->stack_id, 1);
        sparta__json_write_member(&out, "status", s->status, 1);
        sparta__json_write_member(&out, "statusReason", s->status_reason, 1);
        sparta__json_write_member(&out, "created", s->creation_time, 1);
        sparta__json_write_member(&out, "updated", s->last_updated_time, 1);
    } else {
        sparta__buffer_printf(&out, "Stack:      %s\nStatus:     %s%s%s\nStack ID:   %s\nCreated:    %s\nUpdated:    %s\n",
                              s->name ? s->name : stack, s->status ? s->status : "?",
                              s->status_reason ? " - " : "", s->status_reason ? s->status_reason : "",
                              s->stack_id ? s->stack_id : "", s->creation_time ? s->creation_time : "-",
                              s->last_updated_time ? s->last_updated_time : "-");
    }
    kv_section(&out, json ? "parameters" : "Parameters", &s->parameters, json);
    kv_section(&out, json ? "tags" : "Tags", &s->tags, json);
    if (json) sparta__buffer_puts(&out, ",\"outputs\":{");
    else if (s->output_count) sparta__buffer_puts(&out, "Outputs:\n");
    for (size_t i = 0; i < s->output_count; i++) {
        if (json) sparta__json_write_member(&out, s->outputs[i].key, s->outputs[i].value, i > 0);
        else sparta__buffer_printf(&out, "  %s = %s\n", s->outputs[i].key, s->outputs[i].value ? s->outputs[i].value : "");
    }
    if (json) sparta__buffer_puts(&out, "}}\n");
    sparta__cfn_stack_free(s);
    char *text = out.data ? out.data : strdup("");
    if (sparta__invocation_flag_bool(inv, "redact")) {
        char *masked = sparta__aws_redact_account_ids(text);
        if (masked) {
            if (text != out.data) free(text);
            text = masked;
        }
    }
    sparta__host_write(host, text, strlen(text));
    if (text != out.data) free(text);
    sparta__buffer_free(&out);
    return 0;
}
