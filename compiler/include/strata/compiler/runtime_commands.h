// The commands behind the strata verbs that touch a database: apply, down,
// status, history, stamp and resolve. Each returns the process exit code and
// writes its progress to `out`. Bad input (an unknown version, a modified
// applied migration, a dirty database) throws strata::Error (exit 2); a
// failure the database reports throws runtime::DatabaseError (exit 3).
#pragma once

#include <chrono>
#include <optional>
#include <ostream>
#include <string>

#include "strata/compiler/commands.h"  // ExitCode
#include "strata/compiler/config.h"
#include "strata/migrations/directory.h"

namespace strata::compiler {

inline constexpr std::chrono::milliseconds kDefaultLockTimeout = std::chrono::seconds(60);

// The database URL in effect: `url_option` (--url), else STRATA_DATABASE_URL,
// else DATABASE_URL, else strata.toml's database_url (a relative SQLite path
// there is taken from the directory of strata.toml). Empty variables count as
// unset. Nothing when none is given.
std::optional<std::string> database_url(const Config& config, const std::optional<std::string>& url_option);
// The same, or strata::Error saying how to give one.
std::string require_database_url(const Config& config, const std::optional<std::string>& url_option);

// The version number `text` names: "head" (the last migration), "0"/"0000"
// (before the first), or a migration of the directory ("0003" or "3").
// Throws strata::Error for a version the directory does not have.
int target_version(const migrations::Directory& directory, const std::string& text);

struct ApplyOptions {
  std::string to = "head";  // a version ("0003" or "3"), or "head"
  bool dry_run = false;     // list what would run; the database is not changed
  bool allow_modified = false;  // applied migrations whose up file changed are accepted
  std::chrono::milliseconds lock_timeout = kDefaultLockTimeout;
};

// strata apply: every pending migration up to `to`, in order, each in its own
// transaction together with its history row ("-- strata:no-transaction"
// files statement by statement, recorded dirty first and applied after).
// Refuses when an applied migration's up file changed or one is dirty.
int apply_migrations(const Config& config, const std::string& url, const ApplyOptions& options, std::ostream& out);

struct DownOptions {
  std::optional<std::string> to;  // roll back every migration after this version ("0000": all)
  std::optional<int> steps;       // or this many; one when neither is given
  std::chrono::milliseconds lock_timeout = kDefaultLockTimeout;
};

// strata down: the down files of the applied migrations, newest first, each
// in a transaction together with the removal of its history row.
int down_migrations(const Config& config, const std::string& url, const DownOptions& options, std::ostream& out);

// strata status: one line per migration (applied / pending / modified /
// dirty), and history rows whose migration is not in the directory. As JSON:
// {"database_exists", "migrations": [{"version", "name", "state",
// "applied_at" (null while pending)}], "unknown": [{"version", "name",
// "state" (as recorded), "applied_at"}]}.
int migration_status(const Config& config, const std::string& url, std::ostream& out,
                     OutputFormat format = OutputFormat::Text);

// strata history: the history table as recorded, oldest version first.
int migration_history(const Config& config, const std::string& url, std::ostream& out);

// strata stamp VERSION: records every migration up to VERSION as applied
// without running it (adopting a database that already has the schema).
int stamp_version(const Config& config, const std::string& url, const std::string& version, std::ostream& out,
                  std::chrono::milliseconds lock_timeout = kDefaultLockTimeout);

// strata resolve VERSION --applied|--rolled-back: settles a dirty migration
// (one that ran outside a transaction and failed) once it has been repaired
// by hand: marks it applied, or removes its history row.
int resolve_migration(const Config& config, const std::string& url, const std::string& version, bool applied,
                      std::ostream& out, std::chrono::milliseconds lock_timeout = kDefaultLockTimeout);

}  // namespace strata::compiler
