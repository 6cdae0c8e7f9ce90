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
