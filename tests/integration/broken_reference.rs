//! The suite catches real mistakes: the reference adapter, deliberately broken in the ways
//! platforms get things wrong, fails the cases written against each mistake. (Among them, the
//! cases whose bodies are JSON so that they blame only the clauses they cite still fail the
//! mistake each is about.)
//!
//! Each breakage wraps the reference adapter and changes what the server or the caller sees,
//! as a platform with that bug would.

use std::path::PathBuf;
use std::sync::Arc;

use futures::FutureExt;
use futures::future::BoxFuture;
use rstest::rstest;
use serde_json::{Map, Value};
use taro_conformance::adapter::reference::ReferenceAdapter;
use taro_conformance::adapter::{Adapter, AdapterInfo, Outcome, RenderedCase, Report};
use taro_conformance::observe::{CallbackCall, ClientObservation};
use taro_conformance::outcome::CaseResult;
use taro_conformance::run::cases::{RunOptions, run_case};
use taro_conformance::spec;
use taro_conformance::spec::{Interceptor, Settled};
use taro_conformance::verdict::Status;

#[derive(Clone, Copy, Debug)]
enum Breakage {
    /// GET data encoded as an HTML form does it: space as `+` (URLSearchParams style).
    SpaceAsPlus,
    /// A body that is not JSON comes back as `null` instead of its text.
    NoJsonParseFallback,
    /// One attempt fewer than `1 + retryTimes`.
    RetryOffByOne,
    /// Backups asked last to first.
    BackupOrderReversed,
    /// `useStore` ignored: every call asks the server.
    StoreIgnored,
    /// A reply of 400 or more is a failure (`fail`, a rejection), as `my.request` reports it.
    HttpErrorFails,
    /// `success` is never called (the promise still resolves, `complete` still runs).
    SuccessNotCalled,
    /// `abort()` after the reply still turns the call into a failure.
    LateAbortFails,
    /// A `%` in GET data is sent as it is, not as `%25`.
    PercentLeftRaw,
    /// A body read only as far as its first chunk: a JSON body comes back as a piece of text.
    BodyCutShort,
    /// The success result has no `errMsg`.
    NoErrMsg,
    /// Every call fails at once, before a request is sent.
    FailsWithoutSending,
    /// The caller's content-type found by one spelling of its name only: another is missed, and
    /// the default goes beside it under that spelling.
    ContentTypeNameCaseSensitive(&'static str),
    /// The caller's `timeout` replaced: by the platform's 60 s default (ignored), or by a fixed
    /// 100 ms whatever the call asks.
    TimeoutReplaced(u64),
    /// An interceptor's second `chain.proceed` sends nothing: the caller gets the first result.
    ProceedOnce,
    /// The second proceed sends the parameters as they were first passed, without the
    /// interceptor's change (a layer that kept its own copy).
    ProceedAgainUnchanged,
    /// The caller's callbacks run at every proceed: first with the 401, then with the retry's.
    CallbacksPerProceed,
    /// The chain grows with each call (Taro's own interceptor pushed again every time), so an
    /// interceptor added after a call sits behind it and never runs.
    ChainGrowsPerCall,
    /// A failure's errMsg is blank (Taro RN's timeout with its message dropped).
    FailureErrMsgBlank,
    /// `responseType` read only when `dataType` is left to parse JSON: with another dataType,
    /// `arraybuffer` is ignored and the body comes back as text.
    ResponseTypeOnlyWithJson,
}

struct Broken {
    inner: ReferenceAdapter,
    breakage: Breakage,
}

impl Broken {
    fn break_call(&self, call: &Value) -> Value {
        let mut call: Map<String, Value> = call.as_object().cloned().unwrap_or_default();
        match self.breakage {
            Breakage::SpaceAsPlus => {
                if let Some(Value::Object(data)) = call.get("data").cloned() {
                    let mut form = url::form_urlencoded::Serializer::new(String::new());
                    for (k, v) in &data {
                        let text = v
                            .as_str()
                            .map(String::from)
                            .unwrap_or_else(|| v.to_string());
                        form.append_pair(k, &text);
                    }
                    call.insert("data".into(), Value::String(form.finish()));
                }
            }
            Breakage::RetryOffByOne => {
                let retries = call.get("retryTimes").and_then(Value::as_u64).unwrap_or(2);
                call.insert("retryTimes".into(), retries.saturating_sub(1).into());
            }
            Breakage::BackupOrderReversed => {
                if let Some(Value::Array(backups)) = call.get_mut("backup") {
                    backups.reverse();
                }
            }
            Breakage::StoreIgnored => {
                call.remove("useStore");
            }
            Breakage::ResponseTypeOnlyWithJson => {
                if call.get("dataType").is_some_and(|d| d != "json") {
                    call.remove("responseType");
                }
            }
            Breakage::ContentTypeNameCaseSensitive(spelling) => {
                if let Some(Value::Object(header)) = call.get_mut("header")
                    && !header.contains_key(spelling)
                {
                    header.insert(spelling.into(), "application/json".into());
                }
            }
            Breakage::TimeoutReplaced(ms) => {
                if call.contains_key("timeout") {
                    call.insert("timeout".into(), ms.into());
                }
            }
            Breakage::PercentLeftRaw => {
                if let Some(Value::Object(data)) = call.get("data").cloned() {
                    let pairs: Vec<String> = data
                        .iter()
                        .map(|(k, v)| {
                            let text = v
                                .as_str()
                                .map(String::from)
                                .unwrap_or_else(|| v.to_string());
                            let encoded: String =
                                url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
                            format!("{k}={}", encoded.replace("%25", "%"))
                        })
                        .collect();
                    call.insert("data".into(), Value::String(pairs.join("&")));
                }
            }
            Breakage::NoJsonParseFallback
            | Breakage::HttpErrorFails
            | Breakage::SuccessNotCalled
            | Breakage::LateAbortFails
            | Breakage::BodyCutShort
            | Breakage::NoErrMsg
            | Breakage::FailsWithoutSending
            | Breakage::ProceedOnce
            | Breakage::ProceedAgainUnchanged
            | Breakage::CallbacksPerProceed
            | Breakage::ChainGrowsPerCall
            | Breakage::FailureErrMsgBlank => {}
        }
        Value::Object(call)
    }

    fn break_report(&self, case: &RenderedCase, report: Report) -> Report {
        let Outcome::Observed(mut client) = report.outcome else {
            return report;
        };
        let status = client
            .value
            .as_ref()
            .and_then(|v| v.get("statusCode"))
            .and_then(Value::as_u64);
        let resolved = client.settled == Settled::Resolved;
        match self.breakage {
            Breakage::NoJsonParseFallback => {
                if let Some(Value::Object(result)) = client.value.as_mut()
                    && result.get("data").is_some_and(Value::is_string)
                {
                    result.insert("data".into(), Value::Null);
                }
            }
            Breakage::HttpErrorFails if resolved && status.is_some_and(|s| s >= 400) => {
                fail_instead(&mut client, "request:fail http status error");
            }
            Breakage::LateAbortFails if resolved && !case.actions.is_empty() => {
                fail_instead(&mut client, "request:fail abort");
            }
            Breakage::SuccessNotCalled => client.callbacks.retain(|c| c.name != "success"),
            Breakage::BodyCutShort => {
                if let Some(Value::Object(result)) = client.value.as_mut()
                    && let Some(data) = result.get("data").filter(|d| d.is_object())
                {
                    let text: String = data.to_string().chars().take(8).collect();
                    result.insert("data".into(), Value::String(text));
                }
            }
            Breakage::NoErrMsg => {
                if let Some(Value::Object(result)) = client.value.as_mut() {
                    result.remove("errMsg");
                }
            }
            Breakage::FailureErrMsgBlank if client.settled == Settled::Rejected => {
                fail_instead(&mut client, "");
            }
            Breakage::CallbacksPerProceed if proceeds_again(case) => {
                let first = serde_json::json!({ "statusCode": 401, "errMsg": "request:ok" });
                let early = ["success", "complete"].map(|name| CallbackCall {
                    name: name.into(),
                    arg: first.clone(),
                });
                client.callbacks.splice(0..0, early);
            }
            _ => {}
        }
        Outcome::Observed(client).into()
    }
}

impl Broken {
    fn break_interceptors(&self, case: &mut RenderedCase) {
        match self.breakage {
            Breakage::ProceedOnce => case
                .interceptors
                .retain(|i| !matches!(i, Interceptor::ProceedAgain(_))),
            Breakage::ProceedAgainUnchanged => {
                for interceptor in &mut case.interceptors {
                    if let Interceptor::ProceedAgain(again) = interceptor {
                        again.set_header.clear();
                    }
                }
            }
            Breakage::ChainGrowsPerCall if !case.before.is_empty() => {
                case.later_interceptors.clear()
            }
            _ => {}
        }
    }
}

fn proceeds_again(case: &RenderedCase) -> bool {
    case.interceptors
        .iter()
        .any(|i| matches!(i, Interceptor::ProceedAgain(_)))
}

/// The call ends in `fail` + `complete` and a rejection with this errMsg, in place of the
/// success it had.
fn fail_instead(client: &mut ClientObservation, message: &str) {
    let error = serde_json::json!({ "errMsg": message });
    client.settled = Settled::Rejected;
    client.value = Some(error.clone());
    for call in &mut client.callbacks {
        if call.name == "success" {
            call.name = "fail".into();
        }
        call.arg = error.clone();
    }
}

impl Adapter for Broken {
    fn info(&self) -> &AdapterInfo {
        self.inner.info()
    }

    fn run<'a>(&'a self, case: &'a RenderedCase) -> BoxFuture<'a, Report> {
        async move {
            if let Breakage::FailsWithoutSending = self.breakage {
                let error = serde_json::json!({ "errMsg": "request:fail" });
                let callback = |name: &str| CallbackCall {
                    name: name.into(),
                    arg: error.clone(),
                };
                let mut client = ClientObservation::new(Settled::Rejected, Some(error.clone()), 1);
                client.callbacks = vec![callback("fail"), callback("complete")];
                client.task_methods = Some(vec!["abort".into()]);
                return Outcome::Observed(client).into();
            }
            let mut case = case.clone();
            self.break_interceptors(&mut case);
            case.call = self.break_call(&case.call);
            case.before = case.before.iter().map(|c| self.break_call(c)).collect();
            let report = self.inner.run(&case).await;
            self.break_report(&case, report)
        }
        .boxed()
    }
}

fn result_on_broken(breakage: Breakage, id: &str) -> CaseResult {
    let suite = spec::load_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("specs"));
    let case = suite
        .cases
        .into_iter()
        .find(|c| c.case.id == id)
        .unwrap_or_else(|| panic!("no case {id}"))
        .case;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async move {
        let adapter: Arc<dyn Adapter> = Arc::new(Broken {
            inner: ReferenceAdapter::new(),
            breakage,
        });
        tokio::spawn(async move { run_case(adapter.as_ref(), &case, &RunOptions::default()).await })
            .await
            .unwrap()
    })
}

#[rstest]
#[case::wrong_encoding(Breakage::SpaceAsPlus, "data.query.space-is-percent-20")]
#[case::no_json_parse_fallback(
    Breakage::NoJsonParseFallback,
    "response.data-type.invalid-json-is-text"
)]
#[case::retry_off_by_one(Breakage::RetryOffByOne, "h5.retry.default-two-retries")]
#[case::backup_order_reversed(Breakage::BackupOrderReversed, "h5.backup.list-in-order")]
#[case::store_ignored(Breakage::StoreIgnored, "h5.store.hit-answers-without-server")]
#[case::http_404_fails(Breakage::HttpErrorFails, "response.status.404-is-success")]
#[case::http_500_fails(Breakage::HttpErrorFails, "response.status.500-is-success")]
#[case::http_503_fails(Breakage::HttpErrorFails, "response.status.503-is-success")]
#[case::http_500_calls_fail(Breakage::HttpErrorFails, "call.callbacks.complete-once-on-http-error")]
#[case::success_not_called(Breakage::SuccessNotCalled, "call.callbacks.success-then-complete")]
#[case::success_not_called_on_500(
    Breakage::SuccessNotCalled,
    "call.callbacks.complete-once-on-http-error"
)]
#[case::late_abort_fails(Breakage::LateAbortFails, "abort.after-completion")]
#[case::percent_left_raw(Breakage::PercentLeftRaw, "data.query.percent-literal")]
#[case::body_cut_short(Breakage::BodyCutShort, "fail.slow-body-completes")]
#[case::no_errmsg(Breakage::NoErrMsg, "call.errmsg.success-is-request-ok")]
#[case::fails_without_sending(Breakage::FailsWithoutSending, "fail.malformed-reply")]
#[case::content_type_found_lower_case_only(
    Breakage::ContentTypeNameCaseSensitive("content-type"),
    "data.body.json-header-name-case"
)]
#[case::timeout_ignored(Breakage::TimeoutReplaced(60_000), "call.timeout.fails-soon-after")]
#[case::timeout_fixed_short(Breakage::TimeoutReplaced(100), "call.timeout.reply-inside-succeeds")]
#[case::timeout_errmsg_blank(
    Breakage::FailureErrMsgBlank,
    "call.timeout.errmsg-starts-request-fail"
)]
#[case::response_type_only_with_json(
    Breakage::ResponseTypeOnlyWithJson,
    "response.response-type.arraybuffer-with-data-type-other"
)]
#[case::content_type_found_capitalised_only(
    Breakage::ContentTypeNameCaseSensitive("Content-Type"),
    "header.content-type-json-sent-once"
)]
fn a_broken_reference_fails_the_case(#[case] breakage: Breakage, #[case] id: &str) {
    assert_eq!(
        result_on_broken(breakage, id).status,
        Status::Fail,
        "{breakage:?} should fail {id}"
    );
}

/// Informational cases never fail, so a broken reference shows here as a difference: the
/// expectations that did not hold.
#[rstest]
#[case::proceed_once_request(Breakage::ProceedOnce, "intercept.proceed-again.resends-the-request")]
#[case::proceed_once_body(Breakage::ProceedOnce, "intercept.proceed-again.resends-the-body")]
#[case::proceed_once_result(
    Breakage::ProceedOnce,
    "intercept.proceed-again.caller-gets-the-second-result"
)]
#[case::proceed_again_unchanged(
    Breakage::ProceedAgainUnchanged,
    "intercept.proceed-again.resends-the-request"
)]
#[case::callbacks_per_proceed(
    Breakage::CallbacksPerProceed,
    "intercept.proceed-again.callbacks-once"
)]
#[case::chain_grows_per_call(Breakage::ChainGrowsPerCall, "intercept.added-after-a-call-runs")]
fn a_broken_reference_differs_on_the_informational_case(
    #[case] breakage: Breakage,
    #[case] id: &str,
) {
    let result = result_on_broken(breakage, id);
    assert_eq!(result.status, Status::Pass, "{id} is informational");
    assert!(
        !result.mismatches.is_empty(),
        "{breakage:?} should make {id} differ"
    );
}
