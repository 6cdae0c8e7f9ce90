//! A cell's mark: what a row's measured cases on one adapter say together (✔ every one passes,
//! ◐ some do, ✘ none does, — not offered, ? not measured).

use serde::Serialize;

use crate::verdict::Status;

/// What a cell says of one row on one adapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mark {
    /// Every measured case passes.
    Full,
    /// Some measured cases pass, some do not.
    Partial,
    /// No measured case passes.
    None,
    /// Every case needs a capability the adapter lacks.
    NotOffered,
    /// No case was measured.
    Unmeasured,
}

impl Mark {
    /// The symbol the page shows.
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Full => "✔",
            Mark::Partial => "◐",
            Mark::None => "✘",
            Mark::NotOffered => "—",
            Mark::Unmeasured => "?",
        }
    }
}

/// The mark of a cell whose cases ended with `statuses` (skipped cases are not measured).
pub fn mark(statuses: &[Status]) -> Mark {
    let measured: Vec<&Status> = statuses
        .iter()
        .filter(|s| !matches!(s, Status::NotApplicable | Status::Skipped))
        .collect();
    let passed = measured.iter().filter(|s| ***s == Status::Pass).count();
    mark_of_counts(
        passed,
        measured.len(),
        statuses.contains(&Status::NotApplicable),
    )
}

/// The mark of counts: `passed` of `measured` cases passed; `not_offered` when every case was
/// not applicable.
pub fn mark_of_counts(passed: usize, measured: usize, not_offered: bool) -> Mark {
    if measured == 0 {
        if not_offered {
            Mark::NotOffered
        } else {
            Mark::Unmeasured
        }
    } else if passed == measured {
        Mark::Full
    } else if passed == 0 {
        Mark::None
    } else {
        Mark::Partial
    }
}
