//! The located error of everything read from a file: the file, the line and column when known,
//! what is wrong, and the snippet the parser drew.

use std::fmt;
use std::path::{Path, PathBuf};

/// Something wrong in a file the harness reads, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The file.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// 1-based column, when known.
    pub column: Option<u64>,
    /// What is wrong.
    pub message: String,
    /// The lines around the problem, marked, as the parser drew them (for a terminal).
    pub snippet: Option<String>,
}

impl FileError {
    /// An error about a whole file.
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> FileError {
        FileError {
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            snippet: None,
        }
    }

    /// The same error at a line and column.
    pub fn at(mut self, line: u64, column: u64) -> FileError {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// The same error at a line (the column unknown).
    pub fn at_line(mut self, line: u64) -> FileError {
        self.line = Some(line);
        self
    }

    /// A file that could not be read.
    pub fn unreadable(file: &Path, error: &std::io::Error) -> FileError {
        FileError::new(file, format!("cannot read: {error}"))
    }

    /// A file that could not be written (or its directory created).
    pub fn unwritable(file: &Path, error: &std::io::Error) -> FileError {
        FileError::new(file, format!("cannot write: {error}"))
    }

    /// A YAML error from serde-saphyr in `source` (the file's text), with its location, its
    /// message in the spec's terms (naming the key where it can), and its snippet.
    pub fn from_yaml(file: &Path, source: &str, error: &serde_saphyr::Error) -> FileError {
        let text = error.to_string();
        let mut lines = text.lines();
        let first = lines.next().unwrap_or_default().trim();
        let first = SAPHYR_PREFIX.replace(first, "");
        let location = error.location().map(|l| (l.line(), l.column()));
        let message = explain_yaml(&first, source, location);
        // The parser names its source `<input>`: name the file instead.
        let snippet: String = lines
            .collect::<Vec<_>>()
            .join("\n")
            .replace("<input>", &file.display().to_string());
        let mut located = FileError::new(file, message);
        if let Some((line, column)) = location {
            located = located.at(line, column);
        }
        located.snippet = Some(snippet).filter(|s| !s.trim().is_empty());
        located
    }

    /// A file that is not UTF-8, located at its first invalid byte.
    pub fn not_utf8(file: &Path, bytes: &[u8], error: &std::str::Utf8Error) -> FileError {
        let before = String::from_utf8_lossy(&bytes[..error.valid_up_to()]);
        let line = before.matches('\n').count() as u64 + 1;
        let column = before
            .rsplit('\n')
            .next()
            .unwrap_or_default()
            .chars()
            .count() as u64
            + 1;
        let byte = bytes[error.valid_up_to()];
        FileError::new(
            file,
            format!("byte 0x{byte:02x} is not UTF-8: the file must be UTF-8 text"),
        )
        .at(line, column)
    }

    /// A TOML error, located from its byte span in `text`.
    pub fn from_toml(file: &Path, text: &str, error: &toml::de::Error) -> FileError {
        let located = FileError::new(file, error.message());
        match error.span() {
            Some(span) => {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                located.at(line as u64, column as u64)
            }
            None => located,
        }
    }

    /// The error followed by its snippet, for a terminal.
    pub fn with_snippet(&self) -> String {
        match &self.snippet {
            Some(snippet) => format!("{self}\n{snippet}"),
            None => self.to_string(),
        }
    }
}

/// serde-saphyr's messages, said in the terms of a spec file: (the start of the parser's
/// message, what to say instead, whether it is about the value of a key).
const YAML_WORDS: [(&str, &str, bool); 11] = [
    ("expected sequence start", "expected a list ([…])", true),
    (
        "expected string scalar",
        "expected a single value, not a list or a mapping",
        true,
    ),
    ("invalid u", "expected a whole number, 0 or more", true),
    ("invalid i", "expected a whole number", true),
    (
        "cannot deserialize null into string",
        "expected text, not null",
        true,
    ),
    (
        "cannot deserialize null",
        "a value is needed here, not null",
        true,
    ),
    (
        "externally tagged enum expected scalar or mapping",
        "expected one of its names (the schema lists them)",
        true,
    ),
    (
        "multiple YAML documents detected",
        "a spec file holds one YAML document: move what follows the `---` to a file of its own",
        false,
    ),
    ("budget breached: Depth", "nested too deeply", false),
    (
        "budget breached",
        "too large: past the limits of a YAML file the harness reads",
        false,
    ),
    ("recursive references", "an alias refers to itself", false),
];

/// A parser message in the spec's terms, naming the key at `location` when the problem is its
/// value.
fn explain_yaml(message: &str, source: &str, location: Option<(u64, u64)>) -> String {
    if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        let key = key.split(',').next().unwrap_or(key).trim();
        return format!("`{key}` is given twice in one mapping");
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return format!("{field} is missing: it is required here");
    }
    let key = location.and_then(|at| key_at(source, at));
    if let Some(rest) = message.strip_prefix("unknown variant ")
        && let Some((given, known)) = rest.split_once(", expected one of ")
    {
        let said = format!("{given} is not one of {known}");
        return match key {
            Some(key) => format!("`{key}`: {said}"),
            None => said,
        };
    }
    let Some((said, about_value)) = YAML_WORDS
        .iter()
        .find(|(start, _, _)| message.starts_with(start))
        .map(|(_, said, about_value)| (*said, *about_value))
    else {
        return message.to_string();
    };
    match key.filter(|_| about_value) {
        Some(key) => format!("`{key}`: {said}"),
        None => said.to_string(),
    }
}

/// The key whose value starts at `(line, column)` of `source`, if the text says.
fn key_at(source: &str, (line, column): (u64, u64)) -> Option<String> {
    let text = source.lines().nth(line.checked_sub(1)? as usize)?;
    let before: String = text
        .chars()
        .take(column.saturating_sub(1) as usize)
        .collect();
    KEY_BEFORE
        .captures(&before)
        .map(|c| c[1].trim_matches(['"', '\'']).to_string())
}

/// A key and its colon, at the end of the text before a value.
static KEY_BEFORE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r#"("[^"]+"|'[^']+'|[A-Za-z_$][A-Za-z0-9_$.-]*)\s*:\s*$"#)
        .expect("valid regex")
});

/// serde-saphyr's message starts with its own "error: line L column C: "; the location is
/// kept apart, so drop it from the message.
static SAPHYR_PREFIX: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^(error: )?line \d+ column \d+: ").expect("valid regex")
});

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for FileError {}
