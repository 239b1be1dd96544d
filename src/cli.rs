//! Command line: argument parsing, logging set-up and the one exit-code
//! policy of the program.
//!
//! Exit codes: 0 success; 1 a runtime failure (I/O, store, sink); 2 a
//! usage or configuration error (`check` found problems, bad arguments).
//! `discover` finding no feed at all is a runtime failure, 1.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use url::Url;

use crate::config::{self, Config, ConfigErrors, StoreConfig};
use crate::dedup::{CopyIndex, Fingerprint};
use crate::event::ArticleEvent;
use crate::extract::Extractor;
use crate::pipeline;
use crate::redact;
use crate::store::{FeedStatus, SqliteStore, Store};

pub const DEFAULT_CONFIG: &str = "config/newsflow.toml";

#[derive(Debug, Parser)]
#[command(
    name = "newsflow",
    version,
    about = "Streaming news-feed processor: feeds in, article events (body, quotes, tags) out as NDJSON"
)]
pub struct Cli {
    /// Log format on stderr.
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Human, env = "NEWSFLOW_LOG_FORMAT")]
    pub log_format: LogFormat,
    /// Log filter (`info`, `debug`, `newsflow=trace,reqwest=info`...). RUST_LOG wins when set.
    #[arg(long, global = true, default_value = "info")]
    pub log_level: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum InputKind {
    Html,
    Text,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Poll the configured feeds and emit one article event per new item.
    Run {
        #[arg(long, default_value = DEFAULT_CONFIG)]
        config: PathBuf,
        /// Poll every enabled feed once, process every new item, flush, exit.
        #[arg(long)]
        once: bool,
    },
    /// Extract articles from local files (no network), one event per input, in order.
    Extract {
        /// The page's address, for relative links and site rules.
        #[arg(long)]
        url: Option<Url>,
        /// A folder of per-host site rules (TOML or ftr-site-config files).
        #[arg(long)]
        site_rules: Option<PathBuf>,
        /// What the inputs are: full HTML pages, or plain-text article bodies.
        #[arg(long, value_enum, default_value_t = InputKind::Html)]
        input: InputKind,
        /// Link copies of one body among the inputs (`duplicate_of`, in
        /// input order); `false` leaves it `null`, like `near_duplicates`.
        #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
        near_duplicates: bool,
        /// Input files; `-` reads stdin.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Extract every emitted item again from its newest archived page (no network);
    /// emit the next revision of those whose output changed.
    Reextract {
        #[arg(long, default_value = DEFAULT_CONFIG)]
        config: PathBuf,
    },
    /// Validate the configuration and report every problem with file and line.
    Check {
        #[arg(long, default_value = DEFAULT_CONFIG)]
        config: PathBuf,
    },
    /// Print a per-feed table from the state: last success, last error, next poll, items.
    Status {
        #[arg(long, default_value = DEFAULT_CONFIG)]
        config: PathBuf,
    },
    /// Print `[[feeds]]` entries for every feed of an OPML subscription list.
    ImportOpml { file: PathBuf },
    /// Find the working feeds web pages offer; print them as `[[feeds]]` entries.
    Discover {
        /// One JSON object per feed and line (`url`, `title`, `format`) instead of TOML.
        #[arg(long)]
        json: bool,
        /// Fetch settings (timeouts, size caps, proxy, private addresses) from this
        /// configuration; the defaults without it.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Pages (or feeds) to look at.
        #[arg(required = true, value_parser = http_url)]
        urls: Vec<Url>,
    },
}

fn http_url(s: &str) -> Result<Url, String> {
    let url = Url::parse(s).map_err(|e| format!("{s}: {e}"))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(format!(
            "{s}: only http and https addresses ({other}: given)"
        )),
    }
}

/// Entry point used by the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format, &cli.log_level);
    match dispatch(cli.command) {
        Ok(code) => code,
        Err(err) => {
            if let Some(errors) = err.downcast_ref::<ConfigErrors>() {
                eprint!("{errors}");
                return ExitCode::from(2);
            }
            tracing::error!("{err:#}");
            eprintln!("newsflow: {err:#}");
            ExitCode::from(1)
        }
    }
}

fn dispatch(command: Command) -> Result<ExitCode> {
    match command {
        Command::Run { config, once } => {
            let cfg = config::load(&config)?;
            let rt = tokio::runtime::Runtime::new().context("starting the async runtime")?;
            rt.block_on(crate::daemon::run_until_signal(cfg, config, once))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Extract {
            url,
            site_rules,
            input,
            near_duplicates,
            files,
        } => {
            let extractor = match site_rules {
                Some(dir) => Extractor::with_site_rules(&dir)?,
                None => Extractor::new(),
            };
            let mut copies = near_duplicates.then(CopyIndex::new);
            extract_files(&extractor, url.as_ref(), input, &files, copies.as_mut())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Reextract { config } => {
            let cfg = config::load(&config)?;
            let rt = tokio::runtime::Runtime::new().context("starting the async runtime")?;
            match rt.block_on(crate::reextract::run(cfg)) {
                Ok(summary) => {
                    eprintln!("{summary}");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) if e.is::<crate::reextract::NoArchive>() => {
                    eprintln!("newsflow: {e}");
                    Ok(ExitCode::from(2))
                }
                Err(e) => Err(e),
            }
        }
        Command::Check { config } => {
            let cfg = config::load(&config)?;
            println!(
                "{}: ok ({} feeds, {} enabled)",
                config.display(),
                cfg.feeds.len(),
                cfg.feeds.iter().filter(|f| f.enabled).count()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Status { config } => {
            let cfg = config::load(&config)?;
            print_status(&cfg, &mut io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
        Command::ImportOpml { file } => {
            let feeds = crate::opml::read_file(&file)?;
            // The leading blank line keeps `>> newsflow.toml` valid when
            // the file lacks a final newline.
            print!("\n{}", crate::opml::to_toml(&feeds));
            Ok(ExitCode::SUCCESS)
        }
        Command::Discover { json, config, urls } => {
            let cfg = match config {
                Some(path) => config::load(&path)?,
                None => config::parse("", std::path::Path::new("(defaults)"))?,
            };
            let rt = tokio::runtime::Runtime::new().context("starting the async runtime")?;
            rt.block_on(discover(&cfg, &urls, json))
        }
    }
}

/// `newsflow discover`: each page's new feeds as soon as the page is done;
/// a page without any is named on stderr. Exit 1 when no page had one.
async fn discover(cfg: &Config, urls: &[Url], json: bool) -> Result<ExitCode> {
    let fetcher = crate::fetch::Fetcher::new(cfg, Default::default())?;
    let mut seen = std::collections::HashSet::new();
    let mut out = io::stdout().lock();
    for url in urls {
        let found = match crate::discover::discover(&fetcher, url, cfg.feed_concurrency).await {
            Ok(found) => found,
            Err(e) => {
                // The error names the page.
                eprintln!("newsflow: {e}");
                continue;
            }
        };
        if found.is_empty() {
            eprintln!("newsflow: {url}: no feed found");
            continue;
        }
        // Pages of one site share feeds; a config lists each once.
        let new: Vec<_> = found
            .into_iter()
            .filter(|f| seen.insert(f.url.clone()))
            .collect();
        if json {
            for f in &new {
                writeln!(out, "{}", crate::discover::to_json_line(f))?;
            }
        } else {
            write!(out, "{}", crate::discover::to_toml(&new))?;
        }
        out.flush()?;
    }
    Ok(if seen.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `newsflow status`: one row per feed from the state.
fn print_status(cfg: &Config, out: &mut dyn Write) -> Result<()> {
    match read_status(cfg)? {
        Some(rows) => write_status_table(cfg, &rows, out),
        None => Ok(writeln!(
            out,
            "no state yet in {} (newsflow has not run with this config)",
            cfg.state_dir.display()
        )?),
    }
}

/// The state's per-feed rows; `None` when there is no embedded state yet
/// (`status` does not make one).
fn read_status(cfg: &Config) -> Result<Option<Vec<FeedStatus>>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    Ok(Some(match &cfg.store {
        StoreConfig::Postgres(url) => rt.block_on(crate::store::PostgresStore::read_status(url))?,
        StoreConfig::Embedded => {
            if !cfg.state_dir.join("newsflow.db").exists() {
                return Ok(None);
            }
            rt.block_on(SqliteStore::open(&cfg.state_dir)?.status())?
        }
    }))
}

/// Configured feeds by name, stored feeds no longer configured marked so,
/// and configured feeds the state does not know yet as never polled.
fn write_status_table(cfg: &Config, rows: &[FeedStatus], out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "{:<50} {:>7} {:>6} {:<20} {:<20} LAST ERROR",
        "FEED", "ITEMS", "ERRORS", "LAST SUCCESS", "NEXT POLL"
    )?;
    let fmt_time = |ms: Option<i64>| {
        ms.and_then(chrono::DateTime::from_timestamp_millis)
            .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| "-".into())
    };
    for r in rows {
        let name = match cfg.feeds.iter().find(|f| f.url.as_str() == r.url) {
            Some(f) => f.name.clone(),
            None => format!("{} (not configured)", r.url),
        };
        let error = if r.error_streak > 0 {
            r.last_error.as_deref().unwrap_or("")
        } else {
            ""
        };
        let error = redact::text(error);
        writeln!(
            out,
            "{:<50} {:>7} {:>6} {:<20} {:<20} {error}",
            redact::text(&name),
            r.items_emitted,
            r.error_streak,
            fmt_time(r.last_success),
            fmt_time(r.next_poll),
        )?;
    }
    for f in &cfg.feeds {
        if !rows.iter().any(|r| r.url == f.url.as_str()) {
            writeln!(
                out,
                "{:<50} {:>7} {:>6} {:<20} {:<20}",
                redact::text(&f.name),
                0,
                0,
                "never",
                "-"
            )?;
        }
    }
    Ok(())
}

/// `newsflow extract`. With `copies`, each body is fingerprinted on the
/// workers and linked to the copies before it in input order.
fn extract_files(
    extractor: &Extractor,
    url: Option<&Url>,
    input: InputKind,
    files: &[PathBuf],
    mut copies: Option<&mut CopyIndex>,
) -> Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let fingerprint_bodies = copies.is_some();
    crate::batch::for_each_ordered(
        files,
        workers,
        |path| {
            let bytes = read_input(path)?;
            let origin = path.display().to_string();
            let event: ArticleEvent = match input {
                InputKind::Html => {
                    let html = crate::text::decode_html(&bytes, None);
                    pipeline::event_from_html(extractor, &html, url, &origin)
                }
                InputKind::Text => {
                    pipeline::event_from_text(&String::from_utf8_lossy(&bytes), url, &origin)
                }
            };
            let line = event.to_line();
            let fingerprint = fingerprint_bodies
                .then(|| Fingerprint::of_body(&event.body))
                .flatten();
            Ok((event, line, fingerprint))
        },
        |(mut event, mut line, fingerprint)| {
            if let (Some(index), Some(fp)) = (copies.as_deref_mut(), fingerprint)
                && let Some(original) = index.link(&event.id, &event.url, fp)
            {
                event.duplicate_of = Some(original.into());
                line = event.to_line();
            }
            Ok(writeln!(out, "{line}")?)
        },
    )?;
    out.flush()?;
    Ok(())
}

fn read_input(path: &PathBuf) -> Result<Vec<u8>> {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        io::stdin().read_to_end(&mut buf).context("reading stdin")?;
        Ok(buf)
    } else {
        std::fs::read(path).with_context(|| format!("reading {}", path.display()))
    }
}

fn init_logging(format: LogFormat, level: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        // html5ever reports recoverable markup errors ("foster parenting
        // not implemented") on every other real page: noise, not news.
        .or_else(|_| EnvFilter::try_new(format!("{level},html5ever=error")))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| RedactedStderr);
    match format {
        LogFormat::Human => builder.init(),
        LogFormat::Json => builder.json().flatten_event(true).init(),
    }
}

/// Stderr for the log, every line passed through [`crate::redact::text`]:
/// a URL can reach a log line from anywhere (the HTTP client's errors, a
/// feed name that defaults to its URL), so the mask is applied last.
struct RedactedStderr;

impl Write for RedactedStderr {
    /// The formatter hands over each event whole, so a URL is never split
    /// between two calls.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        io::stderr().write_all(redact::text(&text).as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        io::stderr().flush()
    }
}
