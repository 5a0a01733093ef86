//! Cargo features, so a user compiles only the operations they call: operations are grouped
//! by their first tag (`Files` → feature `files`; untagged ones in `untagged`), each group a
//! feature; a type compiles when any group that reaches it is on (always, when every group
//! reaches it). Schemas no operation uses are the feature `schemas`. The crate's `default`
//! enables every feature.

use std::collections::BTreeSet;

use super::{Operation, TypeId, TypeSpace};
use crate::naming::NameScope;

/// Feature names Cargo or the crate itself gives a meaning.
const RESERVED: &[&str] = &["default", "roundtrip", "tracing", "schemas", "untagged"];

/// The feature of the schemas no operation uses.
pub const SCHEMAS: &str = "schemas";

/// Assigns each operation its feature and each type the features that compile it; returns
/// every feature, sorted.
pub fn assign_features(types: &mut TypeSpace, operations: &mut [Operation]) -> Vec<String> {
    let mut names = NameScope::new();
    for reserved in RESERVED {
        names.reserve(reserved);
    }
    let mut by_tag: std::collections::BTreeMap<String, String> = Default::default();
    // Tags sorted, so a feature name does not depend on the order of operations.
    let mut tags: Vec<&str> = operations
        .iter()
        .filter_map(|op| op.tag.as_deref())
        .collect();
    tags.sort();
    tags.dedup();
    for tag in tags {
        let wanted = feature_name(tag);
        let name = if wanted.is_empty() {
            "untagged".to_owned()
        } else {
            names.claim(&wanted)
        };
        by_tag.insert(tag.to_owned(), name);
    }
    for op in operations.iter_mut() {
        op.feature = match &op.tag {
            Some(tag) => by_tag[tag].clone(),
            None => "untagged".to_owned(),
        };
    }
    let groups: BTreeSet<String> = operations.iter().map(|op| op.feature.clone()).collect();

    let mut reached: Vec<BTreeSet<String>> = vec![BTreeSet::new(); types.len()];
    let mark = |roots: Vec<TypeId>, feature: &str, reached: &mut [BTreeSet<String>]| {
        for (id, reachable) in types.reachable(roots).into_iter().enumerate() {
            if reachable {
                reached[id].insert(feature.to_owned());
            }
        }
    };
    // One walk per feature, from the types of all its operations.
    let mut roots: std::collections::BTreeMap<&str, Vec<TypeId>> = Default::default();
    for op in operations.iter() {
        let roots = roots.entry(&op.feature).or_default();
        op.sent_types(roots);
        op.received_types(roots);
        if let Some(pages) = &op.pagination {
            pages.item.named_ids(roots);
        }
    }
    for (feature, roots) in roots {
        mark(roots, feature, &mut reached);
    }
    let orphans: Vec<TypeId> = types
        .iter()
        .map(|(id, _)| id)
        .filter(|id| reached[id.0].is_empty())
        .collect();
    let has_orphans = !orphans.is_empty();
    mark(orphans, SCHEMAS, &mut reached);

    let ids: Vec<TypeId> = types.iter().map(|(id, _)| id).collect();
    for id in ids {
        let features = std::mem::take(&mut reached[id.0]);
        types.get_mut(id).features = (!groups.is_subset(&features)).then_some(features);
    }
    let mut features: Vec<String> = groups.into_iter().collect();
    if has_orphans {
        features.push(SCHEMAS.to_owned());
    }
    features.sort();
    features
}

/// A cargo feature name from a tag: `API Keys` → `api-keys`.
fn feature_name(tag: &str) -> String {
    let mut name = String::new();
    for c in deunicode::deunicode(tag).chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('-') && !name.is_empty() {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("tag-{name}")
    } else {
        name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::feature_name;

    #[test]
    fn feature_names_from_tags() {
        assert_eq!(feature_name("API Keys"), "api-keys");
        assert_eq!(feature_name("Files"), "files");
        assert_eq!(feature_name("beta.responses"), "beta-responses");
        assert_eq!(feature_name("2fa"), "tag-2fa");
        assert_eq!(feature_name("Größe"), "grosse");
        assert_eq!(feature_name("!!"), "");
    }
}
