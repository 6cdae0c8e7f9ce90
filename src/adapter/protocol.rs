//! Protocol v1: the messages between the runner and an adapter process, one JSON object per
//! line on the adapter's stdin and stdout. `docs/protocol.md` explains it; the JSON Schemas in
//! `docs/protocol/` are generated from these types.
//!
//! ```
//! use taro_conformance::adapter::protocol::{AdapterMessage, RunnerMessage};
//! let start = serde_json::to_string(&RunnerMessage::Start { protocol: 1 }).unwrap();
//! assert_eq!(start, r#"{"type":"start","protocol":1}"#);
//! let reply: AdapterMessage = serde_json::from_str(
//!     r#"{"seq":3,"errored":{"message":"no browser"}}"#).unwrap();
//! assert!(matches!(reply, AdapterMessage::Reply(_)));
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lenient::{seq_of, without_lone_surrogates};
use super::{RenderedCase, Violation};
use crate::observe::{ActionError, CallbackCall, ClientObservation};
use crate::spec::Settled;

/// The protocol version this runner speaks.
pub const PROTOCOL_VERSION: u32 = 1;

/// What the runner writes to the adapter's stdin.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum RunnerMessage {
    /// The first message: answer with [`Ready`].
    Start {
        /// The protocol version the runner speaks.
        protocol: u32,
    },
    /// Run one case and answer with a [`Reply`] carrying the same `seq`.
    Run {
        /// The runner's number for this run; answers name it. Unique within a process.
        seq: u64,
        /// The case, rendered: real origin URLs in place of placeholders.
        case: Box<RenderedCase>,
    },
    /// The last message: finish and exit.
    Stop,
}

/// What an adapter writes to stdout: the answer to `start`, or the answer to a `run`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum AdapterMessage {
    /// The answer to `start`.
    Ready(Ready),
    /// The answer to one `run`.
    Reply(Reply),
}

/// The answer to `start`: who the adapter is and what it can do.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ready {
    /// Always `"ready"`.
    #[serde(rename = "type")]
    pub kind: ReadyTag,
    /// The protocol version the adapter speaks (must be 1).
    pub protocol: u32,
    /// Short name, as given to `--adapter`.
    pub name: String,
    /// The version of the implementation under test (the Taro package's, say).
    pub version: String,
    /// The Taro platform it stands for (`h5`, `weapp`, `rn`, …).
    pub platform: String,
    /// What it runs on (`node 20.20.2`, `chromium 156`, …).
    pub runtime: String,
    /// Capability names (`docs/writing-cases.md`, "Levels and capabilities"); cases needing
    /// others are not applicable.
    pub capabilities: Vec<String>,
    /// How many runs it accepts at once (at least 1).
    pub concurrency: usize,
    /// How many long-lived page origins the runner should keep for it, one per worker page (at
    /// most `concurrency`): each case's page origin is then served on one of them when it can
    /// be, so a page already there may run the case without navigating. Left out, or 0: every
    /// case's origins on fresh ports.
    #[serde(default, rename = "pageOrigins")]
    pub page_origins: usize,
}

/// The tag of [`Ready`].
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReadyTag {
    /// `"ready"`.
    Ready,
}

/// The answer to one `run`: exactly one of `result`, `skipped`, `errored`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    /// The `seq` of the run this answers.
    pub seq: u64,
    /// What the caller got.
    #[serde(default)]
    pub result: Option<CallResult>,
    /// The adapter chose not to run the case.
    #[serde(default)]
    pub skipped: Option<Reason>,
    /// The adapter could not run the case.
    #[serde(default)]
    pub errored: Option<ErrorMessage>,
}

/// Why a case was skipped.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct Reason {
    /// In words.
    pub reason: String,
}

/// Why a case could not run.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct ErrorMessage {
    /// In words.
    pub message: String,
}

/// What the caller of `Taro.request` got, as the adapter observed it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct CallResult {
    /// How the returned promise settled (`pending`: not by the deadline; `threw`: the call
    /// threw synchronously).
    pub settled: Settled,
    /// The value it resolved or rejected with (or what was thrown), tagged where JSON cannot
    /// carry it.
    #[serde(default)]
    pub value: Option<Value>,
    /// `success`, `fail` and `complete` as they were called, in order, with their argument.
    #[serde(default)]
    pub callbacks: Vec<CallbackRecord>,
    /// From the call to settlement (or to the deadline), in ms.
    pub elapsed_ms: u64,
    /// The names of the returned task's function-valued members, sorted.
    #[serde(default)]
    pub task_methods: Option<Vec<String>>,
    /// What the case's `record` interceptors wrote, in order.
    #[serde(default)]
    pub trace: Option<Vec<String>>,
    /// What the case's actions threw at the caller, in the order they ran (leave it out when
    /// none threw).
    #[serde(default)]
    pub action_errors: Vec<ActionErrorRecord>,
    /// What the layer under test passed to the platform's native request API for the call (its
    /// option object, tagged where JSON cannot carry a value); only adapters over a model of a
    /// native API report it.
    #[serde(default)]
    pub native: Option<Value>,
}

/// An action (`task.abort()`) that threw instead of returning.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ActionErrorRecord {
    /// The action: `abort`.
    pub action: String,
    /// When it was taken, in ms after the call (the case's `afterMs`).
    pub after_ms: u64,
    /// What it threw (tagged where JSON cannot carry it).
    #[serde(default)]
    pub threw: Option<Value>,
}

/// One callback invocation.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CallbackRecord {
    /// `success`, `fail` or `complete`.
    pub name: String,
    /// Its argument (tagged where JSON cannot carry it).
    #[serde(default)]
    pub arg: Option<Value>,
}

impl From<CallResult> for ClientObservation {
    fn from(result: CallResult) -> Self {
        ClientObservation {
            settled: result.settled,
            value: result.value,
            callbacks: result
                .callbacks
                .into_iter()
                .map(|c| CallbackCall {
                    name: c.name,
                    arg: c.arg.unwrap_or_else(crate::value::undefined),
                })
                .collect(),
            elapsed_ms: result.elapsed_ms,
            task_methods: result.task_methods.map(|mut m| {
                m.sort();
                m
            }),
            trace: result.trace,
            action_errors: result
                .action_errors
                .into_iter()
                .map(|e| ActionError {
                    action: e.action,
                    after_ms: e.after_ms,
                    threw: e.threw.unwrap_or_else(crate::value::undefined),
                })
                .collect(),
            native: result.native.map(Box::new),
            elided: Default::default(),
        }
    }
}

/// The most cases an adapter may run at once (its `ready` says how many).
pub const MAX_CONCURRENCY: usize = 256;

/// The most memory a `ready` may take once decoded.
const MAX_READY_DECODED: usize = 1024 * 1024;

/// Decodes the answer to `start` (one stdout line), or says what is wrong with it, naming the
/// field. Never panics, whatever the bytes.
pub fn read_ready(line: &[u8]) -> Result<Ready, String> {
    let text = std::str::from_utf8(line).map_err(|e| {
        format!(
            "it is not UTF-8 (an invalid byte at offset {})",
            e.valid_up_to()
        )
    })?;
    // A `ready` takes a few hundred bytes: whatever is much larger is kept as a note, and
    // refused as the field it is.
    let value = crate::value::decode::bounded(text.trim(), MAX_READY_DECODED)
        .map_err(|e| format!("it is not JSON: {e}"))?;
    let ready: Ready = serde_path_to_error::deserialize(value)
        .map_err(|e| format!("`{}`: {}", e.path(), e.inner()))?;
    if !(1..=MAX_CONCURRENCY).contains(&ready.concurrency) {
        return Err(format!(
            "`concurrency` is {}: it must be 1 to {MAX_CONCURRENCY}",
            ready.concurrency
        ));
    }
    Ok(ready)
}

/// One answer line, read as far as it could be: for a run (its `seq` known) either the reply
/// or what is wrong with it.
pub type Answer = (u64, Result<Reply, Violation>);

/// The most memory one answer may take once decoded, as much as its line may hold in bytes
/// (the runner reads lines up to 32 MiB): past it, the innermost array, object or string being
/// read is kept as a note (see [`crate::value::elide`]), so that fifteen million small numbers
/// take megabytes, not gigabytes. An honest answer's strings take about their length.
pub const MAX_DECODED: usize = 32 * 1024 * 1024;

/// Decodes one answer line (`None` for a blank one). Never panics, whatever the bytes. A line
/// that names no run (not UTF-8, not JSON, no `seq`, a second `ready`) cannot be blamed on one
/// case: that is the `Err`. A line that is wrong as a whole but starts as an answer to one run
/// (`{"seq": N, …`, read leniently) costs that run only. Lone surrogate escapes (`"\ud83d"`,
/// as `JSON.stringify` writes half an emoji) are read as U+FFFD.
pub fn read_answer(raw: &[u8]) -> Result<Option<Answer>, Violation> {
    let line = |text: &str| crate::value::brief(&serde_json::Value::String(text.to_string()));
    let text = match std::str::from_utf8(raw) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.valid_up_to();
            return blame(raw, Violation::NotUtf8 { offset });
        }
    };
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let value = match decode(text) {
        Ok(value) => value,
        Err(e) => {
            let violation = Violation::NotProtocolJson {
                line: line(text),
                error: e.to_string(),
            };
            return blame(text.as_bytes(), violation);
        }
    };
    if value.get("type").and_then(|t| t.as_str()) == Some("ready") {
        return Err(Violation::ReadyAgain { line: line(text) });
    }
    let Some(seq) = value.get("seq").and_then(serde_json::Value::as_u64) else {
        return Err(Violation::NotProtocolJson {
            line: line(text),
            error: "no `seq`: an answer names the run it answers".into(),
        });
    };
    let reply =
        serde_path_to_error::deserialize::<_, Reply>(value).map_err(|e| Violation::BadAnswer {
            seq,
            // The path names keys, and the message quotes what came, whole: long ones are cut.
            field: crate::value::elide::cut(&e.path().to_string(), 1024),
            error: crate::value::elide::cut(&e.inner().to_string(), 1024),
        });
    Ok(Some((seq, reply)))
}

/// An answer's text decoded within [`MAX_DECODED`], its lone surrogates read as U+FFFD.
fn decode(text: &str) -> Result<serde_json::Value, serde_json::Error> {
    use crate::value::decode::bounded;
    bounded(text, MAX_DECODED).or_else(|error| match without_lone_surrogates(text) {
        Some(fixed) => bounded(&fixed, MAX_DECODED),
        None => Err(error),
    })
}

/// What `violation`, found in the line `raw`, costs: the run the line starts answering, when a
/// lenient reading finds one; otherwise every run in flight (the `Err`).
pub fn blame(raw: &[u8], violation: Violation) -> Result<Option<Answer>, Violation> {
    match seq_of(raw) {
        Some(seq) => Ok(Some((seq, Err(violation)))),
        None => Err(violation),
    }
}

/// The JSON Schemas of the protocol's messages, by file name, as committed under
/// `docs/protocol/`.
pub fn schemas() -> Vec<(&'static str, String)> {
    use crate::json_schema::{Direction, schema_text};
    vec![
        (
            "runner-message.schema.json",
            schema_text::<RunnerMessage>(
                "taro-conformance protocol v1: runner to adapter",
                Direction::Read,
            ),
        ),
        (
            "ready.schema.json",
            schema_text::<Ready>(
                "taro-conformance protocol v1: the answer to start",
                Direction::Read,
            ),
        ),
        (
            "reply.schema.json",
            schema_text::<Reply>(
                "taro-conformance protocol v1: the answer to run",
                Direction::Read,
            ),
        ),
    ]
}

/// Writes every message schema into `dir` (created if need be); returns the paths written.
pub fn write_schemas(
    dir: &std::path::Path,
) -> Result<Vec<std::path::PathBuf>, crate::error::FileError> {
    crate::json_schema::write(dir, schemas())
}
