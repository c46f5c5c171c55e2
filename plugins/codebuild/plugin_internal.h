/* What the codebuild plugin's own files share (not compiled into codepipeline). */
#ifndef SPARTA_PLUGIN_CODEBUILD_INTERNAL_H
#define SPARTA_PLUGIN_CODEBUILD_INTERNAL_H

#include <sparta/plugin.h>

int codebuild_cmd_buildspec(sparta_plugin *p, const sparta_invocation *inv, void *state);
int codebuild_configure(sparta_plugin *p, sparta_graph *g, void *state);

#endif
