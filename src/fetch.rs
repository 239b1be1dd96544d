//! HTTP: feeds and article pages, politely and within bounds.
//!
//! Every request goes through a per-host gate (at most `host_concurrency`
//! in flight, at least `host_delay` between two starts), has one deadline
//! for the whole exchange, and reads at most a fixed number of body bytes
//! *after* decompression, so a gzip bomb is cut like any other huge body.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::StreamExt;
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{Client, StatusCode};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

use crate::config::{Config, FeedConfig};
use crate::guard::{self, PublicOnlyResolver, literal_ip};
use crate::metrics::Metrics;
use crate::robots::Robots;

pub use crate::guard::is_public;

/// Why a fetch failed; the caller retries transient failures later and
/// gives up on permanent ones.
#[derive(Debug, Clone, thiserror::Error)]
pub enum FetchError {
    #[error("{message}")]
    Transient {
        message: String,
        /// What the server asked for with Retry-After.
        retry_after: Option<Duration>,
    },
    #[error("{0}")]
    Permanent(String),
}

impl FetchError {
    fn transient(message: impl Into<String>) -> Self {
        FetchError::Transient {
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn is_transient(&self) -> bool {
        matches!(self, FetchError::Transient { .. })
    }

    /// A short label for metrics and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::Transient {
                retry_after: Some(_),
                ..
            } => "throttled",
            FetchError::Transient { .. } => "transient",
            FetchError::Permanent(_) => "permanent",
        }
    }
}

/// What a server said of a feed document's version, sent back to ask for
/// a 304 when nothing changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// A fetched body.
#[derive(Debug, Clone)]
pub struct Response {
    /// Address after redirects.
    pub url: Url,
    pub content_type: Option<String>,
    /// Content-Location, the base for relative links where given.
    pub content_location: Option<String>,
    pub validators: Validators,
    /// Cache-Control max-age in seconds.
    pub max_age: Option<u64>,
    /// HTTP status code and every response header, in order (for the
    /// page archive).
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// When the response came: the archive record's date, and what a
    /// revision made from it remembers.
    pub fetched_at: chrono::DateTime<chrono::Utc>,
}

/// What a conditional feed request came back with.
#[derive(Debug)]
pub enum FeedResponse {
    NotModified,
    Fresh(Box<Response>),
}

/// The HTTP side of the daemon: one client for feeds, one for pages (pages
/// get the private-address guard), sharing a per-host gate.
pub struct Fetcher {
    feeds: Client,
    pages: Client,
    per_feed: HashMap<Url, Client>,
    /// Shared with the fetchers that replace this one on a reload, so polls
    /// still running with the old settings count against the same limits.
    hosts: Arc<HostGate>,
    timeout: Duration,
    max_feed_bytes: u64,
    max_page_bytes: u64,
    allow_private: bool,
    /// Pages go through a proxy that resolves names, while the guard is
    /// on: each hop is checked here before it is sent (see [`guard`]).
    guard_hops: bool,
    max_redirects: usize,
    metrics: Arc<Metrics>,
    /// robots.txt per origin, when obeyed.
    robots: Option<Mutex<HashMap<String, RobotsCell>>>,
    robots_agent: String,
}

/// One origin's robots.txt and when it was fetched; locked while it is
/// fetched so concurrent pages of a host wait for one request.
type RobotsCell = Arc<tokio::sync::Mutex<Option<(Arc<Robots>, Instant)>>>;

const FEED_ACCEPT: &str = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";
const PAGE_ACCEPT: &str = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5";

/// How long a host's robots.txt is trusted.
const ROBOTS_TTL: Duration = Duration::from_secs(24 * 3600);

impl Fetcher {
    pub fn new(cfg: &Config, metrics: Arc<Metrics>) -> anyhow::Result<Self> {
        let hosts = HostGate::new(cfg.fetch.host_concurrency, cfg.fetch.host_delay);
        Self::with_gate(cfg, metrics, Arc::new(hosts))
    }

    /// A fetcher for a reloaded configuration that shares this one's
    /// per-host gate, set to the new limits: requests of polls still
    /// running on this fetcher and of the new one count together.
    pub fn reloaded(&self, cfg: &Config) -> anyhow::Result<Self> {
        let next = Self::with_gate(cfg, self.metrics.clone(), self.hosts.clone())?;
        self.hosts
            .set_limits(cfg.fetch.host_concurrency, cfg.fetch.host_delay);
        Ok(next)
    }

    fn with_gate(
        cfg: &Config,
        metrics: Arc<Metrics>,
        hosts: Arc<HostGate>,
    ) -> anyhow::Result<Self> {
        let guard_hops = !cfg.allow_private_addresses
            && (cfg.fetch.proxy.is_some() || guard::env_proxy_hosts().is_some());
        let feeds = client(cfg, cfg.fetch.proxy.as_ref(), Guard::Off)?;
        let page_guard = match (cfg.allow_private_addresses, guard_hops) {
            (true, _) => Guard::Off,
            (false, false) => Guard::Resolver,
            (false, true) => Guard::Hops,
        };
        let pages = client(cfg, cfg.fetch.proxy.as_ref(), page_guard)?;
        let mut per_feed = HashMap::new();
        for f in &cfg.feeds {
            if let Some(proxy) = &f.proxy {
                per_feed.insert(f.url.clone(), client(cfg, Some(proxy), Guard::Off)?);
            }
        }
        Ok(Fetcher {
            feeds,
            pages,
            per_feed,
            hosts,
            timeout: cfg.timeout,
            max_feed_bytes: cfg.max_feed_bytes,
            max_page_bytes: cfg.max_page_bytes,
            allow_private: cfg.allow_private_addresses,
            guard_hops,
            max_redirects: cfg.max_redirects,
            metrics,
            robots: cfg.fetch.robots.then(Default::default),
            robots_agent: cfg
                .user_agent
                .split(['/', ' '])
                .next()
                .unwrap_or("newsflow")
                .to_string(),
        })
    }

    /// Fetches a feed, conditionally when validators are known.
    pub async fn feed(
        &self,
        feed: &FeedConfig,
        known: &Validators,
    ) -> Result<FeedResponse, FetchError> {
        let client = self.per_feed.get(&feed.url).unwrap_or(&self.feeds);
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static(FEED_ACCEPT));
        conditional_headers(&mut headers, known);
        for (k, v) in &feed.headers {
            if let (Ok(k), Ok(v)) = (
                header::HeaderName::from_bytes(k.as_bytes()),
                HeaderValue::from_str(v),
            ) {
                headers.insert(k, v);
            }
        }
        match self
            .get(client, &feed.url, headers, self.max_feed_bytes)
            .await?
        {
            Got::NotModified => Ok(FeedResponse::NotModified),
            Got::Body(r) => Ok(FeedResponse::Fresh(r)),
            Got::Redirect(to) => Err(FetchError::Permanent(format!(
                "{}: unfollowed redirect to {to}",
                feed.url
            ))),
        }
    }

    /// Fetches an article page. Only HTML (or an unlabelled body) is
    /// accepted; links to private addresses are refused unless allowed.
    pub async fn page(&self, url: &Url) -> Result<Response, FetchError> {
        match self.page_if_changed(url, &Validators::default()).await? {
            Some(r) => Ok(r),
            None => Err(FetchError::transient(format!("{url}: unexpected 304"))),
        }
    }

    /// [`Fetcher::page`], conditional on `known` validators: `None` when
    /// the server answers 304 Not Modified.
    pub async fn page_if_changed(
        &self,
        url: &Url,
        known: &Validators,
    ) -> Result<Option<Response>, FetchError> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static(PAGE_ACCEPT));
        conditional_headers(&mut headers, known);
        let Some(r) = self.guarded_got(url, headers, self.max_page_bytes).await? else {
            return Ok(None);
        };
        let html = r.content_type.as_deref().is_none_or(|ct| {
            let ct = ct.to_ascii_lowercase();
            ct.contains("html") || ct.starts_with("text/plain") || ct.contains("octet-stream")
        });
        if html {
            Ok(Some(r))
        } else {
            Err(FetchError::Permanent(format!(
                "{url}: not an HTML page ({})",
                r.content_type.unwrap_or_default()
            )))
        }
    }

    /// Fetches a feed address found on a page (`discover`): a link of
    /// someone else's document, so it gets the guard and robots rules of
    /// article links, with a feed's Accept header and size cap.
    pub async fn discovered_feed(&self, url: &Url) -> Result<Response, FetchError> {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_static(FEED_ACCEPT));
        match self.guarded_got(url, headers, self.max_feed_bytes).await? {
            Some(r) => Ok(r),
            None => Err(FetchError::transient(format!("{url}: unexpected 304"))),
        }
    }

    /// A request for a link that came from a document rather than the
    /// configuration: private addresses refused before anything is sent
    /// (unless allowed), robots.txt obeyed when configured.
    /// `None` for a 304 (only a request with validators gets one).
    async fn guarded_got(
        &self,
        url: &Url,
        headers: HeaderMap,
        max_bytes: u64,
    ) -> Result<Option<Response>, FetchError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::Permanent(format!("{url}: not an http(s) link")));
        }
        if !self.allow_private
            && let Some(ip) = literal_ip(url)
            && !is_public(ip)
        {
            return Err(FetchError::Permanent(format!(
                "{url}: private address refused (set allow_private_addresses = true to allow)"
            )));
        }
        if let Some(cache) = &self.robots {
            let rules = self.robots_for(cache, url).await?;
            let path = match url.query() {
                Some(q) => format!("{}?{q}", url.path()),
                None => url.path().to_string(),
            };
            if !rules.allowed(&path) {
                return Err(FetchError::Permanent(format!(
                    "{url}: disallowed by robots.txt"
                )));
            }
        }
        let got = self
            .get_page(url, headers, max_bytes)
            .await
            .map_err(|e| match e {
                // A host that does not resolve while its feed did is gone,
                // not busy: waiting for it only delays the item. (hyper-util
                // keeps its DNS error type private, hence the text match.)
                FetchError::Transient { message, .. }
                    if message.contains("dns error")
                        || message.contains("resolves only to private") =>
                {
                    FetchError::Permanent(message)
                }
                e => e,
            })?;
        match got {
            Got::NotModified => Ok(None),
            Got::Redirect(_) => Err(FetchError::transient(format!("{url}: unexpected redirect"))),
            Got::Body(r) => Ok(Some(*r)),
        }
    }

    /// The origin's robots.txt, fetched at most once a day. A missing one
    /// (4xx) allows everything; an unreachable one (5xx, network) makes the
    /// page wait, as RFC 9309 asks.
    async fn robots_for(
        &self,
        cache: &Mutex<HashMap<String, RobotsCell>>,
        url: &Url,
    ) -> Result<Arc<Robots>, FetchError> {
        let origin = url.origin().ascii_serialization();
        let cell = cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(origin)
            .or_default()
            .clone();
        let mut slot = cell.lock().await;
        if let Some((r, at)) = slot.as_ref()
            && at.elapsed() < ROBOTS_TTL
        {
            return Ok(r.clone());
        }
        let robots_url = url
            .join("/robots.txt")
            .map_err(|e| FetchError::Permanent(format!("{url}: {e}")))?;
        let rules = match self
            .get_page(&robots_url, HeaderMap::new(), 512 * 1024)
            .await
        {
            Ok(Got::Body(r)) => {
                Robots::parse(&String::from_utf8_lossy(&r.body), &self.robots_agent)
            }
            Ok(Got::NotModified | Got::Redirect(_)) => Robots::allow_all(),
            Err(FetchError::Permanent(_)) => Robots::allow_all(),
            Err(FetchError::Transient {
                message,
                retry_after,
            }) => {
                return Err(FetchError::Transient {
                    message: format!("robots.txt unavailable: {message}"),
                    retry_after,
                });
            }
        };
        let rules = Arc::new(rules);
        *slot = Some((rules.clone(), Instant::now()));
        Ok(rules)
    }

    /// A request of the pages client. When a proxy resolves names, its
    /// redirects are followed here, so that every hop passes the guard
    /// before it goes to the proxy.
    async fn get_page(
        &self,
        url: &Url,
        headers: HeaderMap,
        max_bytes: u64,
    ) -> Result<Got, FetchError> {
        if !self.guard_hops {
            return self.get(&self.pages, url, headers, max_bytes).await;
        }
        let mut hops: Vec<Url> = Vec::new();
        let mut url = url.clone();
        loop {
            guard::check_proxied(&url)
                .await
                .map_err(|e| FetchError::Permanent(format!("{url}: {e}")))?;
            let next = match self
                .get(&self.pages, &url, headers.clone(), max_bytes)
                .await?
            {
                Got::Redirect(next) => next,
                got => return Ok(got),
            };
            if hops.len() >= self.max_redirects {
                return Err(FetchError::Permanent(format!(
                    "{url}: more than {} redirects",
                    self.max_redirects
                )));
            }
            hops.push(std::mem::replace(&mut url, next));
            if hops.contains(&url) {
                return Err(FetchError::Permanent(format!("{url}: redirect loop")));
            }
        }
    }

    /// One request through the host gate, under the whole-exchange deadline.
    async fn get(
        &self,
        client: &Client,
        url: &Url,
        headers: HeaderMap,
        max_bytes: u64,
    ) -> Result<Got, FetchError> {
        let (_permit, host) = self.hosts.enter(url).await;
        let started = Instant::now();
        let result =
            tokio::time::timeout(self.timeout, exchange(client, url, headers, max_bytes)).await;
        self.metrics.request_latency(&host, started.elapsed());
        match result {
            Ok(r) => r,
            Err(_) => Err(FetchError::transient(format!(
                "{url}: no complete response within {}",
                humantime::format_duration(self.timeout)
            ))),
        }
    }
}

/// If-None-Match and If-Modified-Since for the validators known.
fn conditional_headers(headers: &mut HeaderMap, known: &Validators) {
    let as_header = |v: &Option<String>| v.as_deref().and_then(|v| HeaderValue::from_str(v).ok());
    if let Some(v) = as_header(&known.etag) {
        headers.insert(header::IF_NONE_MATCH, v);
    }
    if let Some(v) = as_header(&known.last_modified) {
        headers.insert(header::IF_MODIFIED_SINCE, v);
    }
}

/// Sends the request and reads the answer: a 304, or the body (at most
/// `max_bytes`) with the headers that matter.
async fn exchange(
    client: &Client,
    url: &Url,
    headers: HeaderMap,
    max_bytes: u64,
) -> Result<Got, FetchError> {
    let resp = client
        .get(url.clone())
        .headers(headers)
        .send()
        .await
        .map_err(|e| describe(url, &e))?;
    let status = resp.status();
    if status == StatusCode::NOT_MODIFIED {
        return Ok(Got::NotModified);
    }
    // Only a client that does not follow redirects itself sees one here.
    if status.is_redirection()
        && let Some(to) = resp
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|l| url.join(l).ok())
    {
        return Ok(Got::Redirect(to));
    }
    if !status.is_success() {
        return Err(status_error(url, status, resp.headers()));
    }
    let hv = |name: header::HeaderName| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = hv(header::CONTENT_TYPE);
    let content_location = hv(header::CONTENT_LOCATION);
    let validators = Validators {
        etag: hv(header::ETAG),
        last_modified: hv(header::LAST_MODIFIED),
    };
    let max_age = hv(header::CACHE_CONTROL).and_then(|cc| max_age(&cc));
    let final_url = resp.url().clone();
    let all_headers = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = read_capped(url, resp, max_bytes).await?;
    Ok(Got::Body(Box::new(Response {
        url: final_url,
        content_type,
        content_location,
        validators,
        max_age,
        status: status.as_u16(),
        headers: all_headers,
        body,
        fetched_at: chrono::Utc::now(),
    })))
}

/// The body, refused once it passes `max_bytes`: counted as it arrives,
/// after decompression, so a gzip bomb is cut like any other huge body.
async fn read_capped(
    url: &Url,
    resp: reqwest::Response,
    max_bytes: u64,
) -> Result<Vec<u8>, FetchError> {
    if let Some(len) = resp.content_length()
        && len > max_bytes
    {
        return Err(FetchError::Permanent(format!(
            "{url}: body of {len} bytes is over the limit of {max_bytes}"
        )));
    }
    let mut body = Vec::new();
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| describe(url, &e))?;
        if body.len() as u64 + chunk.len() as u64 > max_bytes {
            return Err(FetchError::Permanent(format!(
                "{url}: body is over the limit of {max_bytes} bytes (after decompression); refused"
            )));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

enum Got {
    NotModified,
    Body(Box<Response>),
    /// A redirect left to the caller (see [`Fetcher::get_page`]).
    Redirect(Url),
}

/// How a client keeps requests off private addresses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Guard {
    /// Not at all (feeds; pages with `allow_private_addresses`).
    Off,
    /// Names resolve to public addresses only; redirects to literal
    /// private addresses are refused.
    Resolver,
    /// A proxy resolves names: redirects are not followed by the client
    /// but by [`Fetcher::get_page`], which checks each hop.
    Hops,
}

fn client(cfg: &Config, proxy: Option<&Url>, guard: Guard) -> anyhow::Result<Client> {
    let max_redirects = cfg.max_redirects;
    let policy = match guard {
        Guard::Hops => reqwest::redirect::Policy::none(),
        _ => reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > max_redirects {
                attempt.error(format!("more than {max_redirects} redirects"))
            } else if attempt.previous().contains(attempt.url()) {
                attempt.error("redirect loop")
            } else if guard == Guard::Resolver
                && literal_ip(attempt.url()).is_some_and(|ip| !is_public(ip))
            {
                attempt.error("redirect to a private address refused")
            } else {
                attempt.follow()
            }
        }),
    };
    let mut b = Client::builder()
        .user_agent(cfg.user_agent.clone())
        .connect_timeout(cfg.connect_timeout)
        .read_timeout(cfg.timeout)
        .pool_idle_timeout(Duration::from_secs(30))
        .redirect(policy);
    b = match proxy {
        Some(p) => b.proxy(reqwest::Proxy::all(p.as_str())?),
        // The environment's proxy settings apply unless the config names one.
        None => b,
    };
    if guard != Guard::Off {
        // With a `socks5://` proxy names are resolved here too, by this
        // resolver; the proxy's own name is the operator's choice.
        let trusted = match proxy {
            Some(p) => p
                .host_str()
                .map(str::to_ascii_lowercase)
                .into_iter()
                .collect(),
            None => guard::env_proxy_hosts().unwrap_or_default(),
        };
        let resolver = PublicOnlyResolver {
            trusted: Arc::new(trusted.into_iter().collect()),
        };
        b = b.dns_resolver(Arc::new(resolver));
    }
    Ok(b.build()?)
}

fn describe(url: &Url, e: &reqwest::Error) -> FetchError {
    let mut msg = format!("{url}: {e}");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    if e.is_redirect() || e.is_builder() {
        FetchError::Permanent(msg)
    } else {
        FetchError::transient(msg)
    }
}

fn status_error(url: &Url, status: StatusCode, headers: &HeaderMap) -> FetchError {
    let retry_after = headers
        .get(header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, chrono::Utc::now()));
    let message = format!("{url}: HTTP {status}");
    match status.as_u16() {
        408 | 425 | 429 | 500..=599 => FetchError::Transient {
            message,
            retry_after,
        },
        _ => FetchError::Permanent(message),
    }
}

/// Retry-After as delta-seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let delta = when.with_timezone(&chrono::Utc) - now;
    Some(delta.to_std().unwrap_or(Duration::ZERO))
}

fn max_age(cache_control: &str) -> Option<u64> {
    cache_control.split(',').find_map(|d| {
        let (k, v) = d.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("max-age")
            .then(|| v.trim().trim_matches('"').parse().ok())?
    })
}

/// Per-host politeness: a semaphore for concurrency and a clock for spacing.
struct HostGate {
    limits: Mutex<HostLimits>,
    hosts: Mutex<HashMap<String, Arc<HostSlot>>>,
}

#[derive(Clone, Copy)]
struct HostLimits {
    concurrency: usize,
    delay: Duration,
}

struct HostSlot {
    permits: Arc<Semaphore>,
    next_start: tokio::sync::Mutex<Instant>,
}

impl HostGate {
    fn new(concurrency: usize, delay: Duration) -> Self {
        HostGate {
            limits: Mutex::new(HostLimits { concurrency, delay }),
            hosts: Mutex::new(HashMap::new()),
        }
    }

    fn limits(&self) -> HostLimits {
        *self.limits.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// New limits for every host, counting requests already in flight.
    fn set_limits(&self, concurrency: usize, delay: Duration) {
        // Locked in the order `enter` takes them.
        let hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        let mut limits = self.limits.lock().unwrap_or_else(|p| p.into_inner());
        for slot in hosts.values() {
            resize(&slot.permits, limits.concurrency, concurrency);
        }
        *limits = HostLimits { concurrency, delay };
    }

    /// Waits for the host's turn; returns the permit and the host's key.
    async fn enter(&self, url: &Url) -> (OwnedSemaphorePermit, String) {
        let key = format!(
            "{}:{}",
            url.host_str().unwrap_or(""),
            url.port_or_known_default().unwrap_or(0)
        );
        let slot = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
            hosts
                .entry(key.clone())
                .or_insert_with(|| {
                    Arc::new(HostSlot {
                        permits: Arc::new(Semaphore::new(self.limits().concurrency)),
                        next_start: tokio::sync::Mutex::new(Instant::now()),
                    })
                })
                .clone()
        };
        let permit = slot
            .permits
            .clone()
            .acquire_owned()
            .await
            .expect("host semaphore is never closed");
        let delay = self.limits().delay;
        if !delay.is_zero() {
            let mut next = slot.next_start.lock().await;
            let now = Instant::now();
            if *next > now {
                tokio::time::sleep_until((*next).into()).await;
            }
            *next = Instant::now() + delay;
        }
        (permit, key)
    }
}

/// Changes a semaphore made with `from` permits to `to`. Permits in use
/// when it shrinks are taken out as they come back, so what is in flight
/// never exceeds the new number for longer than requests already running.
pub fn resize(permits: &Arc<Semaphore>, from: usize, to: usize) {
    if to >= from {
        permits.add_permits(to - from);
        return;
    }
    let excess = from - to;
    let missing = excess - permits.forget_permits(excess);
    if missing > 0 {
        let permits = permits.clone();
        tokio::spawn(async move {
            if let Ok(p) = permits.acquire_many_owned(missing as u32).await {
                p.forget();
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_shrunk_limit_counts_permits_in_use() {
        let permits = Arc::new(Semaphore::new(4));
        let held = permits.clone().acquire_many_owned(3).await.unwrap();
        resize(&permits, 4, 2);
        assert_eq!(permits.available_permits(), 0);
        drop(held);
        for _ in 0..100 {
            if permits.available_permits() == 2 {
                break;
            }
            tokio::task::yield_now().await;
        }
        assert_eq!(permits.available_permits(), 2);
        resize(&permits, 2, 5);
        assert_eq!(permits.available_permits(), 5);
    }

    #[test]
    fn retry_after_takes_seconds_and_dates() {
        let now = chrono::DateTime::parse_from_rfc3339("2015-10-21T07:28:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn max_age_is_read() {
        assert_eq!(max_age("public, max-age=300"), Some(300));
        assert_eq!(max_age("no-cache"), None);
    }
}
