//! Page ports (`mock::pool`): a port kept across cases serves each case with a server of its
//! own, so nothing one case's traffic left, not even a request held or sent late on one of its
//! connections, is recorded for the next case on that port.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use taro_conformance::mock::Origins;
use taro_conformance::mock::pool::PagePorts;
use taro_conformance::spec::OriginSpec;

/// The origins of a case whose `origins` are `yaml`.
fn origins(yaml: &str) -> BTreeMap<String, OriginSpec> {
    let case = format!(
        "cases:\n- id: a.b\n  summary: s\n  contract: [RES-1]\n  level: required\n  origins: {{ {yaml} }}\n  call: {{ url: \"{{{{origin.page}}}}/p\" }}\n  expect: {{ client: {{ settled: resolved }} }}\n"
    );
    let loaded = taro_conformance::spec::load_str("x.yaml".as_ref(), &case).unwrap();
    loaded[0].case.origins.clone()
}

const PLAIN: &str =
    "page: { stubs: [{ request: { urlPath: /p }, response: { status: 200, body: ok } }] }";
const HELD: &str =
    "page: { stubs: [{ response: { status: 200, body: late, fixedDelayMilliseconds: 600 } }] }";

fn get(stream: &mut TcpStream, path: &str) {
    write!(stream, "GET {path} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n").unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_port_comes_back_and_serves_the_next_case_afresh() {
    let ports = PagePorts::new(1).unwrap();
    let first = Origins::start_on(&origins(HELD), Some(("page", ports.lease().unwrap())))
        .await
        .unwrap();
    let url = first.base_urls()["page"].clone();
    assert_eq!(ports.idle(), 0);
    let addr = url.trim_start_matches("http://").to_string();
    // A request of the first case that its origin holds when the case ends.
    let mut kept = TcpStream::connect(&addr).unwrap();
    get(&mut kept, "/held");
    let mut buf = [0u8; 512];
    while first.traffic().await["page"].count == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    first.close().await;
    assert_eq!(ports.idle(), 1, "the port is bound again and given back");

    let second = Origins::start_on(&origins(PLAIN), Some(("page", ports.lease().unwrap())))
        .await
        .unwrap();
    assert_eq!(
        second.base_urls()["page"],
        url,
        "the next case gets the same origin"
    );
    // The first case's connection was closed with its server: a late request on it reaches
    // nobody, and the next case's record stays empty while a request of its own is recorded.
    kept.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
    let _ = kept.write_all(b"GET /late HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
    let mut rest = Vec::new();
    let _ = kept.read_to_end(&mut rest);
    assert!(
        !String::from_utf8_lossy(&rest).contains("200 OK\r\ncontent-length: 2"),
        "the late request was answered by the next case's server"
    );
    assert_eq!(second.traffic().await["page"].count, 0);
    let mut own = TcpStream::connect(&addr).unwrap();
    get(&mut own, "/p");
    let _ = own.read(&mut buf).unwrap();
    let traffic = second.traffic().await;
    assert_eq!(traffic["page"].count, 1, "only the next case's own request");
    assert_eq!(traffic["page"].requests[0].path, "/p");
    second.close().await;
    assert_eq!(ports.idle(), 1);
}
