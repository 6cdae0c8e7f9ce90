//! The checks that keep the suite honest without running it: [`lint`] (every spec valid, every
//! clause covered, every failing case failing for the clauses it cites), [`blame`] (which
//! clause owns a mismatch), [`docs`] (the contract's page) and [`dts`] (Taro's own type
//! declarations against the evidence).

pub mod blame;
pub mod docs;
pub mod dts;
pub mod lint;
