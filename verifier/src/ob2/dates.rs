//! Open Badges 2.0 dates, read for the validity checks (what the report and
//! the pages state of them is read in [`crate::view`]).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde_json::Value;

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
}
