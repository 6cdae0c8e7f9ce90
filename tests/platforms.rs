//! Platforms are data (`adapters/platforms.toml`): `adapters --names` lists every adapter in the
//! matrix's order, which is what CI runs and the committed matrix shows.

mod common;

use common::cli;

#[test]
fn adapters_names_lists_every_adapter_in_the_committed_matrix_order() {
    let (code, out) = cli(&["adapters", "--names"]);
    assert_eq!(code, 0, "{out}");
    let names: Vec<&str> = out.lines().collect();
    let matrix: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("reports/matrix.json")).unwrap(),
    )
    .unwrap();
    let columns: Vec<&str> = matrix["adapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, columns);
}
