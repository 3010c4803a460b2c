// Reads the schema of a live PostgreSQL (15 or later) database into the
// catalog model, so that a database can be compared with the catalog the
// front end builds from SQL files, or with another database.
//
// What is read: every schema except pg_catalog, information_schema, pg_toast*
// and pg_temp*, and in them every object that does not belong to an extension
// (CREATE EXTENSION's objects are the extension's, recorded by its name).
// Skipped as well: objects the server creates on its own behalf (indexes that
// back a constraint, internal triggers, the indexes, constraints and triggers
// a partition inherits from its parent) and the plpgsql extension, which
// every database starts with, like the public schema.
//
// Canonical forms, which the front end must produce to compare equal:
// - Names are unquoted, as stored; every QualifiedName has its schema.
// - TypeRef: built-in (pg_catalog) types have an empty schema and the name
//   format_type() prints without modifiers ("integer", "character varying",
//   "timestamp with time zone", "\"char\""); modifiers in order ({"255"},
//   {"10", "2"}, timestamp(3) with time zone: {"3"}); interval fields come
//   first as words ({"day to second", "3"}, {"year to month"}). An array type
//   is its element type with array_dims 1 (PostgreSQL does not keep the number
//   of dimensions). Other types: their schema and typname.
// - Expressions are what the server prints, with the settings of the
//   inspection session (search_path is empty, so every object outside
//   pg_catalog is schema-qualified: nextval('public.t_id_seq'::regclass);
//   DateStyle ISO, IntervalStyle postgres, TimeZone UTC), put in the front
//   end's canonical text (parser::canonical_expression, canonical_query), so
//   that drift detection compares like with like: pg_get_expr's
//   "(price > (0)::numeric)" is "price > 0::numeric", "(VALUE > 0)" is
//   "value > 0". The casts and rewrites the server adds stay ("'a'::text",
//   "x = ANY (ARRAY[...])"), except on defaults (below).
//   * column defaults and generated columns, index predicates, constraint
//     checks, policies: pg_get_expr (not pretty);
//   * domain checks and defaults: pg_get_expr(..., 0);
//   * index elements: pg_get_indexdef(index, column, true); exclusion
//     elements as printed, function calls bare ("lower(email)"), other
//     expressions parenthesised ("(a + b)");
//   * trigger WHEN: pg_get_triggerdef's condition without "WHEN (" and ")";
//   * view queries: pg_get_viewdef(view, true);
//   * routine bodies: prosrc as written, or pg_get_function_sqlbody() for
//     SQL-standard bodies (BEGIN ATOMIC ... END, RETURN ...);
//   * defaults of columns, domains and arguments (pg_get_function_arg_default)
//     without the cast of a string literal to the object's own type
//     (parser::without_cast_to): DEFAULT 'x' on a column of enum public.mood
//     is "'x'", not "'x'::public.mood".
// - Collations (columns, domains, composite attributes, index elements) only
//   when they differ from the default of the type (for an index column: from
//   the table column's collation, for an index expression: from that of the
//   type its operator class reads): the name as stored ("C"), qualified as
//   "schema.name" outside pg_catalog.
// - Sequence and identity options: every field filled from pg_sequence. A
//   serial's sequence is a sequence (owned_by set; the column default is
//   nextval(...)); an identity's sequence is only the column's Identity.
// - Column not_null is attnotnull, so primary key columns are not null.
// - Constraints of a table are ordered by name. Check constraints and columns
//   inherited through INHERITS are listed in the child as in the parent. A
//   partition is a table whose inherits names its parent (the model has no
//   partition bound).
// - Index elements: order Desc or Default (never Asc); nulls only when it
//   differs from the order's default (Last for DESC, First for ASC); opclass
//   only when it is not the default one for the type.
// - Views: column_names are all the view's columns, in order; options are
//   reloptions ("security_barrier=true") except check_option, which has its
//   own field. depends_on, as the front end records it: the user tables,
//   views, sequences and routines the view's rewrite rule depends on, each
//   list sorted. A routine's depends_on is left empty: the server does not
//   keep it for routines.
// - Routines: args with modes, names ("" when unnamed) and types (no
//   modifiers: the server keeps none). returns is absent for procedures and
//   for functions with OUT, INOUT or TABLE arguments (their result type
//   follows from those). options, in the order pg_get_functiondef prints
//   them: "IMMUTABLE" | "STABLE", "PARALLEL SAFE" | "PARALLEL RESTRICTED",
//   "STRICT", "SECURITY DEFINER", "LEAKPROOF", "COST n" and "ROWS n" when not
//   the default, "SUPPORT fn", then "SET name=value" per proconfig entry as
//   stored ("SET search_path=public, pg_temp").
// - Trigger events in the order INSERT, DELETE, UPDATE (or "UPDATE OF b, a",
//   columns as listed), TRUNCATE.
// - Extensions carry their installed version and their comment, unless it is
//   the one CREATE EXTENSION sets from the extension's control file.
#pragma once

#include "strata/runtime/postgres_connection.h"
#include "strata/schema/catalog.h"

namespace strata::runtime {

// Reads the connected database in one read-only snapshot. Outside a
// transaction it runs in its own; inside one it runs in a savepoint and sees
// the transaction's uncommitted changes. Session settings are left as found.
schema::Catalog inspect_postgres(PostgresConnection& connection);

}  // namespace strata::runtime
