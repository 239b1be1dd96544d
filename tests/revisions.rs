//! Revisions, rechecks, the page archive and `reextract`: the real binary
//! against a real local site whose feed and pages change between runs.

mod support;

use std::path::Path;
use std::time::Duration;

use support::pg;
use support::*;

const PAGE: &str = "/news/harbour.html";
const FEED: &str = "/news/feed.xml";

/// An article page; `extra` goes at the end of its text.
fn page(headline: &str, extra: &str) -> String {
    format!(
        "<html lang=\"en\"><head><title>{headline}</title></head><body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>\
         <article><h1>{headline}</h1><div class=\"text\">\
         <p>The council met on Tuesday evening to discuss the harbour wall, which was damaged in the winter storms, and the cost of repairing it before the spring tides arrive.</p>\
         <p>\u{201c}We cannot wait another winter for this wall,\u{201d} said Anna Whitfield, who chairs the harbour committee and has lived in the town for forty years.</p>\
         <p>Work is expected to begin in March and to last until the end of the summer, the council said in a statement on Wednesday.</p>\
         {extra}</div></article><footer>Copyright</footer></body></html>"
    )
}

/// A feed of one item per `(slug, title)`, linking `/news/<slug>.html`.
fn feed(site: &Site, items: &[(&str, &str)]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbour News</title><link>/</link>",
    );
    for (slug, title) in items {
        xml.push_str(&format!(
            "<item><title>{title}</title><link>{}</link><guid>{slug}</guid><description>{title}.</description></item>",
            site.url(&format!("/news/{slug}.html"))
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}

async fn harbour_site(headline: &str) -> Site {
    let site = start_site().await;
    retitle(&site, headline);
    site
}

/// The harbour site and a configuration for it with `extra` (the folder
/// lives as long as the returned handle).
async fn harbour(extra: &str) -> (Site, tempfile::TempDir, std::path::PathBuf) {
    let site = harbour_site("Harbour wall to be rebuilt").await;
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), &[site.url(FEED)], extra);
    (site, dir, cfg)
}

/// The harbour story under a new headline, in its feed and on its page.
fn retitle(site: &Site, headline: &str) {
    site.put(FEED, feed(site, &[("harbour", headline)]));
    site.put(PAGE, page(headline, ""));
}

fn field<'a>(e: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    &e[name]
}

fn changes(e: &serde_json::Value) -> Vec<&str> {
    e["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect()
}

fn read_events(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[tokio::test]
async fn a_feed_signalled_headline_edit_is_the_next_revision() {
    let (site, _dir, cfg) = harbour("").await;

    let out = run_once(&cfg).await;
    let first = events(&out);
    assert_eq!(first.len(), 1, "{}", stderr(&out));
    assert_eq!(first[0]["revision"], 1);
    assert!(changes(&first[0]).is_empty());

    // Nothing changed: nothing is emitted, the page is not fetched again.
    let again = events(&run_once(&cfg).await);
    assert!(again.is_empty(), "{again:#?}");
    assert_eq!(site.hits(PAGE), 1);

    let headline = "Harbour wall repair delayed until autumn";
    retitle(&site, headline);
    let out = run_once(&cfg).await;
    let second = events(&out);
    assert_eq!(second.len(), 1, "{}", stderr(&out));
    let r2 = &second[0];
    assert_eq!(r2["id"], first[0]["id"]);
    assert_ne!(r2["event_id"], first[0]["event_id"]);
    assert_eq!(r2["revision"], 2);
    assert_eq!(field(r2, "title"), headline);
    assert_eq!(changes(r2), ["title"]);

    // The feed signals nothing new now: no third revision.
    assert!(events(&run_once(&cfg).await).is_empty());
    assert_eq!(site.hits(PAGE), 2);
}

#[tokio::test]
async fn revisions_off_emits_each_item_once() {
    let (site, _dir, cfg) = harbour("revisions = false\n").await;
    assert_eq!(events(&run_once(&cfg).await).len(), 1);
    let headline = "Harbour wall repair delayed until autumn";
    retitle(&site, headline);
    assert!(events(&run_once(&cfg).await).is_empty());
    assert_eq!(site.hits(PAGE), 1);
}

/// Waits out the recheck age (a wait, not a timed assertion).
async fn age_past(d: Duration) {
    tokio::time::sleep(d).await;
}

#[tokio::test]
async fn a_silent_body_edit_is_found_by_a_recheck_and_an_unchanged_one_emits_nothing() {
    let (site, _dir, cfg) = harbour("recheck = [\"2s\", \"6s\"]\n").await;
    let first = events(&run_once(&cfg).await);
    assert_eq!(first.len(), 1);
    assert_eq!(site.hits(PAGE), 1, "the run took longer than the first age");

    // First age: the page is fetched again, identical: nothing emitted.
    age_past(Duration::from_millis(2300)).await;
    let out = run_once(&cfg).await;
    assert!(events(&out).is_empty(), "{}", stderr(&out));
    assert_eq!(site.hits(PAGE), 2, "rechecked once");
    // The first age is done: not fetched again before the second.
    assert!(events(&run_once(&cfg).await).is_empty());
    assert_eq!(site.hits(PAGE), 2);

    // A correction appended without the feed saying so.
    let correction = "<p>Correction: an earlier version of this article gave the wrong month for the start of the work.</p>";
    site.put(PAGE, page("Harbour wall to be rebuilt", correction));
    age_past(Duration::from_millis(4400)).await;
    let out = run_once(&cfg).await;
    let revised = events(&out);
    assert_eq!(revised.len(), 1, "{}", stderr(&out));
    assert_eq!(revised[0]["id"], first[0]["id"]);
    assert_eq!(revised[0]["revision"], 2);
    assert_eq!(changes(&revised[0]), ["body"]);
    let body = revised[0]["body"].as_str().unwrap();
    assert!(body.ends_with("start of the work."), "{body}");
    // No ages left.
    assert!(events(&run_once(&cfg).await).is_empty());
    assert_eq!(site.hits(PAGE), 3);
}

#[tokio::test]
async fn a_failed_recheck_moves_on_to_the_next_age() {
    let (site, _dir, cfg) = harbour("recheck = [\"2s\", \"6s\"]\n").await;
    assert_eq!(events(&run_once(&cfg).await).len(), 1);
    assert_eq!(site.hits(PAGE), 1, "the run took longer than the first age");
    let correction =
        "<p>Correction: the work will start in April, not in March as first reported.</p>";
    site.put(PAGE, page("Harbour wall to be rebuilt", correction));
    site.served.fail_next.lock().unwrap().insert(PAGE.into(), 1);

    age_past(Duration::from_millis(2300)).await;
    let out = run_once(&cfg).await;
    assert!(events(&out).is_empty());
    assert!(
        stderr(&out).contains("left for the next look"),
        "{}",
        stderr(&out)
    );
    // Not retried before the next age.
    assert!(events(&run_once(&cfg).await).is_empty());
    assert_eq!(site.hits(PAGE), 2);

    age_past(Duration::from_millis(4400)).await;
    let revised = events(&run_once(&cfg).await);
    assert_eq!(revised.len(), 1);
    assert_eq!(revised[0]["revision"], 2);
    assert_eq!(changes(&revised[0]), ["body"]);
}

#[tokio::test]
async fn a_revision_cut_off_by_kill_9_is_written_once() {
    const ITEMS: usize = 120;
    let site = start_site().await;
    let slugs: Vec<String> = (0..ITEMS).map(|i| format!("story-{i}")).collect();
    let listing: Vec<(&str, &str)> = slugs.iter().map(|s| (s.as_str(), "Harbour")).collect();
    site.put(FEED, feed(&site, &listing));
    for s in &slugs {
        site.put(
            &format!("/news/{s}.html"),
            page(&format!("Harbour story {s}"), ""),
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("events.ndjson");
    let cfg = write_config(
        dir.path(),
        &[site.url(FEED)],
        &format!(
            "recheck = [\"6s\"]\npage_concurrency = 2\n[output]\npath = \"{}\"\n",
            out.display()
        ),
    );
    assert!(run_once(&cfg).await.status.success());
    assert_eq!(read_events(&out).len(), ITEMS);
    let fetched: usize = slugs
        .iter()
        .map(|s| site.hits(&format!("/news/{s}.html")))
        .sum();
    assert_eq!(
        fetched, ITEMS,
        "the first run took longer than the recheck age"
    );
    for s in &slugs {
        let extra =
            format!("<p>Update: {s} was changed after it was published, the editors said.</p>");
        site.put(
            &format!("/news/{s}.html"),
            page(&format!("Harbour story {s}"), &extra),
        );
    }
    age_past(Duration::from_millis(6700)).await;

    let mut kills = 0;
    for i in 0..12u64 {
        let mut child = Spawned::new(
            newsflow()
                .args(["run", "--once", "--config"])
                .arg(&cfg)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null()),
        );
        tokio::time::sleep(Duration::from_millis(60 + (i * 37) % 140)).await;
        if child.running() {
            child.signal("-KILL");
            kills += 1;
        }
        let _ = child.exit_within(Duration::from_secs(10)).await;
    }
    let last = run_once(&cfg).await;
    assert!(last.status.success(), "{}", stderr(&last));

    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.ends_with('\n'), "no torn last line");
    let all = read_events(&out);
    let mut per_revision = std::collections::HashMap::new();
    for e in &all {
        *per_revision
            .entry((
                e["id"].as_str().unwrap().to_string(),
                e["revision"].as_u64().unwrap(),
            ))
            .or_insert(0) += 1;
    }
    let twice = per_revision.values().filter(|n| **n > 1).count();
    let second = per_revision.keys().filter(|(_, r)| *r == 2).count();
    eprintln!(
        "revision crash test: {kills} kills, {} events, {second} second revisions",
        all.len()
    );
    assert_eq!(twice, 0, "a revision written twice");
    assert_eq!(second, ITEMS, "every item's second revision, once");
    assert_eq!(all.len(), 2 * ITEMS);
}

/// A site rule for the test site's host: body from `div.text`, without
/// what `strip` names.
fn write_rule(dir: &Path, strip: &str) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("local.toml"),
        format!("hosts = [\"127.0.0.1\"]\nbody = [\"div.text\"]\nstrip = [{strip}]\n"),
    )
    .unwrap();
}

/// `newsflow reextract` for `cfg` (no server runs by then).
fn reextract(cfg: &Path) -> std::process::Output {
    newsflow()
        .args(["reextract", "--config"])
        .arg(cfg)
        .output()
        .unwrap()
}

#[test]
fn reextract_applies_a_changed_site_rule_to_archived_pages_with_the_site_gone() {
    let dir = tempfile::tempdir().unwrap();
    let rules = dir.path().join("rules");
    write_rule(&rules, "");
    let out = dir.path().join("events.ndjson");
    let extra = format!(
        "site_rules = \"rules\"\n[archive]\npath = \"archive\"\n[output]\npath = \"{}\"\n",
        out.display()
    );
    // The site lives on its own runtime, which is dropped: then it is gone.
    let site_phase = tokio::runtime::Runtime::new().unwrap();
    let cfg = site_phase.block_on(async {
        let site = start_site().await;
        site.put(FEED, feed(&site, &[("harbour", "Harbour wall"), ("ferry", "Ferry")]));
        let promo = "<p class=\"note\">The harbour master will publish tide tables for the works period on the noticeboard.</p>";
        site.put(PAGE, page("Harbour wall", promo));
        site.put("/news/ferry.html", page("Ferry", ""));
        let cfg = write_config(dir.path(), &[site.url(FEED)], &extra);
        let run = run_once(&cfg).await;
        assert!(run.status.success(), "{}", stderr(&run));
        cfg
    });
    drop(site_phase);
    let first = read_events(&out);
    assert_eq!(first.len(), 2);
    let harbour = first.iter().find(|e| e["title"] == "Harbour wall").unwrap();
    assert!(harbour["body"].as_str().unwrap().contains("tide tables"));

    write_rule(&rules, "\"p.note\"");
    let run = reextract(&cfg);
    let err = stderr(&run);
    assert!(run.status.success(), "{err}");
    assert!(err.contains("2 archived pages"), "{err}");
    assert!(err.contains("1 new revisions"), "{err}");
    let all = read_events(&out);
    assert_eq!(all.len(), 3);
    let r2 = &all[2];
    assert_eq!(r2["id"], harbour["id"]);
    assert_eq!(r2["revision"], 2);
    assert_eq!(changes(r2), ["body"]);
    assert!(!r2["body"].as_str().unwrap().contains("tide tables"));

    // Nothing changed since: nothing emitted.
    let again = reextract(&cfg);
    assert!(again.status.success());
    assert!(
        stderr(&again).contains("0 new revisions"),
        "{}",
        stderr(&again)
    );
    assert_eq!(read_events(&out).len(), 3);
}

#[test]
fn reextract_without_an_archive_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), &["http://127.0.0.1:9/feed.xml".into()], "");
    let out = newsflow()
        .args(["reextract", "--config"])
        .arg(&cfg)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[archive]"));
}

/// Iterates every record with warcio (an independent WARC reader), checks
/// the digests and prints `type uri status length` per response.
const WARCIO_CHECK: &str = r#"
import sys
from warcio.archiveiterator import ArchiveIterator
for path in sys.argv[1:]:
    with open(path, 'rb') as f:
        for rec in ArchiveIterator(f, check_digests='raise'):
            body = rec.content_stream().read()
            print(rec.rec_type, rec.rec_headers.get_header('WARC-Target-URI'),
                  rec.http_headers.get_statuscode(), len(body),
                  rec.rec_headers.get_header('WARC-Date') is not None)
"#;

#[tokio::test]
async fn the_archive_reads_back_with_warcio() {
    let python_ok = std::process::Command::new("python3")
        .args(["-c", "import warcio"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !python_ok {
        return skip(
            "the_archive_reads_back_with_warcio",
            "python3 with warcio is not installed (pip install warcio)",
        );
    }
    let (site, dir, cfg) =
        harbour("[archive]\npath = \"archive\"\nmax_file_bytes = \"1kB\"\n").await;
    assert_eq!(events(&run_once(&cfg).await).len(), 1);
    let headline = "Harbour wall repair delayed until autumn";
    retitle(&site, headline);
    assert_eq!(events(&run_once(&cfg).await).len(), 1);

    let files = newsflow::archive::files(&dir.path().join("archive")).unwrap();
    assert_eq!(files.len(), 2, "a file per run, each under 1kB: {files:?}");
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("python3")
            .args(["-c", WARCIO_CHECK])
            .args(&files)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    let expected_len = page(headline, "").len();
    assert_eq!(
        lines[1],
        format!("response {} 200 {expected_len} True", site.url(PAGE))
    );
}

/// Runs `newsflow run --once` for each config at the same time.
async fn run_together(configs: &[std::path::PathBuf]) {
    let children: Vec<Spawned> = configs
        .iter()
        .map(|c| {
            Spawned::new(
                newsflow()
                    .args(["run", "--once", "--config"])
                    .arg(c)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null()),
            )
        })
        .collect();
    for c in children {
        assert!(c.output().await.status.success());
    }
}

#[tokio::test]
async fn two_instances_on_postgresql_emit_each_revision_once() {
    const ITEMS: usize = 40;
    let test = "two_instances_on_postgresql_emit_each_revision_once";
    let Some(server) = pg::PgServer::start(test) else {
        return;
    };
    let db = server.database().await;
    let site = start_site().await;
    let slugs: Vec<String> = (0..ITEMS).map(|i| format!("item-{i}")).collect();
    let listing: Vec<(&str, &str)> = slugs.iter().map(|s| (s.as_str(), "Harbour")).collect();
    site.put(FEED, feed(&site, &listing));
    let put_pages = |extra: &str| {
        for s in &slugs {
            site.put(
                &format!("/news/{s}.html"),
                page(&format!("Harbour {s}"), extra),
            );
        }
    };
    put_pages("");
    let dir = tempfile::tempdir().unwrap();
    let (configs, outputs): (Vec<_>, Vec<_>) = ["one", "two"]
        .iter()
        .map(|name| {
            let d = dir.path().join(name);
            std::fs::create_dir_all(&d).unwrap();
            let out = d.join("events.ndjson");
            let extra = format!(
                "recheck = [\"6s\"]\n[store]\nurl = \"{db}\"\ninstance = \"{name}\"\n[output]\npath = \"{}\"\n",
                out.display()
            );
            (write_config(&d, &[site.url(FEED)], &extra), out)
        })
        .unzip();
    run_together(&configs).await;
    put_pages("<p>Update: the council has since approved the budget for the repair works.</p>");
    age_past(Duration::from_millis(6700)).await;
    run_together(&configs).await;

    let all: Vec<serde_json::Value> = outputs.iter().flat_map(|o| read_events(o)).collect();
    let mut per_revision = std::collections::HashMap::new();
    for e in &all {
        let key = (e["id"].to_string(), e["revision"].as_u64().unwrap());
        *per_revision.entry(key).or_insert(0) += 1;
    }
    assert!(per_revision.values().all(|n| *n == 1), "{per_revision:?}");
    assert_eq!(per_revision.keys().filter(|(_, r)| *r == 1).count(), ITEMS);
    assert_eq!(per_revision.keys().filter(|(_, r)| *r == 2).count(), ITEMS);
}
