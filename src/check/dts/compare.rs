//! The comparison: each row of the support page (an option, a result field, a task method)
//! against the platforms its member is tagged with, platform by platform, and each `@default`
//! against the docs page's default, with the evidence on each platform that decides.

use std::collections::BTreeSet;

use serde::Serialize;

use super::parse::{Owner, TypeDefs};
use crate::adapter::platforms;
use crate::report::support::{Cell, Divergence, Mark, Support, Table, mark_of_counts};
use crate::spec::contract::Contract;

/// What a platform's cases say of one row, all its columns together.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// The mark.
    pub mark: Mark,
    /// How many measured cases passed.
    pub passed: usize,
    /// How many were measured.
    pub measured: usize,
    /// The cases that did not pass, with the columns' reasons.
    pub divergences: Vec<Divergence>,
}

/// How a tag and the evidence or the docs page disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Tagged supported, and no case of the row passes there.
    TaggedButFails,
    /// Tagged supported, and some cases of the row fail there.
    TaggedButPartly,
    /// Not tagged, and cases of the row pass there.
    UntaggedButPasses,
    /// Tagged supported; the suite measures it nowhere on that platform (not offered there by
    /// the adapter, or no case).
    TaggedNotMeasured,
    /// The `@default` tag differs from the docs page's default.
    DefaultDiffers {
        /// The tag's value.
        tag: String,
        /// The docs page's value.
        page: String,
    },
}

/// One disagreement.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The row (the option, result field or task method).
    pub name: String,
    /// Its table.
    pub table: Table,
    /// The platform, for the support kinds.
    pub platform: Option<String>,
    /// What disagrees.
    pub kind: Kind,
    /// The line of the tag concerned (the inherited one when the member has none).
    pub line: Option<usize>,
    /// The evidence on that platform (for a default: on every platform the tag names).
    pub evidence: Vec<(String, Evidence)>,
    /// The clauses whose cases decide (the row's, or for a default the one about the default).
    pub clauses: Vec<String>,
}

/// The owner of a support table's rows in the type definitions.
pub(super) fn owner(table: Table) -> Owner {
    match table {
        Table::Option | Table::H5Option => Owner::Option,
        Table::Result => Owner::Result,
        Table::Task => Owner::Task,
    }
}

/// The evidence of one row on every platform that has columns.
fn by_platform(support: &Support, cells: &[Cell]) -> Vec<(String, Evidence)> {
    let mut out = Vec::new();
    let mut ids: Vec<&str> = Vec::new();
    for column in &support.columns {
        // Taro's tags name no community platform: nothing to weigh there.
        if !platforms::Platform::of(&column.adapter.platform).tagged {
            continue;
        }
        if !ids.contains(&column.adapter.platform.as_str()) {
            ids.push(&column.adapter.platform);
        }
    }
    for id in ids {
        let of: Vec<&Cell> = support
            .columns
            .iter()
            .zip(cells)
            .filter(|(c, _)| c.adapter.platform == id)
            .map(|(_, cell)| cell)
            .collect();
        if of.is_empty() {
            continue;
        }
        let passed = of.iter().map(|c| c.passed).sum();
        let measured = of.iter().map(|c| c.measured).sum();
        let not_offered = of.iter().all(|c| c.mark == Mark::NotOffered);
        out.push((
            id.to_string(),
            Evidence {
                mark: mark_of_counts(passed, measured, not_offered),
                passed,
                measured,
                divergences: divergences(&of),
            },
        ));
    }
    out
}

/// The cases of a platform's cells that did not pass, each once (two columns of one platform
/// often fail the same case).
fn divergences(cells: &[&Cell]) -> Vec<Divergence> {
    let mut out: Vec<Divergence> = Vec::new();
    for d in cells.iter().flat_map(|c| &c.divergences) {
        if !out.iter().any(|o| o.case == d.case) {
            out.push(d.clone());
        }
    }
    out
}

/// Compares the type definitions with the evidence (`support`) and with the docs page
/// (`contract`); `defaults` is the support page of the clauses about defaults
/// ([`Contract::defaults`]), which says whether the implementations follow the page's defaults.
pub fn check(
    defs: &TypeDefs,
    support: &Support,
    defaults: &Support,
    contract: &Contract,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for line in &support.lines {
        let Some(member) = defs.member(owner(line.table), &line.name) else {
            continue;
        };
        let tagged: BTreeSet<String> = defs.supported(member).into_iter().collect();
        let tag_line = defs.supported_tag(member).map(|t| t.line);
        let evidence = by_platform(support, &line.cells);
        for (platform, ev) in &evidence {
            let on = tagged.contains(platform);
            let kind = match (on, ev.mark) {
                (true, Mark::None) => Kind::TaggedButFails,
                (true, Mark::Partial) => Kind::TaggedButPartly,
                (true, Mark::NotOffered | Mark::Unmeasured) => Kind::TaggedNotMeasured,
                (false, Mark::Full | Mark::Partial) => Kind::UntaggedButPasses,
                _ => continue,
            };
            findings.push(Finding {
                name: line.name.clone(),
                table: line.table,
                platform: Some(platform.clone()),
                kind,
                line: tag_line,
                evidence: vec![(platform.clone(), ev.clone())],
                clauses: line.clauses.clone(),
            });
        }
        let field = contract.fields().find(|f| f.name == line.name);
        if let (Some(tag), Some(page)) = (&member.default, field.and_then(|f| f.default.as_ref()))
            && unquoted(&tag.value) != unquoted(page)
        {
            let clauses: Vec<String> = field
                .and_then(|f| f.default_clause.clone())
                .into_iter()
                .collect();
            let evidence = if clauses.is_empty() {
                Vec::new()
            } else {
                default_evidence(defaults, &line.name, line.table)
                    .into_iter()
                    .filter(|(p, e)| tagged.contains(p) && e.measured > 0)
                    .collect()
            };
            findings.push(Finding {
                name: line.name.clone(),
                table: line.table,
                platform: None,
                kind: Kind::DefaultDiffers {
                    tag: tag.value.clone(),
                    page: page.clone(),
                },
                line: Some(tag.line),
                evidence,
                clauses,
            });
        }
    }
    findings
}

/// The evidence of a row's default on every platform: its line in `defaults`, the support page
/// of the clauses about defaults ([`Contract::defaults`]).
fn default_evidence(defaults: &Support, name: &str, table: Table) -> Vec<(String, Evidence)> {
    defaults
        .lines
        .iter()
        .find(|l| l.name == name && l.table == table)
        .map(|line| by_platform(defaults, &line.cells))
        .unwrap_or_default()
}

/// A tag's value without the quotes around a string.
fn unquoted(value: &str) -> &str {
    value.trim().trim_matches(|c| c == '"' || c == '\'')
}
