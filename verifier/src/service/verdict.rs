//! The answer in plain words: which verdict a report deserves, and how each
//! check and the holder question read in the page's language.
//!
//! The verdicts are distinct on purpose: "tampered", "signed by someone
//! else", "expired but authentic", "revoked" and "status unknown" call for
//! different actions from an employer. A status that cannot be read is
//! never shown as "not revoked". Each verdict has an icon and a word, never
//! a colour alone.

use super::badge::long_date;
use crate::i18n::{self, Lang};
use crate::report::{Outcome, Report};

/// How a verdict or a line feels: the CSS class, with an icon and words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    /// Good news.
    Ok,
    /// Do not rely on it.
    Bad,
    /// Worth a look.
    Warn,
    /// Neither.
    Neutral,
}

impl Tone {
    /// The CSS class suffix.
    pub(crate) fn class(self) -> &'static str {
        match self {
            Tone::Ok => "ok",
            Tone::Bad => "bad",
            Tone::Warn => "warn",
            Tone::Neutral => "neutral",
        }
    }

    /// The icon, read by nobody (`aria-hidden`): the words carry the meaning.
    pub(crate) fn icon(self) -> &'static str {
        match self {
            Tone::Ok => "✓",
            Tone::Bad => "✗",
            Tone::Warn => "!",
            Tone::Neutral => "–",
        }
    }
}

/// The main answer of a result page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Authentic, current, not revoked.
    Verified,
    /// An Open Badges 2.0 assertion.
    OpenBadges2,
    /// No badge in what was given.
    NotABadge,
    /// The signature does not match the content.
    Tampered,
    /// Signed with a key the issuer does not control.
    WrongKey,
    /// The issuer's keys could not be reached.
    KeyUnknown,
    /// No valid proof for another reason (none, unsupported, malformed).
    NotAuthentic,
    /// Revoked by the issuer.
    Revoked,
    /// Suspended by the issuer.
    Suspended,
    /// Authentic but expired.
    Expired,
    /// Authentic but not valid yet.
    NotYetValid,
    /// Authentic, but whether it is revoked is unknown.
    StatusUnknown,
    /// Authentic, but failing another check (schema, dates).
    Invalid,
}

impl Verdict {
    /// The verdict of a report. The recipient check is left out: the holder
    /// question has its own answer on the page.
    pub(crate) fn of(report: &Report) -> Verdict {
        let failed = |codes: &[&str]| {
            report
                .checks
                .iter()
                .any(|c| c.outcome == Outcome::Failed && codes.contains(&c.code))
        };
        if failed(&["input.not_a_badge"]) {
            return Verdict::NotABadge;
        }
        if failed(&["input.open_badges_2", "input.openbadges_v2"]) {
            return Verdict::OpenBadges2;
        }
        if !report.authentic {
            // Evidence of forgery first; then a revocation the issuer's own
            // server reports (the 410 of an unsigned or JWT-secured
            // credential), which can only lower trust.
            return if failed(&[
                "proof.signature_invalid",
                "proof.undefined_term",
                "proof.jwt_claims_mismatch",
                "ob2.hosted_mismatch",
            ]) {
                Verdict::Tampered
            } else if failed(&[
                "issuer.key_not_bound",
                "issuer.key_not_found",
                "proof.algorithm_key_mismatch",
                "ob2.origin_mismatch",
            ]) {
                Verdict::WrongKey
            } else if failed(&["status.revoked"]) {
                Verdict::Revoked
            } else if failed(&[
                "issuer.key_unresolvable",
                "ob2.hosted_unavailable",
                "ob2.badge_unavailable",
                "ob2.issuer_unavailable",
            ]) {
                Verdict::KeyUnknown
            } else {
                Verdict::NotAuthentic
            };
        }
        let other_failure = report
            .checks
            .iter()
            .any(|c| c.outcome == Outcome::Failed && c.check != "recipient");
        if !other_failure {
            Verdict::Verified
        } else if failed(&["status.revoked"]) {
            Verdict::Revoked
        } else if failed(&["status.suspended"]) {
            Verdict::Suspended
        } else if failed(&["validity.expired"]) {
            Verdict::Expired
        } else if failed(&["validity.not_yet_valid"]) {
            Verdict::NotYetValid
        } else if failed(&["status.unavailable"]) {
            Verdict::StatusUnknown
        } else {
            Verdict::Invalid
        }
    }

    /// Its tone.
    pub(crate) fn tone(self) -> Tone {
        match self {
            Verdict::Verified => Tone::Ok,
            Verdict::OpenBadges2
            | Verdict::NotABadge
            | Verdict::KeyUnknown
            | Verdict::Expired
            | Verdict::NotYetValid
            | Verdict::StatusUnknown => Tone::Warn,
            _ => Tone::Bad,
        }
    }

    /// The message ids of its headline and of its explanation.
    fn messages(self) -> (&'static str, Option<&'static str>) {
        match self {
            Verdict::Verified => ("verdict-verified", Some("verdict-verified-help")),
            Verdict::OpenBadges2 => ("verdict-openbadges-v2", Some("verdict-openbadges-v2-help")),
            Verdict::NotABadge => ("verdict-not-openbadge", Some("verdict-not-openbadge-help")),
            Verdict::Tampered => ("verdict-tampered", Some("verdict-tampered-help")),
            Verdict::WrongKey => ("verdict-wrong-key", Some("verdict-wrong-key-help")),
            Verdict::KeyUnknown => ("verdict-key-unknown", Some("verdict-key-unknown-help")),
            Verdict::NotAuthentic => ("verdict-not-authentic", Some("verdict-not-authentic-help")),
            Verdict::Revoked => ("verdict-revoked", None),
            Verdict::Suspended => ("verdict-suspended", None),
            Verdict::Expired => ("verdict-expired", Some("verdict-expired-help")),
            Verdict::NotYetValid => ("verdict-not-yet-valid", None),
            Verdict::StatusUnknown => (
                "verdict-status-unknown",
                Some("verdict-status-unknown-help"),
            ),
            Verdict::Invalid => ("verdict-invalid", Some("verdict-invalid-help")),
        }
    }
}

/// Whether the report is of an Open Badges 2.0 (or 1.0) assertion.
pub(crate) fn is_open_badges_2(report: &Report) -> bool {
    report.find("input.open_badges_2").is_some() || is_open_badges_1(report)
}

/// Whether the report is of an Open Badges 1.0 assertion.
fn is_open_badges_1(report: &Report) -> bool {
    report.find("input.open_badges_1").is_some()
}

/// The verdict as the page shows it.
#[derive(Debug, Clone)]
pub(crate) struct VerdictView {
    /// CSS class suffix.
    pub(crate) tone: &'static str,
    /// Decorative icon.
    pub(crate) icon: &'static str,
    /// One word or two: "Vérifié", "Ne pas s'y fier", "À vérifier".
    pub(crate) label: String,
    /// The answer in one sentence.
    pub(crate) headline: String,
    /// What it means.
    pub(crate) help: Option<String>,
    /// For a revoked credential: the issuer's reason, or that it gave none.
    pub(crate) reason: Option<String>,
}

/// Words for a report's verdict in `lang`.
pub(crate) fn verdict_view(report: &Report, reason: Option<&str>, lang: Lang) -> VerdictView {
    let verdict = Verdict::of(report);
    let tone = verdict.tone();
    let (headline_id, help_id) = verdict.messages();
    let summary = &report.credential;
    let date = |value: &Option<String>| {
        value
            .as_deref()
            .map(|v| long_date(v, lang))
            .unwrap_or_default()
    };
    let headline = match verdict {
        Verdict::Expired => {
            i18n::message_with(lang, headline_id, &[("date", &date(&summary.valid_until))])
        }
        Verdict::NotYetValid => {
            i18n::message_with(lang, headline_id, &[("date", &date(&summary.valid_from))])
        }
        _ => i18n::message(lang, headline_id),
    };
    let reason = (verdict == Verdict::Revoked).then(|| match reason {
        Some(reason) => i18n::message_with(lang, "verdict-revoked-reason", &[("reason", reason)]),
        None => i18n::message(lang, "verdict-revoked-no-reason"),
    });
    // An Open Badges 2.0 badge checked under its own rules says so.
    let help = help_id.map(|id| i18n::message(lang, id));
    let help = if verdict != Verdict::OpenBadges2 && is_open_badges_2(report) {
        let notice = if is_open_badges_1(report) {
            i18n::message(lang, "verdict-openbadges-v1-notice")
        } else {
            i18n::message(lang, "verdict-openbadges-v2-notice")
        };
        Some(match help {
            Some(help) => format!("{help} {notice}"),
            None => notice,
        })
    } else {
        help
    };
    let label = match tone {
        Tone::Ok => "verdict-label-ok",
        Tone::Warn | Tone::Neutral => "verdict-label-warn",
        Tone::Bad => "verdict-label-bad",
    };
    VerdictView {
        tone: tone.class(),
        icon: tone.icon(),
        label: i18n::message(lang, label),
        headline,
        help,
        reason,
    }
}

/// One line of the details section.
#[derive(Debug, Clone)]
pub(crate) struct CheckView {
    /// CSS class suffix.
    pub(crate) tone: &'static str,
    /// Decorative icon.
    pub(crate) icon: &'static str,
    /// The outcome in a word: "Réussi", "Échoué", "À savoir", "Non vérifié".
    pub(crate) outcome: String,
    /// What the check means, translated.
    pub(crate) text: String,
    /// The report's own message (English, for support), and its code.
    pub(crate) technical: String,
}

/// Every check of a report, in words.
pub(crate) fn check_views(report: &Report, lang: Lang) -> Vec<CheckView> {
    report
        .checks
        .iter()
        .map(|check| {
            let (tone, outcome) = match check.outcome {
                Outcome::Passed => (Tone::Ok, "outcome-passed"),
                Outcome::Failed => (Tone::Bad, "outcome-failed"),
                Outcome::Warning => (Tone::Warn, "outcome-warning"),
                Outcome::Skipped => (Tone::Neutral, "outcome-skipped"),
            };
            CheckView {
                tone: tone.class(),
                icon: tone.icon(),
                outcome: i18n::message(lang, outcome),
                text: i18n::check_message(lang, check.code)
                    .unwrap_or_else(|| check.message.clone()),
                technical: format!("{}: {}", check.code, check.message),
            }
        })
        .collect()
}

/// One thing worth knowing about an authentic badge, in plain words.
#[derive(Debug, Clone)]
pub(crate) struct NoticeView {
    /// What the warning means for the reader.
    pub(crate) text: String,
}

/// The warnings of an authentic badge, each once, in words, for the "good to
/// know" section; the Open Badges 2.0 notice is already in the verdict. A
/// badge that is not authentic gets none: its verdict is what matters (every
/// check, warnings included, stays in the details).
pub(crate) fn notice_views(report: &Report, lang: Lang) -> Vec<NoticeView> {
    if !report.authentic {
        return Vec::new();
    }
    let mut seen = Vec::new();
    let mut notices = Vec::new();
    for check in &report.checks {
        if check.outcome != Outcome::Warning
            || check.code == "input.open_badges_2"
            || check.code == "input.open_badges_1"
            || seen.contains(&check.code)
        {
            continue;
        }
        seen.push(check.code);
        let text = match (check.code, &check.detail) {
            ("status.list_other_issuer", Some(signer)) => i18n::message_with(
                lang,
                "notice-status-list-other-issuer",
                &[("signer", signer)],
            ),
            _ => i18n::check_message(lang, check.code).unwrap_or_else(|| check.message.clone()),
        };
        notices.push(NoticeView { text });
    }
    notices
}

/// The answer to "was this badge awarded to this person?".
#[derive(Debug, Clone)]
pub(crate) struct HolderView {
    /// CSS class suffix.
    pub(crate) tone: &'static str,
    /// Decorative icon.
    pub(crate) icon: &'static str,
    /// The answer.
    pub(crate) text: String,
    /// What to do next, if anything.
    pub(crate) help: Option<String>,
}

/// The holder answer, when a holder was asked about and the credential is
/// authentic (the recipient data of a forged badge proves nothing).
pub(crate) fn holder_view(report: &Report, holder: &str, lang: Lang) -> Option<HolderView> {
    if !report.authentic {
        return None;
    }
    let check = report.checks.iter().find(|c| c.check == "recipient")?;
    let name = [("name", holder)];
    let (tone, text, help) = match check.code {
        "recipient.match" => (
            Tone::Ok,
            i18n::message_with(lang, "holder-match", &name),
            None,
        ),
        "recipient.mismatch" => (
            Tone::Bad,
            i18n::message_with(lang, "holder-mismatch", &name),
            Some(i18n::message(lang, "holder-mismatch-help")),
        ),
        _ => (Tone::Warn, i18n::message(lang, "holder-not-possible"), None),
    };
    Some(HolderView {
        tone: tone.class(),
        icon: tone.icon(),
        text,
        help,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(checks: &[(&'static str, &'static str, Outcome)]) -> Report {
        let mut report = Report::new(None);
        for (family, code, outcome) in checks {
            report.push(family, code, *outcome, "m");
        }
        report.conclude()
    }

    const SIGNED: [(&str, &str, Outcome); 2] = [
        ("proof", "proof.signature_valid", Outcome::Passed),
        ("issuer", "issuer.key_bound", Outcome::Passed),
    ];

    fn with(extra: (&'static str, &'static str, Outcome)) -> Report {
        let mut checks = SIGNED.to_vec();
        checks.push(extra);
        report(&checks)
    }

    #[test]
    fn verdicts_are_distinct() {
        assert_eq!(Verdict::of(&report(&SIGNED)), Verdict::Verified);
        let cases = [
            ("status", "status.revoked", Verdict::Revoked),
            ("status", "status.suspended", Verdict::Suspended),
            ("validity", "validity.expired", Verdict::Expired),
            ("validity", "validity.not_yet_valid", Verdict::NotYetValid),
            ("status", "status.unavailable", Verdict::StatusUnknown),
            ("schema", "schema.invalid", Verdict::Invalid),
        ];
        for (family, code, verdict) in cases {
            assert_eq!(Verdict::of(&with((family, code, Outcome::Failed))), verdict);
        }
        let forged = [
            ("proof", "proof.signature_invalid", Verdict::Tampered),
            ("issuer", "issuer.key_not_bound", Verdict::WrongKey),
            ("issuer", "issuer.key_unresolvable", Verdict::KeyUnknown),
            ("proof", "proof.missing", Verdict::NotAuthentic),
            ("input", "input.open_badges_2", Verdict::OpenBadges2),
            ("input", "input.not_a_badge", Verdict::NotABadge),
        ];
        for (family, code, verdict) in forged {
            assert_eq!(
                Verdict::of(&report(&[(family, code, Outcome::Failed)])),
                verdict
            );
        }
    }

    #[test]
    fn an_authentic_open_badges_2_badge_is_verified_with_a_notice() {
        let hosted = report(&[
            ("input", "input.open_badges_2", Outcome::Warning),
            ("proof", "ob2.hosted_fetched", Outcome::Passed),
            ("issuer", "ob2.origin_match", Outcome::Passed),
        ]);
        assert!(hosted.verified);
        assert_eq!(Verdict::of(&hosted), Verdict::Verified);
        let view = verdict_view(&hosted, None, Lang::Fr);
        assert_eq!(view.tone, "ok");
        assert!(view.help.unwrap().contains("Open Badges 2.0"));
        let cases = [
            ("proof", "ob2.hosted_mismatch", Verdict::Tampered),
            ("issuer", "ob2.origin_mismatch", Verdict::WrongKey),
            ("proof", "ob2.hosted_unavailable", Verdict::KeyUnknown),
            ("status", "status.revoked", Verdict::Revoked),
        ];
        for (family, code, verdict) in cases {
            let report = report(&[
                ("input", "input.open_badges_2", Outcome::Warning),
                (family, code, Outcome::Failed),
            ]);
            assert_eq!(Verdict::of(&report), verdict, "{code}");
        }
        let view = verdict_view(
            &report(&[("input", "input.open_badges_2", Outcome::Failed)]),
            None,
            Lang::En,
        );
        assert_eq!(
            view.headline,
            "This badge uses the older Open Badges 2.0 version."
        );
    }

    #[test]
    fn warnings_of_an_authentic_badge_are_told_once_in_words() {
        let mut report = Report::new(None);
        for (family, code, outcome) in SIGNED {
            report.push(family, code, outcome, "m");
        }
        report.push("schema", "schema.image_as_url", Outcome::Warning, "m");
        report.push("schema", "schema.image_as_url", Outcome::Warning, "m");
        report.push_detailed(
            "status",
            "status.list_other_issuer",
            Outcome::Warning,
            "m",
            "did:key:z6Mkexample",
        );
        let report = report.conclude();
        assert!(report.verified);
        assert_eq!(Verdict::of(&report), Verdict::Verified);
        let notices = notice_views(&report, Lang::Fr);
        assert_eq!(notices.len(), 2);
        assert_eq!(
            notices[0].text,
            i18n::check_message(Lang::Fr, "schema.image_as_url").unwrap()
        );
        assert!(notices[1].text.contains("did:key:z6Mkexample"));
        let mut forged = Report::new(None);
        forged.push("proof", "proof.signature_invalid", Outcome::Failed, "m");
        forged.push("schema", "schema.image_as_url", Outcome::Warning, "m");
        assert!(notice_views(&forged.conclude(), Lang::Fr).is_empty());
    }

    #[test]
    fn an_open_badges_1_badge_is_verified_with_its_own_notice() {
        let hosted = report(&[
            ("input", "input.open_badges_1", Outcome::Warning),
            ("proof", "ob2.hosted_fetched", Outcome::Passed),
            ("issuer", "ob2.origin_match", Outcome::Passed),
        ]);
        assert_eq!(Verdict::of(&hosted), Verdict::Verified);
        assert!(is_open_badges_2(&hosted), "never re-baked");
        for lang in Lang::ALL {
            let help = verdict_view(&hosted, None, lang).help.unwrap();
            assert!(help.contains("Open Badges 1.0"), "{help}");
            assert!(notice_views(&hosted, lang).is_empty());
        }
    }

    #[test]
    fn a_holder_mismatch_does_not_change_the_verdict() {
        let report = with(("recipient", "recipient.mismatch", Outcome::Failed));
        assert!(!report.verified);
        assert_eq!(Verdict::of(&report), Verdict::Verified);
        let holder = holder_view(&report, "Jean", Lang::Fr).unwrap();
        assert_eq!(holder.text, "Non, ce badge n'a pas été délivré à Jean.");
    }

    #[test]
    fn unknown_status_never_reads_as_not_revoked() {
        let report = with(("status", "status.unavailable", Outcome::Failed));
        for lang in Lang::ALL {
            let view = verdict_view(&report, None, lang);
            assert_eq!(view.tone, "warn");
            assert!(!view.headline.contains("n'a pas été retiré"));
            assert!(view.reason.is_none());
        }
        let revoked = with(("status", "status.revoked", Outcome::Failed));
        let view = verdict_view(&revoked, Some("Erreur"), Lang::Fr);
        assert_eq!(
            view.reason.as_deref(),
            Some("Raison donnée par l'organisme : Erreur")
        );
    }
}
