/* `sparta invoke --remote` against moto_server. moto runs Lambda code only
 * in docker, which the tests do not have, so what is checked is what moto
 * answers faithfully: a function that is not deployed is a clear error
 * naming it, for provided.* and managed runtimes alike. */
#include <stdio.h>
#include <stdlib.h>

#include "li_support.h"
#include "local_aws.h"
#include "test_lambda_invoke.h"
#include "test_support.h"

void test_remote_not_deployed(void) {
    local_aws moto;
    if (local_aws_start(&moto) != 0) {
        CU_FAIL("moto_server could not be started (see above)");
        return;
    }
    local_aws_set_env(&moto);
    li_run r = li_sparta("invoke hello --remote");
    CU_ASSERT_EQUAL(r.status, 1);
    CU_ASSERT_STRING_EQUAL(r.out, "");
    TEST_ASSERT_CONTAINS(r.err,
                         "function 'hello' is not deployed: Lambda has no function named inv-hello in us-east-1");
    TEST_ASSERT_CONTAINS(r.err, "sparta provision");
    li_run_free(&r);

    /* --remote is not limited to provided.* */
    r = li_sparta("invoke py --remote --event - < /dev/null");
    CU_ASSERT_EQUAL(r.status, 1);
    TEST_ASSERT_CONTAINS(r.err, "no function named inv-py");
    li_run_free(&r);

    r = li_sparta("invoke nosuch --remote");
    CU_ASSERT_EQUAL(r.status, 1);
    TEST_ASSERT_CONTAINS(r.err, "no function named 'nosuch' in lambda.functions: use one of hello");
    li_run_free(&r);
    local_aws_stop(&moto);
}
