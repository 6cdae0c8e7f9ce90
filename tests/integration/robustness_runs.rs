//! Hostile input costs only itself, continued from `tests/integration/robustness.rs` (which has the table of
//! the robustness probe's defects): here those of runs, logs and adapters. A log cut short or
//! written a token at a time, a bad baseline found before the adapter starts, a signal to the
//! harness that must stop its adapter too, and the messages of adapters that die at once or are
//! not set up, of `repro` and of `report`.

use crate::common;

use common::{cli, root};

#[test]
fn defect_7_a_log_cut_in_its_last_line_is_read_up_to_it_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("run.jsonl");
    let (code, out) = cli(&["run", "--filter", "method.", "--log", log.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    let text = std::fs::read_to_string(&log).unwrap();
    // Cut the log inside its last case line, as an interrupt during a write would.
    let last_case = text.rfind("{\"type\":\"case\"").unwrap();
    std::fs::write(&log, &text[..last_case + 40]).unwrap();
    let out_dir = dir.path().join("out");
    let (code, out) = cli(&[
        "report",
        "--log",
        log.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("warning:") && out.contains("cut short"),
        "{out}"
    );
    let md = std::fs::read_to_string(out_dir.join("matrix.md")).unwrap();
    assert!(md.contains("`method.connect`"), "{md}");
}

#[test]
fn defect_7_each_log_line_is_written_whole() {
    use taro_conformance::run::log::{Footer, Line, LogWriter};
    /// Counts the writes it is given.
    struct Counting(Vec<usize>);
    impl std::io::Write for Counting {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.push(buf.len());
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut writer = LogWriter::new(Counting(Vec::new()));
    let footer = Footer::from_statuses([taro_conformance::verdict::Status::Pass]);
    writer.write(&Line::Footer(footer)).unwrap();
    let writes = writer.into_inner().0;
    assert_eq!(writes.len(), 1, "{writes:?}");
}

#[test]
fn defect_14_a_bad_baseline_is_refused_before_the_adapter_starts() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("bad.yaml");
    std::fs::write(&baseline, "adapter: x\nexpected:\n  - { id: a }\n").unwrap();
    let log = dir.path().join("run.jsonl");
    // An adapter that cannot start at all: a baseline read first is the only error there is.
    let manifest = dir.path().join("adapter.toml");
    std::fs::write(
        &manifest,
        "name = \"never\"\nplatform = \"t\"\ndescription = \"d\"\nstart = [\"/nonexistent/program\"]\n",
    )
    .unwrap();
    let (code, out) = cli(&[
        "run",
        "--adapter",
        manifest.to_str().unwrap(),
        "--baseline",
        baseline.to_str().unwrap(),
        "--log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains(&format!("{}:3:", baseline.display())) && out.contains("is missing"),
        "{out}"
    );
    assert!(!out.contains("cannot start"), "{out}");
    assert!(!log.exists());
}

/// Whether a process is alive (a zombie, waiting for its parent to read its status, is not).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let state = stat
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .next()?
                .to_string();
            Some(state != "Z" && state != "X")
        })
        .unwrap_or(false)
}

#[rstest::rstest]
#[case::sigint(libc::SIGINT, 130)]
#[case::sigterm(libc::SIGTERM, 143)]
fn defect_9_a_signal_to_the_harness_alone_stops_its_adapter(
    #[case] signal: i32,
    #[case] code: i32,
) {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("adapter.pid");
    let script = root().join("tests/adapters/misbehave.js");
    let manifest = dir.path().join("adapter.toml");
    std::fs::write(
        &manifest,
        format!(
            "name = \"linger\"\nplatform = \"t\"\ndescription = \"d\"\nstart = [\"node\", {:?}, {:?}]\n",
            script.display().to_string(),
            format!("linger:{}", pid_file.display())
        ),
    )
    .unwrap();
    let log = dir.path().join("run.jsonl");
    let mut harness = common::binary()
        .args(["run", "--no-baseline", "--filter", "method.", "--adapter"])
        .arg(&manifest)
        .arg("--log")
        .arg(&log)
        .current_dir(root())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !pid_file.exists() && started.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let adapter: u32 = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(alive(adapter), "the adapter runs");
    // To the harness alone, as a CI cancel or `timeout` sends it.
    // SAFETY: kill(2) on the harness's pid; no memory is touched.
    unsafe { libc::kill(harness.id() as i32, signal) };
    let status = harness.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(harness.stderr.as_mut().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(code), "{stderr}");
    assert!(stderr.contains("interrupted by"), "{stderr}");
    let gone = std::time::Instant::now();
    while alive(adapter) && gone.elapsed() < std::time::Duration::from_secs(5) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        !alive(adapter),
        "the adapter {adapter} outlived the harness"
    );
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(log.starts_with("{\"type\":\"header\""), "{log}");
    assert!(log.ends_with('\n'), "whole lines only: {log}");
}

/// A manifest in a temporary directory.
fn manifest(toml: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("adapter.toml");
    std::fs::write(&path, toml).unwrap();
    let path = path.to_str().unwrap().to_string();
    (dir, path)
}

#[test]
fn defect_15_an_adapter_that_exits_at_once_says_how_and_what_it_wrote() {
    let (_dir, path) = manifest(
        "name = \"dying\"\nplatform = \"t\"\ndescription = \"d\"\nstart = [\"sh\", \"-c\", \"echo dying >&2; exit 3\"]\n",
    );
    let (code, out) = cli(&["smoke", "--adapter", &path]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("it exited before answering `start` (exit status: 3)")
            && out.contains("dying"),
        "{out}"
    );
}

#[test]
fn defect_15_an_adapter_not_set_up_without_a_setup_command_says_so() {
    let (_dir, path) = manifest(
        "name = \"unready\"\nplatform = \"t\"\ndescription = \"d\"\nstart = [\"node\"]\nready = [\"nothing-here\"]\n",
    );
    let (code, out) = cli(&["smoke", "--adapter", &path]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("[\"nothing-here\"] are missing") && out.contains("no setup command"),
        "{out}"
    );
    assert!(!out.contains("it runs ``"), "{out}");
}

#[test]
fn defect_15_repro_of_an_empty_id_suggests_nothing() {
    let (code, out) = cli(&["repro", ""]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("(similar: [])"), "{out}");
}

#[test]
fn defect_15_report_refuses_two_runs_in_one_log_and_names_unknown_ids() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("run.jsonl");
    let (code, out) = cli(&[
        "run",
        "--filter",
        "method.get",
        "--exact",
        "--log",
        log.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    let one = std::fs::read_to_string(&log).unwrap();
    let out_dir = dir.path().join("out");
    let report = |log: &std::path::Path| {
        cli(&[
            "report",
            "--log",
            log.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
        ])
    };
    let twice = dir.path().join("twice.jsonl");
    std::fs::write(&twice, format!("{one}{one}")).unwrap();
    let (code, out) = report(&twice);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("a second header"), "{out}");
    let renamed = dir.path().join("renamed.jsonl");
    std::fs::write(
        &renamed,
        one.replace("\"id\":\"method.get\"", "\"id\":\"method.gone\""),
    )
    .unwrap();
    let (code, out) = report(&renamed);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("1 case(s) the suite does not have, left out: method.gone"),
        "{out}"
    );
}
