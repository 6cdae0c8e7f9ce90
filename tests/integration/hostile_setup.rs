//! A setup's output (npm's, the install scripts' of the packages it installs, the build's) is
//! printed as every line the harness prints is: live, a line at a time, on the stream it came
//! on, but shown, not obeyed. A setup command and a version's setup print workflow commands,
//! escape sequences, a lone carriage return and bidirectional controls on both streams; no line
//! printed starts a workflow command and no control is written raw.

use crate::common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;

/// What the hostile setup prints, on stdout then stderr, the last line without its newline.
const HOSTILE: &str = r#"printf '::stop-commands::t0k3n\n'
printf '  ::add-mask::secret\n' >&2
printf 'npm notice ##[error]forged\n'
printf '\033[2J\033]8;;https://e.example\007link\033]8;;\007\n'
printf 'progress\rover ::warning::x\n' >&2
printf '\342\200\256::notice::bidi\n'
printf '\342\200\213::debug::zero-width\n' >&2
printf '::error file=a,line=1::forged'
"#;

/// A control, separator or bidirectional formatting character: what a terminal or a log would
/// act on rather than show.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Checks a stream as GitHub's runner reads it (lines split at `\n` and `\r`; `::` after white
/// or invisible space, or `##[` anywhere, is a command), and as a terminal would.
fn assert_shown_not_obeyed(what: &str, printed: &str) {
    for c in printed.chars() {
        assert!(
            !is_hidden(c) || c == '\n' || c == '\t',
            "{what} wrote {c:?} raw:\n{printed}"
        );
    }
    for line in printed.split(['\n', '\r']) {
        let trimmed = line.trim_start_matches(|c: char| {
            c.is_whitespace() || is_hidden(c) || matches!(c, '\u{200b}'..='\u{200d}' | '\u{feff}')
        });
        assert!(
            !trimmed.starts_with("::") && !line.contains("##["),
            "{what} printed a workflow command: {line:?}\n{printed}"
        );
    }
}

fn setup(args: &[&str]) -> (i32, String, String) {
    let out = common::binary()
        .arg("setup")
        .args(args)
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// An adapter in `dir` whose setup and version setup run `script`.
fn adapter(dir: &Path, script: &str) -> String {
    std::fs::write(dir.join("setup.sh"), script).unwrap();
    let manifest = dir.join("adapter.toml");
    common::script_adapter(
        &manifest,
        "hostile-setup",
        "misbehave.js",
        "null",
        "setup = \"sh setup.sh\"\nsetup_version = \"sh setup.sh\"\nready_version = []\n",
    );
    manifest.to_str().unwrap().to_string()
}

#[test]
fn a_setups_output_on_either_stream_is_shown_not_obeyed() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = adapter(dir.path(), HOSTILE);
    for args in [
        vec![manifest.as_str()],
        vec![manifest.as_str(), "--taro", "1.0.0"],
    ] {
        let (code, out, err) = setup(&args);
        assert_eq!(code, 0, "{args:?}\n{out}\n{err}");
        assert_shown_not_obeyed("stdout", &out);
        assert_shown_not_obeyed("stderr", &err);
        // Every line is there, as text, on the stream it came on.
        for said in [
            "stop-commands::t0k3n",
            "forged",
            "link",
            "bidi",
            "file=a,line=1",
        ] {
            assert!(out.contains(said), "{said}\n{out}");
        }
        for said in ["add-mask::secret", "over ::warning::x", "zero-width"] {
            assert!(err.contains(said), "{said}\n{err}");
        }
        assert!(out.contains("is set up"), "{out}");
    }
}

#[test]
fn a_setups_output_is_printed_as_it_comes() {
    let dir = tempfile::tempdir().unwrap();
    // The setup waits (up to 20 s) for the test to have read its first line.
    let manifest = adapter(
        dir.path(),
        "echo first\ni=0\nwhile [ ! -e go ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done\n\
         [ -e go ] && echo 'waited: yes' || echo 'waited: no'\n",
    );
    let mut child = common::binary()
        .args(["setup", &manifest])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let before: Vec<String> = lines
        .by_ref()
        .map(Result::unwrap)
        .take_while(|line| line != "first")
        .collect();
    std::fs::write(dir.path().join("go"), "").unwrap();
    let after: Vec<String> = lines.map(Result::unwrap).collect();
    assert!(child.wait().unwrap().success());
    assert!(
        after.first().is_some_and(|l| l == "waited: yes"),
        "{before:?} {after:?}"
    );
}
