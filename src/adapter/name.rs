//! An adapter's name is what its baseline, run log, snapshots and report column are keyed by, so
//! it becomes part of paths: it must be a plain name. Names come from the manifest (or the
//! built-in reference), never from what an adapter or a log says of itself unless checked here.
//!
//! ```
//! use taro_conformance::adapter::name::check_name;
//! assert!(check_name("taro-h5-jsdom").is_ok());
//! assert!(check_name("../../etc/x").is_err());
//! assert!(check_name("Taro").is_err());
//! ```

/// The longest name accepted.
pub const MOST: usize = 64;

/// `Ok` for a usable adapter name: `[a-z0-9][a-z0-9._-]*`, at most [`MOST`] characters, and no
/// `..` (so that no path built from it leaves its folder); otherwise why not, in words.
pub fn check_name(name: &str) -> Result<(), String> {
    let plain = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        && !name.contains("..")
        && name.len() <= MOST;
    if plain {
        Ok(())
    } else {
        Err(format!(
            "{:?} is not a usable adapter name: lower-case letters, digits, `.`, `_` and `-`, \
             starting with a letter or digit, at most {MOST} characters (it names files)",
            name.chars().take(80).collect::<String>()
        ))
    }
}
