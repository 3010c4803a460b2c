// The translator: one function per parse-tree node kind, each turning a
// libpg_query node into the project's statement types.
#pragma once

#include "pg_tree.h"

namespace strata::parser::translate {

// Dispatches on the node kind; an unhandled kind is an error at its location.
StatementBody statement(const pg::Context& context, const pg::Node* node, std::int32_t location);

// tables and indexes (translate_table.cpp)
CreateTable create_table(const pg::Context& context, const PgQuery__CreateStmt& node);
AlterTable alter_table(const pg::Context& context, const PgQuery__AlterTableStmt& node);
CreateIndex create_index(const pg::Context& context, const PgQuery__IndexStmt& node);

// types and sequences (translate_type.cpp)
CreateEnum create_enum(const pg::Context& context, const PgQuery__CreateEnumStmt& node);
StatementBody alter_enum(const pg::Context& context, const PgQuery__AlterEnumStmt& node);
CreateDomain create_domain(const pg::Context& context, const PgQuery__CreateDomainStmt& node);
AlterDomain alter_domain(const pg::Context& context, const PgQuery__AlterDomainStmt& node);
CreateCompositeType create_composite_type(const pg::Context& context, const PgQuery__CompositeTypeStmt& node);
CreateSequence create_sequence(const pg::Context& context, const PgQuery__CreateSeqStmt& node);
AlterSequence alter_sequence(const pg::Context& context, const PgQuery__AlterSeqStmt& node);

// views, routines and triggers (translate_routine.cpp)
CreateView create_view(const pg::Context& context, const PgQuery__ViewStmt& node);
CreateView create_materialized_view(const pg::Context& context, const PgQuery__CreateTableAsStmt& node,
                                    std::int32_t location);
CreateFunction create_function(const pg::Context& context, const PgQuery__CreateFunctionStmt& node,
                               std::int32_t location);
CreateTrigger create_trigger(const pg::Context& context, const PgQuery__CreateTrigStmt& node,
                             std::int32_t location);
CreatePolicy create_policy(const pg::Context& context, const PgQuery__CreatePolicyStmt& node);
AlterPolicy alter_policy(const pg::Context& context, const PgQuery__AlterPolicyStmt& node);

// schemas, extensions, drops, renames, comments, settings (translate_object.cpp)
CreateSchema create_schema(const pg::Context& context, const PgQuery__CreateSchemaStmt& node,
                           std::int32_t location);
CreateExtension create_extension(const pg::Context& context, const PgQuery__CreateExtensionStmt& node);
AlterExtension alter_extension(const pg::Context& context, const PgQuery__AlterExtensionStmt& node);
Drop drop(const pg::Context& context, const PgQuery__DropStmt& node, std::int32_t location);
Rename rename(const pg::Context& context, const PgQuery__RenameStmt& node, std::int32_t location);
Comment comment(const pg::Context& context, const PgQuery__CommentStmt& node, std::int32_t location);
StatementBody variable_set(const pg::Context& context, const PgQuery__VariableSetStmt& node, std::int32_t location);
StatementBody select(const pg::Context& context, const PgQuery__SelectStmt& node, std::int32_t location);

// Shared by the table and type translators.
ColumnDefinition column_definition(const pg::Context& context, const PgQuery__ColumnDef& node,
                                   std::vector<ConstraintDefinition>& constraints);
ConstraintDefinition constraint_definition(const pg::Context& context, const PgQuery__Constraint& node);
schema::SequenceOptions sequence_options(const pg::Context& context, std::size_t count, pg::Node* const* options,
                                         std::optional<schema::ColumnRef>* owned_by, bool* owned_by_none,
                                         bool* restart);
// CYCLE (true) or NO CYCLE (false) among sequence options, when written:
// SequenceOptions::cycle cannot tell NO CYCLE from no word of it.
std::optional<bool> written_cycle(std::size_t count, pg::Node* const* options);

}  // namespace strata::parser::translate
