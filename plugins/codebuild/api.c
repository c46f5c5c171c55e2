/* The host table the codebuild files call through; set by the init of
 * whichever plugin (codebuild or codepipeline) they are compiled into. */
#include "codebuild.h"

const sparta_host_api *codebuild_api;
