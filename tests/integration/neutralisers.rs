//! Each neutraliser of `report::sink` against arbitrary text: random strings, and strings made
//! of the pieces that break each place (workflow commands, escape sequences, Markdown's
//! structure, characters XML refuses, link schemes), in any order. Each property is the rule the
//! function keeps, checked by a reading of the output written here independently of it; text
//! that needs no neutralising must come back unchanged.
//!
//! `cargo test` runs 1 000 inputs per property; `PROPERTY_CASES=100000 cargo test --release
//! --test integration -- --nocapture --test-threads 1 neutralisers::` runs more, and prints per property how
//! many inputs ran, how many came back as they were and how many were neutralised (or, for link
//! targets, refused). A panic or a broken rule fails the test with the smallest input proptest
//! can shrink it to.
// The figures printed are the test's own words (clippy.toml refuses print macros for the
// harness's output).
#![allow(clippy::disallowed_macros)]

use std::cell::Cell;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use taro_conformance::report::sink::{
    link_target, md_cell, md_code, md_code_cell, md_link_target, md_text, no_workflow_commands,
    printed, shown_controls, xml_chars,
};

/// How many inputs each property gets (`PROPERTY_CASES`, default 1 000).
fn cases() -> u32 {
    std::env::var("PROPERTY_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000)
}

/// The payloads of each class the harness must neutralise, whole and in pieces.
const PIECES: &[&str] = &[
    "::stop-commands::x",
    "  ::add-mask::x",
    "::error file=a,line=1::x",
    "##[error]x",
    "##[",
    "::",
    ":",
    "#",
    "\u{1b}]8;;https://example.com\u{7}",
    "\u{1b}[2J",
    "\u{1b}",
    "\u{9b}",
    "\u{7}",
    "\r",
    "\n",
    "\r\n",
    "\t",
    " ",
    "\u{3000}",
    "\u{a0}",
    "\u{feff}",
    "\u{200b}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{202e}",
    "## ✅ gate passed",
    "| a | b |",
    "|",
    "[x](javascript:alert(1))",
    "![i](https://e.example/i.png)",
    "[x][r]",
    "[",
    "]",
    "(",
    ")",
    "<script>",
    "<https://e.example>",
    "<p>",
    "</b>",
    "<a href=x>",
    "<img src=y>",
    "<!--",
    "<a@b.c>",
    "<",
    ">",
    "`",
    "``",
    "\\",
    "*",
    "_",
    "&lt;",
    "\u{fffe}",
    "\u{ffff}",
    "\u{0}",
    "javascript:",
    "JavaScript:",
    "https://",
    "//",
    "?",
    "/",
    "x",
    "é",
];

/// Text made of random pieces and random characters, or a random string.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
        1 => "[a-z0-9 .-]{1,6}",
    ];
    prop_oneof![
        4 => proptest::collection::vec(piece, 0..24).prop_map(|p| p.concat()),
        1 => any::<String>(),
    ]
}

/// Runs `property` on `cases()` hostile inputs; it says whether the input came back as it was
/// (`Ok(true)`), was neutralised (`Ok(false)`), or broke the rule. Prints the figures.
fn check(name: &str, property: impl Fn(&str) -> Result<bool, String>) {
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let (ran, kept) = (Cell::new(0u64), Cell::new(0u64));
    let outcome = runner.run(&hostile(), |input| {
        ran.set(ran.get() + 1);
        let as_it_was =
            property(&input).map_err(|why| TestCaseError::fail(format!("{why}: {input:?}")))?;
        kept.set(kept.get() + u64::from(as_it_was));
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("{name}: {failure}");
    }
    let (ran, kept) = (ran.get(), kept.get());
    println!(
        "{name}: {ran} inputs, {kept} came back as they were, {} neutralised, 0 panics",
        ran - kept
    );
}

/// What a terminal or a log would act on rather than show.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// The lines GitHub's runner reads: split at `\n` and at `\r`.
fn runner_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', '\r'])
}

/// Whether the runner would read `line` as a workflow command: `::` after leading white space
/// (invisible characters counted too), or `##[` anywhere.
fn commands(line: &str) -> bool {
    let trimmed = line.trim_start_matches(|c: char| {
        c.is_whitespace() || is_hidden(c) || matches!(c, '\u{200b}'..='\u{200d}' | '\u{feff}')
    });
    trimmed.starts_with("::") || line.contains("##[")
}

#[test]
fn printed_text_obeys_no_control_and_starts_no_workflow_command() {
    check("printed", |input| {
        let out = printed(input);
        for (at, c) in out.char_indices() {
            let kept = c == '\n' || c == '\t' || (c == '\r' && out[at + 1..].starts_with('\n'));
            if is_hidden(c) && !kept {
                return Err(format!("{c:?} left raw in {out:?}"));
            }
        }
        if let Some(line) = runner_lines(&out).find(|l| commands(l)) {
            return Err(format!("a workflow command: {line:?}"));
        }
        // Alone, each half keeps its own rule.
        let defused = no_workflow_commands(input);
        if let Some(line) = runner_lines(&defused).find(|l| commands(l)) {
            return Err(format!("no_workflow_commands left {line:?}"));
        }
        if shown_controls(input).contains('\u{1b}') {
            return Err("shown_controls left an ESC".into());
        }
        let honest = !input
            .chars()
            .any(|c| is_hidden(c) && c != '\n' && c != '\t')
            && !runner_lines(input).any(commands);
        if honest && out != input {
            return Err(format!("honest text changed to {out:?}"));
        }
        Ok(out == input)
    });
}

/// The Markdown a reader sees outside code spans, with every backslash escape as a plain `e`:
/// what is left is where structure could be made.
fn outside_code_spans(markdown: &str) -> String {
    let chars: Vec<char> = markdown.chars().collect();
    let run_at = |i: usize| chars[i..].iter().take_while(|c| **c == '`').count();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && chars.get(i + 1).is_some_and(|n| n.is_ascii_punctuation()) {
            out.push('e');
            i += 2;
            continue;
        }
        if c != '`' {
            out.push(c);
            i += 1;
            continue;
        }
        let len = run_at(i);
        // A run opens a span if a later run of exactly its length closes it.
        let mut j = i + len;
        let mut close = None;
        while j < chars.len() {
            if chars[j] == '`' {
                let other = run_at(j);
                if other == len {
                    close = Some(j + other);
                    break;
                }
                j += other;
            } else {
                j += 1;
            }
        }
        match close {
            Some(end) => i = end,
            None => {
                out.extend(std::iter::repeat_n('`', len));
                i += len;
            }
        }
    }
    out
}

/// The tags inline Markdown may keep: they style text (or make a paragraph), and none links,
/// shows an image, makes a heading, a line break or a table, or hides what follows.
const STYLE_TAGS: &[&str] = &[
    "p", "b", "i", "em", "strong", "code", "span", "small", "sub", "sup", "s", "del", "ins", "kbd",
    "q",
];

/// Whether a `<` followed by `after` opens or closes one of [`STYLE_TAGS`].
fn opens_a_style_tag(after: &str) -> bool {
    let after = after.strip_prefix('/').unwrap_or(after);
    STYLE_TAGS.iter().any(|tag| {
        after
            .get(..tag.len())
            .is_some_and(|name| name.eq_ignore_ascii_case(tag))
            && after[tag.len()..].starts_with(['>', '/', ' '])
    })
}

/// What one line of inline Markdown must not hold: a line break, a raw control, and outside
/// code spans a `|`, a `<` but one opening a style tag, a backtick that would pair with one of
/// the page's, or `](`/`][`.
fn markdown_problem(out: &str) -> Option<String> {
    if let Some(c) = out.chars().find(|c| is_hidden(*c)) {
        return Some(format!("{c:?} in {out:?}"));
    }
    let outside = outside_code_spans(out);
    for bad in ["|", "`", "](", "]["] {
        if outside.contains(bad) {
            return Some(format!("{bad:?} outside code spans of {out:?}"));
        }
    }
    if let Some((at, _)) = outside
        .match_indices('<')
        .find(|(at, _)| !opens_a_style_tag(&outside[at + 1..]))
    {
        return Some(format!("a tag or autolink at {:?}", &outside[at..]));
    }
    None
}

/// In a GitHub table, a `|` splits the row unless a backslash is right before it.
fn splits_a_cell(out: &str) -> bool {
    let chars: Vec<char> = out.chars().collect();
    (0..chars.len()).any(|i| chars[i] == '|' && (i == 0 || chars[i - 1] != '\\'))
}

#[test]
fn markdown_text_makes_no_line_break_heading_link_tag_or_cell() {
    check("md_text", |input| {
        let out = md_text(input);
        if let Some(problem) = markdown_problem(&out) {
            return Err(problem);
        }
        let honest = !input
            .contains(|c: char| is_hidden(c) || matches!(c, '\t' | '\\' | '|' | '<' | ']' | '`'));
        if honest && out != input {
            return Err(format!("honest text changed to {out:?}"));
        }
        let cell = md_cell(input);
        if let Some(problem) = markdown_problem(&cell) {
            return Err(problem);
        }
        if splits_a_cell(&cell) {
            return Err(format!("a cell break in {cell:?}"));
        }
        Ok(out == input)
    });
}

#[test]
fn a_code_span_holds_all_of_its_text() {
    check("md_code", |input| {
        for out in [md_code(input), md_code_cell(input)] {
            if !out.starts_with('`') || !outside_code_spans(&out).is_empty() {
                return Err(format!("not one code span: {out:?}"));
            }
            if let Some(c) = out.chars().find(|c| is_hidden(*c)) {
                return Err(format!("{c:?} in {out:?}"));
            }
        }
        if splits_a_cell(&md_code_cell(input)) {
            return Err("a cell break".into());
        }
        Ok(md_code(input) == format!("`{input}`"))
    });
}

#[test]
fn xml_text_is_all_xml_characters() {
    check("xml_chars", |input| {
        let out = xml_chars(input);
        let char_production = |c: char| {
            matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
                || ('\u{10000}'..='\u{10ffff}').contains(&c)
        };
        if let Some(c) = out.chars().find(|c| !char_production(*c)) {
            return Err(format!("{c:?} is no XML Char"));
        }
        if input.chars().all(char_production) && out != input {
            return Err("text XML allows changed".into());
        }
        Ok(out == input)
    });
}

/// Where a browser on `https://example.com/reports/matrix.html` goes for a link to `target`
/// (the `url` crate follows the WHATWG URL standard browsers do), if anywhere.
fn followed(target: &str) -> Option<url::Url> {
    url::Url::parse("https://example.com/reports/matrix.html")
        .unwrap()
        .join(target)
        .ok()
}

#[test]
fn a_link_target_is_https_in_page_or_relative() {
    const SCHEMES: &[&str] = &[
        "",
        "https://",
        "javascript:",
        "JaVaScRiPt:",
        "data:",
        "http://",
        "//",
        "#",
    ];
    let strategy = (proptest::sample::select(SCHEMES), hostile())
        .prop_map(|(scheme, rest)| format!("{scheme}{rest}"));
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    });
    let (ran, linked) = (Cell::new(0u64), Cell::new(0u64));
    let outcome = runner.run(&strategy, |input| {
        ran.set(ran.get() + 1);
        if let Some(target) = link_target(&input) {
            linked.set(linked.get() + 1);
            let same_site = input.starts_with('#') || !input.contains(':');
            match followed(target) {
                Some(url) if same_site && url.host_str() != Some("example.com") => {
                    return Err(TestCaseError::fail(format!("{input:?} leaves the site")));
                }
                Some(url) if url.scheme() != "https" => {
                    return Err(TestCaseError::fail(format!("{input:?} goes to {url}")));
                }
                // An https URL; or a target no URL parser reads, which goes nowhere.
                _ => {}
            }
        }
        if let Some(target) = md_link_target(&input)
            && target.contains(|c: char| "()<>|".contains(c) || c.is_whitespace())
        {
            return Err(TestCaseError::fail(format!("{target:?} ends its link")));
        }
        Ok(())
    });
    if let Err(failure) = outcome {
        panic!("link_target: {failure}");
    }
    let (ran, linked) = (ran.get(), linked.get());
    println!(
        "link_target: {ran} inputs, {linked} kept as links, {} refused, 0 panics",
        ran - linked
    );
}

/// Each payload of the probe, through the function for each place, as a reader would find it.
#[test]
fn the_probes_payloads_are_shown_not_obeyed() {
    let payloads = [
        "::stop-commands::t0k3n",
        "  ::add-mask::1.0.0",
        "##[error]x",
        "\u{1b}]8;;https://e.example\u{7}x\u{1b}]8;;\u{7}",
        "\u{1b}[2J",
        "## ✅ gate passed",
        "| a | b |",
        "[x](javascript:alert(1))",
        "<script>",
        "\u{fffe}\u{ffff}",
        "a\rb",
    ];
    for payload in payloads {
        let text = format!("1.0.0\n{payload}");
        let out = printed(&text);
        assert!(!runner_lines(&out).any(commands), "{out:?}");
        assert!(!out.contains('\u{1b}') && !out.contains("a\rb"), "{out:?}");
        assert_eq!(markdown_problem(&md_cell(&text)), None);
        assert!(!splits_a_cell(&md_cell(&text)));
        assert!(!xml_chars(&text).contains(['\u{fffe}', '\u{ffff}']));
    }
    assert_eq!(link_target("javascript:alert(1)"), None);
}
