// Drift detection compares the catalog read from a live PostgreSQL database
// with the catalog the front end builds from schema files. The server stores
// more than the front end's canonical form says: it casts string literals to
// text ('a'::text), rewrites IN (...) as = ANY (ARRAY[...]), qualifies the
// functions and relations it resolved (public.f(x), FROM public.t), qualifies
// a view's columns and expands its *, names every view column and keeps the
// version of an extension that a file leaves out. It folds typed literals
// (numeric '1.5' is 1.5; -20 is '-20'::integer), casts each element of
// ARRAY[...]::T[], keeps no array dimensions and qualifies an extension's
// types (public.citext). Comparing the two as they are would report those
// rewrites as drift.
//
// align_live_catalog rewrites both sides the same way (on parse trees, never
// on text) and, for each object whose two rewritten forms are equal, takes the
// files' object in place of the live one. Objects that really differ are left
// as read, so the plan between the catalogs still shows them as the server
// has them, and an object the files do not have is never touched. The
// rewriting is used only for this comparison: file-versus-file planning never
// sees it.
#pragma once

#include "strata/schema/catalog.h"

namespace strata::parser {

// `live` with each object that differs from its namesake in `files` only by
// the server's rewrites replaced by the files' object. Column, relation and
// function lookups (which relation of a FROM clause has which column) use
// `live`, the schema the server resolved the stored expressions against.
schema::Catalog align_live_catalog(schema::Catalog live, const schema::Catalog& files);

}  // namespace strata::parser
