//! What an adapter says reaches every output as text to show, never as something to obey. A
//! hostile adapter (`tests/adapters/hostile.js`) puts workflow commands, escape sequences, a
//! forged heading and table row, links, tags and characters XML refuses in its version, its
//! runtime, a result's data, an errored message, a skip reason and its stderr. Run in GitHub
//! Actions with a job summary and JUnit, then reported, diffed, smoked and reproduced: every
//! line printed starts no workflow command but the annotations the harness means, no terminal
//! control is written raw, the Markdown keeps its headings and table rows, the JUnit file is
//! well-formed XML, and the HTML page links no `javascript:` reference.

use crate::common;

use std::path::{Path, PathBuf};

use common::{root, script_adapter};

const SPECS: &str = r#"
cases:
  - id: hostile.data
    summary: the data is ok
    contract: [METHOD-1]
    level: required
    call: { url: "http://127.0.0.1:9/" }
    expect:
      client: { settled: resolved, value: { data: ok } }
  - id: hostile.errored
    summary: an errored case
    contract: [METHOD-1]
    level: required
    call: { url: "http://127.0.0.1:9/" }
    expect: {}
  - id: hostile.skipped
    summary: a skipped case
    contract: [METHOD-1]
    level: required
    call: { url: "http://127.0.0.1:9/" }
    expect: {}
"#;

/// The hostile adapter's manifest and a suite of its three cases, in a scratch folder.
struct Scene {
    dir: tempfile::TempDir,
    manifest: PathBuf,
    specs: PathBuf,
}

impl Scene {
    fn new() -> Scene {
        let dir = tempfile::tempdir().unwrap();
        let specs = dir.path().join("specs");
        std::fs::create_dir_all(&specs).unwrap();
        std::fs::write(specs.join("h.yaml"), SPECS).unwrap();
        let manifest = script_adapter(
            &dir.path().join("adapter.toml"),
            "hostile",
            "hostile.js",
            "",
            "",
        );
        Scene {
            dir,
            manifest,
            specs,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// Runs the command in GitHub Actions (`GITHUB_ACTIONS=true`, the job summary in `summary`):
/// its exit code, stdout and stderr.
fn in_actions(args: &[&str], summary: &Path) -> (i32, String, String) {
    let out = common::binary()
        .args(args)
        .current_dir(root())
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", summary)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A control character, separator or bidirectional formatting character: what a terminal or a
/// log would act on.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Checks what a command printed: no control written raw (but line ends and tabs), and no line,
/// as GitHub's runner splits them (at `\n` and `\r`), that starts a workflow command (`::` after
/// white space, `##[` anywhere) unless it is one of the harness's annotations. Returns those.
fn annotations_in(what: &str, printed: &str) -> Vec<String> {
    for (at, c) in printed.char_indices() {
        let line_end = c == '\n' || (c == '\r' && printed[at + 1..].starts_with('\n'));
        assert!(
            !is_hidden(c) || line_end || c == '\t',
            "{what} wrote {c:?} raw:\n{printed}"
        );
    }
    let mut annotations = Vec::new();
    for line in printed.split(['\n', '\r']) {
        let trimmed = line.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        if line.starts_with("::error file=") && !line.contains("##[") {
            annotations.push(line.to_string());
        } else {
            assert!(
                !trimmed.starts_with("::") && !line.contains("##["),
                "{what} printed a workflow command: {line:?}"
            );
        }
    }
    annotations
}

/// How many cells a Markdown table row has, as GitHub splits it (at a `|` no backslash escapes).
fn cells(row: &str) -> usize {
    let chars: Vec<char> = row.trim().chars().collect();
    let pipes = (0..chars.len())
        .filter(|&i| chars[i] == '|' && (i == 0 || chars[i - 1] != '\\'))
        .count();
    pipes.saturating_sub(1)
}

/// Checks a Markdown page: every row of each table has its header's cells, no line is a
/// heading but `headings` allows, and no link to `javascript:` or HTML tag was made.
fn assert_markdown_intact(what: &str, page: &str, heading_allowed: impl Fn(&str) -> bool) {
    let mut columns: Option<usize> = None;
    for line in page.lines() {
        if line.starts_with('|') {
            let n = cells(line);
            let header = *columns.get_or_insert(n);
            assert_eq!(
                n, header,
                "{what}: a row of {n} cells, not {header}: {line}"
            );
        } else {
            columns = None;
        }
        if line.starts_with('#') {
            assert!(heading_allowed(line), "{what}: a heading {line:?}");
        }
        for bad in ["](javascript", "<javascript", "<script", "</script"] {
            let unescaped = line
                .match_indices(bad)
                .any(|(at, _)| !line[..at].ends_with('\\'));
            assert!(!unescaped, "{what}: {bad} in {line:?}");
        }
    }
}

/// Whether `xml` is well-formed enough for any parser: only XML `Char`s, one root element,
/// tags that nest and close, quoted attributes, and no `&` that is not an entity.
fn well_formed(xml: &str) -> Result<(), String> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
            || c >= '\u{10000}'
    };
    if let Some(c) = xml.chars().find(|c| !allowed(*c)) {
        return Err(format!("{c:?} is no XML character"));
    }
    let entities_ok = |text: &str| {
        text.split('&').skip(1).all(|rest| {
            let name = rest.split(';').next().unwrap_or_default();
            rest.contains(';')
                && (["amp", "lt", "gt", "quot", "apos"].contains(&name)
                    || name
                        .strip_prefix("#x")
                        .is_some_and(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_hexdigit()))
                    || name
                        .strip_prefix('#')
                        .is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_ascii_digit())))
        })
    };
    let mut rest = xml.trim_start();
    if let Some(prolog) = rest.strip_prefix("<?xml") {
        rest = &prolog[prolog.find("?>").ok_or("an open prolog")? + 2..];
    }
    let mut open: Vec<&str> = Vec::new();
    let mut roots = 0;
    while let Some(at) = rest.find('<') {
        let (text, tag) = rest.split_at(at);
        if !entities_ok(text) || (open.is_empty() && !text.trim().is_empty()) {
            return Err(format!("bad text {text:?}"));
        }
        // The tag ends at the first `>` outside a quoted attribute value.
        let mut quote = None;
        let end = tag
            .char_indices()
            .find(|&(_, c)| match (quote, c) {
                (None, '"' | '\'') => {
                    quote = Some(c);
                    false
                }
                (Some(q), _) if c == q => {
                    quote = None;
                    false
                }
                (None, '>') => true,
                _ => false,
            })
            .ok_or("a tag that does not end")?
            .0;
        let inner = &tag[1..end];
        rest = &tag[end + 1..];
        if let Some(name) = inner.strip_prefix('/') {
            if open.pop() != Some(name.trim()) {
                return Err(format!("</{name}> closes nothing open"));
            }
            continue;
        }
        let name = inner.split_whitespace().next().unwrap_or_default();
        let attributes = inner[name.len()..].trim_end_matches('/');
        if name.is_empty() || attributes.contains('<') || !entities_ok(attributes) {
            return Err(format!("a bad tag <{inner}>"));
        }
        if attributes.matches('"').count() % 2 != 0 {
            return Err(format!("an unquoted attribute in <{inner}>"));
        }
        if open.is_empty() {
            roots += 1;
        }
        if !inner.ends_with('/') {
            open.push(name);
        }
    }
    if !open.is_empty() || roots != 1 || !rest.trim().is_empty() {
        return Err(format!("unbalanced: {open:?} open, {roots} root(s)"));
    }
    Ok(())
}

#[test]
fn a_hostile_adapter_is_shown_not_obeyed_in_the_log_the_summary_and_junit() {
    let scene = Scene::new();
    let (summary, junit, log) = (
        scene.path("summary.md"),
        scene.path("j.xml"),
        scene.path("h.jsonl"),
    );
    let (code, stdout, stderr) = in_actions(
        &[
            "run",
            "--adapter",
            scene.manifest.to_str().unwrap(),
            "--specs",
            scene.specs.to_str().unwrap(),
            "--no-baseline",
            "--junit",
            junit.to_str().unwrap(),
            "--log",
            log.to_str().unwrap(),
        ],
        &summary,
    );
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(annotations_in("run's stderr", &stderr).is_empty());
    let annotations = annotations_in("run's stdout", &stdout);
    // Every finding keeps its annotation, on its case's line.
    for (id, line, status) in [
        ("hostile.data", 3, "fail"),
        ("hostile.errored", 10, "error"),
        ("hostile.skipped", 16, "skipped"),
    ] {
        let found: Vec<&String> = annotations
            .iter()
            .filter(|a| {
                a.contains(&format!("h.yaml,line={line},title="))
                    && a.contains(&format!("%3A {id}::unexpected {status}: {id} "))
            })
            .collect();
        assert_eq!(found.len(), 1, "{id}: {annotations:#?}");
    }
    assert_eq!(annotations.len(), 3, "{annotations:#?}");
    // The payload is shown, escaped where it would act.
    for shown in [
        "\\::stop-commands::t0k3n",
        "  \\::add-mask::secret",
        "a ##\\[error]legacy command",
        "\\u{1b}]8;;javascript:alert(1)\\u{7}",
        "chars\\u{d}carriage",
    ] {
        assert!(stdout.contains(shown), "{shown:?} not in:\n{stdout}");
    }
    assert!(
        stderr.contains("running 3 cases on `hostile` 1.0.0"),
        "{stderr}"
    );

    let summary = text(&summary);
    assert_markdown_intact("the job summary", &summary, |h| {
        h.starts_with("### `") && h.ends_with(": ❌ 3 finding(s)")
    });
    let rows = summary.lines().filter(|l| l.starts_with('|')).count();
    // The findings' table has two rows: the errored and the skipped case share their cause.
    assert_eq!(rows, 3 + 4, "two tables of 1 and 2 rows:\n{summary}");
    assert!(summary.contains("\\| a \\| b \\|"), "{summary}");

    let xml = text(&junit);
    if let Err(why) = well_formed(&xml) {
        panic!("the JUnit file is not well-formed: {why}\n{xml}");
    }
    assert!(
        xml.contains("\\u{fffe}") && xml.contains("\\u{ffff}"),
        "{xml}"
    );
}

#[test]
fn its_log_reported_diffed_smoked_and_reproduced_stays_text() {
    let scene = Scene::new();
    let (log, summary) = (scene.path("h.jsonl"), scene.path("summary.md"));
    let (specs, manifest) = (
        scene.specs.to_str().unwrap(),
        scene.manifest.to_str().unwrap(),
    );
    let hostile_log = log.to_str().unwrap();
    let run = &[
        "run",
        "--adapter",
        manifest,
        "--specs",
        specs,
        "--no-baseline",
    ];
    in_actions(&[&run[..], &["--log", hostile_log]].concat(), &summary);
    let reference = scene.path("reference.jsonl");
    let honest = &["run", "--specs", specs, "--no-baseline", "--log"];
    in_actions(
        &[&honest[..], &[reference.to_str().unwrap()]].concat(),
        &summary,
    );

    // The pages, with a doubt whose first reference is a script.
    let doubts = scene.path("doubts.yaml");
    std::fs::write(
        &doubts,
        "doubts:\n  - id: d\n    adapters: [hostile]\n    cases: [hostile.data]\n    docs: \"## docs\\n| x |\"\n    field: f\n    refs: [\"javascript:alert(1)\", \"https://example.com/r\"]\n",
    )
    .unwrap();
    let out = scene.path("pages");
    let report = &["report", "--specs", specs, "--html", "--log", hostile_log];
    let (code, stdout, stderr) = in_actions(
        &[
            &report[..],
            &[
                "--doubts",
                doubts.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ],
        ]
        .concat(),
        &summary,
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    annotations_in("report", &format!("{stdout}{stderr}"));
    assert!(
        stderr.contains("reference `javascript:alert(1)` is no https:// URL"),
        "{stderr}"
    );
    let fixed = |h: &str| !h.contains("gate passed") && !h.contains("docs");
    for page in ["matrix.md", "support.md", "support.zh-CN.md"] {
        assert_markdown_intact(page, &text(&out.join(page)), fixed);
    }
    assert!(text(&out.join("matrix.md")).contains("- reports: <https://example.com/r>\n"));
    let html = text(&out.join("matrix.html"));
    let data = taro_conformance::report::html::embedded_data(&html).unwrap();
    assert_eq!(data.doubts[0].refs, ["https://example.com/r"]);
    assert!(
        !html.contains("javascript:alert(1)\""),
        "a link to a script"
    );

    // The diff, printed and in the job summary.
    std::fs::write(&summary, "").unwrap();
    let reference = reference.to_str().unwrap();
    let (_, stdout, stderr) = in_actions(&["diff", reference, hostile_log], &summary);
    annotations_in("diff", &format!("{stdout}{stderr}"));
    let sections = [
        "## Broken",
        "## Failing differently",
        "## Fixed",
        "## New",
        "## Removed",
    ];
    let is_section = |h: &str| h.starts_with("# reference@") || sections.contains(&h);
    assert_markdown_intact("diff", &stdout, is_section);
    assert_markdown_intact("diff's job summary", &text(&summary), is_section);
    assert!(stdout.contains("## Failing differently"), "{stdout}");

    for args in [
        vec!["smoke", "--adapter", manifest],
        vec![
            "repro",
            "hostile.data",
            "--adapter",
            manifest,
            "--specs",
            specs,
        ],
    ] {
        let (_, stdout, stderr) = in_actions(&args, &summary);
        annotations_in(args[0], &format!("{stdout}{stderr}"));
        assert!(stdout.contains("\\::stop-commands::t0k3n"), "{stdout}");
    }
}

/// The check of well-formedness refuses what the probe found in a JUnit file.
#[test]
fn the_xml_check_refuses_what_parsers_refuse() {
    let good = "<?xml version=\"1.0\"?>\n<a x=\"1 &amp; 2\"><b/>t &lt; &#65;</a>";
    assert_eq!(well_formed(good), Ok(()));
    for bad in [
        "<a>bad \u{fffe} char</a>",
        "<a>log \u{ffff}</a>",
        "<a>\u{1b}</a>",
        "<a><b></a>",
        "<a>x & y</a>",
        "<a></a><b></b>",
    ] {
        assert!(well_formed(bad).is_err(), "{bad:?}");
    }
}
