// Measures loading a PostgreSQL schema file into a catalog against
// libpg_query's own protobuf parse of the same text (the floor DESIGN.md's
// performance targets are stated against). Not a test: it prints figures.
//
//   bench/generate_postgres_schema.py 5000 > s.sql && strata_load_benchmark s.sql
#include <pg_query.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "strata/parser/interpreter.h"

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: strata_load_benchmark SCHEMA.sql\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();

  auto start = std::chrono::steady_clock::now();
  PgQueryProtobufParseResult parsed = pg_query_parse_protobuf(text.c_str());
  const double parse_seconds = seconds_since(start);
  const bool parse_failed = parsed.error != nullptr;
  pg_query_free_protobuf_parse_result(parsed);
  if (parse_failed) {
    std::cerr << "libpg_query cannot parse " << argv[1] << "\n";
    return 2;
  }

  start = std::chrono::steady_clock::now();
  std::vector<strata::parser::Warning> warnings;
  const auto catalog = strata::parser::load_postgres_schema({{argv[1], text}}, warnings);
  const double load_seconds = seconds_since(start);

  std::cout << "bytes " << text.size() << "\n"
            << "tables " << catalog.tables.size() << "\n"
            << "pg_query_parse_protobuf_s " << parse_seconds << "\n"
            << "strata_load_s " << load_seconds << "\n"
            << "ratio " << load_seconds / parse_seconds << "\n";
  return 0;
}
