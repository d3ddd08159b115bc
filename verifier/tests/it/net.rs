//! The guarded HTTP client against a real local server: address rules,
//! redirects, size limits, timeouts and the cache, then the network resolver.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use keys::resolver::{OfflineResolver, ResolveError, Resolver};
use verifier::net::{HttpClient, NetConfig, NetError, NetworkResolver, ACCEPT_JSON};

const MIB: usize = 1024 * 1024;

/// What the test server answers.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    /// Send `Content-Length` (otherwise the body ends when the connection
    /// closes).
    with_length: bool,
    /// Never answer: hold the connection until the client gives up.
    hang: bool,
}

impl Reply {
    fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status: 200,
            headers: vec![("Content-Type", content_type.to_owned())],
            body: body.into(),
            with_length: true,
            hang: false,
        }
    }

    fn status(status: u16) -> Self {
        Reply {
            status,
            ..Reply::ok("text/plain", "")
        }
    }

    fn redirect(location: String) -> Self {
        Reply {
            headers: vec![("Location", location)],
            ..Reply::status(302)
        }
    }

    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_owned()));
        self
    }
}

/// A one-thread HTTP/1.1 server on 127.0.0.1, port 0, counting requests.
struct TestServer {
    address: SocketAddr,
    hits: Arc<AtomicUsize>,
}

impl TestServer {
    /// A server answering by path.
    fn start(route: impl Fn(&str, SocketAddr) -> Reply + Send + 'static) -> Self {
        Self::start_with_head(move |head, address| {
            route(head.split(' ').nth(1).unwrap_or("/"), address)
        })
    }

    /// A server answering by the request's whole head (request line and
    /// headers).
    fn start_with_head(route: impl Fn(&str, SocketAddr) -> Reply + Send + 'static) -> Self {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("binds");
        let address = listener.local_addr().expect("has an address");
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&hits);
        // The thread ends with the test process.
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                counter.fetch_add(1, Ordering::SeqCst);
                handle(stream, &route, address);
            }
        });
        TestServer { address, hits }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}

fn handle(mut stream: TcpStream, route: &impl Fn(&str, SocketAddr) -> Reply, address: SocketAddr) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let head = String::from_utf8_lossy(&head);
    let reply = route(&head, address);
    if reply.hang {
        // Read until the client closes the connection after its timeout.
        let _ = stream.read_to_end(&mut Vec::new());
        return;
    }
    let mut response = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", reply.status);
    for (name, value) in &reply.headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    if reply.with_length {
        response.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    response.push_str("\r\n");
    // The client may hang up early (size limits): write errors are expected.
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.write_all(&reply.body);
}

/// Tests and local setups: loopback and plain http allowed.
fn local() -> NetConfig {
    NetConfig {
        allow_private: true,
        allow_http: true,
        ..NetConfig::default()
    }
}

fn hello(_: &str, _: SocketAddr) -> Reply {
    Reply::ok("application/json", r#"{"hello":"world"}"#)
}

#[test]
fn loopback_is_refused_by_default_without_connecting() {
    let server = TestServer::start(hello);
    let client = HttpClient::new(NetConfig {
        allow_http: true,
        ..NetConfig::default()
    });
    for url in [
        server.url("/"),
        format!("http://[::ffff:127.0.0.1]:{}/", server.address.port()),
        format!("http://localhost:{}/", server.address.port()),
    ] {
        let result = client.get(&url, ACCEPT_JSON);
        assert!(
            matches!(result, Err(NetError::ForbiddenAddress { .. })),
            "{url}: {result:?}"
        );
    }
    assert_eq!(server.hits(), 0, "no connection was made");
}

#[test]
fn loopback_is_allowed_with_allow_private() {
    let server = TestServer::start(hello);
    let client = HttpClient::new(local());
    let response = client
        .get(&server.url("/doc"), ACCEPT_JSON)
        .expect("fetched");
    assert_eq!(response.status, 200);
    assert_eq!(response.body, br#"{"hello":"world"}"#);
    assert_eq!(response.media_type().as_deref(), Some("application/json"));
}

#[test]
fn an_allowed_address_does_not_open_the_rest_of_the_network() {
    // 127.0.0.1 is allowed by name; a redirect to 127.0.0.2 (another private
    // address) must be refused before any connection.
    let server = TestServer::start(|path, address| match path {
        "/start" => Reply::redirect(format!("http://127.0.0.2:{}/end", address.port())),
        _ => hello(path, address),
    });
    let client = HttpClient::new(NetConfig {
        allow_http: true,
        allowed_addresses: vec![IpAddr::V4(Ipv4Addr::LOCALHOST)],
        ..NetConfig::default()
    });
    assert_eq!(
        client
            .get(&server.url("/end"), ACCEPT_JSON)
            .expect("allowed")
            .status,
        200
    );
    let result = client.get(&server.url("/start"), ACCEPT_JSON);
    assert!(
        matches!(&result, Err(NetError::ForbiddenAddress { host, .. }) if host == "127.0.0.2"),
        "{result:?}"
    );
    assert_eq!(server.hits(), 2, "the redirect target was never contacted");
}

#[test]
fn redirect_to_another_scheme_is_refused() {
    let server = TestServer::start(|_, _| Reply::redirect("file:///etc/passwd".to_owned()));
    let client = HttpClient::new(local());
    let result = client.get(&server.url("/"), ACCEPT_JSON);
    assert!(
        matches!(result, Err(NetError::Scheme(ref s)) if s == "file"),
        "{result:?}"
    );
}

#[test]
fn plain_http_is_refused_unless_allowed() {
    let server = TestServer::start(hello);
    let client = HttpClient::new(NetConfig {
        allow_private: true,
        ..NetConfig::default()
    });
    let result = client.get(&server.url("/"), ACCEPT_JSON);
    assert!(matches!(result, Err(NetError::PlainHttp(_))), "{result:?}");
    assert_eq!(server.hits(), 0);
}

/// `/hop/N` redirects to `/hop/N-1` (relative), `/hop/0` answers.
fn hops(path: &str, address: SocketAddr) -> Reply {
    match path
        .strip_prefix("/hop/")
        .and_then(|n| n.parse::<u32>().ok())
    {
        Some(0) | None => hello(path, address),
        Some(n) => Reply::redirect(format!("/hop/{}", n - 1)),
    }
}

#[test]
fn three_redirects_are_followed_and_four_refused() {
    let server = TestServer::start(hops);
    let client = HttpClient::new(local());
    let response = client
        .get(&server.url("/hop/3"), ACCEPT_JSON)
        .expect("3 redirects");
    assert_eq!(response.status, 200);
    assert!(response.url.ends_with("/hop/0"), "{}", response.url);
    let result = client.get(&server.url("/hop/4"), ACCEPT_JSON);
    assert!(
        matches!(result, Err(NetError::TooManyRedirects(3))),
        "{result:?}"
    );
}

#[test]
fn responses_over_one_mebibyte_are_refused() {
    let server = TestServer::start(|path, _| match path {
        "/exact" => Reply::ok("application/octet-stream", vec![b'a'; MIB]),
        "/declared" => Reply::ok("application/octet-stream", vec![b'a'; MIB + 1]),
        _ => Reply {
            with_length: false,
            ..Reply::ok("application/octet-stream", vec![b'a'; 2 * MIB])
        },
    });
    let client = HttpClient::new(local());
    let exact = client
        .get(&server.url("/exact"), "*/*")
        .expect("1 MiB is allowed");
    assert_eq!(exact.body.len(), MIB);
    for path in ["/declared", "/streamed"] {
        let result = client.get(&server.url(path), "*/*");
        assert!(
            matches!(result, Err(NetError::TooLarge(limit)) if limit == MIB as u64),
            "{path}: {result:?}"
        );
    }
}

#[test]
fn a_silent_server_times_out() {
    let server = TestServer::start(|_, _| Reply {
        hang: true,
        ..Reply::status(200)
    });
    let client = HttpClient::new(NetConfig {
        total_timeout: Duration::from_millis(300),
        ..local()
    });
    let result = client.get(&server.url("/"), ACCEPT_JSON);
    assert!(matches!(result, Err(NetError::Timeout)), "{result:?}");
}

#[test]
fn cache_serves_repeated_fetches_once_and_honours_no_store() {
    let server = TestServer::start(|path, address| match path {
        "/cached" => hello(path, address).header("Cache-Control", "public, max-age=60"),
        "/fresh" => hello(path, address).header("Cache-Control", "no-store"),
        _ => Reply::status(404),
    });
    let client = HttpClient::new(local());
    for _ in 0..3 {
        let response = client
            .get(&server.url("/cached"), ACCEPT_JSON)
            .expect("fetched");
        assert_eq!(response.body, br#"{"hello":"world"}"#);
    }
    assert_eq!(server.hits(), 1, "max-age: one request for three fetches");
    client
        .get(&server.url("/fresh"), ACCEPT_JSON)
        .expect("fetched");
    client
        .get(&server.url("/fresh"), ACCEPT_JSON)
        .expect("fetched");
    assert_eq!(server.hits(), 3, "no-store: every fetch reaches the server");
    client
        .get(&server.url("/missing"), ACCEPT_JSON)
        .expect("answered");
    client
        .get(&server.url("/missing"), ACCEPT_JSON)
        .expect("answered");
    assert_eq!(server.hits(), 5, "errors are not cached");
}

#[test]
fn no_cache_documents_are_revalidated_with_their_etag() {
    let full = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&full);
    let server = TestServer::start_with_head(move |head, _| {
        let head = head.to_ascii_lowercase();
        if head.starts_with("get /list ") {
            if head.contains("\r\nif-none-match: \"v1\"\r\n") {
                return Reply::status(304)
                    .header("ETag", "\"v1\"")
                    .header("Cache-Control", "public, no-cache");
            }
            counted.fetch_add(1, Ordering::SeqCst);
            return Reply::ok("application/json", r#"{"list":1}"#)
                .header("ETag", "\"v1\"")
                .header("Cache-Control", "public, no-cache");
        }
        if head.starts_with("get /untagged ") {
            return Reply::ok("application/json", "{}").header("Cache-Control", "no-cache");
        }
        Reply::status(404)
    });
    let client = HttpClient::new(local());
    for _ in 0..3 {
        let response = client
            .get(&server.url("/list"), ACCEPT_JSON)
            .expect("fetched");
        assert_eq!(
            (response.status, response.body.as_slice()),
            (200, &br#"{"list":1}"#[..])
        );
    }
    assert_eq!(server.hits(), 3, "no-cache: every use asks the server");
    assert_eq!(full.load(Ordering::SeqCst), 1, "and the body came once");
    assert!(
        client.cached(&server.url("/list"), ACCEPT_JSON).is_none(),
        "never at hand without asking"
    );
    client
        .get(&server.url("/untagged"), ACCEPT_JSON)
        .expect("fetched");
    client
        .get(&server.url("/untagged"), ACCEPT_JSON)
        .expect("fetched");
    assert_eq!(server.hits(), 5, "without an ETag, nothing to revalidate");
}

#[test]
fn a_bare_304_keeps_no_cache_and_a_304_elsewhere_is_not_trusted() {
    let moves = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&moves);
    let server = TestServer::start_with_head(move |head, address| {
        let head = head.to_ascii_lowercase();
        let validated = head.contains("\r\nif-none-match: \"1\"\r\n");
        let tagged = |body: &str| {
            Reply::ok("application/json", body.to_owned())
                .header("ETag", "\"1\"")
                .header("Cache-Control", "no-cache")
        };
        if head.starts_with("get /bare ") {
            // The 304 repeats no Cache-Control: the stored no-cache holds.
            return if validated {
                Reply::status(304)
            } else {
                tagged(r#"{"bare":1}"#)
            };
        }
        if head.starts_with("get /moving ") {
            let hop = if counter.fetch_add(1, Ordering::SeqCst) == 0 {
                "/one"
            } else {
                "/two"
            };
            return Reply::redirect(format!("http://{address}{hop}"));
        }
        if head.starts_with("get /one ") {
            return tagged(r#"{"document":"one"}"#);
        }
        if head.starts_with("get /two ") {
            // Another document with the same ETag.
            return if validated {
                Reply::status(304)
            } else {
                tagged(r#"{"document":"two"}"#)
            };
        }
        Reply::status(404)
    });
    let client = HttpClient::new(local());
    for _ in 0..3 {
        let response = client
            .get(&server.url("/bare"), ACCEPT_JSON)
            .expect("fetched");
        assert_eq!(response.body, br#"{"bare":1}"#);
    }
    assert_eq!(server.hits(), 3, "every use asked the server");
    let first = client
        .get(&server.url("/moving"), ACCEPT_JSON)
        .expect("fetched");
    assert_eq!(first.body, br#"{"document":"one"}"#);
    let second = client
        .get(&server.url("/moving"), ACCEPT_JSON)
        .expect("fetched");
    assert_eq!(
        second.body, br#"{"document":"two"}"#,
        "not the stored body of /one"
    );
}

#[test]
fn the_cache_is_bounded_in_bytes() {
    let server = TestServer::start(|path, _| {
        Reply::ok(
            "application/json",
            format!("\"{}{}\"", path, "x".repeat(3000)),
        )
        .header("Cache-Control", "max-age=60")
    });
    let client = HttpClient::new(NetConfig {
        cache_bytes: 10_000,
        ..local()
    });
    for index in 0..5 {
        client
            .get(&server.url(&format!("/{index}")), ACCEPT_JSON)
            .expect("fetched");
    }
    let kept = (0..5)
        .filter(|index| {
            client
                .cached(&server.url(&format!("/{index}")), ACCEPT_JSON)
                .is_some()
        })
        .collect::<Vec<_>>();
    assert_eq!(
        kept,
        [2, 3, 4],
        "three 3 KB documents fit in 10 KB: the newest"
    );
}

#[test]
fn non_http_schemes_are_refused() {
    let client = HttpClient::new(local());
    for (url, scheme) in [
        ("ftp://127.0.0.1/x", "ftp"),
        ("file:///etc/passwd", "file"),
        ("gopher://127.0.0.1:70/", "gopher"),
        ("data:text/plain,hello", "data"),
    ] {
        let result = client.get(url, ACCEPT_JSON);
        assert!(
            matches!(result, Err(NetError::Scheme(ref s)) if s == scheme),
            "{url}: {result:?}"
        );
    }
}

#[test]
fn at_hand_resolves_only_from_the_cache_and_never_connects() {
    let server = TestServer::start(|path, address| match path {
        "/profile" => Reply::ok("application/json", r#"{"id":"issuer"}"#)
            .header("Cache-Control", "max-age=60"),
        "/list" => hello(path, address).header("Cache-Control", "no-store"),
        _ => Reply::status(404),
    });
    let resolver = NetworkResolver::new(OfflineResolver::new(), Arc::new(HttpClient::new(local())));
    let cold = resolver.at_hand();
    assert!(matches!(
        cold.resolve(&server.url("/profile")),
        Err(ResolveError::Unavailable { .. })
    ));
    assert!(cold.missed());
    assert_eq!(server.hits(), 0, "the at-hand view never connects");

    resolver.resolve(&server.url("/profile")).expect("fetched");
    resolver.resolve(&server.url("/list")).expect("fetched");
    assert_eq!(server.hits(), 2);
    let warm = resolver.at_hand();
    assert_eq!(
        warm.resolve(&server.url("/profile")).expect("cached")["id"],
        "issuer"
    );
    assert!(!warm.missed(), "a fresh cached document is at hand");
    assert!(warm.resolve(&server.url("/list")).is_err());
    assert!(warm.missed(), "no-store: never at hand");
    assert_eq!(server.hits(), 2);
}

#[test]
fn a_kept_document_is_refreshed_on_demand_and_a_did_web_on_loopback_is_asked_over_http() {
    let version = Arc::new(AtomicUsize::new(1));
    let served = Arc::clone(&version);
    let server = TestServer::start(move |path, _| match path {
        "/orgs/a/did.json" => Reply::ok(
            "application/did+ld+json",
            format!(r#"{{"version":{}}}"#, served.load(Ordering::SeqCst)),
        )
        .header("Cache-Control", "max-age=300"),
        _ => Reply::status(404),
    });
    let did = format!("did:web:127.0.0.1%3A{}:orgs:a", server.address.port());
    let resolver = NetworkResolver::new(OfflineResolver::new(), Arc::new(HttpClient::new(local())));
    assert_eq!(
        resolver.resolve(&did).expect("fetched over http")["version"],
        1
    );
    version.store(2, Ordering::SeqCst);
    assert_eq!(resolver.resolve(&did).expect("kept")["version"], 1, "kept");
    assert_eq!(server.hits(), 1);

    let at_hand = resolver.at_hand();
    assert!(!at_hand.refresh(&format!("{did}#key-2")), "no network here");
    assert!(at_hand.missed(), "so the work is done again with it");
    assert_eq!(server.hits(), 1);

    assert!(
        resolver.refresh(&format!("{did}#key-2")),
        "a kept copy is dropped"
    );
    assert_eq!(
        resolver.resolve(&did).expect("fetched again")["version"],
        2,
        "asked again"
    );
    assert_eq!(server.hits(), 2);
    assert!(!resolver.refresh("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"));
}

const JWS: &str = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0.c2ln";

#[test]
fn network_resolver_fetches_documents_and_compact_jws() {
    let server = TestServer::start(|path, address| match path {
        "/profile" => Reply::ok("application/ld+json", r#"{"id":"issuer","type":"Profile"}"#),
        "/credential.jwt" => Reply::ok("application/jwt", JWS),
        "/page" => Reply::ok("text/html", "<html></html>"),
        "/gone" => Reply::status(410),
        "/broken" => Reply::status(500),
        _ => hello(path, address),
    });
    let resolver = NetworkResolver::new(OfflineResolver::new(), Arc::new(HttpClient::new(local())));
    let profile = resolver
        .resolve(&server.url("/profile#main"))
        .expect("resolves");
    assert_eq!(profile["type"], "Profile");
    assert_eq!(
        resolver
            .resolve(&server.url("/credential.jwt"))
            .expect("resolves"),
        serde_json::Value::String(JWS.to_owned())
    );
    assert!(matches!(
        resolver.resolve(&server.url("/page")),
        Err(ResolveError::InvalidDocument { .. })
    ));
    assert!(matches!(
        resolver.resolve(&server.url("/gone")),
        Err(ResolveError::NotFound(_))
    ));
    assert!(matches!(
        resolver.resolve(&server.url("/broken")),
        Err(ResolveError::Unavailable { .. })
    ));
}

#[test]
fn network_resolver_refuses_loopback_by_default_and_prefers_pinned_documents() {
    let server = TestServer::start(hello);
    let mut offline = OfflineResolver::new();
    let pinned_url = server.url("/pinned");
    offline.insert(pinned_url.clone(), serde_json::json!({"pinned": true}));
    let strict = HttpClient::new(NetConfig {
        allow_http: true,
        ..NetConfig::default()
    });
    let resolver = NetworkResolver::new(offline, Arc::new(strict));
    assert_eq!(
        resolver.resolve(&pinned_url).expect("pinned")["pinned"],
        true
    );
    let result = resolver.resolve(&server.url("/other"));
    assert!(
        matches!(result, Err(ResolveError::Unavailable { .. })),
        "{result:?}"
    );
    assert_eq!(server.hits(), 0);
}
