//! What became of an award's delivery, as stored and answered. Apart from
//! the sending itself ([`super`], which builds on awards) so that the award
//! views (`awards::AwardView`) name it without importing the sending.

/// What became of an award's delivery: `sent` (the mail server accepted the
/// e-mail with the claim link), `failed` (see the reason), `no_address` or
/// `no_smtp` (no e-mail: hand over the claim code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// The SMTP server accepted the e-mail.
    Sent,
    /// The e-mail could not be sent; see [`super::Delivery::error`].
    Failed,
    /// No e-mail address: the code is to be printed or read out.
    NoAddress,
    /// No SMTP server configured: the code is to be printed or read out.
    NoSmtp,
}

impl DeliveryStatus {
    /// The stored and API form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::NoAddress => "no_address",
            Self::NoSmtp => "no_smtp",
        }
    }

    /// Reads the stored form.
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "sent" => Self::Sent,
            "failed" => Self::Failed,
            "no_address" => Self::NoAddress,
            "no_smtp" => Self::NoSmtp,
            _ => return None,
        })
    }

    /// Whether the participant still needs the printed code.
    pub fn needs_code(self) -> bool {
        self != Self::Sent
    }
}
