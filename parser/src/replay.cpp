#include "strata/parser/replay.h"

#include "sqlite_run.h"
#include "strata/parser/postgres_parser.h"
#include "strata/parser/sqlite_catalog.h"
#include "strata/schema/error.h"

namespace strata::parser {

namespace {

class PostgresReplay final : public Replay {
 public:
  explicit PostgresReplay(std::vector<Warning>& warnings) : warnings_(warnings) {}

  void run(const SourceFile& file) override { run_into(interpreter_, file); }
  schema::Catalog catalog() const override { return interpreter_.catalog(); }
  schema::Catalog try_run(const SourceFile& file) override {
    Interpreter trial = interpreter_;
    run_into(trial, file);
    return std::move(trial).release();
  }

 private:
  void run_into(Interpreter& interpreter, const SourceFile& file) {
    parse_postgres(file.path, file.text, [&](Statement&& statement) { interpreter.apply(statement); }, warnings_);
  }

  std::vector<Warning>& warnings_;
  Interpreter interpreter_;
};

class SqliteReplay final : public Replay {
 public:
  explicit SqliteReplay(std::vector<Warning>& warnings) : warnings_(warnings), db_(open_sqlite_memory_database()) {}

  void run(const SourceFile& file) override { run_sqlite_file(db_.get(), file, warnings_); }
  schema::Catalog catalog() const override { return read_sqlite_catalog(db_.get()); }

  // SQLite's DDL is transactional: a savepoint undoes the file exactly. The
  // file's own transaction statements are passed over, so they cannot end it.
  schema::Catalog try_run(const SourceFile& file) override {
    execute("SAVEPOINT strata_try");
    try {
      run(file);
    } catch (...) {
      execute("ROLLBACK TO strata_try; RELEASE strata_try");
      throw;
    }
    schema::Catalog after = catalog();
    execute("ROLLBACK TO strata_try; RELEASE strata_try");
    return after;
  }

 private:
  void execute(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string text = message != nullptr ? message : "unknown error";
      sqlite3_free(message);
      throw Error(std::string("SQLite replay: ") + text);
    }
  }

  std::vector<Warning>& warnings_;
  sqlite::Database db_;
};

}  // namespace

std::unique_ptr<Replay> postgres_replay(std::vector<Warning>& warnings) {
  return std::make_unique<PostgresReplay>(warnings);
}

std::unique_ptr<Replay> sqlite_replay(std::vector<Warning>& warnings) {
  return std::make_unique<SqliteReplay>(warnings);
}

}  // namespace strata::parser
