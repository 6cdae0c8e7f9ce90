//! Tools around a run: [`smoke`] (does an adapter answer at all), [`repro`] (one case as a
//! script), [`bench`](mod@bench) (what the harness costs), [`verify`] (do the timing cases
//! hold run after run) and [`snapshots`] (an adapter's first snapshots).

pub mod bench;
pub mod repro;
pub mod smoke;
pub mod snapshots;
pub mod verify;
