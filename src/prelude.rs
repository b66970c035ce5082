//! What every UI module uses: the reactive core and the browser helpers.

pub use crate::browser::*;
pub use crate::dom::document;
pub use crate::reactive::*;
