//! Typed parsing of the rewritten tree into `openapiv3`'s document, with errors named at
//! the deepest place that does not parse: schemas are checked level by level first, then the
//! document, then (on failure) its parts one by one.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::HTTP_METHODS;
use crate::error::Error;
use crate::pointer::Pointer;

/// Parses the rewritten tree. On failure the error names the deepest place found: `openapiv3`
/// flattens some maps (paths, responses), which hides the path of an error inside them, so
/// the parts under a failing document are tried one by one.
pub(super) fn parse(mut tree: Value) -> Result<openapiv3::OpenAPI, Error> {
    let consumed = match parse_in_two(&mut tree) {
        TwoThreads::Parsed(doc) => return Ok(*doc),
        TwoThreads::NotTried => false,
        TwoThreads::Failed => true,
    };
    find_schemas(&tree, &Pointer::root(), false)?;
    match check::<openapiv3::OpenAPI>(&tree, &Pointer::root()) {
        // The parts parsed on two threads are gone from the tree: what is left must fail
        // (a part that failed there fails here); a document without them would lose them.
        Ok(_) if consumed => Err(Error::invalid(
            &Pointer::root(),
            "the document parsed in parts but not whole; this is a bug in the generator",
        )),
        Ok(doc) => Ok(doc),
        Err(error) => Err(locate(&tree).unwrap_or(error)),
    }
}

/// Below this many named schemas, a second thread costs more than it saves.
const SCHEMAS_FOR_TWO_THREADS: usize = 64;

/// What [`parse_in_two`] did.
enum TwoThreads {
    Parsed(Box<openapiv3::OpenAPI>),
    /// The spec is small: the tree is as it was.
    NotTried,
    /// A part has an error. The parts that parsed are gone from the tree (their memory is
    /// freed as they parse); the others are back in their places.
    Failed,
}

/// [`parse`] on two threads: the named schemas and the path items are cut into runs that
/// both threads take in turn, one thread parsing the rest of the document first; each part
/// is checked before it is parsed, and each entry's tree is dropped once it has parsed, so
/// the tree and the document are not both held whole. On an error the caller parses what
/// is left on one thread, which names the first error in document order.
fn parse_in_two(tree: &mut Value) -> TwoThreads {
    let Some(slot) = tree
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
        .filter(|s| {
            s.as_object()
                .is_some_and(|s| s.len() >= SCHEMAS_FOR_TWO_THREADS)
        })
    else {
        return TwoThreads::NotTried;
    };
    let Value::Object(schemas) = std::mem::replace(slot, Value::Object(Map::new())) else {
        return TwoThreads::NotTried;
    };
    // Path items move too, unless extensions sit among them (whose place would be lost).
    let paths = match tree.get_mut("paths") {
        Some(Value::Object(paths)) if !paths.keys().any(|k| k.starts_with("x-")) => {
            std::mem::take(paths)
        }
        _ => Map::new(),
    };
    let mut cuts = cut(Section::Schemas, schemas);
    cuts.extend(cut(Section::Paths, paths));
    let runs: Vec<Mutex<Option<Run>>> = cuts.into_iter().map(|r| Mutex::new(Some(r))).collect();
    let next = AtomicUsize::new(0);
    // Takes runs not yet taken until none is left: each run's index and what it parsed, or
    // what is left of it when it fails.
    let take_runs = || {
        let mut done: Vec<(usize, Result<Parsed, Run>)> = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(run) = runs.get(index) else {
                return done;
            };
            let run = run.lock().unwrap_or_else(|e| e.into_inner()).take();
            if let Some(run) = run {
                done.push((index, run.parse()));
            }
        }
    };
    let (rest, mut done) = std::thread::scope(|scope| {
        // The worker gets the pipeline's stack: parsing recurses with the nesting.
        let worker = std::thread::Builder::new()
            .stack_size(crate::PIPELINE_STACK)
            .spawn_scoped(scope, take_runs);
        let tree: &Value = tree;
        let rest = find_schemas(tree, &Pointer::root(), false)
            .ok()
            .and_then(|()| openapiv3::OpenAPI::deserialize(tree).ok());
        let mut done = take_runs();
        if let Ok(worker) = worker {
            // A panic is a bug in the generator: let it reach the caller unchanged.
            done.extend(
                worker
                    .join()
                    .unwrap_or_else(|payload| std::panic::resume_unwind(payload)),
            );
        }
        (rest, done)
    });
    done.sort_by_key(|(index, _)| *index);
    let (mut parsed, mut failed) = (Vec::new(), Vec::new());
    for (_, result) in done {
        match result {
            Ok(part) => parsed.push(part),
            Err(run) => failed.push(run),
        }
    }
    if let (Some(mut doc), true) = (rest, failed.is_empty()) {
        let components = doc.components.get_or_insert_with(Default::default);
        for part in parsed {
            match part {
                Parsed::Schemas(schemas) => components.schemas.extend(schemas),
                Parsed::Paths(items) => doc.paths.paths.extend(items),
            }
        }
        return TwoThreads::Parsed(Box::new(doc));
    }
    let (mut schemas, mut paths) = (Map::new(), Map::new());
    for run in failed {
        match run.section {
            Section::Schemas => schemas.extend(run.entries),
            Section::Paths => paths.extend(run.entries),
        }
    }
    if let Some(slot) = tree
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
    {
        *slot = Value::Object(schemas);
    }
    if let Some(Value::Object(slot)) = tree.get_mut("paths") {
        if !paths.is_empty() {
            *slot = paths;
        }
    }
    TwoThreads::Failed
}

/// How many runs each moved section is cut into for [`parse_in_two`].
const RUNS_PER_SECTION: usize = 16;

/// A section of the document [`parse_in_two`] parses in runs.
#[derive(Clone, Copy)]
enum Section {
    /// `#/components/schemas`.
    Schemas,
    /// `#/paths`.
    Paths,
}

/// Consecutive entries of a section.
struct Run {
    section: Section,
    entries: Map<String, Value>,
}

/// What a run parses into.
enum Parsed {
    Schemas(indexmap::IndexMap<String, openapiv3::ReferenceOr<openapiv3::Schema>>),
    Paths(indexmap::IndexMap<String, openapiv3::ReferenceOr<openapiv3::PathItem>>),
}

/// `entries` in runs of about equal length, in order.
fn cut(section: Section, entries: Map<String, Value>) -> Vec<Run> {
    let count = entries.len();
    let mut entries = entries.into_iter();
    (0..RUNS_PER_SECTION)
        .map(|run| {
            let size = count * (run + 1) / RUNS_PER_SECTION - count * run / RUNS_PER_SECTION;
            Run {
                section,
                entries: entries.by_ref().take(size).collect(),
            }
        })
        .filter(|run| !run.entries.is_empty())
        .collect()
}

impl Run {
    /// The run checked (schemas level by level), then parsed entry by entry, each entry's
    /// tree dropped once it has parsed. At the first error, the entries not parsed.
    fn parse(self) -> Result<Parsed, Run> {
        match self.section {
            Section::Schemas => {
                let at = Pointer::root().push("components").push("schemas");
                for (name, schema) in &self.entries {
                    if check_schema(schema, &at.push(name)).is_err() {
                        return Err(self);
                    }
                }
                parse_entries(self).map(Parsed::Schemas)
            }
            Section::Paths => {
                let at = Pointer::root().push("paths");
                for (path, item) in &self.entries {
                    if find_schemas(item, &at.push(path), false).is_err() {
                        return Err(self);
                    }
                }
                parse_entries(self).map(Parsed::Paths)
            }
        }
    }
}

/// Parses a run's entries in order, dropping each entry's tree once it has parsed; at the
/// first that does not parse, the run of it and the entries after it.
fn parse_entries<T: serde::de::DeserializeOwned>(
    run: Run,
) -> Result<indexmap::IndexMap<String, T>, Run> {
    let Run { section, entries } = run;
    let mut parsed = indexmap::IndexMap::with_capacity(entries.len());
    let mut entries = entries.into_iter();
    while let Some((name, value)) = entries.next() {
        match T::deserialize(&value) {
            Ok(item) => {
                parsed.insert(name, item);
            }
            Err(_) => {
                let mut left = Map::new();
                left.insert(name, value);
                left.extend(entries);
                return Err(Run {
                    section,
                    entries: left,
                });
            }
        }
    }
    Ok(parsed)
}

/// Keys whose value maps names (chosen by the spec's author) to objects: a `schema` key in
/// such a map is a name, not a schema.
const NAMED_MAPS: &[&str] = &[
    "paths",
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "examples",
    "content",
    "encoding",
    "mapping",
    "variables",
    "scopes",
];

/// Checks every schema of the document (see [`check_schema`]), found under `schema` keys
/// and in `#/components/schemas`; example data and extensions are skipped.
fn find_schemas(value: &Value, at: &Pointer, named: bool) -> Result<(), Error> {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if !named
                    && (key.starts_with("x-") || matches!(key.as_str(), "example" | "default"))
                {
                    continue;
                }
                let child_at = at.push(key);
                if !named && key == "schema" {
                    check_schema(child, &child_at)?;
                } else if !named && key == "schemas" && at.to_string() == "#/components" {
                    if let Value::Object(schemas) = child {
                        for (name, schema) in schemas {
                            check_schema(schema, &child_at.push(name))?;
                        }
                    }
                } else if !named && matches!(key.as_str(), "examples" | "security") {
                    // Example objects (their `value` is data) and security requirements
                    // (scheme names): no schemas inside.
                    continue;
                } else {
                    find_schemas(
                        child,
                        &child_at,
                        !named && NAMED_MAPS.contains(&key.as_str()),
                    )?;
                }
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| find_schemas(item, &at.push(i.to_string()), false)),
        _ => Ok(()),
    }
}

/// Checks a schema one level at a time, innermost first: each schema must parse with the
/// schemas inside it replaced by `{}`. `openapiv3` reads a schema through untagged enums
/// that try each form in turn, so one bad value deep inside nested schemas was read again
/// for every form at every level: time exponential in the depth (found by fuzzing: 34
/// levels of `oneOf` took minutes). Checked level by level, the first error is found in
/// time linear in the size, and named at its place.
fn check_schema(schema: &Value, at: &Pointer) -> Result<(), Error> {
    let Value::Object(map) = schema else {
        return check::<openapiv3::ReferenceOr<openapiv3::Schema>>(schema, at).map(drop);
    };
    let mut shallow = Map::with_capacity(map.len());
    for (key, value) in map {
        let child_at = at.push(key);
        let value = match (key.as_str(), value) {
            ("items" | "not", Value::Object(_)) => {
                check_schema(value, &child_at)?;
                Value::Object(Map::new())
            }
            ("additionalProperties", Value::Object(_)) => {
                check_schema(value, &child_at)?;
                Value::Object(Map::new())
            }
            ("properties" | "patternProperties", Value::Object(children)) => {
                let mut emptied = Map::with_capacity(children.len());
                for (name, child) in children {
                    check_schema(child, &child_at.push(name))?;
                    emptied.insert(name.clone(), Value::Object(Map::new()));
                }
                Value::Object(emptied)
            }
            ("allOf" | "oneOf" | "anyOf", Value::Array(children)) => {
                for (i, child) in children.iter().enumerate() {
                    check_schema(child, &child_at.push(i.to_string()))?;
                }
                Value::Array(vec![Value::Object(Map::new()); children.len()])
            }
            _ => value.clone(),
        };
        shallow.insert(key.clone(), value);
    }
    check::<openapiv3::ReferenceOr<openapiv3::Schema>>(&Value::Object(shallow), at).map(drop)
}

/// Parses `value` as a `T`. A part that parses takes `serde` alone; only one that fails is
/// parsed again, tracking the path, to name the place in the error.
fn check<T: serde::de::DeserializeOwned>(value: &Value, at: &Pointer) -> Result<T, Error> {
    if let Ok(parsed) = T::deserialize(value) {
        return Ok(parsed);
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut at = at.clone();
        for segment in e.path().iter() {
            use serde_path_to_error::Segment;
            match segment {
                Segment::Map { key } => at = at.push(key),
                Segment::Seq { index } => at = at.push(index.to_string()),
                Segment::Enum { .. } | Segment::Unknown => {}
            }
        }
        Error::invalid(
            &at,
            format!("not a valid OpenAPI document here: {}", e.inner()),
        )
    })
}

/// The first part of the document that does not parse on its own, innermost first.
fn locate(tree: &Value) -> Option<Error> {
    use openapiv3::{Parameter, PathItem, ReferenceOr, RequestBody, Response};
    let first = |checks: Vec<Result<(), Error>>| checks.into_iter().find_map(Result::err);
    let root = Pointer::root();
    if let Some(Value::Object(paths)) = tree.get("paths") {
        for (path, item) in paths {
            let at = root.push("paths").push(path);
            let mut checks = Vec::new();
            let params = |list: Option<&Value>, at: &Pointer| -> Vec<Result<(), Error>> {
                match list {
                    Some(Value::Array(list)) => list
                        .iter()
                        .enumerate()
                        .map(|(i, p)| {
                            check::<ReferenceOr<Parameter>>(
                                p,
                                &at.push("parameters").push(i.to_string()),
                            )
                            .map(drop)
                        })
                        .collect(),
                    _ => Vec::new(),
                }
            };
            checks.extend(params(item.get("parameters"), &at));
            for method in HTTP_METHODS {
                let Some(op) = item.get(method) else { continue };
                let at = at.push(method);
                checks.extend(params(op.get("parameters"), &at));
                if let Some(body) = op.get("requestBody") {
                    checks.push(
                        check::<ReferenceOr<RequestBody>>(body, &at.push("requestBody")).map(drop),
                    );
                }
                if let Some(Value::Object(responses)) = op.get("responses") {
                    let at = at.push("responses");
                    for (status, response) in responses {
                        checks.push(
                            check::<ReferenceOr<Response>>(response, &at.push(status)).map(drop),
                        );
                    }
                }
                checks.push(check::<openapiv3::Operation>(op, &at).map(drop));
            }
            checks.push(check::<ReferenceOr<PathItem>>(item, &at).map(drop));
            if let Some(error) = first(checks) {
                return Some(error);
            }
        }
    }
    if let Some(Value::Object(components)) = tree.get("components") {
        let at = root.push("components");
        for (section, entries) in components {
            let Value::Object(entries) = entries else {
                continue;
            };
            let at = at.push(section);
            for (name, entry) in entries {
                let at = at.push(name);
                let result = match section.as_str() {
                    "schemas" => check::<ReferenceOr<openapiv3::Schema>>(entry, &at).map(drop),
                    "parameters" => check::<ReferenceOr<Parameter>>(entry, &at).map(drop),
                    "responses" => check::<ReferenceOr<Response>>(entry, &at).map(drop),
                    "requestBodies" => check::<ReferenceOr<RequestBody>>(entry, &at).map(drop),
                    "securitySchemes" => {
                        check::<ReferenceOr<openapiv3::SecurityScheme>>(entry, &at).map(drop)
                    }
                    "headers" => check::<ReferenceOr<openapiv3::Header>>(entry, &at).map(drop),
                    _ => Ok(()),
                };
                if let Err(error) = result {
                    return Some(error);
                }
            }
        }
    }
    None
}
