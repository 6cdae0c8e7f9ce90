//! Matchers read straight from a spec file: a bad matcher is a deserialization error, which the
//! YAML loader locates at the matcher's own line, and whose message names the path given here.
//!
//! A matcher serializes back to the JSON it was written as.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{DeserializeSeed, Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::Matcher;
use super::parse::join;

impl Serialize for Matcher {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Matcher {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Matcher, D::Error> {
        at(deserializer, "")
    }
}

/// A matcher written at `path`.
pub fn at<'de, D: Deserializer<'de>>(deserializer: D, path: &str) -> Result<Matcher, D::Error> {
    At(path).deserialize(deserializer)
}

/// A matcher written at `path`, or none when the value is `null`.
pub fn optional_at<'de, D: Deserializer<'de>>(
    deserializer: D,
    path: &str,
) -> Result<Option<Matcher>, D::Error> {
    Option::<Value>::deserialize(deserializer)?
        .map(|value| Matcher::parse(&value, path).map_err(D::Error::custom))
        .transpose()
}

/// A map of matchers, each written at `path.KEY`; each is parsed as it is read, so that an
/// error is located at that entry rather than at the map.
pub fn map_at<'de, D: Deserializer<'de>>(
    deserializer: D,
    path: &str,
) -> Result<BTreeMap<String, Matcher>, D::Error> {
    deserializer.deserialize_map(Entries(path))
}

/// Deserializes one matcher, naming `self.0` in its errors.
struct At<'a>(&'a str);

impl<'de> DeserializeSeed<'de> for At<'_> {
    type Value = Matcher;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Matcher, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Matcher::parse(&value, self.0).map_err(D::Error::custom)
    }
}

/// Visits a map of matchers below the path `self.0`.
struct Entries<'a>(&'a str);

impl<'de> Visitor<'de> for Entries<'_> {
    type Value = BTreeMap<String, Matcher>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let matcher = map.next_value_seed(At(&join(self.0, &key)))?;
            entries.insert(key, matcher);
        }
        Ok(entries)
    }
}
