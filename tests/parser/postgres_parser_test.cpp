// The PostgreSQL front end: translation into statements, canonical forms,
// and located errors.
#include "strata/parser/postgres_parser.h"

#include <gtest/gtest.h>

#include "strata/parser/interpreter.h"

namespace strata::parser {
namespace {

schema::Catalog load(const std::string& sql) {
  std::vector<Warning> warnings;
  return load_postgres_schema({{"schema.sql", sql}}, warnings);
}

const schema::Table& table(const schema::Catalog& catalog, const std::string& name) {
  return catalog.tables.at({"public", name});
}

Error error_of(const std::string& sql) {
  try {
    load(sql);
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "no error for: " << sql;
  return Error("none");
}

TEST(TypeAliases, SpellingsOfOneTypeGiveEqualCatalogs) {
  EXPECT_EQ(load("CREATE TABLE t (a int4, b varchar(10), c timestamptz, d bool, e float8, f decimal(5,2));"),
            load("CREATE TABLE t (a integer, b character varying(10), c timestamp with time zone, d boolean,"
                 " e double precision, f numeric(5,2));"));
}

TEST(IdentifierFolding, UnquotedNamesFoldToLowerCaseQuotedOnesKeepCase) {
  const auto catalog = load("CREATE TABLE Users (ID int, \"Email\" text);");
  const auto& users = table(catalog, "users");
  EXPECT_NE(users.find_column("id"), nullptr);
  EXPECT_NE(users.find_column("Email"), nullptr);
}

TEST(DefaultSchema, UnqualifiedObjectsGoToPublic) {
  const auto catalog = load("CREATE TABLE t (a int); CREATE TABLE public.u (a int);");
  EXPECT_TRUE(catalog.tables.contains({"public", "t"}));
  EXPECT_TRUE(catalog.tables.contains({"public", "u"}));
}

TEST(Serial, ExpandsToIntegerSequenceAndDefault) {
  const auto catalog = load("CREATE TABLE t (id serial PRIMARY KEY, big bigserial);");
  const auto& id = *table(catalog, "t").find_column("id");
  EXPECT_EQ(id.type.name, "integer");
  EXPECT_TRUE(id.not_null);
  EXPECT_EQ(id.default_expr, "nextval('public.t_id_seq'::regclass)");
  const auto& sequence = catalog.sequences.at({"public", "t_id_seq"});
  EXPECT_EQ(sequence.options.data_type->name, "integer");
  EXPECT_EQ(sequence.options.max_value, 2147483647);
  ASSERT_TRUE(sequence.owned_by);
  EXPECT_EQ(sequence.owned_by->column, "id");
  EXPECT_EQ(table(catalog, "t").find_column("big")->type.name, "bigint");
}

TEST(ConstraintNames, FollowPostgresDefaults) {
  const auto catalog = load(
      "CREATE TABLE p (id int PRIMARY KEY);"
      "CREATE TABLE t (id int PRIMARY KEY, email text UNIQUE, age int CHECK (age > 0),"
      " lo int, hi int, CHECK (lo < hi), p_id int REFERENCES p);"
      "CREATE INDEX ON t (email); CREATE INDEX ON t (lower(email)); CREATE UNIQUE INDEX ON t (lo, hi);");
  const auto& t = table(catalog, "t");
  for (const char* name : {"t_pkey", "t_email_key", "t_age_check", "t_check", "t_p_id_fkey"})
    EXPECT_NE(t.find_constraint(name), nullptr) << name;
  for (const char* name : {"t_email_idx", "t_lower_idx", "t_lo_hi_idx"})
    EXPECT_TRUE(catalog.indexes.contains({"public", name})) << name;
}

TEST(ConstraintNames, AvoidNamesAlreadyTaken) {
  const auto catalog = load("CREATE TABLE t (a int CHECK (a > 0), CHECK (a < 10), CHECK (a <> 5), CHECK (a <> 6 AND a <> 7));");
  const auto& t = table(catalog, "t");
  EXPECT_NE(t.find_constraint("t_a_check"), nullptr);
  EXPECT_NE(t.find_constraint("t_a_check1"), nullptr);
  EXPECT_NE(t.find_constraint("t_a_check2"), nullptr);
  EXPECT_NE(t.find_constraint("t_a_check3"), nullptr);
}

TEST(ConstraintNames, AreTruncatedTo63Bytes) {
  const std::string long_name(70, 'x');
  const auto catalog = load("CREATE TABLE " + long_name + " (id int PRIMARY KEY);");
  const auto& t = catalog.tables.at({"public", std::string(63, 'x')});
  EXPECT_NE(t.find_constraint(std::string(58, 'x') + "_pkey"), nullptr);
}

TEST(Expressions, AreNormalisedThroughTheDeparser) {
  EXPECT_EQ(load("CREATE TABLE t (a int DEFAULT (1+2), CHECK ( a>0 ));"),
            load("create table t (a int default 1 + 2, check (a > 0));"));
  EXPECT_EQ(canonical_expression("lower( email )"), "lower(email)");
}

TEST(Expressions, ConstantsPrintAsTheDeparserPrintsThem) {
  // Top-level constants skip the deparser; the text must be what it would
  // print inside a larger expression.
  for (const std::string constant : {"0", "-1", "1.5", "-2.25", "true", "false", "NULL", "'it''s'", "E'a\\\\b'", "''"}) {
    const std::string nested = canonical_expression("f(" + constant + ")");
    EXPECT_EQ("f(" + canonical_expression(constant) + ")", nested) << constant;
  }
}

TEST(Expressions, KeepTheMeaningOfACastAtTimeZone) {
  // The deparser alone would print now() AT TIME ZONE 'utc'::text, casting 'utc' instead.
  EXPECT_EQ(canonical_expression("(now() AT TIME ZONE 'utc')::text"), "pg_catalog.timezone('utc', now())::text");
  EXPECT_EQ(canonical_expression("now() AT TIME ZONE 'utc'"), "now() AT TIME ZONE 'utc'");
}

TEST(Expressions, ReadsNameTheColumnsAndTheCastsToUserTypes) {
  const ExpressionReads reads = expression_reads("a = 'x'::mood AND b::text <> s.mood_t(a) AND c::public.mood IS NULL");
  EXPECT_EQ(reads.columns, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(reads.cast_types, (std::vector<schema::QualifiedName>{{"", "mood"}, {"public", "mood"}}));
}

TEST(Expressions, RenameATypeInItsCastsOnly) {
  EXPECT_EQ(rename_type_in_expression("mood = 'x'::mood OR m = 'y'::public.mood OR m::text = 'other.mood'",
                                      {"public", "mood"}, "feeling"),
            "mood = 'x'::feeling OR m = 'y'::public.feeling OR m::text = 'other.mood'");
  EXPECT_EQ(rename_type_in_expression("'x'::other.mood", {"public", "mood"}, "feeling"), "'x'::other.mood");
}

TEST(Errors, ABeginAtomicBodyIsNamedAsUnsupported) {
  try {
    load("CREATE TABLE t (a int);\nCREATE FUNCTION n() RETURNS bigint LANGUAGE sql\n  BEGIN ATOMIC SELECT count(a) FROM t; END;");
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_NE(error.message().find("BEGIN ATOMIC"), std::string::npos) << error.message();
    ASSERT_TRUE(error.location().has_value());
    EXPECT_EQ(error.location()->line, 3);
    EXPECT_EQ(error.location()->column, 3);
  }
}

TEST(ForeignKeys, ReferToThePrimaryKeyWhenNoColumnsAreGiven) {
  const auto catalog = load("CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p int REFERENCES p ON DELETE CASCADE);");
  const auto& key = std::get<schema::ForeignKey>(table(catalog, "c").find_constraint("c_p_fkey")->body);
  EXPECT_EQ(key.referenced_table, (schema::QualifiedName{"public", "p"}));
  EXPECT_EQ(key.referenced_columns, std::vector<std::string>{"id"});
  EXPECT_EQ(key.on_delete, schema::ReferentialAction::Cascade);
}

TEST(Enums, KeepValueOrderAndAcceptAddedValues) {
  const auto catalog = load(
      "CREATE TYPE mood AS ENUM ('sad', 'happy');"
      "ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy';"
      "ALTER TYPE mood ADD VALUE 'ecstatic';"
      "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';"
      "CREATE TABLE t (m mood DEFAULT 'ok', ms mood[]);");
  EXPECT_EQ(catalog.enums.at({"public", "mood"}).values,
            (std::vector<std::string>{"blue", "ok", "happy", "ecstatic"}));
  const auto& m = *table(catalog, "t").find_column("m");
  EXPECT_EQ(m.type, (schema::TypeRef{"public", "mood", {}, 0}));
  EXPECT_EQ(table(catalog, "t").find_column("ms")->type.array_dims, 1);
}

TEST(Indexes, KeepMethodOrderingPartialAndInclude) {
  const auto catalog = load(
      "CREATE TABLE t (a int, b text, c jsonb);"
      "CREATE UNIQUE INDEX t_ab ON t (a DESC NULLS LAST, b) INCLUDE (c) WHERE a > 0;"
      "CREATE INDEX t_c ON t USING gin (c);");
  const auto& ab = catalog.indexes.at({"public", "t_ab"});
  EXPECT_TRUE(ab.unique);
  EXPECT_EQ(ab.elements[0].order, schema::SortOrder::Desc);
  EXPECT_EQ(ab.elements[0].nulls, schema::NullsOrder::Last);
  EXPECT_EQ(ab.include, std::vector<std::string>{"c"});
  EXPECT_EQ(ab.where, "a > 0");
  EXPECT_EQ(catalog.indexes.at({"public", "t_c"}).method, "gin");
}

TEST(ObjectKinds, DomainsCompositesViewsFunctionsTriggersAndComments) {
  const auto catalog = load(
      "CREATE EXTENSION IF NOT EXISTS pgcrypto;"
      "CREATE SCHEMA app;"
      "CREATE DOMAIN app.email AS text CHECK (VALUE LIKE '%@%');"
      "CREATE TYPE app.pair AS (x int, y int);"
      "CREATE TABLE app.users (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email app.email,"
      " total numeric GENERATED ALWAYS AS (id * 2) STORED);"
      "CREATE VIEW app.v AS SELECT id FROM app.users;"
      "CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
      "CREATE TRIGGER users_touch BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch();"
      "COMMENT ON TABLE app.users IS 'people';"
      "COMMENT ON COLUMN app.users.email IS 'where to write';");
  EXPECT_TRUE(catalog.extensions.contains("pgcrypto"));
  EXPECT_EQ(catalog.domains.at({"app", "email"}).checks.at(0).name, "email_check");
  EXPECT_EQ(catalog.composite_types.at({"app", "pair"}).attributes.size(), 2U);
  const auto& users = catalog.tables.at({"app", "users"});
  EXPECT_EQ(users.find_column("id")->identity->kind, schema::IdentityKind::Always);
  EXPECT_EQ(users.find_column("total")->generated_expr, "id * 2");
  EXPECT_EQ(users.comment, "people");
  EXPECT_EQ(users.find_column("email")->comment, "where to write");
  EXPECT_EQ(catalog.views.at({"app", "v"}).depends_on.relations,
            (std::vector<schema::QualifiedName>{{"app", "users"}}));
  EXPECT_TRUE(catalog.functions.contains("app.touch()"));
  EXPECT_TRUE(catalog.triggers.contains({{"app", "users"}, "users_touch"}));
}

TEST(ObjectKinds, PartitionsTakeTheirParentsColumns) {
  const auto catalog = load(
      "CREATE TABLE logs (at date NOT NULL, msg text CHECK (msg <> '')) PARTITION BY RANGE (at);"
      "CREATE TABLE logs_2024 PARTITION OF logs FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');"
      "CREATE TABLE logs_other PARTITION OF logs DEFAULT;");
  const auto& partition = table(catalog, "logs_2024");
  EXPECT_EQ(partition.partition_bound, "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
  EXPECT_EQ(partition.inherits, (std::vector<schema::QualifiedName>{{"public", "logs"}}));
  EXPECT_EQ(partition.columns.size(), 2U);
  EXPECT_NE(partition.find_constraint("logs_msg_check"), nullptr);
  EXPECT_EQ(table(catalog, "logs_other").partition_bound, "DEFAULT");
  EXPECT_EQ(table(catalog, "logs").partition_by, "RANGE (at)");
}

TEST(ObjectKinds, RowLevelSecurityAndPolicies) {
  const auto catalog = load(
      "CREATE TABLE docs (owner text);"
      "ALTER TABLE docs ENABLE ROW LEVEL SECURITY;"
      "CREATE POLICY mine ON docs FOR SELECT TO PUBLIC USING (owner = current_user);"
      "CREATE POLICY strict ON docs AS RESTRICTIVE USING (true) WITH CHECK (owner IS NOT NULL);"
      "ALTER POLICY mine ON docs USING (owner = session_user);");
  EXPECT_TRUE(table(catalog, "docs").row_security);
  const auto& mine = catalog.policies.at({{"public", "docs"}, "mine"});
  EXPECT_EQ(mine.command, "SELECT");
  EXPECT_EQ(mine.roles, std::vector<std::string>{"public"});
  EXPECT_EQ(mine.using_expr, "owner = session_user");
  const auto& restrictive = catalog.policies.at({{"public", "docs"}, "strict"});
  EXPECT_FALSE(restrictive.permissive);
  EXPECT_EQ(restrictive.command, "ALL");
  EXPECT_EQ(restrictive.check_expr, "owner IS NOT NULL");
}

TEST(Indexes, KeepStorageParametersSorted) {
  const auto catalog = load("CREATE TABLE t (a int); CREATE INDEX t_a ON t (a) WITH (fillfactor = 70, deduplicate_items = off);");
  EXPECT_EQ(catalog.indexes.at({"public", "t_a"}).options,
            (std::vector<std::string>{"deduplicate_items=off", "fillfactor=70"}));
}

TEST(SyntaxErrors, PointAtFileLineAndColumn) {
  const Error error = error_of("CREATE TABLE t (a int);\n\nCREATE TABLE u (a int,, b int);\n");
  ASSERT_TRUE(error.location());
  EXPECT_EQ(error.location()->file, "schema.sql");
  EXPECT_EQ(error.location()->line, 3);
  EXPECT_EQ(error.location()->column, 23);
  EXPECT_NE(error.render().find("CREATE TABLE u (a int,, b int);\n  "), std::string::npos) << error.render();
}

TEST(SyntaxErrors, AStatementWithoutAnyKeywordIsNotDropped) {
  // libpg_query's scanner split leaves such pieces out; they must still fail.
  const Error error = error_of("CREATE TABLE a (id int);\n  SELEC 1;\nCREATE TABLE b (id int);\n");
  ASSERT_TRUE(error.location());
  EXPECT_EQ(error.location()->line, 2);
  EXPECT_EQ(error.location()->column, 3);
  EXPECT_NE(error.message().find("SELEC"), std::string::npos) << error.message();
  EXPECT_THROW(load("CREATE TABLE a (id int);\nfoo bar baz"), Error);
  EXPECT_EQ(load("-- only comments ;\n;; /* and */ ;"), schema::Catalog::postgres_default());
}

TEST(SyntaxErrors, CountColumnsInCharactersNotBytes) {
  const Error error = error_of("-- é\nCREATE TABLE \"é\" (a int,, b int);");
  ASSERT_TRUE(error.location());
  EXPECT_EQ(error.location()->line, 2);
  EXPECT_EQ(error.location()->column, 25);
}

TEST(UnsupportedStatements, AreErrorsNamingTheStatement) {
  const Error error = error_of("CREATE TABLE t (a int);\nCREATE RULE r AS ON INSERT TO t DO NOTHING;");
  ASSERT_TRUE(error.location());
  EXPECT_EQ(error.location()->line, 2);
  EXPECT_NE(error.message().find("unsupported statement"), std::string::npos);
}

TEST(DataStatements, ArePassedOver) {
  EXPECT_EQ(load("CREATE TABLE t (a int); INSERT INTO t VALUES (1); UPDATE t SET a = 2; DELETE FROM t;"
                 " DO $$ BEGIN PERFORM 1; END $$; SELECT 1;"),
            load("CREATE TABLE t (a int);"));
}

TEST(DoBlocks, WithDynamicSqlOrDdlGiveALocatedWarning) {
  std::vector<Warning> warnings;
  load_postgres_schema({{"m.sql",
                         "DO $$ BEGIN PERFORM 1; END $$;\n"
                         "DO $$ BEGIN EXECUTE 'CREATE TABLE t' || 1 || ' (a int)'; END $$;\n"
                         "  DO $$ BEGIN ALTER TABLE x ADD COLUMN y int; END $$;\n"}},
                       warnings);
  ASSERT_EQ(warnings.size(), 2U);
  EXPECT_EQ(warnings[0].location.line, 2);
  EXPECT_NE(warnings[0].message.find("EXECUTE (dynamic SQL)"), std::string::npos) << warnings[0].message;
  EXPECT_EQ(warnings[1].location.line, 3);
  EXPECT_EQ(warnings[1].location.column, 3);
  EXPECT_NE(warnings[1].message.find("ALTER"), std::string::npos);
}

TEST(Privileges, AreReportedAsWarnings) {
  std::vector<Warning> warnings;
  load_postgres_schema({{"s.sql", "CREATE TABLE t (a int);\nGRANT SELECT ON t TO PUBLIC;"}}, warnings);
  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_EQ(warnings[0].location.line, 2);
}

}  // namespace
}  // namespace strata::parser
