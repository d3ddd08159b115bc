//! Keys, DIDs and proofs for Open Badges 3.0 credentials.
//!
//! - [`keypair`]: Ed25519 and RSA key generation, PKCS#8 PEM storage; [`ec`]: P-256
//!   public keys (SEC1, JWK and Multikey forms).
//! - [`did`], [`jwk`]: did:key, did:jwk, did:web documents; JWK and JWKS.
//! - [`jwt`]: VC-JWT signing and verification.
//! - [`di`]: Data Integrity proofs (eddsa-rdfc-2022, ecdsa-rdfc-2019, ecdsa-sd-2023 and
//!   the legacy Ed25519 suites).
//! - [`resolver`], [`binding`]: how a proof's key is found and tied to its issuer.

pub mod binding;
pub mod di;
pub mod did;
pub mod ec;
pub mod jwk;
pub mod jwt;
mod key_cache;
pub mod keypair;
pub mod resolver;

pub use binding::{resolve_jwt_key, resolve_verification_key, BindingError};
pub use jwk::{Jwk, Jwks};
pub use jwt::{
    decode_unverified, sign_vc_jwt, verify_vc_jwt, JwtError, UnverifiedJwt, VerifiedJwt,
};
pub use keypair::{KeyAlgorithm, KeyError, PublicKey, SigningKey};
pub use resolver::{OfflineResolver, ResolveError, Resolver};
