//! The offline demo: serves the bundled news site (two feeds, their article
//! pages) on 127.0.0.1 and runs the real pipeline over it once, printing
//! article events to stdout. Nothing leaves the machine.
//!
//!     cargo run --release --example demo

use std::path::{Path, PathBuf};

use axum::extract::Path as UrlPath;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use tokio_util::sync::CancellationToken;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// `/pages/*` are the annotated article fixtures, `/site-pages/*` the
/// site's other pages, everything else the feeds.
async fn serve(UrlPath(path): UrlPath<String>) -> impl IntoResponse {
    let file = match path.split_once('/') {
        Some(("pages", rest)) => fixtures().join("pages").join(rest),
        Some(("site-pages", rest)) => fixtures().join("site/pages").join(rest),
        _ => fixtures().join("site").join(&path),
    };
    let ctype = match file.extension().and_then(|e| e.to_str()) {
        Some("xml") => "application/rss+xml",
        Some("atom") => "application/atom+xml",
        _ => "text/html; charset=utf-8",
    };
    match std::fs::read(&file) {
        Ok(bytes) => (StatusCode::OK, [(header::CONTENT_TYPE, ctype)], bytes),
        Err(_) => (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/plain")],
            b"not found".to_vec(),
        ),
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter("info")
        .init();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let app = axum::Router::new().route("/{*path}", axum::routing::get(serve));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let state = tempfile::tempdir()?;
    let text = format!(
        "state_dir = {state:?}\nallow_private_addresses = true\n\n[fetch]\nhost_delay = \"0s\"\n\n\
         [[feeds]]\nname = \"Courier World\"\nurl = \"http://{addr}/world.xml\"\n\n\
         [[feeds]]\nname = \"Courier Europe\"\nurl = \"http://{addr}/europe.atom\"\n",
        state = state.path().display().to_string(),
    );
    let cfg = newsflow::config::parse(&text, Path::new("demo.toml"))?;
    let (_reload_tx, reload_rx) = tokio::sync::mpsc::channel(1);
    newsflow::daemon::run(cfg, CancellationToken::new(), true, reload_rx).await
}
