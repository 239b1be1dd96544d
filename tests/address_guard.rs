//! The private-address guard with a proxy configured: the proxy resolves
//! names, so the daemon must refuse private article links before the
//! request reaches it. A real HTTP forward proxy on 127.0.0.1 records what
//! it was asked for.

mod support;

use std::net::ToSocketAddrs;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use support::*;

/// A forward proxy for plain-HTTP requests (absolute-form request line),
/// one request per connection; returns its address and the request
/// targets it forwarded.
async fn start_proxy() -> (std::net::SocketAddr, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((conn, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let _ = forward(conn, &log).await;
            });
        }
    });
    (addr, seen)
}

async fn forward(mut client: TcpStream, log: &Mutex<Vec<String>>) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte).await? == 0 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_string();
    let mut parts = request_line.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    log.lock().unwrap().push(target.to_string());
    let url = url::Url::parse(target).map_err(std::io::Error::other)?;
    let host = url.host_str().unwrap_or_default().trim_matches(['[', ']']);
    let mut upstream = TcpStream::connect((host, url.port_or_known_default().unwrap())).await?;
    let path = &target[url.origin().ascii_serialization().len()..];
    let mut out = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for l in lines.filter(|l| !l.is_empty()) {
        let name = l.split(':').next().unwrap_or("").to_ascii_lowercase();
        if !matches!(name.as_str(), "connection" | "proxy-connection") {
            out.push_str(l);
            out.push_str("\r\n");
        }
    }
    out.push_str("\r\n");
    upstream.write_all(out.as_bytes()).await?;
    tokio::io::copy(&mut upstream, &mut client).await?;
    client.shutdown().await
}

/// A host name that resolves here to loopback only (the machine's own
/// name usually does), to show names are checked, not only literals.
fn loopback_name() -> Option<String> {
    let out = std::process::Command::new("hostname").output().ok()?;
    let name = String::from_utf8(out.stdout).ok()?.trim().to_string();
    let addrs: Vec<_> = (name.as_str(), 80).to_socket_addrs().ok()?.collect();
    (!addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback())).then_some(name)
}

fn rss(links: &[String]) -> String {
    let items: String = links
        .iter()
        .enumerate()
        .map(|(i, l)| {
            format!(
                "<item><guid>g{i}</guid><title>Item {i}</title><link>{l}</link><description>From the feed {i}.</description></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Guarded</title><link>http://example.org/</link>{items}</channel></rss>"
    )
}

#[tokio::test]
async fn private_article_links_are_refused_before_the_proxy() {
    let site = start_site().await;
    let (proxy, asked) = start_proxy().await;
    let port = site.addr.port();
    let mut links = vec![format!("http://127.0.0.1:{port}/pages/blog.html")];
    match loopback_name() {
        Some(name) => links.push(format!("http://{name}:{port}/pages/longread.html")),
        None => eprintln!("note: no host name resolves to loopback here; literal addresses only"),
    }
    site.put("/guarded.xml", rss(&links));
    let run = |allow: bool| {
        let dir = tempfile::tempdir().unwrap();
        let extra = format!("[fetch]\nproxy = \"http://{proxy}\"\n");
        let cfg = write_config(dir.path(), &[site.url("/guarded.xml")], &extra);
        let text = std::fs::read_to_string(&cfg).unwrap().replace(
            "allow_private_addresses = true",
            &format!("allow_private_addresses = {allow}"),
        );
        std::fs::write(&cfg, text).unwrap();
        (dir, cfg)
    };

    let (_dir, cfg) = run(false);
    let out = run_once(&cfg).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let refused = events(&out);
    assert_eq!(refused.len(), links.len(), "{}", stderr(&out));
    assert!(
        refused.iter().all(|e| e["body_source"] == "feed"),
        "{refused:?}"
    );
    let asked_now = asked.lock().unwrap().clone();
    assert_eq!(
        asked_now,
        [site.url("/guarded.xml")],
        "only the feed went to the proxy"
    );
    assert!(stderr(&out).contains("private address"), "{}", stderr(&out));
    assert_eq!(
        site.hits("/pages/blog.html") + site.hits("/pages/longread.html"),
        0
    );

    // The same with the guard off: the pages do go through the proxy, so
    // the refusal above is the guard's, not a broken proxy.
    let (_dir, cfg) = run(true);
    let out = run_once(&cfg).await;
    let fetched = events(&out);
    assert_eq!(fetched.len(), links.len(), "{}", stderr(&out));
    assert!(
        fetched.iter().all(|e| e["body_source"] == "page"),
        "{}",
        stderr(&out)
    );
    assert_eq!(asked.lock().unwrap().len(), 2 + links.len());
}

/// `[[feeds]] proxy` sends that feed's requests through its proxy and no
/// other feed's.
#[tokio::test]
async fn a_per_feed_proxy_carries_that_feed_only() {
    let site = start_site().await;
    let (proxy, asked) = start_proxy().await;
    site.put("/via-proxy.xml", rss(&[]));
    site.put("/direct.xml", rss(&[]));
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_config(dir.path(), &[site.url("/direct.xml")], "");
    let mut text = std::fs::read_to_string(&cfg).unwrap();
    text.push_str(&format!(
        "\n[[feeds]]\nurl = \"{}\"\nproxy = \"http://{proxy}\"\n",
        site.url("/via-proxy.xml")
    ));
    std::fs::write(&cfg, text).unwrap();
    let out = run_once(&cfg).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let asked = asked.lock().unwrap().clone();
    assert_eq!(asked, [site.url("/via-proxy.xml")], "{}", stderr(&out));
    assert_eq!(site.hits("/direct.xml"), 1);
    assert_eq!(site.hits("/via-proxy.xml"), 1, "forwarded by the proxy");
}
