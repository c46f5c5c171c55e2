/* Facts the converge needs from a template (JSON): which capabilities
 * CloudFormation will demand, how many resources there are (for the
 * "n of m resources" counter), and parameter defaults. */
#ifndef SPARTA_AWS_TEMPLATE_FACTS_H
#define SPARTA_AWS_TEMPLATE_FACTS_H

#include <stddef.h>

/* Fills caps (at most 3 static strings) and returns how many:
 * CAPABILITY_IAM for any IAM resource (and nested stacks, whose contents
 * we cannot see), CAPABILITY_NAMED_IAM when an IAM resource sets its own
 * name (RoleName, UserName, ...), CAPABILITY_AUTO_EXPAND for a Transform
 * (top-level or Fn::Transform) or a nested stack. -1 when not JSON. */
int sparta__template_capabilities(const char *template_json, const char *caps[3]);
/* Number of entries under Resources; 0 when none or not JSON. */
size_t sparta__template_resource_count(const char *template_json);
/* Copy of Parameters.<name>.Default as text, or NULL. */
char *sparta__template_parameter_default(const char *template_json, const char *name);

#endif
