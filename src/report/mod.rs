//! The reports: everything the harness writes from run logs for people and programs to read.
//! Each format is a module of its own: the [`matrix`] (Markdown and JSON), its [`html`] page,
//! the [`support`] pages, the run's [`summary`], [`junit`] XML, [`github`] annotations, the
//! [`diff`] of two runs; beside them the [`doubt`]s a cell may carry, the [`links`] every page
//! shares, and the [`schemas`] of what programs read.

pub mod diff;
pub mod doubt;
pub mod github;
pub mod html;
pub mod junit;
pub mod links;
pub mod matrix;
pub mod schemas;
pub mod summary;
pub mod support;
