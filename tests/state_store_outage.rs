//! The SQLite state file becomes unwritable mid-run, by its disk filling up
//! (SQLITE_FULL) or by another process holding its write lock past the
//! busy timeout (SQLITE_BUSY): the daemon stays up, logs the outage naming
//! the state file (not once per event), holds polls and deliveries instead
//! of failing them or marking feeds failing, and once the file is writable
//! again emits every article exactly once, no line torn.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use support::tmpfs::Tmpfs;
use support::*;

const FEEDS: usize = 40;
const ITEMS: usize = 4;
const TOTAL: usize = FEEDS * ITEMS;
/// How long each fault lasts once the daemon has noticed it.
const HOLD: Duration = Duration::from_secs(5);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_state_store_disk_holds_work_and_loses_nothing() {
    let test = "a_full_state_store_disk_holds_work_and_loses_nothing";
    let dir = tempfile::tempdir().unwrap();
    // write_config keeps the state in dir/state: that is the small disk.
    let Some(tmpfs) = Tmpfs::mount(test, &dir.path().join("state"), "16m") else {
        return;
    };
    let mut daemon = Daemon::start(dir.path()).await;
    let (tmpfs, filler) = off_runtime(move || {
        let filler = tmpfs.fill("filler");
        (tmpfs, filler)
    })
    .await;
    let (noticed, written) = daemon.hold_through_outage().await;
    std::fs::remove_file(&filler).unwrap();
    let r = daemon.recover(noticed, "disk is full").await;
    eprintln!("state disk full: {written} of {TOTAL} written when it filled; {r}");
    drop(tmpfs);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_state_file_locked_by_another_process_holds_work_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut daemon = Daemon::start(dir.path()).await;
    // Another process's write transaction (a backup, a sqlite3 shell),
    // held past the daemon's 5 s busy timeout.
    let db = dir.path().join("state").join("newsflow.db");
    let (release, released) = std::sync::mpsc::channel::<()>();
    let holder = tokio::task::spawn_blocking(move || {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("BEGIN IMMEDIATE").unwrap();
        let _ = released.recv();
        c.execute_batch("ROLLBACK").unwrap();
    });
    let (noticed, written) = daemon.hold_through_outage().await;
    release.send(()).unwrap();
    holder.await.unwrap();
    let r = daemon.recover(noticed, "database is locked").await;
    eprintln!("state file locked: {written} of {TOTAL} written when it was taken; {r}");
}

/// `newsflow run` on the synthetic site, writing to a file.
struct Daemon {
    site: newsgen::NewsSite,
    cfg: PathBuf,
    output: PathBuf,
    log_path: PathBuf,
    child: Spawned,
}

/// How the daemon came back after a fault.
struct Recovery {
    fault_for: Duration,
    first_after: Duration,
    all_after: Duration,
}

impl std::fmt::Display for Recovery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "held {:.1}s; first event {:.1}s and all {:.1}s after the fault ended; \
             0 lost, 0 twice, 0 torn",
            self.fault_for.as_secs_f64(),
            self.first_after.as_secs_f64(),
            self.all_after.as_secs_f64()
        )
    }
}

impl Daemon {
    /// Starts the daemon and waits until a quarter of the articles are out.
    async fn start(dir: &Path) -> Daemon {
        let site = newsgen::start(FEEDS, ITEMS, Duration::from_millis(100)).await;
        let output = dir.join("events.ndjson");
        let feeds: Vec<String> = (0..FEEDS).map(|i| site.feed_url(i)).collect();
        let extra = format!(
            "poll_interval = \"1h\"\n\n[output]\npath = \"{}\"\n",
            output.display()
        );
        let cfg = write_config(dir, &feeds, &extra);
        let log_path = dir.join("stderr.log");
        let child = Spawned::new(
            newsflow()
                .args(["run", "--config"])
                .arg(&cfg)
                .stderr(std::fs::File::create(&log_path).unwrap()),
        );
        let daemon = Daemon {
            site,
            cfg,
            output,
            log_path,
            child,
        };
        assert!(
            wait_until(Duration::from_secs(60), || daemon.lines() >= TOTAL / 4).await,
            "no progress before the fault\n{}",
            daemon.log()
        );
        daemon
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    fn lines(&self) -> usize {
        event_urls(&self.output).len()
    }

    /// Waits for the outage to be logged, then lets it last [`HOLD`]: the
    /// daemon stays up and does not finish. Returns when it was noticed
    /// and the events written by the end.
    async fn hold_through_outage(&mut self) -> (Instant, usize) {
        let noticed = wait_until(Duration::from_secs(60), || {
            self.log().contains("state store unavailable")
        })
        .await;
        assert!(noticed, "the outage was not noticed\n{}", self.log());
        let at = Instant::now();
        tokio::time::sleep(HOLD).await;
        let written = self.lines();
        assert!(self.child.running(), "the daemon exited\n{}", self.log());
        assert!(written < TOTAL, "everything was written before the fault");
        (at, written)
    }

    /// After the fault ended (now): waits for every article, stops the
    /// daemon and checks what it wrote and logged. `error` is how SQLite
    /// words the fault.
    async fn recover(self, noticed: Instant, error: &str) -> Recovery {
        let ended = Instant::now();
        let written = self.lines();
        wait_until(Duration::from_secs(120), || self.lines() > written).await;
        let first_after = ended.elapsed();
        let done = wait_until(Duration::from_secs(180), || self.lines() >= TOTAL).await;
        let all_after = ended.elapsed();
        tokio::time::sleep(Duration::from_millis(500)).await;
        self.child.signal("-TERM");
        let log = self.log();
        let Daemon {
            site,
            cfg,
            output,
            log_path,
            child,
        } = self;
        assert!(child.output().await.status.success(), "{log}");
        let log = std::fs::read_to_string(&log_path).unwrap();
        assert_exactly_once(&output, &site.all_articles(), done);
        let fault_for = ended - noticed;
        assert_outage_logged(&log, fault_for, error);
        assert_no_feed_failed(&cfg, &log).await;
        Recovery {
            fault_for,
            first_after,
            all_after,
        }
    }
}

/// Runs blocking file-system work (mount, a large write) off the runtime
/// that serves the site.
async fn off_runtime<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.unwrap()
}

fn assert_exactly_once(output: &Path, expected: &[String], done: bool) {
    let text = std::fs::read_to_string(output).unwrap();
    assert!(text.ends_with('\n'), "the last line is torn");
    let mut count = HashMap::<String, usize>::new();
    for u in event_urls(output) {
        *count.entry(u).or_default() += 1;
    }
    let twice: Vec<_> = count.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "emitted twice: {twice:?}");
    let missing: Vec<_> = expected
        .iter()
        .filter(|u| !count.contains_key(*u))
        .collect();
    assert!(
        done && missing.is_empty(),
        "missing {}: {missing:?}",
        missing.len()
    );
}

/// Logged when it started (naming the state file), at most once per 30 s
/// while it lasted, and when it ended; nothing else logs `error`.
fn assert_outage_logged(log: &str, fault_for: Duration, error: &str) {
    let reports: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("state store") && l.contains("unavailable"))
        .collect();
    assert!(
        reports.iter().any(|l| l.contains("newsflow.db")),
        "the state file is not named: {reports:?}"
    );
    assert!(
        reports.len() <= 2 + fault_for.as_secs() as usize / 30,
        "logged {} times in {fault_for:?}:\n{}",
        reports.len(),
        reports.join("\n")
    );
    // Not a poll or a lease failing once per attempt.
    let mentions = log.lines().filter(|l| l.contains(error)).count();
    assert_eq!(mentions, reports.len(), "{log}");
    assert!(log.contains("state store back"), "{log}");
}

/// A store outage is no feed's failure: no poll is logged as failed and
/// `status` shows no feed with errors.
async fn assert_no_feed_failed(cfg: &Path, log: &str) {
    assert!(!log.contains("feed poll failed"), "{log}");
    let cfg = cfg.to_path_buf();
    let table = off_runtime(move || status_table(&cfg)).await;
    for row in table.lines().skip(1) {
        let errors = row.split_whitespace().nth(2);
        assert_eq!(errors, Some("0"), "a feed is marked failing: {row}");
    }
}
