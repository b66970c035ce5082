//! One module per route.

pub mod not_found;
pub mod runners;
pub mod sign_in;
