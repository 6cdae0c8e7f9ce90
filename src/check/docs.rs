//! The documentation page's tables, regenerated from the contract and the specs: every option
//! and result field with its type, default and description, and the cases that check it.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::spec::contract::{Contract, Field};
use crate::spec::{Case, Suite};

/// How many case ids a cell lists before it says "and N more".
const SHOWN: usize = 4;

/// The option table and the result table, in Markdown.
///
/// ```no_run
/// use taro_conformance::check::docs;
/// use taro_conformance::spec::{self, contract::Contract};
/// let contract = Contract::load("specs/contract.yaml".as_ref()).unwrap();
/// let suite = spec::load_dir("specs".as_ref());
/// println!("{}", docs::render(&contract, &suite));
/// ```
pub fn render(contract: &Contract, suite: &Suite) -> String {
    let cases: Vec<&Case> = suite.cases.iter().map(|c| &c.case).collect();
    let mut out = String::new();
    let _ = writeln!(out, "## Option\n");
    options_table(&mut out, contract.options.iter().filter(|f| !f.h5), &cases);
    let _ = writeln!(out, "\n## H5-only options\n");
    options_table(&mut out, contract.options.iter().filter(|f| f.h5), &cases);
    let _ = writeln!(out, "\n## SuccessCallbackResult\n");
    plain_table(
        &mut out,
        "Property",
        &contract.results,
        &cases,
        result_mentions,
    );
    let _ = writeln!(out, "\n## RequestTask\n");
    plain_table(&mut out, "Method", &contract.task, &cases, |_, _| false);
    out
}

/// A table without default or required columns (the result's fields, the task's methods).
fn plain_table(
    out: &mut String,
    what: &str,
    fields: &[Field],
    cases: &[&Case],
    touches: fn(&Case, &str) -> bool,
) {
    let _ = writeln!(out, "| {what} | Type | Description | Checked by |");
    let _ = writeln!(out, "|---|---|---|---|");
    for field in fields {
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {} | {} |",
            field.name,
            cell(&field.ty),
            cell(&field.description),
            checked_by(field, cases, touches)
        );
    }
}

fn options_table<'a>(out: &mut String, fields: impl Iterator<Item = &'a Field>, cases: &[&Case]) {
    let _ = writeln!(
        out,
        "| Property | Type | Default | Required | Description | Checked by |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|");
    for field in fields {
        let default = field
            .default
            .as_deref()
            .map(|d| format!("`{d}`"))
            .unwrap_or_default();
        let required = if field.required { "Yes" } else { "No" };
        let checked = checked_by(field, cases, call_sets);
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {default} | {required} | {} | {checked} |",
            field.name,
            cell(&field.ty),
            cell(&field.description)
        );
    }
}

/// The cases that cite one of the field's clauses or touch the field itself, as a cell.
fn checked_by(field: &Field, cases: &[&Case], touches: fn(&Case, &str) -> bool) -> String {
    let ids: BTreeSet<&str> = cases
        .iter()
        .filter(|c| {
            c.contract.iter().any(|id| field.clauses.contains(id)) || touches(c, &field.name)
        })
        .map(|c| c.id.as_str())
        .collect();
    if ids.is_empty() {
        return "**no case**".into();
    }
    let shown: Vec<String> = ids.iter().take(SHOWN).map(|id| format!("`{id}`")).collect();
    match ids.len().saturating_sub(SHOWN) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// Text made safe for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// Whether a case's call (or an earlier call) sets this option.
fn call_sets(case: &Case, option: &str) -> bool {
    std::iter::once(&case.call)
        .chain(&case.before)
        .any(|call| call.get(option).is_some())
}

/// Whether a case expects something of this field of the result.
fn result_mentions(case: &Case, field: &str) -> bool {
    let Some(client) = &case.expect.client else {
        return false;
    };
    client
        .value
        .iter()
        .chain(client.callback_args.values())
        .any(|m| m.names_key(field))
}
