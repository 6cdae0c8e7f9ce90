//! The figures of whole runs, each `run` a child process timed as a person times it (wall, and
//! the CPU of it and every process it waited for): every set-up adapter alone and all at once
//! (`run --all`), the Chromium adapter's suite against its floor, optionally `run --all` of
//! another checkout in the same rounds (its CPU against this one's), and the last `.ci/run`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{BROWSER_ADAPTER, NotMeasured};
use crate::spec::Suite;

/// The wall and CPU time of one child process.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Timed {
    /// From start to exit.
    pub wall: Duration,
    /// User and system time of it and the descendants it waited for.
    pub cpu: Duration,
}

/// The CPU of every child this process has waited for so far.
fn children_cpu() -> Duration {
    // SAFETY: getrusage(2) only writes the struct it is handed, which is all zeroes to start.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Runs `program run ARGS` in `dir`, its logs in a folder of its own and no baseline, and times
/// it. A run whose cases fail (exit 1) still counts; one that cannot run (exit 2, a signal)
/// does not.
async fn run(program: &Path, dir: &Path, adapters: &[&str]) -> Result<Timed, NotMeasured> {
    let logs = std::env::temp_dir().join(format!("taro-conformance-bench-{}", std::process::id()));
    let mut command = tokio::process::Command::new(program);
    command
        .kill_on_drop(true)
        .current_dir(dir)
        .args([
            "run",
            "--no-baseline",
            "--no-job-summary",
            "--annotations",
            "none",
        ])
        .arg("--log-dir")
        .arg(&logs)
        .stdout(std::process::Stdio::null());
    for adapter in adapters {
        command.args(["--adapter", adapter]);
    }
    let cpu = children_cpu();
    let started = Instant::now();
    let output = command.output().await;
    let wall = started.elapsed();
    let cpu = children_cpu().saturating_sub(cpu);
    let _ = std::fs::remove_dir_all(&logs);
    let output = output.map_err(|e| {
        NotMeasured::Unavailable(format!("{} does not start: {e}", program.display()))
    })?;
    match output.status.code() {
        Some(0 | 1) => Ok(Timed { wall, cpu }),
        _ => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
            Err(NotMeasured::Unavailable(format!(
                "`{} run` in {} ended {}: {}",
                program.display(),
                dir.display(),
                output.status,
                last.unwrap_or("(nothing on stderr)")
            )))
        }
    }
}

/// A figure over rounds: its median and range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// The median.
    pub median: f64,
    /// The least.
    pub min: f64,
    /// The most.
    pub max: f64,
}

impl Spread {
    /// The spread of `values` (at least one).
    pub fn of(values: impl IntoIterator<Item = f64>) -> Spread {
        let mut values: Vec<f64> = values.into_iter().collect();
        values.sort_by(f64::total_cmp);
        let n = values.len();
        let median = match n {
            0 => f64::NAN,
            _ if n % 2 == 1 => values[n / 2],
            _ => (values[n / 2 - 1] + values[n / 2]) / 2.0,
        };
        Spread {
            median,
            min: values.first().copied().unwrap_or(f64::NAN),
            max: values.last().copied().unwrap_or(f64::NAN),
        }
    }
}

impl std::fmt::Display for Spread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits = f.precision().unwrap_or(1);
        if self.min == self.max {
            write!(f, "{:.digits$}", self.median)
        } else {
            write!(
                f,
                "{:.digits$} ({:.digits$}–{:.digits$})",
                self.median, self.min, self.max
            )
        }
    }
}

/// One round: each adapter alone, then all at once, then (with another checkout) its run of
/// them all, then the browser's launch.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// Each adapter alone, in the order given.
    pub alone: Vec<Timed>,
    /// All at once.
    pub together: Timed,
    /// The other checkout's run of them all, when there is one.
    pub against: Option<Timed>,
    /// The browser adapter opened until ready, when it is among them.
    pub launch: Option<Duration>,
}

/// Every round's figures, and what they need to be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Whole {
    /// The adapters, as `run --all` takes them.
    pub adapters: Vec<String>,
    /// The rounds.
    pub rounds: Vec<Round>,
    /// The other checkout, if any.
    pub against: Option<PathBuf>,
    /// The longest deliberate wait of a case that applies to the browser adapter, and that case.
    pub longest_wait: Option<(String, Duration)>,
}

/// Runs `rounds` rounds (see [`Round`]) of `adapters` on `suite`, this binary's `run` from the
/// current folder and, with `against`, `DIR/target/debug/taro-conformance run` in DIR.
pub async fn measure(
    suite: &Suite,
    adapters: &[String],
    rounds: usize,
    against: Option<&Path>,
) -> Result<Whole, NotMeasured> {
    let me = std::env::current_exe()
        .map_err(|e| NotMeasured::Unavailable(format!("this program's path: {e}")))?;
    let here = PathBuf::from(".");
    let names: Vec<&str> = adapters.iter().map(String::as_str).collect();
    let mut whole = Whole {
        adapters: adapters.to_vec(),
        rounds: Vec::new(),
        against: against.map(Path::to_path_buf),
        longest_wait: None,
    };
    for _ in 0..rounds.max(1) {
        let mut alone = Vec::new();
        for adapter in &names {
            alone.push(run(&me, &here, &[adapter]).await?);
        }
        let together = run(&me, &here, &names).await?;
        let against = match against {
            Some(dir) => Some(run(&dir.join("target/debug/taro-conformance"), dir, &names).await?),
            None => None,
        };
        let mut launch = None;
        if names.contains(&BROWSER_ADAPTER) {
            let started = Instant::now();
            let adapter = crate::adapter::open(BROWSER_ADAPTER)
                .await
                .map_err(NotMeasured::CannotStart)?;
            launch = Some(started.elapsed());
            let info = adapter.info().clone();
            adapter.stop().await;
            whole.longest_wait = suite
                .cases
                .iter()
                .filter(|c| info.missing(&c.case.requires).is_empty())
                .map(|c| (c.case.id.clone(), c.case.deliberate_wait()))
                .max_by_key(|(_, wait)| *wait);
        }
        whole.rounds.push(Round {
            alone,
            together,
            against,
            launch,
        });
    }
    Ok(whole)
}

impl Whole {
    /// A figure of each round.
    fn each(&self, figure: impl Fn(&Round) -> Option<f64>) -> Option<Spread> {
        let values: Vec<f64> = self.rounds.iter().filter_map(figure).collect();
        (!values.is_empty()).then(|| Spread::of(values))
    }

    /// The index of the adapter slowest alone (by its median).
    fn slowest(&self) -> usize {
        (0..self.adapters.len())
            .max_by(|&a, &b| {
                let wall = |i: usize| self.each(|r| Some(r.alone[i].wall.as_secs_f64()));
                let (a, b) = (wall(a), wall(b));
                let median = |s: Option<Spread>| s.map_or(0.0, |s| s.median);
                median(a).total_cmp(&median(b))
            })
            .unwrap_or(0)
    }
}

impl std::fmt::Display for Whole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secs = |d: Duration| Some(d.as_secs_f64());
        let rounds = self.rounds.len();
        writeln!(
            f,
            "whole runs, each a `run` process ({rounds} round(s): median (least–most)):"
        )?;
        let browser = self.adapters.iter().position(|a| a == BROWSER_ADAPTER);
        match (browser, &self.longest_wait) {
            (Some(i), Some((case, wait))) => {
                let floor = |r: &Round| r.launch.map(|l| (l + *wait).as_secs_f64());
                writeln!(
                    f,
                    "  {BROWSER_ADAPTER} alone: wall {} s, CPU {} s; floor {} s (launch {:.2} s + {:.1} s waited by {case}); wall / floor {:.2} (target ≤ 2)",
                    self.each(|r| secs(r.alone[i].wall)).expect("rounds"),
                    self.each(|r| secs(r.alone[i].cpu)).expect("rounds"),
                    self.each(floor).expect("rounds"),
                    self.each(|r| r.launch.map(|l| l.as_secs_f64()))
                        .expect("rounds")
                        .median,
                    wait.as_secs_f64(),
                    self.each(|r| Some(r.alone[i].wall.as_secs_f64() / floor(r)?))
                        .expect("rounds"),
                )?;
            }
            _ => writeln!(f, "  {BROWSER_ADAPTER} alone: not measured (not set up)")?,
        }
        let slowest = self.slowest();
        let ratio_to = |i: usize| {
            self.each(move |r| Some(r.together.wall.as_secs_f64() / r.alone[i].wall.as_secs_f64()))
                .expect("rounds")
        };
        writeln!(
            f,
            "  run --all ({} adapters, one process): wall {} s, CPU {} s; slowest alone ({}): wall {} s; wall / slowest alone {:.2} (target ≤ 1.3)",
            self.adapters.len(),
            self.each(|r| secs(r.together.wall)).expect("rounds"),
            self.each(|r| secs(r.together.cpu)).expect("rounds"),
            self.adapters[slowest],
            self.each(|r| secs(r.alone[slowest].wall)).expect("rounds"),
            ratio_to(slowest),
        )?;
        match browser {
            Some(i) => writeln!(
                f,
                "  run --all / {BROWSER_ADAPTER} alone: {:.2} (target ≤ 1.3)",
                ratio_to(i)
            )?,
            None => writeln!(
                f,
                "  run --all / {BROWSER_ADAPTER} alone: not measured (not set up)"
            )?,
        }
        match &self.against {
            Some(dir) => writeln!(
                f,
                "  run --all CPU against {}'s: {} s against {} s, ratio {:.2} (target ≤ 0.45 of the commit before the origin pool and warm sandboxes)",
                dir.display(),
                self.each(|r| secs(r.together.cpu)).expect("rounds"),
                self.each(|r| secs(r.against?.cpu)).expect("rounds"),
                self.each(|r| Some(r.together.cpu.as_secs_f64() / r.against?.cpu.as_secs_f64()))
                    .expect("rounds"),
            )?,
            None => writeln!(
                f,
                "  run --all CPU against another commit: not measured (`bench --against DIR`, DIR a checkout of it, built and set up)"
            )?,
        }
        let one_by_one = |r: &Round| Some(r.alone.iter().map(|t| t.wall.as_secs_f64()).sum());
        write!(
            f,
            "  one after another: {} s",
            self.each(one_by_one).expect("rounds")
        )
    }
}

/// Where `.ci/run` writes its step table.
pub const CI_TIMES: &str = "target/ci-times.txt";

/// The total of the last `.ci/run` here, as its step table ([`CI_TIMES`]) says, with the
/// table.
pub fn last_ci_run() -> String {
    match std::fs::read_to_string(CI_TIMES) {
        Ok(table) => {
            let total = table
                .lines()
                .find_map(|l| l.strip_prefix("total: "))
                .unwrap_or("(no total: the run did not finish)");
            format!(
                "last `.ci/run` in this checkout ({CI_TIMES}): {total} (target ≤ 360 s from a fresh clone)\n{}",
                table.trim_end()
            )
        }
        Err(_) => format!(
            "`.ci/run`: not measured here ({CI_TIMES} is written by a run: `CI=true bash .ci/run` in a fresh clone; target ≤ 360 s)"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::Spread;

    #[test]
    fn a_spread_gives_the_median_and_the_range() {
        let spread = Spread::of([3.0, 1.0, 2.0]);
        assert_eq!((spread.median, spread.min, spread.max), (2.0, 1.0, 3.0));
        assert_eq!(format!("{spread:.1}"), "2.0 (1.0–3.0)");
        assert_eq!(Spread::of([4.0, 1.0, 2.0, 3.0]).median, 2.5);
        assert_eq!(format!("{:.2}", Spread::of([1.5])), "1.50");
    }
}
