#include "strata/compiler/pipeline.h"

#include <fstream>
#include <sstream>

#include "strata/parser/interpreter.h"
#include "strata/schema/error.h"
#include "strata/schema/printer.h"

namespace strata::compiler {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

schema::Catalog load_desired_schema(const Config& config, std::vector<parser::Warning>& warnings) {
  std::vector<parser::SourceFile> files;
  for (const auto& path : schema_files(config)) files.push_back({path.string(), read_file(path)});
  switch (config.dialect) {
    case Dialect::Postgres: return parser::load_postgres_schema(files, warnings);
    case Dialect::Sqlite: break;
  }
  throw Error("the SQLite front end is not built yet; set dialect = \"postgres\"");
}

std::string canonical_sql(Dialect dialect, const schema::Catalog& catalog) {
  (void)dialect;
  return schema::catalog_sql(catalog);
}

}  // namespace strata::compiler
