//! The HTML pages: home (the form), result, certificate; every template
//! receives a [`Ui`]. Templates are askama files under
//! `verifier/templates/`, escaped by default; every text comes from
//! [`crate::i18n`]. No inline style or script anywhere (the CSP forbids
//! them): `/static/app.css` and the optional `/static/app.js`.

use actix_web::HttpResponse;
use askama::Template;

use super::badge::BadgeFacts;
use super::problem::{human_size, ServiceError};
use super::ui::{encode, Ui};
use super::verdict::{
    check_views, holder_view, is_open_badges_2, notice_views, verdict_view, CheckView, HolderView,
    NoticeView, Verdict, VerdictView,
};
use super::verify::Verification;
use super::{AppState, MAX_BODY_BYTES};
use crate::i18n::{self, Lang};

/// Renders a page as a 200 answer.
pub(crate) fn render(page: &impl Template) -> Result<HttpResponse, ServiceError> {
    let html = page
        .render()
        .map_err(|e| ServiceError::Internal(format!("template: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// The home page: one form, three ways to give the badge.
#[derive(Template)]
#[template(path = "home.html")]
pub(crate) struct HomePage {
    pub(crate) ui: Ui,
    /// The upload hint, with the size limit in words.
    pub(crate) upload_help: String,
}

impl HomePage {
    /// The home page in `lang`.
    pub(crate) fn new(lang: Lang) -> Self {
        let size = human_size(MAX_BODY_BYTES, lang);
        HomePage {
            ui: Ui::new(lang, format!("/?lang={}", lang.other().code())),
            upload_help: i18n::message_with(lang, "form-upload-help", &[("size", &size)]),
        }
    }
}

/// Whether the issuer is in the deployment's registry.
#[derive(Debug, Clone)]
pub(crate) struct TrustView {
    /// CSS class suffix.
    pub(crate) tone: &'static str,
    /// Decorative icon.
    pub(crate) icon: &'static str,
    /// "Émetteur reconnu" or "Authentique, émetteur non référencé".
    pub(crate) label: String,
    /// The sentence explaining it.
    pub(crate) detail: String,
}

/// The largest credential text a result page carries in a hidden field to
/// send it again (holder question, language switch): pages stay small.
const MAX_RESUBMIT_BYTES: usize = 40 * 1024;

/// The form that sends the same credential again: the holder question, and
/// the target of the language switch button.
#[derive(Debug, Clone)]
pub(crate) struct Resubmit {
    /// The URL it came from.
    pub(crate) url: Option<String>,
    /// Or its text.
    pub(crate) text: Option<String>,
    /// Whether to ask the holder question (authentic credentials only).
    pub(crate) holder_question: bool,
}

/// Links to the baked images and the certificate.
#[derive(Debug, Clone)]
pub(crate) struct Downloads {
    /// `/bake?...&format=png`.
    pub(crate) png: String,
    /// `/bake?...&format=svg`.
    pub(crate) svg: String,
    /// `/certificate?...`.
    pub(crate) certificate: String,
}

/// The result page.
#[derive(Template)]
#[template(path = "result.html")]
pub(crate) struct ResultPage {
    pub(crate) ui: Ui,
    pub(crate) verdict: VerdictView,
    pub(crate) trust: Option<TrustView>,
    pub(crate) badge: Option<BadgeFacts>,
    pub(crate) holder: Option<HolderView>,
    pub(crate) resubmit: Option<Resubmit>,
    pub(crate) downloads: Option<Downloads>,
    pub(crate) checks: Vec<CheckView>,
    /// What is worth knowing about an authentic badge (its warnings).
    pub(crate) notices: Vec<NoticeView>,
}

impl ResultPage {
    /// The result page of `verification` in `lang`; `holder` is what the
    /// visitor typed in the holder field, shown back to them only.
    pub(crate) fn new(
        state: &AppState,
        verification: &Verification,
        holder: Option<&str>,
        lang: Lang,
    ) -> Self {
        let report = &verification.report;
        let registry = state.config.trust_registry.as_ref();
        let authentic_view = report.view.as_ref().filter(|_| report.authentic);
        let badge = authentic_view.map(|view| BadgeFacts::new(view, registry, lang));
        let trust = registry
            .zip(report.credential.issuer_id.as_deref())
            .filter(|_| report.authentic)
            .map(|(registry, id)| trust_view(registry, id, lang));
        let url = verification.url.as_deref();
        let switch_href = match url {
            Some(url) => format!("/verify?url={}&lang={}", encode(url), lang.other().code()),
            None => format!("/?lang={}", lang.other().code()),
        };
        let text = verification
            .credential_text
            .clone()
            .filter(|t| url.is_none() && t.len() <= MAX_RESUBMIT_BYTES);
        let resubmit = (url.is_some() || text.is_some()).then(|| Resubmit {
            url: url.map(str::to_owned),
            holder_question: report.authentic,
            text: text.clone(),
        });
        let mut ui = Ui::new(lang, switch_href);
        ui.repost = text.is_some();
        // The holder question does not change what can be downloaded.
        // Open Badges 2.0 assertions are not baked into new images.
        let verified = Verdict::of(report) == Verdict::Verified && !is_open_badges_2(report);
        let downloads = url.filter(|_| verified).map(|url| {
            let url = encode(url);
            Downloads {
                png: format!("/bake?url={url}&format=png"),
                svg: format!("/bake?url={url}&format=svg"),
                certificate: format!("/certificate?url={url}&lang={}", lang.code()),
            }
        });
        ResultPage {
            verdict: verdict_view(report, verification.revocation_reason.as_deref(), lang),
            holder: holder.and_then(|h| holder_view(report, h, lang)),
            checks: check_views(report, lang),
            notices: notice_views(report, lang),
            ui,
            trust,
            badge,
            resubmit,
            downloads,
        }
    }
}

fn trust_view(registry: &super::trust::TrustRegistry, issuer_id: &str, lang: Lang) -> TrustView {
    use super::verdict::Tone;
    match registry.find(issuer_id) {
        Some(issuer) => TrustView {
            tone: Tone::Ok.class(),
            icon: Tone::Ok.icon(),
            label: i18n::message(lang, "trust-known"),
            detail: i18n::message_with(
                lang,
                "trust-known-detail",
                &[("name", &issuer.name), ("registry", &registry.name)],
            ),
        },
        None => TrustView {
            tone: Tone::Warn.class(),
            icon: Tone::Warn.icon(),
            label: i18n::message(lang, "trust-unknown"),
            detail: i18n::message(lang, "trust-unknown-detail"),
        },
    }
}

/// The printable certificate.
#[derive(Template)]
#[template(path = "certificate.html")]
pub(crate) struct CertificatePage {
    pub(crate) ui: Ui,
    pub(crate) badge: BadgeFacts,
    /// "Ce badge a été délivré à …", when the credential shows the name.
    pub(crate) holder_sentence: Option<String>,
    /// The achievement image as a PNG `data:` URI.
    pub(crate) image_data: Option<String>,
    /// Or the generated design, as an SVG element (generated here, escaped).
    pub(crate) design_svg: String,
    /// The QR code, as an SVG element (generated here).
    pub(crate) qr_svg: String,
    /// Where the QR code leads.
    pub(crate) verify_url: String,
}
