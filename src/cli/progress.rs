//! What a run shows while it goes: a progress bar per adapter on a terminal (indicatif), and
//! off one only a line per adapter as it starts, so CI logs stay readable.

use std::io::IsTerminal;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use taro_conformance::report::sink;
use taro_conformance::run::Progress;

/// One bar per adapter of a run, drawn on stderr when it is a terminal.
pub struct Bars {
    multi: MultiProgress,
    bars: Vec<ProgressBar>,
    tty: bool,
}

impl Bars {
    /// A bar of `cases` for each adapter, labelled with its `--adapter` value.
    pub fn new(adapters: &[String], cases: usize) -> Bars {
        let tty = std::io::stderr().is_terminal();
        let target = if tty {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let multi = MultiProgress::with_draw_target(target);
        let width = adapters.iter().map(String::len).max().unwrap_or(0);
        let style = ProgressStyle::with_template(&format!(
            "{{prefix:>{width}}} [{{bar:30}}] {{pos:>4}}/{{len:4}} {{elapsed:>4}} {{wide_msg}}"
        ))
        .expect("the template is valid")
        .progress_chars("=> ");
        let bars = adapters
            .iter()
            .map(|name| {
                let bar = multi.add(ProgressBar::new(cases as u64));
                bar.set_style(style.clone());
                bar.set_prefix(sink::printed(name).into_owned());
                bar.set_message("starting");
                bar
            })
            .collect();
        Bars { multi, bars, tty }
    }

    /// The progress callback of adapter `i`'s run.
    pub fn callback(&self, i: usize) -> impl FnMut(Progress<'_>) + use<> {
        let bar = self.bars[i].clone();
        let multi = self.multi.clone();
        let tty = self.tty;
        move |progress| match progress {
            Progress::Started {
                adapter,
                cases,
                at_once,
            } => {
                let line = format!(
                    "running {cases} cases on `{}` {} ({}, {}), {at_once} at once",
                    adapter.name, adapter.version, adapter.platform, adapter.runtime
                );
                bar.set_length(cases as u64);
                bar.set_message("");
                say(&multi, tty, line);
            }
            Progress::Finished { done, result, .. } => {
                bar.set_position(done as u64);
                bar.set_message(format!("{} {}", result.status, result.id));
            }
            Progress::LogFailed(error) => say(
                &multi,
                tty,
                format!("warning: cannot write the run log: {error}"),
            ),
            Progress::Warning(warning) => say(&multi, tty, format!("warning: {warning}")),
        }
    }

    /// Ends adapter `i`'s bar, saying how it ended.
    pub fn finish(&self, i: usize, message: String) {
        self.bars[i].finish_with_message(message);
    }
}

/// A line on stderr: above the bars on a terminal, plain off one; neutralised either way.
fn say(multi: &MultiProgress, tty: bool, line: String) {
    if tty {
        let _ = multi.println(sink::printed(&line));
    } else {
        errln!("{line}");
    }
}
