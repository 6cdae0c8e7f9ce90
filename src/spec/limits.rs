//! The limits a spec case must keep, checked when it loads (so `lint` reports them too): nothing
//! a spec says can make the harness allocate without bound, wait without end, or hand a mock
//! server a reply HTTP cannot carry.
//!
//! | what | limit |
//! |---|---|
//! | `deadlineMs`, an abort's `afterMs` | at most 60 000 ms |
//! | `fixedDelayMilliseconds`, `chunkedDribbleDelay.totalDuration` | at most 30 000 ms |
//! | `chunkedDribbleDelay.numberOfChunks` | 1 to 10 000 |
//! | `generatedBody.length` | at most 64 MiB |
//! | origins of a case, stubs of an origin, replies of a stub, `before` calls | 16, 64, 64, 16 |
//! | `status` | 100 to 599 |
//! | response header names | HTTP tokens (RFC 9110 `tchar`: letters, digits and 15 symbols, no spaces) |
//! | response header values | visible ASCII, spaces and tabs (no line breaks) |
//! | a YAML file, its aliases expanded | 16 MiB (each value counted as its bytes and 32 more) |

use serde::Deserialize as _;

use super::model::{Action, Case, OriginSpec, StubResponse};

/// The longest a case may wait to settle, and the latest an abort may come.
pub const MAX_DEADLINE_MS: u64 = 60_000;
/// The longest a stub may hold its reply back or spread its body over.
pub const MAX_DELAY_MS: u64 = 30_000;
/// The most pieces a slow body may be cut into.
pub const MAX_CHUNKS: u32 = 10_000;
/// The largest generated body.
pub const MAX_GENERATED_BODY: usize = 64 * 1024 * 1024;
/// The most origins of one case.
pub const MAX_ORIGINS: usize = 16;
/// The most stubs of one origin.
pub const MAX_STUBS: usize = 64;
/// The most replies of one stub's `responses`.
pub const MAX_REPLIES: usize = 64;
/// The most `before` calls of one case.
pub const MAX_BEFORE: usize = 16;

/// The most a YAML file may come to once its aliases (`*name`) are expanded, each value counted
/// as its bytes and 32 more (what it takes in memory, about): an alias repeats what its anchor
/// holds, so a file of a few kilobytes could otherwise stand for gigabytes.
pub const MAX_EXPANDED: usize = 16 * 1024 * 1024;

/// What one value is counted besides its bytes in [`MAX_EXPANDED`].
const VALUE_COST: usize = 32;

/// Whether the YAML `text`, its aliases expanded, comes to at most [`MAX_EXPANDED`]; the error
/// is located where the reading passed it. The values are counted as they are read, never
/// kept. Text that is not YAML passes: reading it for what it says reports that.
pub fn check_expansion(text: &str) -> Result<(), serde_saphyr::Error> {
    EXPANDED.set(0);
    match serde_saphyr::from_str::<Expanded>(text) {
        Err(error) if error.to_string().contains(TOO_LARGE) => Err(error),
        _ => Ok(()),
    }
}

/// How the expansion check says a file is too large.
const TOO_LARGE: &str = "comes to more than 16 MiB";

thread_local! {
    /// What the file read so far comes to.
    static EXPANDED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Any YAML value, counted and dropped.
struct Expanded;

impl Expanded {
    fn count<E: serde::de::Error>(bytes: usize) -> Result<Expanded, E> {
        let total = EXPANDED.get().saturating_add(bytes + VALUE_COST);
        EXPANDED.set(total);
        if total > MAX_EXPANDED {
            return Err(E::custom(format!(
                "the file {TOO_LARGE} once its aliases are expanded (each value counted as its \
                 bytes and {VALUE_COST} more): an alias repeats what its anchor holds"
            )));
        }
        Ok(Expanded)
    }
}

impl<'de> serde::Deserialize<'de> for Expanded {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Expanded)
    }
}

impl<'de> serde::de::Visitor<'de> for Expanded {
    type Value = Expanded;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Expanded, E> {
        Expanded::count(0)
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Expanded, E> {
        Expanded::count(0)
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Expanded, E> {
        Expanded::count(0)
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Expanded, E> {
        Expanded::count(0)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Expanded, E> {
        Expanded::count(0)
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Expanded, E> {
        Expanded::count(0)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Expanded, E> {
        Expanded::count(v.len())
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Expanded, E> {
        Expanded::count(v.len())
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Expanded, D::Error> {
        Expanded::deserialize(d)
    }

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, d: D) -> Result<Expanded, D::Error> {
        Expanded::deserialize(d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Expanded, A::Error> {
        while seq.next_element::<Expanded>()?.is_some() {}
        Expanded::count(0)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Expanded, A::Error> {
        while map.next_entry::<Expanded, Expanded>()?.is_some() {}
        Expanded::count(0)
    }
}

/// What in a case is over its limits, each naming the field.
pub fn case_problems(case: &Case) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(ms) = case.deadline_ms.filter(|ms| *ms > MAX_DEADLINE_MS) {
        problems.push(format!(
            "`deadlineMs` is {ms}: at most {MAX_DEADLINE_MS} ms"
        ));
    }
    for action in &case.actions {
        match action {
            Action::Abort { after_ms } if *after_ms > MAX_DEADLINE_MS => problems.push(format!(
                "`abort.afterMs` is {after_ms}: at most {MAX_DEADLINE_MS} ms"
            )),
            Action::Abort { .. } => {}
        }
    }
    if case.origins.len() > MAX_ORIGINS {
        problems.push(format!(
            "{} origins: at most {MAX_ORIGINS}",
            case.origins.len()
        ));
    }
    if case.before.len() > MAX_BEFORE {
        problems.push(format!(
            "{} calls in `before`: at most {MAX_BEFORE}",
            case.before.len()
        ));
    }
    problems
}

/// What in an origin's stubs is over its limits (the replies are checked by
/// [`reply_problems`]).
pub fn origin_problems(origin: &OriginSpec) -> Vec<String> {
    let mut problems = Vec::new();
    if origin.stubs.len() > MAX_STUBS {
        problems.push(format!("{} stubs: at most {MAX_STUBS}", origin.stubs.len()));
    }
    for (i, stub) in origin.stubs.iter().enumerate() {
        if let Some(replies) = stub.responses.as_ref().filter(|r| r.len() > MAX_REPLIES) {
            problems.push(format!(
                "stub {i}: {} replies in `responses`: at most {MAX_REPLIES}",
                replies.len()
            ));
        }
    }
    problems
}

/// What in one reply is over its limits or not valid HTTP.
pub fn reply_problems(reply: &StubResponse) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(status) = reply.status.filter(|s| !(100..=599).contains(s)) {
        problems.push(format!(
            "`status` is {status}: an HTTP status is 100 to 599"
        ));
    }
    for (name, value) in &reply.headers {
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            problems.push(format!(
                "header name {name:?} is not an HTTP token (letters, digits and !#$%&'*+-.^_`|~)"
            ));
        }
        if !value
            .bytes()
            .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
        {
            problems.push(format!(
                "the value of header `{name}` has a byte HTTP does not allow there (a line break, a control or a non-ASCII character)"
            ));
        }
    }
    if let Some(ms) = reply
        .fixed_delay_milliseconds
        .filter(|ms| *ms > MAX_DELAY_MS)
    {
        problems.push(format!(
            "`fixedDelayMilliseconds` is {ms}: at most {MAX_DELAY_MS} ms"
        ));
    }
    if let Some(dribble) = reply.chunked_dribble_delay {
        if dribble.total_duration > MAX_DELAY_MS {
            problems.push(format!(
                "`chunkedDribbleDelay.totalDuration` is {}: at most {MAX_DELAY_MS} ms",
                dribble.total_duration
            ));
        }
        if dribble.number_of_chunks > MAX_CHUNKS {
            problems.push(format!(
                "`chunkedDribbleDelay.numberOfChunks` is {}: at most {MAX_CHUNKS}",
                dribble.number_of_chunks
            ));
        }
    }
    if let Some(generated) = reply
        .generated_body
        .as_ref()
        .filter(|g| g.length > MAX_GENERATED_BODY)
    {
        problems.push(format!(
            "`generatedBody.length` is {}: at most {MAX_GENERATED_BODY} bytes (64 MiB)",
            generated.length
        ));
    }
    problems
}

/// RFC 9110's `tchar`.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::GeneratedBody;

    /// A case whose stub answers with a JSON body of a 60 KiB string, then `levels` lists each
    /// holding the one before twice: 64 KiB of text that stands for 60 KiB × 2^`levels`.
    fn doubling(levels: usize) -> String {
        let mut body = format!("                a0: &a0 \"{}\"\n", "x".repeat(60 * 1024));
        for i in 1..=levels {
            body += &format!("                a{i}: &a{i} [*a{0}, *a{0}]\n", i - 1);
        }
        format!(
            "cases:\n  - id: a.b\n    summary: s\n    contract: [CALL-1]\n    level: required\n    origins:\n      api:\n        stubs:\n          - response:\n              status: 200\n              jsonBody:\n{body}    call: {{ url: \"{{{{origin.api}}}}/\" }}\n    expect: {{ client: {{ settled: resolved }} }}\n"
        )
    }

    #[test]
    fn aliases_are_read_while_what_they_expand_to_stays_within_its_limit() {
        let within = doubling(6); // 3.75 MiB
        assert!(within.len() < 64 * 1024 + 1024);
        let loaded = crate::spec::load_str("x.yaml".as_ref(), &within).unwrap();
        assert_eq!(loaded.len(), 1);
        let past = doubling(9); // 30 MiB
        let errors = crate::spec::load_str("x.yaml".as_ref(), &past).unwrap_err();
        let said = errors[0].to_string();
        assert!(
            said.starts_with("x.yaml:")
                && said.contains("comes to more than 16 MiB once its aliases are expanded"),
            "{said}"
        );
        assert!(errors[0].line.is_some_and(|line| line > 12), "{said}");
        let yaml: Result<serde_json::Value, _> =
            crate::spec::parse_yaml(&format!("{{a: {}}}", "[1]"), "y.yaml".as_ref());
        assert!(yaml.is_ok());
    }

    fn reply(edit: impl FnOnce(&mut StubResponse)) -> Vec<String> {
        let mut reply = StubResponse::default();
        edit(&mut reply);
        reply_problems(&reply)
    }

    #[test]
    fn a_plain_reply_is_within_limits() {
        assert!(reply(|r| r.status = Some(204)).is_empty());
        assert!(
            reply(|r| {
                r.headers.insert("x-a".into(), "a b\tc".into());
            })
            .is_empty()
        );
    }

    #[test]
    fn replies_http_cannot_carry_are_refused() {
        assert!(reply(|r| r.status = Some(0))[0].contains("100 to 599"));
        assert!(reply(|r| r.status = Some(1000))[0].contains("100 to 599"));
        assert!(
            reply(|r| {
                r.headers.insert("bad name".into(), "v".into());
            })[0]
                .contains("not an HTTP token")
        );
        assert!(
            reply(|r| {
                r.headers.insert("x-a".into(), "v\nx".into());
            })[0]
                .contains("line break")
        );
    }

    #[test]
    fn sizes_and_delays_are_bounded() {
        assert!(
            reply(|r| r.fixed_delay_milliseconds = Some(MAX_DELAY_MS + 1))[0]
                .contains("fixedDelayMilliseconds")
        );
        assert!(
            reply(|r| {
                r.generated_body = Some(GeneratedBody {
                    pattern: "ab".into(),
                    length: 1_000_000_000_000,
                })
            })[0]
                .contains("64 MiB")
        );
        assert!(
            reply(|r| {
                r.generated_body = Some(GeneratedBody {
                    pattern: "ab".into(),
                    length: MAX_GENERATED_BODY,
                })
            })
            .is_empty()
        );
    }
}
