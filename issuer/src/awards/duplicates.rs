//! Who already holds a badge: before awarding, the pages flag a person who
//! already has an unrevoked award of the same achievement (any version)
//! from the organisation, whichever path made it (single award, workshop,
//! CSV file), and let the facilitator skip or award anyway.
//!
//! The same person is the same e-mail address (case aside) when both have
//! one, else the same name once normalised ([`schemas::normalise_name`]).

use std::collections::HashMap;

use diesel::prelude::*;

use schemas::{normalise_email, normalise_name};

use crate::db::schema::{achievement_versions, awards};
use crate::db::{DbConnection, DbError};
use crate::ids::{AchievementId, OrgId};

/// Someone to look for: a name and, maybe, an address.
#[derive(Debug, Clone)]
pub struct Person<'a> {
    /// Name as typed.
    pub name: &'a str,
    /// E-mail address, if any.
    pub email: Option<&'a str>,
}

impl Person<'_> {
    /// Whether this is the same person as the holder of `name` / `email`.
    pub fn is(&self, name: &str, email: Option<&str>) -> bool {
        match (self.email, email) {
            (Some(a), Some(b)) => normalise_email(a) == normalise_email(b),
            _ => normalise_name(self.name) == normalise_name(name),
        }
    }
}

/// The holders (award id, name, e-mail) of unrevoked awards of
/// `achievement_id` by `org_id`.
pub fn holders(
    conn: &mut DbConnection,
    org_id: &OrgId,
    achievement_id: &AchievementId,
) -> Result<Vec<(String, String, Option<String>)>, DbError> {
    let versions = achievement_versions::table
        .filter(achievement_versions::achievement_id.eq(achievement_id.as_str()))
        .select(achievement_versions::id);
    Ok(awards::table
        .filter(awards::org_id.eq(org_id))
        .filter(awards::achievement_version_id.eq_any(versions))
        .filter(awards::revoked_at.is_null())
        .select((awards::id, awards::recipient_name, awards::recipient_email))
        .load(conn)?)
}

/// The id of an unrevoked award of `achievement_id` already held by
/// `person`, if any. A request repeated with its idempotency key `key` is
/// not a duplicate: it answers the award it made.
pub fn already_held(
    conn: &mut DbConnection,
    org_id: &OrgId,
    achievement_id: &AchievementId,
    person: &Person<'_>,
    key: Option<&str>,
) -> Result<Option<String>, DbError> {
    if let Some(key) = key {
        let repeated: i64 = awards::table
            .filter(awards::org_id.eq(org_id))
            .filter(awards::idempotency_key.eq(key))
            .count()
            .get_result(conn)?;
        if repeated > 0 {
            return Ok(None);
        }
    }
    Ok(holders(conn, org_id, achievement_id)?
        .into_iter()
        .find(|(_, name, email)| person.is(name, email.as_deref()))
        .map(|(id, _, _)| id))
}

/// People seen so far, found again as [`Person::is`] would, without
/// comparing each pair: a file of two thousand rows against as many holders
/// stays linear. The first value given for a person is kept.
#[derive(Debug)]
pub struct PeopleIndex<T> {
    by_email: HashMap<String, T>,
    by_name: HashMap<String, T>,
    by_name_without_email: HashMap<String, T>,
}

impl<T: Clone> Default for PeopleIndex<T> {
    fn default() -> Self {
        Self {
            by_email: HashMap::new(),
            by_name: HashMap::new(),
            by_name_without_email: HashMap::new(),
        }
    }
}

impl<T: Clone> PeopleIndex<T> {
    /// Remembers `person` with `value` (unless they are known already).
    pub fn insert(&mut self, person: &Person<'_>, value: T) {
        let name = normalise_name(person.name);
        match person.email {
            Some(email) => {
                self.by_email
                    .entry(normalise_email(email))
                    .or_insert_with(|| value.clone());
            }
            None => {
                self.by_name_without_email
                    .entry(name.clone())
                    .or_insert_with(|| value.clone());
            }
        }
        self.by_name.entry(name).or_insert(value);
    }

    /// The value of someone known who is `person`: the same address when
    /// both have one, else the same name.
    pub fn find(&self, person: &Person<'_>) -> Option<&T> {
        let name = normalise_name(person.name);
        match person.email {
            Some(email) => self
                .by_email
                .get(&normalise_email(email))
                .or_else(|| self.by_name_without_email.get(&name)),
            None => self.by_name.get(&name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_person_by_address_else_by_name() {
        let lea = Person {
            name: "Léa Martin",
            email: Some("LEA@example.fr"),
        };
        assert!(lea.is("L. Martin", Some("lea@example.fr")));
        assert!(!lea.is("Léa Martin", Some("other@example.fr")));
        assert!(lea.is("  léa   MARTIN ", None));
        let awa = Person {
            name: "Awa Diallo",
            email: None,
        };
        assert!(awa.is("awa diallo", Some("awa@example.fr")));
        assert!(!awa.is("Awa Diallo-Sow", None));
    }

    #[test]
    fn the_index_finds_whom_is_would() {
        let known = [
            ("Léa Martin", Some("lea@example.fr")),
            ("Awa Diallo", None),
            ("Jo Petit", Some("jo@example.fr")),
        ];
        let mut index = PeopleIndex::default();
        for (i, (name, email)) in known.iter().enumerate() {
            index.insert(
                &Person {
                    name,
                    email: *email,
                },
                i,
            );
        }
        let asked = [
            ("L. Martin", Some("LEA@example.fr")),
            ("Léa Martin", Some("other@example.fr")),
            ("léa martin", None),
            ("awa  DIALLO", Some("awa@example.fr")),
            ("Awa Diallo-Sow", None),
            ("Jo Petit", Some("jo2@example.fr")),
        ];
        for (name, email) in asked {
            let person = Person { name, email };
            let slow = known.iter().position(|(n, e)| person.is(n, *e));
            assert_eq!(index.find(&person).copied(), slow, "{name} {email:?}");
        }
    }
}
