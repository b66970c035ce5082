//! Widgets shared by pages.

pub mod confirm_dialog;
pub mod error_notice;
pub mod pager;
pub mod refusal;
pub mod relative_time;
pub mod runner_table;
pub mod status_badge;
pub mod token_reveal;
