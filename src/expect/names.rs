//! The names a matcher may use: its `$`-operators and the value types `$type` knows.
//!
//! Each list is declared once, variant beside name, so that the list of names, the parser and
//! the messages cannot drift apart.

/// Declares a fieldless enum whose variants each have a name as written in specs, with `ALL`
/// (every variant, in declaration order), `name` and `from_name`.
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        pub enum $enum:ident {
            $( $(#[doc = $doc:literal])* $variant:ident = $name:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $enum {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl $enum {
            /// Every variant, in declaration order.
            pub const ALL: &[$enum] = &[$($enum::$variant),*];

            /// The name as written in spec files.
            pub fn name(self) -> &'static str {
                match self {
                    $( $enum::$variant => $name, )*
                }
            }

            /// The variant written `name`, if there is one.
            pub fn from_name(name: &str) -> Option<$enum> {
                $enum::ALL.iter().copied().find(|v| v.name() == name)
            }

            /// The variant whose name `name` most likely misspells: nearer than any other, and
            /// at most two edits away (letter case aside), one for a short name.
            pub fn closest(name: &str) -> Option<$enum> {
                closest($enum::ALL.iter().map(|v| (*v, v.name())), name)
            }

            /// Every name, comma-separated, for messages.
            pub fn known() -> String {
                $enum::ALL
                    .iter()
                    .map(|v| v.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        }

        impl std::fmt::Display for $enum {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

/// The item whose name is nearest `name` in edits (letters compared without case), if no other
/// is as near and it is at most two edits away, and at most one per three chars of `name` (so
/// that `$ne` is not taken for `$eq`).
pub(super) fn closest<T>(items: impl Iterator<Item = (T, &'static str)>, name: &str) -> Option<T> {
    let name = name.to_lowercase();
    let mut best: Option<(usize, T)> = None;
    let mut tied = false;
    for (item, candidate) in items {
        let d = distance(&name, &candidate.to_lowercase());
        match &best {
            Some((nearest, _)) if d > *nearest => {}
            Some((nearest, _)) if d == *nearest => tied = true,
            _ => {
                best = Some((d, item));
                tied = false;
            }
        }
    }
    let limit = (name.chars().count() / 3).min(2);
    best.filter(|(d, _)| *d <= limit && !tied)
        .map(|(_, item)| item)
}

/// The Levenshtein distance between `a` and `b`, in chars.
pub(super) fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let replaced = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = replaced.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

named_enum! {
    /// A `$`-operator of a matcher object (see the table in [`crate::expect`]).
    ///
    /// ```
    /// use taro_conformance::expect::Operator;
    /// assert_eq!(Operator::from_name("$regex"), Some(Operator::Regex));
    /// assert!(Operator::ALL.iter().all(|op| op.name().starts_with('$')));
    /// ```
    pub enum Operator {
        /// `{$eq: v}`: equals `v` exactly.
        Eq = "$eq",
        /// `{$type: t, …}`: has type `t`; plain keys beside it match the value's fields.
        Type = "$type",
        /// `{$absent: true}`: missing or `undefined`.
        Absent = "$absent",
        /// `{$present: true}`: there and not `undefined`.
        Present = "$present",
        /// `{$startsWith: s}`: a string starting with `s`.
        StartsWith = "$startsWith",
        /// `{$contains: s}`: a string containing `s`, or an array with an element `s`.
        Contains = "$contains",
        /// `{$regex: r}`: a string matching `r`.
        Regex = "$regex",
        /// `{$json: v}`: a string whose JSON parse equals `v` exactly.
        Json = "$json",
        /// `{$base64: b}`: exactly the bytes `b`.
        Base64 = "$base64",
        /// `{$sha256: hex}`: bytes with this SHA-256.
        Sha256 = "$sha256",
        /// `{$length: n}`: `n` chars, items or bytes.
        Length = "$length",
        /// `{$anyOf: [m, …]}`: matches one of them.
        AnyOf = "$anyOf",
        /// `{$not: m}`: does not match `m`.
        Not = "$not",
    }
}

named_enum! {
    /// A value type `$type` can ask for: what [`crate::value::type_name`] returns for the
    /// values the runner and the adapters exchange (plain JSON, and the tags of `crate::value`
    /// and `adapters/lib/harness.js`).
    ///
    /// ```
    /// use taro_conformance::expect::ValueType;
    /// use taro_conformance::value::{arraybuffer, type_name};
    /// assert_eq!(ValueType::from_name(type_name(&arraybuffer(b"a"))), Some(ValueType::ArrayBuffer));
    /// assert_eq!(ValueType::from_name("widget"), None);
    /// ```
    pub enum ValueType {
        /// A JSON string.
        String = "string",
        /// A JSON number.
        Number = "number",
        /// `true` or `false`.
        Boolean = "boolean",
        /// `null`.
        Null = "null",
        /// A plain object.
        Object = "object",
        /// An array.
        Array = "array",
        /// An `ArrayBuffer` (`{$type: arraybuffer, base64: …}`).
        ArrayBuffer = "arraybuffer",
        /// Raw bytes that are not UTF-8, as a body crossed the wire (`{$type: bytes, base64: …}`).
        Bytes = "bytes",
        /// `undefined`.
        Undefined = "undefined",
        /// An `Error` (`{$type: error, name, message, …}`).
        Error = "error",
        /// A `Headers` object (`{$type: headers, entries: […]}`).
        Headers = "headers",
        /// A function (`{$type: function}`).
        Function = "function",
    }
}
