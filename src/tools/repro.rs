//! Repro: one case, run once, with everything needed to reproduce it by hand — the call as
//! JavaScript, the stubs, what each origin received, what the caller got (and what the layer
//! passed the native API, where the adapter reports it), what did not hold.

use std::fmt::Write;

use serde_json::Value;

use crate::adapter::Adapter;
use crate::outcome::CaseResult;
use crate::run::cases::{RunOptions, run_case};
use crate::spec::{LoadedCase, call_js, render};

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
        // What the layer passed the native API gets a section of its own, after the caller's.
        let mut client = observation.client.clone();
        let native = client.native.take();
        let _ = writeln!(out, "\n== what the caller got");
        let _ = writeln!(
            out,
            "{}",
            pretty(&serde_json::to_value(&client).unwrap_or_default())
        );
        if let Some(native) = &native {
            let _ = writeln!(
                out,
                "\n== what Taro's layer passed the native request API (before the model made it \
                 HTTP)\n{}",
                pretty(native.as_ref())
            );
        }
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

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}
