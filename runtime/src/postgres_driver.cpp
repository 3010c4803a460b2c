// The PostgreSQL driver: libpq through PostgresConnection.
#include <charconv>

#include "drivers.h"
#include "strata/parser/postgres_parser.h"
#include "strata/runtime/history_sql.h"
#include "strata/runtime/postgres_inspect.h"

namespace strata::runtime::detail {
namespace {

constexpr const char* kSelectHistory =
    "SELECT version, name, checksum, "
    "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS applied_at, "
    "execution_ms, state FROM ";

std::vector<HistoryRow> rows_of(const QueryResult& result) {
  std::vector<HistoryRow> rows;
  for (int row = 0; row < result.rows(); ++row) {
    HistoryRow history;
    history.version = result.value(row, "version");
    history.name = result.value(row, "name");
    history.checksum = result.value(row, "checksum");
    history.applied_at = result.value(row, "applied_at");
    const std::string_view ms = result.value(row, "execution_ms");
    std::from_chars(ms.data(), ms.data() + ms.size(), history.execution_ms);
    history.state = result.value(row, "state") == "dirty" ? HistoryState::Dirty : HistoryState::Applied;
    rows.push_back(std::move(history));
  }
  return rows;
}

class PostgresDriver final : public Driver {
 public:
  // The history table is named with the schema the session starts in, so
  // that a migration changing search_path does not move it.
  explicit PostgresDriver(const std::string& conninfo)
      : connection_(conninfo),
        description_(mask_passwords(conninfo)),
        history_(std::string(connection_.query("SELECT quote_ident(coalesce(current_schema(), 'public'))").value(0, 0)) +
                 "." + kHistoryTable) {}

  Engine engine() const override { return Engine::Postgres; }
  const std::string& description() const override { return description_; }

  void execute(const std::string& /*file*/, const std::string& script) override {
    refuse_nul_bytes(script);
    connection_.exec(script);
  }

  void execute_each(const std::string& file, const std::string& script) override {
    refuse_nul_bytes(script);
    // split_postgres rejects text it cannot split (a located strata::Error)
    // before anything runs.
    for (const auto& statement : parser::split_postgres(file, script)) {
      const std::size_t offset = statement.offset;
      const std::size_t length = statement.text.size();
      try {
        connection_.exec(script.substr(offset, length));
      } catch (const DatabaseError& error) {
        const int start = characters_before(script, offset);
        throw DatabaseError(error.message(), error.sqlstate(), start + error.statement_position().value_or(1));
      }
    }
  }

  schema::Catalog inspect() override { return inspect_postgres(connection_); }

  Rows query(const std::string& sql) override {
    const QueryResult result = connection_.query(sql);
    Rows rows(static_cast<std::size_t>(result.rows()));
    for (int row = 0; row < result.rows(); ++row) {
      for (int column = 0; column < result.columns(); ++column)
        rows[static_cast<std::size_t>(row)].push_back(result.optional_value(row, column));
    }
    return rows;
  }

  void set_notice_sink(std::function<void(const std::string&)> sink) override {
    connection_.set_notice_handler(std::move(sink));
  }

  void begin() override { connection_.exec(begin_sql(Engine::Postgres)); }
  void commit() override { connection_.exec("COMMIT"); }
  void rollback() noexcept override {
    try {
      if (connection_.in_transaction()) connection_.exec("ROLLBACK");
    } catch (...) {  // NOLINT(bugprone-empty-catch): a lost connection rolls back by itself
    }
  }

  void set_foreign_keys(bool /*on*/) override {}
  void check_foreign_keys() override {}

  void set_lock_timeout(std::chrono::milliseconds /*timeout*/) override {}

  bool try_lock() override {
    if (locked_) return true;
    locked_ = connection_.query("SELECT pg_try_advisory_lock(hashtext($1)) AS locked", {kHistoryTable})
                  .value(0, 0) == "t";
    return locked_;
  }

  void unlock() noexcept override {
    if (!locked_) return;
    try {
      connection_.query("SELECT pg_advisory_unlock(hashtext($1))", {kHistoryTable});
    } catch (...) {  // NOLINT(bugprone-empty-catch): the lock goes with the session
    }
    locked_ = false;
  }

  void ensure_history() override {
    if (history_exists()) return;  // IF NOT EXISTS alone would raise a notice on every run
    connection_.exec(create_history_sql(Engine::Postgres, history_));
  }

  std::vector<HistoryRow> read_history() override {
    if (!history_exists()) return {};
    return rows_of(connection_.query(kSelectHistory + history_ + " ORDER BY length(version), version"));
  }

  std::optional<HistoryRow> find_history(const std::string& version) override {
    if (!history_exists()) return std::nullopt;
    auto rows = rows_of(connection_.query(kSelectHistory + history_ + " WHERE version = $1", {version}));
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
  }

  void write_history(const HistoryRow& row) override {
    connection_.query(write_history_sql(Engine::Postgres, history_, {"$1", "$2", "$3", "$4::bigint", "$5"}),
                      {row.version, row.name, row.checksum, std::to_string(row.execution_ms),
                       history_state_name(row.state)});
  }

  void delete_history(const std::string& version) override {
    connection_.query(delete_history_sql(history_, "$1"), {version});
  }

 private:
  bool history_exists() {
    return !connection_.query("SELECT to_regclass($1) AS history", {history_}).is_null(0, 0);
  }

  PostgresConnection connection_;
  std::string description_;
  std::string history_;  // "public.strata_migrations"
  bool locked_ = false;
};

}  // namespace

std::unique_ptr<Driver> open_postgres(const std::string& conninfo) { return std::make_unique<PostgresDriver>(conninfo); }

}  // namespace strata::runtime::detail
