//! The integration tests, one module per subject, in one test binary: built and linked once
//! instead of once per file, and run by one harness, so `cargo test` runs tests of different
//! subjects side by side. `cargo test --test integration gate::` runs one subject's; the suite's
//! own cases are `tests/conformance.rs`, a binary of its own with a harness of its own.
//!
//! Tests of different modules now share a process: a test keeps what it writes in a temporary
//! folder of its own (or under `common::test_logs`), never in a fixed place another may read.

#[path = "../common/mod.rs"]
mod common;

mod adapter_naming;
mod adapters_cli;
mod architecture;
mod broken_reference;
mod chromium_isolation;
mod diff;
mod diff_applicability;
mod diff_informational;
mod dts;
mod encoders;
mod expect;
mod first_snapshots;
mod from_logs;
mod gate;
mod gate_workflow;
mod github;
mod grouped_causes;
mod harness;
mod help;
mod history;
mod history_html;
mod history_slices;
mod history_workflow;
mod hostile_output;
mod hostile_setup;
mod junit;
mod kit;
mod labelled_baseline;
mod late_actions;
mod links;
mod lint;
mod local_builds;
mod matrix_html;
mod misbehaving_adapters;
mod models;
mod native_cases;
mod neutralisers;
mod page_ports;
mod partition;
mod platforms;
mod properties;
mod repeat;
mod repo_root;
mod report;
mod robustness;
mod robustness_runs;
mod run_cli;
mod scaffold;
mod scheduling;
mod schemas;
mod several;
mod shared_causes;
mod smoke_traffic;
mod test_logs;
mod trial_changes;
mod trust_names;
mod verify;
mod verify_since;
mod versions;
