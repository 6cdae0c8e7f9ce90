//! The digest that opens `history.md`: the releases whose changes matter most to an app, at
//! most [`LIMIT`], ranked by a rule the page states ([`RULE`]), each with the change that ranks
//! first in it, what else changed with it and the pull requests the notes give.

use std::cmp::{Ordering, Reverse};
use std::collections::BTreeMap;
use std::fmt::Write;

use semver::Version;

use super::changes::{AdapterHistory, Change, History};
use crate::report::links::fragment;
use crate::report::sink::{md_cell, md_code_cell, md_link_target};
use crate::spec::Level;
use crate::verdict::Status;

/// How many releases the digest lists.
pub const LIMIT: usize = 10;

/// The ranking, as the page states it.
pub const RULE: &str = "Ranked by the level of the case that changed (required, then recommended, then informational, \
     then cases the suite no longer has), then a change of status (pass, fail, error…) before a change in detail \
     only (other mismatches, or the call settling another way), then how many cases the release changed at that \
     rank, then the newer release. Each package's first-ranked release is listed; the rest fill the list by rank.";

/// How much a change matters: lower first.
fn rank(change: &Change, levels: &BTreeMap<String, Level>) -> (u8, u8) {
    let level = match levels.get(&change.case) {
        Some(Level::Required) => 0,
        Some(Level::Recommended) => 1,
        Some(Level::Informational) => 2,
        None => 3,
    };
    let detail = u8::from(change.was.observed.status == change.now.observed.status);
    (level, detail)
}

/// One package's changes in one release, the first-ranked first.
struct Entry<'a> {
    adapter: &'a AdapterHistory,
    release: &'a str,
    changes: Vec<&'a Change>,
    /// The first change's rank, and how many share it.
    best: (u8, u8),
    at_best: usize,
}

fn newer(a: &str, b: &str) -> Ordering {
    match (Version::parse(a), Version::parse(b)) {
        (Ok(a), Ok(b)) => b.cmp(&a),
        _ => b.cmp(a),
    }
}

impl Entry<'_> {
    fn order(&self, other: &Entry<'_>) -> Ordering {
        (self.best, Reverse(self.at_best))
            .cmp(&(other.best, Reverse(other.at_best)))
            .then_with(|| newer(self.release, other.release))
            .then_with(|| self.adapter.adapter.cmp(&other.adapter.adapter))
    }
}

/// The entries the digest lists, in rank order.
fn entries(history: &History) -> Vec<Entry<'_>> {
    let levels = &history.levels;
    let mut all: Vec<Entry<'_>> = Vec::new();
    for adapter in &history.adapters {
        let mut releases: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
        for change in &adapter.changes {
            releases.entry(&change.release).or_default().push(change);
        }
        for (release, mut changes) in releases {
            changes.sort_by(|a, b| {
                rank(a, levels)
                    .cmp(&rank(b, levels))
                    .then_with(|| b.documented.is_some().cmp(&a.documented.is_some()))
                    .then_with(|| a.case.cmp(&b.case))
            });
            let best = rank(changes[0], levels);
            let at_best = changes.iter().filter(|c| rank(c, levels) == best).count();
            all.push(Entry {
                adapter,
                release,
                changes,
                best,
                at_best,
            });
        }
    }
    all.sort_by(|a, b| a.order(b));
    // Each package's first entry, then the rest by rank.
    let mut chosen: Vec<usize> = Vec::new();
    for adapter in &history.adapters {
        if let Some(i) = all
            .iter()
            .position(|e| e.adapter.adapter == adapter.adapter)
        {
            chosen.push(i);
        }
    }
    chosen.sort_unstable();
    chosen.truncate(LIMIT);
    for i in 0..all.len() {
        if chosen.len() >= LIMIT {
            break;
        }
        if !chosen.contains(&i) {
            chosen.push(i);
        }
    }
    chosen.sort_unstable();
    let mut kept: Vec<Option<Entry<'_>>> = all.into_iter().map(Some).collect();
    chosen.into_iter().filter_map(|i| kept[i].take()).collect()
}

fn level_name(levels: &BTreeMap<String, Level>, case: &str) -> &'static str {
    levels
        .get(case)
        .map_or("no longer in the suite", |l| l.as_str())
}

fn transition(change: &Change) -> String {
    let (was, now) = (change.was.observed.status, change.now.observed.status);
    if was != now {
        format!("{was} → {now}")
    } else if change.was.observed.mismatches != change.now.observed.mismatches {
        format!("{now}, other mismatches")
    } else {
        format!("{now}, settled another way")
    }
}

/// What else changed in the release: status changes by transition, then those in detail.
fn others(rest: &[&Change]) -> String {
    if rest.is_empty() {
        return "nothing else".into();
    }
    let mut moves: BTreeMap<(Status, Status), usize> = BTreeMap::new();
    let mut detail = 0;
    for change in rest {
        let (was, now) = (change.was.observed.status, change.now.observed.status);
        if was == now {
            detail += 1;
        } else {
            *moves.entry((was, now)).or_default() += 1;
        }
    }
    let mut parts = Vec::new();
    let moved: usize = moves.values().sum();
    let each: Vec<String> = moves
        .iter()
        .map(|((was, now), n)| format!("{n} {was} → {now}"))
        .collect();
    match each.len() {
        0 => {}
        1 => {
            let ((was, now), n) = moves.iter().next().expect("one");
            parts.push(format!("{n} more {was} → {now}"));
        }
        _ => parts.push(format!("{moved} more status changes ({})", each.join(", "))),
    }
    if detail > 0 {
        parts.push(format!(
            "{detail} change{} in detail only",
            if detail == 1 { "" } else { "s" }
        ));
    }
    parts.join("; ")
}

/// The pull requests the notes give for the release's changes (the first change's first); with
/// none, what a note without one says the diff shows.
fn pulls(changes: &[&Change]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    let mut out: Vec<String> = Vec::new();
    let mut diff: Option<&str> = None;
    for documented in changes.iter().filter_map(|c| c.documented.as_ref()) {
        let Some(link) = documented.link.as_deref() else {
            diff = diff.or(Some(&documented.why));
            continue;
        };
        if seen.contains(&link) {
            continue;
        }
        seen.push(link);
        if let Some(target) = md_link_target(link) {
            out.push(format!("[{}]({target})", md_cell(&documented.why)));
        }
    }
    match (out.is_empty(), diff) {
        (false, _) => out.join("<br>"),
        (true, Some(why)) => format!("none found: {}", md_cell(why)),
        (true, None) => "none found".into(),
    }
}

/// The digest, in Markdown (a heading, the rule and the table), or nothing when no case changed.
pub(super) fn markdown(history: &History) -> String {
    let entries = entries(history);
    if entries.is_empty() {
        return String::new();
    }
    let mut out = String::from("\n## What changed in which release\n\n");
    let _ = writeln!(
        out,
        "The releases whose changes matter most to an app (at most {LIMIT}; every change is in its package's section below). \
         {RULE} Each row names its release's first-ranked change, linked to its cell in `history.html`.\n"
    );
    out.push_str("| release | package | the change that matters most | what else changed | pull request |\n|---|---|---|---|---|\n");
    for entry in &entries {
        let first = entry.changes[0];
        let address = format!(
            "{}/{}",
            fragment(&entry.adapter.adapter, &first.case),
            crate::report::links::fragment_part(entry.release)
        );
        let _ = writeln!(
            out,
            "| {} (after {}) | {} ({}) | [{}](history.html{address}) ({}): {} | {} | {} |",
            md_cell(entry.release),
            md_cell(&first.after),
            md_cell(&entry.adapter.package),
            md_code_cell(&entry.adapter.adapter),
            md_code_cell(&first.case),
            level_name(&history.levels, &first.case),
            transition(first),
            others(&entry.changes[1..]),
            pulls(&entry.changes),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::Record;
    use crate::history::record::seen;

    fn results(cases: &[(&str, Status, &str)]) -> crate::history::Results {
        cases
            .iter()
            .map(|(id, s, f)| (id.to_string(), seen(*s, f)))
            .collect()
    }

    #[test]
    fn required_status_changes_rank_first() {
        use Status::{Fail, Pass};
        let mut a = Record::new("a", "pkg-a");
        a.measured(
            "1.0.0",
            "s",
            results(&[("req", Fail, "1"), ("info", Pass, "1")]),
        );
        // 1.1.0: an informational detail; 1.2.0: a required case now passes.
        a.measured(
            "1.1.0",
            "s",
            results(&[("req", Fail, "1"), ("info", Pass, "2")]),
        );
        a.measured(
            "1.2.0",
            "s",
            results(&[("req", Pass, "2"), ("info", Pass, "2")]),
        );
        let mut history = History::of(&[a]);
        history.levels = [
            ("req".to_string(), Level::Required),
            ("info".to_string(), Level::Informational),
        ]
        .into();
        let listed: Vec<(&str, &str)> = entries(&history)
            .iter()
            .map(|e| (e.release, e.changes[0].case.as_str()))
            .collect();
        assert_eq!(listed, [("1.2.0", "req"), ("1.1.0", "info")]);
        let md = markdown(&history);
        assert!(
            md.contains("(required): fail → pass | nothing else | none found |"),
            "{md}"
        );
        assert!(md.contains("[`req`](history.html#a/req/1.2.0)"), "{md}");
    }

    #[test]
    fn each_package_keeps_a_place_among_the_ten() {
        use Status::{Fail, Pass};
        // Twelve releases of `a` each change a required case; `b`'s one change is informational.
        let mut a = Record::new("a", "pkg-a");
        for minor in 0..13 {
            let status = if minor % 2 == 0 { Fail } else { Pass };
            a.measured(
                &format!("1.{minor}.0"),
                "s",
                results(&[("req", status, "x")]),
            );
        }
        let mut b = Record::new("b", "pkg-b");
        b.measured("1.0.0", "s", results(&[("info", Pass, "1")]));
        b.measured("1.1.0", "s", results(&[("info", Pass, "2")]));
        let mut history = History::of(&[a, b]);
        history.levels = [("req".to_string(), Level::Required)].into();
        let listed = entries(&history);
        assert_eq!(listed.len(), LIMIT);
        assert_eq!(listed[0].release, "1.12.0", "the newer first");
        let last = listed.last().unwrap();
        assert_eq!(
            (last.adapter.adapter.as_str(), last.release),
            ("b", "1.1.0")
        );
        assert!(markdown(&history).contains("(no longer in the suite): pass, other mismatches"));
    }
}
