//! The web edge: each domain error becomes an [`ApiError`] here, in one
//! place, so that domain modules say what went wrong and this module alone
//! says how it is answered (status, code, message).

use super::ApiError;
use crate::text::TextError;

impl From<TextError> for ApiError {
    fn from(e: TextError) -> Self {
        Self::InvalidText {
            field: e.field,
            found: e.found,
        }
    }
}
