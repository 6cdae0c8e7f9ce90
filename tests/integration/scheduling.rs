//! How the runner places cases: a case that moves megabytes runs alone on its adapter, and the
//! adapters sharing a scheduler never have more cases in flight than its slots, nor more than
//! four such bulk cases at once.
//!
//! Each adapter here is the reference adapter behind a counter of what is in flight.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::FutureExt;
use futures::future::BoxFuture;
use taro_conformance::adapter::reference::ReferenceAdapter;
use taro_conformance::adapter::{Adapter, AdapterInfo, RenderedCase, Report};
use taro_conformance::run::cases::{BULK_BYTES, RunOptions, Scheduler, run_all};
use taro_conformance::spec::{self, Case};
use taro_conformance::verdict::Status;

/// What every counted adapter saw, together.
#[derive(Default)]
struct Counts {
    /// Cases in flight, over every adapter.
    in_flight: AtomicUsize,
    most_in_flight: AtomicUsize,
    /// Bulk cases in flight, over every adapter.
    bulk: AtomicUsize,
    most_bulk: AtomicUsize,
    /// Cases that ran beside a bulk case of the same adapter.
    beside_bulk: Mutex<Vec<String>>,
}

struct Counted {
    inner: ReferenceAdapter,
    counts: Arc<Counts>,
    bulk_ids: Vec<String>,
    /// This adapter's own cases in flight, and whether one of them is bulk.
    mine: Mutex<(usize, bool)>,
}

fn raise(max: &AtomicUsize, now: usize) {
    max.fetch_max(now, Ordering::SeqCst);
}

impl Adapter for Counted {
    fn info(&self) -> &AdapterInfo {
        self.inner.info()
    }

    fn run<'a>(&'a self, case: &'a RenderedCase) -> BoxFuture<'a, Report> {
        async move {
            let bulk = self.bulk_ids.contains(&case.id);
            {
                let mut mine = self.mine.lock().unwrap();
                if (bulk && mine.0 > 0) || mine.1 {
                    self.counts
                        .beside_bulk
                        .lock()
                        .unwrap()
                        .push(case.id.clone());
                }
                mine.0 += 1;
                mine.1 |= bulk;
            }
            let now = self.counts.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            raise(&self.counts.most_in_flight, now);
            if bulk {
                let now = self.counts.bulk.fetch_add(1, Ordering::SeqCst) + 1;
                raise(&self.counts.most_bulk, now);
            }
            let report = self.inner.run(case).await;
            if bulk {
                self.counts.bulk.fetch_sub(1, Ordering::SeqCst);
            }
            self.counts.in_flight.fetch_sub(1, Ordering::SeqCst);
            let mut mine = self.mine.lock().unwrap();
            mine.0 -= 1;
            if bulk {
                mine.1 = false;
            }
            report
        }
        .boxed()
    }
}

/// The suite's bulk cases and the quick ones beside them.
fn cases() -> (Vec<Case>, Vec<String>) {
    let suite = spec::load_dir(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs"));
    let mut bulk = Vec::new();
    let mut cases = Vec::new();
    for loaded in suite.cases {
        let case = loaded.case;
        if case.bulk_bytes() >= BULK_BYTES {
            bulk.push(case.id.clone());
            cases.push(case);
        } else if case.deliberate_wait().is_zero() && cases.len() < 40 {
            cases.push(case);
        }
    }
    assert!(bulk.len() >= 2, "the suite has bulk cases: {bulk:?}");
    (cases, bulk)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_case_runs_alone_and_few_run_at_once() {
    let (cases, bulk_ids) = cases();
    let counts = Arc::new(Counts::default());
    let scheduler = Scheduler::new(8);
    let first_bulk = cases.iter().find(|c| c.id == bulk_ids[0]).unwrap();
    assert_eq!(
        scheduler.weight(first_bulk),
        2,
        "a bulk case takes a quarter of the slots"
    );
    let runs = (0..6).map(|_| {
        let adapter: Arc<dyn Adapter> = Arc::new(Counted {
            inner: ReferenceAdapter::new(),
            counts: counts.clone(),
            bulk_ids: bulk_ids.clone(),
            mine: Mutex::new((0, false)),
        });
        let options = RunOptions {
            jobs: 8,
            scheduler: Some(scheduler.clone()),
            ..RunOptions::default()
        };
        let cases = cases.clone();
        async move { run_all(adapter, cases, &options, |_| {}).await }
    });
    for results in futures::future::join_all(runs).await {
        assert_eq!(results.len(), cases.len());
        for result in results {
            let bulk = bulk_ids.contains(&result.id);
            assert!(
                !bulk || result.status == Status::Pass,
                "{} ended {}: {:?}",
                result.id,
                result.status,
                result.mismatches
            );
        }
    }
    let beside = counts.beside_bulk.lock().unwrap();
    assert!(
        beside.is_empty(),
        "cases ran beside a bulk case of their adapter: {beside:?}"
    );
    let most = counts.most_in_flight.load(Ordering::SeqCst);
    assert!(most <= 8, "{most} cases in flight with 8 slots");
    let most_bulk = counts.most_bulk.load(Ordering::SeqCst);
    assert!(
        most_bulk <= 4,
        "{most_bulk} bulk cases at once with 8 slots"
    );
    assert!(most > 1, "cases ran one at a time: the test shows nothing");
}

#[tokio::test]
async fn runs_started_together_start_their_cases_once_every_adapter_is_open() {
    use std::time::Duration;
    let scheduler = Scheduler::new(4);
    scheduler.expect_runs(3);
    let quick = scheduler.opening();
    let slow = scheduler.opening();
    let failing = scheduler.opening();
    let waiting = tokio::spawn(quick.opened());
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!waiting.is_finished(), "two adapters are still opening");
    // An adapter that cannot open (or a run interrupted) counts as done opening.
    drop(failing);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!waiting.is_finished(), "one adapter is still opening");
    tokio::time::timeout(Duration::from_secs(5), slow.opened())
        .await
        .expect("the last to open does not wait");
    tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("the first goes on once every adapter is open")
        .unwrap();
    // A later run on the same scheduler (a retry) is not held.
    tokio::time::timeout(Duration::from_secs(5), scheduler.opening().opened())
        .await
        .expect("nothing to wait for");
}
