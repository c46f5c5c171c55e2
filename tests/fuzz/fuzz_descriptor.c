/* The plugin descriptor check: random bytes as the descriptor a plugin's
 * sparta_plugin_entry() returned.
 *
 * Input: up to sizeof(sparta_plugin_descriptor) bytes fill the descriptor
 * (zero-padded); the pointer fields are then replaced (never a function
 * pointer is called, nor a random pointer read) by NULL or by strings taken
 * from the rest of the input, as a loader that passed the check would read
 * them. Properties:
 *  - the check accepts exactly: magic equal, major equal, minor <= host's,
 *    first-ABI size <= struct_size <= host size;
 *  - a refusal is SPARTA_EPLUGIN and its message names the file and, for a
 *    wrong magic, says so; every differing header field is named;
 *  - an accepted descriptor copied min(size, ours) into a zeroed struct gives
 *    readable strings (what plugin_open does next). */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "host.h"

#define V1_SIZE (offsetof(sparta_plugin_descriptor, fini) + sizeof(sparta_plugin_fini_fn))
#define PLUGIN_PATH "/fuzz/plugins/fuzzed.so"

static void check_message(const sparta_error_slot *err, const char *needle, const char *why) {
    FUZZ_CHECK(strstr(err->message, needle) != NULL, "%s: '%s' not in: %s", why, needle, err->message);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_input in = {data, size};
    sparta_plugin_descriptor d;
    memset(&d, 0, sizeof d);
    size_t head = size < sizeof d ? size : sizeof d;
    memcpy(&d, data, head);
    in.data += head;
    in.size -= head;
    /* Strings a loader would read after the check. */
    char *name = fuzz_string_until(&in, 0, 300, NULL);
    char *version = fuzz_string_until(&in, 0, 64, NULL);
    char *description = fuzz_string_until(&in, 0, 300, NULL);
    uint8_t which = d.struct_size & 0xff; /* reuse bytes to decide which are NULL */
    d.name = (which & 1) ? NULL : name;
    d.version = (which & 2) ? NULL : version;
    d.description = (which & 4) ? NULL : description;
    d.license = (which & 8) ? NULL : "MIT";
    d.init = NULL;
    d.fini = NULL;

    /* Half the time the header is made valid, so the fuzzer spends its time
     * on single-field differences too. */
    if (size && (data[0] & 0x80) && size > sizeof d) {
        uint8_t mode = data[sizeof d];
        if (mode & 1) d.magic = SPARTA_PLUGIN_MAGIC;
        if (mode & 2) d.abi_major = SPARTA_ABI_MAJOR;
        if (mode & 4) d.abi_minor = (uint16_t)(d.abi_minor % (SPARTA_ABI_MINOR + 2));
        if (mode & 8) d.struct_size = (uint32_t)(V1_SIZE + d.struct_size % (sizeof d - V1_SIZE + 16));
    }

    sparta_error_slot err;
    memset(&err, 0, sizeof err);
    int rc = sparta__descriptor_check(&d, PLUGIN_PATH, &err);

    int magic_ok = d.magic == SPARTA_PLUGIN_MAGIC;
    int major_ok = d.abi_major == SPARTA_ABI_MAJOR;
    int minor_ok = d.abi_minor <= SPARTA_ABI_MINOR;
    int size_ok = d.struct_size >= V1_SIZE && d.struct_size <= sizeof d;
    int should_accept = magic_ok && major_ok && minor_ok && size_ok;
    FUZZ_CHECK((rc == 0) == should_accept, "check returned %d for magic=%08x major=%u minor=%u size=%u", rc,
               d.magic, d.abi_major, d.abi_minor, d.struct_size);
    if (rc != 0) {
        FUZZ_CHECK(rc == SPARTA_EPLUGIN, "refusal code %d", rc);
        check_message(&err, PLUGIN_PATH, "refusal does not name the file");
        if (!magic_ok) {
            check_message(&err, "magic", "wrong magic not named");
        } else {
            if (!major_ok) check_message(&err, "ABI major", "wrong major not named");
            else if (!minor_ok) check_message(&err, "ABI minor", "newer minor not named");
            if (!size_ok) check_message(&err, "descriptor size", "wrong size not named");
        }
        FUZZ_CHECK(strlen(err.message) < sizeof err.message, "message not terminated");
    } else {
        /* What the loader does with an accepted descriptor. */
        sparta_plugin_descriptor copy;
        memset(&copy, 0, sizeof copy);
        memcpy(&copy, &d, d.struct_size < sizeof copy ? d.struct_size : sizeof copy);
        const char *fields[] = {copy.name, copy.version, copy.description, copy.license};
        for (size_t i = 0; i < 4; i++) {
            char *dup = strdup(fields[i] ? fields[i] : "");
            FUZZ_CHECK(dup != NULL, "strdup");
            free(dup);
        }
    }

    /* A NULL descriptor is always refused, with the file named. */
    memset(&err, 0, sizeof err);
    FUZZ_CHECK(sparta__descriptor_check(NULL, PLUGIN_PATH, &err) == SPARTA_EPLUGIN, "NULL accepted");
    check_message(&err, PLUGIN_PATH, "NULL refusal does not name the file");

    free(name);
    free(version);
    free(description);
    return 0;
}
