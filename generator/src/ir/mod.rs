//! The intermediate representation: what the client is made of, independent of both the
//! OpenAPI document's shape and Rust syntax.
//!
//! [`build`] makes it from a parsed document in three steps: every component schema gets a
//! [`TypeId`] and a name first (so forward references and cycles resolve), then schemas and
//! operations are converted, then reference cycles are broken with `Box` (the `cycles` module).

mod all_of;
mod alternatives;
mod cycles;
mod extensions;
mod features;
mod implied;
mod operation;
mod patch;
mod schema;
mod usage;

use std::collections::BTreeMap;

use crate::error::{Diagnostic, Error};

pub use operation::build_operations;
pub use schema::TypeSpace;
pub use usage::Usage;

/// The whole client.
#[derive(Debug)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub servers: Vec<Server>,
    pub types: TypeSpace,
    /// Sorted by path, then method, so output does not depend on key order in the spec.
    pub operations: Vec<Operation>,
    /// By scheme name.
    pub security_schemes: BTreeMap<String, SecurityScheme>,
    /// The spec's examples of component schemas and JSON responses, with their types.
    pub examples: Vec<Example>,
    /// The cargo features that select parts of the crate, sorted: one per group of
    /// operations (by first tag), and `schemas` for the schemas no operation uses.
    pub features: Vec<String>,
}

/// An example value the spec gives for a type.
#[derive(Debug, Clone)]
pub struct Example {
    pub pointer: String,
    pub ty: Type,
    pub value: serde_json::Value,
}

#[derive(Debug, Clone)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
}

/// Index of a named type in the [`TypeSpace`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A type as it is used by a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    String,
    Bool,
    Integer(IntegerKind),
    /// Any JSON number, as `f64` (exact for every `float` and `double`).
    Number,
    Uuid,
    /// `format: date-time` (RFC 3339), keeping the offset it was written with.
    DateTime,
    /// `format: date` (`2024-05-17`).
    Date,
    /// Raw bytes (`format: binary`).
    Bytes,
    /// Any JSON value: free-form schemas and constructs not modelled yet.
    Json,
    Named(TypeId),
    Array(Box<Type>),
    /// A JSON object with arbitrary keys.
    Map(Box<Type>),
    Option(Box<Type>),
    /// Heap indirection that breaks a reference cycle.
    Boxed(Box<Type>),
}

impl Type {
    /// Wraps in `Option` unless it already is one.
    pub fn optional(self) -> Type {
        match self {
            Type::Option(_) => self,
            other => Type::Option(Box::new(other)),
        }
    }

    pub fn is_option(&self) -> bool {
        matches!(self, Type::Option(_))
    }

    /// The type without its outer `Option`, where presence is said elsewhere (a required
    /// argument, a union variant).
    pub fn required(self) -> Type {
        match self {
            Type::Option(inner) => *inner,
            other => other,
        }
    }

    /// Every named type mentioned anywhere in this type, appended to `out`.
    pub fn named_ids(&self, out: &mut Vec<TypeId>) {
        match self {
            Type::Named(id) => out.push(*id),
            Type::Array(inner) | Type::Map(inner) | Type::Option(inner) | Type::Boxed(inner) => {
                inner.named_ids(out)
            }
            _ => {}
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegerKind {
    I32,
    I64,
}

/// A named type: a struct, an enum or an alias.
#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    /// The cargo features any of which compiles it; `None`: every operation reaches it, so
    /// it is always compiled.
    pub features: Option<std::collections::BTreeSet<String>>,
    /// Whether requests send it, responses bring it, or both.
    pub usage: Usage,
    /// Where the schema sits in the spec.
    pub pointer: String,
    pub description: Option<String>,
    pub kind: TypeKind,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum. Unknown values decode into an extra `Other(String)` variant.
    Enum(Enum),
    /// A name for another type (`type Foo = Vec<Bar>;`).
    Alias(Type),
    /// One of several types (`oneOf`/`anyOf`).
    Union(Union),
    /// A struct wrapping one type, for an alias that refers to itself (`A = Vec<A>`), which
    /// Rust's type aliases cannot express.
    Newtype(Type),
}

/// Alternatives. With a discriminator, the value of one property says which variant a JSON
/// object is, and an unknown value is kept; without, the first variant that decodes wins.
#[derive(Debug, Clone)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// The discriminating property's name, when the spec names one.
    pub discriminator: Option<String>,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub name: String,
    pub ty: Type,
    /// The discriminator value that selects this variant.
    pub tag: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Properties not listed in `properties`, kept in a map of this value type (JSON values
    /// unless `additionalProperties` names a schema); `None` when the schema says
    /// `additionalProperties: false`, or when flattened parts keep them instead.
    pub additional: Option<Type>,
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust field name.
    pub name: String,
    /// The field's own properties sit beside the struct's (`#[serde(flatten)]`): an `allOf`
    /// branch that is not an object, such as a union.
    pub flatten: bool,
    /// The schema allows `null`. With `required` false, the field may be absent or null;
    /// in PATCH bodies the two differ, and the field is an `Option<Option<T>>`.
    pub nullable: bool,
    /// The property name in JSON.
    pub json_name: String,
    pub ty: Type,
    pub required: bool,
    pub description: Option<String>,
    /// The one value the field can take, which constructors fill in: a `const` or one-value
    /// enum, or the tag of the discriminated union the struct is a variant of.
    pub implied: Option<Implied>,
}

impl Field {
    /// Constructors leave the field `None` and give it a setter: it is not required and its
    /// type is an `Option`. A required nullable field is an `Option` too, but an argument of
    /// `new`; a field with an [`implied`](Field::implied) value is filled in by `new`.
    pub fn is_optional(&self) -> bool {
        !self.required && self.ty.is_option()
    }
}

/// A value a constructor fills in for the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Implied {
    /// The variant (by Rust name) of the field's one-value string enum.
    Variant(String),
    /// A string: the discriminator value that selects the struct in a union.
    Text(String),
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub name: String,
    pub value: String,
}

/// One HTTP operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The method name on the client (`delete_file`).
    pub name: String,
    /// The request builder's type name (`DeleteFile`).
    pub type_name: String,
    pub method: Method,
    /// The path template, `/files/{file_id}`, parsed.
    pub path: PathTemplate,
    pub pointer: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    pub parameters: Vec<Parameter>,
    pub body: Option<RequestBody>,
    /// In status order: codes, then ranges, then `default`.
    pub responses: Vec<Response>,
    /// What `send` returns when the call succeeds.
    pub success: Success,
    /// Alternatives; each lists the scheme names that must all be applied. Empty: no auth.
    pub security: Vec<Vec<String>>,
    /// A success response that comes as server-sent events.
    pub events: Option<EventStream>,
    /// How to walk the pages of a paginated list (`x-speakeasy-pagination`).
    pub pagination: Option<Pagination>,
    /// Statuses beyond the usual retryable ones that the operation documents and that are
    /// worth retrying (524, 529).
    pub retry_statuses: Vec<u16>,
    /// The operation's first tag, which names its cargo feature.
    pub tag: Option<String>,
    /// The cargo feature that compiles it (from its first tag; see [`Api::features`]).
    pub feature: String,
}

impl Operation {
    /// The body field that asks for the stream, for an operation with a `_stream` variant.
    pub fn stream_request_field(&self) -> Option<&str> {
        self.events
            .as_ref()
            .and_then(|e| e.alternative.as_ref())
            .and_then(|alt| alt.request_field.as_deref())
    }

    /// The success responses, in status order.
    pub fn successes(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| r.status.is_success())
    }

    /// The error responses (everything but a success), in status order.
    pub fn errors(&self) -> impl Iterator<Item = &Response> {
        self.responses.iter().filter(|r| !r.status.is_success())
    }
}

/// A path template, parsed once: literal text and `{name}` parameters, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTemplate {
    /// As the spec writes it: `/files/{file_id}`.
    pub raw: String,
    pub parts: Vec<PathPart>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text sent as it is.
    Literal(String),
    /// A `{name}` filled by the path parameter of that name, as one encoded segment.
    Parameter(String),
}

impl PathTemplate {
    /// Splits `/a/{x}/b/{y}` into its parts. A `{` without a closing `}` is literal text.
    pub fn parse(raw: &str) -> Self {
        let mut parts = Vec::new();
        let mut rest = raw;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else {
                break;
            };
            if open > 0 {
                parts.push(PathPart::Literal(rest[..open].to_owned()));
            }
            parts.push(PathPart::Parameter(rest[open + 1..open + close].to_owned()));
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart::Literal(rest.to_owned()));
        }
        PathTemplate {
            raw: raw.to_owned(),
            parts,
        }
    }

    /// The names of the `{name}` parameters, in order.
    pub fn parameter_names(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|part| match part {
            PathPart::Parameter(name) => Some(name.as_str()),
            PathPart::Literal(_) => None,
        })
    }
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Success {
    /// No success status is documented: any 2xx decodes as the `default` response says.
    Undocumented(Decoded),
    /// Every documented success status decodes into this one type.
    Shared(Decoded),
    /// The success statuses decode differently: an enum with a variant per status.
    ByStatus,
}

/// How a response body is read, and into what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// No content: `()`.
    Empty,
    /// JSON into this type.
    Json(Type),
    /// Text, as a `String`.
    Text,
    /// Any other media type, as bytes.
    Bytes,
}

/// A `text/event-stream` success response.
#[derive(Debug, Clone)]
pub struct EventStream {
    pub status: StatusMatch,
    /// The type of one event.
    pub item: Type,
    /// The schema describes the whole event (`data`, `event`, `id`), not its data alone.
    pub envelope: bool,
    /// The data that ends the stream (`[DONE]`, from `x-speakeasy-sse-sentinel`).
    pub sentinel: Option<String>,
    /// The response also comes as JSON: the stream is a second method, `{name}_stream`.
    pub alternative: Option<StreamAlternative>,
}

#[derive(Debug, Clone)]
pub struct StreamAlternative {
    /// The client method that asks for the stream.
    pub method_name: String,
    /// Its request builder's type name.
    pub type_name: String,
    /// The body field that asks for a stream (`stream`), set by each method itself.
    pub request_field: Option<String>,
}

/// How a paginated list operation walks its pages.
#[derive(Debug, Clone)]
pub struct Pagination {
    pub kind: PageKind,
    /// The items of a page: a field of the success body.
    pub results: PageField,
    /// The type of one item.
    pub item: Type,
    /// When the body is a union of page shapes: the variant of the one shape that pages.
    pub variant: Option<String>,
}

#[derive(Debug, Clone)]
pub enum PageKind {
    /// `offset` and `limit` query parameters (Rust names, with their integer kinds).
    Offset {
        offset: (String, IntegerKind),
        limit: Option<(String, IntegerKind)>,
    },
    /// A `cursor` parameter and the body field holding the next page's cursor.
    Cursor { cursor: String, next: PageField },
}

/// A field of a response body, and whether it is an `Option`.
#[derive(Debug, Clone)]
pub struct PageField {
    pub rust_name: String,
    pub optional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

impl Location {
    /// The name OpenAPI's `in` gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Parameter {
    /// The name on the wire.
    pub name: String,
    /// The Rust name of the argument or setter.
    pub rust_name: String,
    pub location: Location,
    pub required: bool,
    /// The value's type, never wrapped in `Option` (optionality is `required`).
    pub ty: Type,
    /// For query arrays: one `name=value` pair per item (`explode`), or one comma-joined value.
    pub explode: bool,
    /// An example value, from the parameter or its schema.
    pub example: Option<serde_json::Value>,
    pub description: Option<String>,
    /// Where it is declared (in the path item or the operation).
    pub pointer: String,
}

#[derive(Debug, Clone)]
pub struct RequestBody {
    pub media_type: String,
    pub encoding: BodyEncoding,
    /// The body's type; for `multipart/form-data` unused (see `form`).
    pub ty: Type,
    /// The parts of a `multipart/form-data` body.
    pub form: Option<Vec<FormField>>,
    /// An example body, from the media type or its schema.
    pub example: Option<serde_json::Value>,
    pub required: bool,
    pub description: Option<String>,
    /// The same body as `multipart/form-data`, when a JSON body is also offered that way:
    /// the operation takes either.
    pub alternative: Option<Box<RequestBody>>,
}

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone)]
pub struct FormField {
    pub name: String,
    pub json_name: String,
    /// A file part (`format: binary`); otherwise `ty` says what the text part holds.
    pub file: bool,
    pub ty: Type,
    pub required: bool,
    pub description: Option<String>,
}

/// How a request or response body travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json` and any `+json`.
    Json,
    /// `application/x-www-form-urlencoded`, nested objects as `a[b]=c` (Stripe's style).
    Form,
    /// `multipart/form-data`: file parts and text parts.
    Multipart,
    /// `text/*`.
    Text,
    /// Anything else, as raw bytes.
    Binary,
}

/// Which statuses a response entry covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `4XX` is `Range(4)`.
    Range(u16),
    Default,
}

impl StatusMatch {
    /// Whether this entry describes a success (2xx, or any status range 1–3).
    pub fn is_success(self) -> bool {
        match self {
            StatusMatch::Code(c) => (100..400).contains(&c),
            StatusMatch::Range(r) => (1..4).contains(&r),
            StatusMatch::Default => false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: StatusMatch,
    pub description: String,
    /// `None` for a response without content.
    pub body: Option<ResponseBody>,
}

#[derive(Debug, Clone)]
pub struct ResponseBody {
    pub media_type: String,
    pub encoding: BodyEncoding,
    pub ty: Type,
}

impl Response {
    /// How this response's body is decoded.
    pub fn decoded(&self) -> Decoded {
        match &self.body {
            None => Decoded::Empty,
            Some(body) => match body.encoding {
                BodyEncoding::Json => Decoded::Json(body.ty.clone()),
                BodyEncoding::Text => Decoded::Text,
                BodyEncoding::Binary | BodyEncoding::Form | BodyEncoding::Multipart => {
                    Decoded::Bytes
                }
            },
        }
    }
}

/// How a credential is attached to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecurityScheme {
    /// `Authorization: Bearer <token>`.
    Bearer { description: Option<String> },
    /// `Authorization: Basic base64(user:password)`.
    Basic { description: Option<String> },
    /// A TLS client certificate: configured on the caller's own `reqwest::Client`
    /// (`ClientBuilder::http_client`), nothing is added to requests.
    MutualTls { description: Option<String> },
    /// A key in a header, query parameter or cookie.
    ApiKey {
        location: Location,
        name: String,
        description: Option<String>,
    },
}

/// Builds the IR for a parsed (normalised) document.
pub fn build(doc: &openapiv3::OpenAPI, diagnostics: &mut Vec<Diagnostic>) -> Result<Api, Error> {
    let mut types = TypeSpace::new(doc)?;
    types.convert_components(doc, diagnostics)?;
    let security_schemes = operation::security_schemes(doc, diagnostics)?;
    let mut operations = build_operations(doc, &mut types, &security_schemes, diagnostics)?;
    cycles::break_cycles(&mut types, diagnostics);
    patch::keep_absent_apart_from_null(&mut types, &operations);
    implied::fill_implied_values(&mut types);
    usage::mark_usage(&mut types, &operations);
    let features = features::assign_features(&mut types, &mut operations);
    let mut examples = std::mem::take(&mut types.examples);
    examples.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    diagnostics.sort();
    diagnostics.dedup();
    Ok(Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        servers: doc
            .servers
            .iter()
            .map(|s| Server {
                url: s.url.clone(),
                description: s.description.clone(),
            })
            .collect(),
        types,
        operations,
        security_schemes,
        examples,
        features,
    })
}
