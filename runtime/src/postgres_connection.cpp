#include "strata/runtime/postgres_connection.h"

#include <algorithm>
#include <charconv>
#include <regex>
#include <utility>

namespace strata::runtime {
namespace {

std::string without_trailing_newlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

struct ConninfoOptionsFree {
  void operator()(PQconninfoOption* options) const noexcept { PQconninfoFree(options); }
};

// The passwords a conninfo string or URL carries, so that messages can be
// masked even where libpq quotes them without their "password=" key.
std::vector<std::string> passwords_in(const std::string& conninfo) {
  std::vector<std::string> passwords;
  char* parse_error = nullptr;  // its text may quote the password: freed unread
  const std::unique_ptr<PQconninfoOption, ConninfoOptionsFree> options(PQconninfoParse(conninfo.c_str(), &parse_error));
  PQfreemem(parse_error);
  if (!options) return passwords;
  for (const PQconninfoOption* option = options.get(); option->keyword != nullptr; ++option) {
    if (std::string_view(option->keyword) == "password" && option->val != nullptr && *option->val != '\0')
      passwords.emplace_back(option->val);
  }
  return passwords;
}

}  // namespace

DatabaseError::DatabaseError(std::string message, std::string sqlstate, std::optional<int> statement_position)
    : Error(mask_passwords(message)), sqlstate_(std::move(sqlstate)), statement_position_(statement_position) {}

std::string mask_passwords(std::string_view text) {
  // password=value in a conninfo string or a URL query: the value runs to the
  // next space or '&', or is a single-quoted string (closed or not).
  static const std::regex kPasswordOption(R"((password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s&]*))",
                                          std::regex::ECMAScript | std::regex::icase);
  // scheme://user:password@host: libpq takes the credentials to end at the
  // first '@' before any '/'.
  static const std::regex kUrlCredentials(R"(([a-z][a-z0-9+.-]*://[^:/?#@\s]*:)[^@/\s]*@)",
                                          std::regex::ECMAScript | std::regex::icase);
  std::string masked = std::regex_replace(std::string(text), kPasswordOption, "$1***");
  return std::regex_replace(masked, kUrlCredentials, "$1***@");
}

QueryResult::QueryResult(PgResultPtr result) : result_(std::move(result)) {
  for (int column = 0; column < columns(); ++column) columns_by_name_.emplace(column_name(column), column);
}

int QueryResult::column(std::string_view name) const {
  const auto found = columns_by_name_.find(name);
  if (found == columns_by_name_.end()) throw DatabaseError("the query result has no column \"" + std::string(name) + "\"");
  return found->second;
}

std::string_view QueryResult::value(int row, int column) const {
  return {PQgetvalue(result_.get(), row, column), static_cast<std::size_t>(PQgetlength(result_.get(), row, column))};
}

std::optional<std::string> QueryResult::optional_value(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return std::string(value(row, column));
}

PostgresConnection::PostgresConnection(const std::string& conninfo) : passwords_(passwords_in(conninfo)) {
  // Longest first, so that a password containing another is masked whole.
  std::sort(passwords_.begin(), passwords_.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  // expand_dbname: `conninfo` is parsed as a whole connection string; the
  // client_encoding listed after it overrides whatever it or PGCLIENTENCODING says.
  const char* const keywords[] = {"dbname", "client_encoding", nullptr};
  const char* const values[] = {conninfo.c_str(), "UTF8", nullptr};
  connection_.reset(PQconnectdbParams(keywords, values, 1));
  if (!connection_) throw DatabaseError("could not connect to PostgreSQL: out of memory");
  if (PQstatus(connection_.get()) != CONNECTION_OK) {
    throw DatabaseError(
        masked("could not connect to PostgreSQL: " + without_trailing_newlines(PQerrorMessage(connection_.get()))));
  }
}

// DatabaseError masks password=... and URL credentials itself; this masks the
// connection's own passwords wherever libpq quoted them without a key.
std::string PostgresConnection::masked(std::string_view text) const {
  std::string result(text);
  for (const auto& password : passwords_) {
    for (auto at = result.find(password); at != std::string::npos; at = result.find(password, at + 3))
      result.replace(at, password.size(), "***");
  }
  return result;
}

DatabaseError PostgresConnection::error_from(const PGresult* result) const {
  const auto field = [result](int code) -> std::string {
    const char* value = result != nullptr ? PQresultErrorField(result, code) : nullptr;
    return value != nullptr ? value : "";
  };
  std::string message = field(PG_DIAG_MESSAGE_PRIMARY);
  if (message.empty()) {
    // Errors libpq raises itself (a lost connection) carry no fields.
    message = result != nullptr && *PQresultErrorMessage(result) != '\0' ? PQresultErrorMessage(result)
                                                                         : PQerrorMessage(connection_.get());
    message = without_trailing_newlines(std::move(message));
  }
  if (const std::string detail = field(PG_DIAG_MESSAGE_DETAIL); !detail.empty()) message += "\nDETAIL: " + detail;
  if (const std::string hint = field(PG_DIAG_MESSAGE_HINT); !hint.empty()) message += "\nHINT: " + hint;

  std::optional<int> position;
  if (const std::string text = field(PG_DIAG_STATEMENT_POSITION); !text.empty()) {
    int parsed = 0;
    if (std::from_chars(text.data(), text.data() + text.size(), parsed).ec == std::errc{}) position = parsed;
  }
  return DatabaseError(masked(message), field(PG_DIAG_SQLSTATE), position);
}

void PostgresConnection::exec(const std::string& sql) {
  const PgResultPtr result(PQexec(connection_.get(), sql.c_str()));
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
    throw error_from(result.get());
}

QueryResult PostgresConnection::query(const std::string& sql, const std::vector<std::optional<std::string>>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) values.push_back(param ? param->c_str() : nullptr);
  PgResultPtr result(PQexecParams(connection_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr,
                                  values.data(), nullptr, nullptr, 0));
  if (PQresultStatus(result.get()) != PGRES_TUPLES_OK && PQresultStatus(result.get()) != PGRES_COMMAND_OK)
    throw error_from(result.get());
  return QueryResult(std::move(result));
}

void PostgresConnection::set_notice_handler(NoticeHandler handler) {
  if (default_notice_receiver_ == nullptr) {
    // PQsetNoticeReceiver returns the current receiver when given none.
    default_notice_receiver_ = PQsetNoticeReceiver(connection_.get(), nullptr, nullptr);
    default_notice_argument_ = nullptr;
  }
  if (!handler) {
    PQsetNoticeReceiver(connection_.get(), default_notice_receiver_, default_notice_argument_);
    notice_handler_.reset();
    return;
  }
  notice_handler_ = std::make_unique<NoticeHandler>(std::move(handler));
  PQsetNoticeReceiver(
      connection_.get(),
      [](void* argument, const PGresult* result) {
        const char* severity = PQresultErrorField(result, PG_DIAG_SEVERITY);
        const char* message = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
        if (message == nullptr) return;
        (*static_cast<NoticeHandler*>(argument))(std::string(severity != nullptr ? severity : "NOTICE") + ": " +
                                                 mask_passwords(message));
      },
      notice_handler_.get());
}

bool PostgresConnection::in_transaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(connection_.get());
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

}  // namespace strata::runtime
