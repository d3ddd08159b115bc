//! Test harness: a fresh application per test on SQLite or PostgreSQL, an
//! in-process HTTP client, and fixtures (organisations, users, logins).

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::test::TestRequest;
use issuer::audit::CLI_ACTOR;
use issuer::config::Config;
use issuer::orgs::{self, NewOrganisation, ProfileInput};
use issuer::state::AppState;
use issuer::users::{self, NewUser, Role};
use secrecy::SecretString;
use serde_json::Value;

// Beside this file, so that every binary including this one (`leaks` too)
// finds it.
#[path = "postgres.rs"]
mod postgres;
pub use postgres::PgDatabase;

/// Password of every test user.
pub const PASSWORD: &str = "correct horse battery staple";

/// Runs a scenario `async fn(TestApp)` on SQLite and, when configured, on PostgreSQL.
#[macro_export]
macro_rules! db_test {
    ($name:ident, $scenario:ident) => {
        mod $name {
            #[actix_web::test]
            async fn sqlite() {
                super::$scenario($crate::support::TestApp::sqlite().await).await
            }

            #[actix_web::test]
            async fn postgres() {
                if let Some(app) = $crate::support::TestApp::postgres().await {
                    super::$scenario(app).await
                }
            }
        }
    };
}

type Call = Rc<dyn Fn(TestRequest) -> Pin<Box<dyn Future<Output = TestResponse>>>>;

/// One application on its own fresh database.
pub struct TestApp {
    /// The state the handlers see.
    pub state: AppState,
    call: Call,
    // Dropped after `state`'s pool: fields drop in declaration order. Another
    // instance on the same data holds neither.
    _dir: Option<tempfile::TempDir>,
    _pg: Option<PgDatabase>,
}

/// A response, fully read.
pub struct TestResponse {
    /// Status code.
    pub status: StatusCode,
    /// Headers.
    pub headers: actix_web::http::header::HeaderMap,
    /// Body bytes.
    pub body: actix_web::web::Bytes,
}

impl TestResponse {
    /// The body as JSON (panics with the body if it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The stable error code of an error body.
    pub fn error_code(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_owned()
    }

    /// A header value as text.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

/// How a request authenticates.
#[derive(Clone, Debug)]
pub enum Auth {
    /// Anonymous.
    None,
    /// `Authorization: Bearer`.
    Token(String),
    /// Session cookie value and CSRF token.
    Session {
        /// Cookie value.
        cookie: String,
        /// CSRF token.
        csrf: String,
    },
}

impl TestApp {
    /// A fresh application on SQLite in a temporary data directory.
    pub async fn sqlite() -> Self {
        Self::start(None).await
    }

    /// A fresh application on a new PostgreSQL database, if configured.
    pub async fn postgres() -> Option<Self> {
        let pg = PgDatabase::create()?;
        Some(Self::start(Some(pg)).await)
    }

    /// A fresh application on SQLite whose configuration `adjust` changes
    /// first (SMTP server, limits...).
    pub async fn sqlite_with(adjust: impl FnOnce(&mut Config)) -> Self {
        Self::start_with(None, adjust).await
    }

    /// A fresh application on a new PostgreSQL database, if configured, whose
    /// configuration `adjust` changes first.
    pub async fn postgres_with(adjust: impl FnOnce(&mut Config)) -> Option<Self> {
        let pg = PgDatabase::create()?;
        Some(Self::start_with(Some(pg), adjust).await)
    }

    async fn start(pg: Option<PgDatabase>) -> Self {
        Self::start_with(pg, |_| {}).await
    }

    async fn start_with(pg: Option<PgDatabase>, adjust: impl FnOnce(&mut Config)) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut config = Config::for_data_dir(dir.path());
        config.database_pool_size = 4;
        config.database_url = pg.as_ref().map(|pg| SecretString::from(pg.url.clone()));
        // Badge pages link to a verifier when one is configured.
        config.verifier_url = Some(url::Url::parse("http://verifier.test").expect("literal URL"));
        adjust(&mut config);
        let mut app = Self::serving(config).await;
        app._dir = Some(dir);
        app._pg = pg;
        app
    }

    /// Another instance of the service on this one's data (database, master
    /// key): what a second process, or this one restarted, would be.
    pub async fn another_instance(&self) -> Self {
        Self::serving((*self.state.config).clone()).await
    }

    /// The service on `config`'s data, which the caller keeps alive.
    pub async fn with_config(config: Config) -> Self {
        Self::serving(config).await
    }

    async fn serving(config: Config) -> Self {
        let state = AppState::prepare(config).expect("prepare app state");
        let service = actix_web::test::init_service(issuer::app::application(state.clone())).await;
        let service = Rc::new(service);
        let call: Call = Rc::new(move |req| {
            let service = service.clone();
            Box::pin(async move { read(service.call(req.to_request()).await).await })
        });
        Self {
            state,
            call,
            _dir: None,
            _pg: None,
        }
    }

    /// Sends a request with an optional JSON body.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        auth: &Auth,
        body: Option<Value>,
    ) -> TestResponse {
        let mut req = TestRequest::default().method(method).uri(path);
        req = match auth {
            Auth::None => req,
            Auth::Token(token) => {
                req.insert_header((header::AUTHORIZATION, format!("Bearer {token}")))
            }
            Auth::Session { cookie, csrf } => req
                .cookie(actix_web::cookie::Cookie::new(
                    issuer::auth::SESSION_COOKIE,
                    cookie.clone(),
                ))
                .insert_header((issuer::auth::CSRF_HEADER, csrf.clone())),
        };
        if let Some(body) = body {
            req = req.set_json(body);
        }
        (self.call)(req).await
    }

    /// Sends a request built by the caller (forms, cookies, raw bodies).
    pub async fn send(&self, req: TestRequest) -> TestResponse {
        (self.call)(req).await
    }

    /// GET.
    pub async fn get(&self, path: &str, auth: &Auth) -> TestResponse {
        self.request(Method::GET, path, auth, None).await
    }

    /// POST with a JSON body.
    pub async fn post(&self, path: &str, auth: &Auth, body: Value) -> TestResponse {
        self.request(Method::POST, path, auth, Some(body)).await
    }

    /// Creates an organisation directly (as the CLI does).
    pub fn create_org(&self, slug: &str) -> orgs::Organisation {
        let new = NewOrganisation {
            slug: slug.into(),
            profile: ProfileInput {
                name: Some(format!("Org {slug}")),
                ..ProfileInput::default()
            },
        };
        self.state
            .db
            .run_blocking(|conn| orgs::create(conn, &self.state.master_key, new, CLI_ACTOR))
            .expect("create org")
    }

    /// Creates a user with [`PASSWORD`], member of `org_slug` with `role`.
    pub fn create_user(&self, email: &str, org_slug: &str, role: Role) -> users::User {
        self.state
            .db
            .run_blocking(|conn| {
                let org = orgs::by_slug(conn, org_slug)?;
                let user = users::create(
                    conn,
                    NewUser {
                        email: email.into(),
                        display_name: email.into(),
                        password: SecretString::from(PASSWORD),
                    },
                )?;
                users::set_membership(conn, &user.id, &org.id, role)?;
                Ok::<_, issuer::error::ApiError>(user)
            })
            .expect("create user")
    }

    /// Logs in with [`PASSWORD`]; the session's cookie and CSRF token.
    pub async fn login(&self, email: &str) -> Auth {
        let resp = self
            .post(
                "/api/v1/auth/login",
                &Auth::None,
                serde_json::json!({"email": email, "password": PASSWORD}),
            )
            .await;
        assert_eq!(resp.status, StatusCode::OK, "{}", resp.text());
        let cookie = resp
            .headers
            .get_all(header::SET_COOKIE)
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                v.strip_prefix(&format!("{}=", issuer::auth::SESSION_COOKIE))
                    .map(|rest| rest.split(';').next().unwrap_or("").to_owned())
            })
            .expect("session cookie");
        Auth::Session {
            cookie,
            csrf: resp.json()["csrf_token"].as_str().expect("csrf").to_owned(),
        }
    }

    /// Creates an API token for a logged-in session.
    pub async fn token(&self, session: &Auth) -> Auth {
        let resp = self
            .post(
                "/api/v1/tokens",
                session,
                serde_json::json!({"name": "tests"}),
            )
            .await;
        assert_eq!(resp.status, StatusCode::CREATED, "{}", resp.text());
        Auth::Token(resp.json()["token"].as_str().expect("token").to_owned())
    }
}

async fn read<B: MessageBody>(
    result: Result<ServiceResponse<B>, actix_web::Error>,
) -> TestResponse {
    match result {
        Ok(resp) => {
            let status = resp.status();
            let headers = resp.headers().clone();
            let body = actix_web::test::read_body(resp).await;
            TestResponse {
                status,
                headers,
                body,
            }
        }
        Err(err) => {
            let resp = err.as_response_error().error_response();
            let status = resp.status();
            let headers = resp.headers().clone();
            let body = actix_web::body::to_bytes(resp.into_body())
                .await
                .unwrap_or_default();
            TestResponse {
                status,
                headers,
                body,
            }
        }
    }
}
