//! Revocation through W3C Bitstring Status Lists
//! (<https://www.w3.org/TR/vc-bitstring-status-list/>).
//!
//! Each organisation has one or more lists of [`LIST_SIZE`] entries (the
//! specification's minimum, 16 KiB). Every award takes an index drawn
//! uniformly at random among the free ones of the open list (the unique
//! `(status_list_id, status_index)` constraint settles races), so the list
//! reveals neither the order of awards nor how many there are. A list stops
//! taking indices at [`FILL_LIMIT`] (random probing stays cheap) and a new one
//! opens.
//!
//! Each list keeps its bits (`revoked_bits`; bit set = award revoked), set by
//! [`set_revoked`] in the transaction that revokes, so a revocation shows at
//! once and publishing reads one row, however many awards the list holds.
//! Where they are missing (lists older than the column, and new ones) they
//! are rebuilt from the `awards` table under the list's row lock. The signed
//! `BitstringStatusListCredential` (Data Integrity `eddsa-rdfc-2022`, issuer =
//! the identity its credentials name: the organisation's DID, or its Profile
//! for lists opened before the DID, [`StatusList::issuer_form`]) is kept with the digest of what it was signed
//! over and re-signed only when the bits, the issuer id or the active key
//! change.

use std::collections::HashSet;

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use diesel::prelude::*;
use rand::Rng;
use schemas::{
    BitstringStatusList, BitstringStatusListCredential, CredentialStatus, Issuer, StatusListIndex,
};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::db::schema::{awards, organisations, status_lists};
use crate::db::{write_transaction, DbConnection, DbError};
use crate::ids::{OrgId, OrgSlug};
use crate::master_key::MasterKey;
use crate::org_keys::{self, KeyAlgorithm};
use crate::orgs::{self, Organisation};
use crate::time::new_id;

/// Entries per list: the specification's minimum (131,072 bits = 16 KiB),
/// below which a list gives away too much about who holds which index.
pub const LIST_SIZE: i32 = 131_072;
/// A list takes new indices until this many are allocated (75 %): random
/// probing then needs at most four tries on average.
pub const FILL_LIMIT: i32 = LIST_SIZE / 4 * 3;
/// The only `statusPurpose` issued.
pub const REVOCATION: &str = "revocation";
/// Rounds of random probing for free indices before the list is closed as full.
const MAX_PROBES: usize = 64;
/// Values per `IN (...)` list of a query.
const QUERY_CHUNK: usize = 500;

/// Why a status list could not be drawn from, published or updated. Only
/// [`StatusListError::NotFound`] is the caller's doing; the others are a
/// bug, a broken store or a broken key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StatusListError {
    /// No list of this organisation has this id.
    #[error("status list not found")]
    NotFound,
    /// Every list drawn from was used up before enough indices were found.
    #[error("no free status list index")]
    NoFreeIndex,
    /// A revoked award's index lies outside its list.
    #[error("status index {index} outside list {list_id}")]
    IndexOutsideList {
        /// The award's index.
        index: i32,
        /// The list's id.
        list_id: String,
    },
    /// The bits could not be compressed.
    #[error("gzip: {0}")]
    Gzip(#[source] std::io::Error),
    /// The list credential could not be serialised.
    #[error("serialising the status list: {0}")]
    Serialise(#[source] serde_json::Error),
    /// The organisation has no active Ed25519 key to name in the digest.
    #[error("organisation {0} has no Ed25519 key")]
    NoEd25519Key(String),
    /// The active signing key asked for is not an Ed25519 key.
    #[error("active Ed25519 key expected")]
    NotEd25519,
    /// The Data Integrity proof could not be made.
    #[error("signing the status list: {0}")]
    Signing(#[source] keys::di::DataIntegrityError),
    /// The signing key could not be unsealed.
    #[error(transparent)]
    Keys(#[from] org_keys::KeyError),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for StatusListError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Database(e.into())
    }
}

/// A stored status list.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = status_lists)]
pub struct StatusList {
    /// List id, the last segment of its URL.
    pub id: String,
    /// Owning organisation.
    pub org_id: OrgId,
    /// `revocation`.
    pub purpose: String,
    /// Entries.
    pub size: i32,
    /// Indices handed out.
    pub allocated: i32,
    /// Created, Unix seconds.
    pub created_at: i64,
    /// Last allocation or signature, Unix seconds.
    pub updated_at: i64,
    /// The last signed list credential, JSON.
    pub signed_credential: Option<String>,
    /// Digest of what `signed_credential` was signed over.
    pub signed_digest: Option<String>,
    /// The identity the list is signed under, the one its credentials name as
    /// issuer: [`ISSUER_DID`] or, for lists opened before the DID, [`ISSUER_PROFILE`].
    pub issuer_form: String,
}

/// [`StatusList::issuer_form`] of lists whose credentials name the organisation's DID.
pub const ISSUER_DID: &str = "did";
/// [`StatusList::issuer_form`] of lists whose credentials name the Profile URL.
pub const ISSUER_PROFILE: &str = "profile";

impl StatusList {
    /// The id of the identity this list is signed under.
    fn issuer(&self, base: &str, slug: &OrgSlug) -> String {
        if self.issuer_form == ISSUER_PROFILE {
            orgs::profile_id(base, slug)
        } else {
            orgs::did(base, slug)
        }
    }
}

/// A status index handed to a new award.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    /// The list.
    pub list_id: String,
    /// The bit's position in it.
    pub index: i32,
}

/// The URL of a list credential: `<base>/orgs/<slug>/status/<list id>`.
pub fn list_url(base: &str, slug: &OrgSlug, list_id: &str) -> String {
    format!("{}/status/{list_id}", orgs::profile_id(base, slug))
}

/// The `BitstringStatusListEntry` of a credential at `index` of the list.
pub fn status_entry(list_url: &str, index: i32) -> CredentialStatus {
    CredentialStatus {
        id: Some(format!("{list_url}#{index}")),
        status_type: CredentialStatus::BITSTRING_STATUS_LIST_ENTRY.to_owned(),
        status_purpose: Some(REVOCATION.to_owned()),
        status_list_index: Some(StatusListIndex::Text(index.to_string())),
        status_list_credential: Some(list_url.to_owned()),
        extra: serde_json::Map::new(),
    }
}

/// Draws `count` distinct free indices at random for new awards, in the
/// organisation's open list (then in a new one when it has no room left).
/// An index is free when no stored award holds it and it is not in `held`:
/// the indices the caller's other awards, not stored yet, already hold (a
/// batch drawing again for some of its rows after a clash).
///
/// Only reads, besides opening a list: the write transaction that stores the
/// awards comes later, after signing, and counts the indices as used
/// ([`claim`]). Two requests may therefore draw the same index; the award
/// row's unique `(status_list_id, status_index)` refuses the second, which
/// draws again. For the same reason [`FILL_LIMIT`] is a soft limit: a list
/// may end up a few indices past it, never past [`LIST_SIZE`].
pub fn candidates(
    conn: &mut DbConnection,
    org_id: &OrgId,
    count: usize,
    now: i64,
    held: &HashSet<(String, i32)>,
) -> Result<Vec<Allocation>, StatusListError> {
    let mut allocations = Vec::with_capacity(count);
    // Lists used up by this draw: taken to the limit, or proved crowded.
    let mut used_up: Vec<String> = Vec::new();
    while allocations.len() < count {
        if used_up.len() > count + 1 {
            return Err(StatusListError::NoFreeIndex);
        }
        let list = open_list(conn, org_id, now, &used_up)?;
        let room = usize::try_from(FILL_LIMIT.saturating_sub(list.allocated)).unwrap_or(0);
        let wanted = room.min(count - allocations.len());
        let drawn = draw_free(conn, &list, wanted, held)?;
        if drawn.len() < wanted {
            // Unlucky or crowded: close this list so that later draws open one.
            diesel::update(status_lists::table.find(&list.id))
                .set(status_lists::allocated.eq(list.size))
                .execute(conn)?;
        }
        allocations.extend(drawn.into_iter().map(|index| Allocation {
            list_id: list.id.clone(),
            index,
        }));
        used_up.push(list.id);
    }
    Ok(allocations)
}

/// Up to `wanted` distinct indices of `list` that no award holds and that are
/// not `held`, in the order drawn (random); fewer only when random probing
/// keeps hitting taken ones.
fn draw_free(
    conn: &mut DbConnection,
    list: &StatusList,
    wanted: usize,
    held: &HashSet<(String, i32)>,
) -> Result<Vec<i32>, StatusListError> {
    let mut rng = rand::rngs::OsRng;
    let mut chosen: Vec<i32> = Vec::with_capacity(wanted);
    let mut seen: HashSet<i32> = HashSet::with_capacity(wanted * 2);
    for _ in 0..MAX_PROBES {
        let missing = wanted - chosen.len();
        if missing == 0 {
            break;
        }
        let mut drawn = Vec::with_capacity(missing);
        while drawn.len() < missing && seen.len() < usize::try_from(list.size).unwrap_or(0) {
            let index = rng.gen_range(0..list.size);
            if seen.insert(index) {
                drawn.push(index);
            }
        }
        if drawn.is_empty() {
            break;
        }
        let mut taken: HashSet<i32> = drawn
            .iter()
            .copied()
            .filter(|i| held.contains(&(list.id.clone(), *i)))
            .collect();
        for chunk in drawn.chunks(QUERY_CHUNK) {
            taken.extend(
                awards::table
                    .filter(awards::status_list_id.eq(&list.id))
                    .filter(awards::status_index.eq_any(chunk))
                    .select(awards::status_index)
                    .load::<i32>(conn)?,
            );
        }
        chosen.extend(drawn.into_iter().filter(|i| !taken.contains(i)));
    }
    Ok(chosen)
}

/// Counts indices as used by awards stored in the current transaction: one
/// per item, naming its list.
pub fn claim<'a>(
    conn: &mut DbConnection,
    list_ids: impl IntoIterator<Item = &'a str>,
    now: i64,
) -> QueryResult<()> {
    let mut per_list: Vec<(&str, i32)> = Vec::new();
    for list_id in list_ids {
        match per_list.iter_mut().find(|(id, _)| *id == list_id) {
            Some((_, n)) => *n += 1,
            None => per_list.push((list_id, 1)),
        }
    }
    for (list_id, n) in per_list {
        diesel::update(status_lists::table.find(list_id))
            .set((
                status_lists::allocated.eq(status_lists::allocated + n),
                status_lists::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The organisation's newest list with room left, other than `used_up`, or a
/// new one.
fn open_list(
    conn: &mut DbConnection,
    org_id: &OrgId,
    now: i64,
    used_up: &[String],
) -> Result<StatusList, StatusListError> {
    if let Some(list) = newest_open(conn, org_id, used_up)? {
        return Ok(list);
    }
    write_transaction(conn, |conn| {
        // Concurrent awards of one organisation open one list, not one each:
        // the organisation's row is locked (PostgreSQL; SQLite has one writer
        // anyway), then the question is asked again.
        diesel::update(organisations::table.find(org_id))
            .set(organisations::updated_at.eq(organisations::updated_at))
            .execute(conn)?;
        if let Some(list) = newest_open(conn, org_id, used_up)? {
            return Ok(list);
        }
        let list = StatusList {
            id: new_id(),
            org_id: org_id.to_owned(),
            purpose: REVOCATION.to_owned(),
            size: LIST_SIZE,
            allocated: 0,
            created_at: now,
            updated_at: now,
            signed_credential: None,
            signed_digest: None,
            issuer_form: ISSUER_DID.to_owned(),
        };
        diesel::insert_into(status_lists::table)
            .values(&list)
            .execute(conn)?;
        Ok(list)
    })
}

fn newest_open(
    conn: &mut DbConnection,
    org_id: &OrgId,
    used_up: &[String],
) -> QueryResult<Option<StatusList>> {
    status_lists::table
        .filter(status_lists::org_id.eq(org_id))
        .filter(status_lists::purpose.eq(REVOCATION))
        .filter(status_lists::allocated.lt(FILL_LIMIT))
        .filter(status_lists::allocated.lt(status_lists::size))
        .filter(status_lists::issuer_form.eq(ISSUER_DID))
        .filter(status_lists::id.ne_all(used_up))
        .order((status_lists::created_at.desc(), status_lists::id.desc()))
        .select(StatusList::as_select())
        .first(conn)
        .optional()
}

/// The list's bits: bit `i` (most significant bit of byte `i / 8` first, as
/// the specification orders them) is set when the award at index `i` is revoked.
pub fn bits(size: i32, revoked: &[i32]) -> Vec<u8> {
    let mut bits = vec![0u8; byte_len(size)];
    for index in revoked.iter().filter_map(|i| usize::try_from(*i).ok()) {
        if let Some(byte) = bits.get_mut(index / 8) {
            *byte |= 0x80 >> (index % 8);
        }
    }
    bits
}

/// `encodedList`: GZIP of the bits, base64url without padding, multibase `u` prefix.
pub fn encode(bits: &[u8]) -> Result<String, StatusListError> {
    use std::io::Write as _;
    // The default level, not the best: with 1 % of a full list revoked, level 9
    // costs about 20 times level 6's time for an output about 15 % smaller
    // (1.5 against 1.8 KB).
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(bits)
        .and_then(|()| encoder.finish())
        .map(|compressed| format!("u{}", B64URL.encode(compressed)))
        .map_err(StatusListError::Gzip)
}

/// A signed list credential as served.
#[derive(Debug, Clone)]
pub struct PublishedList {
    /// The `BitstringStatusListCredential` JSON.
    pub body: String,
    /// A strong ETag (quoted), changing exactly when the body does.
    pub etag: String,
}

/// The ETag of list `list_id` of the organisation `org_slug` as last signed,
/// read without the list: enough to answer a revalidation that names it with
/// `304 Not Modified`. `None` when the list is unknown, was never signed, or
/// its bits changed since (a revocation clears the digest, `store_bits`):
/// [`published`] then re-signs. A key rotated since the signature does not
/// clear it: a list signed with a retired key stays valid, the issuer's
/// documents still list that key.
pub fn signed_etag(
    conn: &mut DbConnection,
    org_slug: &OrgSlug,
    list_id: &str,
) -> Result<Option<String>, StatusListError> {
    let org = organisations::table
        .filter(organisations::slug.eq(org_slug.as_str()))
        .select(organisations::id);
    let digest: Option<Option<String>> = status_lists::table
        .filter(status_lists::id.eq(list_id))
        .filter(status_lists::org_id.eq_any(org))
        .select(status_lists::signed_digest)
        .first(conn)
        .optional()?;
    Ok(digest.flatten().map(|digest| etag(&digest)))
}

/// The signed list credential of list `list_id` of `org`, re-signed if
/// anything it covers changed since the last signature.
pub fn published(
    conn: &mut DbConnection,
    master: &MasterKey,
    base: &str,
    org: &Organisation,
    list_id: &str,
    now: DateTime<Utc>,
) -> Result<PublishedList, StatusListError> {
    let (list, stored_bits): (StatusList, Option<Vec<u8>>) = status_lists::table
        .filter(status_lists::id.eq(list_id))
        .filter(status_lists::org_id.eq(&org.id))
        .select((StatusList::as_select(), status_lists::revoked_bits))
        .first(conn)
        .optional()?
        .ok_or(StatusListError::NotFound)?;
    let bits = match stored_bits.filter(|b| b.len() == byte_len(list.size)) {
        Some(bits) => bits,
        None => write_transaction(conn, |conn| {
            let bits = locked_bits(conn, &list.id)?;
            store_bits(conn, &list.id, &bits)?;
            Ok::<_, StatusListError>(bits)
        })?,
    };
    let issuer = list.issuer(base, &org.slug);
    let key_id = active_ed25519_id(conn, &org.id)?;
    let digest = digest(&list, &issuer, &key_id, &bits);
    if let (Some(body), Some(stored)) = (&list.signed_credential, &list.signed_digest) {
        if *stored == digest {
            return Ok(PublishedList {
                body: body.clone(),
                etag: etag(&digest),
            });
        }
    }
    let unsigned = list_credential(base, org, &list, &issuer, &bits, now)?;
    let signed = sign_list(conn, master, org, &issuer, &unsigned, now)?;
    let body = signed.to_string();
    diesel::update(status_lists::table.find(&list.id))
        .set((
            status_lists::signed_credential.eq(Some(&body)),
            status_lists::signed_digest.eq(Some(&digest)),
            status_lists::updated_at.eq(now.timestamp()),
        ))
        .execute(conn)?;
    Ok(PublishedList {
        body,
        etag: etag(&digest),
    })
}

/// Sets the bit of `index` in list `list_id`. Call in the write transaction
/// that revokes the award, after its row is updated.
pub fn set_revoked(
    conn: &mut DbConnection,
    list_id: &str,
    index: i32,
) -> Result<(), StatusListError> {
    let mut bits = locked_bits(conn, list_id)?;
    let byte = usize::try_from(index)
        .ok()
        .and_then(|i| bits.get_mut(i / 8));
    let Some(byte) = byte else {
        return Err(StatusListError::IndexOutsideList {
            index,
            list_id: list_id.to_owned(),
        });
    };
    *byte |= 0x80 >> (index % 8);
    store_bits(conn, list_id, &bits)?;
    Ok(())
}

/// The bits of list `list_id`, its row locked until the transaction ends (so
/// that a concurrent revocation waits, then sees them): the stored bits, or,
/// where none are stored, the bits rebuilt from the awards table.
fn locked_bits(conn: &mut DbConnection, list_id: &str) -> Result<Vec<u8>, StatusListError> {
    // A write that changes nothing: PostgreSQL's row lock (SQLite's write
    // transaction already excludes other writers).
    diesel::update(status_lists::table.find(list_id))
        .set(status_lists::size.eq(status_lists::size))
        .execute(conn)?;
    let (size, stored): (i32, Option<Vec<u8>>) = status_lists::table
        .find(list_id)
        .select((status_lists::size, status_lists::revoked_bits))
        .first(conn)?;
    if let Some(bits) = stored.filter(|b| b.len() == byte_len(size)) {
        return Ok(bits);
    }
    let revoked: Vec<i32> = awards::table
        .filter(awards::status_list_id.eq(list_id))
        .filter(awards::revoked_at.is_not_null())
        .select(awards::status_index)
        .load(conn)?;
    Ok(bits(size, &revoked))
}

/// Stores the bits of list `list_id` and forgets the digest of its last
/// signature, which covered the bits before: the list is re-signed at its
/// next publication, and [`signed_etag`] answers no ETag until then.
fn store_bits(conn: &mut DbConnection, list_id: &str, bits: &[u8]) -> QueryResult<usize> {
    diesel::update(status_lists::table.find(list_id))
        .set((
            status_lists::revoked_bits.eq(Some(bits)),
            status_lists::signed_digest.eq(None::<String>),
        ))
        .execute(conn)
}

fn byte_len(size: i32) -> usize {
    usize::try_from(size).unwrap_or(0).div_ceil(8)
}

/// The unsigned `BitstringStatusListCredential` of `list`, issued by `issuer` at `now`.
fn list_credential(
    base: &str,
    org: &Organisation,
    list: &StatusList,
    issuer: &str,
    bits: &[u8],
    now: DateTime<Utc>,
) -> Result<BitstringStatusListCredential, StatusListError> {
    let url = list_url(base, &org.slug, &list.id);
    let subject = BitstringStatusList::new(format!("{url}#list"), &list.purpose, encode(bits)?);
    Ok(BitstringStatusListCredential::new(
        url,
        Issuer::Uri(issuer.to_owned()),
        now.to_rfc3339_opts(SecondsFormat::Secs, true),
        subject,
    ))
}

/// Signs the list credential: the one place it is serialised.
fn sign_list(
    conn: &mut DbConnection,
    master: &MasterKey,
    org: &Organisation,
    issuer: &str,
    unsigned: &BitstringStatusListCredential,
    now: DateTime<Utc>,
) -> Result<Value, StatusListError> {
    let unsigned = serde_json::to_value(unsigned).map_err(StatusListError::Serialise)?;
    let org_keys::SigningKey::Ed25519 { kid, key } =
        org_keys::active_signing_key(conn, master, &org.id, KeyAlgorithm::Ed25519)?
    else {
        return Err(StatusListError::NotEd25519);
    };
    let options = keys::di::ProofOptions::new(format!("{issuer}#{kid}"), now);
    let mut signed = keys::di::sign_eddsa_rdfc_2022(&unsigned, &key, options)
        .map_err(StatusListError::Signing)?;
    org_keys::as_proof_set(&mut signed);
    Ok(signed)
}

fn active_ed25519_id(conn: &mut DbConnection, org_id: &OrgId) -> Result<String, StatusListError> {
    org_keys::all(conn, org_id)?
        .into_iter()
        .rev()
        .find(|k| k.status == org_keys::ACTIVE && k.algorithm == KeyAlgorithm::Ed25519.as_str())
        .map(|k| k.id)
        .ok_or_else(|| StatusListError::NoEd25519Key(org_id.to_string()))
}

fn digest(list: &StatusList, issuer: &str, key_id: &str, bits: &[u8]) -> String {
    let mut hash = Sha256::new();
    for part in [list.id.as_str(), list.purpose.as_str(), issuer, key_id] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.update(bits);
    hex::encode(hash.finalize())
}

fn etag(digest: &str) -> String {
    format!("\"{}\"", &digest[..32.min(digest.len())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    #[test]
    fn bits_are_most_significant_first_and_encode_as_multibase_gzip() {
        let bits = bits(LIST_SIZE, &[0, 15, 131_071, 200_000, -1]);
        assert_eq!(bits.len(), 16_384);
        assert_eq!(bits[0], 0x80);
        assert_eq!(bits[1], 0x01);
        assert_eq!(bits[16_383], 0x01);
        let encoded = encode(&bits).unwrap();
        let compressed = B64URL.decode(encoded.strip_prefix('u').unwrap()).unwrap();
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(compressed.as_slice())
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, bits);
    }

    #[test]
    fn entry_points_at_the_list() {
        let entry =
            serde_json::to_value(status_entry("https://x.fr/orgs/a/status/l1", 42)).unwrap();
        assert_eq!(entry["statusListIndex"], "42");
        assert_eq!(entry["id"], "https://x.fr/orgs/a/status/l1#42");
    }
}
