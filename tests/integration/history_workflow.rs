//! The history's workflow (`.github/workflows/history.yml`): the harness is built once, the jobs
//! are those `history --plan` prints, each measures one slice with the commands
//! `tests/integration/history_slices.rs` checks locally and
//! uploads its records under a name the merge job downloads, every job has a timeout, and no
//! checkout keeps credentials (the commit step alone is given the token).

use serde_json::Value;

const WORKFLOW: &str = ".github/workflows/history.yml";

fn workflow() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(WORKFLOW);
    let text = std::fs::read_to_string(path).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{WORKFLOW}: {e}"))
}

fn steps(job: &Value) -> Vec<Value> {
    job["steps"].as_array().unwrap().clone()
}

fn runs(job: &Value) -> String {
    steps(job)
        .iter()
        .filter_map(|s| s["run"].as_str().map(String::from))
        .collect::<Vec<_>>()
        .join("\n")
}

fn with<'a>(job: &'a Value, action: &str) -> Vec<&'a Value> {
    job["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(action)))
        .map(|s| &s["with"])
        .collect()
}

#[test]
fn slices_are_measured_on_a_matrix_and_merged_by_one_job() {
    let workflow = workflow();
    let jobs = workflow["jobs"].as_object().unwrap();
    let names: Vec<&str> = jobs.keys().map(String::as_str).collect();
    assert_eq!(names, ["plan", "measure", "merge"]);
    for (name, job) in jobs {
        assert!(job["timeout-minutes"].is_u64(), "job {name}");
        for checkout in with(job, "actions/checkout@") {
            assert_eq!(checkout["persist-credentials"], false, "job {name}");
        }
        let builds = runs(job).contains("cargo build");
        assert_eq!(
            builds,
            name == "plan",
            "job {name}: the harness is built once"
        );
    }
    let measure = &jobs["measure"];
    let matrix = &measure["strategy"]["matrix"]["include"];
    assert!(
        matrix
            .as_str()
            .unwrap()
            .contains("needs.plan.outputs.matrix"),
        "{matrix}"
    );
    let run = runs(measure);
    for part in [
        "history \"${args[@]}\"",
        "--partition \"${{ matrix.slice }}\"",
        "--slice-dir \"slices/${{ matrix.name }}\"",
    ] {
        assert!(run.contains(part), "{part}: {run}");
    }
    let cache = with(measure, "actions/cache@");
    assert_eq!(cache[0]["path"], "~/.npm", "npm's cache is shared");
    let uploaded = with(measure, "actions/upload-artifact@")[0];
    assert_eq!(uploaded["path"], "slices/");
    assert!(uploaded["name"].as_str().unwrap().starts_with("history-"));
    let merge = &jobs["merge"];
    let downloads = with(merge, "actions/download-artifact@");
    let slices = downloads
        .iter()
        .find(|d| d["pattern"] == "history-*")
        .expect("the merge downloads every slice");
    assert_eq!(
        (&slices["path"], &slices["merge-multiple"]),
        (&"slices".into(), &true.into())
    );
    let run = runs(merge);
    assert!(
        run.contains("history --merge slices") && run.contains("history --check"),
        "{run}"
    );
    let plan = runs(&jobs["plan"]);
    assert!(plan.contains("args=(--plan \"$JOBS\""), "{plan}");
}
