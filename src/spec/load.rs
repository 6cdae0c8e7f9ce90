//! Loading spec files: YAML to [`Case`]s, with located errors and no file able to stop another.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;
use serde_saphyr::Spanned;
use sha2::{Digest, Sha256};

use super::capability::Capability;
use super::limits;
use super::model::{Case, CaseRef, OriginSpec, StubResponse};
use super::render::{malformed_placeholders, placeholders};
use crate::error::{Error, FileError};

/// A case together with where it was written.
#[derive(Debug, Clone)]
pub struct LoadedCase {
    /// The case itself.
    pub case: Case,
    /// The file it came from, as given to the loader.
    pub file: PathBuf,
    /// The line of its `id` entry (1-based).
    pub line: u64,
}

impl LoadedCase {
    /// The area of a case: its file's path under the specs root without the extension
    /// (`data/query-string`).
    pub fn area(&self, root: &Path) -> String {
        let rel = self.file.strip_prefix(root).unwrap_or(&self.file);
        rel.with_extension("").to_string_lossy().replace('\\', "/")
    }
}

/// Every case under a specs root, the errors of the files that could not be used, and a hash
/// of the spec text (to tell runs of different suites apart).
#[derive(Debug, Clone, Default)]
pub struct Suite {
    /// The root the files were found under.
    pub root: PathBuf,
    /// The cases of every good file, sorted by id.
    pub cases: Vec<LoadedCase>,
    /// One entry per problem; a file with any problem contributes no case.
    pub errors: Vec<FileError>,
    /// SHA-256 of every spec file's path and text, in path order.
    pub spec_hash: String,
}

impl Suite {
    /// The case with this id, or a usage error naming similar ids.
    pub fn find(&self, id: &str) -> Result<&LoadedCase, Error> {
        let suite = self;
        suite.cases.iter().find(|c| c.case.id == id).ok_or_else(|| {
            let near: Vec<&str> = suite
                .cases
                .iter()
                .map(|c| c.case.id.as_str())
                .filter(|c| !id.is_empty() && (c.contains(id) || id.contains(*c)))
                .take(5)
                .collect();
            Error::Usage(format!(
                "no case `{id}` in {} (similar: {near:?})",
                suite.root.display()
            ))
        })
    }
}

/// The private shape used for loading: like [`super::model::SpecFile`] but with each case's
/// location kept.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LocatedSpecFile {
    cases: Vec<Spanned<Case>>,
}

/// Loads every `*.yaml` file below `root` (sorted by path).
///
/// ```no_run
/// let suite = taro_conformance::spec::load_dir("specs".as_ref());
/// for error in &suite.errors {
///     eprintln!("{error}"); // specs/data/x.yaml:12:7: unknown field `bdy`, expected …
/// }
/// ```
pub fn load_dir(root: &Path) -> Suite {
    let mut suite = Suite {
        root: root.to_path_buf(),
        ..Suite::default()
    };
    let mut hasher = Sha256::new();
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        match entry {
            Ok(entry) if is_spec_file(entry.path(), root) => files.push(entry.into_path()),
            Ok(_) => {}
            Err(err) => suite.errors.push(FileError::new(
                err.path().unwrap_or(root),
                format!("cannot read: {err}"),
            )),
        }
    }
    if files.is_empty() && suite.errors.is_empty() {
        suite
            .errors
            .push(FileError::new(root, "no spec files (*.yaml) found here"));
    }
    for file in files {
        let bytes = match std::fs::read(&file) {
            Ok(bytes) => bytes,
            Err(err) => {
                suite.errors.push(FileError::unreadable(&file, &err));
                continue;
            }
        };
        let text = match std::str::from_utf8(&bytes) {
            Ok(text) => text,
            Err(err) => {
                suite.errors.push(FileError::not_utf8(&file, &bytes, &err));
                continue;
            }
        };
        hasher.update(file.to_string_lossy().as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        hasher.update([0]);
        match load_str(&file, text) {
            Ok(cases) => suite.cases.extend(cases),
            Err(errors) => suite.errors.extend(errors),
        }
    }
    reject_duplicate_ids(&mut suite);
    suite.cases.sort_by(|a, b| a.case.id.cmp(&b.case.id));
    suite.spec_hash = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    suite
}

/// Spec files are the `*.yaml` files below the root, except the clause list beside them.
fn is_spec_file(path: &Path, root: &Path) -> bool {
    path.is_file()
        && path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml")
        && path != root.join(CONTRACT_FILE)
}

/// The clause list's file name in the specs root (see [`crate::spec::contract`]).
const CONTRACT_FILE: &str = "contract.yaml";

/// Parses one spec file's text and checks what the types alone cannot.
pub fn load_str(file: &Path, text: &str) -> Result<Vec<LoadedCase>, Vec<FileError>> {
    limits::check_expansion(text).map_err(|e| vec![FileError::from_yaml(file, text, &e)])?;
    let parsed: LocatedSpecFile = serde_saphyr::from_str(text).map_err(|err| {
        let mut error = FileError::from_yaml(file, text, &err);
        if let (Some(line), Some(column)) = (error.line, error.column)
            && let Some(id) = case_at(text, line, column)
        {
            error.message = format!("case `{id}`: {}", error.message);
        }
        vec![error]
    })?;
    let mut errors = Vec::new();
    let mut cases = Vec::new();
    for spanned in parsed.cases {
        let (line, column) = (spanned.referenced.line(), spanned.referenced.column());
        let problems = check_case(&spanned.value);
        errors.extend(problems.into_iter().map(|message| {
            FileError::new(file, format!("case `{}`: {message}", spanned.value.id)).at(line, column)
        }));
        cases.push(LoadedCase {
            case: spanned.value,
            file: file.to_path_buf(),
            line,
        });
    }
    if errors.is_empty() {
        Ok(cases)
    } else {
        Err(errors)
    }
}

/// The id of the case written at `line` and `column` of a spec file that did not load, read
/// again leniently: the last case starting at or before that line, when the place is indented
/// at least as far as the case's keys (a top-level key after the cases belongs to none).
fn case_at(text: &str, line: u64, column: u64) -> Option<String> {
    #[derive(Deserialize)]
    struct Loose {
        cases: Vec<Spanned<LooseCase>>,
    }
    #[derive(Deserialize)]
    struct LooseCase {
        #[serde(default)]
        id: Option<String>,
    }
    let loose: Loose = serde_saphyr::from_str(text).ok()?;
    let case = loose
        .cases
        .into_iter()
        .rev()
        .find(|c| c.referenced.line() <= line)?;
    case.value.id.filter(|_| column >= case.referenced.column())
}

/// Parses YAML text into `T`; the error names `path` and, when known, line and column. The text,
/// its aliases expanded, must come to at most [`limits::MAX_EXPANDED`].
pub fn parse_yaml<T: serde::de::DeserializeOwned>(text: &str, path: &Path) -> Result<T, FileError> {
    limits::check_expansion(text).map_err(|e| FileError::from_yaml(path, text, &e))?;
    serde_saphyr::from_str(text).map_err(|e| FileError::from_yaml(path, text, &e))
}

/// Reads a YAML file into `T` (see [`parse_yaml`]).
pub fn read_yaml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, FileError> {
    let text = std::fs::read_to_string(path).map_err(|e| FileError::unreadable(path, &e))?;
    parse_yaml(&text, path)
}

/// The rules a case must follow beyond its types.
fn check_case(case: &Case) -> Vec<String> {
    let mut problems = Vec::new();
    let id_ok = !case.id.is_empty()
        && case.id.split('.').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
        });
    if !id_ok {
        problems.push(
            "`id` must be dotted lower-case words (a-z, 0-9, `-`, `_`), like `data.get.basic`"
                .into(),
        );
    }
    if case.contract.is_empty() {
        problems.push("`contract` must name at least one clause".into());
    }
    problems.extend(case.refs.iter().filter_map(CaseRef::problem));
    if !case.call.is_object() && !case.call.is_string() {
        problems.push("`call` must be the option object of Taro.request, or a url string".into());
    }
    if !case.before.iter().all(Value::is_object) {
        problems.push("every call in `before` must be an object".into());
    }
    // Adapters without `interceptors` would run the call bare and be judged for it.
    let intercepted = !case.interceptors.is_empty() || !case.later_interceptors.is_empty();
    if intercepted && !case.requires.contains(&Capability::Interceptors) {
        problems.push("a case with interceptors must add `interceptors` to `requires`".into());
    }
    let stubs = serde_json::to_value(&case.origins).unwrap_or_default();
    let before = Value::Array(case.before.clone());
    for (what, value) in [
        ("call", &case.call),
        ("before", &before),
        ("origins", &stubs),
    ] {
        let mut malformed = Vec::new();
        malformed_placeholders(value, &mut malformed);
        problems.extend(malformed.into_iter().map(|p| format!("`{what}`: {p}")));
        let mut used = BTreeSet::new();
        placeholders(value, &mut used);
        for name in used.iter().filter(|n| !case.origins.contains_key(*n)) {
            problems.push(format!(
                "`{what}` uses {{{{origin.{name}}}}} but `origins` has no `{name}`"
            ));
        }
    }
    for name in case.expect.wire.keys() {
        if !case.origins.contains_key(name) {
            problems.push(format!("`expect.wire.{name}` names no origin of this case"));
        }
    }
    problems.extend(check_expectations(case));
    problems.extend(limits::case_problems(case));
    if let Some(page) = &case.page {
        let named = std::iter::once(&page.origin).chain(page.cookies.keys());
        for name in named {
            if !case.origins.contains_key(name) {
                problems.push(format!(
                    "`page` names `{name}`, which is no origin of this case"
                ));
            }
        }
    }
    for (name, origin) in &case.origins {
        problems.extend(
            check_origin(origin)
                .into_iter()
                .map(|p| format!("origin `{name}`: {p}")),
        );
    }
    problems
}

/// Every callback `expect.client` names must be one adapters record. (Matchers are checked as
/// they are read: a bad one is a located parse error.)
fn check_expectations(case: &Case) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(client) = &case.expect.client {
        let names = client
            .callbacks
            .iter()
            .flatten()
            .chain(client.callback_args.keys());
        for name in names {
            if !CALLBACKS.contains(&name.as_str()) {
                problems.push(format!(
                    "expect.client: `{name}` is no callback (known: {})",
                    CALLBACKS.join(", ")
                ));
            }
        }
        // Only adapters with `native-call` report it: on the others the case would fail for
        // want of an observation, not for what the platform does.
        if client.native.is_some() && !case.requires.contains(&Capability::NativeCall) {
            problems.push(
                "expect.client.native is reported only by adapters with `native-call`: add it \
                 to `requires`"
                    .into(),
            );
        }
    }
    problems
}

/// The callbacks of the option object that adapters record.
const CALLBACKS: [&str; 3] = ["success", "fail", "complete"];

fn check_origin(origin: &OriginSpec) -> Vec<String> {
    let mut problems = limits::origin_problems(origin);
    if origin.refuse_connections && !origin.stubs.is_empty() {
        problems.push("`refuseConnections` leaves nobody to answer `stubs`: give one".into());
    }
    for (i, stub) in origin.stubs.iter().enumerate() {
        match (&stub.response, &stub.responses) {
            (Some(_), Some(_)) => problems.push(format!(
                "stub {i}: give `response` or `responses`, not both"
            )),
            (None, None) => problems.push(format!("stub {i}: give `response` or `responses`")),
            (None, Some(list)) if list.is_empty() => {
                problems.push(format!("stub {i}: `responses` is empty"))
            }
            _ => {}
        }
        for response in stub.response.iter().chain(stub.responses.iter().flatten()) {
            if let Some(p) = check_response(response) {
                problems.push(format!("stub {i}: {p}"));
            }
            for p in limits::reply_problems(response) {
                problems.push(format!("stub {i}: {p}"));
            }
        }
        if let Some(pattern) = &stub.request.url_path_pattern
            && let Err(err) = regex::Regex::new(pattern)
        {
            problems.push(format!("stub {i}: `urlPathPattern` is no regex: {err}"));
        }
        let matchers = stub
            .request
            .headers
            .iter()
            .chain(&stub.request.query_parameters);
        for (key, m) in matchers {
            let given = [
                m.equal_to.is_some(),
                m.contains.is_some(),
                m.matches.is_some(),
                m.present.is_some(),
            ];
            if given.iter().filter(|g| **g).count() != 1 {
                problems.push(format!(
                    "stub {i}: matcher for `{key}` needs exactly one of equalTo, contains, matches, present"
                ));
            }
            if let Some(pattern) = &m.matches
                && let Err(err) = regex::Regex::new(pattern)
            {
                problems.push(format!("stub {i}: `{key}.matches` is no regex: {err}"));
            }
        }
    }
    problems
}

fn check_response(response: &StubResponse) -> Option<String> {
    let bodies = [
        response.body.is_some(),
        response.json_body.is_some(),
        response.base64_body.is_some(),
        response.jsonp_body.is_some(),
        response.generated_body.is_some(),
    ];
    if bodies.iter().filter(|b| **b).count() > 1 {
        return Some(
            "give at most one of `body`, `jsonBody`, `base64Body`, `jsonpBody`, `generatedBody`"
                .into(),
        );
    }
    if response
        .generated_body
        .as_ref()
        .is_some_and(|g| g.pattern.is_empty())
    {
        return Some("`generatedBody.pattern` must not be empty".into());
    }
    if let Some(b64) = &response.base64_body
        && crate::value::decode_base64(b64).is_err()
    {
        return Some("`base64Body` is not valid base64".into());
    }
    if response.fault.is_some() && (bodies.contains(&true) || response.status.is_some()) {
        return Some("a `fault` replaces the reply: drop `status` and the body".into());
    }
    if let Some(dribble) = response.chunked_dribble_delay
        && dribble.number_of_chunks == 0
    {
        return Some("`chunkedDribbleDelay.numberOfChunks` must be at least 1".into());
    }
    None
}

/// Two cases with one id: the one that was there first (its file the least recently changed;
/// on a tie, the first by path) is kept, and the other is reported where it is, naming both.
fn reject_duplicate_ids(suite: &mut Suite) {
    let mut places: BTreeMap<&str, Vec<(&Path, u64)>> = BTreeMap::new();
    for loaded in &suite.cases {
        places
            .entry(&loaded.case.id)
            .or_default()
            .push((&loaded.file, loaded.line));
    }
    // Files are asked when they changed only where an id is shared.
    let changed = |file: &Path| {
        std::fs::metadata(file)
            .and_then(|m| m.modified())
            .unwrap_or(std::time::SystemTime::UNIX_EPOCH)
    };
    let kept: BTreeMap<String, (PathBuf, u64)> = places
        .into_iter()
        .filter(|(_, at)| at.len() > 1)
        .map(|(id, at)| {
            let (file, line) = at
                .into_iter()
                .min_by_key(|(file, line)| (changed(file), file.to_path_buf(), *line))
                .expect("a shared id has places");
            (id.to_string(), (file.to_path_buf(), line))
        })
        .collect();
    let mut duplicates = Vec::new();
    suite.cases.retain(|c| {
        let Some((file, line)) = kept.get(&c.case.id) else {
            return true;
        };
        let keep = *file == c.file && *line == c.line;
        if !keep {
            duplicates.push(
                FileError::new(
                    &c.file,
                    format!(
                        "duplicate case id `{}`: {}:{line} has it already (kept, as it was there first); give this case another id",
                        c.case.id,
                        file.display()
                    ),
                )
                .at_line(c.line),
            );
        }
        keep
    });
    suite.errors.extend(duplicates);
}
