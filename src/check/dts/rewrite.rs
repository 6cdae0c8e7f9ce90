//! The fix: the type definitions with the tags the evidence settles rewritten (platforms dropped
//! from or added to `@supported`, a `@default` set to the docs page's value), and the unified
//! diff that applies it to Taro's repository.

use std::collections::BTreeSet;

use super::DTS_IN_REPOSITORY;
use super::compare::{Finding, Kind, owner};
use super::parse::{Member, Owner, Tag, TypeDefs};
use crate::report::support::Mark;

/// The type definitions with the tags the evidence settles rewritten: a platform whose cases of
/// the row all fail leaves the row's `@supported`, one where they pass joins it (the `request`
/// function's and the `RequestTask` interface's own tags first gain every platform where a row
/// of theirs passes untagged: the function or the task exists there), and a `@default` that differs from the docs page takes
/// the page's value where the implementations follow the page on every platform the tag names.
pub fn fix(defs: &TypeDefs, findings: &[Finding]) -> String {
    let mut lines: Vec<String> = defs.text.lines().map(str::to_string).collect();
    let mut added_lines: Vec<(usize, String)> = Vec::new();
    // The parents first: what a platform passing anywhere says of the function and the task.
    let mut parents: Vec<(&Member, Vec<String>)> = Vec::new();
    for (parent, owners) in [
        (
            defs.member(Owner::Static, "request"),
            [Owner::Option, Owner::Result],
        ),
        (
            defs.member(Owner::TaskInterface, "RequestTask"),
            [Owner::Task, Owner::Task],
        ),
    ] {
        let Some(parent) = parent else { continue };
        let gains: Vec<String> = findings
            .iter()
            .filter(|f| f.kind == Kind::UntaggedButPasses)
            .filter(|f| owners.contains(&owner(f.table)))
            .filter_map(|f| f.platform.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        parents.push((parent, gains));
    }
    let inherited = |member: &Member| -> Vec<String> {
        let mut list = defs.supported(member);
        if member.supported.is_none() {
            for (parent, gains) in &parents {
                let of = match member.owner {
                    Owner::Option | Owner::Result => Owner::Static,
                    _ => Owner::TaskInterface,
                };
                if parent.owner == of {
                    list.extend(
                        gains
                            .iter()
                            .filter(|g| !list.contains(g))
                            .cloned()
                            .collect::<Vec<_>>(),
                    );
                }
            }
        }
        list
    };
    for (parent, gains) in &parents {
        if let Some(tag) = &parent.supported
            && !gains.is_empty()
        {
            lines[tag.line - 1] = rewrite_supported(&lines[tag.line - 1], tag, &[], gains);
        }
    }
    // Then each member whose evidence differs from what it is (now) documented with.
    let mut members: Vec<&Member> = Vec::new();
    for f in findings {
        if let Some(m) = defs.member(owner(f.table), &f.name)
            && !members.iter().any(|x| std::ptr::eq(*x, m))
        {
            members.push(m);
        }
    }
    for member in members {
        let mine: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.name == member.name && owner(f.table) == member.owner)
            .collect();
        let documented = inherited(member);
        let drop: Vec<String> = mine
            .iter()
            .filter(|f| f.kind == Kind::TaggedButFails)
            .filter_map(|f| f.platform.clone())
            .collect();
        let add: Vec<String> = mine
            .iter()
            .filter(|f| f.kind == Kind::UntaggedButPasses)
            .filter_map(|f| f.platform.clone())
            .filter(|p| !documented.contains(p))
            .collect();
        if !drop.is_empty() || !add.is_empty() {
            match &member.supported {
                Some(tag) => {
                    lines[tag.line - 1] = rewrite_supported(&lines[tag.line - 1], tag, &drop, &add);
                }
                None => {
                    let mut list: Vec<String> = documented
                        .into_iter()
                        .filter(|p| !drop.contains(p))
                        .collect();
                    list.extend(add);
                    added_lines.push((member.line, list.join(", ")));
                }
            }
        }
        for f in &mine {
            if let Kind::DefaultDiffers { page, tag: value } = &f.kind
                && !f.evidence.is_empty()
                && f.evidence.iter().all(|(_, e)| e.mark == Mark::Full)
                && let Some(tag) = &member.default
            {
                let quoted = value.trim_start().starts_with('"');
                let new = if quoted {
                    format!("\"{page}\"")
                } else {
                    page.clone()
                };
                lines[tag.line - 1] = lines[tag.line - 1].replacen(value.as_str(), &new, 1);
            }
        }
    }
    // Members that had no tag of their own get one, in a comment of their own if need be.
    added_lines.sort_by_key(|(line, _)| std::cmp::Reverse(*line));
    for (declaration, platforms) in added_lines {
        let member = defs
            .members
            .iter()
            .find(|m| m.line == declaration)
            .expect("a member's line");
        let indent: String = lines[declaration - 1]
            .chars()
            .take_while(|c| c.is_whitespace())
            .collect();
        match member.comment {
            Some((first, last)) if first == last => {
                // `/** text */` becomes a block with the tag.
                let text = lines[first - 1]
                    .trim()
                    .trim_start_matches("/**")
                    .trim_end_matches("*/")
                    .trim()
                    .to_string();
                lines.splice(
                    first - 1..first,
                    [
                        format!("{indent}/** {text}"),
                        format!("{indent} * @supported {platforms}"),
                        format!("{indent} */"),
                    ],
                );
            }
            Some((_, last)) => {
                let end = &lines[last - 1];
                let text = end.trim().trim_end_matches("*/").trim();
                if text.is_empty() || text == "*" {
                    lines.insert(last - 1, format!("{indent} * @supported {platforms}"));
                } else {
                    let head = end.replacen("*/", "", 1).trim_end().to_string();
                    lines.splice(
                        last - 1..last,
                        [
                            head,
                            format!("{indent} * @supported {platforms}"),
                            format!("{indent} */"),
                        ],
                    );
                }
            }
            None => {
                lines.insert(
                    declaration - 1,
                    format!("{indent}/** @supported {platforms} */"),
                );
            }
        }
    }
    let mut out = lines.join("\n");
    if defs.text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A `@supported` line with platforms dropped and added (the items kept as they were written).
pub(super) fn rewrite_supported(line: &str, tag: &Tag, drop: &[String], add: &[String]) -> String {
    let mut items: Vec<String> = tag
        .value
        .split(',')
        .map(|i| i.trim().to_string())
        .filter(|i| {
            i.split_whitespace()
                .next()
                .is_none_or(|p| !drop.iter().any(|d| d == p))
        })
        .collect();
    let have = tag.platforms();
    items.extend(add.iter().filter(|a| !have.contains(a)).cloned());
    line.replacen(tag.value.as_str(), &items.join(", "), 1)
}

/// The unified diff from the type definitions to `fixed`, with Taro's repository's paths.
pub fn patch(defs: &TypeDefs, fixed: &str) -> String {
    similar::TextDiff::from_lines(defs.text.as_str(), fixed)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("a/{DTS_IN_REPOSITORY}"),
            &format!("b/{DTS_IN_REPOSITORY}"),
        )
        .to_string()
}
