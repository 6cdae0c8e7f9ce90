//! The neutralisers: one function for each place the harness writes text that an adapter, a
//! package, a run log or a spec can influence, so that the text is shown there and never obeyed.
//!
//! | where it is written | function | what it keeps |
//! |---|---|---|
//! | a terminal, a CI log (everything the command line prints) | [`printed`] | no control character or escape sequence is written raw ([`shown_controls`]) and no line starts a GitHub workflow command ([`no_workflow_commands`]) |
//! | inline Markdown (pages, job summaries) | [`md_text`], [`md_cell`] | no line break, heading, link, image, HTML tag or (in a table) cell break |
//! | a Markdown code span | [`md_code`], [`md_code_cell`] | the span cannot be closed early |
//! | an XML document (JUnit) | [`xml_chars`] | every character is one XML 1.0 allows |
//! | a link's target (the HTML page) | [`link_target`] | only `https:`, in-page (`#…`) and relative targets |
//! | a Markdown link's target | [`md_link_target`] | the same, and nothing in it ends the link or its table cell |
//!
//! Text that needs none of this passes unchanged, byte for byte.
//!
//! ```
//! use taro_conformance::report::sink::{md_cell, printed};
//! assert_eq!(printed("got \"ok\"\n  ::add-mask::x"), "got \"ok\"\n  \\::add-mask::x");
//! assert_eq!(printed("\u{1b}[2J"), "\\u{1b}[2J");
//! assert_eq!(md_cell("a | b\n## c"), "a \\| b ## c");
//! ```

use std::borrow::Cow;

/// A character shown escaped (`\u{1b}`) rather than written: a control character (C0, DEL,
/// C1), a line or paragraph separator, or a bidirectional formatting character (which reorders
/// what a reader sees).
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// Whether `c` ends a line for a reader of the text: GitHub's runner splits its log at `\r`
/// as well as `\n`.
fn ends_line(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Whether `c` may come before a workflow command's `::` on its line: the runner trims leading
/// white space; invisible characters are counted too, in case a reader trims more.
fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || is_hidden(c)
        || matches!(c, '\u{180e}' | '\u{200b}'..='\u{200d}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
}

/// Text for a terminal or a CI log: [`shown_controls`], then [`no_workflow_commands`].
pub fn printed(text: &str) -> Cow<'_, str> {
    match shown_controls(text) {
        Cow::Borrowed(text) => no_workflow_commands(text),
        Cow::Owned(text) => Cow::Owned(no_workflow_commands(&text).into_owned()),
    }
}

/// Every control character (ESC, CSI, BEL, `\r` not before `\n`, …), line separator and
/// bidirectional formatting character as its escape (`\u{1b}`), so a terminal shows it and
/// obeys none of it. `\n` and `\t` are kept: a block of lines stays one.
pub fn shown_controls(text: &str) -> Cow<'_, str> {
    let hidden = |(at, c): (usize, char)| {
        is_hidden(c) && c != '\n' && c != '\t' && !(c == '\r' && text[at + 1..].starts_with('\n'))
    };
    if !text.char_indices().any(hidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for (at, c) in text.char_indices() {
        if hidden((at, c)) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text in which no line starts a GitHub Actions workflow command: a `::` that only blank
/// characters precede on its line becomes `\::`, and `##[` (which the runner's older parser
/// finds anywhere in a line) becomes `##\[`. The harness's own annotations are printed apart.
pub fn no_workflow_commands(text: &str) -> Cow<'_, str> {
    let mut starts = Vec::new();
    let mut line_start = true;
    for (at, c) in text.char_indices() {
        if ends_line(c) {
            line_start = true;
        } else if line_start && text[at..].starts_with("::") {
            starts.push(at);
            line_start = false;
        } else if !is_blank(c) {
            line_start = false;
        }
    }
    if starts.is_empty() && !text.contains("##[") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 2 * starts.len() + 8);
    let mut from = 0;
    for at in starts {
        out.push_str(&text[from..at]);
        out.push('\\');
        from = at;
    }
    out.push_str(&text[from..]);
    Cow::Owned(out.replace("##[", "##\\["))
}

/// Text inline in Markdown, on a line after other text (a list item's, a heading's, a
/// paragraph's): one line (line breaks and tabs become spaces, controls are escaped), with no
/// autolink and no HTML tag but those that only style text (`<` is escaped), no link or image
/// (`](` and `][` are broken), no unmatched backtick (which would pair with one of the page's
/// own code spans), and every backslash that could escape something doubled, so none undoes an
/// escape. `|` is escaped too, so the text may also stand in a table cell; a code span the
/// text holds is kept as it is (see [`md_cell`]). Safe where what follows it is a space, `|`
/// or the end of the line.
pub fn md_text(text: &str) -> Cow<'_, str> {
    markdown(text, false)
}

/// [`md_text`] for a table cell: a `|` inside the text's own code spans is escaped as well
/// (GitHub's tables split rows before they read code spans, and show `\|` there as `|`).
pub fn md_cell(text: &str) -> Cow<'_, str> {
    markdown(text, true)
}

/// A Markdown code span showing `text` (on one line, controls escaped): its fence is longer
/// than any run of backticks in the text, so nothing in it can close the span early.
pub fn md_code(text: &str) -> String {
    code_span(text, false)
}

/// [`md_code`] for a table cell: `|` is escaped as well.
pub fn md_code_cell(text: &str) -> String {
    code_span(text, true)
}

/// `text` on one line, its controls escaped: what every Markdown context starts from.
fn one_line(text: &str) -> Cow<'_, str> {
    let flat = if text.contains(|c: char| ends_line(c) || c == '\t') {
        Cow::Owned(
            text.chars()
                .map(|c| if ends_line(c) || c == '\t' { ' ' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    };
    match flat {
        Cow::Borrowed(flat) => shown_controls(flat),
        Cow::Owned(flat) => Cow::Owned(shown_controls(&flat).into_owned()),
    }
}

fn code_span(text: &str, cell: bool) -> String {
    let mut content = one_line(text).into_owned();
    if cell {
        content = content.replace('|', "\\|");
    }
    let longest = backtick_runs(&content)
        .iter()
        .map(|r| r.1)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if content.starts_with('`') || content.ends_with('`') || content.is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{content}{pad}{fence}")
}

/// The runs of backticks in `text`: where each starts, and how long it is.
fn backtick_runs(text: &str) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (at, c) in text.char_indices() {
        if c != '`' {
            continue;
        }
        match runs.last_mut() {
            Some((start, len)) if *start + *len == at => *len += 1,
            _ => runs.push((at, 1)),
        }
    }
    runs
}

fn markdown(text: &str, cell: bool) -> Cow<'_, str> {
    let needs =
        |c: char| ends_line(c) || is_hidden(c) || matches!(c, '\t' | '\\' | '|' | '<' | ']' | '`');
    if !text.contains(needs) {
        return Cow::Borrowed(text);
    }
    let line = one_line(text);
    let runs = backtick_runs(&line);
    let mut out = String::with_capacity(line.len() + 16);
    let mut from = 0;
    let mut k = 0;
    while k < runs.len() {
        let (start, len) = runs[k];
        out.push_str(&outside_code(&line[from..start]));
        // A run opens a code span only if a later run of the same length closes it.
        match runs[k + 1..].iter().position(|r| r.1 == len) {
            Some(offset) => {
                let (end, _) = runs[k + 1 + offset];
                let span = &line[start..end + len];
                if cell {
                    out.push_str(&span.replace('|', "\\|"));
                } else {
                    out.push_str(span);
                }
                from = end + len;
                k += offset + 2;
            }
            None => {
                out.push_str(&"\\`".repeat(len));
                from = start + len;
                k += 1;
            }
        }
    }
    out.push_str(&outside_code(&line[from..]));
    if out == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(out)
    }
}

/// Escapes Markdown outside code spans (this text ends where a backtick run starts, or at the
/// end): `|`, `<` (unless it opens a tag that only styles text), a `(` or `[` right after `]`,
/// and a backslash wherever it could escape something (before ASCII punctuation, at the end).
fn outside_code(text: &str) -> Cow<'_, str> {
    if !text.contains(['\\', '|', '<', ']']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut after_bracket = false;
    for (at, c) in text.char_indices() {
        let escapes = |next: Option<char>| next.is_none_or(|n| n.is_ascii_punctuation());
        match c {
            '|' => out.push('\\'),
            '\\' if escapes(text[at + 1..].chars().next()) => out.push('\\'),
            '<' if !styles_text(&text[at + 1..]) => out.push('\\'),
            '(' | '[' if after_bracket => out.push('\\'),
            _ => {}
        }
        out.push(c);
        after_bracket = c == ']';
    }
    Cow::Owned(out)
}

/// Whether the text after a `<` makes it a tag (`<p>`, `</b>`, `<span class=x>`) that only
/// styles text or makes a paragraph: none links, shows an image, makes a heading, a line break
/// or a table, or hides what follows. (Such tags appear in honest values, an HTML body say.)
/// Every other `<` (a tag, a comment, an autolink, `<x@y>`) is escaped.
fn styles_text(after: &str) -> bool {
    const STYLES: &[&str] = &[
        "p", "b", "i", "em", "strong", "code", "span", "small", "sub", "sup", "s", "del", "ins",
        "kbd", "q",
    ];
    let rest = after.strip_prefix('/').unwrap_or(after);
    let name_end = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    let ends = rest[name_end..].starts_with(['>', '/', ' ']);
    ends && STYLES.contains(&rest[..name_end].to_ascii_lowercase().as_str())
}

/// Text for an XML document: every character outside XML 1.0's `Char` production (C0 controls
/// but tab, line feed and carriage return; U+FFFE; U+FFFF) as its escape (`\u{fffe}`).
pub fn xml_chars(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
            || c >= '\u{10000}'
    };
    if text.chars().all(allowed) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if allowed(c) {
            out.push(c);
        } else {
            out.extend(c.escape_unicode());
        }
    }
    Cow::Owned(out)
}

/// `url`, when a page may link to it: an `https:` URL, an in-page fragment (`#…`) or a relative
/// reference (no scheme, not `//host`); no white space, control or backslash anywhere, as
/// browsers drop or reinterpret those (`java\tscript:`). Anything else (`javascript:`,
/// `data:`, `http:`) is no link.
///
/// ```
/// use taro_conformance::report::sink::link_target;
/// assert_eq!(link_target("https://github.com/NervJS/taro/issues/1"), Some("https://github.com/NervJS/taro/issues/1"));
/// assert_eq!(link_target("#taro-rn/method.get"), Some("#taro-rn/method.get"));
/// assert_eq!(link_target("matrix.html#a"), Some("matrix.html#a"));
/// assert_eq!(link_target("javascript:alert(1)"), None);
/// assert_eq!(link_target(" JavaScript:alert(1)"), None);
/// ```
pub fn link_target(url: &str) -> Option<&str> {
    let clean = !url.is_empty()
        && !url
            .chars()
            .any(|c| c.is_whitespace() || is_blank(c) || c == '\\');
    if !clean {
        return None;
    }
    if url.starts_with('#')
        || url
            .get(..8)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
    {
        return Some(url);
    }
    let head = url.split(['/', '?', '#']).next().unwrap_or_default();
    (!url.starts_with("//") && !head.contains(':')).then_some(url)
}

/// [`link_target`] for a Markdown link's destination (`[text](HERE)`, `<HERE>`): with the
/// characters that would end it early or split a table cell (`(`, `)`, `<`, `>`, `|`)
/// percent-encoded.
///
/// ```
/// use taro_conformance::report::sink::md_link_target;
/// assert_eq!(md_link_target("#a@1%20(x))[y](javascript:z)").unwrap(), "#a@1%20%28x%29%29[y]%28javascript:z%29");
/// assert_eq!(md_link_target("javascript:z"), None);
/// ```
pub fn md_link_target(url: &str) -> Option<Cow<'_, str>> {
    let url = link_target(url)?;
    if !url.contains(['(', ')', '<', '>', '|']) {
        return Some(Cow::Borrowed(url));
    }
    let mut out = String::with_capacity(url.len() + 8);
    for c in url.chars() {
        match c {
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '|' => out.push_str("%7C"),
            _ => out.push(c),
        }
    }
    Some(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_text_shows_controls_and_starts_no_workflow_command() {
        assert_eq!(printed("plain: a::b ## [x]"), "plain: a::b ## [x]");
        assert_eq!(printed("\u{1b}]8;;x\u{7}"), "\\u{1b}]8;;x\\u{7}");
        assert_eq!(printed("a\r\nb\tc\rd"), "a\r\nb\tc\\u{d}d");
        assert_eq!(printed("::error::x"), "\\::error::x");
        assert_eq!(printed("a\n \t\u{3000}::x"), "a\n \t\u{3000}\\::x");
        assert_eq!(printed("a\u{2028}::x"), "a\\u{2028}::x");
        assert_eq!(no_workflow_commands("a\r::x"), "a\r\\::x");
        assert_eq!(printed("got \"##[error]x\""), "got \"##\\[error]x\"");
        assert_eq!(printed("###[x"), "###\\[x");
    }

    #[test]
    fn markdown_text_breaks_no_line_link_tag_or_cell() {
        assert_eq!(
            md_text("taro-rn 4.2.0 (node 20)"),
            "taro-rn 4.2.0 (node 20)"
        );
        assert_eq!(md_text("a\n## b\r\n| c |"), "a ## b  \\| c \\|");
        assert_eq!(
            md_text("[x](javascript:alert(1)) ![i][r]"),
            "[x]\\(javascript:alert(1)) ![i]\\[r]"
        );
        assert_eq!(md_text("<script>"), "\\<script>");
        assert_eq!(
            md_text("<a href=x><img src=y></a>"),
            "\\<a href=x>\\<img src=y>\\</a>"
        );
        assert_eq!(
            md_text("<!-- x --><https://e.example><a@b.c>"),
            "\\<!-- x -->\\<https://e.example>\\<a@b.c>"
        );
        assert_eq!(
            md_text("\"<p>hello</p>\" <b class=x>"),
            "\"<p>hello</p>\" <b class=x>"
        );
        assert_eq!(
            md_text("<p@x.y> <br> <h1> 1 < 2"),
            "\\<p@x.y> \\<br> \\<h1> 1 \\< 2"
        );
        assert_eq!(md_text("\\[x](y)"), "\\\\[x]\\(y)");
        assert_eq!(md_text("`a|b` and `c"), "`a|b` and \\`c");
        assert_eq!(md_cell("`a|b`"), "`a\\|b`");
        assert_eq!(md_text("``x`` `y"), "``x`` \\`y");
        assert_eq!(
            md_text("expected \"ok\" [METHOD-1]"),
            "expected \"ok\" [METHOD-1]"
        );
        // A backslash before punctuation or at the end is doubled; before a letter it escapes
        // nothing and stays.
        assert_eq!(
            md_text(r#"got "{\"a\":1}\n" \"#),
            r#"got "{\\"a\\":1}\n" \\"#
        );
    }

    #[test]
    fn a_code_span_cannot_be_closed_early() {
        assert_eq!(md_code("taro-rn"), "`taro-rn`");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`a``"), "``` `a`` ```");
        assert_eq!(md_code("a\nb"), "`a b`");
        assert_eq!(md_code_cell("a|b"), "`a\\|b`");
        assert_eq!(md_code(""), "`  `");
    }

    #[test]
    fn xml_text_has_only_xml_characters() {
        assert_eq!(xml_chars("a\tb\nc\r\u{fffd}"), "a\tb\nc\r\u{fffd}");
        assert_eq!(
            xml_chars("\u{fffe}\u{ffff}\u{1b}"),
            "\\u{fffe}\\u{ffff}\\u{1b}"
        );
    }

    #[test]
    fn only_https_in_page_and_relative_targets_are_links() {
        for good in [
            "https://x.y/z",
            "HTTPS://x.y",
            "#a/b",
            "matrix.html#x",
            "../docs/a.md",
            "a?b:c",
        ] {
            assert_eq!(link_target(good), Some(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "JAVASCRIPT:x",
            "java\tscript:x",
            " https://x.y",
            "http://x.y",
            "data:text/html,x",
            "//evil.example",
            "\\\\evil.example",
            "vbscript:x",
            "",
        ] {
            assert_eq!(link_target(bad), None, "{bad:?}");
        }
    }
}
