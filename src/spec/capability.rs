//! Capabilities: the named feature sets an adapter declares and a case requires.
//!
//! A case applies to an adapter only when the adapter declares every capability the case
//! lists; otherwise its status is `not-applicable`. This is the one place they are named.
//!
//! ```
//! use taro_conformance::spec::capability::Capability;
//! assert_eq!(Capability::BrowserFetch.as_str(), "browser-fetch");
//! assert_eq!("h5-jsonp".parse::<Capability>(), Ok(Capability::H5Jsonp));
//! ```

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A feature set of `Taro.request` that not every platform has.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Capability {
    /// The options every platform documents: url, data, header, method, dataType,
    /// responseType, success/fail/complete. Implied by every case.
    Core,
    /// `task.abort()` on the returned task.
    Abort,
    /// The H5 `timeout` option and its 2000 ms default.
    H5Timeout,
    /// The H5 `jsonp` and `jsonpCache` options.
    H5Jsonp,
    /// The H5 `retryTimes`, `backup` and `dataCheck` options.
    H5Retry,
    /// The H5 `useStore`, `storeCheckKey`, `storeSign` and `storeCheck` options.
    H5Store,
    /// A real browser's fetch: `mode`, `credentials`, `cache`, cookies, CORS.
    BrowserFetch,
    /// `Taro.addInterceptor` and `Taro.cleanInterceptors`.
    Interceptors,
    /// The adapter reports what Taro's layer passed to the platform's native request API
    /// (`client.native`): the layer runs over a model of that API.
    NativeCall,
    /// A per-call `timeout` that the platform's own request API documents (TIMEOUT-1): not H5's
    /// alone, and without H5's 2000 ms default.
    Timeout,
}

impl Capability {
    /// Every capability, in declaration order.
    pub const ALL: [Capability; 10] = [
        Capability::Core,
        Capability::Abort,
        Capability::H5Timeout,
        Capability::H5Jsonp,
        Capability::H5Retry,
        Capability::H5Store,
        Capability::BrowserFetch,
        Capability::Interceptors,
        Capability::NativeCall,
        Capability::Timeout,
    ];

    /// The kebab-case name used in specs, manifests and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Capability::Core => "core",
            Capability::Abort => "abort",
            Capability::H5Timeout => "h5-timeout",
            Capability::H5Jsonp => "h5-jsonp",
            Capability::H5Retry => "h5-retry",
            Capability::H5Store => "h5-store",
            Capability::BrowserFetch => "browser-fetch",
            Capability::Interceptors => "interceptors",
            Capability::NativeCall => "native-call",
            Capability::Timeout => "timeout",
        }
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Capability {
    /// The capability with this name, if there is one.
    pub fn from_name(name: &str) -> Option<Capability> {
        Capability::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// A capability name the runner does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCapability(pub String);

impl fmt::Display for UnknownCapability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown capability `{}`", self.0)
    }
}

impl std::error::Error for UnknownCapability {}

impl FromStr for Capability {
    type Err = UnknownCapability;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Capability::from_name(s).ok_or_else(|| UnknownCapability(s.to_string()))
    }
}
