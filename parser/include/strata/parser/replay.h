// Runs files one after another into a schema state with the dialect's own
// semantics (the interpreter for PostgreSQL, an in-memory database for
// SQLite): the replay of a migration chain. A file can also be tried and
// undone, to check that a down file takes the schema back.
#pragma once

#include <memory>
#include <vector>

#include "strata/parser/interpreter.h"
#include "strata/parser/statements.h"
#include "strata/schema/catalog.h"

namespace strata::parser {

class Replay {
 public:
  virtual ~Replay() = default;

  // Throws strata::Error at file:line:col when the dialect rejects a statement.
  virtual void run(const SourceFile& file) = 0;
  virtual schema::Catalog catalog() const = 0;
  // The catalog after `file`, leaving the state as it was before it.
  virtual schema::Catalog try_run(const SourceFile& file) = 0;
};

// Warnings from every file run go to `warnings`, which must outlive the replay.
std::unique_ptr<Replay> postgres_replay(std::vector<Warning>& warnings);
std::unique_ptr<Replay> sqlite_replay(std::vector<Warning>& warnings);

}  // namespace strata::parser
