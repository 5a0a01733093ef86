//! Requests as operations describe them ([`Request`]), and the encoding of their parts:
//! path segments, query, header and cookie parameters, JSON and form bodies.

use bytes::Bytes;
use reqwest::Method;
use serde::Serialize;

use super::error::RequestError;
use super::multipart::Part;
use super::options::RequestOptions;

/// One request as an operation describes it, before authentication and sending. It can be
/// sent more than once (retries) unless a part streams from a caller's stream.
pub struct Request {
    pub(super) method: Method,
    /// The path template (`/files/{file_id}`), for tracing.
    #[cfg(feature = "tracing")]
    pub(super) template: &'static str,
    pub(super) path: String,
    pub(super) query: Vec<(String, String)>,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) cookies: Vec<String>,
    pub(super) security: &'static [&'static [&'static str]],
    pub(super) accept: &'static str,
    /// The encoded body and its content type.
    pub(super) body: Option<(&'static str, Bytes)>,
    /// The parts of a `multipart/form-data` body; when any, they are the body.
    pub(super) parts: Vec<(&'static str, Part)>,
    /// Statuses beyond the usual ones that the spec documents as worth retrying (529).
    pub(super) retry_statuses: &'static [u16],
    pub(super) options: RequestOptions,
}

impl Request {
    /// A request of `method` to `path` (the path `template` with its parameters encoded),
    /// accepting any media type and sending no credentials until [`Request::accept`] and
    /// [`Request::security`] say otherwise.
    pub fn new(method: Method, template: &'static str, path: String) -> Self {
        // The template only names the request's span.
        #[cfg(not(feature = "tracing"))]
        let _ = template;
        Request {
            method,
            #[cfg(feature = "tracing")]
            template,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            security: &[],
            accept: "*/*",
            body: None,
            parts: Vec::new(),
            retry_statuses: &[],
            options: RequestOptions::default(),
        }
    }

    /// The caller's settings for this request: timeout, retries, extra headers.
    pub fn options(&mut self, options: RequestOptions) {
        self.options = options;
    }

    /// The `Accept` header: the media types of the responses the operation documents.
    pub fn accept(&mut self, accept: &'static str) {
        self.accept = accept;
    }

    /// The credentials the request takes: the first of these alternatives (each a list of
    /// security scheme names) that the client has every credential for.
    pub fn security(&mut self, alternatives: &'static [&'static [&'static str]]) {
        self.security = alternatives;
    }

    /// Statuses the operation documents that are also worth retrying (524, 529).
    pub fn retry_statuses(&mut self, statuses: &'static [u16]) {
        self.retry_statuses = statuses;
    }

    /// Adds a query parameter: an array as one pair per item (`tag=a&tag=b`, the form style
    /// exploded, OpenAPI's default), an object with bracketed keys (`name[key]=value`,
    /// `deepObject`).
    pub fn query<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), RequestError> {
        self.add_query(name, value, true)
    }

    /// Adds a query parameter whose array is one comma-joined value (`tag=a,b`: the form
    /// style with `explode: false`).
    pub fn query_comma_separated<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), RequestError> {
        self.add_query(name, value, false)
    }

    fn add_query<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        explode: bool,
    ) -> Result<(), RequestError> {
        let value = serde_json::to_value(value)
            .map_err(|e| RequestError(format!("cannot encode parameter `{name}`: {e}")))?;
        match &value {
            serde_json::Value::Array(items) if explode => {
                for item in items {
                    self.query.push((name.to_owned(), scalar_text(item)));
                }
            }
            serde_json::Value::Object(_) => {
                let mut pairs = Vec::new();
                flatten_form(&value, name.to_owned(), &mut pairs);
                self.query.extend(pairs);
            }
            other => self.query.push((name.to_owned(), scalar_text(other))),
        }
        Ok(())
    }

    /// Adds a header parameter.
    pub fn header<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), RequestError> {
        let text = param_text(name, value)?;
        self.headers.push((name, text));
        Ok(())
    }

    /// Adds a cookie parameter.
    pub fn cookie<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), RequestError> {
        let text = param_text(name, value)?;
        self.cookies.push(format!("{name}={text}"));
        Ok(())
    }

    /// Sets a JSON body.
    pub fn json<T: Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        body: &T,
    ) -> Result<(), RequestError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| RequestError(format!("cannot encode the request body: {e}")))?;
        self.body = Some((content_type, bytes.into()));
        Ok(())
    }

    /// Sets a JSON body with one top-level field set to `value`: the field that tells the
    /// server to answer with a stream or with one document (`"stream": true`).
    pub fn json_with<T: Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        body: &T,
        field: &str,
        value: bool,
    ) -> Result<(), RequestError> {
        let mut json = serde_json::to_value(body)
            .map_err(|e| RequestError(format!("cannot encode the request body: {e}")))?;
        match &mut json {
            serde_json::Value::Object(map) => {
                map.insert(field.to_owned(), value.into());
            }
            _ => {
                return Err(RequestError(format!(
                    "cannot set `{field}`: the request body is not a JSON object"
                )))
            }
        }
        self.json(content_type, &json)
    }

    /// Sets an `application/x-www-form-urlencoded` body: nested objects and arrays become
    /// bracketed keys (`metadata[order]=1`, `items[0][price]=p`), nulls are left out.
    pub fn form<T: Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        body: &T,
    ) -> Result<(), RequestError> {
        let value = serde_json::to_value(body)
            .map_err(|e| RequestError(format!("cannot encode the request body: {e}")))?;
        let mut pairs = Vec::new();
        flatten_form(&value, String::new(), &mut pairs);
        let encoded: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", form_component(k), form_component(v)))
            .collect();
        self.body = Some((content_type, encoded.join("&").into()));
        Ok(())
    }

    /// Sets a body of raw bytes or text.
    pub fn raw(&mut self, content_type: &'static str, body: impl Into<Bytes>) {
        self.body = Some((content_type, body.into()));
    }

    /// Merges the caller's extra body fields ([`RequestExt::with_body_field`]) into the JSON
    /// body, once, before the first attempt: objects key by key, other values in place.
    ///
    /// [`RequestExt::with_body_field`]: super::options::RequestExt::with_body_field
    pub(super) fn merge_body_fields(&mut self) -> Result<(), RequestError> {
        if self.options.body_fields.is_empty() {
            return Ok(());
        }
        let fields = std::mem::take(&mut self.options.body_fields);
        let refuse = |why: &str| {
            let names: Vec<String> = fields.iter().map(|(n, _)| format!("`{n}`")).collect();
            RequestError(format!(
                "cannot add the body field {}: {why}",
                names.join(", ")
            ))
        };
        let body = match &self.body {
            Some((content_type, bytes)) if self.parts.is_empty() && is_json(content_type) => {
                (*content_type, bytes)
            }
            Some((content_type, _)) if self.parts.is_empty() => {
                return Err(refuse(&format!(
                    "the request body is {content_type}, not JSON"
                )))
            }
            _ if !self.parts.is_empty() => {
                return Err(refuse("the request body is multipart/form-data, not JSON"))
            }
            _ => return Err(refuse("the request has no body")),
        };
        let mut json: serde_json::Value = serde_json::from_slice(body.1)
            .map_err(|e| RequestError(format!("cannot read the request body: {e}")))?;
        let serde_json::Value::Object(map) = &mut json else {
            return Err(refuse("the request body is not a JSON object"));
        };
        for (name, value) in fields {
            match map.get_mut(&name) {
                Some(existing) => merge_json(existing, value),
                None => {
                    map.insert(name, value);
                }
            }
        }
        let content_type = body.0;
        self.json(content_type, &json)
    }

    /// Whether sending the request twice has the effect of sending it once: its method is
    /// idempotent, or it carries an `Idempotency-Key` header.
    pub(super) fn idempotent(&self) -> bool {
        let key = |name: &str| name.eq_ignore_ascii_case("idempotency-key");
        matches!(
            self.method,
            Method::GET
                | Method::HEAD
                | Method::OPTIONS
                | Method::PUT
                | Method::DELETE
                | Method::TRACE
        ) || self.headers.iter().any(|(name, _)| key(name))
            || self.options.headers.iter().any(|(name, _)| key(name))
    }
}

/// Whether a media type is JSON (`application/json`, any `+json`).
fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")
}

/// Merges `extra` into `target`: objects key by key (recursively), anything else replaces.
fn merge_json(target: &mut serde_json::Value, extra: serde_json::Value) {
    match (target, extra) {
        (serde_json::Value::Object(target), serde_json::Value::Object(extra)) => {
            for (key, value) in extra {
                match target.get_mut(&key) {
                    Some(existing) => merge_json(existing, value),
                    None => {
                        target.insert(key, value);
                    }
                }
            }
        }
        (target, extra) => *target = extra,
    }
}

/// Flattens a JSON value into form pairs with bracketed keys.
fn flatten_form(value: &serde_json::Value, key: String, pairs: &mut Vec<(String, String)>) {
    use serde_json::Value;
    let nested = |inner: &str| {
        if key.is_empty() {
            inner.to_owned()
        } else {
            format!("{key}[{inner}]")
        }
    };
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                flatten_form(v, nested(k), pairs);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten_form(v, nested(&i.to_string()), pairs);
            }
        }
        Value::String(s) => pairs.push((key, s.clone())),
        other => pairs.push((key, other.to_string())),
    }
}

/// Percent-encodes one form key or value (`application/x-www-form-urlencoded`).
fn form_component(text: &str) -> String {
    const FORM: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'*')
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b' ');
    percent_encoding::utf8_percent_encode(text, FORM)
        .to_string()
        .replace(' ', "+")
}

/// One path parameter as a single percent-encoded path segment.
///
/// Everything but RFC 3986's unreserved characters is encoded, so `/`, `?`, `#`, `%`,
/// spaces and non-ASCII stay inside the segment. Empty values and the dot segments `.` and
/// `..` cannot be sent as a segment and are refused.
pub fn path_segment<T: Serialize + ?Sized>(
    name: &'static str,
    value: &T,
) -> Result<String, RequestError> {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let text = param_text(name, value)?;
    match text.as_str() {
        "" => Err(RequestError(format!(
            "path parameter `{name}` must not be empty"
        ))),
        "." | ".." => Err(RequestError(format!(
            "path parameter `{name}` must not be {text:?}: URLs resolve it as a relative path"
        ))),
        // Most values need no escape: the text is then kept as it is, without a copy. (A
        // borrowed result may also be one escape, `%5C` for `\`, so it is compared.)
        _ => match std::borrow::Cow::from(percent_encoding::utf8_percent_encode(&text, SEGMENT)) {
            std::borrow::Cow::Borrowed(same) if same == text => Ok(text),
            encoded => Ok(encoded.into_owned()),
        },
    }
}

/// A parameter as text (`simple` style): strings as they are, numbers and booleans as JSON
/// writes them, arrays comma-joined, objects as `key,value` pairs comma-joined.
fn param_text<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String, RequestError> {
    let value = serde_json::to_value(value)
        .map_err(|e| RequestError(format!("cannot encode parameter `{name}`: {e}")))?;
    Ok(match value {
        serde_json::Value::String(text) => text,
        other => scalar_text(&other),
    })
}

/// A JSON value as parameter text; see [`param_text`].
pub(super) fn scalar_text(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::String(s) => s.clone(),
        Value::Number(_) | Value::Bool(_) => value.to_string(),
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        Value::Object(map) => {
            let mut parts = Vec::with_capacity(map.len() * 2);
            for (k, v) in map {
                parts.push(k.clone());
                parts.push(scalar_text(v));
            }
            parts.join(",")
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn request(method: Method) -> Request {
        let mut request = Request::new(method, "/things/{id}", "/things/1".into());
        request.accept("application/json");
        request
    }

    fn body(request: &Request) -> (&'static str, &str) {
        let (content_type, body) = request.body.as_ref().expect("a body");
        (content_type, std::str::from_utf8(body).unwrap())
    }

    #[test]
    fn path_segments_encode_everything_but_unreserved_characters() {
        let cases = [
            ("a/b", "a%2Fb"),
            ("what?", "what%3F"),
            ("#1", "%231"),
            ("100%", "100%25"),
            ("a b", "a%20b"),
            ("café", "caf%C3%A9"),
            ("日本", "%E6%97%A5%E6%9C%AC"),
            ("back\\slash", "back%5Cslash"),
            ("a+b&c=d;e", "a%2Bb%26c%3Dd%3Be"),
            ("Az09-._~", "Az09-._~"),
            ("...", "..."),
        ];
        for (value, encoded) in cases {
            assert_eq!(path_segment("id", value).unwrap(), encoded, "{value:?}");
        }
        assert_eq!(path_segment("n", &42).unwrap(), "42");
        assert_eq!(path_segment("flag", &true).unwrap(), "true");
        assert_eq!(path_segment("ids", &[1, 2]).unwrap(), "1%2C2");
    }

    #[test]
    fn path_segments_refuse_empty_and_dot_segments() {
        for value in ["", ".", ".."] {
            let error = path_segment("file_id", value).expect_err(value);
            assert!(error.0.contains("`file_id`"), "{}", error.0);
        }
    }

    #[test]
    fn query_objects_use_bracketed_keys() {
        let mut request = request(Method::GET);
        request
            .query("a", &json!({"b": ["c", "d"], "e": {"f": 1}, "g": null}))
            .unwrap();
        let expected = [("a[b][0]", "c"), ("a[b][1]", "d"), ("a[e][f]", "1")];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(request.query, expected);
    }

    #[test]
    fn query_arrays_explode_into_pairs_or_join_with_commas() {
        let mut request = request(Method::GET);
        request.query("tag", &["x", "y"]).unwrap();
        request.query_comma_separated("ids", &[1, 2, 3]).unwrap();
        request.query("on", &false).unwrap();
        let pairs: Vec<(&str, &str)> = request
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("tag", "x"),
                ("tag", "y"),
                ("ids", "1,2,3"),
                ("on", "false")
            ]
        );
    }

    #[test]
    fn form_bodies_encode_nested_keys_and_escape_text() {
        let mut request = request(Method::POST);
        let value = json!({
            "a": {"b": [{"c": "d"}]},
            "metadata": {"order": 1},
            "note": "x y+z&w=é",
            "gone": null,
            "ok": true,
        });
        request
            .form("application/x-www-form-urlencoded", &value)
            .unwrap();
        assert_eq!(
            body(&request),
            (
                "application/x-www-form-urlencoded",
                "a%5Bb%5D%5B0%5D%5Bc%5D=d&metadata%5Border%5D=1&note=x+y%2Bz%26w%3D%C3%A9&ok=true"
            )
        );
    }

    #[test]
    fn header_and_cookie_parameters_are_simple_style_text() {
        let mut request = request(Method::GET);
        request.header("X-Ids", &[1, 2]).unwrap();
        request.header("X-Obj", &json!({"k": "v", "n": 2})).unwrap();
        request.cookie("session", "abc").unwrap();
        assert_eq!(
            request.headers,
            [("X-Ids", "1,2".to_owned()), ("X-Obj", "k,v,n,2".to_owned())]
        );
        assert_eq!(request.cookies, ["session=abc"]);
    }

    #[test]
    fn json_bodies_and_a_set_field() {
        let mut request = request(Method::POST);
        request
            .json_with("application/json", &json!({"model": "m"}), "stream", true)
            .unwrap();
        assert_eq!(
            body(&request),
            ("application/json", r#"{"model":"m","stream":true}"#)
        );
        let error = request
            .json_with("application/json", &[1], "stream", true)
            .expect_err("not an object");
        assert!(error.0.contains("not a JSON object"), "{}", error.0);
        request.raw("text/plain", "hello");
        assert_eq!(body(&request), ("text/plain", "hello"));
    }

    #[test]
    fn idempotent_methods_or_an_idempotency_key() {
        for method in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE] {
            assert!(request(method).idempotent());
        }
        assert!(!request(Method::POST).idempotent());
        assert!(!request(Method::PATCH).idempotent());
        let mut keyed = request(Method::POST);
        keyed.header("Idempotency-Key", "k1").unwrap();
        assert!(keyed.idempotent());
        let mut keyed = request(Method::PATCH);
        let mut options = RequestOptions::default();
        options
            .headers
            .push(("idempotency-key".into(), "k2".into()));
        keyed.options(options);
        assert!(keyed.idempotent());
    }

    fn with_fields(mut request: Request, fields: &[(&str, serde_json::Value)]) -> Request {
        for (name, value) in fields {
            request
                .options
                .body_fields
                .push(((*name).to_owned(), value.clone()));
        }
        request
    }

    #[test]
    fn body_fields_merge_into_a_json_object_body() {
        let mut request = request(Method::POST);
        request
            .json(
                "application/json",
                &json!({"model": "m", "reasoning": {"effort": "low"}, "n": 1}),
            )
            .unwrap();
        let mut request = with_fields(
            request,
            &[
                ("reasoning", json!({"exclude": true})),
                ("n", json!([2])),
                ("extra", json!(null)),
            ],
        );
        request.merge_body_fields().unwrap();
        let sent: serde_json::Value = serde_json::from_str(body(&request).1).unwrap();
        assert_eq!(
            sent,
            json!({"model": "m", "reasoning": {"effort": "low", "exclude": true}, "n": [2], "extra": null})
        );
        assert_eq!(body(&request).0, "application/json");
        assert!(request.options.body_fields.is_empty(), "merged once");
    }

    #[test]
    fn body_fields_need_a_json_object_body() {
        let refused = |request: Request| {
            let mut request = with_fields(request, &[("reasoning", json!({"exclude": true}))]);
            request.merge_body_fields().unwrap_err().0
        };
        assert_eq!(
            refused(request(Method::GET)),
            "cannot add the body field `reasoning`: the request has no body"
        );
        let mut array = request(Method::POST);
        array.json("application/json", &json!([1])).unwrap();
        assert_eq!(
            refused(array),
            "cannot add the body field `reasoning`: the request body is not a JSON object"
        );
        let mut form = request(Method::POST);
        form.form("application/x-www-form-urlencoded", &json!({"a": 1}))
            .unwrap();
        assert_eq!(
            refused(form),
            "cannot add the body field `reasoning`: the request body is application/x-www-form-urlencoded, not JSON"
        );
        let mut vendor = request(Method::POST);
        vendor
            .json("application/vnd.api+json", &json!({"a": 1}))
            .unwrap();
        let mut vendor = with_fields(vendor, &[("b", json!(2))]);
        vendor.merge_body_fields().unwrap();
        assert_eq!(body(&vendor).1, r#"{"a":1,"b":2}"#);
    }
}
