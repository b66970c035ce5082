//! Widgets shared by pages.

pub mod bulk_actions;
pub mod choose_or_type;
pub mod clock;
pub mod confirm_dialog;
pub mod copy_block;
pub mod download;
pub mod error_notice;
pub mod fields;
pub mod fleet_view;
pub mod loading;
pub mod pager;
pub mod progress_run;
pub mod reauth_dialog;
pub mod refusal;
pub mod relative_time;
pub mod retry_notice;
pub mod runner_facts;
pub mod runner_filters;
pub mod runner_settings;
pub mod runner_table;
pub mod shortcuts;
pub mod source_picker;
pub mod status_badge;
pub mod status_summary;
pub mod toasts;
pub mod token_reveal;
