//! Dates in words, as people read them: "22 novembre 2026", "1er mars 2027",
//! "22 November 2026". Numeric dates are ambiguous across languages
//! (03/04) and harder to read for people far from digital tools.

use chrono::{DateTime, Datelike, Utc};

use crate::Lang;

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The day of `date` (UTC) in words in `lang`.
pub fn long_date(date: DateTime<Utc>, lang: Lang) -> String {
    // month0() is 0..=11 by chrono's contract.
    let month = date.month0() as usize % 12;
    match lang {
        Lang::Fr => {
            let day = match date.day() {
                1 => "1er".to_owned(),
                d => d.to_string(),
            };
            format!("{day} {} {}", MONTHS_FR[month], date.year())
        }
        Lang::En => format!("{} {} {}", date.day(), MONTHS_EN[month], date.year()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    #[test]
    fn dates_read_in_words() {
        assert_eq!(
            long_date(at("2026-11-22T10:00:00Z"), Lang::Fr),
            "22 novembre 2026"
        );
        assert_eq!(
            long_date(at("2027-03-01T00:00:00Z"), Lang::Fr),
            "1er mars 2027"
        );
        assert_eq!(
            long_date(at("2027-08-15T00:00:00Z"), Lang::Fr),
            "15 août 2027"
        );
        assert_eq!(
            long_date(at("2026-11-22T10:00:00Z"), Lang::En),
            "22 November 2026"
        );
    }
}
