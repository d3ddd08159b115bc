//! Decoded Ed25519 public keys, kept by their 32 bytes.
//!
//! Turning 32 bytes into a verification key decompresses a curve point,
//! which costs more than the rest of a key binding; a verifier binds the
//! same few issuer keys again and again (every credential, every status
//! list). The mapping from bytes to key never changes, so it is kept; what
//! a key is *bound to* is still decided by the documents each time.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use ed25519_dalek::{SignatureError, VerifyingKey};

/// The most keys kept; the whole map is dropped when it is full (keys in
/// use come back at once).
const MAX_KEYS: usize = 1024;

static KEYS: LazyLock<Mutex<HashMap<[u8; 32], VerifyingKey>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The Ed25519 key of these bytes, decoded once.
pub(crate) fn ed25519(bytes: &[u8; 32]) -> Result<VerifyingKey, SignatureError> {
    // A panicking holder leaves the map as it was: every update is one call.
    let kept = KEYS
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .get(bytes)
        .copied();
    if let Some(key) = kept {
        return Ok(key);
    }
    let key = VerifyingKey::from_bytes(bytes)?;
    let mut keys = KEYS.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if keys.len() >= MAX_KEYS {
        keys.clear();
    }
    keys.insert(*bytes, key);
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_give_the_same_key_and_bad_bytes_an_error() {
        let signing = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
        let bytes = signing.verifying_key().to_bytes();
        assert_eq!(ed25519(&bytes).expect("a key"), signing.verifying_key());
        assert_eq!(ed25519(&bytes).expect("a key"), signing.verifying_key());
        // Bytes that are not a point of the curve.
        let bad = (2..=255u8)
            .map(|y| {
                let mut bytes = [0u8; 32];
                bytes[0] = y;
                bytes
            })
            .find(|bytes| VerifyingKey::from_bytes(bytes).is_err())
            .expect("some y has no point");
        assert!(ed25519(&bad).is_err());
        assert!(ed25519(&bad).is_err(), "errors are not kept");
    }
}
