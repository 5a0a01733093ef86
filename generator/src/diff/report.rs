//! The report: counts by kind first, then each change grouped by kind (breaking first), then
//! the semver bump the changes imply for the generated crate. Text for people, JSON for CI.

use std::fmt::Write;

use serde::Serialize;

use super::{policy, Change, ChangeKind, Side};

/// The version generated crates start at (their `Cargo.toml` says so).
pub const GENERATED_CRATE_VERSION: &str = crate::emit::CRATE_VERSION;

/// A version bump, least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bump {
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// The bump the changes imply, from the crate's current version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Semver {
    pub bump: Bump,
    pub from: String,
    pub to: String,
    /// Why, in words (the 0.x rule when it applies).
    pub reason: String,
}

impl Semver {
    /// Cargo's rules: from 1.0, breaking → major, additions → minor, else patch; on 0.x
    /// (x > 0) breaking → minor, anything else → patch; on 0.0.x every release is
    /// breaking, a patch bump. A version that does not parse is treated as 0.1.0.
    pub fn for_changes(current: &str, breaking: bool, additions: bool) -> Semver {
        let parts: Vec<u64> = current
            .split(['-', '+'])
            .next()
            .unwrap_or_default()
            .split('.')
            .map(|p| p.parse().unwrap_or(0))
            .chain(std::iter::repeat(0))
            .take(3)
            .collect();
        let (major, minor, patch) = (parts[0], parts[1], parts[2]);
        let (bump, to, reason) = if major > 0 {
            if breaking {
                (Bump::Major, (major + 1, 0, 0), "breaking changes")
            } else if additions {
                (Bump::Minor, (major, minor + 1, 0), "additions only")
            } else {
                (
                    Bump::Patch,
                    (major, minor, patch + 1),
                    "no change to the API",
                )
            }
        } else if minor > 0 {
            if breaking {
                (
                    Bump::Minor,
                    (0, minor + 1, 0),
                    "breaking changes: on 0.x the minor version is the breaking one",
                )
            } else if additions {
                (
                    Bump::Patch,
                    (0, minor, patch + 1),
                    "additions only: on 0.x they are a patch",
                )
            } else {
                (Bump::Patch, (0, minor, patch + 1), "no change to the API")
            }
        } else {
            (
                Bump::Patch,
                (0, 0, patch + 1),
                "every 0.0.x release is breaking",
            )
        };
        Semver {
            bump,
            from: current.to_owned(),
            to: format!("{}.{}.{}", to.0, to.1, to.2),
            reason: reason.to_owned(),
        }
    }
}

/// The changes between two specs, sorted by kind (breaking kinds first) and item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub old: String,
    pub new: String,
    pub changes: Vec<Change>,
}

/// One line of the summary: a kind and how many changes of it.
#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub kind: ChangeKind,
    pub label: &'static str,
    pub breaking: bool,
    pub count: usize,
}

impl Report {
    pub(super) fn new(old: &str, new: &str, changes: Vec<Change>) -> Self {
        Report {
            old: old.to_owned(),
            new: new.to_owned(),
            changes,
        }
    }

    pub fn breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.is_breaking())
    }

    pub fn not_breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| !c.is_breaking())
    }

    pub fn has_breaking(&self) -> bool {
        self.breaking().next().is_some()
    }

    /// Changes by kind, in report order (breaking kinds first).
    pub fn counts(&self) -> Vec<Count> {
        let mut counts: Vec<Count> = Vec::new();
        for change in &self.changes {
            match counts.last_mut() {
                Some(last) if last.kind == change.kind => last.count += 1,
                _ => counts.push(Count {
                    kind: change.kind,
                    label: change.kind.label(),
                    breaking: change.is_breaking(),
                    count: 1,
                }),
            }
        }
        counts.sort_by_key(|c| (!c.breaking, c.kind));
        counts
    }

    /// The bump for a generated crate now at `current`.
    pub fn semver(&self, current: &str) -> Semver {
        Semver::for_changes(current, self.has_breaking(), !self.changes.is_empty())
    }

    fn location(&self, change: &Change) -> String {
        let file = match change.side {
            Side::Old => &self.old,
            Side::New => &self.new,
        };
        format!("{file}{}", change.pointer)
    }

    /// The summary alone: one line of totals, the counts by kind, and the bump.
    pub fn summary(&self, current_version: &str) -> String {
        let mut out = String::new();
        let breaking = self.breaking().count();
        let not_breaking = self.changes.len() - breaking;
        let semver = self.semver(current_version);
        let _ = writeln!(
            out,
            "API changes from {} to {}: {breaking} breaking, {not_breaking} not breaking; semver: {} ({} → {})",
            self.old,
            self.new,
            semver.bump.as_str(),
            semver.from,
            semver.to
        );
        let counts = self.counts();
        for (heading, breaking) in [("breaking", true), ("not breaking", false)] {
            let group: Vec<&Count> = counts.iter().filter(|c| c.breaking == breaking).collect();
            if group.is_empty() {
                continue;
            }
            let _ = writeln!(out, "  {heading}:");
            for count in group {
                let _ = writeln!(out, "    {:>5}  {}", count.count, count.label);
            }
        }
        out
    }

    /// The whole report as text: summary, changes grouped by kind, the semver bump last.
    pub fn to_text(&self, current_version: &str) -> String {
        let mut out = self.summary(current_version);
        if self.changes.is_empty() {
            let _ = writeln!(out, "\nno change to the generated API");
        }
        for (heading, breaking) in [("Breaking changes", true), ("Not breaking", false)] {
            let counts: Vec<Count> = self
                .counts()
                .into_iter()
                .filter(|c| c.breaking == breaking)
                .collect();
            if counts.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{heading}");
            for count in counts {
                let _ = write!(out, "\n  {} ({})", count.label, count.count);
                match policy::why(count.kind) {
                    Some(why) => {
                        let _ = writeln!(out, ": {why}");
                    }
                    None => out.push('\n'),
                }
                for change in self.changes.iter().filter(|c| c.kind == count.kind) {
                    let _ = writeln!(out, "    {}: {}", change.item, change.detail);
                    let _ = writeln!(out, "      at {}", self.location(change));
                }
            }
        }
        let semver = self.semver(current_version);
        let _ = writeln!(
            out,
            "\nsemver: {} bump for the generated crate ({} → {}): {}",
            semver.bump.as_str(),
            semver.from,
            semver.to,
            semver.reason
        );
        out
    }

    /// The report as JSON, for CI.
    pub fn to_json(&self, current_version: &str) -> serde_json::Value {
        #[derive(Serialize)]
        struct Location<'a> {
            spec: Side,
            file: &'a str,
            pointer: &'a str,
        }
        #[derive(Serialize)]
        struct Entry<'a> {
            kind: ChangeKind,
            breaking: bool,
            item: &'a str,
            detail: &'a str,
            location: Location<'a>,
        }
        let changes: Vec<Entry> = self
            .changes
            .iter()
            .map(|c| Entry {
                kind: c.kind,
                breaking: c.is_breaking(),
                item: &c.item,
                detail: &c.detail,
                location: Location {
                    spec: c.side,
                    file: match c.side {
                        Side::Old => &self.old,
                        Side::New => &self.new,
                    },
                    pointer: &c.pointer,
                },
            })
            .collect();
        let notes: Vec<serde_json::Value> = self
            .counts()
            .iter()
            .filter_map(|c| {
                policy::why(c.kind).map(|why| serde_json::json!({"kind": c.kind, "why": why}))
            })
            .collect();
        serde_json::json!({
            "old": self.old,
            "new": self.new,
            "breaking": self.breaking().count(),
            "not_breaking": self.not_breaking().count(),
            "summary": self.counts(),
            "changes": changes,
            "notes": notes,
            "semver": self.semver(current_version),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semver_follows_cargo_rules_with_0_x() {
        let bump = |v: &str, breaking, additions| {
            let s = Semver::for_changes(v, breaking, additions);
            (s.bump, s.to)
        };
        assert_eq!(bump("0.1.0", true, true), (Bump::Minor, "0.2.0".into()));
        assert_eq!(bump("0.1.3", false, true), (Bump::Patch, "0.1.4".into()));
        assert_eq!(bump("0.1.3", false, false), (Bump::Patch, "0.1.4".into()));
        assert_eq!(bump("1.2.3", true, true), (Bump::Major, "2.0.0".into()));
        assert_eq!(bump("1.2.3", false, true), (Bump::Minor, "1.3.0".into()));
        assert_eq!(bump("1.2.3", false, false), (Bump::Patch, "1.2.4".into()));
        assert_eq!(bump("0.0.7", true, true), (Bump::Patch, "0.0.8".into()));
    }
}
