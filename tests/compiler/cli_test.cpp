// The strata executable end to end: exit codes, located errors, output.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace {

namespace fs = std::filesystem;

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() / ("strata-cli-" + std::to_string(::getpid()) + "-" +
                                              ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
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
    const std::string command = "cd '" + directory_.string() + "' && '" STRATA_EXECUTABLE "' " + arguments +
                                " >stdout.txt 2>stderr.txt";
    const int status = std::system(command.c_str());
    return Outcome{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(directory_ / "stdout.txt"),
               slurp(directory_ / "stderr.txt")};
  }

  fs::path directory_;
};

TEST_F(Cli, InspectPrintsCanonicalDdl) {
  write("schema/a.sql", "create table Users (ID serial primary key, email varchar(80) unique);");
  const Outcome run = strata("--dialect postgres inspect");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("CREATE TABLE public.users (\n  id integer DEFAULT nextval('users_id_seq'::regclass) NOT NULL,"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("CONSTRAINT users_email_key UNIQUE (email)"), std::string::npos) << run.out;
}

TEST_F(Cli, GlobalOptionsMayFollowTheCommand) {
  write("db/schema.sql", "CREATE TABLE t (a int);");
  const Outcome run = strata("inspect --dialect postgres --schema db");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("CREATE TABLE public.t"), std::string::npos);
}

TEST_F(Cli, SyntaxErrorIsLocatedWithExitCode2) {
  write("schema/a.sql", "CREATE TABLE t (a int);\nCREATE TABLE u (a int,, b int);\n");
  const Outcome run = strata("--dialect postgres inspect");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err.substr(0, run.err.find('\n')), "schema/a.sql:2:23: syntax error at or near \",\"");
  EXPECT_EQ(run.out, "");
}

TEST_F(Cli, SemanticErrorIsLocatedWithExitCode2) {
  write("schema/a.sql", "CREATE TABLE t (a int);\n\nALTER TABLE t ADD CONSTRAINT k UNIQUE (missing);\n");
  const Outcome run = strata("--dialect postgres inspect");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err.substr(0, run.err.find('\n')), "schema/a.sql:3:1: column \"missing\" named in key does not exist");
}

TEST_F(Cli, ConfigErrorsCarryTheTomlLocation) {
  write("strata.toml", "dialect = \"postgres\"\nschema = [\"schema\"\n");
  const Outcome run = strata("inspect");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err.rfind("strata.toml:", 0), 0U) << run.err;
}

TEST_F(Cli, UnknownCommandIsBadInput) {
  const Outcome run = strata("frobnicate");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("unknown command \"frobnicate\""), std::string::npos);
}

TEST_F(Cli, HelpListsOnlyCommandsThatExist) {
  const Outcome run = strata("--help");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("inspect"), std::string::npos);
}

}  // namespace
