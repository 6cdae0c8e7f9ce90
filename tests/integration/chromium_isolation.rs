//! A worker page of taro-h5-chromium that keeps its origin across cases: a case that leaves
//! behind, on purpose, cookies, storage, an HTTP cache entry, a service worker, a late timer,
//! held requests, a global, a node and its connections is followed on the same page by one that
//! sees none of them; with the adapter's clearing and inspection removed it sees every one (so
//! each look can fail). `adapters/taro-h5/test/isolation.js` does it; ignored by default (it
//! needs Chromium and `taro-conformance setup taro-h5-chromium`); `.ci/run` runs it:
//!
//! ```sh
//! cargo test --test integration -- --ignored chromium_isolation::
//! ```

use crate::common;

use std::process::Command;

use common::{output, root};

#[test]
#[ignore = "needs Chromium and `taro-conformance setup taro-h5-chromium`"]
fn a_case_on_a_kept_page_sees_nothing_of_the_last() {
    let mut command = Command::new("node");
    command.arg(root().join("adapters/taro-h5/test/isolation.js"));
    let (code, text) = output(command);
    assert_eq!(code, 0, "{text}");
    assert!(!text.contains("FAIL"), "{text}");
    assert_eq!(text.matches("  ok ").count(), 24, "{text}");
}
