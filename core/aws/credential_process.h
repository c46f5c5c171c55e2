/* A profile's credential_process: an outside program that prints the keys
 * (the AWS CLI's "sourcing credentials with an external process"). Used
 * for password managers, hardware tokens and corporate login helpers. */
#ifndef SPARTA_AWS_CREDENTIAL_PROCESS_H
#define SPARTA_AWS_CREDENTIAL_PROCESS_H

#include "aws/credentials.h"
#include "error.h"

/* Runs `command` with /bin/sh -c (stdin and stderr are the user's, so it
 * may prompt), reads the JSON document it prints on stdout
 * ({"Version": 1, "AccessKeyId", "SecretAccessKey", "SessionToken"?,
 * "Expiration"?}) and fills `out`. A program that fails, hangs past
 * SPARTA_CREDENTIAL_PROCESS_TIMEOUT_MS (default 120000) or prints anything
 * else is SPARTA_EAWS naming the profile; what it printed never reaches a
 * message (it may hold keys). */
int sparta__aws_credential_process(const char *profile_name, const char *command, sparta__aws_credentials *out,
                                   sparta_error_slot *err);

#endif
