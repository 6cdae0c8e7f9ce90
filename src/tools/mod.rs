//! Tools around a run: [`smoke`] (does an adapter answer at all), [`repro`] (one case as a
//! script), [`bench`](mod@bench) (what the harness costs) and [`verify`] (do the timing cases
//! hold run after run).

pub mod bench;
pub mod repro;
pub mod smoke;
pub mod verify;
