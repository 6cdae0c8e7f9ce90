//! No panic is reachable from input: property tests feed the spec loader random mutations of the
//! real spec files, the protocol decoder random and mutated answer and `ready` lines, the
//! `--filter` parser random patterns, and the `.d.ts` reader of `dts` files made of its pieces.
//! Each input must be accepted or refused with a clean error.
//!
//! `cargo test` runs 1 000 inputs per target; the full run is
//!
//! ```sh
//! PROPERTY_CASES=100000 cargo test --release --test integration -- --nocapture --test-threads 1 properties:: neutralisers::
//! ```
//!
//! which prints, per target, how many inputs ran, how many were accepted and refused, and that
//! none panicked. A panic fails the test with the smallest input proptest can shrink it to.
// The figures printed are the test's own words (clippy.toml refuses print macros for the
// harness's output).
#![allow(clippy::disallowed_macros)]

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use taro_conformance::adapter::protocol::{read_answer, read_ready};
use taro_conformance::check::dts::TypeDefs;
use taro_conformance::spec::load_str;
use taro_conformance::spec::select::Selection;

/// How many inputs each target gets (`PROPERTY_CASES`, default 1 000).
fn cases() -> u32 {
    std::env::var("PROPERTY_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000)
}

/// Runs `target` on `cases()` inputs of `strategy`: each must return (accepted or refused)
/// without panicking. Prints the figures.
fn no_panic<S: Strategy>(name: &str, strategy: S, target: impl Fn(&S::Value) -> bool)
where
    S::Value: std::fmt::Debug,
{
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let (ran, accepted) = (Cell::new(0u64), Cell::new(0u64));
    let outcome = runner.run(&strategy, |input| {
        ran.set(ran.get() + 1);
        match catch_unwind(AssertUnwindSafe(|| target(&input))) {
            Ok(true) => accepted.set(accepted.get() + 1),
            Ok(false) => {}
            Err(_) => return Err(TestCaseError::fail("panicked")),
        }
        Ok(())
    });
    let (ran, accepted) = (ran.get(), accepted.get());
    if let Err(failure) = outcome {
        panic!("{name}: a panic after {ran} inputs: {failure}");
    }
    println!(
        "{name}: {ran} inputs, {accepted} accepted, {} refused with a clean error, 0 panics",
        ran - accepted
    );
}

/// Every spec file of the suite, as text.
fn spec_files() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml") && !p.ends_with("contract.yaml"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// One edit of a text.
#[derive(Debug, Clone)]
enum Edit {
    /// Delete this many characters at a position.
    Delete(usize, usize),
    /// Insert text at a position.
    Insert(usize, String),
    /// Replace a line.
    ReplaceLine(usize, String),
    /// Repeat a line.
    DuplicateLine(usize),
    /// Swap two lines.
    SwapLines(usize, usize),
}

/// Text a mutation inserts: YAML structure, numbers at and past every limit, placeholders,
/// matcher operators, and random characters.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\n  - ".to_string()),
        Just(": null".to_string()),
        Just(": []".to_string()),
        Just(": {}".to_string()),
        Just(": 1000000000000".to_string()),
        Just(": 18446744073709551615".to_string()),
        Just(": -1".to_string()),
        Just(": 1.5".to_string()),
        Just("{{origin.".to_string()),
        Just("{{origin.api}}".to_string()),
        Just("{ $regex: \"(\" }".to_string()),
        Just("{ $type: widget }".to_string()),
        Just("{ $anyOf: [] }".to_string()),
        Just("&a ".to_string()),
        Just("*a".to_string()),
        Just("---\n".to_string()),
        Just("\t".to_string()),
        Just("\u{ff}".to_string()),
        Just("status: 0".to_string()),
        Just("\"bad name\": v".to_string()),
        "[ -~\n]{0,24}",
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0..64usize).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), fragment()).prop_map(|(at, t)| Edit::Insert(at, t)),
        (any::<usize>(), fragment()).prop_map(|(at, t)| Edit::ReplaceLine(at, t)),
        any::<usize>().prop_map(Edit::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
    ]
}

/// Applies edits to a text, positions taken modulo its length (on character boundaries).
fn mutate(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_string();
    for edit in edits {
        let boundary = |text: &str, at: usize| {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        let line = |at: usize, lines: &Vec<String>| at % lines.len().max(1);
        match edit {
            Edit::Delete(at, n) => {
                let start = boundary(&text, *at);
                let end = boundary(&text, start + n).max(start);
                text.replace_range(start..end, "");
            }
            Edit::Insert(at, fragment) => {
                let at = boundary(&text, *at);
                text.insert_str(at, fragment);
            }
            Edit::ReplaceLine(at, fragment) if !lines.is_empty() => {
                let i = line(*at, &lines);
                lines[i] = fragment.clone();
                text = lines.join("\n");
            }
            Edit::DuplicateLine(at) if !lines.is_empty() => {
                let i = line(*at, &lines);
                lines.insert(i, lines[i].clone());
                text = lines.join("\n");
            }
            Edit::SwapLines(a, b) if !lines.is_empty() => {
                let (a, b) = (line(*a, &lines), line(*b, &lines));
                lines.swap(a, b);
                text = lines.join("\n");
            }
            _ => {}
        }
    }
    text
}

#[test]
fn the_spec_loader_never_panics_on_mutated_spec_files() {
    let files = spec_files();
    let count = files.len();
    let strategy = (0..count, prop::collection::vec(edit(), 1..5));
    no_panic("spec loader", strategy, |(i, edits)| {
        let text = mutate(&files[*i], edits);
        load_str(Path::new("mutated.yaml"), &text).is_ok()
    });
}

/// An answer line, a ready line, and fields of every JSON type to put in them.
fn protocol_line() -> impl Strategy<Value = Vec<u8>> {
    let json = prop_oneof![
        Just("null".to_string()),
        Just("1.5".to_string()),
        Just("-1".to_string()),
        Just("18446744073709551616".to_string()),
        Just("4611686018427387904".to_string()),
        Just("\"4\"".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("true".to_string()),
        "\"[ -~]{0,12}\"",
    ];
    let answer = (json.clone(), json.clone(), json.clone()).prop_map(|(seq, elapsed, value)| {
        format!(r#"{{"seq":{seq},"result":{{"settled":"resolved","value":{value},"callbacks":[],"elapsedMs":{elapsed}}}}}"#)
    });
    let ready = (json.clone(), json).prop_map(|(protocol, concurrency)| {
        format!(r#"{{"type":"ready","protocol":{protocol},"name":"n","version":"v","platform":"p","runtime":"r","capabilities":["core"],"concurrency":{concurrency}}}"#)
    });
    let flips = prop::collection::vec((any::<usize>(), any::<u8>()), 0..4);
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        (answer, flips.clone()).prop_map(|(line, flips)| flip(line, &flips)),
        (ready, flips).prop_map(|(line, flips)| flip(line, &flips)),
    ]
}

/// Overwrites bytes of a line.
fn flip(line: String, flips: &[(usize, u8)]) -> Vec<u8> {
    let mut bytes = line.into_bytes();
    for (at, byte) in flips {
        let at = at % bytes.len().max(1);
        if let Some(b) = bytes.get_mut(at) {
            *b = *byte;
        }
    }
    bytes
}

#[test]
fn the_protocol_decoder_never_panics_on_answer_and_ready_lines() {
    no_panic("protocol decoder", protocol_line(), |line| {
        let answer = matches!(read_answer(line), Ok(Some((_, Ok(_)))));
        let ready = read_ready(line).is_ok();
        answer || ready
    });
}

#[test]
fn the_filter_parser_never_panics_on_patterns() {
    let pattern = prop_oneof![
        "[a-z.*?{},\\[\\]!\\\\^-]{0,40}",
        (1..200usize).prop_map(|n| format!("*{}b{}", "{a,".repeat(n), "}".repeat(n))),
        (1..200usize).prop_map(|n| "[".repeat(n)),
    ];
    no_panic(
        "filter parser",
        (pattern, any::<bool>()),
        |(pattern, exact)| match Selection::new(std::slice::from_ref(pattern), *exact) {
            Ok(selection) => {
                let _ = selection.selects("method.get");
                true
            }
            Err(_) => false,
        },
    );
}

/// A `.d.ts` made of the pieces its reader looks at (blocks, comments, tags, declarations of the
/// interfaces it reads), any text, or blocks nested past the bound.
fn dts_text() -> impl Strategy<Value = String> {
    let piece = proptest::sample::select(
        &[
            "{",
            "}",
            "/**",
            "*/",
            "\n",
            " ",
            "interface TaroStatic ",
            "namespace request ",
            "interface Option ",
            "interface SuccessCallbackResult ",
            "interface RequestTask<T> ",
            "extends B ",
            "request<T = any>(option: any): RequestTask<T>\n",
            "url: string\n",
            "timeout?: number\n",
            "abort(): void\n",
            " * @supported weapp, alipay 支付宝: 10.1.70+, h5\n",
            " * @default 2000\n",
            "@supported",
            "// x\n",
            "\r",
            "é",
        ][..],
    );
    prop_oneof![
        4 => prop::collection::vec(piece, 0..200).prop_map(|p| p.concat()),
        1 => any::<String>(),
        1 => (1..5_000usize).prop_map(|n| format!("interface TaroStatic {{\n{}", "{".repeat(n))),
    ]
}

#[test]
fn the_dts_reader_never_panics_on_type_definitions() {
    no_panic("dts reader", dts_text(), |text| {
        TypeDefs::parse(text, Path::new("request.d.ts")).is_ok()
    });
}
