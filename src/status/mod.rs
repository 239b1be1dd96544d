//! The live status page at `listen`: `GET /` (HTML, self-contained, one
//! page of the feed table plus plots) and `GET /status.json` (the same
//! data, every feed). Both are built from the store's feed table (so with
//! PostgreSQL they show every instance's feeds and which instance polled
//! each last) and this instance's [`crate::activity`].
//!
//! Everything shown passes through [`crate::redact`]: feed URLs and names
//! may carry credentials; request headers are never shown.

mod page;
mod plot;
mod report;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, RwLock};

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::config::Config;
use crate::metrics::Metrics;
use crate::store::Store;

pub use page::PAGE_SIZE;
pub use report::{FeedRow, FeedState, Report, Summary};

/// Only inline styles and scripts, and requests back to this server: the
/// page loads nothing from elsewhere even if a feed title smuggled markup.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     script-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'self'";

/// What the page knows from the configuration: the feeds' configured
/// names and this instance's name. Replaced on reload.
#[derive(Debug, Default)]
pub struct Board {
    current: RwLock<Arc<Names>>,
}

#[derive(Debug, Default)]
struct Names {
    /// Feed URL to the `name` configured for it (feeds named by their URL
    /// are left out: their title is more telling).
    feeds: HashMap<String, String>,
    instance: String,
}

impl Board {
    pub fn new(cfg: &Config) -> Self {
        let board = Board::default();
        board.update(cfg);
        board
    }

    pub fn update(&self, cfg: &Config) {
        let feeds = cfg
            .feeds
            .iter()
            .filter(|f| f.name != f.url.as_str())
            .map(|f| (f.url.to_string(), f.name.clone()))
            .collect();
        let names = Arc::new(Names {
            feeds,
            instance: cfg.instance_name(),
        });
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = names;
    }

    fn names(&self) -> Arc<Names> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// What the handlers share.
struct Shared<S> {
    store: Arc<S>,
    board: Arc<Board>,
    metrics: Arc<Metrics>,
}

/// `GET /` and `GET /status.json`, to be merged into the metrics server.
pub fn router<S: Store>(store: Arc<S>, board: Arc<Board>, metrics: Arc<Metrics>) -> axum::Router {
    let shared = Arc::new(Shared {
        store,
        board,
        metrics,
    });
    axum::Router::new()
        .route("/", axum::routing::get(html::<S>))
        .route("/status.json", axum::routing::get(json::<S>))
        .with_state(shared)
}

#[derive(Debug, Deserialize)]
struct PageQuery {
    /// 1-based page of the feed table.
    page: Option<usize>,
}

async fn html<S: Store>(State(s): State<Arc<Shared<S>>>, Query(q): Query<PageQuery>) -> Response {
    let page = q.page.unwrap_or(1);
    match snapshot(&s, page::window(page)).await {
        Ok(report) => (
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
                (header::CACHE_CONTROL, "no-store"),
            ],
            page::render(&report, page),
        )
            .into_response(),
        Err(e) => e,
    }
}

async fn json<S: Store>(State(s): State<Arc<Shared<S>>>) -> Response {
    match snapshot(&s, |n| 0..n).await {
        Ok(report) => ([(header::CACHE_CONTROL, "no-store")], axum::Json(report)).into_response(),
        Err(e) => e,
    }
}

/// The report as of now, with the feeds `window` picks; a store that
/// cannot be read is a 503 that says why (redacted: the message may name
/// the store's URL).
async fn snapshot<S: Store>(
    s: &Shared<S>,
    window: impl FnOnce(usize) -> Range<usize>,
) -> Result<Report, Response> {
    let rows = s.store.status().await.map_err(|e| {
        let msg = format!("the state store cannot be read: {e:#}\n");
        (
            StatusCode::SERVICE_UNAVAILABLE,
            crate::redact::text(&msg).into_owned(),
        )
            .into_response()
    })?;
    let names = s.board.names();
    Ok(Report::build_window(
        rows,
        &names.feeds,
        &names.instance,
        s.metrics.activity.series(),
        chrono::Utc::now().timestamp_millis(),
        window,
    ))
}
