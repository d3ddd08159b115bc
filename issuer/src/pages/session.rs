//! Who is looking at a facilitator page: [`PageUser`], extracted from the
//! session cookie; anyone else is sent to the login page and back.
//!
//! Forms are plain HTML (they work without JavaScript), so the CSRF token
//! travels in a hidden `csrf` field rather than the API's `X-CSRF-Token`
//! header; every POST handler calls [`PageUser::check_csrf`] before acting.

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpRequest};

use crate::audit::Actor;
use crate::auth::{self, SESSION_COOKIE};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::orgs::Organisation;
use crate::pages::ui::{here, lang_of};
use crate::pages::{PageError, Ui};
use crate::state::AppState;
use crate::users::{self, Role};

/// A logged-in facilitator on a page.
#[derive(Debug, Clone)]
pub struct PageUser {
    /// User id.
    pub user_id: String,
    /// Display name.
    pub name: String,
    /// The session's CSRF token.
    pub csrf: String,
    /// Page language.
    pub lang: Lang,
    /// This page's path and query.
    pub path: String,
}

impl PageUser {
    /// The user as the audit log records them.
    pub fn actor(&self) -> Actor<'_> {
        Actor::user(&self.user_id)
    }

    /// The template context for this user.
    pub fn ui(&self) -> Ui {
        Ui {
            lang: self.lang,
            csrf: self.csrf.clone(),
            user: Some(self.name.clone()),
            path: self.path.clone(),
        }
    }

    /// Refuses a form whose `csrf` field is not this session's token.
    pub fn check_csrf(&self, sent: &str) -> Result<(), PageError> {
        if auth::secrets_equal(sent, &self.csrf) {
            Ok(())
        } else {
            Err(self.error(ApiError::Forbidden("missing or wrong CSRF token".into())))
        }
    }

    /// The organisation `slug` if this user holds at least `min` there;
    /// non-members get "not found", as in the API.
    pub fn require(
        &self,
        conn: &mut DbConnection,
        slug: &str,
        min: Role,
    ) -> Result<(Organisation, Role), ApiError> {
        let caller = auth::Caller {
            user_id: self.user_id.clone(),
            method: auth::AuthMethod::Session,
        };
        caller.require(conn, slug, min)
    }

    /// An error shown in this user's language.
    pub fn error(&self, error: ApiError) -> PageError {
        PageError::from(error).in_lang(self.lang)
    }
}

impl FromRequest for PageUser {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let lang = lang_of(&req);
            let path = here(&req);
            let login = |lang| PageError {
                error: ApiError::Unauthenticated,
                lang,
                login_then: Some(if req.method().is_safe() {
                    path.clone()
                } else {
                    "/app".to_owned()
                }),
            };
            let Some(cookie) = req.cookie(SESSION_COOKIE) else {
                return Err(login(lang));
            };
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| PageError::from(ApiError::internal("state missing")))?
                .clone();
            let value = cookie.value().to_owned();
            let found = state
                .db
                .run(move |conn| -> Result<_, ApiError> {
                    let (user_id, csrf) = auth::session_of(conn, &value)?;
                    let user = users::by_id(conn, &user_id)?;
                    Ok((user, csrf))
                })
                .await;
            match found {
                Ok((user, csrf)) => Ok(PageUser {
                    user_id: user.id,
                    name: user.display_name,
                    csrf,
                    lang,
                    path,
                }),
                Err(ApiError::Unauthenticated) => Err(login(lang)),
                Err(other) => Err(PageError::from(other).in_lang(lang)),
            }
        })
    }
}
