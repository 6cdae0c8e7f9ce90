//! The addresses every page shares: where a case's cell lives in `matrix.html`, and the
//! command that reruns or reproduces a case.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// The page's file name, beside `matrix.md` and `matrix.json`.
pub const FILE: &str = "matrix.html";

/// Characters escaped in a `#COLUMN/CASE` fragment part (`/` too, which separates them).
const FRAGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'?');

/// The fragment that opens one cell: `#COLUMN/CASE`, each part percent-encoded where it must be.
///
/// ```
/// use taro_conformance::report::links::fragment;
/// assert_eq!(fragment("taro-rn", "data.body.post-json"), "#taro-rn/data.body.post-json");
/// assert_eq!(fragment("a@1 (node)", "x"), "#a@1%20(node)/x");
/// ```
pub fn fragment(column: &str, case: &str) -> String {
    format!(
        "#{}/{}",
        utf8_percent_encode(column, FRAGMENT),
        utf8_percent_encode(case, FRAGMENT)
    )
}

/// One more part of a fragment (`/` and the rest escaped as [`fragment`] escapes them).
///
/// ```
/// assert_eq!(taro_conformance::report::links::fragment_part("a/b c"), "a%2Fb%20c");
/// ```
pub fn fragment_part(part: &str) -> String {
    utf8_percent_encode(part, FRAGMENT).to_string()
}

/// Where `matrix.html` opens one case on one column (the fragment as [`fragment`]
/// writes it, which the page reads).
///
/// ```
/// assert_eq!(
///     taro_conformance::report::links::case_link("taro-rn", "data.arraybuffer"),
///     "matrix.html#taro-rn/data.arraybuffer"
/// );
/// ```
pub fn case_link(column: &str, case: &str) -> String {
    format!("{}{}", FILE, fragment(column, case))
}

/// The one command that runs one case again on one adapter.
///
/// ```
/// assert_eq!(
///     taro_conformance::report::links::rerun_command("taro-rn@3.6.40", "method.get"),
///     "cargo run -- run --adapter taro-rn@3.6.40 --exact --filter method.get"
/// );
/// ```
pub fn rerun_command(adapter: &str, id: &str) -> String {
    format!("cargo run -- run --adapter {adapter} --exact --filter {id}")
}

/// The one command that runs one case on one adapter and prints what `repro` prints: the call
/// as JavaScript, what reached the origins, what the client got, and the verdict.
///
/// ```
/// assert_eq!(
///     taro_conformance::report::links::repro_command("taro-rn", "method.get"),
///     "taro-conformance repro method.get --adapter taro-rn"
/// );
/// ```
pub fn repro_command(adapter: &str, id: &str) -> String {
    format!("taro-conformance repro {id} --adapter {adapter}")
}
