//! The PostgreSQL store against a real server (see `support/pg.rs`: a
//! throwaway cluster, or `NEWSFLOW_TEST_PG_URL`); skipped with a message when
//! there is none. Ends with two real `newsflow run` processes sharing one
//! store.

mod support;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use newsflow::fetch::Validators;
use newsflow::store::{Checkpoint, FeedDocument, PostgresStore, Store};
use support::pg::reconnect;
use support::{keys, now_ms};
use support::{newsgen, pg, wait_until};

fn feeds(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("http://feeds.test/{i}.xml"))
        .collect()
}

#[tokio::test]
async fn due_feeds_go_to_one_instance_until_expired_or_dead() {
    let Some(server) = pg::PgServer::start("due_feeds_go_to_one_instance_until_expired_or_dead")
    else {
        return;
    };
    let url = server.database().await;
    let a = PostgresStore::connect(&url, "a").await.unwrap();
    let b = PostgresStore::connect(&url, "b").await.unwrap();
    a.sync_feeds(&feeds(10)).await.unwrap();
    let now = now_ms() + 1;
    // Asked at the same moment, the two get disjoint sets covering all.
    let (got_a, got_b) = tokio::join!(
        a.lease_due("owner-a", now, 60_000, 6),
        b.lease_due("owner-b", now, 60_000, 6)
    );
    let (got_a, got_b) = (got_a.unwrap(), got_b.unwrap());
    let set_a: HashSet<_> = got_a.iter().cloned().collect();
    assert!(
        got_b.iter().all(|f| !set_a.contains(f)),
        "{got_a:?} {got_b:?}"
    );
    assert_eq!(got_a.len() + got_b.len(), 10);
    assert!(
        a.lease_due("owner-a", now, 60_000, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(b.next_due().await.unwrap(), None, "all leased");

    // An expired lease is taken over by whoever asks.
    let later = now + 61_000;
    let mut taken = b.lease_due("owner-b", later, 60_000, 100).await.unwrap();
    taken.sort();
    let mut all = feeds(10);
    all.sort();
    assert_eq!(taken, all);

    // A polled feed is free again, due at its next poll.
    b.poll_succeeded(
        &all[0],
        "b",
        later + 5_000,
        Some(&FeedDocument {
            title: Some("Zero".into()),
            validators: Validators {
                etag: Some("\"e\"".into()),
                last_modified: None,
            },
        }),
    )
    .await
    .unwrap();
    assert_eq!(b.next_due().await.unwrap(), Some(later + 5_000));
    assert!(
        a.lease_due("owner-a", later, 60_000, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        a.lease_due("owner-a", later + 5_000, 600_000, 10)
            .await
            .unwrap(),
        [all[0].clone()]
    );

    // An instance that dies loses its leases at once, long before expiry.
    drop(a);
    let deadline = Instant::now() + Duration::from_secs(10);
    let takeover = loop {
        let got = b
            .lease_due("owner-b2", later + 5_000, 60_000, 10)
            .await
            .unwrap();
        if !got.is_empty() || Instant::now() > deadline {
            break got;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(takeover, [all[0].clone()]);

    // A feed dropped from the configuration is kept but never leased.
    b.sync_feeds(&all[..1]).await.unwrap();
    let st = b.status().await.unwrap();
    assert_eq!(st.len(), 10, "history kept");
    b.poll_succeeded(&all[0], "b", later, None).await.unwrap();
    assert_eq!(
        b.lease_due("owner-b", later + 1_000_000, 1000, 100)
            .await
            .unwrap(),
        [all[0].clone()]
    );
}

#[tokio::test]
async fn one_live_instance_per_name_and_migrations_once() {
    let Some(server) = pg::PgServer::start("one_live_instance_per_name_and_migrations_once") else {
        return;
    };
    let url = server.database().await;
    // Started together on an empty database: the schema is made once.
    let stores = futures::future::join_all(
        (0..4).map(|i| PostgresStore::connect(&url, if i == 0 { "x" } else { "y" })),
    )
    .await;
    let ok = stores.iter().filter(|s| s.is_ok()).count();
    assert_eq!(ok, 2, "one 'x' and one of three 'y' start");
    for s in stores.iter().filter_map(|s| s.as_ref().err()) {
        assert!(s.to_string().contains("another newsflow instance"), "{s:#}");
    }
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let versions: Vec<i32> = client
        .query(
            "SELECT version FROM schema_migrations ORDER BY version",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(versions, [1, 2, 3, 4, 5, 6]);
    // The name is free again once its holder is gone.
    drop(stores);
    reconnect(&url, "x").await;
}

#[tokio::test]
async fn concurrent_claims_of_one_item_have_one_winner() {
    let Some(server) = pg::PgServer::start("concurrent_claims_of_one_item_have_one_winner") else {
        return;
    };
    let url = server.database().await;
    let a = Arc::new(PostgresStore::connect(&url, "a").await.unwrap());
    let b = Arc::new(PostgresStore::connect(&url, "b").await.unwrap());
    let mut wins = HashMap::<&str, usize>::new();
    for i in 0..40 {
        // The same story through two feeds: different GUIDs, one link.
        let keys_a = keys("http://f/1", &format!("a{i}"), &format!("http://x/{i}"));
        let keys_b = keys("http://f/2", &format!("b{i}"), &format!("http://x/{i}"));
        let (ea, eb) = (format!("a{i}"), format!("b{i}"));
        let (ra, rb) = tokio::join!(
            tokio::spawn({
                let a = a.clone();
                async move { a.claim(Some("f1"), &keys_a, &ea, "{}").await.unwrap() }
            }),
            tokio::spawn({
                let b = b.clone();
                async move { b.claim(Some("f2"), &keys_b, &eb, "{}").await.unwrap() }
            })
        );
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        assert!(ra ^ rb, "item {i}: a={ra} b={rb}");
        *wins.entry(if ra { "a" } else { "b" }).or_default() += 1;
        // The loser recorded nothing: its feed never emitted the link, so
        // a sibling item of that feed with the same link is still new.
        let sibling = if ra {
            keys("http://f/2", "other", &format!("http://x/{i}"))
        } else {
            keys("http://f/1", "other", &format!("http://x/{i}"))
        };
        assert!(a.is_seen(&sibling).await.unwrap());
        let mut alone = sibling.clone();
        alone.link = None;
        assert!(!a.is_seen(&alone).await.unwrap());
    }
    eprintln!("claim winners: {wins:?}");
    // Each winner's event sits in its own outbox only.
    let out_a: Vec<String> = a
        .undelivered()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.event_id)
        .collect();
    let out_b: Vec<String> = b
        .undelivered()
        .await
        .unwrap()
        .into_iter()
        .map(|u| u.event_id)
        .collect();
    assert_eq!(out_a.len() + out_b.len(), 40);
    assert!(out_a.iter().all(|e| e.starts_with('a')));
    assert!(out_b.iter().all(|e| e.starts_with('b')));
    let emitted: i64 = a
        .status()
        .await
        .unwrap()
        .iter()
        .map(|s| s.items_emitted)
        .sum();
    assert_eq!(emitted, 40);
}

/// The outbox and the sink checkpoint are each instance's own (the
/// store-independent cases are in `store_conformance.rs`).
#[tokio::test]
async fn outbox_and_checkpoint_belong_to_their_instance() {
    let Some(server) = pg::PgServer::start("outbox_and_checkpoint_belong_to_their_instance") else {
        return;
    };
    let url = server.database().await;
    {
        let s = PostgresStore::connect(&url, "one").await.unwrap();
        let first = keys("http://f/1", "a", "http://x/1");
        assert!(s.claim(Some("f"), &first, "e1", "{\"n\":1}").await.unwrap());
        let sibling = keys("http://f/1", "z", "http://x/1");
        assert!(
            s.claim(Some("f"), &sibling, "e2", "{\"n\":2}")
                .await
                .unwrap()
        );
    }
    let s = reconnect(&url, "one").await;
    // Another instance neither sees nor acknowledges this one's outbox.
    let other = PostgresStore::connect(&url, "two").await.unwrap();
    assert!(other.undelivered().await.unwrap().is_empty());
    other.delivered(&["e1".to_string()], None).await.unwrap();
    assert_eq!(s.undelivered().await.unwrap().len(), 2);
    let cp = Checkpoint {
        offset: 4096,
        file_id: u64::MAX - 7,
    };
    s.delivered(&["e1".to_string()], Some(cp)).await.unwrap();
    assert_eq!(s.checkpoint().await.unwrap(), Some(cp));
    assert_eq!(other.checkpoint().await.unwrap(), None);
    assert_eq!(s.undelivered().await.unwrap().len(), 1);
    // The status is the store's, read without an instance name.
    assert_eq!(
        PostgresStore::read_status(&url).await.unwrap(),
        s.status().await.unwrap()
    );
}

#[test]
fn store_config_takes_a_postgres_url_and_instance_name() {
    let path = Path::new("/etc/newsflow/newsflow.toml");
    let cfg = newsflow::config::parse(
        "[store]\nurl = \"postgres://nf@db:5432/newsflow\"\ninstance = \"east-1\"\n\n[[feeds]]\nurl = \"http://a/b\"\n",
        path,
    )
    .unwrap();
    assert_eq!(
        cfg.store,
        newsflow::config::StoreConfig::Postgres("postgres://nf@db:5432/newsflow".into())
    );
    assert_eq!(cfg.instance_name(), "east-1");
    // Without a name: host plus output, so two outputs on one host differ.
    let cfg = newsflow::config::parse(
        "[store]\nurl = \"postgres://db/n\"\n[output]\npath = \"out.ndjson\"\n",
        path,
    )
    .unwrap();
    assert!(
        cfg.instance_name()
            .ends_with(":file:/etc/newsflow/out.ndjson"),
        "{}",
        cfg.instance_name()
    );
    let errs = newsflow::config::parse(
        "[store]\nurl = \"postgres://db/n\"\ninstance = \" \"\n",
        path,
    )
    .unwrap_err();
    assert_eq!(errs.0[0].line, 3);
    assert!(newsflow::config::parse("[store]\ninstanse = \"x\"\n", path).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_daemons_on_one_store_emit_every_item_once() {
    let Some(server) = pg::PgServer::start("two_daemons_on_one_store_emit_every_item_once") else {
        return;
    };
    let db = server.database().await;
    // Slow pages, few feeds at once: both instances are busy together.
    let site = newsgen::start(24, 3, Duration::from_millis(150)).await;
    let dir = tempfile::tempdir().unwrap();
    let feeds: Vec<String> = (0..24).map(|i| site.feed_url(i)).collect();
    let instances: Vec<Instance> = ["one", "two"]
        .iter()
        .map(|name| Instance::new(dir.path(), name, &feeds, &db, 2))
        .collect();
    let children: Vec<_> = instances.iter().map(Instance::spawn).collect();
    let outputs: Vec<&PathBuf> = instances.iter().map(|i| &i.out).collect();
    let expected: HashSet<String> = site.all_articles().into_iter().collect();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let n: usize = outputs.iter().map(|o| support::event_urls(o).len()).sum();
        if n >= expected.len() || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Let any duplicate that would come arrive before stopping.
    tokio::time::sleep(Duration::from_millis(500)).await;
    for c in &children {
        c.signal("-TERM");
    }
    for c in children {
        let status = c.output().await.status;
        assert!(status.success(), "{status}");
    }
    let per: Vec<Vec<String>> = outputs.iter().map(|o| support::event_urls(o)).collect();
    let logs: Vec<String> = ["one", "two"]
        .iter()
        .map(|n| std::fs::read_to_string(dir.path().join(n).join("stderr.log")).unwrap())
        .collect();
    let mut count = HashMap::<&str, usize>::new();
    for u in per.iter().flatten() {
        *count.entry(u.as_str()).or_default() += 1;
    }
    let dupes: Vec<_> = count.iter().filter(|(_, n)| **n > 1).collect();
    assert!(dupes.is_empty(), "emitted twice: {dupes:?}");
    let got: HashSet<String> = count.keys().map(|s| s.to_string()).collect();
    let missing: Vec<_> = expected.difference(&got).collect();
    assert!(
        missing.is_empty(),
        "missing {missing:?}\n{}\n{}",
        logs[0],
        logs[1]
    );
    assert_eq!(got, expected);
    eprintln!("split: one={} two={}", per[0].len(), per[1].len());
    assert!(
        !per[0].is_empty() && !per[1].is_empty(),
        "both instances should have polled: {} / {}",
        per[0].len(),
        per[1].len()
    );
}

/// PostgreSQL stopped at once (as in a crash) mid-run under two instances
/// and started again seconds later: neither instance exits, and once the
/// store is back every article is emitted exactly once across both files.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_outage_under_two_instances_loses_and_repeats_nothing() {
    let test = "a_store_outage_under_two_instances_loses_and_repeats_nothing";
    let Some(server) = pg::PgServer::start_durable(test) else {
        return;
    };
    let db = server.database().await;
    let site = newsgen::start(40, 4, Duration::from_millis(100)).await;
    let dir = tempfile::tempdir().unwrap();
    let feeds: Vec<String> = (0..40).map(|i| site.feed_url(i)).collect();
    let instances: Vec<Instance> = ["one", "two"]
        .iter()
        .map(|name| Instance::new(dir.path(), name, &feeds, &db, 2))
        .collect();
    let children: Vec<_> = instances.iter().map(Instance::spawn).collect();
    let expected: HashSet<String> = site.all_articles().into_iter().collect();
    let total = || -> usize {
        instances
            .iter()
            .map(|i| support::event_urls(&i.out).len())
            .sum()
    };
    assert!(
        wait_until(Duration::from_secs(60), || total() >= expected.len() / 4).await,
        "no progress before the outage"
    );
    if !server.stop_immediately() {
        support::skip(
            test,
            "the PostgreSQL server is external and cannot be stopped",
        );
        return;
    }
    let stopped_at = total();
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert!(server.start_again(), "PostgreSQL did not start again");
    let back = Instant::now();
    let before = total();
    wait_until(Duration::from_secs(180), || total() > before).await;
    let first_after = back.elapsed();
    let done = wait_until(Duration::from_secs(180), || total() >= expected.len()).await;
    let recovered_in = back.elapsed();
    tokio::time::sleep(Duration::from_millis(500)).await;
    for c in &children {
        c.signal("-TERM");
    }
    let mut statuses = Vec::new();
    for c in children {
        statuses.push(c.output().await.status);
    }
    let logs: Vec<String> = ["one", "two"]
        .iter()
        .map(|n| std::fs::read_to_string(dir.path().join(n).join("stderr.log")).unwrap())
        .collect();
    let tail = |l: &str| l.lines().rev().take(25).collect::<Vec<_>>().join("\n");
    assert!(
        statuses.iter().all(|s| s.success()),
        "an instance failed: {statuses:?}\n{}\n---\n{}",
        tail(&logs[0]),
        tail(&logs[1])
    );
    let mut count = HashMap::<String, usize>::new();
    for i in &instances {
        for u in support::event_urls(&i.out) {
            *count.entry(u).or_default() += 1;
        }
    }
    let dupes: Vec<_> = count.iter().filter(|(_, n)| **n > 1).collect();
    assert!(dupes.is_empty(), "emitted twice: {dupes:?}");
    let got: HashSet<String> = count.into_keys().collect();
    let missing: Vec<_> = expected.difference(&got).collect();
    assert!(
        done && missing.is_empty(),
        "missing {} after the outage: {missing:?}\n{}\n{}",
        missing.len(),
        logs[0],
        logs[1]
    );
    eprintln!(
        "outage: {stopped_at} of {} emitted when PostgreSQL stopped; first event {:.1}s and all {:.1}s after it came back",
        expected.len(),
        first_after.as_secs_f64(),
        recovered_in.as_secs_f64()
    );
}

/// One `newsflow run` instance on the shared store: its folder, config and
/// output file.
struct Instance {
    dir: PathBuf,
    config: PathBuf,
    out: PathBuf,
}

impl Instance {
    fn new(root: &Path, name: &str, feeds: &[String], db: &str, feed_concurrency: usize) -> Self {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("events.ndjson");
        let extra = format!(
            "feed_concurrency = {feed_concurrency}\n[store]\nurl = \"{db}\"\ninstance = \"{name}\"\n[output]\npath = \"{}\"\n",
            out.display()
        );
        let config = support::write_config(&dir, feeds, &extra);
        Instance { dir, config, out }
    }

    /// Starts the daemon, appending to `stderr.log` in its folder.
    fn spawn(&self) -> support::Spawned {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.join("stderr.log"))
            .unwrap();
        support::Spawned::new(
            support::newsflow()
                .args(["run", "--config"])
                .arg(&self.config)
                .stdout(std::process::Stdio::null())
                .stderr(log),
        )
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_daemon_loses_and_repeats_nothing() {
    let Some(server) = pg::PgServer::start("a_killed_daemon_loses_and_repeats_nothing") else {
        return;
    };
    let db = server.database().await;
    let site = newsgen::start(30, 3, Duration::from_millis(100)).await;
    let dir = tempfile::tempdir().unwrap();
    let feeds: Vec<String> = (0..30).map(|i| site.feed_url(i)).collect();
    let setups: Vec<Instance> = ["victim", "survivor"]
        .iter()
        .map(|name| Instance::new(dir.path(), name, &feeds, &db, 3))
        .collect();
    let expected: HashSet<String> = site.all_articles().into_iter().collect();
    let total = |setups: &[Instance]| {
        setups
            .iter()
            .map(|s| support::event_urls(&s.out).len())
            .sum::<usize>()
    };
    let victim = setups[0].spawn();
    let survivor = setups[1].spawn();
    // Kill one while both are mid-way, with feeds leased and pages in flight.
    assert!(
        wait_until(Duration::from_secs(60), || total(&setups)
            >= expected.len() / 4)
        .await
    );
    victim.signal("-KILL");
    let _ = victim.output().await;
    let at_kill = support::event_urls(&setups[0].out).len();
    // The survivor takes over the victim's feeds (its session is gone) and
    // finishes; what the victim claimed but never wrote waits in its outbox.
    // Settled: the count has not moved for 1.5 s (checked without
    // blocking the runtime the daemons' helpers run on).
    let mut last = (usize::MAX, Instant::now());
    let settled = wait_until(Duration::from_secs(60), || {
        let n = total(&setups);
        if n != last.0 {
            last = (n, Instant::now());
        }
        last.1.elapsed() >= Duration::from_millis(1500) && n + 30 >= expected.len()
    })
    .await;
    if !settled {
        eprintln!("the survivor was still busy when the victim restarted");
    }
    let before_restart = total(&setups);
    // The victim comes back under its name and delivers its outbox.
    let victim = setups[0].spawn();
    let complete = wait_until(Duration::from_secs(60), || total(&setups) >= expected.len()).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    for c in [&victim, &survivor] {
        c.signal("-TERM");
    }
    assert!(victim.output().await.status.success());
    assert!(survivor.output().await.status.success());
    let mut count = HashMap::<String, usize>::new();
    for s in &setups {
        for u in support::event_urls(&s.out) {
            *count.entry(u).or_default() += 1;
        }
    }
    eprintln!(
        "victim had {at_kill} at the kill; {before_restart} of {} before its restart, {} after",
        expected.len(),
        count.values().sum::<usize>()
    );
    let dupes: Vec<_> = count.iter().filter(|(_, n)| **n > 1).collect();
    assert!(dupes.is_empty(), "emitted twice: {dupes:?}");
    let got: HashSet<String> = count.into_keys().collect();
    assert!(
        complete,
        "missing {:?}",
        expected.difference(&got).collect::<Vec<_>>()
    );
    assert_eq!(got, expected);
}
