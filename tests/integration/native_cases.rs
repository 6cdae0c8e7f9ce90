//! The cases on what Taro's layer hands the native request API (`specs/native/`, NATIVE-1) can
//! fail: a layer that hands on the caller's options as given passes every one, and a layer with
//! a mistake that a change to Taro's request normalisation could make fails each case written
//! against it. The layer here is the reference adapter wrapped to report a `native` call (as the
//! mini-program adapters do) made from the case's call, with or without the mistake.

use std::path::PathBuf;
use std::sync::Arc;

use futures::FutureExt;
use futures::future::BoxFuture;
use rstest::rstest;
use serde_json::{Map, Value};
use taro_conformance::adapter::reference::ReferenceAdapter;
use taro_conformance::adapter::{Adapter, AdapterInfo, Outcome, RenderedCase, Report};
use taro_conformance::run::cases::{RunOptions, run_case};
use taro_conformance::spec;
use taro_conformance::spec::capability::Capability;
use taro_conformance::verdict::Status;

#[derive(Clone, Copy, Debug)]
enum Layer {
    /// Hands on the caller's options as given.
    AsGiven,
    /// Serializes data itself before handing it on, as `JSON.stringify` does (an ArrayBuffer
    /// becomes `"{}"`, a string gains quotes).
    Stringifies,
    /// Puts GET data in the url's query itself, and hands on no data.
    QueryInUrl,
    /// Hands on the method in lower case.
    LowerCaseMethod,
}

impl Layer {
    /// What this layer would pass the native API for `call`.
    fn native(self, call: &Value) -> Value {
        let mut options: Map<String, Value> = call.as_object().cloned().unwrap_or_default();
        match self {
            Layer::AsGiven => {}
            Layer::Stringifies => {
                if let Some(data) = options.get("data").cloned() {
                    let text = if data.get("$type").is_some() {
                        "{}".to_string()
                    } else {
                        data.to_string()
                    };
                    options.insert("data".into(), Value::String(text));
                }
            }
            Layer::QueryInUrl => {
                let get = options.get("method").and_then(Value::as_str) == Some("GET");
                if let (true, Some(Value::Object(data))) = (get, options.remove("data")) {
                    let mut query = url::form_urlencoded::Serializer::new(String::new());
                    for (k, v) in &data {
                        query.append_pair(k, v.as_str().unwrap_or_default());
                    }
                    let url = options
                        .get("url")
                        .and_then(Value::as_str)
                        .unwrap_or_default();
                    let url = format!("{url}?{}", query.finish());
                    options.insert("url".into(), Value::String(url));
                }
            }
            Layer::LowerCaseMethod => {
                if let Some(Value::String(method)) = options.get_mut("method") {
                    *method = method.to_lowercase();
                }
            }
        }
        for callback in ["success", "fail", "complete"] {
            options.insert(callback.into(), serde_json::json!({"$type": "function"}));
        }
        Value::Object(options)
    }
}

struct OverModel {
    inner: ReferenceAdapter,
    info: AdapterInfo,
    layer: Layer,
}

impl Adapter for OverModel {
    fn info(&self) -> &AdapterInfo {
        &self.info
    }

    fn run<'a>(&'a self, case: &'a RenderedCase) -> BoxFuture<'a, Report> {
        async move {
            let report = self.inner.run(case).await;
            let Outcome::Observed(mut client) = report.outcome else {
                return report;
            };
            client.native = Some(Box::new(self.layer.native(&case.call)));
            Outcome::Observed(client).into()
        }
        .boxed()
    }
}

fn status(layer: Layer, id: &str) -> Status {
    result(layer, id).status
}

fn result(layer: Layer, id: &str) -> taro_conformance::CaseResult {
    let suite = spec::load_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("specs"));
    let case = suite
        .cases
        .into_iter()
        .find(|c| c.case.id == id)
        .unwrap_or_else(|| panic!("no case {id}"))
        .case;
    let inner = ReferenceAdapter::new();
    let mut info = inner.info().clone();
    info.capabilities.push(Capability::NativeCall);
    let adapter: Arc<dyn Adapter> = Arc::new(OverModel { inner, info, layer });
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(async move {
            tokio::spawn(
                async move { run_case(adapter.as_ref(), &case, &RunOptions::default()).await },
            )
            .await
            .unwrap()
        })
}

const CASES: [&str; 4] = [
    "native.get.object-data-as-given",
    "native.post.object-data-as-given",
    "native.post.string-data-as-given",
    "native.put.arraybuffer-data-as-given",
];

#[test]
fn a_layer_that_hands_on_the_options_as_given_passes_every_case() {
    for id in CASES {
        assert_eq!(status(Layer::AsGiven, id), Status::Pass, "{id}");
    }
}

#[test]
fn every_native_case_is_here() {
    let suite = spec::load_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("specs"));
    let mut native: Vec<&str> = suite
        .cases
        .iter()
        .filter(|c| c.case.requires.contains(&Capability::NativeCall))
        .map(|c| c.case.id.as_str())
        .collect();
    native.sort();
    assert_eq!(native, CASES);
}

#[rstest]
#[case::get_object_stringified(Layer::Stringifies, "native.get.object-data-as-given")]
#[case::post_object_stringified(Layer::Stringifies, "native.post.object-data-as-given")]
#[case::string_stringified_again(Layer::Stringifies, "native.post.string-data-as-given")]
#[case::arraybuffer_stringified(Layer::Stringifies, "native.put.arraybuffer-data-as-given")]
#[case::query_put_in_the_url(Layer::QueryInUrl, "native.get.object-data-as-given")]
#[case::get_method_lower_case(Layer::LowerCaseMethod, "native.get.object-data-as-given")]
#[case::post_method_lower_case(Layer::LowerCaseMethod, "native.post.object-data-as-given")]
#[case::put_method_lower_case(Layer::LowerCaseMethod, "native.put.arraybuffer-data-as-given")]
fn a_layer_with_a_mistake_fails_the_case(#[case] layer: Layer, #[case] id: &str) {
    assert_eq!(
        status(layer, id),
        Status::Fail,
        "{layer:?} should fail {id}"
    );
}

#[test]
fn a_mismatch_names_the_field_and_shows_what_the_layer_passed() {
    let result = result(Layer::Stringifies, "native.post.object-data-as-given");
    let [mismatch] = result.mismatches.as_slice() else {
        panic!("one mismatch: {:?}", result.mismatches)
    };
    assert_eq!(mismatch.path, "client.native.data");
    assert_eq!(mismatch.contract, ["NATIVE-1"]);
    let reason = mismatch.reason.as_deref().unwrap_or_default();
    assert!(
        reason.starts_with(r#"the native API was passed {"url":"http://127.0.0.1:"#)
            && reason.contains(r#""data":"{\"a\":1,"#)
            && !reason.contains("function"),
        "{reason}"
    );
}

#[test]
fn a_case_that_reads_the_native_call_must_require_native_call() {
    let dir = tempfile::tempdir().unwrap();
    let spec = "cases:\n  - id: n.one\n    summary: s\n    contract: [NATIVE-1]\n    level: recommended\n    origins:\n      api: { stubs: [{ response: { status: 200, body: ok } }] }\n    call: { url: \"{{origin.api}}/n\" }\n    expect: { client: { native: { method: GET } } }\n";
    std::fs::write(dir.path().join("one.yaml"), spec).unwrap();
    let suite = spec::load_dir(dir.path());
    let errors: Vec<String> = suite.errors.iter().map(|e| e.to_string()).collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("expect.client.native") && e.contains("native-call")),
        "{errors:?}"
    );
    std::fs::write(
        dir.path().join("one.yaml"),
        spec.replace(
            "level: recommended",
            "level: recommended\n    requires: [native-call]",
        ),
    )
    .unwrap();
    assert!(spec::load_dir(dir.path()).errors.is_empty());
}

#[test]
fn repro_shows_what_the_layer_passed_in_a_section_of_its_own() {
    let suite = spec::load_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("specs"));
    let loaded = suite.cases.iter().find(|c| c.case.id == CASES[3]).unwrap();
    let inner = ReferenceAdapter::new();
    let mut info = inner.info().clone();
    info.capabilities.push(Capability::NativeCall);
    let adapter = OverModel {
        inner,
        info,
        layer: Layer::AsGiven,
    };
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (text, _) = runtime.block_on(taro_conformance::tools::repro::run(&adapter, loaded));
    let (caller, native) = text
        .split_once("== what Taro's layer passed the native request API")
        .unwrap_or_else(|| panic!("no native section:\n{text}"));
    assert!(!caller.contains("\"native\""), "{text}");
    assert!(native.contains("\"$type\": \"arraybuffer\""), "{text}");
}

#[test]
fn the_cases_are_not_applicable_where_no_native_call_is_reported() {
    let adapter = ReferenceAdapter::new();
    assert!(
        !adapter
            .info()
            .capabilities
            .contains(&Capability::NativeCall)
    );
    let suite = spec::load_dir(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("specs"));
    let case = &suite
        .cases
        .iter()
        .find(|c| c.case.id == CASES[0])
        .unwrap()
        .case;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let status = runtime.block_on(async {
        run_case(&adapter, case, &RunOptions::default())
            .await
            .status
    });
    assert_eq!(status, Status::NotApplicable);
}
