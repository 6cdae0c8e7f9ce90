//! Every relative link in README.md, CONTRIBUTING.md and the book (`docs/**/*.md`) resolves: the
//! file or directory exists, and a `#anchor` names a heading of the target Markdown file (its
//! slug, as GitHub and mdBook make it) or an explicit `<a id=…>`/`<a name=…>` there. Links with a
//! scheme (`https:`, `mailto:`) and anything inside code blocks or inline code are not checked;
//! neither is the anchor of a link to a file that is not Markdown.

use std::collections::{BTreeSet, HashMap};
use std::path::{Component, Path, PathBuf};

/// The files whose links are checked, relative to the repository.
fn documents(root: &Path) -> Vec<PathBuf> {
    fn markdown_under(dir: &Path, found: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                // mdBook's output, when the book has been built.
                if path.file_name().is_some_and(|name| name != "book") {
                    markdown_under(&path, found);
                }
            } else if path.extension().is_some_and(|ext| ext == "md") {
                found.push(path);
            }
        }
    }
    let mut files = vec![root.join("README.md"), root.join("CONTRIBUTING.md")];
    markdown_under(&root.join("docs"), &mut files);
    files
}

/// A Markdown file's lines outside fenced code blocks, each with its line number, and with inline
/// code spans blanked out.
fn prose_lines(text: &str) -> Vec<(usize, String)> {
    let mut fence: Option<String> = None;
    let mut lines = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|c| *c == '`' || *c == '~')
            .collect();
        let is_fence =
            marker.len() >= 3 && marker.chars().all(|c| c == marker.chars().next().unwrap());
        match &fence {
            Some(open) => {
                if is_fence
                    && marker.starts_with(open.as_str())
                    && trimmed[marker.len()..].trim().is_empty()
                {
                    fence = None;
                }
            }
            None if is_fence => fence = Some(marker),
            None => lines.push((index + 1, without_code_spans(line))),
        }
    }
    lines
}

/// `line` with every inline code span (a run of backticks up to the same run) replaced by spaces.
fn without_code_spans(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '`' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let run = chars[i..].iter().take_while(|c| **c == '`').count();
        let closing = (i + run..chars.len()).find(|&j| {
            chars[j..].iter().take_while(|c| **c == '`').count() == run
                && (j == 0 || chars[j - 1] != '`')
        });
        match closing {
            Some(j) => {
                out.extend(std::iter::repeat_n(' ', j + run - i));
                i = j + run;
            }
            None => {
                out.extend(&chars[i..i + run]);
                i += run;
            }
        }
    }
    out
}

/// The link targets of one line: inline links and images (`[text](target "title")`), reference
/// definitions (`[label]: target`) and HTML `href`s.
fn targets(line: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = line;
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        let (target, used) = if let Some(inner) = after.strip_prefix('<') {
            match inner.find('>') {
                Some(end) => (inner[..end].to_string(), end + 2),
                None => (String::new(), 1),
            }
        } else {
            // Up to the parenthesis that closes the link (a target may hold balanced ones).
            let mut depth = 0usize;
            let end = after
                .char_indices()
                .find(|&(_, c)| match c {
                    '(' => {
                        depth += 1;
                        false
                    }
                    ')' if depth == 0 => true,
                    ')' => {
                        depth -= 1;
                        false
                    }
                    _ => false,
                })
                .map_or(after.len(), |(i, _)| i);
            let inside = after[..end].trim();
            (
                inside.split_whitespace().next().unwrap_or("").to_string(),
                end,
            )
        };
        if !target.is_empty() {
            found.push(target);
        }
        rest = &after[used.min(after.len())..];
    }
    let trimmed = line.trim_start();
    if trimmed.starts_with('[')
        && let Some(close) = trimmed.find("]:")
        && !trimmed[1..close].contains(']')
        && let Some(target) = trimmed[close + 2..].split_whitespace().next()
    {
        found.push(target.trim_matches(['<', '>']).to_string());
    }
    let mut rest = line;
    while let Some(at) = rest.find("href=") {
        let after = &rest[at + 5..];
        if let Some(value) = quoted(after) {
            found.push(value.to_string());
        }
        rest = after;
    }
    found
}

/// The value of an HTML attribute that starts `text`, between single or double quotes.
fn quoted(text: &str) -> Option<&str> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    text[1..].find(quote).map(|end| &text[1..1 + end])
}

/// A heading's anchor, as GitHub and mdBook make it: the text as it reads (code spans, emphasis
/// and links reduced to their text), lowercase, spaces to `-`, and every other character but
/// letters, digits, `-` and `_` removed.
fn slug(heading: &str) -> String {
    let mut text = String::new();
    let mut rest = heading;
    // A link's text stands for the link.
    while let Some(open) = rest.find('[') {
        match rest[open..].find("](") {
            Some(mid) => {
                let after = &rest[open + mid + 2..];
                let close = after.find(')').unwrap_or(after.len());
                text.push_str(&rest[..open]);
                text.push_str(&rest[open + 1..open + mid]);
                rest = &after[(close + 1).min(after.len())..];
            }
            None => break,
        }
    }
    text.push_str(rest);
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors a Markdown text defines: one per heading (a repeated slug gets `-1`, `-2`, …) and
/// every `<a id=…>` or `<a name=…>`.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut found = BTreeSet::new();
    // Headings are read outside code blocks, with their code spans as written.
    let raw: Vec<&str> = text.lines().collect();
    for (number, _) in prose_lines(text) {
        let line = raw[number - 1];
        let trimmed = line.trim_start();
        let hashes = trimmed.chars().take_while(|c| *c == '#').count();
        if (1..=6).contains(&hashes)
            && line.len() - trimmed.len() < 4
            && trimmed[hashes..].starts_with([' ', '\t'])
        {
            let heading = trimmed[hashes..].trim().trim_end_matches('#').trim_end();
            let base = slug(heading);
            let id = match seen.get(&base) {
                None => base.clone(),
                Some(n) => format!("{base}-{n}"),
            };
            *seen.entry(base).or_insert(0) += 1;
            found.insert(id);
        }
        for attribute in ["id=", "name="] {
            let mut rest = line;
            while let Some(at) = rest.find("<a ") {
                let tag_end = rest[at..].find('>').map_or(rest.len(), |end| at + end);
                let tag = &rest[at..tag_end];
                for (position, _) in tag.match_indices(attribute) {
                    let before = tag[..position].chars().last();
                    let value = &tag[position + attribute.len()..];
                    if before.is_some_and(char::is_whitespace)
                        && let Some(value) = quoted(value)
                    {
                        found.insert(value.to_string());
                    }
                }
                rest = &rest[tag_end.max(at + 1).min(rest.len())..];
            }
        }
    }
    found
}

/// `path` with `.` and `..` taken out, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Every broken link of `files` (each given by its path), as `FILE:LINE: TARGET: WHY`, with FILE
/// shown relative to `root`.
fn broken_links(root: &Path, files: &[PathBuf]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut anchor_cache: HashMap<PathBuf, BTreeSet<String>> = HashMap::new();
    for file in files {
        let text = std::fs::read_to_string(file)
            .unwrap_or_else(|error| panic!("{}: {error}", file.display()));
        let shown = file
            .strip_prefix(root)
            .unwrap_or(file)
            .display()
            .to_string();
        for (line, prose) in prose_lines(&text) {
            for target in targets(&prose) {
                let has_scheme = target.split_once(':').is_some_and(|(scheme, _)| {
                    !scheme.is_empty()
                        && scheme
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                });
                if has_scheme {
                    continue;
                }
                let (path, anchor) = match target.split_once('#') {
                    Some((path, anchor)) => (path, Some(anchor)),
                    None => (target.as_str(), None),
                };
                let path = path.replace("%20", " ");
                let resolved = if path.is_empty() {
                    file.clone()
                } else {
                    normalize(&file.parent().unwrap().join(&path))
                };
                if !resolved.exists() {
                    problems.push(format!("{shown}:{line}: {target}: no such file"));
                    continue;
                }
                let Some(anchor) = anchor else { continue };
                if resolved.extension().is_none_or(|ext| ext != "md") {
                    continue;
                }
                let defined = anchor_cache.entry(resolved.clone()).or_insert_with(|| {
                    anchors(&std::fs::read_to_string(&resolved).unwrap_or_default())
                });
                if !defined.contains(anchor) {
                    problems.push(format!(
                        "{shown}:{line}: {target}: no heading or <a id> makes the anchor #{anchor}"
                    ));
                }
            }
        }
    }
    problems
}

#[test]
fn every_relative_link_and_anchor_resolves() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = documents(root);
    assert!(
        files.len() > 10 && files.iter().any(|f| f.ends_with("docs/SUMMARY.md")),
        "{files:?}"
    );
    let problems = broken_links(root, &files);
    assert!(
        problems.is_empty(),
        "broken links:\n  {}",
        problems.join("\n  ")
    );
}

/// The checker itself: a broken anchor and a missing file are reported, and nothing else of a
/// file pair that uses every form it knows.
#[test]
fn the_checker_reports_a_broken_anchor_and_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir(root.join("sub")).unwrap();
    std::fs::write(
        root.join("sub/target.md"),
        "# The `run` command\n\n## Exit codes\n\n## Exit codes\n\n## 中文, too!\n\n\
         <a id=\"explicit\"></a>\n<a name='named'>x</a>\n\n```sh\n# not a heading\n```\n",
    )
    .unwrap();
    std::fs::write(
        root.join("page.md"),
        "# Page\n\n\
         Fine: [a](sub/target.md), [b](sub/target.md#the-run-command), [c](sub/target.md#exit-codes-1),\n\
         [d](./sub/../sub/target.md#中文-too), [e](sub/target.md#explicit), [f](sub/target.md#named),\n\
         [g](#page), [h](sub/), [i](https://example.com/missing.md), [j](<sub/target.md> \"title\").\n\
         Not links: `[k](missing.md)`, and\n\n```md\n[l](missing.md)\n```\n\n\
         Broken: [m](sub/target.md#exit-codes-2), [n](sub/target.md#not-a-heading), [o](missing.md).\n\n\
         [p]: sub/gone.md\n\n\
         <a href=\"sub/target.md#explicit\">fine</a>, <a href='sub/none.html'>broken</a>\n",
    )
    .unwrap();
    let problems = broken_links(root, &[root.join("page.md")]);
    assert_eq!(
        problems,
        [
            "page.md:12: sub/target.md#exit-codes-2: no heading or <a id> makes the anchor #exit-codes-2",
            "page.md:12: sub/target.md#not-a-heading: no heading or <a id> makes the anchor #not-a-heading",
            "page.md:12: missing.md: no such file",
            "page.md:14: sub/gone.md: no such file",
            "page.md:16: sub/none.html: no such file",
        ]
    );
}

#[test]
fn slugs_are_as_github_makes_them() {
    assert_eq!(slug("`cargo test`"), "cargo-test");
    assert_eq!(slug("Baselines and the gate"), "baselines-and-the-gate");
    assert_eq!(slug("DATA-1 (required)"), "data-1-required");
    assert_eq!(slug("Dependencies, and why"), "dependencies-and-why");
    assert_eq!(slug("See [the protocol](protocol.md)"), "see-the-protocol");
    assert_eq!(
        slug("`TARO_CONFORMANCE_ADAPTER`"),
        "taro_conformance_adapter"
    );
    assert_eq!(
        slug("Make sure it can fail, and cannot flap"),
        "make-sure-it-can-fail-and-cannot-flap"
    );
}
