// Package schema holds Backplane's JSON Schema model: the one type that the
// rest, openapi and data components share to describe request bodies,
// parameters and models, and with it the generator that derives schemas
// from Go types, a strict JSON reader, and the validator that checks
// requests against the schemas.
//
// A [Schema] is plain data, the subset of JSON Schema that OpenAPI uses.
// Nullable is held the OpenAPI 3.0 way, as a flag beside Type; package
// openapi writes a schema in the 3.0.3 dialect or the 3.1.0 one (JSON
// Schema 2020-12), properties in the order of [Schema.PropertyOrder], so
// documents built from schemas are byte-for-byte deterministic.
//
// # Schemas from Go types
//
// A [Registry] turns Go types into schemas ([Registry.Of], [For]). A
// named struct type becomes a named entry of the registry, referred to
// with a $ref ("#/components/schemas/Todo"), so a type used by many routes
// is described once; other types are inlined. Properties follow the
// fields' json tags in declaration order (embedded structs flattened);
// the fields' tags add the keywords: doc, example, default, enum, format,
// the bounds (minimum, maximum, exclusiveMinimum, exclusiveMaximum,
// multipleOf, minLength, maxLength, pattern, minItems, maxItems,
// uniqueItems), nullable, readOnly, writeOnly, deprecated,
// required:"true", and data:"id", data:"generated", data:"hidden". A
// struct rejects properties it does not declare (additionalProperties:
// false) unless its blank field says additionalProperties:"true"; the
// blank field's doc tag describes the struct. Types write their own
// schema with [Describer] and choose their name with [Namer].
//
// Each [Variant] is a shape LoopBack derives from a model, named with its
// affix: [Full] as declared ("Todo"), [New] without generated (a generated
// id among them) and readOnly properties ("NewTodo", the body of a
// create), [Partial] with nothing required ("TodoPartial", the body of a
// patch), [WithRelations] with the navigational properties an include
// fills ("TodoWithRelations"). Two types of one name from different
// packages are told apart by package ("BillingAccount"); the same types
// registered in the same order always get the same names.
//
// # Reading and validating
//
// [Parse] reads JSON into nil, bool, [Number], string, []any and
// [*Object], keeping what encoding/json would lose — member order, and
// numbers as written, so integers beyond float64's precision are judged
// on their text — and rejecting what an API should not guess about:
// duplicate member names, invalid UTF-8, trailing data, nesting deeper
// than [DefaultMaxDepth]. [Plain] converts the result to encoding/json's
// generic form.
//
// [Compile] prepares a schema once, at start (a bad pattern is an error
// then, not at the first request); [Validator.Validate] reports every
// problem of a parsed value, up to [MaxDetails], as a [Detail] in the
// shape LoopBack's clients read from error.details: the JSON pointer of
// the value, the keyword it fails, a sentence, and the keyword's
// parameters.
package schema
