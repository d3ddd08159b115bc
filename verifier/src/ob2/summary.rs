//! An Open Badges 2.0 assertion at a glance, and its dates.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::Value;

use crate::report::Summary;
use crate::view::{is_http, node_id, text};

/// A date as written: a string, or a number (Unix time, Open Badges 1.x).
fn date_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) => Some(text.trim().to_owned()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// An http(s) URL given as an IRI or an object with an `id`.
fn http_reference(value: Option<&Value>) -> Option<String> {
    node_id(value).filter(|id| is_http(id)).map(str::to_owned)
}

/// The facts of an assertion whose `badge` embeds the BadgeClass and whose
/// BadgeClass embeds the issuer Profile (as the verification leaves them);
/// a `badge` or `issuer` still given as a URL yields fewer facts.
pub fn summarise(assertion: &Value) -> Summary {
    let badge = assertion.get("badge").filter(|b| b.is_object());
    let issuer = badge.and_then(|b| b.get("issuer"));
    let criteria = badge.and_then(|b| b.get("criteria"));
    Summary {
        id: text(assertion.get("id")),
        issuer_id: node_id(issuer).map(str::to_owned),
        issuer_name: text(issuer.and_then(|i| i.get("name"))),
        issuer_url: http_reference(issuer.and_then(|i| i.get("url"))),
        achievement_name: text(badge.and_then(|b| b.get("name"))),
        description: text(badge.and_then(|b| b.get("description"))),
        criteria: text(criteria.and_then(|c| c.get("narrative")))
            .or_else(|| http_reference(criteria)),
        image: http_reference(badge.and_then(|b| b.get("image")))
            .or_else(|| http_reference(assertion.get("image"))),
        valid_from: date_text(assertion.get("issuedOn")),
        valid_until: date_text(assertion.get("expires")),
    }
}

/// Reads an OB 2.0 `DateTime`: ISO 8601 with an offset, or without one
/// (read as UTC), a bare date, or Unix seconds (Open Badges 1.x).
pub(super) fn parse_date(value: &Value) -> Result<DateTime<Utc>, String> {
    let seconds = |s: i64| DateTime::from_timestamp(s, 0).ok_or(format!("{s} is out of range"));
    match value {
        Value::Number(number) => number
            .as_i64()
            .map_or_else(|| Err(format!("{number} is not a date")), seconds),
        Value::String(text) => {
            let text = text.trim();
            if let Ok(date) = DateTime::parse_from_rfc3339(text) {
                return Ok(date.with_timezone(&Utc));
            }
            if let Ok(date) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
                return Ok(date.and_utc());
            }
            if let Some(midnight) = NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
            {
                return Ok(midnight.and_utc());
            }
            match text.parse::<i64>() {
                Ok(number) if !text.is_empty() => seconds(number),
                _ => Err(format!("{text:?} is not a date")),
            }
        }
        other => Err(format!("{other} is not a date")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dates_in_their_ob2_forms() {
        let at = |v: Value| parse_date(&v).map(|d| d.to_rfc3339());
        let noon = "2016-12-31T12:00:00+00:00".to_owned();
        assert_eq!(at(json!("2016-12-31T12:00:00Z")), Ok(noon.clone()));
        assert_eq!(at(json!("2016-12-31T13:00:00+01:00")), Ok(noon.clone()));
        assert_eq!(at(json!("2016-12-31T12:00:00")), Ok(noon));
        assert_eq!(
            at(json!("2016-12-31")),
            Ok("2016-12-31T00:00:00+00:00".into())
        );
        assert_eq!(at(json!(0)), Ok("1970-01-01T00:00:00+00:00".into()));
        assert!(at(json!("demain")).is_err());
        assert!(at(json!(true)).is_err());
    }

    #[test]
    fn summary_of_an_expanded_assertion() {
        let assertion = json!({
            "id": "https://example.org/a/1",
            "issuedOn": "2016-12-31T23:59:59Z",
            "image": "https://example.org/a/1.png",
            "badge": {
                "name": "Robotique", "description": "Des robots",
                "criteria": {"narrative": "Construire un robot"},
                "image": {"id": "javascript:alert(1)"},
                "issuer": {"id": "https://example.org/i", "name": "Club", "url": "https://example.org"}
            }
        });
        let summary = summarise(&assertion);
        assert_eq!(summary.achievement_name.as_deref(), Some("Robotique"));
        assert_eq!(summary.issuer_name.as_deref(), Some("Club"));
        assert_eq!(summary.issuer_id.as_deref(), Some("https://example.org/i"));
        assert_eq!(summary.criteria.as_deref(), Some("Construire un robot"));
        assert_eq!(
            summary.image.as_deref(),
            Some("https://example.org/a/1.png"),
            "only http(s) images"
        );
        assert_eq!(summary.valid_until, None);
    }
}
