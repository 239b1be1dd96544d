//! The page archive: every article page fetched, kept as fetched in WARC
//! 1.1 files (`*.warc.gz`), and read back by `newsflow reextract`.
//!
//! Each page is one `response` record (the HTTP status line, headers and
//! body as the block) compressed as its own gzip member, which is what
//! WARC tools (warcio, pywb) expect and what lets a file be cut anywhere
//! between records. A file is closed before it would pass
//! `max_file_bytes` and the next one begun.
//!
//! Writing happens on its own thread behind a queue bounded in bytes: the
//! daemon never waits for the archive disk. A full queue or a failed write
//! costs that archive record (logged), never an event. When the daemon
//! stops, the queue is written out before it exits.
//!
//! The body is kept as the client read it, after any `Content-Encoding`
//! was undone, so that header (and `Transfer-Encoding`) are left out and
//! `Content-Length` is the stored body's.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;

use anyhow::{Context, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use flate2::Compression;
use flate2::write::GzEncoder;
use tracing::{error, warn};

use crate::config::ArchiveConfig;
use crate::fetch::Response;

/// Bytes of pages waiting for the writer; beyond this, records are dropped
/// rather than holding up the daemon or growing memory.
const QUEUE_BYTES: usize = 64 << 20;
/// Pages waiting for the writer, at most.
const QUEUE: usize = 4096;

/// Response headers not kept: they describe a transfer the stored body no
/// longer has.
const TRANSFER_HEADERS: [&str; 3] = ["content-encoding", "transfer-encoding", "content-length"];

/// One fetched page on its way into the archive.
pub struct ArchivedPage {
    pub url: String,
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: DateTime<Utc>,
}

impl ArchivedPage {
    pub fn of(resp: &Response) -> Self {
        ArchivedPage {
            url: resp.url.to_string(),
            status: resp.status,
            headers: resp.headers.clone(),
            body: resp.body.clone(),
            at: resp.fetched_at,
        }
    }
}

/// The daemon's handle on the archive writer thread. Dropping it writes
/// out what is queued and waits for the writer.
pub struct Archive {
    tx: Option<SyncSender<ArchivedPage>>,
    queued: Arc<AtomicUsize>,
    writer: Option<JoinHandle<()>>,
}

impl Archive {
    /// Creates the folder and starts the writer thread.
    pub fn start(cfg: &ArchiveConfig) -> Result<Self> {
        std::fs::create_dir_all(&cfg.path)
            .with_context(|| format!("creating the archive folder {}", cfg.path.display()))?;
        let (tx, rx) = sync_channel(QUEUE);
        let queued = Arc::new(AtomicUsize::new(0));
        let writer = Writer {
            dir: cfg.path.clone(),
            max_bytes: cfg.max_file_bytes,
            file: None,
            seq: 0,
        };
        let done = queued.clone();
        let writer = std::thread::Builder::new()
            .name("archive".into())
            .spawn(move || writer.run(rx, &done))
            .context("starting the archive writer")?;
        Ok(Archive {
            tx: Some(tx),
            queued,
            writer: Some(writer),
        })
    }

    /// Queues `page` for the archive without waiting.
    pub fn keep(&self, page: ArchivedPage) {
        let len = page.body.len();
        if self.queued.fetch_add(len, Ordering::Relaxed) + len > QUEUE_BYTES {
            self.queued.fetch_sub(len, Ordering::Relaxed);
            return warn!(url = %page.url, "archive writer behind; page not archived");
        }
        let tx = self.tx.as_ref().expect("open until dropped");
        if let Err(e) = tx.try_send(page) {
            self.queued.fetch_sub(len, Ordering::Relaxed);
            match e {
                TrySendError::Full(p) => {
                    warn!(url = %p.url, "archive writer behind; page not archived")
                }
                TrySendError::Disconnected(p) => {
                    error!(url = %p.url, "archive writer gone; page not archived")
                }
            }
        }
    }
}

impl Drop for Archive {
    fn drop(&mut self) {
        // The writer ends once the queue is empty and the sender gone.
        drop(self.tx.take());
        if let Some(w) = self.writer.take()
            && w.join().is_err()
        {
            error!("the archive writer panicked");
        }
    }
}

struct Writer {
    dir: PathBuf,
    max_bytes: u64,
    /// The open file and its size.
    file: Option<(File, u64)>,
    seq: u32,
}

impl Writer {
    fn run(mut self, rx: Receiver<ArchivedPage>, queued: &AtomicUsize) {
        while let Ok(page) = rx.recv() {
            if let Err(e) = self.write(&page) {
                error!(url = %page.url, "archiving the page failed: {e:#}");
                // The next record starts a fresh file.
                self.file = None;
            }
            queued.fetch_sub(page.body.len(), Ordering::Relaxed);
        }
    }

    fn write(&mut self, page: &ArchivedPage) -> Result<()> {
        let member = gzip_member(&response_record(page))?;
        let len = member.len() as u64;
        if self
            .file
            .as_ref()
            .is_some_and(|(_, size)| *size > 0 && size + len > self.max_bytes)
        {
            self.file = None;
        }
        if self.file.is_none() {
            self.file = Some((self.open_next()?, 0));
        }
        let (file, size) = self.file.as_mut().expect("opened above");
        file.write_all(&member).context("writing the archive")?;
        *size += len;
        Ok(())
    }

    fn open_next(&mut self) -> Result<File> {
        self.seq += 1;
        let name = format!(
            "newsflow-{}-{}-{:05}.warc.gz",
            Utc::now().format("%Y%m%d%H%M%S"),
            std::process::id(),
            self.seq
        );
        let path = self.dir.join(name);
        File::options()
            .create_new(true)
            .append(true)
            .open(&path)
            .with_context(|| format!("creating {}", path.display()))
    }
}

fn gzip_member(record: &[u8]) -> Result<Vec<u8>> {
    // The fastest level: the writer must keep up with the fetches, and
    // pages compress well at any level.
    let mut gz = GzEncoder::new(Vec::with_capacity(record.len() / 3), Compression::fast());
    gz.write_all(record)?;
    Ok(gz.finish()?)
}

/// A WARC 1.1 `response` record, uncompressed.
pub fn response_record(page: &ArchivedPage) -> Vec<u8> {
    let mut http = format!(
        "HTTP/1.1 {} {}\r\n",
        page.status,
        reqwest::StatusCode::from_u16(page.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("")
    );
    for (k, v) in &page.headers {
        if !TRANSFER_HEADERS.contains(&k.to_ascii_lowercase().as_str()) {
            http.push_str(&format!("{k}: {v}\r\n"));
        }
    }
    http.push_str(&format!("Content-Length: {}\r\n\r\n", page.body.len()));
    let mut block = http.into_bytes();
    block.extend_from_slice(&page.body);
    let header = format!(
        "WARC/1.1\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{}>\r\n\
         WARC-Date: {}\r\nWARC-Target-URI: {}\r\nWARC-Payload-Digest: sha1:{}\r\n\
         WARC-Block-Digest: sha1:{}\r\nContent-Type: application/http;msgtype=response\r\n\
         Content-Length: {}\r\n\r\n",
        uuid_v4(),
        warc_date(page.at),
        page.url,
        sha1_base32(&page.body),
        sha1_base32(&block),
        block.len()
    );
    let mut record = header.into_bytes();
    record.extend_from_slice(&block);
    record.extend_from_slice(b"\r\n\r\n");
    record
}

/// A WARC-Date: UTC to the second, so dates order as text.
pub fn warc_date(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn uuid_v4() -> String {
    let mut b: [u8; 16] = rand::random();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// SHA-1 in base32 (RFC 4648, no padding needed for 20 bytes), the form
/// WARC digests take.
fn sha1_base32(bytes: &[u8]) -> String {
    use sha1::{Digest, Sha1};
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let digest = Sha1::digest(bytes);
    let mut out = String::with_capacity(32);
    let (mut acc, mut bits) = (0u32, 0);
    for &b in digest.iter() {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
        }
    }
    out
}

/// A `response` record read back: where and when, and the HTTP message.
pub struct StoredPage {
    pub url: String,
    /// As written (RFC 3339, UTC), so it orders as text.
    pub date: String,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// The archive files in `dir`, oldest name first.
pub fn files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("reading the archive folder {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .collect();
    files.sort();
    Ok(files)
}

/// Calls `each` with every `response` record of every archive file, in
/// order, one at a time (memory holds one record). A damaged file is
/// logged and the rest of it skipped.
pub fn for_each_page(dir: &Path, mut each: impl FnMut(StoredPage)) -> Result<()> {
    for path in files(dir)? {
        let file = File::open(&path).with_context(|| format!("opening {}", path.display()))?;
        let mut reader = BufReader::new(flate2::read::MultiGzDecoder::new(BufReader::new(file)));
        loop {
            match read_record(&mut reader) {
                Ok(Some(Some(page))) => each(page),
                Ok(Some(None)) => {}
                Ok(None) => break,
                Err(e) => {
                    warn!(file = %path.display(), "archive file damaged, rest skipped: {e:#}");
                    break;
                }
            }
        }
    }
    Ok(())
}

/// The next record: `None` at the end, `Some(None)` for a record that is
/// not a response.
fn read_record(r: &mut impl BufRead) -> Result<Option<Option<StoredPage>>> {
    let mut line = String::new();
    // Records are separated by blank lines.
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        if !line.trim().is_empty() {
            break;
        }
    }
    anyhow::ensure!(line.starts_with("WARC/"), "not a WARC record: {line:?}");
    let mut fields = Vec::new();
    loop {
        line.clear();
        r.read_line(&mut line)?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            fields.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let len: usize = field("content-length")
        .and_then(|l| l.parse().ok())
        .context("record without Content-Length")?;
    let mut block = vec![0; len];
    r.read_exact(&mut block)?;
    if field("warc-type").as_deref() != Some("response") {
        return Ok(Some(None));
    }
    let (content_type, body) = http_message(&block);
    Ok(Some(Some(StoredPage {
        url: field("warc-target-uri").unwrap_or_default(),
        date: field("warc-date").unwrap_or_default(),
        content_type,
        body,
    })))
}

/// The Content-Type and body of an HTTP response message.
fn http_message(block: &[u8]) -> (Option<String>, Vec<u8>) {
    let Some(end) = memchr::memmem::find(block, b"\r\n\r\n") else {
        return (None, Vec::new());
    };
    let head = String::from_utf8_lossy(&block[..end]);
    let content_type = head.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim()
            .eq_ignore_ascii_case("content-type")
            .then(|| v.trim().to_string())
    });
    (content_type, block[end + 4..].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_written_rotated_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = Writer {
            dir: dir.path().to_path_buf(),
            max_bytes: 600,
            file: None,
            seq: 0,
        };
        for i in 0..3 {
            let page = ArchivedPage {
                url: format!("http://example.org/{i}"),
                status: 200,
                headers: vec![
                    ("content-type".into(), "text/html".into()),
                    ("content-encoding".into(), "gzip".into()),
                ],
                body: format!("<p>page {i} {}</p>", "x".repeat(300)).into_bytes(),
                at: Utc::now(),
            };
            w.write(&page).unwrap();
        }
        assert_eq!(files(dir.path()).unwrap().len(), 3, "rotated by size");
        let mut read = Vec::new();
        for_each_page(dir.path(), |p| read.push(p)).unwrap();
        assert_eq!(read.len(), 3);
        assert_eq!(read[2].url, "http://example.org/2");
        assert_eq!(read[2].content_type.as_deref(), Some("text/html"));
        assert!(read[2].body.starts_with(b"<p>page 2 "));
    }

    #[test]
    fn digests_are_sha1_in_base32() {
        // sha1("") = da39a3ee5e6b4b0d3255bfef95601890afd80709
        assert_eq!(sha1_base32(b""), "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
    }
}
