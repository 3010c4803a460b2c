// libpq, owned: RAII handles for connections and results, a connection class
// that runs commands and parameterised queries, and the error type for
// anything the server or libpq reports.
#pragma once

#include <libpq-fe.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "strata/schema/error.h"

namespace strata::runtime {

struct PgConnClose {
  void operator()(PGconn* connection) const noexcept { PQfinish(connection); }
};
struct PgResultClear {
  void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using PgConnPtr = std::unique_ptr<PGconn, PgConnClose>;
using PgResultPtr = std::unique_ptr<PGresult, PgResultClear>;

// A failure reported by the server or by libpq. The message never contains a
// password: connection strings and URLs in it are masked.
class DatabaseError : public Error {
 public:
  explicit DatabaseError(std::string message, std::string sqlstate = {},
                         std::optional<int> statement_position = std::nullopt);

  // The five-character SQLSTATE ("42P01"); empty when the error did not come
  // from the server (a failed connection, a lost one).
  const std::string& sqlstate() const { return sqlstate_; }
  // 1-based character offset of the error in the statement text, when the
  // server gave one.
  std::optional<int> statement_position() const { return statement_position_; }

 private:
  std::string sqlstate_;
  std::optional<int> statement_position_;
};

// `text` with every password it carries replaced by "***": the value of
// password=... (quoted or not) and the password of scheme://user:password@.
std::string mask_passwords(std::string_view text);

// The rows of a query, in text form. Columns are found by index or by the
// exact name the query gives them.
class QueryResult {
 public:
  explicit QueryResult(PgResultPtr result);

  int rows() const { return PQntuples(result_.get()); }
  int columns() const { return PQnfields(result_.get()); }
  std::string_view column_name(int column) const { return PQfname(result_.get(), column); }
  // Throws DatabaseError when the result has no column of that name.
  int column(std::string_view name) const;

  bool is_null(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  bool is_null(int row, std::string_view column_name) const { return is_null(row, column(column_name)); }
  // The value as text, "" for NULL; it lives as long as this result.
  std::string_view value(int row, int column) const;
  std::string_view value(int row, std::string_view column_name) const { return value(row, column(column_name)); }
  std::optional<std::string> optional_value(int row, int column) const;
  std::optional<std::string> optional_value(int row, std::string_view column_name) const {
    return optional_value(row, column(column_name));
  }

 private:
  PgResultPtr result_;
  std::unordered_map<std::string_view, int> columns_by_name_;  // views into result_'s column names
};

class PostgresConnection {
 public:
  // `conninfo` is a libpq key=value string or a postgres:// / postgresql://
  // URL. The session uses UTF-8 whatever the environment says.
  explicit PostgresConnection(const std::string& conninfo);

  // Runs one or more statements and discards any rows.
  void exec(const std::string& sql);
  // Runs one statement with $1, $2, ... bound to `params` (text; nullopt is NULL).
  QueryResult query(const std::string& sql, const std::vector<std::optional<std::string>>& params = {});

  // True inside a transaction block (also when that transaction has failed).
  bool in_transaction() const;
  // PQserverVersion: 150004 for 15.4.
  int server_version() const { return PQserverVersion(connection_.get()); }

  // Where the server's notices and warnings go ("NOTICE: ..." lines, no
  // trailing newline); by default libpq prints them on stderr. An empty
  // handler restores that.
  using NoticeHandler = std::function<void(const std::string& message)>;
  void set_notice_handler(NoticeHandler handler);

 private:
  DatabaseError error_from(const PGresult* result) const;
  std::string masked(std::string_view text) const;

  PgConnPtr connection_;
  std::vector<std::string> passwords_;  // from the conninfo: masked in every message
  // On the heap, so that libpq's pointer to it survives a move of the connection.
  std::unique_ptr<NoticeHandler> notice_handler_;
  PQnoticeReceiver default_notice_receiver_ = nullptr;
  void* default_notice_argument_ = nullptr;
};

}  // namespace strata::runtime
