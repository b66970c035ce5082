//! Widgets shared by pages.

pub mod error_notice;
pub mod pager;
pub mod runner_table;
pub mod status_badge;
