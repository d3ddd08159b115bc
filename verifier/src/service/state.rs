//! What every handler shares ([`AppState`]: the configuration, the
//! resolver with its guarded client, the image slots) and the body limit
//! every route applies. Handlers import this module; it imports no handler:
//! the wiring is the parent module's `app`.

use std::sync::Arc;

use super::config::Config;
use super::slots::{BakeSlots, MAX_CONCURRENT_BAKES};
use crate::net::{HttpClient, NetworkResolver};

/// The largest request body accepted by any route (uploads, pasted text,
/// posted credentials), in bytes: 2 MiB. A credential is a few kilobytes
/// and a badge image rarely more than a few hundred.
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The configuration the service started with.
    pub config: Arc<Config>,
    /// Pinned documents first, then the guarded network.
    pub resolver: Arc<NetworkResolver>,
    /// Slots for building images (`/bake`, `/certificate`).
    pub bakes: Arc<BakeSlots>,
}

impl AppState {
    /// The state for `config`: its pinned documents and a guarded HTTP
    /// client with its network rules and an empty cache.
    pub fn new(config: Config) -> Self {
        let client = Arc::new(HttpClient::new(config.net_config()));
        let resolver = NetworkResolver::new(config.pinned.clone(), client);
        AppState {
            config: Arc::new(config),
            resolver: Arc::new(resolver),
            bakes: BakeSlots::new(MAX_CONCURRENT_BAKES),
        }
    }
}
