//! Configuration: a TOML file parsed into a raw serde struct that rejects
//! unknown keys, then validated into a typed [`Config`] before any task
//! starts. Every problem found is reported with file, line and column.

mod raw;
mod validate;

use std::collections::HashSet;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use toml::Spanned;
use url::Url;

use crate::extract::SiteRules;
use raw::{RawArchive, RawConfig, RawFeed, RawFetch, RawOutput, RawStore};
use validate::Validator;
pub use validate::parse_size;

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the embedded store lives.
    pub state_dir: PathBuf,
    /// Fetch article links on loopback/private/link-local addresses.
    pub allow_private_addresses: bool,
    pub user_agent: String,
    /// Default time between two polls of one feed.
    pub poll_interval: Duration,
    /// Random spread added to each poll time, as a fraction of the interval.
    pub jitter: f64,
    /// Feeds polled at once.
    pub feed_concurrency: usize,
    /// Article pages fetched and extracted at once.
    pub page_concurrency: usize,
    /// Whole-request limit (connect, headers and body).
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub max_feed_bytes: u64,
    pub max_page_bytes: u64,
    pub max_items_per_feed: usize,
    pub max_redirects: usize,
    /// Longest wait before a failing feed is tried again.
    pub max_backoff: Duration,
    /// Time a graceful shutdown may take before in-flight work is abandoned
    /// (it is retried after the restart, never lost).
    pub shutdown_timeout: Duration,
    /// How long an item's keys are kept once no feed lists it any more;
    /// `None` keeps them forever.
    pub seen_retention: Option<Duration>,
    /// Link syndicated copies to the first-seen article (`duplicate_of`).
    pub near_duplicates: bool,
    pub fetch: FetchConfig,
    pub output: OutputConfig,
    pub store: StoreConfig,
    /// This instance's name on a shared store: scopes its outbox and sink
    /// checkpoint. `None`: host name plus output (see [`Config::instance_name`]).
    pub instance: Option<String>,
    /// Per-host extraction rules (TOML and ftr-site-config files), loaded
    /// and checked with the configuration.
    pub site_rules: Option<Arc<SiteRules>>,
    /// Health and Prometheus metrics endpoint, when set.
    pub listen: Option<SocketAddr>,
    /// Emit a changed item again as its next revision (`false`: once only).
    pub revisions: bool,
    /// Where fetched article pages are kept (WARC), when set.
    pub archive: Option<ArchiveConfig>,
    pub feeds: Vec<FeedConfig>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ArchiveConfig {
    /// Folder of the `*.warc.gz` files.
    pub path: PathBuf,
    /// A file is closed and a new one begun before it would pass this.
    pub max_file_bytes: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FetchConfig {
    /// Least time between two requests to one host.
    pub host_delay: Duration,
    /// Most requests in flight to one host.
    pub host_concurrency: usize,
    /// Proxy for every request (`http://`, `https://` or `socks5://`).
    pub proxy: Option<Url>,
    /// Obey robots.txt for article pages (feeds were chosen by the operator).
    pub robots: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OutputConfig {
    /// Append-only file; `None` writes to stdout.
    pub path: Option<PathBuf>,
    /// Longest event line; longer bodies are cut and flagged `truncated`.
    pub max_line_bytes: usize,
    /// Kafka instead of the file or stdout (needs the `kafka` feature).
    pub kafka: Option<KafkaConfig>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KafkaConfig {
    /// `host:port[,host:port...]` (librdkafka `bootstrap.servers`).
    pub brokers: String,
    pub topic: String,
    /// Extra librdkafka producer properties (security, compression, ...).
    pub properties: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StoreConfig {
    /// SQLite file under `state_dir`.
    Embedded,
    /// Shared PostgreSQL state for several instances.
    Postgres(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct FeedConfig {
    pub url: Url,
    /// Shown in logs and `status`; defaults to the URL.
    pub name: String,
    pub interval: Duration,
    pub enabled: bool,
    /// Tags added to every article of this feed.
    pub tags: Vec<String>,
    /// Extra request headers for this feed's own requests.
    pub headers: Vec<(String, String)>,
    pub proxy: Option<Url>,
    /// Ages after first emission at which an article's page is fetched
    /// again to look for changes, shortest first (`recheck`).
    pub recheck: Vec<Duration>,
}

/// Every problem found in a configuration, each with its place.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub file: PathBuf,
    /// 1-based line and column; 0 when the problem has no single place.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.0 {
            if e.line > 0 {
                writeln!(
                    f,
                    "{}:{}:{}: {}",
                    e.file.display(),
                    e.line,
                    e.column,
                    e.message
                )?;
            } else {
                writeln!(f, "{}: {}", e.file.display(), e.message)?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

pub fn default_state_dir() -> PathBuf {
    PathBuf::from("state")
}
pub fn default_user_agent() -> String {
    format!(
        "newsflow/{} (+https://github.com/newsflow/newsflow)",
        env!("CARGO_PKG_VERSION")
    )
}
pub fn default_poll_interval() -> Duration {
    Duration::from_secs(15 * 60)
}
pub fn default_jitter() -> f64 {
    0.1
}
pub fn default_feed_concurrency() -> usize {
    8
}
pub fn default_page_concurrency() -> usize {
    16
}
pub fn default_timeout() -> Duration {
    Duration::from_secs(30)
}
pub fn default_connect_timeout() -> Duration {
    Duration::from_secs(10)
}
pub fn default_max_feed_bytes() -> u64 {
    16 * 1024 * 1024
}
pub fn default_max_page_bytes() -> u64 {
    8 * 1024 * 1024
}
pub fn default_max_items_per_feed() -> usize {
    // Archive feeds of a few thousand items exist; the byte cap already
    // bounds memory, this only bounds one poll's work.
    10_000
}
pub fn default_max_redirects() -> usize {
    5
}
pub fn default_max_backoff() -> Duration {
    Duration::from_secs(6 * 3600)
}
pub fn default_shutdown_timeout() -> Duration {
    Duration::from_secs(20)
}
pub fn default_seen_retention() -> Duration {
    Duration::from_secs(180 * 86_400)
}
pub fn default_near_duplicates() -> bool {
    true
}
/// Below this, a feed that stops answering for a while could bring back
/// items whose keys were already dropped.
pub const MIN_SEEN_RETENTION: Duration = Duration::from_secs(7 * 86_400);
pub fn default_host_delay() -> Duration {
    Duration::from_millis(500)
}
pub fn default_host_concurrency() -> usize {
    // What a browser opens to one host; host_delay is what keeps the rate
    // polite, this only lets slow responses overlap.
    6
}
pub fn default_max_line_bytes() -> usize {
    1024 * 1024
}
pub fn default_revisions() -> bool {
    true
}
pub fn default_recheck() -> Vec<Duration> {
    Vec::new()
}
pub fn default_max_archive_file_bytes() -> u64 {
    1 << 30
}

/// Reads and validates a configuration file.
pub fn load(path: &Path) -> Result<Config, ConfigErrors> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigErrors(vec![ConfigError {
            file: path.to_path_buf(),
            line: 0,
            column: 0,
            message: format!("cannot read the configuration: {e}"),
        }])
    })?;
    parse(&text, path)
}

/// Validates configuration text; `path` names it in errors and anchors
/// relative paths (state_dir, opml, output path) to its folder. Every
/// problem is reported: those of the document's structure first, then
/// those of its values.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigErrors> {
    let mut v = Validator::new(path, text);
    let (raw, problems) = raw::read(text);
    for (at, message) in problems {
        v.error(at, message);
    }
    let Some(raw) = raw else {
        return Err(v.into_errors());
    };
    let base = Base(path.parent().map(Path::to_path_buf).unwrap_or_default());
    let poll_interval = v.duration(&raw.poll_interval, "poll_interval", default_poll_interval());
    let recheck = recheck_ages(&mut v, Some(&raw.recheck)).unwrap_or_else(default_recheck);
    let feeds = feed_list(&mut v, &raw, &base, (poll_interval, &recheck));
    let (store, instance) = store_section(&mut v, &raw.store);
    let kafka = kafka_output(&mut v, &raw.output);
    let cfg = Config {
        state_dir: base.resolve(raw.state_dir.as_ref().map_or("state", |s| s.get_ref())),
        allow_private_addresses: raw.allow_private_addresses,
        user_agent: raw.user_agent.clone().unwrap_or_else(default_user_agent),
        poll_interval,
        jitter: jitter(&mut v, &raw.jitter),
        feed_concurrency: v.count(
            &raw.feed_concurrency,
            "feed_concurrency",
            default_feed_concurrency(),
        ),
        page_concurrency: v.count(
            &raw.page_concurrency,
            "page_concurrency",
            default_page_concurrency(),
        ),
        timeout: v.duration(&raw.timeout, "timeout", default_timeout()),
        connect_timeout: v.duration(
            &raw.connect_timeout,
            "connect_timeout",
            default_connect_timeout(),
        ),
        max_feed_bytes: v.size(
            &raw.max_feed_bytes,
            "max_feed_bytes",
            default_max_feed_bytes(),
        ),
        max_page_bytes: v.size(
            &raw.max_page_bytes,
            "max_page_bytes",
            default_max_page_bytes(),
        ),
        max_items_per_feed: v.count(
            &raw.max_items_per_feed,
            "max_items_per_feed",
            default_max_items_per_feed(),
        ),
        max_redirects: match &raw.max_redirects {
            Some(n) if *n.get_ref() == 0 => 0,
            other => v.count(other, "max_redirects", default_max_redirects()),
        },
        max_backoff: v.duration(&raw.max_backoff, "max_backoff", default_max_backoff()),
        shutdown_timeout: v.duration(
            &raw.shutdown_timeout,
            "shutdown_timeout",
            default_shutdown_timeout(),
        ),
        seen_retention: Some(v.duration(
            &raw.seen_retention,
            "seen_retention",
            default_seen_retention(),
        ))
        .filter(|d| !d.is_zero()),
        near_duplicates: raw.near_duplicates.unwrap_or_else(default_near_duplicates),
        fetch: fetch_section(&mut v, &raw.fetch),
        output: output_section(&mut v, &raw.output, &base, kafka),
        store,
        instance,
        site_rules: site_rules(&mut v, &raw.site_rules, &base),
        listen: listen(&mut v, &raw.listen),
        revisions: raw.revisions,
        archive: raw
            .archive
            .as_ref()
            .map(|a| archive_section(&mut v, a, &base)),
        feeds,
    };
    check_retention(&mut v, &cfg, &raw.seen_retention);
    v.finish(cfg)
}

/// The configuration file's folder, against which relative paths resolve.
struct Base(PathBuf);

impl Base {
    fn resolve(&self, p: &str) -> PathBuf {
        let p = PathBuf::from(p);
        if p.is_absolute() { p } else { self.0.join(p) }
    }
}

/// `recheck` ages, sorted and deduplicated; `None` when not given.
fn recheck_ages(v: &mut Validator, raw: Option<&Vec<Spanned<String>>>) -> Option<Vec<Duration>> {
    let mut ages: Vec<Duration> = raw?
        .iter()
        .map(|s| v.duration(&Some(s.clone()), "recheck", Duration::ZERO))
        .filter(|d| !d.is_zero())
        .collect();
    ages.sort();
    ages.dedup();
    Some(ages)
}

/// `[archive]`: the folder (relative to the config file) and file size.
fn archive_section(v: &mut Validator, raw: &RawArchive, base: &Base) -> ArchiveConfig {
    ArchiveConfig {
        path: base.resolve(raw.path.get_ref()),
        max_file_bytes: v.size(
            &raw.max_file_bytes,
            "max_file_bytes",
            default_max_archive_file_bytes(),
        ),
    }
}

/// `[[feeds]]` entries, then the feeds of `opml` not listed already.
/// `defaults`: the top-level poll interval and recheck ages.
fn feed_list(
    v: &mut Validator,
    raw: &RawConfig,
    base: &Base,
    defaults: (Duration, &[Duration]),
) -> Vec<FeedConfig> {
    let (poll_interval, recheck) = defaults;
    let mut feeds = Vec::new();
    let mut seen = HashSet::new();
    for f in &raw.feeds {
        let Some(url) = v.http_url(&f.url, "feed url") else {
            continue;
        };
        if !seen.insert(url.to_string()) {
            v.error(
                Some(f.url.span().start),
                format!("feed {url} is listed twice"),
            );
            continue;
        }
        feeds.push(FeedConfig {
            name: f.name.clone().unwrap_or_else(|| url.to_string()),
            interval: v.duration(&f.interval, "interval", poll_interval),
            enabled: f.enabled,
            tags: f.tags.clone(),
            headers: feed_headers(v, f),
            proxy: f.proxy.as_ref().and_then(|p| v.proxy_url(p)),
            recheck: recheck_ages(v, f.recheck.as_ref()).unwrap_or_else(|| recheck.to_vec()),
            url,
        });
    }
    if let Some(opml) = &raw.opml {
        opml_feeds(v, opml, base, defaults, &mut seen, &mut feeds);
    }
    feeds
}

fn feed_headers(v: &mut Validator, f: &RawFeed) -> Vec<(String, String)> {
    let mut headers = Vec::new();
    for (k, val) in &f.headers {
        let ok_name = reqwest::header::HeaderName::from_bytes(k.as_bytes()).is_ok();
        let ok_value = reqwest::header::HeaderValue::from_str(val.get_ref()).is_ok();
        if !ok_name || !ok_value {
            v.error(Some(val.span().start), format!("invalid HTTP header {k:?}"));
        } else {
            headers.push((k.clone(), val.get_ref().clone()));
        }
    }
    headers
}

/// Adds the feeds of an OPML export that are not in `seen` yet.
fn opml_feeds(
    v: &mut Validator,
    opml: &Spanned<String>,
    base: &Base,
    (poll_interval, recheck): (Duration, &[Duration]),
    seen: &mut HashSet<String>,
    feeds: &mut Vec<FeedConfig>,
) {
    let opml_path = base.resolve(opml.get_ref());
    let list = match crate::opml::read_file(&opml_path) {
        Ok(list) => list,
        Err(e) => return v.error(Some(opml.span().start), format!("{e:#}")),
    };
    for entry in list {
        match Url::parse(&entry.url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => {
                if seen.insert(url.to_string()) {
                    feeds.push(FeedConfig {
                        name: entry.title.clone().unwrap_or_else(|| url.to_string()),
                        interval: poll_interval,
                        enabled: true,
                        tags: Vec::new(),
                        headers: Vec::new(),
                        proxy: None,
                        recheck: recheck.to_vec(),
                        url,
                    });
                }
            }
            _ => v.error(
                Some(opml.span().start),
                format!(
                    "{}: feed address {:?} is not an http(s) URL",
                    opml_path.display(),
                    entry.url
                ),
            ),
        }
    }
}

/// `[store]`: which store, and this instance's name on a shared one.
fn store_section(v: &mut Validator, raw: &RawStore) -> (StoreConfig, Option<String>) {
    let store = match &raw.url {
        None => StoreConfig::Embedded,
        Some(u) => {
            let s = u.get_ref();
            if s.starts_with("postgres://") || s.starts_with("postgresql://") {
                StoreConfig::Postgres(s.clone())
            } else if s.starts_with("sqlite:") {
                StoreConfig::Embedded
            } else {
                v.error(
                    Some(u.span().start),
                    format!("store url {s:?}: expected postgres://... (or omit [store] for the embedded store)"),
                );
                StoreConfig::Embedded
            }
        }
    };
    let instance = raw.instance.as_ref().and_then(|i| {
        let name = i.get_ref().trim();
        if name.is_empty() {
            v.error(
                Some(i.span().start),
                "store instance must not be empty".into(),
            );
            None
        } else {
            Some(name.to_string())
        }
    });
    (store, instance)
}

fn jitter(v: &mut Validator, raw: &Option<Spanned<f64>>) -> f64 {
    match raw {
        None => default_jitter(),
        Some(j) if (0.0..=1.0).contains(j.get_ref()) => *j.get_ref(),
        Some(j) => {
            v.error(
                Some(j.span().start),
                "jitter must be between 0 and 1 (a fraction of the interval)".into(),
            );
            default_jitter()
        }
    }
}

fn fetch_section(v: &mut Validator, raw: &RawFetch) -> FetchConfig {
    FetchConfig {
        host_delay: v.duration(&raw.host_delay, "host_delay", default_host_delay()),
        host_concurrency: v.count(
            &raw.host_concurrency,
            "host_concurrency",
            default_host_concurrency(),
        ),
        proxy: raw.proxy.as_ref().and_then(|p| v.proxy_url(p)),
        robots: raw.robots,
    }
}

fn output_section(
    v: &mut Validator,
    raw: &RawOutput,
    base: &Base,
    kafka: Option<KafkaConfig>,
) -> OutputConfig {
    OutputConfig {
        path: raw.path.as_ref().map(|p| base.resolve(p.get_ref())),
        max_line_bytes: v.size(
            &raw.max_line_bytes,
            "max_line_bytes",
            default_max_line_bytes() as u64,
        ) as usize,
        kafka,
    }
}

/// Loads the site rules folder, so a broken rule is a configuration error.
fn site_rules(
    v: &mut Validator,
    raw: &Option<Spanned<String>>,
    base: &Base,
) -> Option<Arc<SiteRules>> {
    let dir = raw.as_ref()?;
    match SiteRules::load_dir(&base.resolve(dir.get_ref())) {
        Ok(rules) => Some(Arc::new(rules)),
        Err(e) => {
            v.error(Some(dir.span().start), format!("site_rules: {e:#}"));
            None
        }
    }
}

fn listen(v: &mut Validator, raw: &Option<Spanned<String>>) -> Option<SocketAddr> {
    let l = raw.as_ref()?;
    match l.get_ref().parse() {
        Ok(addr) => Some(addr),
        Err(_) => {
            v.error(
                Some(l.span().start),
                format!(
                    "listen {:?}: expected an address like 127.0.0.1:9090",
                    l.get_ref()
                ),
            );
            None
        }
    }
}

/// Checks that need several values: the line cap, and a retention that
/// outlasts the slowest feed's polls.
fn check_retention(v: &mut Validator, cfg: &Config, raw: &Option<Spanned<String>>) {
    if cfg.output.max_line_bytes < 4096 {
        v.error(None, "max_line_bytes must be at least 4096".into());
    }
    let Some(retention) = cfg.seen_retention else {
        return;
    };
    // A listed item's keys are refreshed when its feed is read, at least
    // every quarter of the retention; a feed polled less often would see
    // its items' keys expire between two polls.
    let slowest = cfg
        .feeds
        .iter()
        .map(|f| f.interval)
        .max()
        .unwrap_or_default();
    if retention < MIN_SEEN_RETENTION.max(slowest * 4) {
        v.error(
            raw.as_ref().map(|s| s.span().start),
            format!(
                "seen_retention {} is too short: at least 7 days and 4 times the longest poll interval ({}), or \"0s\" to keep keys forever",
                humantime::format_duration(retention),
                humantime::format_duration(slowest)
            ),
        );
    }
}

/// The Kafka sink settings: both brokers and topic, and not with `path`.
fn kafka_output(v: &mut Validator, raw: &RawOutput) -> Option<KafkaConfig> {
    let (brokers, topic) = match (&raw.kafka_brokers, &raw.kafka_topic) {
        (None, None) => {
            if !raw.kafka_properties.is_empty() {
                v.error(
                    None,
                    "[output] kafka_properties needs kafka_brokers and kafka_topic".into(),
                );
            }
            return None;
        }
        (Some(b), Some(t)) => (b, t),
        (Some(s), None) | (None, Some(s)) => {
            v.error(
                Some(s.span().start),
                "[output] kafka_brokers and kafka_topic go together".into(),
            );
            return None;
        }
    };
    if let Some(p) = &raw.path {
        v.error(
            Some(p.span().start),
            "[output] path and kafka_brokers exclude each other: one sink per instance".into(),
        );
    }
    if brokers.get_ref().trim().is_empty() || topic.get_ref().trim().is_empty() {
        v.error(
            Some(brokers.span().start),
            "[output] kafka_brokers and kafka_topic must not be empty".into(),
        );
        return None;
    }
    if !cfg!(feature = "kafka") {
        v.error(
            Some(brokers.span().start),
            "this build has no Kafka sink; rebuild with `cargo build --release --features kafka`"
                .into(),
        );
    }
    Some(KafkaConfig {
        brokers: brokers.get_ref().trim().to_string(),
        topic: topic.get_ref().trim().to_string(),
        properties: raw
            .kafka_properties
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    })
}

impl Config {
    /// This instance's name on a shared store: `[store] instance`, or the
    /// host name plus where the events go, which stays the same across
    /// restarts and differs between instances writing different outputs.
    pub fn instance_name(&self) -> String {
        if let Some(name) = &self.instance {
            return name.clone();
        }
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_else(|_| "localhost".into());
        let sink = match (&self.output.kafka, &self.output.path) {
            (Some(k), _) => format!("kafka:{}", k.topic),
            (None, Some(p)) => format!("file:{}", p.display()),
            (None, None) => "stdout".to_string(),
        };
        format!("{host}:{sink}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<Config, ConfigErrors> {
        parse(s, Path::new("/etc/newsflow/newsflow.toml"))
    }

    #[test]
    fn feeds_only_is_complete() {
        let cfg = parse_str("[[feeds]]\nurl = \"http://127.0.0.1:8080/world.xml\"\n").unwrap();
        assert_eq!(cfg.feeds.len(), 1);
        assert_eq!(cfg.feeds[0].interval, default_poll_interval());
        assert_eq!(cfg.state_dir, PathBuf::from("/etc/newsflow/state"));
        assert!(!cfg.allow_private_addresses);
        assert_eq!(cfg.store, StoreConfig::Embedded);
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let text = "poll_interval = \"soon\"\n\n[fetch]\nhost_concurrency = 0\n\n[[feeds]]\nurl = \"ftp://x/y\"\n\n[[feeds]]\nurl = \"http://a/b\"\ninterval = \"5 parsecs\"\n";
        let errs = parse_str(text).unwrap_err().0;
        let lines: Vec<usize> = errs.iter().map(|e| e.line).collect();
        assert_eq!(lines, [1, 7, 11, 4], "{errs:?}");
        assert!(errs[0].message.contains("poll_interval"));
    }

    #[test]
    fn unknown_keys_are_rejected_with_place() {
        let errs = parse_str("[[feeds]]\nurl = \"http://a/b\"\nintervall = \"5m\"\n").unwrap_err();
        assert_eq!(errs.0[0].line, 3);
        assert!(errs.0[0].message.contains("intervall"), "{}", errs);
        assert!(
            errs.to_string()
                .starts_with("/etc/newsflow/newsflow.toml:3:")
        );
    }

    #[test]
    fn site_rules_are_loaded_with_the_config() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/config/site-rules");
        let cfg = parse_str(&format!("site_rules = \"{dir}\"\n")).unwrap();
        assert!(!cfg.site_rules.unwrap().is_empty());
        let errs = parse_str("\nsite_rules = \"/nonexistent/rules\"\n").unwrap_err();
        assert_eq!(errs.0[0].line, 2);
        assert!(errs.0[0].message.contains("/nonexistent/rules"), "{errs}");
    }

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("8MiB"), Some(8 * 1024 * 1024));
        assert_eq!(parse_size("500 kB"), Some(500_000));
        assert_eq!(parse_size("12"), Some(12));
        assert_eq!(parse_size("0"), None);
        assert_eq!(parse_size("3 parsecs"), None);
    }

    #[test]
    fn duplicate_feeds_are_an_error() {
        let errs = parse_str("[[feeds]]\nurl = \"http://a/b\"\n[[feeds]]\nurl = \"http://a/b\"\n")
            .unwrap_err();
        assert_eq!(errs.0[0].line, 4);
    }

    #[test]
    fn near_duplicates_are_linked_unless_turned_off() {
        assert!(parse_str("").unwrap().near_duplicates);
        assert!(
            !parse_str("near_duplicates = false")
                .unwrap()
                .near_duplicates
        );
        let errs = parse_str("\nnear_duplicates = \"no\"").unwrap_err();
        assert_eq!(errs.0[0].line, 2, "{errs}");
    }

    #[test]
    fn seen_retention_outlasts_the_slowest_poll() {
        let feed = "[[feeds]]\nurl = \"http://a/b\"\ninterval = \"7d\"\n";
        let cfg = parse_str(&format!("seen_retention = \"0s\"\n{feed}")).unwrap();
        assert_eq!(cfg.seen_retention, None, "0s keeps keys forever");
        assert_eq!(
            parse_str("").unwrap().seen_retention,
            Some(default_seen_retention())
        );
        let errs = parse_str(&format!("seen_retention = \"20d\"\n{feed}")).unwrap_err();
        assert_eq!(errs.0[0].line, 1);
        assert!(errs.0[0].message.contains("4 times"), "{errs}");
        assert!(parse_str("seen_retention = \"3d\"\n").is_err());
        assert!(parse_str(&format!("seen_retention = \"28d\"\n{feed}")).is_ok());
    }

    #[test]
    fn revisions_rechecks_and_the_archive_have_defaults_and_overrides() {
        let cfg = parse_str("[[feeds]]\nurl = \"http://a/b\"\n").unwrap();
        assert!(cfg.revisions);
        assert!(cfg.archive.is_none());
        assert!(cfg.feeds[0].recheck.is_empty());
        let text = "revisions = false\nrecheck = [\"24h\", \"1h\", \"90s\"]\n[archive]\npath = \"warc\"\n\
                    [[feeds]]\nurl = \"http://a/b\"\n[[feeds]]\nurl = \"http://a/c\"\nrecheck = [\"5m\"]\n";
        let cfg = parse_str(text).unwrap();
        assert!(!cfg.revisions);
        let archive = cfg.archive.unwrap();
        assert_eq!(archive.path, PathBuf::from("/etc/newsflow/warc"));
        assert_eq!(archive.max_file_bytes, default_max_archive_file_bytes());
        let secs = |f: &FeedConfig| f.recheck.iter().map(Duration::as_secs).collect::<Vec<_>>();
        assert_eq!(secs(&cfg.feeds[0]), [90, 3600, 86_400]);
        assert_eq!(secs(&cfg.feeds[1]), [300]);
        let errs = parse_str(
            "recheck = [\"1h\", \"soon\"]\n[archive]\npath = \"w\"\nmax_file_bytes = \"lots\"\n",
        )
        .unwrap_err();
        assert_eq!(errs.0.len(), 2, "{errs}");
        assert_eq!(errs.0[0].line, 1);
    }
}
