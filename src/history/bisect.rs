//! Bisect: the first release of a package where one case's behaviour changes, found by running
//! that case on as few releases as a binary search needs (each set up beside the pinned one).
//!
//! ```
//! use taro_conformance::history::bisect::between;
//! let all: Vec<String> = ["1.0.0", "1.1.0", "1.2.0-beta.1", "1.5.0", "2.0.0"].map(String::from).into();
//! assert_eq!(between(&all, "1.0.0", "1.5.0").unwrap(), ["1.0.0", "1.1.0", "1.5.0"]);
//! ```

use semver::Version;

use crate::adapter::manifest;
use crate::adapter::setup_output::SetupOutput;
use crate::error::Error;
use crate::history::stable_between;
use crate::outcome::CaseResult;
use crate::run::{BaselineChoice, Run};
use crate::spec::Suite;
use crate::verdict::Status;

/// The stable releases from `good` to `bad` (both included, in version order); pre-releases
/// are left out.
pub fn between(all: &[String], good: &str, bad: &str) -> Result<Vec<String>, Error> {
    let parse = |v: &str| {
        Version::parse(v).map_err(|e| Error::Usage(format!("`{v}` is not a version: {e}")))
    };
    let (low, high) = (parse(good)?, parse(bad)?);
    let (low, high) = if low <= high {
        (low, high)
    } else {
        (high, low)
    };
    let found = stable_between(all, Some(&low), Some(&high));
    for end in [&low, &high] {
        if !found.contains(&end.to_string()) {
            return Err(Error::Usage(format!(
                "{end} is not a published stable release"
            )));
        }
    }
    Ok(found)
}

/// How one release did on the case.
#[derive(Debug, Clone)]
pub struct Probe {
    /// The release.
    pub version: String,
    /// The case's status there.
    pub status: Status,
    /// Its fingerprint there.
    pub fingerprint: String,
    /// What did not hold there.
    pub mismatches: Vec<String>,
}

impl Probe {
    fn same_as(&self, other: &Probe) -> bool {
        self.status == other.status && self.fingerprint == other.fingerprint
    }
}

/// What bisect found.
#[derive(Debug, Clone)]
pub struct Bisection {
    /// The last release that behaves as `good` does.
    pub last_before: Probe,
    /// The first release that behaves otherwise.
    pub first_changed: Probe,
    /// Every release run, in the order run.
    pub probed: Vec<String>,
}

/// Runs `case` on the releases of `adapter`'s package between `good` and `bad` until it finds
/// the first whose status or fingerprint differs from `good`'s; `progress` hears of each run,
/// and each release's setup output goes where `output` says.
pub async fn bisect(
    adapter: &str,
    suite: &Suite,
    case: &str,
    good: &str,
    bad: &str,
    output: SetupOutput<'_>,
    mut progress: impl FnMut(&Probe),
) -> Result<Bisection, Error> {
    let manifest = manifest::find(adapter)?;
    let releases = between(&manifest.published_versions()?, good, bad)?;
    let loaded = suite.find(case)?;
    let mut probed = Vec::new();
    let mut probe = async |version: &str| -> Result<Probe, Error> {
        manifest.set_up_version(version, None, output)?;
        let report = Run::new(&format!("{adapter}@{version}"))
            .baseline(BaselineChoice::None)
            .execute(suite, std::slice::from_ref(loaded), |_| {})
            .await?;
        let result: &CaseResult = &report.results[0];
        let found = Probe {
            version: version.to_string(),
            status: result.status,
            fingerprint: result.fingerprint(),
            mismatches: result.what_failed(),
        };
        progress(&found);
        probed.push(version.to_string());
        Ok(found)
    };
    let (mut low, mut high) = (0, releases.len() - 1);
    let mut low_probe = probe(&releases[low]).await?;
    let mut high_probe = probe(&releases[high]).await?;
    if low_probe.same_as(&high_probe) {
        return Err(Error::Usage(format!(
            "`{case}` is the same on {} and {}: nothing to bisect",
            releases[low], releases[high]
        )));
    }
    // Invariant: `low` behaves as `good`, `high` does not.
    while high - low > 1 {
        let middle = (low + high) / 2;
        let found = probe(&releases[middle]).await?;
        if found.same_as(&low_probe) {
            (low, low_probe) = (middle, found);
        } else {
            (high, high_probe) = (middle, found);
        }
    }
    Ok(Bisection {
        last_before: low_probe,
        first_changed: high_probe,
        probed,
    })
}
