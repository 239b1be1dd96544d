//! `newsflow discover` against real local sites, and discover and
//! import-opml output appended to a config that `newsflow check` accepts.

mod support;

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use support::{Site, newsflow, start_site, stderr, write_config};

const NEWS_PAGE: &str = r#"<!doctype html><html><head><title>News</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="World" href="/world.xml">
<link rel="alternate" type="application/atom+xml" href="../europe.atom">
<link rel="alternate" type="application/rss+xml" title="Old" href="/gone/old.xml">
<link rel="alternate" type="application/feed+json" href="/feed.json">
</head><body>
<nav><a href="/">Home</a> <a href="/about.html">About</a></nav>
<p>Follow us: <a href="/podcast.rss">Podcast</a>, <a href="/world.xml">World RSS</a>,
<a href="/feed">our feed</a>.</p>
</body></html>"#;

const JSON_FEED: &str = r#"{"version": "https://jsonfeed.org/version/1.1",
 "title": "Courier \"Live\" \\ JSON",
 "items": [{"id": "1", "url": "/live/1", "content_text": "One."}]}"#;

const PODCAST: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel>
<title>Courier
  Podcast</title><link>/</link>
<item><title>Episode 1</title><link>/ep/1</link><guid>ep-1</guid></item>
</channel></rss>"#;

const BLOG_FEED: &str = r#"<?xml version="1.0"?><rss version="2.0"><channel>
<title>Courier Blog</title><link>/blog/</link>
<item><title>Post</title><link>/blog/post</link><guid>post-1</guid></item>
</channel></rss>"#;

/// A site whose news page declares and links feeds (good, dead and not a
/// feed at all), and whose blog page names none while a usual path under
/// it holds one; `/feed` is an HTML page.
async fn news_site() -> Site {
    let site = start_site().await;
    site.put("/news/index.html", NEWS_PAGE);
    site.put("/feed.json", JSON_FEED);
    site.put("/podcast.rss", PODCAST);
    site.put("/feed", "<html><body><h1>Our feeds</h1></body></html>");
    site.put("/blog/", "<html><body><p>No links here.</p></body></html>");
    site.put("/blog/index.xml", BLOG_FEED);
    site
}

async fn discover(args: Vec<String>) -> Output {
    tokio::task::spawn_blocking(move || newsflow().arg("discover").args(args).output().unwrap())
        .await
        .unwrap()
}

fn fast_config(dir: &Path) -> String {
    write_config(dir, &[], "").display().to_string()
}

#[tokio::test]
async fn finds_declared_linked_and_usual_feeds_as_toml() {
    let site = news_site().await;
    let dir = tempfile::tempdir().unwrap();
    let out = discover(vec![
        "--config".into(),
        fast_config(dir.path()),
        site.url("/news/index.html"),
        site.url("/blog/"),
    ])
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let parsed: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let feeds: Vec<(&str, Option<&str>)> = parsed["feeds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["url"].as_str().unwrap(),
                f.get("name").and_then(|n| n.as_str()),
            )
        })
        .collect();
    let (world, europe, json, podcast, blog) = (
        site.url("/world.xml"),
        site.url("/europe.atom"),
        site.url("/feed.json"),
        site.url("/podcast.rss"),
        site.url("/blog/index.xml"),
    );
    assert_eq!(
        feeds,
        vec![
            (world.as_str(), Some("Daily Courier: World")),
            (europe.as_str(), Some("Daily Courier: Europe")),
            (json.as_str(), Some("Courier \"Live\" \\ JSON")),
            (podcast.as_str(), Some("Courier Podcast")),
            (blog.as_str(), Some("Courier Blog")),
        ],
        "{text}"
    );
    // The dead and the HTML candidates were tried, and refused.
    assert_eq!(site.hits("/gone/old.xml"), 1);
    assert!(site.hits("/feed") >= 1);
    // A page that names working feeds is not probed for more.
    assert_eq!(site.hits("/news/rss.xml"), 0);
    assert_eq!(site.hits("/blog/rss.xml"), 1);
}

#[tokio::test]
async fn json_lines_name_url_title_and_format() {
    let site = news_site().await;
    let dir = tempfile::tempdir().unwrap();
    let out = discover(vec![
        "--json".into(),
        "--config".into(),
        fast_config(dir.path()),
        site.url("/news/index.html"),
    ])
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = support::events(&out);
    let got: Vec<(&str, &str)> = lines
        .iter()
        .map(|l| (l["url"].as_str().unwrap(), l["format"].as_str().unwrap()))
        .collect();
    let (world, europe, json, podcast) = (
        site.url("/world.xml"),
        site.url("/europe.atom"),
        site.url("/feed.json"),
        site.url("/podcast.rss"),
    );
    assert_eq!(
        got,
        vec![
            (world.as_str(), "rss"),
            (europe.as_str(), "atom"),
            (json.as_str(), "json"),
            (podcast.as_str(), "rss"),
        ]
    );
    assert_eq!(lines[2]["title"], "Courier \"Live\" \\ JSON");
    let keys: Vec<&String> = lines[0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 3, "{keys:?}");
}

/// The fixture site's front page links nothing and no usual path holds a
/// feed. Run with the default configuration: the user's own address is
/// trusted even though it is on 127.0.0.1.
#[tokio::test]
async fn a_site_without_feeds_exits_1_naming_the_url() {
    let site = start_site().await;
    let url = site.url("/");
    let dead = site.url("/gone/page.html");
    let out = discover(vec![url.clone(), dead.clone()]).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains(&format!("{url}: no feed found")), "{err}");
    assert!(err.contains(&format!("{dead}: HTTP 404")), "{err}");
    assert_eq!(site.hits("/"), 1);
    assert_eq!(site.hits("/rss.xml"), 1, "usual places are probed");
}

#[tokio::test]
async fn usage_errors_exit_2() {
    for args in [
        vec![],
        vec!["ftp://example.com/".to_string()],
        vec!["not a url".into()],
    ] {
        let out = discover(args.clone()).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

/// Addresses taken from a page go through the private-address guard, which
/// refuses them before connecting: 10.255.255.1 would hang until the
/// connect timeout, and the second local server must see no request.
#[tokio::test]
async fn private_addresses_found_on_a_page_are_refused_unless_allowed() {
    let site = start_site().await;
    let other = start_site().await;
    let elsewhere = other.url("/world.xml");
    site.put(
        "/links.html",
        format!(
            "<html><head><link rel=\"alternate\" type=\"application/rss+xml\" href=\"http://10.255.255.1/feed\"></head>\
             <body><a href=\"{elsewhere}\">RSS</a></body></html>"
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("guarded.toml");
    std::fs::write(
        &config,
        "allow_private_addresses = false\n[fetch]\nhost_delay = \"0s\"\n",
    )
    .unwrap();
    let started = Instant::now();
    let out = discover(vec![
        "--config".into(),
        config.display().to_string(),
        site.url("/links.html"),
    ])
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("private address refused").count(), 2, "{err}");
    assert_eq!(other.hits("/world.xml"), 0);
    assert_eq!(site.hits("/links.html"), 1);

    // Allowed, the local feed is found.
    let allowed = write_config(dir.path(), &[], "");
    let out = discover(vec![
        "--config".into(),
        allowed.display().to_string(),
        site.url("/links.html"),
    ])
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&elsewhere));
}

/// A linked address that redirects to a declared one is the same feed,
/// printed once under its final address.
#[tokio::test]
async fn feeds_are_listed_once_by_final_address() {
    use axum::response::{Html, Redirect};
    use axum::routing::get;
    let page = r#"<html><head><link rel="alternate" type="application/rss+xml" href="/feed/">
        </head><body><a href="/feed">RSS</a> <a href="/rss">RSS again</a></body></html>"#;
    let app = axum::Router::new()
        .route("/", get(move || async move { Html(page) }))
        .route("/feed", get(|| async { Redirect::permanent("/feed/") }))
        .route("/rss", get(|| async { Redirect::permanent("/feed/") }))
        .route(
            "/feed/",
            get(|| async { ([("content-type", "application/rss+xml")], BLOG_FEED) }),
        );
    let addr = support::serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let out = discover(vec![
        "--json".into(),
        "--config".into(),
        fast_config(dir.path()),
        format!("http://{addr}/"),
        format!("http://{addr}/feed"),
    ])
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines = support::events(&out);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["url"], format!("http://{addr}/feed/"));
    assert_eq!(lines[0]["title"], "Courier Blog");
}

/// Output of both importers appended (`>>`) to a config whose last line
/// has no newline is accepted by `newsflow check` as is.
#[tokio::test]
async fn appended_output_passes_check() {
    let site = news_site().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("newsflow.toml");
    std::fs::write(
        &config,
        "allow_private_addresses = true\n[fetch]\nhost_delay = \"0s\"\n\n[[feeds]]\nurl = \"https://example.org/first.xml\"",
    )
    .unwrap();
    let out = discover(vec![
        "--config".into(),
        config.display().to_string(),
        site.url("/news/index.html"),
    ])
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    append(&config, &out.stdout);
    let opml = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/opml/subscriptions.opml");
    let out = newsflow().arg("import-opml").arg(&opml).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    append(&config, &out.stdout);

    let out = newsflow()
        .args(["check", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(out.status.success(), "{}\n{text}", stderr(&out));
    // 1 + 4 discovered + 7 from the OPML export.
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ok (12 feeds"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

fn append(path: &Path, bytes: &[u8]) {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new().append(true).open(path).unwrap();
    f.write_all(bytes).unwrap();
}
