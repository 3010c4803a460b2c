// Runs the strata executable in a fresh temporary directory, as a user does:
// the exit code, stdout and stderr of each run.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>  // mkdtemp
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace strata::testing {

struct CliOutcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class StrataCli : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "strata-cli-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  void write(const std::string& name, const std::string& text) const {
    std::filesystem::create_directories((directory_ / name).parent_path());
    std::ofstream(directory_ / name) << text;
  }

  static std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // A shell command run in the temporary directory.
  CliOutcome run(const std::string& command) const {
    const std::string line = "cd '" + directory_.string() + "' && " + command + " >stdout.txt 2>stderr.txt";
    const int status = std::system(line.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(directory_ / "stdout.txt"),
            slurp(directory_ / "stderr.txt")};
  }

  // `arguments` as a shell would split them, run in the temporary directory.
  CliOutcome strata(const std::string& arguments) const { return run("'" STRATA_EXECUTABLE "' " + arguments); }

  std::filesystem::path directory_;
};

}  // namespace strata::testing
