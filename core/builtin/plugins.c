#include <string.h>

#include "builtin.h"
#include "buffer.h"
#include "command/command.h"
#include "json_write.h"

typedef struct owned_commands {
    const sparta_plugin *owner;
    sparta_buffer *out;
    int json;
    int count;
} owned_commands;

static int collect_command(const sparta_command_node *node, void *ctx) {
    owned_commands *c = ctx;
    if (sparta__command_owner(node) != c->owner || !sparta__command_run(node)) return 0;
    const char *path = sparta__command_path(node);
    if (c->json) {
        if (c->count) sparta__buffer_putc(c->out, ',');
        sparta__json_write_string(c->out, path, strlen(path));
    } else {
        sparta__buffer_printf(c->out, "%s%s", c->count ? ", " : "", path);
    }
    c->count++;
    return 0;
}

static const char *const phase_words[] = {"CONFIGURE", "BUILD", "DECORATE", "ARCHIVE", "VALIDATE",
                                          "MARSHAL", "PUBLISH", "CONVERGE", "ROLLBACK"};

static void hooks_of(sparta_host *host, const sparta_plugin *p, sparta_buffer *out, int json) {
    int n = 0;
    for (size_t i = 0; i < host->hook_count; i++) {
        if (host->hooks[i].plugin != p) continue;
        if (json) sparta__buffer_printf(out, "%s{\"phase\":\"%s\",\"priority\":%d}", n ? "," : "",
                                        phase_words[host->hooks[i].phase], host->hooks[i].priority);
        else sparta__buffer_printf(out, "%s%s(%d)", n ? ", " : "", phase_words[host->hooks[i].phase],
                                   host->hooks[i].priority);
        n++;
    }
}

int sparta__cmd_plugins(sparta_plugin *self, const sparta_invocation *inv, void *state) {
    sparta_host *host = self->host;
    int json = sparta__builtin_json(inv);
    sparta_buffer out = SPARTA_BUFFER_INIT;
    if (json) sparta__buffer_putc(&out, '[');
    else if (host->plugin_count == 0) sparta__buffer_puts(&out, "No plugins enabled (plugins.enabled in sparta.cfg).\n");
    for (size_t i = 0; i < host->plugin_count; i++) {
        sparta_plugin *p = host->plugins[i];
        char abi[32];
        snprintf(abi, sizeof abi, "%u.%u", p->info.abi_major, p->info.abi_minor);
        owned_commands c = {p, &out, json, 0};
        if (json) {
            sparta__buffer_puts(&out, i ? ",{" : "{");
            sparta__json_write_member(&out, "name", p->name, 0);
            sparta__json_write_member(&out, "version", p->version, 1);
            sparta__json_write_member(&out, "abi", abi, 1);
            sparta__json_write_member(&out, "path", p->path, 1);
            sparta__json_write_member(&out, "description", p->description, 1);
            sparta__json_write_member(&out, "license", p->license, 1);
            sparta__buffer_puts(&out, ",\"commands\":[");
            sparta__command_walk(host->commands, collect_command, &c);
            sparta__buffer_puts(&out, "],\"hooks\":[");
            hooks_of(host, p, &out, 1);
            sparta__buffer_puts(&out, "]}");
        } else {
            sparta__buffer_printf(&out, "%s %s (ABI %s)\n  %s\n  path:     %s\n  commands: ", p->name, p->version, abi,
                                  p->description, p->path);
            sparta__command_walk(host->commands, collect_command, &c);
            if (!c.count) sparta__buffer_puts(&out, "-");
            sparta__buffer_puts(&out, "\n  hooks:    ");
            size_t before = out.length;
            hooks_of(host, p, &out, 0);
            if (out.length == before) sparta__buffer_puts(&out, "-");
            sparta__buffer_putc(&out, '\n');
        }
    }
    if (json) sparta__buffer_puts(&out, "]\n");
    sparta__host_write(host, out.data ? out.data : "", out.length);
    sparta__buffer_free(&out);
    return 0;
}
