//! The environment an adapter program and a setup command start with: built from an allow-list,
//! not inherited whole, so that what the runner holds (a CI runner's file-command variables such
//! as `GITHUB_ENV` and `GITHUB_OUTPUT`, tokens, credentials) reaches them only when the adapter's
//! manifest names it (`env = ["VAR", …]`).
//!
//! ```
//! use taro_conformance::adapter::env::{Purpose, is_passed};
//! assert!(is_passed("PATH", Purpose::Adapter));
//! assert!(is_passed("LC_ALL", Purpose::Adapter));
//! assert!(is_passed("TARO_CONFORMANCE_CHROMIUM", Purpose::Adapter));
//! assert!(!is_passed("GITHUB_ENV", Purpose::Adapter));
//! assert!(!is_passed("HTTPS_PROXY", Purpose::Adapter));
//! assert!(is_passed("HTTPS_PROXY", Purpose::Setup));
//! assert!(is_passed("npm_config_registry", Purpose::Setup));
//! assert!(!is_passed("NPM_TOKEN", Purpose::Setup));
//! ```

use std::ffi::OsString;

/// What a program is started for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The adapter itself: it talks to the mock origins on this machine only.
    Adapter,
    /// A setup command (and `list_versions`): it installs packages, through the network.
    Setup,
}

/// Variables every program gets when the runner has them: what a shell, Node and a browser
/// need to run (where programs are, the home and temporary directories, the locale and time
/// zone, certificates, fonts, the runtime directory).
const NAMES: &[&str] = &[
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "SHELL",
    "LANG",
    "LANGUAGE",
    "TZ",
    "TMPDIR",
    "TMP",
    "TEMP",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "FONTCONFIG_FILE",
    "FONTCONFIG_PATH",
    "XDG_RUNTIME_DIR",
    "XDG_CACHE_HOME",
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
];

/// Prefixes of the variables every program gets: the locale's categories, Node's own settings
/// (`NODE_OPTIONS`, `NODE_EXTRA_CA_CERTS`, …) and this harness's (`TARO_CONFORMANCE_TARO`,
/// `TARO_CONFORMANCE_CHROMIUM`, …).
const PREFIXES: &[&str] = &["LC_", "NODE_", "TARO_CONFORMANCE_"];

/// What a setup command gets besides: npm's settings (its registry, cache, config file) and the
/// proxy a machine may need to reach the registry. Not its tokens: a manifest names those.
const SETUP_NAMES: &[&str] = &[
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "all_proxy",
    "CI",
];

/// The prefixes of npm's settings, as npm reads them from the environment.
const SETUP_PREFIXES: &[&str] = &["npm_config_", "NPM_CONFIG_"];

/// Whether the allow-list gives `name` to a program started for `purpose` (a manifest may name
/// more).
pub fn is_passed(name: &str, purpose: Purpose) -> bool {
    let listed = |names: &[&str], prefixes: &[&str]| {
        names.contains(&name) || prefixes.iter().any(|p| name.starts_with(p))
    };
    listed(NAMES, PREFIXES) || (purpose == Purpose::Setup && listed(SETUP_NAMES, SETUP_PREFIXES))
}

/// The runner's variables a program started for `purpose` gets: those of the allow-list, and
/// those `named` (by its manifest), when the runner has them.
pub fn passed(purpose: Purpose, named: &[String]) -> Vec<(OsString, OsString)> {
    std::env::vars_os()
        .filter(|(name, _)| {
            name.to_str()
                .is_some_and(|n| is_passed(n, purpose) || named.iter().any(|m| m == n))
        })
        .collect()
}

/// Whether `name` can name a variable in a manifest's `env`: letters, digits and `_`, not
/// starting with a digit.
///
/// ```
/// use taro_conformance::adapter::env::is_variable_name;
/// assert!(is_variable_name("NPM_TOKEN"));
/// assert!(!is_variable_name("A=B"));
/// assert!(!is_variable_name(""));
/// assert!(!is_variable_name("1A"));
/// ```
pub fn is_variable_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
