//! Reading the type definitions: the members of `request.Option`, `request.SuccessCallbackResult`,
//! `RequestTask` and `TaroStatic`, each with the `@supported` and `@default` tags of the JSDoc
//! comment before it, and the platforms a member without a tag of its own inherits. Only the
//! file's shape is read (blocks, comments, declarations), not TypeScript itself.
//!
//! The file comes with the package under test, so what reading it holds is bounded whatever it
//! says: its size, how deep blocks nest and how many members it declares; a comment keeps only
//! its tags. Past a bound it is refused with the place it was crossed.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::FileError;

/// The largest file read (Taro's is about 16 KB).
pub const MAX_BYTES: u64 = 16 * 1024 * 1024;
/// How deep blocks may nest (Taro's go three deep).
pub const MAX_DEPTH: usize = 64;
/// How many members of the interfaces read a file may declare (Taro's has about forty).
pub const MAX_MEMBERS: usize = 10_000;

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
        use std::io::Read;
        let file = std::fs::File::open(path).map_err(|e| FileError::unreadable(path, &e))?;
        let mut bytes = Vec::new();
        file.take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| FileError::unreadable(path, &e))?;
        if bytes.len() as u64 > MAX_BYTES {
            return Err(FileError::new(
                path,
                format!(
                    "over {} MiB: not the type definitions of Taro.request",
                    MAX_BYTES >> 20
                ),
            ));
        }
        let text = String::from_utf8(bytes)
            .map_err(|e| FileError::not_utf8(path, e.as_bytes(), &e.utf8_error()))?;
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
                open.read(line, trimmed);
                if trimmed.contains("*/") {
                    pending = comment.take();
                }
                continue;
            }
            if trimmed.starts_with("/**") {
                let mut open = Comment {
                    first: line,
                    last: line,
                    supported: None,
                    default: None,
                };
                open.read(line, trimmed);
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
                if members.len() == MAX_MEMBERS {
                    return Err(FileError::new(
                        path,
                        format!("more than {MAX_MEMBERS} members: not the type definitions of Taro.request"),
                    )
                    .at_line(line as u64));
                }
                let comment = pending.take();
                members.push(Member {
                    owner,
                    name,
                    line,
                    comment: comment.as_ref().map(|c| (c.first, c.last)),
                    supported: comment.as_ref().and_then(|c| c.supported.clone()),
                    default: comment.and_then(|c| c.default),
                });
            } else {
                pending = None;
            }
            let name = block_name(trimmed);
            if !name.is_empty() {
                declared = name;
            }
            for (at, c) in raw.char_indices() {
                match c {
                    '{' if blocks.len() == MAX_DEPTH => {
                        let column = raw[..at].chars().count() + 1;
                        return Err(FileError::new(
                            path,
                            format!("blocks nested more than {MAX_DEPTH} deep"),
                        )
                        .at(line as u64, column as u64));
                    }
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

/// A JSDoc comment being read: its first and last lines, and the first of each tag read.
struct Comment {
    first: usize,
    last: usize,
    supported: Option<Tag>,
    default: Option<Tag>,
}

impl Comment {
    /// Reads the comment's next line.
    fn read(&mut self, line: usize, text: &str) {
        self.last = line;
        if self.supported.is_none() {
            self.supported = tag(line, text, "@supported");
        }
        if self.default.is_none() {
            self.default = tag(line, text, "@default");
        }
    }
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

/// The `name` tag on a comment's line, if there is one.
fn tag(line: usize, text: &str, name: &str) -> Option<Tag> {
    let at = text.find(name)?;
    let after = &text[at + name.len()..];
    if after.starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    let value = after.trim().trim_end_matches("*/").trim().to_string();
    Some(Tag { value, line })
}
