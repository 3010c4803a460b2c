// The SQLite driver: the sqlite3 C API, every handle owned.
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <variant>

#include "drivers.h"
#include "strata/parser/sqlite_catalog.h"
#include "strata/runtime/history_sql.h"

namespace strata::runtime::detail {
namespace {

struct SqliteClose {
  void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
using SqliteDb = std::unique_ptr<sqlite3, SqliteClose>;
struct SqliteFinalize {
  void operator()(sqlite3_stmt* statement) const noexcept { sqlite3_finalize(statement); }
};
using SqliteStatement = std::unique_ptr<sqlite3_stmt, SqliteFinalize>;

using Parameter = std::variant<std::string, std::int64_t>;

std::int64_t to_int64(std::string_view text) {
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::string column_text(sqlite3_stmt* statement, int column) {
  const unsigned char* text = sqlite3_column_text(statement, column);
  return text != nullptr ? reinterpret_cast<const char*>(text) : "";
}

class SqliteDriver final : public Driver {
 public:
  SqliteDriver(const std::string& path, std::string description) : description_(std::move(description)) {
    sqlite3* raw = nullptr;
    const int code = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    db_.reset(raw);
    if (code != SQLITE_OK) {
      throw DatabaseError("could not open SQLite database " + path + ": " +
                          (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(code)));
    }
    sqlite3_extended_result_codes(db_.get(), 1);
    set_lock_timeout(std::chrono::seconds(60));
    run(foreign_keys_sql(true));
  }

  Engine engine() const override { return Engine::Sqlite; }
  schema::Catalog inspect() override { return parser::read_sqlite_catalog(db_.get()); }
  const std::string& description() const override { return description_; }

  void execute(const std::string& /*file*/, const std::string& script) override {
    const char* const start = script.c_str();
    const char* const end = start + script.size();
    const char* tail = start;
    refuse_nul_bytes(script);
    while (tail < end) {
      const auto prepare_offset = static_cast<std::size_t>(tail - start);
      const auto statement_offset = skip_blank(script, prepare_offset);
      if (statement_offset >= script.size()) break;
      sqlite3_stmt* raw = nullptr;
      // The length counts the string's NUL terminator: given a length without
      // one, SQLite copies all the rest of the script for every statement,
      // which made a long migration quadratic.
      const int prepared = sqlite3_prepare_v2(db_.get(), tail, static_cast<int>(end - tail) + 1, &raw, &tail);
      const SqliteStatement statement(raw);
      if (prepared != SQLITE_OK) {
        // The offset SQLite gives is into the text passed to prepare.
        const int token = sqlite3_error_offset(db_.get());
        throw error(script, token >= 0 ? prepare_offset + static_cast<std::size_t>(token) : statement_offset);
      }
      if (!statement) continue;
      int stepped = SQLITE_ROW;
      while ((stepped = sqlite3_step(statement.get())) == SQLITE_ROW) {
      }
      if (stepped != SQLITE_DONE) throw error(script, statement_offset);
    }
  }

  void execute_each(const std::string& file, const std::string& script) override {
    // Outside a transaction every statement commits on its own.
    execute(file, script);
  }

  Rows query(const std::string& sql) override {
    const SqliteStatement statement = prepare(sql);
    Rows rows;
    int code = SQLITE_ROW;
    while ((code = sqlite3_step(statement.get())) == SQLITE_ROW) {
      auto& row = rows.emplace_back();
      for (int column = 0; column < sqlite3_column_count(statement.get()); ++column) {
        if (sqlite3_column_type(statement.get(), column) == SQLITE_NULL) {
          row.emplace_back(std::nullopt);
        } else {
          row.emplace_back(column_text(statement.get(), column));
        }
      }
    }
    if (code != SQLITE_DONE) throw DatabaseError(sqlite3_errmsg(db_.get()));
    return rows;
  }

  void set_notice_sink(std::function<void(const std::string&)> /*sink*/) override {}

  void begin() override { run(begin_sql(Engine::Sqlite)); }
  void commit() override { run("COMMIT"); }
  void rollback() noexcept override {
    if (sqlite3_get_autocommit(db_.get()) == 0) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }

  void set_foreign_keys(bool on) override { run(foreign_keys_sql(on)); }

  void check_foreign_keys() override {
    const SqliteStatement statement = prepare("PRAGMA foreign_key_check");
    std::string violations;
    int count = 0;
    while (sqlite3_step(statement.get()) == SQLITE_ROW) {
      if (++count <= 5) {
        violations += "\n  table " + column_text(statement.get(), 0) + " row " + column_text(statement.get(), 1) +
                      " references a missing row of " + column_text(statement.get(), 2);
      }
    }
    if (count > 0) {
      throw DatabaseError("PRAGMA foreign_key_check found " + std::to_string(count) + " foreign key violation" +
                          (count == 1 ? "" : "s") + ":" + violations + (count > 5 ? "\n  ..." : ""));
    }
  }

  void set_lock_timeout(std::chrono::milliseconds timeout) override {
    const auto ms = std::min<std::chrono::milliseconds::rep>(timeout.count(), INT_MAX);
    sqlite3_busy_timeout(db_.get(), static_cast<int>(ms));
  }
  bool try_lock() override { return true; }
  void unlock() noexcept override {}

  void ensure_history() override {
    run(create_history_sql(Engine::Sqlite, kHistoryTable));
  }

  std::vector<HistoryRow> read_history() override {
    std::vector<HistoryRow> rows;
    if (!history_exists()) return rows;
    const SqliteStatement statement = prepare(kSelectHistory);
    step_rows(statement.get(), rows);
    std::sort(rows.begin(), rows.end(),
              [](const HistoryRow& a, const HistoryRow& b) { return to_int64(a.version) < to_int64(b.version); });
    return rows;
  }

  std::optional<HistoryRow> find_history(const std::string& version) override {
    if (!history_exists()) return std::nullopt;
    const SqliteStatement statement = prepare(std::string(kSelectHistory) + " WHERE version = ?1");
    bind(statement.get(), {version});
    std::vector<HistoryRow> rows;
    step_rows(statement.get(), rows);
    if (rows.empty()) return std::nullopt;
    return rows.front();
  }

  void write_history(const HistoryRow& row) override {
    const SqliteStatement statement =
        prepare(write_history_sql(Engine::Sqlite, kHistoryTable, {"?1", "?2", "?3", "?4", "?5"}));
    bind(statement.get(), {row.version, row.name, row.checksum, row.execution_ms,
                           std::string(history_state_name(row.state))});
    finish(statement.get());
  }

  void delete_history(const std::string& version) override {
    const SqliteStatement statement = prepare(delete_history_sql(kHistoryTable, "?1"));
    bind(statement.get(), {version});
    finish(statement.get());
  }

 private:
  static constexpr const char* kSelectHistory =
      "SELECT version, name, checksum, applied_at, execution_ms, state FROM strata_migrations";

  // The current error, at byte `at` of `script`.
  DatabaseError error(const std::string& script, std::size_t at) const {
    return DatabaseError(sqlite3_errmsg(db_.get()), {}, characters_before(script, at) + 1);
  }

  void run(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_.get(), sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message != nullptr ? message : sqlite3_errmsg(db_.get());
      sqlite3_free(message);
      throw DatabaseError(text + " (while running " + sql + " on " + description_ + ")");
    }
  }

  bool history_exists() {
    const SqliteStatement statement =
        prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'strata_migrations'");
    const int code = sqlite3_step(statement.get());
    if (code != SQLITE_ROW && code != SQLITE_DONE) throw DatabaseError(sqlite3_errmsg(db_.get()));
    return code == SQLITE_ROW;
  }

  SqliteStatement prepare(const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db_.get(), sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr) != SQLITE_OK) {
      sqlite3_finalize(raw);
      throw DatabaseError(std::string(sqlite3_errmsg(db_.get())) + " (on " + description_ + ")");
    }
    return SqliteStatement(raw);
  }

  void bind(sqlite3_stmt* statement, const std::vector<Parameter>& parameters) {
    int index = 1;
    for (const auto& parameter : parameters) {
      int code = SQLITE_OK;
      if (const auto* text = std::get_if<std::string>(&parameter)) {
        code = sqlite3_bind_text(statement, index, text->c_str(), static_cast<int>(text->size()), SQLITE_TRANSIENT);
      } else {
        code = sqlite3_bind_int64(statement, index, std::get<std::int64_t>(parameter));
      }
      if (code != SQLITE_OK) throw DatabaseError(sqlite3_errmsg(db_.get()));
      ++index;
    }
  }

  void finish(sqlite3_stmt* statement) {
    int code = SQLITE_ROW;
    while ((code = sqlite3_step(statement)) == SQLITE_ROW) {
    }
    if (code != SQLITE_DONE) throw DatabaseError(std::string(sqlite3_errmsg(db_.get())) + " (on " + description_ + ")");
  }

  void step_rows(sqlite3_stmt* statement, std::vector<HistoryRow>& rows) {
    int code = SQLITE_ROW;
    while ((code = sqlite3_step(statement)) == SQLITE_ROW) {
      HistoryRow row;
      row.version = column_text(statement, 0);
      row.name = column_text(statement, 1);
      row.checksum = column_text(statement, 2);
      row.applied_at = column_text(statement, 3);
      row.execution_ms = sqlite3_column_int64(statement, 4);
      row.state = column_text(statement, 5) == "dirty" ? HistoryState::Dirty : HistoryState::Applied;
      rows.push_back(std::move(row));
    }
    if (code != SQLITE_DONE) throw DatabaseError(std::string(sqlite3_errmsg(db_.get())) + " (on " + description_ + ")");
  }

  std::string description_;
  SqliteDb db_;
};

}  // namespace

std::unique_ptr<Driver> open_sqlite(const std::string& path, const std::string& description) {
  return std::make_unique<SqliteDriver>(path, description);
}

}  // namespace strata::runtime::detail
