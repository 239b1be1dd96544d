//! Load benchmark: N synthetic feeds on 127.0.0.1, processed by one and by
//! two `newsflow run` instances sharing a PostgreSQL store, then a run where
//! one of the two is killed (SIGKILL) mid-way.
//!
//! ```sh
//! scripts/loadbench.sh                 # 10,000 feeds, 3 new articles each
//! scripts/loadbench.sh --feeds 2000 --scenario kill
//! ```
//!
//! (`cargo bench --bench load -- --run [options]`; plain `cargo bench` only
//! prints how to run it.) PostgreSQL comes from `NEWSFLOW_TEST_PG_URL` or a
//! throwaway cluster made with the local server binaries, as in the tests.
//!
//! Per scenario it prints: time until every expected article was emitted,
//! items/s, page fetches/s, feed-to-event latency (first time the article's
//! feed was served to the line appearing in an output, sampled every 20 ms),
//! peak RSS (VmHWM) and CPU seconds per 1,000 articles of each instance.
//! The kill scenario prints duplicates and missing articles after the kill
//! (the survivor took over) and after the killed instance restarted (its
//! outbox re-delivered).

#[path = "../../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use support::{newsgen, pg};

struct Opts {
    feeds: usize,
    items: usize,
    feed_concurrency: usize,
    page_concurrency: usize,
    scenario: String,
    kill_at: f64,
    timeout: Duration,
}

fn parse_args() -> Option<Opts> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "--run") {
        eprintln!(
            "load benchmark skipped: run it with scripts/loadbench.sh (or cargo bench --bench load -- --run)"
        );
        return None;
    }
    let mut o = Opts {
        feeds: 10_000,
        items: 3,
        feed_concurrency: 32,
        page_concurrency: 32,
        scenario: "all".into(),
        kill_at: 0.4,
        timeout: Duration::from_secs(600),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = || {
            it.next()
                .cloned()
                .unwrap_or_else(|| panic!("{a} needs a value"))
        };
        match a.as_str() {
            "--run" | "--bench" => {}
            "--feeds" => o.feeds = val().parse().unwrap(),
            "--items" => o.items = val().parse().unwrap(),
            "--feed-concurrency" => o.feed_concurrency = val().parse().unwrap(),
            "--page-concurrency" => o.page_concurrency = val().parse().unwrap(),
            "--scenario" => o.scenario = val(),
            "--kill-at" => o.kill_at = val().parse().unwrap(),
            "--timeout" => o.timeout = Duration::from_secs(val().parse().unwrap()),
            other => panic!("unknown option {other}"),
        }
    }
    Some(o)
}

/// Lines seen in the output files.
#[derive(Default)]
struct Seen {
    events: Vec<Line>,
}

struct Line {
    url: String,
    /// Index of the feed named in the event.
    feed: usize,
    /// When it was seen, ms after the site started.
    at: u64,
    /// Index of the instance whose output held it.
    instance: usize,
}

/// Follows an output file, recording every complete line as it appears.
fn tail(
    instance: usize,
    path: PathBuf,
    started: Instant,
    seen: Arc<Mutex<Seen>>,
    stop: Arc<Mutex<bool>>,
) {
    std::thread::spawn(move || {
        let mut offset = 0u64;
        let mut partial = Vec::new();
        loop {
            let done = *stop.lock().unwrap();
            if let Ok(mut f) = std::fs::File::open(&path) {
                let len = f.metadata().map(|m| m.len()).unwrap_or(0);
                if len < offset {
                    // Cut by recovery (torn tail): re-read from there.
                    offset = len;
                    partial.clear();
                }
                if len > offset {
                    f.seek(SeekFrom::Start(offset)).unwrap();
                    let mut buf = Vec::new();
                    f.read_to_end(&mut buf).unwrap();
                    offset += buf.len() as u64;
                    partial.extend_from_slice(&buf);
                    let at = started.elapsed().as_millis() as u64;
                    let mut s = seen.lock().unwrap();
                    while let Some(nl) = partial.iter().position(|&b| b == b'\n') {
                        let line: Vec<u8> = partial.drain(..=nl).collect();
                        let Ok(v) = serde_json::from_slice::<serde_json::Value>(&line) else {
                            continue;
                        };
                        let url = v["url"].as_str().unwrap_or_default().to_string();
                        let feed = v["feed"]["url"]
                            .as_str()
                            .and_then(|u| u.rsplit('/').next())
                            .and_then(|n| n.strip_suffix(".xml"))
                            .and_then(|n| n.parse().ok())
                            .unwrap_or(0);
                        s.events.push(Line {
                            url,
                            feed,
                            at,
                            instance,
                        });
                    }
                }
            }
            if done {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    });
}

struct Instance {
    name: String,
    child: Option<Child>,
    config: PathBuf,
    dir: PathBuf,
    output: PathBuf,
    hwm_kb: u64,
    cpu_s: f64,
    /// CPU seconds of earlier lives (a killed and restarted instance).
    cpu_before: f64,
}

impl Instance {
    fn new(root: &Path, name: &str, site: &newsgen::NewsSite, db: &str, o: &Opts) -> Instance {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let output = dir.join("events.ndjson");
        let mut text = format!(
            "state_dir = \"{}\"\nallow_private_addresses = true\nfeed_concurrency = {}\npage_concurrency = {}\n\
             [fetch]\nhost_delay = \"0s\"\nhost_concurrency = 1024\n\
             [store]\nurl = \"{db}\"\ninstance = \"bench-{name}\"\n[output]\npath = \"{}\"\n",
            dir.join("state").display(),
            o.feed_concurrency,
            o.page_concurrency,
            output.display()
        );
        for i in 0..o.feeds {
            text.push_str(&format!("[[feeds]]\nurl = \"{}\"\n", site.feed_url(i)));
        }
        let config = dir.join("newsflow.toml");
        std::fs::write(&config, text).unwrap();
        Instance {
            name: name.into(),
            child: None,
            config,
            dir,
            output,
            hwm_kb: 0,
            cpu_s: 0.0,
            cpu_before: 0.0,
        }
    }

    fn spawn(&mut self) {
        self.cpu_before += self.cpu_s;
        self.cpu_s = 0.0;
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("stderr.log"))
            .unwrap();
        self.child = Some(
            Command::new(env!("CARGO_BIN_EXE_newsflow"))
                .args(["--log-level", "warn", "run", "--config"])
                .arg(&self.config)
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .unwrap(),
        );
    }

    /// Samples peak RSS and CPU time while the process still exists.
    fn sample(&mut self) {
        let Some(c) = &self.child else { return };
        let pid = c.id();
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            for l in status.lines() {
                if let Some(v) = l.strip_prefix("VmHWM:") {
                    self.hwm_kb = v.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
                }
            }
        }
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            // Fields after the command name (which may hold spaces).
            let rest = &stat[stat.rfind(')').unwrap() + 2..];
            let f: Vec<&str> = rest.split(' ').collect();
            let ticks: f64 = f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap();
            self.cpu_s = ticks / 100.0;
        }
    }

    fn stop(&mut self, signal: &str) {
        self.sample();
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill")
                .args([signal, &c.id().to_string()])
                .status();
            let status = c.wait().unwrap();
            if signal == "-TERM" && !status.success() {
                eprintln!(
                    "{} exited with {status}; see {}/stderr.log",
                    self.name,
                    self.dir.display()
                );
            }
        }
    }
}

/// CPU seconds of a process, with those of its exited, reaped children.
fn cpu_seconds(pid: &str) -> f64 {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return 0.0;
    };
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split(' ').collect();
    f[11..15]
        .iter()
        .map(|v| v.parse::<f64>().unwrap_or(0.0))
        .sum::<f64>()
        / 100.0
}

fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Waits until `want` distinct articles were seen, or no new line came for
/// `idle`, or the overall timeout; returns the time of the last new line.
async fn wait_for(seen: &Arc<Mutex<Seen>>, want: usize, idle: Duration, timeout: Duration) -> u64 {
    let start = Instant::now();
    let mut last_count = 0;
    let mut last_change = Instant::now();
    loop {
        let (n, last_at) = {
            let s = seen.lock().unwrap();
            let distinct: std::collections::HashSet<&str> =
                s.events.iter().map(|e| e.url.as_str()).collect();
            (
                distinct.len(),
                s.events.iter().map(|e| e.at).max().unwrap_or(0),
            )
        };
        if n != last_count {
            last_count = n;
            last_change = Instant::now();
        }
        if n >= want || last_change.elapsed() > idle || start.elapsed() > timeout {
            return last_at;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

struct Outcome {
    distinct: usize,
    duplicates: usize,
    missing: usize,
}

fn tally(seen: &Seen, expected: &[String]) -> Outcome {
    let mut count: HashMap<&str, usize> = HashMap::new();
    for e in &seen.events {
        *count.entry(e.url.as_str()).or_default() += 1;
    }
    Outcome {
        distinct: count.len(),
        duplicates: count.values().map(|n| n - 1).sum(),
        missing: expected
            .iter()
            .filter(|u| !count.contains_key(u.as_str()))
            .count(),
    }
}

async fn scenario(server: &pg::PgServer, o: &Opts, instances: usize, kill: bool) {
    let db = server.database().await;
    let site = newsgen::start(o.feeds, o.items, Duration::ZERO).await;
    let expected = site.all_articles();
    let root = tempfile::Builder::new()
        .prefix("newsflow-load-")
        .tempdir()
        .unwrap();
    let names = ["a", "b"];
    let mut inst: Vec<Instance> = (0..instances)
        .map(|i| Instance::new(root.path(), names[i], &site, &db, o))
        .collect();
    let seen = Arc::new(Mutex::new(Seen::default()));
    let stop = Arc::new(Mutex::new(false));
    for (n, i) in inst.iter().enumerate() {
        tail(
            n,
            i.output.clone(),
            site.stats.started,
            seen.clone(),
            stop.clone(),
        );
    }
    let t0 = site.stats.started.elapsed().as_millis() as u64;
    let pg_pid = server.postmaster_pid().map(|p| p.to_string());
    let pg_cpu0 = pg_pid.as_deref().map_or(0.0, cpu_seconds);
    let own_cpu0 = cpu_seconds("self");
    for i in &mut inst {
        i.spawn();
    }
    let label = match (instances, kill) {
        (1, _) => "one instance".to_string(),
        (n, false) => format!("{n} instances"),
        (n, true) => format!("{n} instances, one SIGKILLed at {:.0}%", o.kill_at * 100.0),
    };
    println!(
        "\n== {label}: {} feeds x {} new articles ({} distinct)",
        o.feeds,
        o.items,
        expected.len()
    );
    let mut killed_at = None;
    if kill {
        let target = (expected.len() as f64 * o.kill_at) as usize;
        wait_for(&seen, target, Duration::from_secs(120), o.timeout).await;
        inst[0].stop("-KILL");
        killed_at = Some(site.stats.started.elapsed().as_millis() as u64);
        println!(
            "killed instance a after {} articles",
            seen.lock().unwrap().events.len()
        );
    }
    let last = wait_for(&seen, expected.len(), Duration::from_secs(30), o.timeout).await;
    for i in inst.iter_mut() {
        i.sample();
    }
    let after_kill = tally(&seen.lock().unwrap(), &expected);
    let elapsed_s = (last.saturating_sub(t0)) as f64 / 1000.0;
    let pages = site
        .stats
        .page_hits
        .load(std::sync::atomic::Ordering::Relaxed);
    let feeds_polled = site
        .stats
        .feed_hits
        .load(std::sync::atomic::Ordering::Relaxed);
    {
        let s = seen.lock().unwrap();
        let mut lat: Vec<u64> = s
            .events
            .iter()
            .filter_map(|e| {
                let served =
                    site.stats.first_served[e.feed].load(std::sync::atomic::Ordering::Relaxed);
                (served > 0).then(|| e.at.saturating_sub(served - 1))
            })
            .collect();
        lat.sort_unstable();
        println!("all articles emitted after {elapsed_s:.1} s (from spawn to the last line)");
        println!(
            "items/s {:.0}   page fetches/s {:.0}   feed fetches {}   latency p50 {} ms  p99 {} ms  max {} ms",
            s.events.len() as f64 / elapsed_s,
            pages as f64 / elapsed_s,
            feeds_polled,
            percentile(&lat, 0.5),
            percentile(&lat, 0.99),
            lat.last().copied().unwrap_or(0)
        );
        for (idx, i) in inst.iter().enumerate() {
            let n = s.events.iter().filter(|e| e.instance == idx).count();
            println!(
                "instance {}: {} articles, peak RSS {:.1} MB, CPU {:.2} s ({:.2} s per 1,000 articles)",
                i.name,
                n,
                i.hwm_kb as f64 / 1024.0,
                i.cpu_s,
                if n > 0 {
                    i.cpu_s * 1000.0 / n as f64
                } else {
                    0.0
                }
            );
        }
    }
    println!(
        "distinct {} / {}   duplicates {}   missing {}",
        after_kill.distinct,
        expected.len(),
        after_kill.duplicates,
        after_kill.missing
    );
    if let Some(at) = killed_at {
        let undelivered = outbox_rows(&db, "bench-a").await;
        println!(
            "after the kill ({} ms in): survivor finished; {} events of the killed instance wait in its outbox",
            at - t0,
            undelivered
        );
        // The killed instance comes back under its name and re-delivers.
        inst[0].spawn();
        let deadline = Instant::now() + Duration::from_secs(60);
        while outbox_rows(&db, "bench-a").await > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        let end = tally(&seen.lock().unwrap(), &expected);
        println!(
            "after restarting the killed instance: distinct {} / {}   duplicates {}   missing {}",
            end.distinct,
            expected.len(),
            end.duplicates,
            end.missing
        );
    }
    for i in inst.iter_mut() {
        i.stop("-TERM");
    }
    // Backends exit with their connections; give the server a moment to
    // reap them so their CPU time is counted.
    std::thread::sleep(Duration::from_millis(500));
    let emitted = seen.lock().unwrap().events.len().max(1) as f64;
    let nf: f64 = inst.iter().map(|i| i.cpu_before + i.cpu_s).sum();
    let pg = pg_pid.as_deref().map_or(0.0, cpu_seconds) - pg_cpu0;
    let own = cpu_seconds("self") - own_cpu0;
    println!(
        "CPU per 1,000 articles: newsflow {:.2} s, PostgreSQL {:.2} s, site+bench {:.2} s; total {:.2} s \
         (PostgreSQL not counted when NEWSFLOW_TEST_PG_URL is set)",
        nf * 1000.0 / emitted,
        pg * 1000.0 / emitted,
        own * 1000.0 / emitted,
        (nf + pg + own) * 1000.0 / emitted
    );
    *stop.lock().unwrap() = true;
    std::thread::sleep(Duration::from_millis(100));
}

async fn outbox_rows(db: &str, sink: &str) -> i64 {
    let (client, conn) = tokio_postgres::connect(db, tokio_postgres::NoTls)
        .await
        .unwrap();
    let task = tokio::spawn(conn);
    let n = client
        .query_one("SELECT count(*) FROM outbox WHERE sink = $1", &[&sink])
        .await
        .map(|r| r.get(0))
        .unwrap_or(-1);
    drop(client);
    let _ = task.await;
    n
}

#[tokio::main]
async fn main() {
    let Some(o) = parse_args() else { return };
    let Some(server) = pg::PgServer::start("load benchmark") else {
        return;
    };
    println!(
        "newsflow load benchmark: binary {} (feed_concurrency {}, page_concurrency {})",
        env!("CARGO_BIN_EXE_newsflow"),
        o.feed_concurrency,
        o.page_concurrency
    );
    let all = o.scenario == "all";
    if all || o.scenario == "one" {
        scenario(&server, &o, 1, false).await;
    }
    if all || o.scenario == "two" {
        scenario(&server, &o, 2, false).await;
    }
    if all || o.scenario == "kill" {
        scenario(&server, &o, 2, true).await;
    }
}
