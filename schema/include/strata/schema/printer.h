// The canonical DDL printer: every object kind as the SQL that creates it, and
// a whole Catalog as a script that recreates it in dependency order. The
// planner renders its statements from these same pieces.
#pragma once

#include <string>
#include <string_view>

#include "strata/schema/catalog.h"

namespace strata::schema {

std::string string_literal(std::string_view text);  // 'it''s'
std::string_view referential_action_sql(ReferentialAction action);  // "SET NULL"

std::string column_sql(const Column& column);
std::string constraint_sql(const Constraint& constraint);  // "CONSTRAINT n PRIMARY KEY (a)"
std::string sequence_options_sql(const SequenceOptions& options);
// CREATE TABLE without the constraints added_after_table().
std::string create_table_sql(const Table& table);
// CREATE TABLE ... PARTITION OF: only the constraints the partition does not
// inherit from its parent in `catalog` are written (added_after_table() never).
std::string create_partition_sql(const Table& table, const Catalog& catalog);
// ALTER TABLE ... ADD CONSTRAINT, with NOT VALID for a constraint not validated.
std::string add_constraint_sql(const QualifiedName& table, const Constraint& constraint);
// Foreign keys (added once every table exists) and NOT VALID constraints
// (CREATE TABLE would validate them) are added by ALTER TABLE.
bool added_after_table(const Constraint& constraint);
std::string create_index_sql(const Index& index);
std::string create_enum_sql(const Enum& type);
std::string create_domain_sql(const Domain& domain);
std::string create_composite_sql(const CompositeType& type);
std::string create_sequence_sql(const Sequence& sequence);
std::string create_view_sql(const View& view);
std::string create_function_sql(const Function& function);
std::string create_trigger_sql(const Trigger& trigger);
std::string create_policy_sql(const Policy& policy);
std::string policy_roles_sql(const Policy& policy);  // "PUBLIC", "admin, \"Auditor\""
std::string create_extension_sql(const Extension& extension);
std::string create_schema_sql(const Schema& schema);

// The whole catalog as one script: schemas, extensions, types, sequences,
// tables, ownership, indexes, foreign keys, routines and views in dependency
// order, triggers, comments. Each statement ends with ";\n".
std::string catalog_sql(const Catalog& catalog);

}  // namespace strata::schema
