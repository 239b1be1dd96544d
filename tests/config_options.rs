//! Options the README promises, each run through the real binary against
//! servers on 127.0.0.1: item and line caps, per-feed headers, the redirect
//! limit, the decompressed-size cap, JSON logs, and `extract` on text from
//! a file or stdin.

mod support;

use std::io::Write;
use std::process::Stdio;

use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use support::*;

/// An RSS document with `n` items linking to pages under `base` (relative
/// when empty) that are not served: on a 404 the feed's text stands in.
fn rss(base: &str, n: usize) -> String {
    let items: String = (0..n)
        .map(|i| {
            format!(
                "<item><title>Story {i}</title><link>{base}/gone/{i}</link>\
                 <guid>story-{i}</guid><description>{}</description></item>",
                "Words of the story. ".repeat(40)
            )
        })
        .collect();
    format!("<rss version=\"2.0\"><channel><title>T</title>{items}</channel></rss>")
}

#[tokio::test]
async fn max_items_per_feed_takes_the_first_items_only() {
    let site = start_site().await;
    let dir = tempfile::tempdir().unwrap();
    site.put("/many.xml", rss("", 6));
    let cfg = write_config(
        dir.path(),
        &[site.url("/many.xml")],
        "max_items_per_feed = 2\n",
    );
    let out = run_once(&cfg).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let titles: Vec<String> = events(&out)
        .iter()
        .map(|e| e["title"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
}

#[tokio::test]
async fn max_line_bytes_cuts_the_body_and_marks_it() {
    let site = start_site().await;
    let dir = tempfile::tempdir().unwrap();
    let long = rss("", 1).replace("Words of the story. ", &"Words of the story. ".repeat(20));
    site.put("/long.xml", long);
    let cfg = write_config(
        dir.path(),
        &[site.url("/long.xml")],
        "[output]\nmax_line_bytes = 4096\n",
    );
    let out = run_once(&cfg).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let line = String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert!(line.len() <= 4096, "{} bytes: {line}", line.len());
    let e: serde_json::Value = serde_json::from_str(&line).unwrap();
    assert_eq!(e["truncated"], true, "{e}");
}

#[tokio::test]
async fn per_feed_headers_are_sent() {
    let app = Router::new().route(
        "/private.xml",
        get(|h: HeaderMap| async move {
            match h.get("x-api-key").and_then(|v| v.to_str().ok()) {
                Some("s3cret") => (StatusCode::OK, rss("", 1)).into_response(),
                _ => StatusCode::FORBIDDEN.into_response(),
            }
        }),
    );
    let addr = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://{addr}/private.xml");
    let cfg = write_config(dir.path(), &[], "");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str(&format!(
        "\n[[feeds]]\nurl = \"{url}\"\nheaders = {{ \"X-Api-Key\" = \"s3cret\" }}\n"
    ));
    std::fs::write(&cfg, text).unwrap();
    let out = run_once(&cfg).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(events(&out).len(), 1, "{}", stderr(&out));
}

#[tokio::test]
async fn a_redirect_chain_longer_than_max_redirects_fails_the_feed() {
    let app = Router::new()
        .route(
            "/a",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/b")]) }),
        )
        .route(
            "/b",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/c")]) }),
        )
        .route("/c", get(|| async { rss("", 1) }));
    let addr = serve(app).await;
    let url = format!("http://{addr}/a");
    for (limit, emitted) in [(1, 0), (2, 1)] {
        let dir = tempfile::tempdir().unwrap();
        let cfg = write_config(
            dir.path(),
            std::slice::from_ref(&url),
            &format!("max_redirects = {limit}\n"),
        );
        let out = run_once(&cfg).await;
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(
            events(&out).len(),
            emitted,
            "limit {limit}: {}",
            stderr(&out)
        );
        if emitted == 0 {
            let err = stderr(&out);
            assert!(
                err.contains("/a") && err.to_lowercase().contains("redirect"),
                "{err}"
            );
        }
    }
}

#[tokio::test]
async fn a_gzip_bomb_is_cut_at_max_feed_bytes() {
    // 64 MiB of zeros inside a valid feed compress to about 64 KiB.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(b"<rss version=\"2.0\"><channel><title>")
        .unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..64 {
        gz.write_all(&zeros).unwrap();
    }
    gz.write_all(b"</title></channel></rss>").unwrap();
    let body = gz.finish().unwrap();
    assert!(body.len() < 1 << 20);
    let app = Router::new().route(
        "/bomb.xml",
        get(move || {
            let body = body.clone();
            async move { ([(header::CONTENT_ENCODING, "gzip")], body) }
        }),
    );
    let addr = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://{addr}/bomb.xml");
    let cfg = write_config(dir.path(), &[url], "max_feed_bytes = \"2MiB\"\n");
    let out = run_once(&cfg).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("bomb.xml") && err.contains("over the limit"),
        "{err}"
    );
    assert!(events(&out).is_empty());
}

#[tokio::test]
async fn log_format_json_writes_one_json_object_per_line() {
    let site = start_site().await;
    let dir = tempfile::tempdir().unwrap();
    site.put("/one.xml", rss("", 1));
    let cfg = write_config(dir.path(), &[site.url("/one.xml")], "");
    // Off the runtime's thread: the site answers on it.
    let out = tokio::task::spawn_blocking(move || {
        newsflow()
            .args(["--log-format", "json", "run", "--once", "--config"])
            .arg(&cfg)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    assert!(out.status.success());
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert!(!lines.is_empty());
    for l in lines {
        let v: serde_json::Value =
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"));
        assert!(v["level"].is_string() && v["timestamp"].is_string(), "{l}");
    }
}

#[test]
fn extract_reads_text_from_a_file_or_stdin() {
    let text = "\"We will reopen the bridge by spring,\" said Mayor Lena Fox.\n\nShe added: \"Nobody will pay a toll.\"";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("article.txt");
    std::fs::write(&file, text).unwrap();
    let from_file = newsflow()
        .args(["extract", "--input", "text"])
        .arg(&file)
        .output()
        .unwrap();
    let mut child = newsflow()
        .args(["extract", "--input", "text", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let from_stdin = child.wait_with_output().unwrap();
    for out in [from_file, from_stdin] {
        assert!(out.status.success());
        let e = &events(&out)[0];
        let speakers: Vec<&str> = e["quotes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["speaker"].as_str().unwrap())
            .collect();
        assert_eq!(speakers, ["Lena Fox", "Lena Fox"], "{e}");
        assert_eq!(e["body"], text);
    }
}
