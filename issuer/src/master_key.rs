//! The master key that encrypts organisations' private keys at rest.
//!
//! Private keys are sealed with XChaCha20-Poly1305 (random 192-bit nonce, the
//! key id as associated data so a sealed key cannot be swapped onto another
//! row). The master key comes from configuration, or from `master.key` in the
//! data directory, generated with mode 0600 at first start.

use std::io::Write;
use std::path::Path;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use secrecy::{ExposeSecret, SecretBox, SecretString};

/// File name of the generated master key inside the data directory.
pub const MASTER_KEY_FILE: &str = "master.key";
const NONCE_LEN: usize = 24;

/// Failures loading the master key or opening a sealed private key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MasterKeyError {
    /// The configured or stored key is not 32 bytes of base64.
    #[error("master key must be 32 bytes encoded in base64 ({0})")]
    Malformed(&'static str),
    /// The key file could not be read or written.
    #[error("master key file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The I/O failure.
        source: std::io::Error,
    },
    /// A sealed key failed authentication: wrong master key or altered data.
    #[error("sealed private key cannot be opened (wrong master key or altered data)")]
    Unseal,
}

/// The 256-bit master key. Never printed, zeroised on drop.
pub struct MasterKey(SecretBox<[u8; 32]>);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

impl MasterKey {
    /// Parses a base64 master key (configuration or file content).
    pub fn from_base64(encoded: &SecretString) -> Result<Self, MasterKeyError> {
        let bytes = B64
            .decode(encoded.expose_secret().trim())
            .map_err(|_| MasterKeyError::Malformed("not base64"))?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| MasterKeyError::Malformed("wrong length"))?;
        Ok(Self(SecretBox::new(Box::new(key))))
    }

    /// A fresh random key.
    pub fn generate() -> Self {
        let key: [u8; 32] = XChaCha20Poly1305::generate_key(&mut OsRng).into();
        Self(SecretBox::new(Box::new(key)))
    }

    /// The configured key, or the one in `<data_dir>/master.key`, generated
    /// there (mode 0600) when absent.
    pub fn load_or_generate(
        configured: Option<&SecretString>,
        data_dir: &Path,
    ) -> Result<Self, MasterKeyError> {
        if let Some(encoded) = configured {
            return Self::from_base64(encoded);
        }
        let path = data_dir.join(MASTER_KEY_FILE);
        let io = |source| MasterKeyError::Io {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read_to_string(&path) {
            Ok(content) => Self::from_base64(&SecretString::from(content)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::generate();
                write_private_file(&path, B64.encode(key.0.expose_secret()).as_bytes())
                    .map_err(io)?;
                Ok(key)
            }
            Err(e) => Err(io(e)),
        }
    }

    /// The key the configuration names, or the one in `<data_dir>/master.key`;
    /// `None` when neither exists (nothing is generated).
    pub fn load_existing(
        configured: Option<&SecretString>,
        data_dir: &Path,
    ) -> Result<Option<Self>, MasterKeyError> {
        if let Some(encoded) = configured {
            return Self::from_base64(encoded).map(Some);
        }
        let path = data_dir.join(MASTER_KEY_FILE);
        match std::fs::read_to_string(&path) {
            Ok(content) => Self::from_base64(&SecretString::from(content)).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(MasterKeyError::Io {
                path: path.display().to_string(),
                source,
            }),
        }
    }

    /// Writes this key to `<data_dir>/master.key` (mode 0600); fails if the
    /// file exists.
    pub fn store(&self, data_dir: &Path) -> Result<(), MasterKeyError> {
        let path = data_dir.join(MASTER_KEY_FILE);
        write_private_file(&path, B64.encode(self.0.expose_secret()).as_bytes()).map_err(|source| {
            MasterKeyError::Io {
                path: path.display().to_string(),
                source,
            }
        })
    }

    /// The key in base64, as `ISSUER_MASTER_KEY` and `master.key` hold it:
    /// for a backup made with `--include-master-key` only.
    pub fn export_base64(&self) -> SecretString {
        SecretString::from(B64.encode(self.0.expose_secret()))
    }

    /// A short public fingerprint of the key (16 hex digits of a domain-separated
    /// SHA-256): tells which key a backup needs without revealing it.
    pub fn fingerprint(&self) -> String {
        use sha2::Digest;
        let digest = sha2::Sha256::new()
            .chain_update(b"open-badges-issuer master key fingerprint v1\0")
            .chain_update(self.0.expose_secret())
            .finalize();
        hex::encode(&digest[..8])
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.0.expose_secret().into())
    }

    /// Encrypts `plaintext` bound to `context` (the key id); base64 of nonce || ciphertext.
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> String {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        // Invariant: encryption with a valid key and in-memory buffer cannot
        // fail; an empty ciphertext would fail to unseal, never leak.
        let sealed = self
            .cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: plaintext,
                    aad: context.as_bytes(),
                },
            )
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        B64.encode(out)
    }

    /// Decrypts what [`MasterKey::seal`] produced for the same `context`.
    pub fn unseal(
        &self,
        context: &str,
        sealed: &str,
    ) -> Result<SecretBox<Vec<u8>>, MasterKeyError> {
        let bytes = B64.decode(sealed).map_err(|_| MasterKeyError::Unseal)?;
        if bytes.len() <= NONCE_LEN {
            return Err(MasterKeyError::Unseal);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
        let plain = self
            .cipher()
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| MasterKeyError::Unseal)?;
        Ok(SecretBox::new(Box::new(plain)))
    }
}

/// Creates `path` with mode 0600 (owner only) and writes `content`; fails if it exists.
fn write_private_file(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(content)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_round_trips_and_binds_context() {
        let key = MasterKey::generate();
        let sealed = key.seal("key-1", b"private");
        assert_eq!(
            key.unseal("key-1", &sealed)
                .unwrap()
                .expose_secret()
                .as_slice(),
            b"private"
        );
        assert!(matches!(
            key.unseal("key-2", &sealed),
            Err(MasterKeyError::Unseal)
        ));
        assert!(matches!(
            MasterKey::generate().unseal("key-1", &sealed),
            Err(MasterKeyError::Unseal)
        ));
        assert!(matches!(
            key.unseal("key-1", "AAAA"),
            Err(MasterKeyError::Unseal)
        ));
    }

    #[test]
    fn generated_file_is_private_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let first = MasterKey::load_or_generate(None, dir.path()).unwrap();
        let sealed = first.seal("k", b"x");
        let second = MasterKey::load_or_generate(None, dir.path()).unwrap();
        assert!(second.unseal("k", &sealed).is_ok());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(MASTER_KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn existing_keys_are_loaded_never_generated() {
        let dir = tempfile::tempdir().unwrap();
        assert!(MasterKey::load_existing(None, dir.path())
            .unwrap()
            .is_none());
        assert!(!dir.path().join(MASTER_KEY_FILE).exists());
        let key = MasterKey::generate();
        key.store(dir.path()).unwrap();
        assert!(key.store(dir.path()).is_err(), "never overwritten");
        let loaded = MasterKey::load_existing(None, dir.path()).unwrap().unwrap();
        assert_eq!(loaded.fingerprint(), key.fingerprint());
        assert_eq!(key.fingerprint().len(), 16);
        assert_ne!(key.fingerprint(), MasterKey::generate().fingerprint());
        let configured = key.export_base64();
        let again = MasterKey::load_existing(Some(&configured), Path::new("/nonexistent"))
            .unwrap()
            .unwrap();
        assert_eq!(again.fingerprint(), key.fingerprint());
    }

    #[test]
    fn malformed_configured_key_is_refused() {
        let bad = SecretString::from("c2hvcnQ=");
        assert!(matches!(
            MasterKey::load_or_generate(Some(&bad), Path::new("/nonexistent")),
            Err(MasterKeyError::Malformed(_))
        ));
    }
}
