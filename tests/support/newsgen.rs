//! A synthetic news site on 127.0.0.1: `feeds` RSS feeds with `items`
//! articles each, and the article pages, generated on request. Feed `i`
//! also lists the first article of feed `i + 1` under its own GUID, so the
//! same story reaches two feeds (deduplicated by link). Records when each
//! feed was first served, for feed-to-event latency.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

pub struct NewsSite {
    pub addr: SocketAddr,
    pub stats: Arc<SiteStats>,
}

pub struct SiteStats {
    pub feeds: usize,
    pub items: usize,
    pub page_delay: Duration,
    pub started: Instant,
    pub feed_hits: AtomicU64,
    pub page_hits: AtomicU64,
    /// Per feed: ms after `started` when it was first served, plus one (0:
    /// never served).
    pub first_served: Vec<AtomicU64>,
}

impl NewsSite {
    pub fn feed_url(&self, i: usize) -> String {
        format!("http://{}/feed/{i}.xml", self.addr)
    }
    pub fn article_url(&self, feed: usize, item: usize) -> String {
        format!("http://{}/article/{feed}/{item}", self.addr)
    }
    /// Every distinct article the site links to.
    pub fn all_articles(&self) -> Vec<String> {
        (0..self.stats.feeds)
            .flat_map(|f| (0..self.stats.items).map(move |j| (f, j)))
            .map(|(f, j)| self.article_url(f, j))
            .collect()
    }
    /// Which feed first served an article URL's story.
    pub fn feed_of(url: &str) -> Option<usize> {
        url.split("/article/")
            .nth(1)?
            .split('/')
            .next()?
            .parse()
            .ok()
    }
}

/// Serves the site until the runtime ends.
pub async fn start(feeds: usize, items: usize, page_delay: Duration) -> NewsSite {
    let stats = Arc::new(SiteStats {
        feeds,
        items,
        page_delay,
        started: Instant::now(),
        feed_hits: AtomicU64::new(0),
        page_hits: AtomicU64::new(0),
        first_served: (0..feeds).map(|_| AtomicU64::new(0)).collect(),
    });
    let app = Router::new()
        .route("/feed/{name}", axum::routing::get(feed))
        .route("/article/{feed}/{item}", axum::routing::get(article))
        .with_state(stats.clone());
    let addr = super::serve(app).await;
    NewsSite { addr, stats }
}

async fn feed(
    State(s): State<Arc<SiteStats>>,
    Path(name): Path<String>,
    headers: axum::http::HeaderMap,
) -> Response {
    let Some(i) = name
        .strip_suffix(".xml")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|&i| i < s.feeds)
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    s.feed_hits.fetch_add(1, Ordering::Relaxed);
    let at = s.started.elapsed().as_millis() as u64 + 1;
    let _ = s.first_served[i].compare_exchange(0, at, Ordering::Relaxed, Ordering::Relaxed);
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let mut xml = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Wire {i}</title>\
         <link>http://{host}/</link><description>Synthetic feed {i}</description>"
    );
    let mut item = |f: usize, j: usize, guid: String| {
        xml.push_str(&format!(
            "<item><title>Story {f}-{j}: council votes on the harbour plan</title>\
             <link>http://{host}/article/{f}/{j}</link><guid isPermaLink=\"false\">{guid}</guid>\
             <pubDate>Tue, 02 Dec 2025 {:02}:{:02}:00 GMT</pubDate>\
             <description>Summary of story {f}-{j}.</description></item>",
            (f + j) % 24,
            j % 60
        ));
    };
    for j in 0..s.items {
        item(i, j, format!("wire-{i}-{j}"));
    }
    if s.feeds > 1 {
        let next = (i + 1) % s.feeds;
        item(next, 0, format!("syndicated-{i}-{next}"));
    }
    xml.push_str("</channel></rss>");
    ([(header::CONTENT_TYPE, "application/rss+xml")], xml).into_response()
}

async fn article(State(s): State<Arc<SiteStats>>, Path((f, j)): Path<(usize, usize)>) -> Response {
    if f >= s.feeds || j >= s.items {
        return StatusCode::NOT_FOUND.into_response();
    }
    s.page_hits.fetch_add(1, Ordering::Relaxed);
    if !s.page_delay.is_zero() {
        tokio::time::sleep(s.page_delay).await;
    }
    let names = [
        "Maria Lindqvist",
        "Tomasz Nowak",
        "Amina Yusuf",
        "Jonas Berg",
    ];
    let who = names[(f + j) % names.len()];
    let mut body = String::new();
    for p in 0..8 {
        body.push_str(&format!(
            "<p>Paragraph {p} of story {f}-{j}. The harbour council met on Tuesday to weigh \
             the plan for the northern quay, which would move the ferry berth and open the \
             old warehouses to housing. Residents filled the hall and the debate ran late.</p>"
        ));
    }
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>Story {f}-{j} | Harbour Gazette</title>\
         <meta name=\"keywords\" content=\"harbour, council, housing\">\
         <meta name=\"author\" content=\"{who}\"></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/news\">News</a> <a href=\"/sport\">Sport</a></nav>\
         <article><h1>Story {f}-{j}: council votes on the harbour plan</h1>\
         <p class=\"byline\">By {who}</p>{body}\
         <p>\"We will not let the quay become a car park,\" said {who}, who chairs the \
         residents' association.</p></article>\
         <aside><h2>Related</h2><ul><li><a href=\"/a\">Other story</a></li></ul></aside>\
         <footer>Share: Facebook Twitter | Comments</footer></body></html>"
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}
