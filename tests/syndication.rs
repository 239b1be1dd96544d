//! Syndicated copies on a local multi-site rig: four news sites on
//! 127.0.0.1, each with its own template and feed, run the stories of the
//! labelled near-duplicate set (`tests/fixtures/near_duplicates/`): the
//! first site the originals, the others the wire copies (dateline, credit
//! line, ads, cut ending, desk edits), with the look-alikes spread among
//! them. The real binary polls them; every copy must point at the
//! first-seen article of its story and nothing else may be linked.

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use support::{Site, pg};

const SITES: usize = 4;

/// One article of the rig: its story, its label and where it is served.
struct Served {
    story: String,
    copy: bool,
    url: String,
}

/// Which site runs each document of a story (by its number `NN-`):
/// originals and one look-alike on the first site, the copies and the
/// other look-alikes on the rest.
fn site_of(number: usize) -> usize {
    [0, 1, 2, 3, 3, 0, 1, 2][number % 8]
}

/// Puts every story on the sites and returns what was served where.
fn publish(sites: &[Site]) -> Vec<Served> {
    let root = support::fixtures().join("near_duplicates");
    let stories = support::sorted_entries(&root);
    let mut served = Vec::new();
    let mut items: Vec<Vec<String>> = vec![Vec::new(); sites.len()];
    for dir in &stories {
        let story = dir.file_name().unwrap().to_string_lossy().into_owned();
        let files = support::sorted_entries(dir);
        for (n, file) in files.iter().enumerate() {
            let k = site_of(n);
            let name = file.file_stem().unwrap().to_string_lossy().into_owned();
            let path = format!("/news/{story}-{name}.html");
            let headline = format!("{story}: report {n} from site {k}");
            sites[k].put(&path, page(k, &headline, &read_body(file)));
            items[k].push(format!(
                "<item><title>{headline}</title><link>{}</link><guid>{}</guid></item>",
                sites[k].url(&path),
                sites[k].url(&path)
            ));
            served.push(Served {
                story: story.clone(),
                copy: !name.contains("-lookalike-"),
                url: sites[k].url(&path),
            });
        }
    }
    for (site, items) in sites.iter().zip(items) {
        site.put(
            "/feed.xml",
            format!(
                "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Site {}</title><link>{}</link>{}</channel></rss>",
                site.addr,
                site.url("/"),
                items.concat()
            ),
        );
    }
    served
}

fn read_body(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file)
        .unwrap()
        .split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// An article page in site `k`'s own template.
fn page(k: usize, headline: &str, paragraphs: &[String]) -> String {
    let body: String = paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>\n", html_escape(p)))
        .collect();
    let (open, close) = match k {
        0 => ("<article class=\"story\">", "</article>"),
        1 => (
            "<div id=\"content\"><div class=\"entry-content\">",
            "</div></div>",
        ),
        2 => (
            "<main><section class=\"article-body\">",
            "</section></main>",
        ),
        _ => ("<div class=\"post\"><div class=\"text\">", "</div></div>"),
    };
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{headline} | Site {k}</title></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/business\">Business</a></nav>\
         {open}<h1>{headline}</h1>\n{body}{close}\
         <aside><h3>Most read</h3><ul><li><a href=\"/x\">Something else entirely</a></li></ul></aside>\
         <footer>Copyright Site {k}. All rights reserved.</footer></body></html>"
    )
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

async fn start_sites() -> (Vec<Site>, Vec<Served>) {
    let mut sites = Vec::new();
    for _ in 0..SITES {
        sites.push(support::start_site().await);
    }
    let served = publish(&sites);
    (sites, served)
}

fn feeds(sites: &[Site]) -> Vec<String> {
    sites.iter().map(|s| s.url("/feed.xml")).collect()
}

/// Checks the events of the whole rig: each article once; in each story
/// one copy (the first seen) unlinked and every other copy pointing at
/// it; no look-alike linked or linked to. Returns each story's first.
fn check_links(served: &[Served], events: &[Value]) -> HashMap<String, String> {
    let by_url: HashMap<&str, &Value> = events
        .iter()
        .map(|e| (e["url"].as_str().unwrap(), e))
        .collect();
    assert_eq!(by_url.len(), events.len(), "an article was emitted twice");
    assert_eq!(events.len(), served.len(), "every article is emitted");
    let id_of = |url: &str| by_url[url]["id"].as_str().unwrap().to_string();
    let mut firsts: HashMap<String, String> = HashMap::new();
    for s in served.iter().filter(|s| s.copy) {
        if by_url[s.url.as_str()]["duplicate_of"].is_null() {
            let before = firsts.insert(s.story.clone(), s.url.clone());
            assert_eq!(before, None, "{}: two copies unlinked", s.story);
        }
    }
    for s in served {
        let dup = &by_url[s.url.as_str()]["duplicate_of"];
        let first = &firsts[&s.story];
        if !s.copy || &s.url == first {
            assert!(dup.is_null(), "{}: {dup}", s.url);
            continue;
        }
        assert_eq!(dup["id"].as_str(), Some(id_of(first).as_str()), "{}", s.url);
        assert_eq!(dup["url"].as_str(), Some(first.as_str()), "{}", s.url);
        assert!(dup["similarity"].as_f64().unwrap() >= 0.8, "{dup}");
    }
    firsts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_copy_across_sites_points_at_the_first_seen_article() {
    let (sites, served) = start_sites().await;
    let dir = tempfile::tempdir().unwrap();
    // One feed and one page at a time: the first site's originals are seen first.
    let config = support::write_config(
        dir.path(),
        &feeds(&sites),
        "feed_concurrency = 1\npage_concurrency = 1\n",
    );
    let out = support::run_once(&config).await;
    assert!(out.status.success(), "{}", support::stderr(&out));
    let firsts = check_links(&served, &support::events(&out));
    for (story, url) in &firsts {
        assert!(url.contains("-00-original"), "{story}: first seen {url}");
    }
    assert_eq!(firsts.len(), 4);

    // Turned off, nothing is linked.
    let dir = tempfile::tempdir().unwrap();
    let config = support::write_config(dir.path(), &feeds(&sites), "near_duplicates = false\n");
    let out = support::run_once(&config).await;
    let events = support::events(&out);
    assert_eq!(events.len(), served.len());
    assert!(events.iter().all(|e| e["duplicate_of"].is_null()));
}

/// Two instances on one PostgreSQL store poll every site at once: they
/// race on the same articles and on copies of one story, and must agree
/// on which copy came first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_postgres_agree_on_the_first_seen_copy() {
    let Some(server) =
        pg::PgServer::start("two_instances_on_postgres_agree_on_the_first_seen_copy")
    else {
        return;
    };
    let db = server.database().await;
    let (sites, served) = start_sites().await;
    let dir = tempfile::tempdir().unwrap();
    let children: Vec<(support::Spawned, PathBuf)> = ["one", "two"]
        .iter()
        .map(|name| {
            let home = dir.path().join(name);
            std::fs::create_dir_all(&home).unwrap();
            let out = home.join("events.ndjson");
            let extra = format!(
                "feed_concurrency = 4\npage_concurrency = 4\n[store]\nurl = \"{db}\"\ninstance = \"{name}\"\n[output]\npath = \"{}\"\n",
                out.display()
            );
            let config = support::write_config(&home, &feeds(&sites), &extra);
            let child = support::Spawned::new(
                support::newsflow()
                    .args(["run", "--once", "--config"])
                    .arg(&config)
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped()),
            );
            (child, out)
        })
        .collect();
    let mut events = Vec::new();
    let mut per_instance = Vec::new();
    for (child, out) in children {
        let done = child.output().await;
        assert!(done.status.success(), "{}", support::stderr(&done));
        let text = std::fs::read_to_string(&out).unwrap_or_default();
        let mine: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        per_instance.push(mine.len());
        events.extend(mine);
    }
    eprintln!("split between the instances: {per_instance:?}");
    let firsts = check_links(&served, &events);
    assert_eq!(firsts.len(), 4);
}
