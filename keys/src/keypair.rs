//! Issuer signing keys (Ed25519 and RSA-2048) and the public keys verifiers hold.
//!
//! Private keys are stored as PKCS#8 PEM files created with mode 0600 (never
//! world-readable, not even between creation and `chmod`), PEM text is held in
//! [`Zeroizing`] buffers, and `Debug` never prints key material: only the algorithm
//! and the public key's JWK thumbprint.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use rsa::pkcs8::{
    DecodePrivateKey, EncodePrivateKey, LineEnding, ObjectIdentifier, PrivateKeyInfo,
    SecretDocument,
};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use zeroize::Zeroizing;

use crate::jwk::Jwk;

/// RSA modulus size of generated keys, and the smallest accepted for verification.
pub const RSA_BITS: usize = 2048;

/// OID of Ed25519 keys in PKCS#8 (RFC 8410).
const ED25519_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
/// OID of RSA keys in PKCS#8 (`rsaEncryption`, RFC 8017).
const RSA_OID: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// The signature algorithms an issuer key can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyAlgorithm {
    /// Ed25519 (`EdDSA` in JOSE, `eddsa-rdfc-2022` in Data Integrity).
    Ed25519,
    /// RSA-2048 with PKCS#1 v1.5 and SHA-256 (`RS256`), the OB 3.0 VC-JWT baseline.
    Rs256,
}

/// Errors of key generation, encoding and storage.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// RSA key generation failed (random source or prime search).
    #[error("RSA key generation failed: {0}")]
    Generation(String),
    /// The PEM text is not a PKCS#8 `PRIVATE KEY`, or its DER does not parse.
    #[error("not a PKCS#8 private key PEM: {0}")]
    InvalidPem(String),
    /// The PKCS#8 key is of an algorithm other than Ed25519 or RSA.
    #[error("unsupported private key algorithm (OID {0})")]
    UnsupportedAlgorithm(String),
    /// An RSA key smaller than [`RSA_BITS`].
    #[error("RSA key of {0} bits is too small (minimum {RSA_BITS})")]
    RsaKeyTooSmall(usize),
    /// Encoding the key as PKCS#8 or PKCS#1 failed.
    #[error("key encoding failed: {0}")]
    Encoding(String),
    /// Reading or writing the key file failed.
    #[error("key file {path}: {source}")]
    Io {
        /// The key file.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}

/// A private signing key. Only the issuer holds these (STYLE invariant 2).
pub enum SigningKey {
    /// An Ed25519 key.
    Ed25519(ed25519_dalek::SigningKey),
    /// An RSA key.
    Rsa(RsaPrivateKey),
}

/// A public verification key, as resolved from a DID document, JWK or Multikey.
#[derive(Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// An Ed25519 public key.
    Ed25519(ed25519_dalek::VerifyingKey),
    /// An RSA public key.
    Rsa(RsaPublicKey),
    /// A NIST P-256 public key (ES256), kept as its validated JWK coordinates:
    /// verification goes through `jsonwebtoken`, which takes them as they are.
    EcP256 {
        /// The base64url x coordinate (32 bytes).
        x: String,
        /// The base64url y coordinate (32 bytes).
        y: String,
    },
}

impl SigningKey {
    /// Generates a new key: Ed25519, or RSA with a [`RSA_BITS`]-bit modulus.
    pub fn generate(algorithm: KeyAlgorithm) -> Result<Self, KeyError> {
        let mut rng = rand::rngs::OsRng;
        match algorithm {
            KeyAlgorithm::Ed25519 => {
                Ok(Self::Ed25519(ed25519_dalek::SigningKey::generate(&mut rng)))
            }
            KeyAlgorithm::Rs256 => RsaPrivateKey::new(&mut rng, RSA_BITS)
                .map(Self::Rsa)
                .map_err(|e| KeyError::Generation(e.to_string())),
        }
    }

    /// The key's algorithm.
    pub fn algorithm(&self) -> KeyAlgorithm {
        match self {
            Self::Ed25519(_) => KeyAlgorithm::Ed25519,
            Self::Rsa(_) => KeyAlgorithm::Rs256,
        }
    }

    /// The PKCS#8 PEM encoding (`-----BEGIN PRIVATE KEY-----`), wiped on drop.
    pub fn to_pkcs8_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        let pem = match self {
            Self::Ed25519(key) => key.to_pkcs8_pem(LineEnding::LF),
            Self::Rsa(key) => key.to_pkcs8_pem(LineEnding::LF),
        };
        pem.map_err(|e| KeyError::Encoding(e.to_string()))
    }

    /// Parses a PKCS#8 PEM private key, detecting Ed25519 or RSA from its algorithm OID.
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, KeyError> {
        let (label, document) =
            SecretDocument::from_pem(pem).map_err(|e| KeyError::InvalidPem(e.to_string()))?;
        if label != "PRIVATE KEY" {
            return Err(KeyError::InvalidPem(format!(
                "PEM label {label:?}, expected \"PRIVATE KEY\""
            )));
        }
        let info: PrivateKeyInfo<'_> = document
            .decode_msg()
            .map_err(|e| KeyError::InvalidPem(e.to_string()))?;
        let oid = info.algorithm.oid;
        if oid == ED25519_OID {
            ed25519_dalek::SigningKey::from_pkcs8_der(document.as_bytes())
                .map(Self::Ed25519)
                .map_err(|e| KeyError::InvalidPem(e.to_string()))
        } else if oid == RSA_OID {
            let key = RsaPrivateKey::from_pkcs8_der(document.as_bytes())
                .map_err(|e| KeyError::InvalidPem(e.to_string()))?;
            let bits = key.n().bits();
            if bits < RSA_BITS {
                return Err(KeyError::RsaKeyTooSmall(bits));
            }
            Ok(Self::Rsa(key))
        } else {
            Err(KeyError::UnsupportedAlgorithm(oid.to_string()))
        }
    }

    /// Writes the key as PKCS#8 PEM to `path`, replacing any existing file.
    ///
    /// The PEM goes to a fresh sibling file created with mode 0600 (on unix) and is
    /// then renamed over `path`, so the key is never readable by others, and a file
    /// that already existed with looser permissions is replaced rather than reused.
    pub fn save(&self, path: &Path) -> Result<(), KeyError> {
        let io_error = |source| KeyError::Io {
            path: path.to_path_buf(),
            source,
        };
        let pem = self.to_pkcs8_pem()?;
        let temporary = temporary_sibling(path);
        let written = create_private_file(&temporary)
            .and_then(|mut file| {
                file.write_all(pem.as_bytes())?;
                file.sync_all()
            })
            .and_then(|()| std::fs::rename(&temporary, path));
        if let Err(error) = written {
            // Best effort: the temporary file may not exist if creation failed.
            let _ = std::fs::remove_file(&temporary);
            return Err(io_error(error));
        }
        Ok(())
    }

    /// Reads a PKCS#8 PEM key file written by [`SigningKey::save`] (or any PKCS#8
    /// Ed25519 / RSA key).
    pub fn load(path: &Path) -> Result<Self, KeyError> {
        let pem = std::fs::read_to_string(path)
            .map(Zeroizing::new)
            .map_err(|source| KeyError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        Self::from_pkcs8_pem(&pem)
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        match self {
            Self::Ed25519(key) => PublicKey::Ed25519(key.verifying_key()),
            Self::Rsa(key) => PublicKey::Rsa(key.to_public_key()),
        }
    }

    /// The public key as a JWK (no private members).
    pub fn public_jwk(&self) -> Jwk {
        self.public_key().to_jwk()
    }
}

impl PublicKey {
    /// The key's algorithm family as a short name (`Ed25519`, `RSA`, `P-256`).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Ed25519(_) => "Ed25519",
            Self::Rsa(_) => "RSA",
            Self::EcP256 { .. } => "P-256",
        }
    }
}

impl fmt::Debug for SigningKey {
    /// Prints the algorithm and the public key thumbprint, never private material.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("algorithm", &self.algorithm())
            .field("public_jwk_thumbprint", &self.public_jwk().thumbprint())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("kind", &self.kind())
            .field("jwk_thumbprint", &self.to_jwk().thumbprint())
            .finish()
    }
}

/// A hidden sibling of `path` with a random suffix, for an atomic replace.
fn temporary_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let suffix: u64 = rand::random();
    path.with_file_name(format!(".{name}.{suffix:016x}.tmp"))
}

/// Creates a new file (failing if it exists) readable and writable by its owner only.
fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_does_not_print_private_key() {
        let key = SigningKey::generate(KeyAlgorithm::Ed25519).expect("generate");
        let pem = key.to_pkcs8_pem().expect("pem");
        let base64_body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let debug = format!("{key:?}");
        assert!(debug.contains("Ed25519"), "{debug}");
        assert!(!debug.contains(&base64_body), "{debug}");
        let SigningKey::Ed25519(inner) = &key else {
            panic!("ed25519")
        };
        assert!(!debug.contains(&hex_lower(&inner.to_bytes())), "{debug}");
    }

    #[test]
    fn rejects_other_pem_labels_and_garbage() {
        assert!(matches!(
            SigningKey::from_pkcs8_pem("not a pem"),
            Err(KeyError::InvalidPem(_))
        ));
        let public = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";
        assert!(matches!(
            SigningKey::from_pkcs8_pem(public),
            Err(KeyError::InvalidPem(_))
        ));
    }

    fn hex_lower(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
}
