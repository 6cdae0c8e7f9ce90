//! Repro: one case, run once, with everything needed to reproduce it by hand — the call as
//! JavaScript, the stubs, what each origin received, what the caller got, what did not hold.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::Value;

use crate::adapter::Adapter;
use crate::error::Error;
use crate::runner::{CaseResult, RunOptions, run_case};
use crate::spec::{Action, Case, LoadedCase, Suite, render};

/// The case with this id, or a usage error naming similar ids.
pub fn find<'a>(suite: &'a Suite, id: &str) -> Result<&'a LoadedCase, Error> {
    suite.cases.iter().find(|c| c.case.id == id).ok_or_else(|| {
        let near: Vec<&str> = suite
            .cases
            .iter()
            .map(|c| c.case.id.as_str())
            .filter(|c| !id.is_empty() && (c.contains(id) || id.contains(*c)))
            .take(5)
            .collect();
        Error::Usage(format!(
            "no case `{id}` in {} (similar: {near:?})",
            suite.root.display()
        ))
    })
}

/// Runs the case and renders the account.
pub async fn run(adapter: &dyn Adapter, loaded: &LoadedCase) -> (String, CaseResult) {
    let case = &loaded.case;
    let result = run_case(adapter, case, &RunOptions::default()).await;
    let mut out = String::new();
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
    let _ = writeln!(
        out,
        "case {} ({}:{})",
        case.id,
        loaded.file.display(),
        loaded.line
    );
    let _ = writeln!(out, "  {}", case.summary);
    for reference in &case.refs {
        let _ = writeln!(out, "  seen in {reference}");
    }
    let _ = writeln!(
        out,
        "  level {}, clauses {}",
        case.level.as_str(),
        case.contract.join(", ")
    );
    let info = adapter.info();
    let _ = writeln!(
        out,
        "adapter {} {} ({}, {})",
        info.name, info.version, info.platform, info.runtime
    );
    let _ = writeln!(
        out,
        "\n== origins (this run's addresses; every one bound to 127.0.0.1)"
    );
    for (name, spec) in &case.origins {
        let url = result.origins.get(name).cloned().unwrap_or_default();
        let stubs = serde_json::to_value(spec).unwrap_or_default();
        let _ = writeln!(
            out,
            "{name} = {url}\n{}",
            indent(&pretty(&render(&stubs, &result.origins)))
        );
    }
    let _ = writeln!(out, "\n== the call, as JavaScript");
    out.push_str(&call_js(case, &result.origins));
    if let Some(observation) = &result.observation {
        let _ = writeln!(out, "\n== what each origin received");
        let _ = writeln!(
            out,
            "{}",
            pretty(&serde_json::to_value(&observation.wire).unwrap_or_default())
        );
        let _ = writeln!(out, "\n== what the caller got");
        let _ = writeln!(
            out,
            "{}",
            pretty(&serde_json::to_value(&observation.client).unwrap_or_default())
        );
    }
    let _ = writeln!(out, "\n== verdict: {}", result.status);
    for mismatch in &result.mismatches {
        let _ = writeln!(out, "  {mismatch}");
    }
    if let Some(detail) = &result.detail() {
        let _ = writeln!(out, "{}", indent(detail));
    }
    if let Some(stderr) = &result.stderr {
        let _ = writeln!(out, "adapter stderr:\n{}", indent(stderr));
    }
    (out, result)
}

/// The case's call as JavaScript, its origins' placeholders filled in from `origins` (those not
/// given stay `{{origin.NAME}}`): the `before` calls, the call, its actions, and what it logs.
///
/// ```
/// let case: taro_conformance::spec::Case = serde_json::from_value(serde_json::json!({
///     "id": "a.b", "summary": "s", "contract": ["CALL-1"], "level": "required",
///     "call": {"url": "{{origin.api}}/x"}, "expect": {}
/// })).unwrap();
/// let js = taro_conformance::repro::call_js(&case, &Default::default());
/// assert!(js.starts_with("const task = Taro.request({\n  \"url\": \"{{origin.api}}/x\"\n})\n"), "{js}");
/// ```
pub fn call_js(case: &Case, origins: &BTreeMap<String, String>) -> String {
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default();
    let mut out = String::new();
    for before in &case.before {
        let _ = writeln!(
            out,
            "await Taro.request({}).catch(() => {{}})",
            pretty(&render(before, origins))
        );
    }
    let call = pretty(&render(&case.call, origins));
    let _ = writeln!(out, "const task = Taro.request({call})");
    for action in &case.actions {
        match action {
            Action::Abort { after_ms } => {
                let _ = writeln!(out, "setTimeout(() => task.abort(), {after_ms})");
            }
        }
    }
    let _ = writeln!(
        out,
        "task.then(res => console.log('resolved', res), err => console.log('rejected', err))"
    );
    out
}

/// The one command that runs one case on one adapter and prints all of the above.
///
/// ```
/// assert_eq!(
///     taro_conformance::repro::command("taro-rn", "method.get"),
///     "taro-conformance repro method.get --adapter taro-rn"
/// );
/// ```
pub fn command(adapter: &str, id: &str) -> String {
    format!("taro-conformance repro {id} --adapter {adapter}")
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
