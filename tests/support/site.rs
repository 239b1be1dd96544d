//! A real HTTP server on 127.0.0.1:0 serving the fixture site, with a few
//! misbehaviours selected by path.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, Response, StatusCode, header};

use super::fixtures;

#[derive(Default)]
pub struct Served {
    /// Requests per path.
    pub hits: Mutex<HashMap<String, usize>>,
    /// Requests answered 304.
    pub not_modified: Mutex<usize>,
    /// Paths that answer 503 this many more times.
    pub fail_next: Mutex<HashMap<String, usize>>,
    /// Documents a test puts in place (and changes) instead of a fixture.
    pub documents: Mutex<HashMap<String, Vec<u8>>>,
}

pub struct Site {
    pub addr: SocketAddr,
    pub served: Arc<Served>,
}

impl Site {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
    pub fn hits(&self, path: &str) -> usize {
        self.served
            .hits
            .lock()
            .unwrap()
            .get(path)
            .copied()
            .unwrap_or(0)
    }
    /// Serves `bytes` at `path` from now on, replacing what was there.
    pub fn put(&self, path: &str, bytes: impl Into<Vec<u8>>) {
        self.served
            .documents
            .lock()
            .unwrap()
            .insert(path.into(), bytes.into());
    }
}

/// Serves `tests/fixtures/site` at `/`, `tests/fixtures/pages` at `/pages/`
/// and `tests/fixtures/site/pages` at `/site-pages/`; `/gone/...` is 404.
/// `/` is a front page. Feeds get an ETag and honour If-None-Match.
pub async fn start_site() -> Site {
    let served = Arc::new(Served::default());
    let app = Router::new()
        .route(
            "/",
            axum::routing::get(|State(s): State<Arc<Served>>| async move {
                *s.hits.lock().unwrap().entry("/".into()).or_default() += 1;
                axum::response::Html("<html><body><h1>The Daily Courier</h1></body></html>")
            }),
        )
        .route("/{*path}", axum::routing::get(respond))
        .with_state(served.clone());
    let addr = super::serve(app).await;
    Site { addr, served }
}

async fn respond(
    State(s): State<Arc<Served>>,
    UrlPath(path): UrlPath<String>,
    headers: HeaderMap,
) -> Response<Body> {
    let key = format!("/{path}");
    *s.hits.lock().unwrap().entry(key.clone()).or_default() += 1;
    {
        let mut fail = s.fail_next.lock().unwrap();
        if let Some(n) = fail.get_mut(&key)
            && *n > 0
        {
            *n -= 1;
            return Response::builder()
                .status(StatusCode::SERVICE_UNAVAILABLE)
                .body(Body::from("busy"))
                .unwrap();
        }
    }
    if let Some(rest) = path.strip_prefix("gen/") {
        return generated(rest);
    }
    if path.starts_with("gone/") {
        return Response::builder()
            .status(404)
            .body(Body::from("<h1>Not found</h1>"))
            .unwrap();
    }
    let file = if let Some(rest) = path.strip_prefix("pages/") {
        fixtures().join("pages").join(rest)
    } else if let Some(rest) = path.strip_prefix("site-pages/") {
        fixtures().join("site/pages").join(rest)
    } else {
        fixtures().join("site").join(&path)
    };
    let put = s.documents.lock().unwrap().get(&key).cloned();
    let Some(bytes) = put.or_else(|| std::fs::read(&file).ok()) else {
        return Response::builder()
            .status(404)
            .body(Body::from("no such file"))
            .unwrap();
    };
    let ctype = match file.extension().and_then(|e| e.to_str()) {
        Some("xml") => "application/rss+xml",
        Some("atom") => "application/atom+xml",
        Some("json") => "application/feed+json",
        _ => "text/html; charset=utf-8",
    };
    let etag = format!(
        "\"{:x}\"",
        bytes.len() * 31 + bytes.iter().map(|&b| b as usize).sum::<usize>()
    );
    if !ctype.starts_with("text/html")
        && headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            == Some(etag.as_str())
    {
        *s.not_modified.lock().unwrap() += 1;
        return Response::builder().status(304).body(Body::empty()).unwrap();
    }
    Response::builder()
        .header(header::CONTENT_TYPE, ctype)
        .header(header::ETAG, etag)
        .body(Body::from(bytes))
        .unwrap()
}

/// `gen/feed/N.xml`: an RSS feed of N items; `gen/page/I.html`: article I.
fn generated(rest: &str) -> Response<Body> {
    if let Some(n) = rest
        .strip_prefix("feed/")
        .and_then(|r| r.strip_suffix(".xml"))
    {
        let n: usize = n.parse().unwrap_or(10);
        let mut xml = String::from(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Generated</title><link>/</link>",
        );
        for i in 0..n {
            xml.push_str(&format!(
                "<item><title>Story {i}</title><link>/gen/page/{i}.html</link><guid>gen-{i}</guid><description>Summary {i}.</description></item>"
            ));
        }
        xml.push_str("</channel></rss>");
        return Response::builder()
            .header(header::CONTENT_TYPE, "application/rss+xml")
            .body(Body::from(xml))
            .unwrap();
    }
    let i = rest.trim_start_matches("page/").trim_end_matches(".html");
    let html = format!(
        "<html lang=\"en\"><head><title>Story {i}</title></head><body><nav><a href=\"/\">Home</a> <a href=\"/world\">World</a></nav>\
         <article><h1>Story {i}</h1><p>Paragraph one of story {i} tells what happened in the town on Monday morning, when the river rose.</p>\
         <p>\"We have never seen the water this high,\" said Mayor Ada Stone, who has lived there for forty years.</p>\
         <p>Paragraph three of story {i} explains what the council will do next, and when the roads will open again.</p></article>\
         <footer>Copyright</footer></body></html>"
    );
    Response::builder()
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(html))
        .unwrap()
}
