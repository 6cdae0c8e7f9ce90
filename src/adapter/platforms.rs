//! The platforms adapters stand for, as data (`adapters/platforms.toml`): their order (Taro's
//! docs'), their labels in English and Chinese, and whether the support pages give them a
//! column. A platform the table does not know is still shown, labelled with its id.
//!
//! ```
//! use taro_conformance::adapter::platforms::{self, Platform};
//! assert_eq!(platforms::find("weapp").unwrap().zh, "微信小程序");
//! assert!(!platforms::find("lark").unwrap().tagged); // a community plugin's: Taro's tags omit it
//! let unknown = Platform::of("quickapp");
//! assert_eq!((unknown.en.as_str(), unknown.taro, unknown.known), ("quickapp", true, false));
//! assert!(platforms::rank("h5") < platforms::rank("weapp"));
//! assert!(platforms::rank("weapp") < platforms::rank("quickapp"));
//! ```

use std::sync::LazyLock;

use serde::Deserialize;

/// Where the table lives, relative to the repository root (it is compiled in).
pub const PLATFORMS_PATH: &str = "adapters/platforms.toml";

/// One platform.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    /// The id adapters name it by (`weapp`).
    pub id: String,
    /// Its name in English (`WeChat`).
    pub en: String,
    /// Its name in Chinese (`微信小程序`).
    pub zh: String,
    /// A platform of Taro's, with a column on the support pages (not the reference, say).
    #[serde(default = "yes")]
    pub taro: bool,
    /// Named by `@tarojs/taro`'s `@supported` tags, so the docs loop (`dts`) weighs its evidence;
    /// a community plugin's platform is not.
    #[serde(default = "yes")]
    pub tagged: bool,
    /// Listed in the table (an unknown platform is labelled with its id).
    #[serde(skip, default = "yes")]
    pub known: bool,
}

fn yes() -> bool {
    true
}

impl Platform {
    /// The platform `id`: the table's entry, or one labelled with its id.
    pub fn of(id: &str) -> Platform {
        find(id).cloned().unwrap_or_else(|| Platform {
            id: id.to_string(),
            en: id.to_string(),
            zh: id.to_string(),
            taro: true,
            tagged: true,
            known: false,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    platform: Vec<Platform>,
}

static TABLE: LazyLock<Vec<Platform>> = LazyLock::new(|| {
    let text = include_str!("../../adapters/platforms.toml");
    toml::from_str::<Table>(text)
        .unwrap_or_else(|e| panic!("{PLATFORMS_PATH} does not parse: {e}"))
        .platform
});

/// Every platform of the table, in its order.
pub fn all() -> &'static [Platform] {
    &TABLE
}

/// The table's entry for `id`.
pub fn find(id: &str) -> Option<&'static Platform> {
    TABLE.iter().find(|p| p.id == id)
}

/// Where `id` stands in the table's order; an unknown platform after every known one.
pub fn rank(id: &str) -> usize {
    TABLE.iter().position(|p| p.id == id).unwrap_or(TABLE.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_names_each_platform_once() {
        let ids: Vec<&str> = all().iter().map(|p| p.id.as_str()).collect();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
        assert_eq!(&ids[..2], ["reference", "node"]);
        assert!(all().iter().all(|p| p.known));
    }
}
