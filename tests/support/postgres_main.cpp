// main() for test binaries that use the shared PostgreSQL cluster: link
// strata_test_postgres_main instead of GTest::gtest_main, and the cluster
// started by the first test that asks for it is stopped after the last test.
#include <gtest/gtest.h>

#include "postgres_cluster.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new strata::testing::PostgresEnvironment);  // gtest takes ownership
  return RUN_ALL_TESTS();
}
