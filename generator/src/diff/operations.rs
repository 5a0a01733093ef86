//! Client methods: one per operation (two for an operation that also streams, `name` and
//! `name_stream`), their arguments (required parameters, then a required body) and setters
//! (optional parameters, an optional body), what `send` returns, and the documented error
//! statuses of their error enum.

use std::collections::{BTreeMap, BTreeSet};

use super::{push, render, Change, ChangeKind, Side};
use crate::ir::{
    Api, Decoded, FormField, Operation, Parameter, RequestBody, Response, StatusMatch, Success,
};
use crate::naming::status_name;

/// A client method and the operation it belongs to.
struct Method<'a> {
    op: &'a Operation,
    /// The `_stream` method of an operation that answers JSON or events.
    stream: bool,
}

fn methods(api: &Api) -> BTreeMap<&str, Method<'_>> {
    let mut methods = BTreeMap::new();
    for op in &api.operations {
        methods.insert(op.name.as_str(), Method { op, stream: false });
        if let Some(alternative) = op.events.as_ref().and_then(|e| e.alternative.as_ref()) {
            methods.insert(
                alternative.method_name.as_str(),
                Method { op, stream: true },
            );
        }
    }
    methods
}

/// `DELETE /files/{file_id}`.
fn route(op: &Operation) -> String {
    format!("{} {}", op.method.as_str(), op.path.raw)
}

pub(super) fn compare(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    let (old_methods, new_methods) = (methods(old), methods(new));
    let mut renamed_to = BTreeSet::new();
    for (name, method) in &old_methods {
        if new_methods.contains_key(name) {
            continue;
        }
        // The same route and kind of method under another name: a renamed operation.
        let successor = new_methods.iter().find(|(other, m)| {
            !old_methods.contains_key(*other)
                && m.stream == method.stream
                && route(m.op) == route(method.op)
        });
        let detail = match successor {
            Some((other, _)) => {
                renamed_to.insert(*other);
                format!(
                    "renamed to `Client::{other}` ({}): its operationId changed",
                    route(method.op)
                )
            }
            None => format!("removed ({})", route(method.op)),
        };
        changes.push(Change::new(
            ChangeKind::OperationRemoved,
            format!("Client::{name}"),
            detail,
            Side::Old,
            &method.op.pointer,
        ));
    }
    for (name, method) in &new_methods {
        if old_methods.contains_key(name) || renamed_to.contains(name) {
            continue;
        }
        changes.push(Change::new(
            ChangeKind::OperationAdded,
            format!("Client::{name}"),
            format!("added ({})", route(method.op)),
            Side::New,
            &method.op.pointer,
        ));
    }
    for (name, new_method) in &new_methods {
        let Some(old_method) = old_methods.get(name) else {
            continue;
        };
        let pair = Pair {
            old,
            new,
            old_op: old_method.op,
            new_op: new_method.op,
            method: name,
        };
        if new_method.stream {
            pair.stream_item(changes);
        } else {
            pair.parameters(changes);
            pair.body(changes);
            pair.success(changes);
            pair.errors(changes);
        }
    }
}

/// One client method in both versions.
struct Pair<'a> {
    old: &'a Api,
    new: &'a Api,
    old_op: &'a Operation,
    new_op: &'a Operation,
    method: &'a str,
}

impl Pair<'_> {
    fn item(&self) -> String {
        format!("Client::{}", self.method)
    }

    fn parameters(&self, changes: &mut Vec<Change>) {
        let old: BTreeMap<_, &Parameter> = self
            .old_op
            .parameters
            .iter()
            .map(|p| (parameter_key(p), p))
            .collect();
        let new: BTreeMap<_, &Parameter> = self
            .new_op
            .parameters
            .iter()
            .map(|p| (parameter_key(p), p))
            .collect();
        for (k, p) in &old {
            if !new.contains_key(k) {
                let what = if p.required { "argument" } else { "setter" };
                changes.push(Change::new(
                    ChangeKind::ParameterRemoved,
                    self.item(),
                    format!("{what} {} removed", describe_parameter(p)),
                    Side::Old,
                    &p.pointer,
                ));
            }
        }
        for (k, p) in &new {
            match old.get(k) {
                None => self.parameter_added(p, changes),
                Some(before) => self.parameter_changed(before, p, changes),
            }
        }
        self.arguments_reordered(changes);
    }

    /// A parameter only the new version has: a new argument (breaking) or a new setter.
    fn parameter_added(&self, p: &Parameter, changes: &mut Vec<Change>) {
        let ty = render(&p.ty, &self.new.types);
        if p.required {
            changes.push(Change::new(
                ChangeKind::ParameterRequired,
                self.item(),
                format!("new required argument {}: {ty}", describe_parameter(p)),
                Side::New,
                &p.pointer,
            ));
        } else {
            changes.push(Change::new(
                ChangeKind::OptionalParameterAdded,
                self.item(),
                format!("new setter {}: {ty}", describe_parameter(p)),
                Side::New,
                &p.pointer,
            ));
        }
    }

    /// A parameter in both versions: required or not, its type, its setter's name.
    fn parameter_changed(&self, before: &Parameter, p: &Parameter, changes: &mut Vec<Change>) {
        let ty = render(&p.ty, &self.new.types);
        let old_ty = render(&before.ty, &self.old.types);
        if !before.required && p.required {
            changes.push(Change::new(
                ChangeKind::ParameterRequired,
                self.item(),
                format!(
                    "{} became required: the setter is now an argument",
                    describe_parameter(p)
                ),
                Side::New,
                &p.pointer,
            ));
        } else if before.required && !p.required {
            changes.push(Change::new(
                ChangeKind::ParameterChanged,
                self.item(),
                format!(
                    "{} is no longer required: the argument is now a setter",
                    describe_parameter(p)
                ),
                Side::New,
                &p.pointer,
            ));
        }
        if old_ty != ty {
            changes.push(Change::new(
                ChangeKind::ParameterChanged,
                self.item(),
                format!("{} type changed: {old_ty} → {ty}", describe_parameter(p)),
                Side::New,
                &p.pointer,
            ));
        } else if before.rust_name != p.rust_name && !p.required && !before.required {
            changes.push(Change::new(
                ChangeKind::ParameterChanged,
                self.item(),
                format!(
                    "setter `{}` renamed to {}",
                    before.rust_name,
                    describe_parameter(p)
                ),
                Side::New,
                &p.pointer,
            ));
        }
    }

    /// The same required parameters in another order: the arguments swap places.
    fn arguments_reordered(&self, changes: &mut Vec<Change>) {
        let arguments = |op: &Operation| -> Vec<(crate::ir::Location, String)> {
            op.parameters
                .iter()
                .filter(|p| p.required)
                .map(parameter_key)
                .collect()
        };
        let (before, after) = (arguments(self.old_op), arguments(self.new_op));
        let same_set = before.iter().collect::<BTreeSet<_>>() == after.iter().collect();
        if same_set && before != after {
            let names = |op: &Operation| {
                op.parameters
                    .iter()
                    .filter(|p| p.required)
                    .map(|p| p.rust_name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            changes.push(Change::new(
                ChangeKind::ParameterChanged,
                self.item(),
                format!(
                    "arguments reordered: ({}) → ({})",
                    names(self.old_op),
                    names(self.new_op)
                ),
                Side::New,
                push(&self.new_op.pointer, "parameters"),
            ));
        }
    }

    fn body(&self, changes: &mut Vec<Change>) {
        let at_old = push(&self.old_op.pointer, "requestBody");
        let at_new = push(&self.new_op.pointer, "requestBody");
        let mut change = |detail: String, side: Side| {
            let at = match side {
                Side::Old => &at_old,
                Side::New => &at_new,
            };
            changes.push(Change::new(
                ChangeKind::RequestBodyChanged,
                self.item(),
                detail,
                side,
                at.clone(),
            ));
        };
        match (&self.old_op.body, &self.new_op.body) {
            (None, None) => {}
            (Some(_), None) => change("the request body was removed".into(), Side::Old),
            (None, Some(body)) if body.required => change(
                format!(
                    "a required request body was added: a new argument `body: {}`",
                    body_type(self.new_op, body, self.new)
                ),
                Side::New,
            ),
            (None, Some(body)) => changes.push(Change::new(
                ChangeKind::OptionalParameterAdded,
                self.item(),
                format!(
                    "new setter `body`: {} (an optional request body)",
                    body_type(self.new_op, body, self.new)
                ),
                Side::New,
                at_new.clone(),
            )),
            (Some(before), Some(after)) => {
                if before.required != after.required {
                    change(
                        if after.required {
                            "the request body became required: the setter `body` is now an argument"
                        } else {
                            "the request body is no longer required: the argument `body` is now a setter"
                        }
                        .into(),
                        Side::New,
                    );
                }
                let (old_ty, new_ty) = (
                    body_type(self.old_op, before, self.old),
                    body_type(self.new_op, after, self.new),
                );
                if old_ty != new_ty {
                    change(
                        format!("the request body's type changed: {old_ty} → {new_ty}"),
                        Side::New,
                    );
                }
                let form = |body: &RequestBody| {
                    body.form
                        .clone()
                        .or_else(|| body.alternative.as_ref().and_then(|a| a.form.clone()))
                };
                if let (Some(old_form), Some(new_form)) = (form(before), form(after)) {
                    self.form_fields(&old_form, &new_form, &at_old, &at_new, changes);
                }
            }
        }
    }

    /// The fields of the `{Op}Form` struct of a multipart body: a type callers build.
    fn form_fields(
        &self,
        old: &[FormField],
        new: &[FormField],
        at_old: &str,
        at_new: &str,
        changes: &mut Vec<Change>,
    ) {
        let form = format!("operations::{}Form", self.new_op.type_name);
        let field_type = |f: &FormField, api: &Api| {
            let ty = if f.file {
                "FilePart".to_owned()
            } else {
                render(&f.ty, &api.types)
            };
            if f.required {
                ty
            } else {
                format!("Option<{ty}>")
            }
        };
        for f in old {
            if !new.iter().any(|n| n.name == f.name) {
                changes.push(Change::new(
                    ChangeKind::FieldRemoved,
                    format!("{form}::{}", f.name),
                    format!("form field `{}` removed", f.json_name),
                    Side::Old,
                    at_old,
                ));
            }
        }
        for f in new {
            let ty = field_type(f, self.new);
            match old.iter().find(|o| o.name == f.name) {
                None if f.required => changes.push(Change::new(
                    ChangeKind::RequiredField,
                    format!("{form}::{}", f.name),
                    format!("form field `{}` added as required: {ty}", f.json_name),
                    Side::New,
                    at_new,
                )),
                None => changes.push(Change::new(
                    ChangeKind::OptionalFieldAdded,
                    format!("{form}::{}", f.name),
                    format!("optional form field `{}` added: {ty}", f.json_name),
                    Side::New,
                    at_new,
                )),
                Some(before) => {
                    let old_ty = field_type(before, self.old);
                    if old_ty != ty {
                        let kind = if f.required && !before.required {
                            ChangeKind::RequiredField
                        } else {
                            ChangeKind::FieldTypeChanged
                        };
                        changes.push(Change::new(
                            kind,
                            format!("{form}::{}", f.name),
                            format!("form field `{}`: {old_ty} → {ty}", f.json_name),
                            Side::New,
                            at_new,
                        ));
                    }
                }
            }
        }
    }

    /// What `send` returns on success.
    fn success(&self, changes: &mut Vec<Change>) {
        let (before, after) = (
            success_type(self.old_op, self.old),
            success_type(self.new_op, self.new),
        );
        if before != after {
            changes.push(Change::new(
                ChangeKind::ResponseChanged,
                self.item(),
                format!("`send` returns another type on success: {before} → {after}"),
                Side::New,
                push(&self.new_op.pointer, "responses"),
            ));
        }
    }

    fn stream_item(&self, changes: &mut Vec<Change>) {
        let item = |op: &Operation, api: &Api| {
            op.events
                .as_ref()
                .map(|e| render(&e.item, &api.types))
                .unwrap_or_default()
        };
        let (before, after) = (item(self.old_op, self.old), item(self.new_op, self.new));
        if before != after {
            changes.push(Change::new(
                ChangeKind::ResponseChanged,
                self.item(),
                format!("the stream's events changed type: {before} → {after}"),
                Side::New,
                push(&self.new_op.pointer, "responses"),
            ));
        }
    }

    /// The variants of the `{Op}Error` enum, one per documented error status.
    fn errors(&self, changes: &mut Vec<Change>) {
        let variants = |op: &Operation, api: &Api| -> BTreeMap<String, (StatusMatch, String)> {
            op.errors()
                .map(|r| {
                    (
                        status_variant(r.status),
                        (r.status, decoded_type(&r.decoded(), api)),
                    )
                })
                .collect()
        };
        let (old, new) = (
            variants(self.old_op, self.old),
            variants(self.new_op, self.new),
        );
        let enum_name = format!("operations::{}Error", self.new_op.type_name);
        let at = |op: &Operation, status: StatusMatch| {
            push(&push(&op.pointer, "responses"), &status_key(status))
        };
        for (variant, (status, _)) in &old {
            if !new.contains_key(variant) {
                changes.push(Change::new(
                    ChangeKind::ErrorStatusRemoved,
                    format!("{enum_name}::{variant}"),
                    format!(
                        "status {} is no longer documented for `Client::{}`",
                        status_key(*status),
                        self.method
                    ),
                    Side::Old,
                    at(self.old_op, *status),
                ));
            }
        }
        for (variant, (status, ty)) in &new {
            match old.get(variant) {
                None => changes.push(Change::new(
                    ChangeKind::ErrorStatusAdded,
                    format!("{enum_name}::{variant}"),
                    format!(
                        "status {} is now documented for `Client::{}`",
                        status_key(*status),
                        self.method
                    ),
                    Side::New,
                    at(self.new_op, *status),
                )),
                Some((_, before)) if before != ty => changes.push(Change::new(
                    ChangeKind::ResponseChanged,
                    format!("{enum_name}::{variant}"),
                    format!("the error body's type changed: {before} → {ty}"),
                    Side::New,
                    at(self.new_op, *status),
                )),
                Some(_) => {}
            }
        }
    }
}

/// How the spec writes a status: `404`, `4XX`, `default`.
fn status_key(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(r) => format!("{r}XX"),
        StatusMatch::Default => "default".into(),
    }
}

/// The variant a status gets in the error (or success) enum.
fn status_variant(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => status_name(Some(c), None),
        StatusMatch::Range(r) => status_name(None, Some(r)),
        StatusMatch::Default => status_name(None, None),
    }
}

fn decoded_type(decoded: &Decoded, api: &Api) -> String {
    match decoded {
        Decoded::Empty => "()".into(),
        Decoded::Json(ty) => render(ty, &api.types),
        Decoded::Text => "String".into(),
        Decoded::Bytes => "bytes::Bytes".into(),
    }
}

/// The success type of `send`, as written in the generated code (the enum of successes by
/// status spelled out, since its variants are part of the API).
fn success_type(op: &Operation, api: &Api) -> String {
    if let Some(events) = op.events.as_ref().filter(|e| e.alternative.is_none()) {
        return format!("EventStream<{}>", render(&events.item, &api.types));
    }
    match &op.success {
        Success::Undocumented(decoded) | Success::Shared(decoded) => decoded_type(decoded, api),
        Success::ByStatus => {
            let variants: Vec<String> = op
                .successes()
                .map(|r: &Response| {
                    format!(
                        "{}({})",
                        status_variant(r.status),
                        decoded_type(&r.decoded(), api)
                    )
                })
                .collect();
            format!("{}Response {{ {} }}", op.type_name, variants.join(", "))
        }
    }
}

/// The type the body's argument or setter takes.
fn body_type(op: &Operation, body: &RequestBody, api: &Api) -> String {
    match (&body.form, &body.alternative) {
        (Some(_), _) => format!("{}Form", op.type_name),
        (None, Some(_)) => format!("{}Body", op.type_name),
        (None, None) => render(&body.ty, &api.types),
    }
}

/// A parameter's identity across versions: where it goes and its name on the wire.
fn parameter_key(p: &Parameter) -> (crate::ir::Location, String) {
    (p.location, p.name.clone())
}

/// `` `rust_name` (query parameter `name`) ``.
fn describe_parameter(p: &Parameter) -> String {
    format!(
        "`{}` ({} parameter `{}`)",
        p.rust_name,
        p.location.as_str(),
        p.name
    )
}
