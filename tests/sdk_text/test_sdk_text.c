/* sparta/text.h, the plugins' growable string: growth, printf past the
 * spare room, RFC 8259 string escapes, and the out-of-memory contract
 * (after `failed`, nothing is appended and take hands back NULL). */
#include <sparta/text.h>
#include <string.h>

#include "test_support.h"

static void test_empty(void) {
    sparta_text t = {0};
    CU_ASSERT_STRING_EQUAL(sparta_text_str(&t), "");
    sparta_text_puts(&t, NULL);
    CU_ASSERT_EQUAL(t.length, 0);
    char *taken = sparta_text_take(&t);
    CU_ASSERT_PTR_NOT_NULL_FATAL(taken);
    CU_ASSERT_STRING_EQUAL(taken, "");
    CU_ASSERT_PTR_NULL(t.data);
    free(taken);
}

static void test_growth(void) {
    sparta_text t = {0};
    for (int i = 0; i < 1000; i++) sparta_text_puts(&t, "0123456789");
    sparta_text_put(&t, "a\0b", 3);
    CU_ASSERT_EQUAL(t.length, 10003);
    CU_ASSERT_EQUAL(memcmp(t.data + 9998, "89a\0b", 6), 0);
    CU_ASSERT(t.capacity > t.length);
    sparta_text_free(&t);
    CU_ASSERT_PTR_NULL(t.data);
    CU_ASSERT_EQUAL(t.length, 0);
}

/* Results that fit the spare room, miss it by the NUL, and far exceed it. */
static void test_printf(void) {
    sparta_text t = {0};
    sparta_text_printf(&t, "%d-%s", 42, "x");
    CU_ASSERT_STRING_EQUAL(sparta_text_str(&t), "42-x");
    size_t room = t.capacity - t.length;
    sparta_text_printf(&t, "%0*d", (int)room, 7);
    CU_ASSERT_EQUAL(t.length, 4 + room);
    CU_ASSERT_EQUAL(strlen(t.data), t.length);
    char *wide = test_strf("%05000d", 1);
    sparta_text_printf(&t, "[%s]", wide);
    CU_ASSERT_EQUAL(t.length, 4 + room + 5002);
    CU_ASSERT_EQUAL(strncmp(t.data + 4 + room, "[0000", 5), 0);
    CU_ASSERT_STRING_EQUAL(t.data + t.length - 3, "01]");
    free(wide);
    sparta_text_free(&t);
}

static void test_json_string(void) {
    sparta_text t = {0};
    sparta_text_json_string(&t, "a\"b\\c\nd\re\tf\bg\fh\x01i\x1f${AWS::Region} \xc3\xa9\x7f");
    CU_ASSERT_STRING_EQUAL(sparta_text_str(&t),
                           "\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u001f${AWS::Region} \xc3\xa9\x7f\"");
    sparta_text_free(&t);
    sparta_text_json_string(&t, "");
    sparta_text_json_string(&t, NULL);
    CU_ASSERT_STRING_EQUAL(sparta_text_str(&t), "\"\"\"\"");
    sparta_text_free(&t);
}

/* Bytes with NULs keep every byte, the NUL escaped; the C-string form stops
 * at its NUL. */
static void test_json_string_n(void) {
    sparta_text t = {0};
    sparta_text_json_string_n(&t, "a\0b\"\x01", 5);
    CU_ASSERT_EQUAL(t.length, 18);
    CU_ASSERT_STRING_EQUAL(sparta_text_str(&t), "\"a\\u0000b\\\"\\u0001\"");
    sparta_text_free(&t);
    sparta_text_json_string_n(&t, "stop\0here", 4);
    sparta_text_json_string_n(&t, NULL, 3);
    sparta_text_json_string(&t, "stop\0here");
    CU_ASSERT_STRING_EQUAL(sparta_text_str(&t), "\"stop\"\"\"\"stop\"");
    sparta_text_free(&t);
}

static void test_failed_stays_failed(void) {
    sparta_text t = {0};
    sparta_text_puts(&t, "kept");
    t.failed = 1;
    sparta_text_puts(&t, "dropped");
    sparta_text_printf(&t, "%s", "dropped");
    sparta_text_json_string(&t, "dropped");
    CU_ASSERT_STRING_EQUAL(sparta_text_str(&t), "kept");
    CU_ASSERT_PTR_NULL(sparta_text_take(&t));
    CU_ASSERT_PTR_NULL(t.data);
    CU_ASSERT_EQUAL(t.failed, 0);
}

/* A size no allocator grants marks the text failed instead of wrapping. */
static void test_impossible_size(void) {
    sparta_text t = {0};
    sparta_text_puts(&t, "x");
    sparta_text_put(&t, "", (size_t)-1 - 1);
    CU_ASSERT_EQUAL(t.failed, 1);
    CU_ASSERT_EQUAL(t.length, 1);
    sparta_text_free(&t);
}

/* Query API bodies: unreserved characters stay, every other byte is %XX. */
static void test_urlencode(void) {
    sparta_text t = {0};
    sparta_text_urlencode(&t, "svc-alarm.fn_1~ a/b&c=d\xc3\xa9");
    sparta_text_urlencode(&t, NULL);
    CU_ASSERT_STRING_EQUAL(sparta_text_str(&t), "svc-alarm.fn_1~%20a%2Fb%26c%3Dd%C3%A9");
    sparta_text_free(&t);
}

int main(void) {
    static const test_case cases[] = {{"empty text: \"\" and a taken \"\"", test_empty},
                                      {"growth keeps every byte", test_growth},
                                      {"printf within, just past and far past the spare room", test_printf},
                                      {"JSON strings: RFC 8259 escapes, the rest as it is", test_json_string},
                                      {"JSON strings of n bytes: NULs escaped, not an end", test_json_string_n},
                                      {"after failed, nothing is appended; take is NULL", test_failed_stays_failed},
                                      {"an impossible size fails instead of wrapping", test_impossible_size},
                                      {"form encoding: unreserved as they are, the rest %XX", test_urlencode},
                                      {NULL, NULL}};
    return test_main("sdk_text", cases);
}
