//! Tools around a run: [`smoke`] (does an adapter answer at all), [`repro`] (one case as a
//! script), [`bench`](mod@bench) (what the harness costs), [`verify`] (the cases a change
//! adds or edits, run again and again) and [`snapshots`] (an adapter's first snapshots);
//! [`scaffold`] makes a new adapter's folder from a template.

pub mod bench;
pub mod repro;
pub mod scaffold;
pub mod smoke;
pub mod snapshots;
pub mod verify;
