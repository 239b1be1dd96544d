//! Counters for logs and the Prometheus endpoint, and the small HTTP server
//! (`listen = "127.0.0.1:9090"`) that serves `/metrics`, `/health` and
//! `/ready`.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio_util::sync::CancellationToken;
use tracing::{error, info};

use crate::activity::Activity;

/// Request latency buckets in seconds.
const BUCKETS: [f64; 10] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

#[derive(Debug, Default)]
pub struct Metrics {
    pub polls: AtomicU64,
    pub polls_failed: AtomicU64,
    pub not_modified: AtomicU64,
    pub items_emitted: AtomicU64,
    pub items_pending: AtomicU64,
    pub items_from_feed: AtomicU64,
    pub pages_fetched: AtomicU64,
    /// Events handed to the sink and not yet written.
    pub sink_queue: AtomicU64,
    /// Polls running now.
    pub polls_in_flight: AtomicU64,
    pub ready: AtomicBool,
    /// Per-minute events and poll outcomes of the recent hours.
    pub activity: Activity,
    /// (what, kind) -> count, `what` being "feed" or "page".
    errors: Mutex<HashMap<(&'static str, &'static str), u64>>,
    /// Failed polls by cause: "fetch", "parse", "extract" or "store".
    poll_failures: Mutex<HashMap<&'static str, u64>>,
    hosts: Mutex<HashMap<String, Histogram>>,
}

#[derive(Debug, Default, Clone)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

impl Metrics {
    pub fn fetch_error(&self, what: &'static str, kind: &'static str) {
        *self
            .errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry((what, kind))
            .or_default() += 1;
    }

    pub fn poll_failed(&self, cause: &'static str) {
        *self
            .poll_failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(cause)
            .or_default() += 1;
    }

    pub fn fetch_errors(&self) -> u64 {
        self.errors
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .sum()
    }

    pub fn request_latency(&self, host: &str, took: Duration) {
        let secs = took.as_secs_f64();
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        let h = hosts.entry(host.to_string()).or_default();
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                h.buckets[i] += 1;
            }
        }
        h.count += 1;
        h.sum += secs;
    }

    pub fn log_progress(&self) {
        info!(
            polls = self.polls.load(Ordering::Relaxed),
            polls_failed = self.polls_failed.load(Ordering::Relaxed),
            not_modified = self.not_modified.load(Ordering::Relaxed),
            pages = self.pages_fetched.load(Ordering::Relaxed),
            emitted = self.items_emitted.load(Ordering::Relaxed),
            from_feed_content = self.items_from_feed.load(Ordering::Relaxed),
            pending = self.items_pending.load(Ordering::Relaxed),
            fetch_errors = self.fetch_errors(),
            "progress"
        );
    }

    /// The Prometheus text exposition format.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_totals(&mut out);
        self.render_errors(&mut out);
        self.render_latency(&mut out);
        out
    }

    fn render_totals(&self, out: &mut String) {
        let counters = [
            ("newsflow_polls_total", "Feed polls started.", &self.polls),
            (
                "newsflow_polls_failed_total",
                "Feed polls that failed.",
                &self.polls_failed,
            ),
            (
                "newsflow_polls_not_modified_total",
                "Feed polls answered 304.",
                &self.not_modified,
            ),
            (
                "newsflow_pages_fetched_total",
                "Article pages fetched.",
                &self.pages_fetched,
            ),
            (
                "newsflow_items_emitted_total",
                "Article events emitted.",
                &self.items_emitted,
            ),
            (
                "newsflow_items_from_feed_total",
                "Events whose body came from the feed because the page could not be had.",
                &self.items_from_feed,
            ),
            (
                "newsflow_items_parked_total",
                "Items parked for a later retry after a transient page failure.",
                &self.items_pending,
            ),
        ];
        for (name, help, v) in counters {
            let v = v.load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}"
            );
        }
        let gauges = [
            (
                "newsflow_sink_queue_depth",
                "Events waiting for the sink.",
                &self.sink_queue,
            ),
            (
                "newsflow_polls_in_flight",
                "Feed polls running now.",
                &self.polls_in_flight,
            ),
        ];
        for (name, help, v) in gauges {
            let v = v.load(Ordering::Relaxed);
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {v}");
        }
    }

    fn render_errors(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "# HELP newsflow_fetch_errors_total Failed requests by target and kind.\n# TYPE newsflow_fetch_errors_total counter"
        );
        for ((what, kind), n) in sorted(&self.errors) {
            let _ = writeln!(
                out,
                "newsflow_fetch_errors_total{{target=\"{what}\",kind=\"{kind}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP newsflow_poll_failures_total Failed feed polls by cause (fetch, parse, extract, store).\n# TYPE newsflow_poll_failures_total counter"
        );
        for (cause, n) in sorted(&self.poll_failures) {
            let _ = writeln!(out, "newsflow_poll_failures_total{{cause=\"{cause}\"}} {n}");
        }
    }

    fn render_latency(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "# HELP newsflow_request_seconds Request latency by host.\n# TYPE newsflow_request_seconds histogram"
        );
        for (host, h) in sorted(&self.hosts) {
            let host = host.replace('\\', "\\\\").replace('"', "\\\"");
            for (b, n) in BUCKETS.iter().zip(h.buckets) {
                let _ = writeln!(
                    out,
                    "newsflow_request_seconds_bucket{{host=\"{host}\",le=\"{b}\"}} {n}"
                );
            }
            let _ = writeln!(
                out,
                "newsflow_request_seconds_bucket{{host=\"{host}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "newsflow_request_seconds_sum{{host=\"{host}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "newsflow_request_seconds_count{{host=\"{host}\"}} {}",
                h.count
            );
        }
    }
}

/// A snapshot of a labelled metric, in label order (stable output).
fn sorted<K: Ord + Clone, V: Clone>(m: &Mutex<HashMap<K, V>>) -> Vec<(K, V)> {
    let mut v: Vec<(K, V)> = m
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// Serves `/metrics`, `/health` (the process is up), `/ready` (recovery
/// done, polling) and the routes of `pages` (the status page) until
/// `shutdown`.
pub async fn serve(
    addr: SocketAddr,
    metrics: Arc<Metrics>,
    pages: axum::Router,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    use axum::http::{StatusCode, header};
    use axum::routing::get;
    let m = metrics.clone();
    let r = metrics.clone();
    let app = axum::Router::new()
        .route(
            "/metrics",
            get(move || {
                let body = m.render();
                async move { ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], body) }
            }),
        )
        .route("/health", get(|| async { "ok\n" }))
        .route(
            "/ready",
            get(move || {
                let ready = r.ready.load(Ordering::Relaxed);
                async move {
                    if ready {
                        (StatusCode::OK, "ready\n")
                    } else {
                        (StatusCode::SERVICE_UNAVAILABLE, "starting\n")
                    }
                }
            }),
        )
        .merge(pages);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("listen {addr}: {e}"))?;
    info!(%addr, "serving the status page (/), /status.json, /metrics, /health and /ready");
    let server = axum::serve(listener, app)
        .with_graceful_shutdown(async move { shutdown.cancelled().await });
    if let Err(e) = server.await {
        error!("metrics endpoint failed: {e}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_errors_and_histograms() {
        let m = Metrics::default();
        m.items_emitted.fetch_add(3, Ordering::Relaxed);
        m.fetch_error("page", "permanent");
        m.request_latency("example.org:443", Duration::from_millis(30));
        let text = m.render();
        assert!(text.contains("newsflow_items_emitted_total 3"));
        assert!(text.contains("newsflow_fetch_errors_total{target=\"page\",kind=\"permanent\"} 1"));
        assert!(
            text.contains(
                "newsflow_request_seconds_bucket{host=\"example.org:443\",le=\"0.025\"} 0"
            )
        );
        assert!(
            text.contains(
                "newsflow_request_seconds_bucket{host=\"example.org:443\",le=\"0.05\"} 1"
            )
        );
        assert!(text.contains("newsflow_request_seconds_count{host=\"example.org:443\"} 1"));
    }
}
