//! The one helper module of the integration tests (and the load bench):
//! fixture servers, a throwaway PostgreSQL, config writers and ways to run
//! the real binary. Each test file says `mod support;`.
#![allow(dead_code)]

pub mod newsgen;
pub mod pg;
pub mod quote_cases;
mod site;
pub mod tmpfs;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

#[allow(unused_imports)] // not every test file serves the fixture site
pub use site::{Site, start_site};

/// Reports a test that cannot run here. With `NEWSFLOW_TEST_STRICT=1`
/// (set by `.ci/run`, where every dependency is promised) it fails instead.
/// The message goes straight to the stream: the harness hides `eprintln!`
/// of passing tests, and a skip must be seen.
pub fn skip(test: &str, why: &str) {
    if std::env::var("NEWSFLOW_TEST_STRICT").is_ok_and(|v| v == "1") {
        panic!("{test} cannot run under NEWSFLOW_TEST_STRICT=1: {why}");
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
}

/// `../shared/<rel>` beside the checkout, when it is there.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    p.exists().then_some(p)
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The entries of `dir`, sorted by name.
pub fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    entries
}

pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The keys of an item with id `guid` and link `link` in feed `feed`.
pub fn keys(feed: &str, guid: &str, link: &str) -> newsflow::identity::ItemKeys {
    let item = newsflow::feed::Item {
        guid: Some(guid.into()),
        link: Some(url::Url::parse(link).unwrap()),
        ..Default::default()
    };
    newsflow::identity::item_keys(&url::Url::parse(feed).unwrap(), &item)
}

/// Serves `app` on a free port of 127.0.0.1 until the runtime ends.
pub async fn serve(app: axum::Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

/// A port of 127.0.0.1 nobody listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("binding 127.0.0.1:0")
}

/// Polls `done` until it holds or `deadline` has passed; returns whether it
/// held.
pub async fn wait_until(deadline: Duration, mut done: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + deadline;
    while Instant::now() < end {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    done()
}

/// Writes a config for the given feeds into `dir/newsflow.toml` and returns
/// its path. The state lives in `dir/state`; private addresses are allowed
/// and `[fetch] host_delay` is `"0s"` (added to a `[fetch]` table in
/// `extra`, if it has one). `extra` holds top-level keys, then any tables.
pub fn write_config(dir: &Path, feeds: &[String], extra: &str) -> PathBuf {
    let no_delay = "[fetch]\nhost_delay = \"0s\"\n";
    let extra = if extra.lines().any(|l| l.trim() == "[fetch]") {
        extra.replacen("[fetch]\n", no_delay, 1)
    } else {
        format!("{extra}\n{no_delay}")
    };
    let mut text = format!(
        "state_dir = \"{}\"\nallow_private_addresses = true\n{extra}",
        dir.join("state").display()
    );
    for f in feeds {
        text.push_str(&format!("\n[[feeds]]\nurl = \"{f}\"\n"));
    }
    let path = dir.join("newsflow.toml");
    std::fs::write(&path, text).unwrap();
    path
}

pub fn newsflow() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsflow"))
}

/// Runs `newsflow run --once` off the async runtime's threads.
pub async fn run_once(config: &Path) -> Output {
    let config = config.to_path_buf();
    tokio::task::spawn_blocking(move || {
        newsflow()
            .args(["run", "--once", "--config"])
            .arg(&config)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

/// The table `newsflow status` prints for `config`.
pub fn status_table(config: &Path) -> String {
    let out = newsflow()
        .args(["status", "--config"])
        .arg(config)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn events(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect()
}

/// The `url` of each whole line of an output file, a line cut off at the
/// end aside (a daemon may be writing it); a line that is not JSON fails.
pub fn event_urls(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .split_inclusive('\n')
        .filter(|l| l.ends_with('\n'))
        .map(|l| {
            let v: serde_json::Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("a torn line ({e}): {l}"));
            v["url"].as_str().unwrap().to_string()
        })
        .collect()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A child process that is killed if the test ends early (a failed
/// assertion must not leave a daemon running).
pub struct Spawned(Option<std::process::Child>);

impl Spawned {
    pub fn new(cmd: &mut Command) -> Self {
        Spawned(Some(cmd.spawn().expect("spawning newsflow")))
    }

    pub fn signal(&self, sig: &str) {
        let pid = self.0.as_ref().expect("running").id().to_string();
        let ok = Command::new("kill").args([sig, &pid]).status().unwrap();
        assert!(ok.success(), "kill {sig} {pid}");
    }

    /// Whether the process is still running (it was not waited for yet).
    pub fn running(&mut self) -> bool {
        let child = self.0.as_mut().expect("not waited for");
        child.try_wait().expect("try_wait").is_none()
    }

    /// Waits up to `deadline` for the exit without blocking the runtime;
    /// `None` if it is still running then (the drop kills it).
    pub async fn exit_within(&mut self, deadline: Duration) -> Option<std::process::ExitStatus> {
        let child = self.0.as_mut().expect("not waited for");
        let end = Instant::now() + deadline;
        loop {
            if let Some(status) = child.try_wait().expect("try_wait") {
                return Some(status);
            }
            if Instant::now() >= end {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for the exit off the async runtime's threads.
    pub async fn output(mut self) -> Output {
        let child = self.0.take().expect("running");
        tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
            .await
            .unwrap()
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        if let Some(mut c) = self.0.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}
