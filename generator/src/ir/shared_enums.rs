//! Every string enum is an alias of a generic enum, and string enums that list the same
//! variants are aliases of the same one: `type ChargeStatus =
//! ChargeStatusValues<site::ChargeStatus>`, with a marker type per enum. Stripe's spec has
//! 2,270 string enums but only 433 distinct lists of values (638 of them are the one value
//! `""`), and each definition costs the compiler a dozen function bodies (`as_str`,
//! comparison, hashing, serde, …); the generic enum's impls are checked once for all its
//! aliases, yet every alias is still a type of its own (its marker differs). An enum alone
//! with its values is an alias too, so that a later spec never changes what kind of item an
//! enum is: when it adds a value to one enum of a group, that enum moves to another
//! definition, and when it adds an enum with the values of one that was alone, the two share
//! one; either way code naming the variants through the alias compiles as before.

use std::collections::{BTreeMap, BTreeSet};

use super::{TypeId, TypeKind, TypeSpace, Variant};

/// Index of a [`SharedEnum`] in the [`TypeSpace`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedEnumId(pub usize);

/// The one definition of the string enums with the same variants (names and values, in
/// order).
#[derive(Debug, Clone)]
pub struct SharedEnum {
    /// The generic enum's name: the first site's name followed by `Values`.
    pub name: String,
    pub variants: Vec<Variant>,
    /// The enums that are aliases of it, sorted by name (at least one).
    pub sites: Vec<TypeId>,
    /// The cargo features any of which compiles it: those of all its sites; `None` when one
    /// of them is always compiled.
    pub features: Option<BTreeSet<String>>,
}

/// The string enums that list the same variants.
struct Group<'a> {
    variants: &'a [Variant],
    sites: Vec<TypeId>,
}

/// Groups the string enums by their variants; each group becomes a [`SharedEnum`] its
/// members point to. Runs after the features are assigned, since a shared definition
/// compiles when any of its sites does.
pub(super) fn share_string_enums(types: &mut TypeSpace) {
    // Keyed by the variants, so the groups, and the names claimed for them, come in an
    // order that depends only on the spec's contents.
    let mut groups: BTreeMap<Vec<(&str, &str)>, Group> = BTreeMap::new();
    for (id, def) in types.iter() {
        if let TypeKind::Enum(e) = &def.kind {
            let key = e
                .variants
                .iter()
                .map(|v| (v.name.as_str(), v.value.as_str()))
                .collect();
            let group = groups.entry(key).or_insert_with(|| Group {
                variants: &e.variants,
                sites: Vec::new(),
            });
            group.sites.push(id);
        }
    }
    let mut shared = Vec::new();
    for Group {
        variants,
        mut sites,
    } in groups.into_values()
    {
        sites.sort_by(|a, b| types.get(*a).name.cmp(&types.get(*b).name));
        let features = sites
            .iter()
            .map(|site| types.get(*site).features.clone())
            .try_fold(BTreeSet::new(), |mut all, features| {
                all.extend(features?);
                Some(all)
            });
        let wanted = format!("{}Values", types.get(sites[0]).name);
        shared.push((wanted, variants.to_vec(), sites, features));
    }
    for (wanted, variants, sites, features) in shared {
        let id = SharedEnumId(types.shared_enums.len());
        for site in &sites {
            if let TypeKind::Enum(e) = &mut types.get_mut(*site).kind {
                e.shared = Some(id);
            }
        }
        let name = types.names.claim(&wanted);
        types.shared_enums.push(SharedEnum {
            name,
            variants,
            sites,
            features,
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, TypeKind};

    fn api(spec: &str) -> Api {
        crate::build_api(spec, &[]).expect("builds").0
    }

    fn shared_name(api: &Api, name: &str) -> Option<String> {
        let (_, def) = api.types.iter().find(|(_, def)| def.name == name)?;
        match &def.kind {
            TypeKind::Enum(e) => e.shared.map(|id| api.types.shared_enum(id).name.clone()),
            _ => None,
        }
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Volume: {type: string, enum: [low, high]}
    Priority: {type: string, enum: [low, high]}
    Level: {type: string, enum: [high, low]}
    Alone: {type: string, enum: [one]}
    AloneValues: {type: string, enum: [two]}
    Other: {type: string, enum: [one, two]}
    Again: {type: string, enum: [one, two]}
"#;

    #[test]
    fn enums_listing_the_same_variants_share_one_definition_named_after_the_first() {
        let api = api(SPEC);
        assert_eq!(
            shared_name(&api, "Priority").as_deref(),
            Some("PriorityValues")
        );
        assert_eq!(
            shared_name(&api, "Volume").as_deref(),
            Some("PriorityValues")
        );
        // Another order is another definition (its variants are declared in that order).
        assert_eq!(shared_name(&api, "Level").as_deref(), Some("LevelValues"));
        // An enum alone with its values is an alias too.
        assert_eq!(shared_name(&api, "Alone").as_deref(), Some("AloneValues2"));
        // The shared name is claimed like any other: `AloneValues` is a schema's name.
        assert_eq!(shared_name(&api, "Again").as_deref(), Some("AgainValues"));
        let volume = api
            .types
            .iter()
            .find(|(_, d)| d.name == "Volume")
            .unwrap()
            .0;
        let TypeKind::Enum(e) = &api.types.get(volume).kind else {
            panic!("Volume is a string enum")
        };
        let shared = api.types.shared_enum(e.shared.unwrap());
        assert_eq!(shared.sites.len(), 2);
        assert_eq!(shared.variants.len(), 2);
    }

    #[test]
    fn a_shared_name_that_is_taken_gets_a_number() {
        let spec = SPEC.replace("AloneValues", "AgainValues");
        let api = api(&spec);
        assert_eq!(shared_name(&api, "Again").as_deref(), Some("AgainValues2"));
    }
}
