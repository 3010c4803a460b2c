#include "strata/runtime/postgres_inspect.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <variant>
#include <vector>

#include "postgres_cluster.h"

namespace strata::runtime {
namespace {

using schema::QualifiedName;
using schema::TypeRef;

TypeRef builtin(std::string name, std::vector<std::string> modifiers = {}, int array_dims = 0) {
  return TypeRef{"", std::move(name), std::move(modifiers), array_dims};
}

TypeRef user_type(std::string schema, std::string name, int array_dims = 0) {
  return TypeRef{std::move(schema), std::move(name), {}, array_dims};
}

QualifiedName public_name(std::string name) { return {"public", std::move(name)}; }

// A fresh database per test on the binary's shared cluster.
class InspectTest : public ::testing::Test {
 protected:
  InspectTest() : connection_(testing::shared_postgres().create_database()) {}

  schema::Catalog inspect_after(const std::string& ddl) {
    connection_.exec(ddl);
    return inspect_postgres(connection_);
  }

  PostgresConnection connection_;
};

template <typename Body>
const Body& body_of(const schema::Table& table, const std::string& constraint) {
  const schema::Constraint* found = table.find_constraint(constraint);
  if (found == nullptr) throw std::runtime_error("no constraint " + constraint);
  return std::get<Body>(found->body);
}

std::vector<std::string> constraint_names(const schema::Table& table) {
  std::vector<std::string> names;
  for (const auto& constraint : table.constraints) names.push_back(constraint.name);
  return names;
}

TEST_F(InspectTest, FreshDatabaseIsThePostgresDefault) {
  EXPECT_EQ(inspect_postgres(connection_), schema::Catalog::postgres_default());
}

TEST_F(InspectTest, TableWithSerialKeyUniqueCheckAndCascadingForeignKey) {
  const schema::Catalog catalog = inspect_after(R"sql(
    CREATE TABLE authors (
      id serial PRIMARY KEY,
      email varchar(255) NOT NULL UNIQUE,
      rating numeric(3, 1) CHECK (rating >= 0)
    );
    CREATE TABLE books (
      id bigserial PRIMARY KEY,
      author_id integer NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
      title text NOT NULL DEFAULT 'untitled'
    );
  )sql");

  const schema::Table& authors = catalog.tables.at(public_name("authors"));
  ASSERT_EQ(authors.columns.size(), 3U);
  EXPECT_EQ(authors.columns[0], (schema::Column{"id", builtin("integer"), std::nullopt, true,
                                                 "nextval('public.authors_id_seq'::regclass)"}));
  EXPECT_EQ(authors.columns[1], (schema::Column{"email", builtin("character varying", {"255"}), std::nullopt, true}));
  EXPECT_EQ(authors.columns[2], (schema::Column{"rating", builtin("numeric", {"3", "1"})}));
  // ordered by name
  EXPECT_EQ(constraint_names(authors),
            (std::vector<std::string>{"authors_email_key", "authors_pkey", "authors_rating_check"}));
  EXPECT_EQ(body_of<schema::PrimaryKey>(authors, "authors_pkey"), (schema::PrimaryKey{{"id"}, {}}));
  EXPECT_EQ(body_of<schema::UniqueKey>(authors, "authors_email_key"), (schema::UniqueKey{{"email"}, {}, false}));
  EXPECT_EQ(body_of<schema::Check>(authors, "authors_rating_check"),
            (schema::Check{"rating >= 0::numeric", false}));

  const schema::Table& books = catalog.tables.at(public_name("books"));
  EXPECT_EQ(books.columns[2].default_expr, "'untitled'");  // the cast to its own type dropped
  EXPECT_EQ(body_of<schema::ForeignKey>(books, "books_author_id_fkey"),
            (schema::ForeignKey{{"author_id"},
                                public_name("authors"),
                                {"id"},
                                schema::ReferentialAction::Cascade,
                                schema::ReferentialAction::NoAction,
                                schema::MatchType::Simple}));
  EXPECT_FALSE(books.find_constraint("books_author_id_fkey")->deferrable);

  const schema::Sequence& authors_id = catalog.sequences.at(public_name("authors_id_seq"));
  EXPECT_EQ(authors_id.owned_by, (schema::ColumnRef{public_name("authors"), "id"}));
  EXPECT_EQ(authors_id.options, (schema::SequenceOptions{builtin("integer"), 1, 1,
                                                         std::numeric_limits<std::int32_t>::max(), 1, 1, false}));
  EXPECT_EQ(catalog.sequences.at(public_name("books_id_seq")).options.max_value,
            std::numeric_limits<std::int64_t>::max());
  // the unique and primary key indexes belong to their constraints
  EXPECT_TRUE(catalog.indexes.empty());
}

TEST_F(InspectTest, EnumValuesInSortOrderAndColumnsOfTheEnumAndItsArray) {
  const schema::Catalog catalog = inspect_after(R"sql(
    CREATE TYPE mood AS ENUM ('sad', 'ok, fine', 'say "hi"', 'happy');
    ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok, fine';
    CREATE TABLE people (name text, current mood DEFAULT 'happy', history mood[]);
  )sql");

  EXPECT_EQ(catalog.enums.at(public_name("mood")).values,
            (std::vector<std::string>{"sad", "meh", "ok, fine", "say \"hi\"", "happy"}));
  const schema::Table& people = catalog.tables.at(public_name("people"));
  EXPECT_EQ(people.columns[1].type, user_type("public", "mood"));
  EXPECT_EQ(people.columns[1].default_expr, "'happy'");
  EXPECT_EQ(people.columns[2].type, user_type("public", "mood", 1));
}

TEST_F(InspectTest, DomainWithCollationDefaultAndNamedChecks) {
  const schema::Catalog catalog = inspect_after(R"sql(
    CREATE DOMAIN code AS varchar(8) COLLATE "C" NOT NULL DEFAULT 'x'
      CONSTRAINT code_format CHECK (VALUE ~ '^[a-z]+$')
      CONSTRAINT code_length CHECK (length(VALUE) >= 1);
    CREATE TABLE items (item_code code, codes code[]);
  )sql");

  const schema::Domain& code = catalog.domains.at(public_name("code"));
  EXPECT_EQ(code.base_type, builtin("character varying", {"8"}));
  EXPECT_EQ(code.collation, "C");
  EXPECT_TRUE(code.not_null);
  EXPECT_EQ(code.default_expr, "'x'");
  EXPECT_EQ(code.checks, (std::vector<schema::DomainCheck>{{"code_format", "value::text ~ '^[a-z]+$'::text"},
                                                           {"code_length", "length(value::text) >= 1"}}));
  const schema::Table& items = catalog.tables.at(public_name("items"));
  EXPECT_EQ(items.columns[0], (schema::Column{"item_code", user_type("public", "code")}));
  EXPECT_EQ(items.columns[1].type, user_type("public", "code", 1));
}

TEST_F(InspectTest, ConstraintsAddedNotValidStaySoUntilValidated) {
  const schema::Catalog catalog = inspect_after(R"sql(
    CREATE TABLE p (id int PRIMARY KEY);
    CREATE TABLE k (x int, pid int);
    ALTER TABLE k ADD CONSTRAINT k_x CHECK (x > 0) NOT VALID,
      ADD CONSTRAINT k_p FOREIGN KEY (pid) REFERENCES p (id) NOT VALID,
      ADD CONSTRAINT k_y CHECK (x < 100) NOT VALID;
    ALTER TABLE k VALIDATE CONSTRAINT k_y;
  )sql");
  const schema::Table& k = catalog.tables.at(public_name("k"));
  EXPECT_TRUE(k.find_constraint("k_x")->not_valid);
  EXPECT_TRUE(k.find_constraint("k_p")->not_valid);
  EXPECT_FALSE(k.find_constraint("k_y")->not_valid);
  EXPECT_FALSE(catalog.tables.at(public_name("p")).find_constraint("p_pkey")->not_valid);
}

TEST_F(InspectTest, IdentityColumnsCarryTheirSequenceOptions) {
  const schema::Catalog catalog = inspect_after(R"sql(
    CREATE TABLE events (
      id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10) PRIMARY KEY,
      seen smallint GENERATED BY DEFAULT AS IDENTITY,
      twice integer GENERATED ALWAYS AS (seen * 2) STORED
    );
  )sql");

  const schema::Table& events = catalog.tables.at(public_name("events"));
  const schema::Column& id = events.columns[0];
  ASSERT_TRUE(id.identity.has_value());
  EXPECT_TRUE(id.not_null);
  EXPECT_EQ(id.default_expr, std::nullopt);
  EXPECT_EQ(*id.identity, (schema::Identity{schema::IdentityKind::Always,
                                            {builtin("bigint"), 10, 1, std::numeric_limits<std::int64_t>::max(), 100,
                                             1, false}}));
  const schema::Column& seen = events.columns[1];
  ASSERT_TRUE(seen.identity.has_value());
  EXPECT_EQ(seen.identity->kind, schema::IdentityKind::ByDefault);
  EXPECT_EQ(seen.identity->options.data_type, builtin("smallint"));
  EXPECT_EQ(seen.identity->options.max_value, std::numeric_limits<std::int16_t>::max());
  const schema::Column& twice = events.columns[2];
  EXPECT_EQ(twice.generated_expr, "seen * 2");
  EXPECT_EQ(twice.default_expr, std::nullopt);
  // identity sequences are not sequences of their own
  EXPECT_TRUE(catalog.sequences.empty());
}

TEST_F(InspectTest, IndexesWithOrderExpressionsPredicatesIncludeOpclassAndCollation) {
  const schema::Catalog catalog = inspect_after(R"sql(
    CREATE TABLE users (id integer, email text, name text COLLATE "C", created timestamptz(3), deleted boolean);
    CREATE INDEX users_created ON users (created DESC);
    CREATE UNIQUE INDEX users_live_email ON users (lower(email)) INCLUDE (name, id) WHERE NOT deleted;
    CREATE INDEX users_name_pattern ON users (name text_pattern_ops NULLS FIRST, (id + 1) DESC NULLS LAST);
    CREATE INDEX users_email_c ON users (email COLLATE "C", name);
    CREATE INDEX users_id_hash ON users USING hash (id);
    CREATE UNIQUE INDEX users_id_distinct ON users (id) NULLS NOT DISTINCT;
  )sql");

  const schema::Table& users = catalog.tables.at(public_name("users"));
  EXPECT_EQ(users.columns[2].collation, "C");
  EXPECT_EQ(users.columns[3].type, builtin("timestamp with time zone", {"3"}));
  ASSERT_EQ(catalog.indexes.size(), 6U);

  const schema::Index& created = catalog.indexes.at(public_name("users_created"));
  EXPECT_EQ(created.table, public_name("users"));
  EXPECT_EQ(created.method, "btree");
  EXPECT_FALSE(created.unique);
  ASSERT_EQ(created.elements.size(), 1U);
  EXPECT_EQ(created.elements[0], (schema::IndexElement{"created", "", std::nullopt, std::nullopt,
                                                       schema::SortOrder::Desc, schema::NullsOrder::Default}));

  const schema::Index& live_email = catalog.indexes.at(public_name("users_live_email"));
  EXPECT_TRUE(live_email.unique);
  ASSERT_EQ(live_email.elements.size(), 1U);
  EXPECT_EQ(live_email.elements[0], (schema::IndexElement{"", "lower(email)"}));
  EXPECT_EQ(live_email.include, (std::vector<std::string>{"name", "id"}));
  EXPECT_EQ(live_email.where, "NOT deleted");

  const schema::Index& name_pattern = catalog.indexes.at(public_name("users_name_pattern"));
  ASSERT_EQ(name_pattern.elements.size(), 2U);
  EXPECT_EQ(name_pattern.elements[0], (schema::IndexElement{"name", "", std::nullopt, "text_pattern_ops",
                                                            schema::SortOrder::Default, schema::NullsOrder::First}));
  EXPECT_EQ(name_pattern.elements[1], (schema::IndexElement{"", "id + 1", std::nullopt, std::nullopt,
                                                            schema::SortOrder::Desc, schema::NullsOrder::Last}));

  const schema::Index& email_c = catalog.indexes.at(public_name("users_email_c"));
  ASSERT_EQ(email_c.elements.size(), 2U);
  EXPECT_EQ(email_c.elements[0], (schema::IndexElement{"email", "", "C"}));
  // the column's own collation is no index collation
  EXPECT_EQ(email_c.elements[1], (schema::IndexElement{"name"}));

  EXPECT_EQ(catalog.indexes.at(public_name("users_id_hash")).method, "hash");
  EXPECT_TRUE(catalog.indexes.at(public_name("users_id_distinct")).nulls_not_distinct);
  EXPECT_FALSE(catalog.indexes.at(public_name("users_id_hash")).nulls_not_distinct);
}

// gin_trgm_ops stores integers for text: the expression's collation is that
// of the text it reads, not of what the index stores.
TEST_F(InspectTest, AnIndexExpressionsCollationIsThatOfTheTypeItsOperatorClassReads) {
  const schema::Catalog catalog = inspect_after(R"sql(
    CREATE EXTENSION pg_trgm;
    CREATE TABLE products (notes jsonb);
    CREATE INDEX products_notes ON products USING gin ((notes ->> 'text') gin_trgm_ops);
    CREATE INDEX products_notes_c ON products USING gin ((notes ->> 'text') COLLATE "C" gin_trgm_ops);
  )sql");
  const auto& notes = catalog.indexes.at(public_name("products_notes")).elements;
  ASSERT_EQ(notes.size(), 1U);
  EXPECT_EQ(notes[0].collation, std::nullopt);
  EXPECT_EQ(notes[0].opclass, "public.gin_trgm_ops");
  const auto& notes_c = catalog.indexes.at(public_name("products_notes_c")).elements;
  ASSERT_EQ(notes_c.size(), 1U);
  EXPECT_EQ(notes_c[0].collation, "C");
}

TEST_F(InspectTest, ViewsAndMaterializedViews) {
  const schema::Catalog catalog = inspect_after(R"sql(
    CREATE TABLE users (id integer, email text, deleted boolean);
    CREATE VIEW active_users WITH (security_barrier) AS
      SELECT id, email FROM users WHERE NOT deleted WITH LOCAL CHECK OPTION;
    CREATE MATERIALIZED VIEW user_count AS SELECT count(*) AS total FROM users;
  )sql");

  const schema::View& active = catalog.views.at(public_name("active_users"));
  EXPECT_FALSE(active.materialized);
  EXPECT_EQ(active.query, "SELECT users.id, users.email FROM public.users WHERE NOT users.deleted");
  EXPECT_EQ(active.column_names, (std::vector<std::string>{"id", "email"}));
  EXPECT_EQ(active.options, (std::vector<std::string>{"security_barrier=true"}));
  EXPECT_EQ(active.check_option, "local");

  const schema::View& count = catalog.views.at(public_name("user_count"));
  EXPECT_TRUE(count.materialized);
  EXPECT_EQ(count.query, "SELECT count(*) AS total FROM public.users");
  EXPECT_EQ(count.column_names, (std::vector<std::string>{"total"}));
  EXPECT_EQ(count.check_option, std::nullopt);
}

TEST_F(InspectTest, FunctionsAndProcedures) {
  const schema::Catalog catalog = inspect_after(R"sql(
    CREATE FUNCTION add_tax(amount numeric, rate numeric DEFAULT 0.2) RETURNS numeric
      LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT amount * (1 + rate) $$;
    CREATE FUNCTION pairs(VARIADIC tags text[]) RETURNS TABLE (a integer, b text)
      LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER COST 5 ROWS 10 SET search_path = public, pg_temp
      AS $$ SELECT 1, tags[1] $$;
    CREATE PROCEDURE reset_total(INOUT total integer) LANGUAGE plpgsql AS $$ BEGIN total := 0; END $$;
    CREATE FUNCTION next_id(x integer) RETURNS integer LANGUAGE sql RETURN x + 1;
  )sql");

  ASSERT_EQ(catalog.functions.size(), 4U);
  const schema::Function& add_tax = catalog.functions.at("public.add_tax(numeric, numeric)");
  EXPECT_EQ(add_tax.kind, schema::RoutineKind::Function);
  EXPECT_EQ(add_tax.args, (std::vector<schema::FunctionArg>{
                              {schema::ArgMode::In, "amount", builtin("numeric"), std::nullopt},
                              {schema::ArgMode::In, "rate", builtin("numeric"), "0.2"}}));
  EXPECT_EQ(add_tax.returns, builtin("numeric"));
  EXPECT_FALSE(add_tax.returns_set);
  EXPECT_EQ(add_tax.language, "sql");
  EXPECT_EQ(add_tax.body, " SELECT amount * (1 + rate) ");
  EXPECT_EQ(add_tax.options, (std::vector<std::string>{"IMMUTABLE", "STRICT"}));

  const schema::Function& pairs = catalog.functions.at("public.pairs(text[])");
  EXPECT_EQ(pairs.args, (std::vector<schema::FunctionArg>{
                            {schema::ArgMode::Variadic, "tags", builtin("text", {}, 1), std::nullopt},
                            {schema::ArgMode::Table, "a", builtin("integer"), std::nullopt},
                            {schema::ArgMode::Table, "b", builtin("text"), std::nullopt}}));
  EXPECT_EQ(pairs.returns, std::nullopt);
  EXPECT_TRUE(pairs.returns_set);
  EXPECT_EQ(pairs.options, (std::vector<std::string>{"STABLE", "PARALLEL SAFE", "SECURITY DEFINER", "COST 5",
                                                     "ROWS 10", "SET search_path=public, pg_temp"}));

  const schema::Function& reset = catalog.functions.at("public.reset_total(integer)");
  EXPECT_EQ(reset.kind, schema::RoutineKind::Procedure);
  EXPECT_EQ(reset.returns, std::nullopt);
  EXPECT_EQ(reset.language, "plpgsql");
  EXPECT_EQ(reset.args, (std::vector<schema::FunctionArg>{
                            {schema::ArgMode::InOut, "total", builtin("integer"), std::nullopt}}));
  EXPECT_TRUE(reset.options.empty());

  EXPECT_EQ(catalog.functions.at("public.next_id(integer)").body, "RETURN (x + 1)");
}

TEST_F(InspectTest, TriggersButNotTheInternalOnes) {
  const schema::Catalog catalog = inspect_after(R"sql(
    CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
    CREATE TABLE owners (id integer PRIMARY KEY);
    CREATE TABLE docs (id integer REFERENCES owners, body text, updated timestamptz);
    CREATE TRIGGER docs_touch BEFORE INSERT OR UPDATE OF body, id ON docs
      FOR EACH ROW WHEN (NEW.body IS NOT NULL) EXECUTE FUNCTION touch('a b', 'it''s');
    CREATE TRIGGER docs_audit AFTER TRUNCATE OR DELETE ON docs EXECUTE FUNCTION touch();
    CREATE CONSTRAINT TRIGGER docs_check AFTER INSERT ON docs DEFERRABLE INITIALLY DEFERRED
      FOR EACH ROW EXECUTE FUNCTION touch();
  )sql");

  // the foreign key's own triggers are internal
  ASSERT_EQ(catalog.triggers.size(), 3U);
  const schema::Trigger& touch = catalog.triggers.at({public_name("docs"), "docs_touch"});
  EXPECT_EQ(touch.timing, schema::TriggerTiming::Before);
  EXPECT_EQ(touch.events, (std::vector<std::string>{"INSERT", "UPDATE OF body, id"}));
  EXPECT_TRUE(touch.for_each_row);
  EXPECT_EQ(touch.when, "new.body IS NOT NULL");
  EXPECT_EQ(touch.function, public_name("touch"));
  EXPECT_EQ(touch.function_args, (std::vector<std::string>{"a b", "it's"}));
  EXPECT_FALSE(touch.constraint_trigger);

  const schema::Trigger& audit = catalog.triggers.at({public_name("docs"), "docs_audit"});
  EXPECT_EQ(audit.timing, schema::TriggerTiming::After);
  EXPECT_EQ(audit.events, (std::vector<std::string>{"DELETE", "TRUNCATE"}));
  EXPECT_FALSE(audit.for_each_row);
  EXPECT_EQ(audit.when, std::nullopt);
  EXPECT_TRUE(audit.function_args.empty());

  const schema::Trigger& check = catalog.triggers.at({public_name("docs"), "docs_check"});
  EXPECT_TRUE(check.constraint_trigger);
  EXPECT_TRUE(check.deferrable);
  EXPECT_TRUE(check.initially_deferred);
}

TEST_F(InspectTest, CommentsOnEveryKindOfObject) {
  const schema::Catalog catalog = inspect_after(R"sql(
    CREATE SCHEMA billing;
    CREATE TYPE billing.status AS ENUM ('open', 'paid');
    CREATE DOMAIN billing.cents AS bigint;
    CREATE TYPE billing.money_pair AS (low billing.cents, high billing.cents);
    CREATE SEQUENCE billing.invoice_numbers;
    CREATE TABLE billing.invoices (id integer CONSTRAINT invoices_id_positive CHECK (id > 0), status billing.status);
    CREATE INDEX invoices_status ON billing.invoices (status);
    CREATE VIEW billing.open_invoices AS SELECT id FROM billing.invoices WHERE status = 'open';
    CREATE FUNCTION billing.noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
    CREATE TRIGGER invoices_noop AFTER INSERT ON billing.invoices EXECUTE FUNCTION billing.noop();
    COMMENT ON SCHEMA billing IS 'money';
    COMMENT ON SCHEMA public IS 'the rest';
    COMMENT ON TYPE billing.status IS 'enum';
    COMMENT ON DOMAIN billing.cents IS 'domain';
    COMMENT ON TYPE billing.money_pair IS 'composite';
    COMMENT ON SEQUENCE billing.invoice_numbers IS 'sequence';
    COMMENT ON TABLE billing.invoices IS 'table';
    COMMENT ON COLUMN billing.invoices.status IS 'column';
    COMMENT ON CONSTRAINT invoices_id_positive ON billing.invoices IS 'constraint';
    COMMENT ON INDEX billing.invoices_status IS 'index';
    COMMENT ON VIEW billing.open_invoices IS 'view';
    COMMENT ON FUNCTION billing.noop() IS 'function';
    COMMENT ON TRIGGER invoices_noop ON billing.invoices IS 'trigger';
  )sql");

  const QualifiedName invoices{"billing", "invoices"};
  EXPECT_EQ(catalog.schemas.at("billing").comment, "money");
  EXPECT_EQ(catalog.schemas.at("public").comment, "the rest");
  EXPECT_EQ(catalog.enums.at({"billing", "status"}).comment, "enum");
  EXPECT_EQ(catalog.domains.at({"billing", "cents"}).comment, "domain");
  EXPECT_EQ(catalog.composite_types.at({"billing", "money_pair"}).comment, "composite");
  EXPECT_EQ(catalog.sequences.at({"billing", "invoice_numbers"}).comment, "sequence");
  EXPECT_EQ(catalog.tables.at(invoices).comment, "table");
  EXPECT_EQ(catalog.tables.at(invoices).columns[0].comment, std::nullopt);
  EXPECT_EQ(catalog.tables.at(invoices).columns[1].comment, "column");
  EXPECT_EQ(catalog.tables.at(invoices).find_constraint("invoices_id_positive")->comment, "constraint");
  EXPECT_EQ(catalog.indexes.at({"billing", "invoices_status"}).comment, "index");
  EXPECT_EQ(catalog.views.at({"billing", "open_invoices"}).comment, "view");
  EXPECT_EQ(catalog.functions.at("billing.noop()").comment, "function");
  EXPECT_EQ(catalog.triggers.at({invoices, "invoices_noop"}).comment, "trigger");

  // and the objects themselves, outside public
  EXPECT_EQ(catalog.composite_types.at({"billing", "money_pair"}).attributes,
            (std::vector<schema::CompositeAttribute>{{"low", user_type("billing", "cents"), std::nullopt},
                                                     {"high", user_type("billing", "cents"), std::nullopt}}));
  EXPECT_EQ(catalog.tables.at(invoices).columns[1].type, user_type("billing", "status"));
  EXPECT_EQ(catalog.views.at({"billing", "open_invoices"}).query,
            "SELECT invoices.id FROM billing.invoices WHERE invoices.status = 'open'::billing.status");
}

TEST_F(InspectTest, SequencesWithEveryOptionAndOwnedBy) {
  const schema::Catalog catalog = inspect_after(R"sql(
    CREATE TABLE orders (number integer);
    CREATE SEQUENCE order_numbers AS integer INCREMENT BY 5 MINVALUE 10 MAXVALUE 1000 START WITH 20 CACHE 3 CYCLE
      OWNED BY orders.number;
    CREATE SEQUENCE countdown INCREMENT BY -1;
  )sql");

  const schema::Sequence& numbers = catalog.sequences.at(public_name("order_numbers"));
  EXPECT_EQ(numbers.options, (schema::SequenceOptions{builtin("integer"), 5, 10, 1000, 20, 3, true}));
  EXPECT_EQ(numbers.owned_by, (schema::ColumnRef{public_name("orders"), "number"}));

  const schema::Sequence& countdown = catalog.sequences.at(public_name("countdown"));
  EXPECT_EQ(countdown.options, (schema::SequenceOptions{builtin("bigint"), -1, std::numeric_limits<std::int64_t>::min(),
                                                        -1, -1, 1, false}));
  EXPECT_EQ(countdown.owned_by, std::nullopt);
}

TEST_F(InspectTest, TableKindsConstraintKindsAndTypeModifiers) {
  const schema::Catalog catalog = inspect_after(R"sql(
    CREATE TABLE measurements (
      taken timestamp(0) NOT NULL,
      span interval day to second(3),
      yearly interval year to month,
      code char,
      flags bit varying(5),
      tags varchar(10)[]
    ) PARTITION BY RANGE (taken);
    CREATE TABLE measurements_2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
    CREATE TABLE bookings (
      during tstzrange,
      room char(3),
      since timestamp,
      EXCLUDE USING gist (during WITH &&) WHERE (room <> 'x'),
      CONSTRAINT bookings_since_key UNIQUE NULLS NOT DISTINCT (since) INCLUDE (room) DEFERRABLE INITIALLY DEFERRED
    );
    CREATE UNLOGGED TABLE scratch (note text);
    CREATE TABLE base (id integer CHECK (id > 0) NO INHERIT, label text CHECK (label <> ''));
    CREATE TABLE derived (extra text) INHERITS (base);
  )sql");

  const schema::Table& measurements = catalog.tables.at(public_name("measurements"));
  EXPECT_EQ(measurements.partition_by, "RANGE (taken)");
  EXPECT_EQ(measurements.columns[0].type, builtin("timestamp without time zone", {"0"}));
  EXPECT_EQ(measurements.columns[1].type, builtin("interval", {"day to second", "3"}));
  EXPECT_EQ(measurements.columns[2].type, builtin("interval", {"year to month"}));
  EXPECT_EQ(measurements.columns[3].type, builtin("character", {"1"}));
  EXPECT_EQ(measurements.columns[4].type, builtin("bit varying", {"5"}));
  EXPECT_EQ(measurements.columns[5].type, builtin("character varying", {"10"}, 1));
  const schema::Table& partition = catalog.tables.at(public_name("measurements_2024"));
  EXPECT_EQ(partition.inherits, (std::vector<QualifiedName>{public_name("measurements")}));
  EXPECT_EQ(partition.partition_by, std::nullopt);

  const schema::Table& bookings = catalog.tables.at(public_name("bookings"));
  EXPECT_EQ(bookings.columns[0].type, builtin("tstzrange"));
  const auto& exclusion = body_of<schema::Exclusion>(bookings, "bookings_during_excl");
  EXPECT_EQ(exclusion.method, "gist");
  EXPECT_EQ(exclusion.elements, (std::vector<schema::ExclusionElement>{{"during", "&&"}}));
  EXPECT_EQ(exclusion.where, "room <> 'x'::bpchar");
  const schema::Constraint* since_key = bookings.find_constraint("bookings_since_key");
  ASSERT_NE(since_key, nullptr);
  EXPECT_EQ(std::get<schema::UniqueKey>(since_key->body), (schema::UniqueKey{{"since"}, {"room"}, true}));
  EXPECT_TRUE(since_key->deferrable);
  EXPECT_TRUE(since_key->initially_deferred);
  EXPECT_TRUE(catalog.indexes.empty());

  EXPECT_TRUE(catalog.tables.at(public_name("scratch")).unlogged);
  EXPECT_FALSE(bookings.unlogged);

  const schema::Table& derived = catalog.tables.at(public_name("derived"));
  EXPECT_EQ(derived.inherits, (std::vector<QualifiedName>{public_name("base")}));
  ASSERT_EQ(derived.columns.size(), 3U);
  EXPECT_EQ(derived.columns[2].name, "extra");
  EXPECT_EQ(body_of<schema::Check>(catalog.tables.at(public_name("base")), "base_id_check"),
            (schema::Check{"id > 0", true}));
  // the inherited check is the child's too; NO INHERIT is not inherited
  EXPECT_EQ(constraint_names(derived), (std::vector<std::string>{"base_label_check"}));
}

TEST_F(InspectTest, ExtensionObjectsBelongToTheExtension) {
  const schema::Catalog catalog = inspect_after(R"sql(
    CREATE EXTENSION citext;
    CREATE TABLE accounts (login citext);
  )sql");

  ASSERT_EQ(catalog.extensions.size(), 1U);
  const schema::Extension& citext = catalog.extensions.at("citext");
  EXPECT_EQ(citext.schema, "public");
  EXPECT_TRUE(citext.version.has_value());
  EXPECT_TRUE(catalog.functions.empty());  // citext's functions are the extension's
  EXPECT_TRUE(catalog.composite_types.empty());
  EXPECT_EQ(catalog.tables.at(public_name("accounts")).columns[0].type, user_type("public", "citext"));
}

TEST_F(InspectTest, InsideATransactionSeesItsChangesAndLeavesTheSessionAsFound) {
  const std::string search_path = std::string(connection_.query("SHOW search_path").value(0, 0));
  connection_.exec("BEGIN; CREATE TABLE pending (id integer)");
  const schema::Catalog catalog = inspect_postgres(connection_);
  EXPECT_TRUE(catalog.tables.contains(public_name("pending")));
  EXPECT_TRUE(connection_.in_transaction());
  EXPECT_EQ(connection_.query("SHOW search_path").value(0, 0), search_path);
  connection_.exec("ROLLBACK");

  EXPECT_TRUE(inspect_postgres(connection_).tables.empty());
  EXPECT_FALSE(connection_.in_transaction());
  EXPECT_EQ(connection_.query("SHOW search_path").value(0, 0), search_path);
}

}  // namespace
}  // namespace strata::runtime
