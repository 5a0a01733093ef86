//! What an operation is on the wire: its method and path template, parameters and where
//! they go, the request body and how it is encoded, the responses by status and what a
//! success decodes into, server-sent events, pagination, and the security schemes that
//! attach credentials.

use super::{IntegerKind, Type, TypeId};

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
    /// The cargo feature that compiles it (from its first tag; see [`Api::features`](super::Api::features)).
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

    /// The named types a request carries: parameters, the body (and its multipart
    /// alternative and form parts), appended to `out`.
    pub fn sent_types(&self, out: &mut Vec<TypeId>) {
        for parameter in &self.parameters {
            parameter.ty.named_ids(out);
        }
        let bodies = self
            .body
            .iter()
            .flat_map(|b| std::iter::once(b).chain(b.alternative.as_deref()));
        for body in bodies {
            body.ty.named_ids(out);
            for field in body.form.iter().flatten() {
                field.ty.named_ids(out);
            }
        }
    }

    /// The named types a response brings: every status's body and the events, appended to
    /// `out`.
    pub fn received_types(&self, out: &mut Vec<TypeId>) {
        for response in &self.responses {
            if let Some(body) = &response.body {
                body.ty.named_ids(out);
            }
        }
        if let Some(events) = &self.events {
            events.item.named_ids(out);
        }
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
    /// A value to call with: the spec's example (the parameter's or its schema's), else a
    /// sample made from the schema that satisfies it (`ir::samples`).
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
    /// A body to send: the spec's example (the media type's or its schema's), else a sample
    /// made from the schema that satisfies it (`ir::samples`).
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
