//! NIST P-256 public keys: from and to their SEC1 and Multikey encodings, checked to
//! be points of the curve, and the RustCrypto verifying key the ECDSA cryptosuites
//! use (`keys::di`: `ecdsa-rdfc-2019`, `ecdsa-sd-2023`).
//!
//! A P-256 key is kept in [`PublicKey::EcP256`] as its base64url JWK coordinates, the
//! form VC-JWT verification reads; the constructors here are the only ones that build
//! it from bytes, and they refuse a point that is not on the curve.
//!
//! Multikey (<https://www.w3.org/TR/controller-document/#multikey>): multicodec
//! `p256-pub` (0x1200, varint `0x80 0x24`) + the 33-byte SEC1 compressed point,
//! multibase base58btc: `zDn...`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use p256::elliptic_curve::sec1::{EncodedPoint, FromEncodedPoint, ToEncodedPoint};

use crate::jwk::JwkError;
use crate::keypair::PublicKey;

/// Multicodec header of a P-256 public key (`p256-pub`, 0x1200, varint-encoded).
pub const P256_MULTICODEC: [u8; 2] = [0x80, 0x24];

impl PublicKey {
    /// A P-256 key from its SEC1 encoding (33-byte compressed or 65-byte uncompressed
    /// point), refused unless the point is on the curve.
    pub fn from_p256_sec1(bytes: &[u8]) -> Result<Self, JwkError> {
        let point =
            p256::PublicKey::from_sec1_bytes(bytes).map_err(|_| JwkError::InvalidMember {
                member: "x",
                reason: format!("{} bytes are not a P-256 point", bytes.len()),
            })?;
        Ok(Self::from_p256(&point))
    }

    /// A P-256 key from its JWK coordinates (base64url, 32 bytes each), refused unless
    /// the point is on the curve.
    pub fn from_p256_coordinates(x: &str, y: &str) -> Result<Self, JwkError> {
        let point = p256_point(x, y)?;
        Ok(Self::from_p256(&point))
    }

    /// The RustCrypto ECDSA verifying key of a P-256 key; `None` for other key types.
    pub fn p256_verifying_key(&self) -> Option<p256::ecdsa::VerifyingKey> {
        match self {
            Self::EcP256 { x, y } => p256_point(x, y).ok().map(Into::into),
            _ => None,
        }
    }

    /// The Multikey `publicKeyMultibase` of an Ed25519 (`z6Mk...`) or P-256
    /// (`zDn...`) key; `None` for RSA, which has no Multikey form here.
    pub fn to_multikey(&self) -> Option<String> {
        let (header, key) = match self {
            Self::Ed25519(key) => (crate::did::ED25519_MULTICODEC, key.as_bytes().to_vec()),
            Self::EcP256 { .. } => {
                let point = self.p256_verifying_key()?.to_encoded_point(true);
                (P256_MULTICODEC, point.as_bytes().to_vec())
            }
            Self::Rsa(_) => return None,
        };
        let mut bytes = header.to_vec();
        bytes.extend(key);
        Some(format!("z{}", bs58::encode(bytes).into_string()))
    }

    fn from_p256(point: &p256::PublicKey) -> Self {
        let encoded = point.to_encoded_point(false);
        // An uncompressed encoding of a curve point always has both coordinates.
        let coordinate = |bytes: Option<&p256::FieldBytes>| {
            bytes
                .map(|bytes| URL_SAFE_NO_PAD.encode(bytes))
                .unwrap_or_default()
        };
        Self::EcP256 {
            x: coordinate(encoded.x()),
            y: coordinate(encoded.y()),
        }
    }
}

/// The curve point of base64url JWK coordinates.
fn p256_point(x: &str, y: &str) -> Result<p256::PublicKey, JwkError> {
    let coordinate = |member: &'static str, text: &str| -> Result<p256::FieldBytes, JwkError> {
        let bytes = URL_SAFE_NO_PAD
            .decode(text)
            .map_err(|e| JwkError::InvalidMember {
                member,
                reason: e.to_string(),
            })?;
        if bytes.len() != 32 {
            return Err(JwkError::InvalidMember {
                member,
                reason: format!("{} bytes, expected 32", bytes.len()),
            });
        }
        Ok(*p256::FieldBytes::from_slice(&bytes))
    };
    let point = EncodedPoint::<p256::NistP256>::from_affine_coordinates(
        &coordinate("x", x)?,
        &coordinate("y", y)?,
        false,
    );
    Option::from(p256::PublicKey::from_encoded_point(&point)).ok_or(JwkError::InvalidMember {
        member: "y",
        reason: "the coordinates are not a point of P-256".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The public key of the W3C vc-di-ecdsa test vectors (`TestVectors/p256KeyPair.json`).
    const W3C_P256: &str = "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP";

    #[test]
    fn multikey_round_trip() {
        let bytes = bs58::decode(&W3C_P256[1..]).into_vec().expect("base58");
        let key = PublicKey::from_p256_sec1(&bytes[2..]).expect("on the curve");
        assert_eq!(key.to_multikey().as_deref(), Some(W3C_P256));
        assert!(key.p256_verifying_key().is_some());
        let PublicKey::EcP256 { x, y } = &key else {
            panic!("P-256")
        };
        assert_eq!(PublicKey::from_p256_coordinates(x, y), Ok(key.clone()));
    }

    #[test]
    fn points_off_the_curve_are_refused() {
        // An x coordinate beyond the field modulus, and a truncated point.
        let mut beyond = vec![0x02];
        beyond.extend([0xff; 32]);
        assert!(PublicKey::from_p256_sec1(&beyond).is_err());
        assert!(PublicKey::from_p256_sec1(&beyond[..20]).is_err());
        let zero = URL_SAFE_NO_PAD.encode([0u8; 32]);
        assert!(PublicKey::from_p256_coordinates(&zero, &zero).is_err());
        assert!(PublicKey::from_p256_coordinates("AAAA", &zero).is_err());
    }
}
