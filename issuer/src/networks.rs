//! Networks: a departmental or regional digital-inclusion network and its
//! member organisations. Each member stays an issuer of its own (own keys,
//! own facilitators, own badges); the network's people see the list of its
//! members with their activity, nothing of their participants.

use diesel::prelude::*;

use crate::db::schema::{achievements, awards, network_members, organisations};
use crate::db::{DbConnection, DbError};
use crate::ids::OrgId;
use crate::orgs::Organisation;
use crate::time::now;

/// Why an organisation could not join a network.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum NetworkError {
    /// The organisation is the network itself.
    #[error("an organisation cannot be a member of itself")]
    SelfMembership,
    /// The database failed.
    #[error(transparent)]
    Database(#[from] DbError),
}

impl From<diesel::result::Error> for NetworkError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Database(e.into())
    }
}

/// A member organisation as the network's page lists it.
#[derive(Debug, Clone)]
pub struct MemberSummary {
    /// URL name.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Badges defined.
    pub badges: i64,
    /// Badges awarded.
    pub awards: i64,
    /// Last award, Unix seconds.
    pub last_award_at: Option<i64>,
}

/// Makes `member` a member of `network` (idempotent).
pub fn add_member(
    conn: &mut DbConnection,
    network: &Organisation,
    member: &Organisation,
) -> Result<(), NetworkError> {
    if network.id == member.id {
        return Err(NetworkError::SelfMembership);
    }
    let exists: i64 = network_members::table
        .filter(network_members::network_id.eq(&network.id))
        .filter(network_members::member_id.eq(&member.id))
        .count()
        .get_result(conn)?;
    if exists == 0 {
        diesel::insert_into(network_members::table)
            .values((
                network_members::network_id.eq(&network.id),
                network_members::member_id.eq(&member.id),
                network_members::created_at.eq(now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The members of a network, by name, with their activity.
pub fn members(conn: &mut DbConnection, network_id: &OrgId) -> QueryResult<Vec<MemberSummary>> {
    let members: Vec<(String, String, String)> = network_members::table
        .inner_join(organisations::table.on(organisations::id.eq(network_members::member_id)))
        .filter(network_members::network_id.eq(network_id))
        .order(organisations::name.asc())
        .select((organisations::id, organisations::slug, organisations::name))
        .load(conn)?;
    members
        .into_iter()
        .map(|(id, slug, name)| {
            let badges = achievements::table
                .filter(achievements::org_id.eq(&id))
                .count()
                .get_result(conn)?;
            let awards_count = awards::table
                .filter(awards::org_id.eq(&id))
                .count()
                .get_result(conn)?;
            let last_award_at = awards::table
                .filter(awards::org_id.eq(&id))
                .select(diesel::dsl::max(awards::created_at))
                .first::<Option<i64>>(conn)?;
            Ok(MemberSummary {
                slug,
                name,
                badges,
                awards: awards_count,
                last_award_at,
            })
        })
        .collect()
}
