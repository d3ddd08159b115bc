//! Credential status: W3C Bitstring Status List and 1EdTech Revocation List.
//!
//! A status that cannot be established is never reported as "not revoked":
//! every path that fails to read a list ends in [`StatusVerdict::Unavailable`].
//!
//! - Bitstring Status List: <https://www.w3.org/TR/vc-bitstring-status-list/>.
//!   The list is GZIP-compressed, base64url-encoded with a multibase `u`
//!   prefix, and bit 0 is the most significant bit of the first byte.
//! - 1EdTech Revocation List: <https://www.imsglobal.org/spec/ob/v3p0/#1edtech-revocation-list>.

use std::io::Read;

use base64::Engine as _;
use serde_json::Value;

/// The smallest list the Bitstring Status List specification allows
/// (131,072 entries = 16 KiB), below which a list gives away too much about
/// who holds which index.
pub const MIN_LIST_ENTRIES: usize = 131_072;

/// Upper bound on a decompressed list: 16 MiB = 134 million entries. A
/// compressed list inflating past this is treated as hostile.
pub const MAX_LIST_BYTES: u64 = 16 * 1024 * 1024;

/// What the status check concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusVerdict {
    /// The list was read and the credential's bit is not set.
    Clear {
        /// `revocation` or `suspension`.
        purpose: String,
    },
    /// The credential is revoked.
    Revoked {
        /// The published reason, when the list gives one.
        reason: Option<String>,
    },
    /// The credential is suspended (a suspension list has its bit set).
    Suspended,
    /// The status could not be established; the message says why.
    Unavailable(String),
}

/// Errors decoding a Bitstring Status List.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum BitstringError {
    /// `encodedList` does not start with the multibase `u` (base64url) prefix.
    #[error("the encoded list is not multibase base64url (it must start with 'u')")]
    NotMultibase,
    /// The base64url text is malformed.
    #[error("the encoded list is not valid base64url")]
    Base64,
    /// The decoded bytes are not a valid GZIP stream.
    #[error("the encoded list is not valid GZIP data")]
    Gzip,
    /// The list inflates past [`MAX_LIST_BYTES`].
    #[error("the status list is larger than {MAX_LIST_BYTES} bytes once decompressed")]
    TooLarge,
    /// The index points past the end of the list.
    #[error("status index {index} is outside the list of {entries} entries")]
    IndexOutOfRange {
        /// The index asked for.
        index: u64,
        /// How many entries the list holds.
        entries: u64,
    },
}

/// Decodes a Bitstring Status List's `encodedList` into its raw bits.
pub fn decode_bitstring(encoded: &str) -> Result<Vec<u8>, BitstringError> {
    let text = encoded
        .strip_prefix('u')
        .ok_or(BitstringError::NotMultibase)?;
    let compressed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| BitstringError::Base64)?;
    let mut bits = Vec::new();
    flate2::read::GzDecoder::new(compressed.as_slice())
        .take(MAX_LIST_BYTES + 1)
        .read_to_end(&mut bits)
        .map_err(|_| BitstringError::Gzip)?;
    if bits.len() as u64 > MAX_LIST_BYTES {
        return Err(BitstringError::TooLarge);
    }
    Ok(bits)
}

/// Encodes raw bits as an `encodedList` (GZIP, base64url, multibase `u`).
pub fn encode_bitstring(bits: &[u8]) -> String {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(bits);
    let compressed = encoder.finish().unwrap_or_default();
    format!(
        "u{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(compressed)
    )
}

/// Whether bit `index` is set, counting from the most significant bit of the
/// first byte, as the specification requires.
pub fn bit_is_set(bits: &[u8], index: u64) -> Result<bool, BitstringError> {
    let entries = bits.len() as u64 * 8;
    let byte = usize::try_from(index / 8)
        .ok()
        .and_then(|i| bits.get(i))
        .ok_or(BitstringError::IndexOutOfRange { index, entries })?;
    Ok(byte & (0x80 >> (index % 8)) != 0)
}

/// The index of a `BitstringStatusListEntry`: the specification makes it a
/// string of digits, and older lists a number; both are read.
pub fn entry_index(entry: &Value) -> Option<u64> {
    match entry.get("statusListIndex")? {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

/// Judges a `BitstringStatusListEntry` against the list credential it points
/// to (already fetched and verified by the caller).
pub fn judge_bitstring_entry(entry: &Value, list_credential: &Value) -> StatusVerdict {
    if entry_index(entry).is_none() {
        return StatusVerdict::Unavailable("the status entry has no valid statusListIndex".into());
    }
    match list_bits(list_credential) {
        Ok(bits) => judge_bits(entry, list_purpose(list_credential), &bits),
        Err(why) => StatusVerdict::Unavailable(why),
    }
}

/// The `statusPurpose` of a status list credential, when it states one.
pub fn list_purpose(list_credential: &Value) -> Option<&str> {
    list_subject(list_credential)
        .and_then(|s| s.get("statusPurpose"))
        .and_then(Value::as_str)
}

/// The decoded bitstring of a status list credential.
pub fn list_bits(list_credential: &Value) -> Result<Vec<u8>, String> {
    let encoded = list_subject(list_credential)
        .and_then(|s| s.get("encodedList"))
        .and_then(Value::as_str)
        .ok_or("the status list has no encodedList")?;
    decode_bitstring(encoded).map_err(|e| e.to_string())
}

fn list_subject(list_credential: &Value) -> Option<&Value> {
    match list_credential.get("credentialSubject") {
        Some(Value::Array(subjects)) => subjects.first(),
        other => other,
    }
}

/// Judges a `BitstringStatusListEntry` against a list already decoded: its
/// purpose (`list_purpose`) and its bits.
pub fn judge_bits(entry: &Value, list_purpose: Option<&str>, bits: &[u8]) -> StatusVerdict {
    let Some(index) = entry_index(entry) else {
        return StatusVerdict::Unavailable("the status entry has no valid statusListIndex".into());
    };
    let purpose = entry
        .get("statusPurpose")
        .and_then(Value::as_str)
        .unwrap_or("revocation")
        .to_string();
    if list_purpose.is_some_and(|p| p != purpose) {
        return StatusVerdict::Unavailable(format!(
            "the status list is for {}, the entry for {purpose}",
            list_purpose.unwrap_or_default()
        ));
    }
    match bit_is_set(bits, index) {
        Ok(false) => StatusVerdict::Clear { purpose },
        Ok(true) if purpose == "suspension" => StatusVerdict::Suspended,
        Ok(true) => StatusVerdict::Revoked { reason: None },
        Err(e) => StatusVerdict::Unavailable(e.to_string()),
    }
}

/// Judges a `1EdTechRevocationList` status: the list document names the
/// revoked credentials in `revokedCredentials`, each with an `id` and an
/// optional `revocationReason`.
pub fn judge_revocation_list(credential_id: Option<&str>, list: &Value) -> StatusVerdict {
    let Some(revoked) = list.get("revokedCredentials").and_then(Value::as_array) else {
        return StatusVerdict::Unavailable("the revocation list has no revokedCredentials".into());
    };
    let Some(credential_id) = credential_id else {
        return StatusVerdict::Unavailable(
            "the credential has no id to look up in the revocation list".into(),
        );
    };
    let entry = revoked
        .iter()
        .find(|entry| entry.get("id").and_then(Value::as_str) == Some(credential_id));
    match entry {
        Some(entry) => StatusVerdict::Revoked {
            reason: entry
                .get("revocationReason")
                .and_then(Value::as_str)
                .map(str::to_string),
        },
        None => StatusVerdict::Clear {
            purpose: "revocation".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bits_count_from_the_most_significant_bit() {
        let bits = [0b1000_0000u8, 0b0000_0001];
        assert!(bit_is_set(&bits, 0).expect("in range"));
        assert!(!bit_is_set(&bits, 1).expect("in range"));
        assert!(!bit_is_set(&bits, 7).expect("in range"));
        assert!(bit_is_set(&bits, 15).expect("in range"));
        assert_eq!(
            bit_is_set(&bits, 16),
            Err(BitstringError::IndexOutOfRange {
                index: 16,
                entries: 16
            })
        );
    }

    #[test]
    fn encode_decode_round_trip() {
        let mut bits = vec![0u8; MIN_LIST_ENTRIES / 8];
        bits[2] = 0b0000_0001; // index 23
        let encoded = encode_bitstring(&bits);
        assert_eq!(decode_bitstring(&encoded).expect("decodes"), bits);
    }

    #[test]
    fn the_1edtech_test_list_has_index_23_set() {
        // The encodedList of the 1EdTech validator's bit-string-list/testlist.
        let list = json!({"credentialSubject": {
            "type": "BitstringStatusList", "statusPurpose": "revocation",
            "encodedList": "uH4sIAAAAAAAA_-3BMQEAAAzDoMy_6cnoA9QFAAAAAAAAAAAAAAAAAAAAbD3uPa2cAEAAAA"}});
        let entry =
            |i: u64| json!({"statusPurpose": "revocation", "statusListIndex": i.to_string()});
        assert_eq!(
            judge_bitstring_entry(&entry(23), &list),
            StatusVerdict::Revoked { reason: None }
        );
        assert!(matches!(
            judge_bitstring_entry(&entry(22), &list),
            StatusVerdict::Clear { .. }
        ));
        assert!(matches!(
            judge_bitstring_entry(&entry(10_000_000), &list),
            StatusVerdict::Unavailable(_)
        ));
    }

    #[test]
    fn hostile_lists_are_unavailable_not_clear() {
        let entry = json!({"statusPurpose": "revocation", "statusListIndex": "1"});
        for encoded in ["", "zabc", "u!!!", "uAAAA"] {
            let list = json!({"credentialSubject": {"encodedList": encoded}});
            assert!(
                matches!(
                    judge_bitstring_entry(&entry, &list),
                    StatusVerdict::Unavailable(_)
                ),
                "{encoded:?}"
            );
        }
        // A GZIP bomb: 64 MiB of zeros compresses to about 64 KiB.
        use std::io::Write as _;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..64 {
            encoder.write_all(&zeros).expect("writes to memory");
        }
        let bomb = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(encoder.finish().expect("finishes"));
        assert_eq!(
            decode_bitstring(&format!("u{bomb}")),
            Err(BitstringError::TooLarge)
        );
    }

    #[test]
    fn revocation_list_gives_the_reason() {
        let list = json!({"revokedCredentials": [
            {"id": "urn:uuid:1", "revocationReason": "Awarded in error"}]});
        assert_eq!(
            judge_revocation_list(Some("urn:uuid:1"), &list),
            StatusVerdict::Revoked {
                reason: Some("Awarded in error".into())
            }
        );
        assert!(matches!(
            judge_revocation_list(Some("urn:uuid:2"), &list),
            StatusVerdict::Clear { .. }
        ));
        assert!(matches!(
            judge_revocation_list(Some("urn:uuid:2"), &json!({})),
            StatusVerdict::Unavailable(_)
        ));
    }
}
