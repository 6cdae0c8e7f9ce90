//! The docs loop: the `@supported` and `@default` tags of `Taro.request` in `@tarojs/taro`'s type
//! definitions (`types/api/network/request.d.ts`), from which Taro's docs print their support
//! tables, compared with the evidence (the support page's marks, [`crate::report::support`]) and with the
//! docs page this suite's contract reads (`specs/contract.yaml`).
//!
//! A member without a `@supported` tag inherits one: an option or a result field the tag of
//! `TaroStatic.request`, a method of `RequestTask` the tag of the interface. Each disagreement is
//! a [`Finding`]; [`fix`] rewrites the tags the evidence settles, and [`patch`] turns that into a
//! unified diff that applies to Taro's repository (`packages/taro/types/…`, `git apply`) or, with
//! `-p3`, to an installed package.
//!
//! ```
//! use taro_conformance::check::dts::TypeDefs;
//! let text = "interface TaroStatic {\n  /** @supported weapp, h5 */\n  request(option: any): any\n}\n\
//!             namespace request {\n  interface Option {\n    /** a\n     * @default 60000\n     */\n    timeout?: number\n  }\n}\n";
//! let defs = TypeDefs::parse(text, "request.d.ts".as_ref()).unwrap();
//! let timeout = defs.member(taro_conformance::check::dts::Owner::Option, "timeout").unwrap();
//! assert_eq!(timeout.default.as_ref().unwrap().value, "60000");
//! assert_eq!(defs.supported(timeout), ["weapp", "h5"]);
//! ```

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::FileError;
use crate::report::support::{Cell, Divergence, Mark, PLATFORMS, Support, Table, mark_of_counts};
use crate::spec::contract::Contract;

/// Where the type definitions sit inside the `@tarojs/taro` package.
pub const DTS_IN_PACKAGE: &str = "types/api/network/request.d.ts";

/// Where the same file sits in Taro's repository (the patch's paths).
pub const DTS_IN_REPOSITORY: &str = "packages/taro/types/api/network/request.d.ts";

/// The pinned `@tarojs/taro` whose type definitions CI checks: the one the WeChat layer installs,
/// the same version as the H5 adapters'.
pub const PINNED_PACKAGE: &str = "adapters/taro-mini/packages/weapp/node_modules/@tarojs/taro";

/// The committed result of the check, under the report directory.
pub const REPORT_FILE: &str = "docs-check.md";

/// Whose member a tag belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Owner {
    /// `request.Option`.
    Option,
    /// `request.SuccessCallbackResult`.
    Result,
    /// `RequestTask`.
    Task,
    /// `TaroStatic` (the `request` function itself).
    Static,
    /// The `RequestTask` interface's own comment.
    TaskInterface,
}

/// A JSDoc tag: its value and the line it is on (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tag {
    /// The text after the tag's name, trimmed.
    pub value: String,
    /// Its line in the file.
    pub line: usize,
}

impl Tag {
    /// The platforms of a `@supported` tag: the first word of each comma-separated item
    /// (`alipay 支付宝: 10.2.33+` is `alipay`).
    pub fn platforms(&self) -> Vec<String> {
        self.value
            .split(',')
            .filter_map(|item| item.split_whitespace().next())
            .map(str::to_string)
            .collect()
    }
}

/// A member of an interface, with the tags of the comment before it.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    /// Whose member.
    pub owner: Owner,
    /// Its name.
    pub name: String,
    /// The line of its declaration.
    pub line: usize,
    /// Its comment's lines (first and last), when it has one.
    pub comment: Option<(usize, usize)>,
    /// `@supported`, when tagged.
    pub supported: Option<Tag>,
    /// `@default`, when tagged.
    pub default: Option<Tag>,
}

/// The type definitions of `Taro.request`, read.
#[derive(Debug, Clone)]
pub struct TypeDefs {
    /// Where they were read.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
    /// The members found, in file order.
    pub members: Vec<Member>,
}

impl TypeDefs {
    /// Reads and parses a file.
    pub fn read(path: &Path) -> Result<TypeDefs, FileError> {
        let text = std::fs::read_to_string(path).map_err(|e| FileError::unreadable(path, &e))?;
        TypeDefs::parse(&text, path)
    }

    /// Parses the text of a file. The format is TypeScript, but only its shape matters here:
    /// blocks opened by `namespace`/`interface`, JSDoc comments, and member declarations.
    pub fn parse(text: &str, path: &Path) -> Result<TypeDefs, FileError> {
        let mut members = Vec::new();
        let mut blocks: Vec<String> = Vec::new();
        let mut comment: Option<Comment> = None;
        let mut pending: Option<Comment> = None;
        // A declaration whose `{` is on a later line (`interface A<…>` then `extends B {`).
        let mut declared = String::new();
        for (k, raw) in text.lines().enumerate() {
            let line = k + 1;
            let trimmed = raw.trim();
            if let Some(open) = comment.as_mut() {
                open.lines.push((line, trimmed.to_string()));
                open.last = line;
                if trimmed.contains("*/") {
                    pending = comment.take();
                }
                continue;
            }
            if trimmed.starts_with("/**") {
                let open = Comment {
                    first: line,
                    last: line,
                    lines: vec![(line, trimmed.to_string())],
                };
                if trimmed.contains("*/") {
                    pending = Some(open);
                } else {
                    comment = Some(open);
                }
                continue;
            }
            if trimmed.is_empty() || trimmed.starts_with("//") {
                continue;
            }
            let owner = owner_of(&blocks, trimmed);
            if let Some((owner, name)) = owner {
                let comment = pending.take();
                let lines = comment.as_ref().map(|c| c.lines.as_slice());
                members.push(Member {
                    owner,
                    name,
                    line,
                    comment: comment.as_ref().map(|c| (c.first, c.last)),
                    supported: lines.and_then(|l| tag(l, "@supported")),
                    default: lines.and_then(|l| tag(l, "@default")),
                });
            } else {
                pending = None;
            }
            let name = block_name(trimmed);
            if !name.is_empty() {
                declared = name;
            }
            for c in trimmed.chars() {
                match c {
                    '{' => blocks.push(std::mem::take(&mut declared)),
                    '}' => {
                        blocks.pop();
                    }
                    _ => {}
                }
            }
        }
        if comment.is_some() || !blocks.is_empty() {
            return Err(FileError::new(
                path,
                "unbalanced: a comment or a block is not closed at the end of the file",
            ));
        }
        let defs = TypeDefs {
            path: path.to_path_buf(),
            text: text.to_string(),
            members,
        };
        if defs.member(Owner::Static, "request").is_none() {
            return Err(FileError::new(
                path,
                "no `request(…)` member of `interface TaroStatic`: not the type definitions of Taro.request",
            ));
        }
        Ok(defs)
    }

    /// The member of `owner` named `name`.
    pub fn member(&self, owner: Owner, name: &str) -> Option<&Member> {
        self.members
            .iter()
            .find(|m| m.owner == owner && m.name == name)
    }

    /// Where a member's platforms come from: its own tag, else the one it inherits.
    pub fn supported_tag<'a>(&'a self, member: &'a Member) -> Option<&'a Tag> {
        member.supported.as_ref().or_else(|| {
            let parent = match member.owner {
                Owner::Option | Owner::Result => self.member(Owner::Static, "request"),
                Owner::Task => self.member(Owner::TaskInterface, "RequestTask"),
                Owner::Static | Owner::TaskInterface => None,
            };
            parent.and_then(|p| p.supported.as_ref())
        })
    }

    /// The platforms a member is documented on (its own tag, or the inherited one).
    pub fn supported(&self, member: &Member) -> Vec<String> {
        self.supported_tag(member)
            .map(Tag::platforms)
            .unwrap_or_default()
    }
}

/// A JSDoc comment being read: its first and last lines, and each line's text.
struct Comment {
    first: usize,
    last: usize,
    lines: Vec<(usize, String)>,
}

/// The name a line opening a block gives it (`interface Option<…> {` is `Option`).
fn block_name(line: &str) -> String {
    let mut words = line.split(|c: char| c.is_whitespace() || c == '<' || c == '{');
    while let Some(word) = words.next() {
        if word == "interface" || word == "namespace" {
            return words.find(|w| !w.is_empty()).unwrap_or("").to_string();
        }
    }
    String::new()
}

/// Which member a declaration line is, given the blocks it is in.
fn owner_of(blocks: &[String], line: &str) -> Option<(Owner, String)> {
    let innermost: Vec<&str> = blocks.iter().rev().take(2).map(String::as_str).collect();
    if blocks.len() <= 2 && block_name(line) == "RequestTask" && line.contains('{') {
        return Some((Owner::TaskInterface, "RequestTask".to_string()));
    }
    let owner = match innermost.as_slice() {
        ["Option", "request", ..] => Owner::Option,
        ["SuccessCallbackResult", "request", ..] => Owner::Result,
        ["RequestTask", parent, ..] if *parent != "request" => Owner::Task,
        ["TaroStatic", ..] => Owner::Static,
        _ => return None,
    };
    let name: String = line
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '$')
        .collect();
    let rest = line[name.len()..].trim_start();
    let declares = rest.starts_with(':')
        || rest.starts_with("?:")
        || rest.starts_with('(')
        || rest.starts_with("?(")
        || rest.starts_with('<');
    (!name.is_empty() && declares).then_some((owner, name))
}

/// The first `name` tag of a comment's lines.
fn tag(lines: &[(usize, String)], name: &str) -> Option<Tag> {
    lines.iter().find_map(|(line, text)| {
        let at = text.find(name)?;
        let after = &text[at + name.len()..];
        if after.starts_with(|c: char| c.is_alphanumeric()) {
            return None;
        }
        let value = after.trim().trim_end_matches("*/").trim().to_string();
        Some(Tag { value, line: *line })
    })
}

/// What a platform's cases say of one row, all its columns together.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    /// The mark.
    pub mark: Mark,
    /// How many measured cases passed.
    pub passed: usize,
    /// How many were measured.
    pub measured: usize,
    /// The cases that did not pass, with the columns' reasons.
    pub divergences: Vec<Divergence>,
}

/// How a tag and the evidence or the docs page disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Tagged supported, and no case of the row passes there.
    TaggedButFails,
    /// Tagged supported, and some cases of the row fail there.
    TaggedButPartly,
    /// Not tagged, and cases of the row pass there.
    UntaggedButPasses,
    /// Tagged supported; the suite measures it nowhere on that platform (not offered there by
    /// the adapter, or no case).
    TaggedNotMeasured,
    /// The `@default` tag differs from the docs page's default.
    DefaultDiffers {
        /// The tag's value.
        tag: String,
        /// The docs page's value.
        page: String,
    },
}

/// One disagreement.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The row (the option, result field or task method).
    pub name: String,
    /// Its table.
    pub table: Table,
    /// The platform, for the support kinds.
    pub platform: Option<String>,
    /// What disagrees.
    pub kind: Kind,
    /// The line of the tag concerned (the inherited one when the member has none).
    pub line: Option<usize>,
    /// The evidence on that platform (for a default: on every platform the tag names).
    pub evidence: Vec<(String, Evidence)>,
    /// The clauses whose cases decide (the row's, or for a default the one about the default).
    pub clauses: Vec<String>,
}

/// The owner of a support table's rows in the type definitions.
fn owner(table: Table) -> Owner {
    match table {
        Table::Option | Table::H5Option => Owner::Option,
        Table::Result => Owner::Result,
        Table::Task => Owner::Task,
    }
}

/// The evidence of one row on every platform that has columns.
fn by_platform(support: &Support, cells: &[Cell]) -> Vec<(String, Evidence)> {
    let mut out = Vec::new();
    for (id, _, _) in PLATFORMS {
        let of: Vec<&Cell> = support
            .columns
            .iter()
            .zip(cells)
            .filter(|(c, _)| c.adapter.platform == id)
            .map(|(_, cell)| cell)
            .collect();
        if of.is_empty() {
            continue;
        }
        let passed = of.iter().map(|c| c.passed).sum();
        let measured = of.iter().map(|c| c.measured).sum();
        let not_offered = of.iter().all(|c| c.mark == Mark::NotOffered);
        out.push((
            id.to_string(),
            Evidence {
                mark: mark_of_counts(passed, measured, not_offered),
                passed,
                measured,
                divergences: divergences(&of),
            },
        ));
    }
    out
}

/// The cases of a platform's cells that did not pass, each once (two columns of one platform
/// often fail the same case).
fn divergences(cells: &[&Cell]) -> Vec<Divergence> {
    let mut out: Vec<Divergence> = Vec::new();
    for d in cells.iter().flat_map(|c| &c.divergences) {
        if !out.iter().any(|o| o.case == d.case) {
            out.push(d.clone());
        }
    }
    out
}

/// Compares the type definitions with the evidence (`support`) and with the docs page
/// (`contract`); `defaults` is the support page of the clauses about defaults
/// ([`Contract::defaults`]), which says whether the implementations follow the page's defaults.
pub fn check(
    defs: &TypeDefs,
    support: &Support,
    defaults: &Support,
    contract: &Contract,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    for line in &support.lines {
        let Some(member) = defs.member(owner(line.table), &line.name) else {
            continue;
        };
        let tagged: BTreeSet<String> = defs.supported(member).into_iter().collect();
        let tag_line = defs.supported_tag(member).map(|t| t.line);
        let evidence = by_platform(support, &line.cells);
        for (platform, ev) in &evidence {
            let on = tagged.contains(platform);
            let kind = match (on, ev.mark) {
                (true, Mark::None) => Kind::TaggedButFails,
                (true, Mark::Partial) => Kind::TaggedButPartly,
                (true, Mark::NotOffered | Mark::Unmeasured) => Kind::TaggedNotMeasured,
                (false, Mark::Full | Mark::Partial) => Kind::UntaggedButPasses,
                _ => continue,
            };
            findings.push(Finding {
                name: line.name.clone(),
                table: line.table,
                platform: Some(platform.clone()),
                kind,
                line: tag_line,
                evidence: vec![(platform.clone(), ev.clone())],
                clauses: line.clauses.clone(),
            });
        }
        let field = contract.fields().find(|f| f.name == line.name);
        if let (Some(tag), Some(page)) = (&member.default, field.and_then(|f| f.default.as_ref()))
            && unquoted(&tag.value) != unquoted(page)
        {
            let clauses: Vec<String> = field
                .and_then(|f| f.default_clause.clone())
                .into_iter()
                .collect();
            let evidence = if clauses.is_empty() {
                Vec::new()
            } else {
                default_evidence(defaults, &line.name, line.table)
                    .into_iter()
                    .filter(|(p, e)| tagged.contains(p) && e.measured > 0)
                    .collect()
            };
            findings.push(Finding {
                name: line.name.clone(),
                table: line.table,
                platform: None,
                kind: Kind::DefaultDiffers {
                    tag: tag.value.clone(),
                    page: page.clone(),
                },
                line: Some(tag.line),
                evidence,
                clauses,
            });
        }
    }
    findings
}

/// The evidence of a row's default on every platform: its line in `defaults`, the support page
/// of the clauses about defaults ([`Contract::defaults`]).
fn default_evidence(defaults: &Support, name: &str, table: Table) -> Vec<(String, Evidence)> {
    defaults
        .lines
        .iter()
        .find(|l| l.name == name && l.table == table)
        .map(|line| by_platform(defaults, &line.cells))
        .unwrap_or_default()
}

/// A tag's value without the quotes around a string.
fn unquoted(value: &str) -> &str {
    value.trim().trim_matches(|c| c == '"' || c == '\'')
}

/// The type definitions with the tags the evidence settles rewritten: a platform whose cases of
/// the row all fail leaves the row's `@supported`, one where they pass joins it (the `request`
/// function's and the `RequestTask` interface's own tags first gain every platform where a row
/// of theirs passes untagged: the function or the task exists there), and a `@default` that differs from the docs page takes
/// the page's value where the implementations follow the page on every platform the tag names.
pub fn fix(defs: &TypeDefs, findings: &[Finding]) -> String {
    let mut lines: Vec<String> = defs.text.lines().map(str::to_string).collect();
    let mut added_lines: Vec<(usize, String)> = Vec::new();
    // The parents first: what a platform passing anywhere says of the function and the task.
    let mut parents: Vec<(&Member, Vec<String>)> = Vec::new();
    for (parent, owners) in [
        (
            defs.member(Owner::Static, "request"),
            [Owner::Option, Owner::Result],
        ),
        (
            defs.member(Owner::TaskInterface, "RequestTask"),
            [Owner::Task, Owner::Task],
        ),
    ] {
        let Some(parent) = parent else { continue };
        let gains: Vec<String> = findings
            .iter()
            .filter(|f| f.kind == Kind::UntaggedButPasses)
            .filter(|f| owners.contains(&owner(f.table)))
            .filter_map(|f| f.platform.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        parents.push((parent, gains));
    }
    let inherited = |member: &Member| -> Vec<String> {
        let mut list = defs.supported(member);
        if member.supported.is_none() {
            for (parent, gains) in &parents {
                let of = match member.owner {
                    Owner::Option | Owner::Result => Owner::Static,
                    _ => Owner::TaskInterface,
                };
                if parent.owner == of {
                    list.extend(
                        gains
                            .iter()
                            .filter(|g| !list.contains(g))
                            .cloned()
                            .collect::<Vec<_>>(),
                    );
                }
            }
        }
        list
    };
    for (parent, gains) in &parents {
        if let Some(tag) = &parent.supported
            && !gains.is_empty()
        {
            lines[tag.line - 1] = rewrite_supported(&lines[tag.line - 1], tag, &[], gains);
        }
    }
    // Then each member whose evidence differs from what it is (now) documented with.
    let mut members: Vec<&Member> = Vec::new();
    for f in findings {
        if let Some(m) = defs.member(owner(f.table), &f.name)
            && !members.iter().any(|x| std::ptr::eq(*x, m))
        {
            members.push(m);
        }
    }
    for member in members {
        let mine: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.name == member.name && owner(f.table) == member.owner)
            .collect();
        let documented = inherited(member);
        let drop: Vec<String> = mine
            .iter()
            .filter(|f| f.kind == Kind::TaggedButFails)
            .filter_map(|f| f.platform.clone())
            .collect();
        let add: Vec<String> = mine
            .iter()
            .filter(|f| f.kind == Kind::UntaggedButPasses)
            .filter_map(|f| f.platform.clone())
            .filter(|p| !documented.contains(p))
            .collect();
        if !drop.is_empty() || !add.is_empty() {
            match &member.supported {
                Some(tag) => {
                    lines[tag.line - 1] = rewrite_supported(&lines[tag.line - 1], tag, &drop, &add);
                }
                None => {
                    let mut list: Vec<String> = documented
                        .into_iter()
                        .filter(|p| !drop.contains(p))
                        .collect();
                    list.extend(add);
                    added_lines.push((member.line, list.join(", ")));
                }
            }
        }
        for f in &mine {
            if let Kind::DefaultDiffers { page, tag: value } = &f.kind
                && !f.evidence.is_empty()
                && f.evidence.iter().all(|(_, e)| e.mark == Mark::Full)
                && let Some(tag) = &member.default
            {
                let quoted = value.trim_start().starts_with('"');
                let new = if quoted {
                    format!("\"{page}\"")
                } else {
                    page.clone()
                };
                lines[tag.line - 1] = lines[tag.line - 1].replacen(value.as_str(), &new, 1);
            }
        }
    }
    // Members that had no tag of their own get one, in a comment of their own if need be.
    added_lines.sort_by_key(|(line, _)| std::cmp::Reverse(*line));
    for (declaration, platforms) in added_lines {
        let member = defs
            .members
            .iter()
            .find(|m| m.line == declaration)
            .expect("a member's line");
        let indent: String = lines[declaration - 1]
            .chars()
            .take_while(|c| c.is_whitespace())
            .collect();
        match member.comment {
            Some((first, last)) if first == last => {
                // `/** text */` becomes a block with the tag.
                let text = lines[first - 1]
                    .trim()
                    .trim_start_matches("/**")
                    .trim_end_matches("*/")
                    .trim()
                    .to_string();
                lines.splice(
                    first - 1..first,
                    [
                        format!("{indent}/** {text}"),
                        format!("{indent} * @supported {platforms}"),
                        format!("{indent} */"),
                    ],
                );
            }
            Some((_, last)) => {
                let end = &lines[last - 1];
                let text = end.trim().trim_end_matches("*/").trim();
                if text.is_empty() || text == "*" {
                    lines.insert(last - 1, format!("{indent} * @supported {platforms}"));
                } else {
                    let head = end.replacen("*/", "", 1).trim_end().to_string();
                    lines.splice(
                        last - 1..last,
                        [
                            head,
                            format!("{indent} * @supported {platforms}"),
                            format!("{indent} */"),
                        ],
                    );
                }
            }
            None => {
                lines.insert(
                    declaration - 1,
                    format!("{indent}/** @supported {platforms} */"),
                );
            }
        }
    }
    let mut out = lines.join("\n");
    if defs.text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A `@supported` line with platforms dropped and added (the items kept as they were written).
fn rewrite_supported(line: &str, tag: &Tag, drop: &[String], add: &[String]) -> String {
    let mut items: Vec<String> = tag
        .value
        .split(',')
        .map(|i| i.trim().to_string())
        .filter(|i| {
            i.split_whitespace()
                .next()
                .is_none_or(|p| !drop.iter().any(|d| d == p))
        })
        .collect();
    let have = tag.platforms();
    items.extend(add.iter().filter(|a| !have.contains(a)).cloned());
    line.replacen(tag.value.as_str(), &items.join(", "), 1)
}

/// The unified diff from the type definitions to `fixed`, with Taro's repository's paths.
pub fn patch(defs: &TypeDefs, fixed: &str) -> String {
    similar::TextDiff::from_lines(defs.text.as_str(), fixed)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("a/{DTS_IN_REPOSITORY}"),
            &format!("b/{DTS_IN_REPOSITORY}"),
        )
        .to_string()
}

/// The installed `@tarojs/taro` of a version, found under `adapters/` (the pinned packages and
/// the versions set up beside them).
pub fn find_package(version: &str) -> Result<PathBuf, String> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new("adapters")
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.ends_with("node_modules/@tarojs/taro/package.json") {
            let package = path.parent().expect("a package.json's folder");
            let v = package_version(package);
            if v.as_deref() == Some(version) {
                return Ok(package.to_path_buf());
            }
            if let Some(v) = v {
                found.push(v);
            }
        }
    }
    found.sort();
    found.dedup();
    Err(format!(
        "no installed @tarojs/taro {version} under adapters/ (installed: {}); set one up with \
         `taro-conformance setup taro-h5-jsdom --taro {version}`",
        if found.is_empty() {
            "none".to_string()
        } else {
            found.join(", ")
        }
    ))
}

/// The version in a package folder's `package.json`.
pub fn package_version(package: &Path) -> Option<String> {
    let text = std::fs::read_to_string(package.join("package.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["version"].as_str().map(str::to_string)
}

/// What the evidence of a default says: whom the implementations follow.
fn default_verdict(f: &Finding) -> &'static str {
    if f.evidence.is_empty() {
        "no case checks the default: nothing settles it"
    } else if f.evidence.iter().all(|(_, e)| e.mark == Mark::Full) {
        "the implementations follow the page: the tag is wrong (`--fix` corrects it)"
    } else {
        "the implementations do not follow the page: the page or the implementation needs \
         correcting (the reasons say what they do)"
    }
}

/// The words of a kind, for the report.
fn kind_words(kind: &Kind) -> String {
    match kind {
        Kind::TaggedButFails => "tagged supported; no case passes".into(),
        Kind::TaggedButPartly => "tagged supported; some cases fail".into(),
        Kind::UntaggedButPasses => "not tagged; cases pass".into(),
        Kind::TaggedNotMeasured => "tagged supported; not measured here".into(),
        Kind::DefaultDiffers { tag, page } => {
            format!("`@default {tag}`; the docs page says {page}")
        }
    }
}

/// The report: what was read, and every finding with the cases behind it.
pub fn markdown(
    defs: &TypeDefs,
    shown_path: &str,
    version: Option<&str>,
    support: &Support,
    findings: &[Finding],
) -> String {
    let mut out = String::from("# The type definitions' tags against the evidence\n\n");
    let _ = writeln!(
        out,
        "Generated by `taro-conformance dts` from `{shown_path}` (`@tarojs/taro` {}), the \
         committed matrix and the baselines' reasons; `taro-conformance dts --fix` writes the \
         patch that corrects what the evidence settles. Taro's docs print their support tables \
         from these tags. A member without a tag of its own inherits the `request` function's \
         (line {}) or, for the task's methods, the `RequestTask` interface's.\n",
        version.unwrap_or("unknown version"),
        defs.member(Owner::Static, "request").map_or(0, |m| m.line),
    );
    let columns: Vec<String> = support
        .columns
        .iter()
        .map(|c| format!("{} `{}` {}", c.platform, c.adapter.name, c.adapter.version))
        .collect();
    let _ = writeln!(out, "Evidence: {}.\n", columns.join(", "));
    let mut counts: Vec<(String, usize)> = Vec::new();
    for f in findings {
        let key = match f.kind {
            Kind::DefaultDiffers { .. } => "default differs from the docs page".to_string(),
            ref k => kind_words(k),
        };
        match counts.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => counts.push((key, 1)),
        }
    }
    if findings.is_empty() {
        let _ = writeln!(out, "No disagreement.");
        return out;
    }
    for (key, n) in &counts {
        let _ = writeln!(out, "- {key}: {n}");
    }
    let _ = writeln!(
        out,
        "\n| member | platform | line | disagreement | evidence |\n|---|---|---|---|---|"
    );
    for f in findings {
        let member = match owner(f.table) {
            Owner::Option => format!("`request.Option.{}`", f.name),
            Owner::Result => format!("`request.SuccessCallbackResult.{}`", f.name),
            _ => format!("`RequestTask.{}`", f.name),
        };
        let evidence: Vec<String> = f
            .evidence
            .iter()
            .map(|(platform, e)| {
                let mut text = format!(
                    "{platform}: {} {}/{}",
                    e.mark.symbol(),
                    e.passed,
                    e.measured
                );
                let cases: Vec<String> = e
                    .divergences
                    .iter()
                    .map(|d| format!("`{}` {}", d.case, d.status.as_str()))
                    .collect();
                if !cases.is_empty() {
                    let _ = write!(text, " (not passing: {})", cases.join(", "));
                }
                text
            })
            .collect();
        let mut evidence = if evidence.is_empty() {
            String::new()
        } else {
            format!("{} — clauses {}", evidence.join("; "), f.clauses.join(", "))
        };
        if let Kind::DefaultDiffers { .. } = f.kind {
            let sep = if evidence.is_empty() { "" } else { ": " };
            evidence = format!("{evidence}{sep}{}", default_verdict(f));
        }
        let _ = writeln!(
            out,
            "| {member} | {} | {} | {} | {} |",
            f.platform.as_deref().unwrap_or("—"),
            f.line.map_or("—".to_string(), |l| l.to_string()),
            kind_words(&f.kind),
            evidence.replace('|', "\\|")
        );
    }
    let _ = writeln!(
        out,
        "\nThe reasons of the cases that do not pass are in [support.md](support.md) (each row's \
         evidence) and the adapters' baselines."
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DTS: &str = "declare module 'x' {
  namespace request {
    interface SuccessCallbackResult<T extends string | ArrayBuffer = any>
      extends TaroGeneral.CallbackResult {
      /** 调用结果 */
      errMsg: string
    }
  }
  /** 网络请求任务对象
   * @supported weapp, h5
   */
  interface RequestTask<T> extends Promise<T> {
    /** 中断请求任务
     * @supported weapp, alipay 支付宝: 10.1.70+, tt
     */
    abort(): void
    onHeadersReceived(callback: any): void
  }
  interface TaroStatic {
    /** @supported weapp, h5, rn */
    request<T = any>(option: any): RequestTask<T>
  }
}
";

    fn defs() -> TypeDefs {
        TypeDefs::parse(DTS, Path::new("request.d.ts")).unwrap()
    }

    #[test]
    fn a_declaration_whose_brace_is_on_the_next_line_still_names_its_block() {
        let defs = defs();
        let errmsg = defs.member(Owner::Result, "errMsg").unwrap();
        assert_eq!((errmsg.line, errmsg.comment), (6, Some((5, 5))));
        // Untagged: the function's platforms.
        assert_eq!(defs.supported(errmsg), ["weapp", "h5", "rn"]);
    }

    #[test]
    fn a_task_method_inherits_the_interface_and_a_tag_item_keeps_only_its_platform() {
        let defs = defs();
        let abort = defs.member(Owner::Task, "abort").unwrap();
        assert_eq!(defs.supported(abort), ["weapp", "alipay", "tt"]);
        let on = defs.member(Owner::Task, "onHeadersReceived").unwrap();
        assert_eq!(defs.supported(on), ["weapp", "h5"]);
    }

    #[test]
    fn a_rewritten_tag_keeps_the_items_it_keeps_as_they_were_written() {
        let defs = defs();
        let tag = defs
            .member(Owner::Task, "abort")
            .unwrap()
            .supported
            .clone()
            .unwrap();
        let line = DTS.lines().nth(tag.line - 1).unwrap();
        assert_eq!(
            rewrite_supported(line, &tag, &["tt".into()], &["h5".into(), "weapp".into()]),
            "     * @supported weapp, alipay 支付宝: 10.1.70+, h5"
        );
    }

    #[test]
    fn an_unclosed_block_or_comment_is_refused_with_the_file() {
        let error =
            TypeDefs::parse("interface TaroStatic {\n  /** x\n", Path::new("r.d.ts")).unwrap_err();
        assert!(
            error.to_string().starts_with("r.d.ts: unbalanced"),
            "{error}"
        );
    }
}
