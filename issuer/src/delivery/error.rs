//! Why awards could not be delivered, or their deliveries read, in the
//! domain's words; `error/domain.rs` says how each case is answered. A mail
//! server refusing an e-mail is no error: it is recorded as the delivery's
//! outcome (`failed`, with its reason).

use crate::awards::AwardError;
use crate::db::DbError;

/// What went wrong while delivering awards or reading their deliveries.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeliveryError {
    /// An award to deliver could not be read (not found, another
    /// organisation's).
    #[error(transparent)]
    Award(#[from] AwardError),
    /// The e-mails could not be handed to the blocking thread pool, or its
    /// thread stopped before answering (the pool's own words).
    #[error("sending the e-mails: {0}")]
    Sending(String),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for DeliveryError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Database(e.into())
    }
}
