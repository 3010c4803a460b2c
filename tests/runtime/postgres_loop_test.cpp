// The user's loop on PostgreSQL through the strata executable: init, plan,
// apply, change the schema (an enum value, a NOT NULL column with a default),
// plan, apply, status, down and apply again, against the test cluster.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "postgres_cluster.h"
#include "strata/runtime/postgres_connection.h"

namespace strata {
namespace {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class PostgresLoop : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "strata-loop-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    url_ = testing::shared_postgres().create_database();
  }
  void TearDown() override { fs::remove_all(directory_); }

  void write(const std::string& name, const std::string& text) {
    fs::create_directories((directory_ / name).parent_path());
    std::ofstream(directory_ / name) << text;
  }
  static std::string slurp(const fs::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
  Outcome strata(const std::string& arguments) {
    const std::string command = "cd '" + directory_.string() + "' && STRATA_DATABASE_URL='" + url_ + "' '" +
                                STRATA_EXECUTABLE "' " + arguments + " >stdout.txt 2>stderr.txt";
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(directory_ / "stdout.txt"),
            slurp(directory_ / "stderr.txt")};
  }
  std::string query(const std::string& sql) {
    runtime::PostgresConnection connection(url_);
    const auto result = connection.query(sql);
    std::string text;
    for (int row = 0; row < result.rows(); ++row) text += std::string(result.value(row, 0)) + ";";
    return text;
  }

  fs::path directory_;
  std::string url_;
};

TEST_F(PostgresLoop, PlanApplyChangeDownAndReapply) {
  ASSERT_EQ(strata("init --dialect postgres").exit_code, 0);
  write("schema/schema.sql",
        "CREATE TYPE mood AS ENUM ('sad', 'happy');\n"
        "CREATE TABLE people (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, m mood);\n");
  Outcome run = strata("plan -m people");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  run = strata("apply");
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  runtime::PostgresConnection(url_).exec("INSERT INTO people (name, m) VALUES ('ann', 'happy'), ('bob', 'sad')");

  write("schema/schema.sql",
        "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n"
        "CREATE TABLE people (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL, m mood,\n"
        "  active boolean NOT NULL DEFAULT true);\n");
  EXPECT_EQ(strata("plan --check").exit_code, 1);
  run = strata("plan -m active");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  run = strata("apply");
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(query("SELECT name || ':' || m || ':' || active FROM people ORDER BY id"), "ann:happy:true;bob:sad:true;");
  EXPECT_EQ(strata("check").exit_code, 0);
  EXPECT_NE(strata("status").out.find("0002_active  applied"), std::string::npos);

  run = strata("down --to 0001");
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(query("SELECT count(*) FROM information_schema.columns WHERE table_name = 'people' AND column_name = 'active'"), "0;") << run.out;
  EXPECT_EQ(query("SELECT name || ':' || m FROM people ORDER BY id"), "ann:happy;bob:sad;");
  run = strata("apply");
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(query("SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum"), "sad,ok,happy;");
}

// Drift detection: a database built from the schema files, read back as the
// server rewrote it (view columns qualified, * expanded, IN as = ANY, 'a'::text),
// has nothing to do either way; a change made behind strata's back shows.
TEST_F(PostgresLoop, DriftDetectionSeesRealChangesNotTheServersRewrites) {
  ASSERT_EQ(strata("init --dialect postgres").exit_code, 0);
  const std::string schema =
      "CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL,\n"
      "  status text CHECK (status IN ('active', 'gone')));\n"
      "CREATE VIEW active_people AS SELECT * FROM people WHERE status = 'active';\n"
      "CREATE TABLE visits (at timestamp NOT NULL) PARTITION BY RANGE (at);\n"
      "CREATE TABLE visits_2024 PARTITION OF visits FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');\n";
  write("schema/schema.sql", schema);
  runtime::PostgresConnection(url_).exec(schema);
  const std::string nothing_to_do = "-- the two schemas are the same: nothing to do\n";
  Outcome run = strata("diff --from '" + url_ + "' --to schema/");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, nothing_to_do);
  run = strata("diff --from schema/ --to '" + url_ + "'");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, nothing_to_do);

  runtime::PostgresConnection(url_).exec(
      "CREATE OR REPLACE VIEW active_people AS SELECT * FROM people WHERE status = 'gone'");
  run = strata("diff --from '" + url_ + "' --to schema/");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("active_people"), std::string::npos) << run.out;
}

TEST_F(PostgresLoop, ANewEnumValueUsedInTheSamePlanGoesInALaterMigration) {
  ASSERT_EQ(strata("init --dialect postgres").exit_code, 0);
  write("schema/schema.sql",
        "CREATE TYPE status AS ENUM ('draft', 'published');\n"
        "CREATE TABLE posts (id integer PRIMARY KEY, status status NOT NULL DEFAULT 'draft');\n");
  ASSERT_EQ(strata("plan -m posts").exit_code, 0);
  ASSERT_EQ(strata("apply").exit_code, 0);
  runtime::PostgresConnection(url_).exec("INSERT INTO posts VALUES (1, 'draft'), (2, 'published')");

  write("schema/schema.sql",
        "CREATE TYPE status AS ENUM ('draft', 'review', 'published', 'archived');\n"
        "CREATE TABLE posts (id integer PRIMARY KEY, status status NOT NULL DEFAULT 'review');\n"
        "CREATE INDEX posts_archived ON posts (id) WHERE status = 'archived';\n");
  Outcome run = strata("plan -m review");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("split in 2 migrations"), std::string::npos) << run.out;
  const std::string first = slurp(directory_ / "migrations" / "0002_review.up.sql");
  const std::string second = slurp(directory_ / "migrations" / "0003_review_step_2.up.sql");
  EXPECT_NE(first.find("ADD VALUE 'archived'"), std::string::npos) << first;
  EXPECT_EQ(first.find("'review'::"), std::string::npos) << first;
  EXPECT_NE(second.find("WHERE (status = 'archived')"), std::string::npos) << second;

  run = strata("apply");
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  runtime::PostgresConnection(url_).exec("INSERT INTO posts (id) VALUES (3)");
  EXPECT_EQ(query("SELECT id || ':' || status FROM posts ORDER BY id"), "1:draft;2:published;3:review;");
  EXPECT_EQ(strata("check").exit_code, 0);

  runtime::PostgresConnection(url_).exec("DELETE FROM posts WHERE id = 3");
  run = strata("down --to 0001");
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(query("SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum"), "draft,published;");
  EXPECT_EQ(query("SELECT id || ':' || status FROM posts ORDER BY id"), "1:draft;2:published;");
}

// Undoing the removal of a value adds it back and uses it; a down file is
// one migration, so it runs outside a transaction instead of splitting. An
// array literal's element is a use too.
TEST_F(PostgresLoop, ADownMigrationThatAddsAValueBackAndUsesItRuns) {
  ASSERT_EQ(strata("init --dialect postgres").exit_code, 0);
  write("schema/schema.sql",
        "CREATE TYPE status AS ENUM ('draft', 'gone');\n"
        "CREATE TABLE posts (id integer PRIMARY KEY, status status DEFAULT 'gone', seen status[] DEFAULT '{draft}');\n");
  ASSERT_EQ(strata("plan -m posts").exit_code, 0);
  ASSERT_EQ(strata("apply").exit_code, 0);
  write("schema/schema.sql",
        "CREATE TYPE status AS ENUM ('draft');\n"
        "CREATE TABLE posts (id integer PRIMARY KEY, status status DEFAULT 'draft', seen status[] DEFAULT '{draft}');\n");
  Outcome run = strata("plan -m no_gone --allow-destructive");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(slurp(directory_ / "migrations" / "0002_no_gone.down.sql").find("-- strata:no-transaction"),
            std::string::npos);
  ASSERT_EQ(strata("apply").exit_code, 0);
  run = strata("down --steps 1");
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  EXPECT_EQ(strata("check").exit_code, 0);

  write("schema/schema.sql",
        "CREATE TYPE status AS ENUM ('draft', 'gone', 'kept');\n"
        "CREATE TABLE posts (id integer PRIMARY KEY, status status DEFAULT 'gone', seen status[] DEFAULT '{draft,kept}');\n");
  run = strata("plan -m kept");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("split in 2 migrations"), std::string::npos) << run.out;
  run = strata("apply");
  ASSERT_EQ(run.exit_code, 0) << run.out << run.err;
  runtime::PostgresConnection(url_).exec("INSERT INTO posts (id) VALUES (1)");
  EXPECT_EQ(query("SELECT status || ' ' || seen::text FROM posts"), "gone {draft,kept};");
}

}  // namespace
}  // namespace strata
