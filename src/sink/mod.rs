//! Where events go: stdout (default) or an append-only file.
//!
//! Each event is one `write` of one whole line, so concurrent readers
//! (`tail -f`, Vector, Fluent Bit) never see half an event. The file sink
//! can tell, after a crash, which outbox events it already holds (see
//! [`crate::store`]), and repairs a torn last line.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::future::Future;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::store::{Checkpoint, Undelivered};

#[cfg(feature = "kafka")]
pub mod kafka;

/// A destination for event lines.
pub trait Sink: Send + 'static {
    /// Of the events in the outbox after a restart, returns the ids the sink
    /// already holds (those are not written again). A sink that cannot be
    /// read back keeps this default, returns none, and the events are
    /// written again (at least once).
    fn recover(
        &mut self,
        _checkpoint: Option<Checkpoint>,
        _undelivered: &[Undelivered],
    ) -> impl Future<Output = Result<HashSet<String>>> + Send {
        async { Ok(HashSet::new()) }
    }
    /// Writes one event line (without its newline).
    fn write(&mut self, line: &str) -> impl Future<Output = Result<()>> + Send;
    /// Makes what was written durable; returns where the sink now stands.
    fn flush(&mut self) -> impl Future<Output = Result<Option<Checkpoint>>> + Send;
    /// Reopens the destination (after logrotate moved the file away).
    fn reopen(&mut self) -> Result<()>;
}

/// The default: events to standard output, logs stay on stderr.
#[derive(Debug, Default)]
pub struct StdoutSink {
    buf: Vec<u8>,
}

impl Sink for StdoutSink {
    async fn write(&mut self, line: &str) -> Result<()> {
        self.buf.clear();
        self.buf.extend_from_slice(line.as_bytes());
        self.buf.push(b'\n');
        let mut out = std::io::stdout().lock();
        out.write_all(&self.buf).context("writing to stdout")?;
        out.flush().context("writing to stdout")
    }

    async fn flush(&mut self) -> Result<Option<Checkpoint>> {
        std::io::stdout().flush().context("flushing stdout")?;
        Ok(None)
    }

    fn reopen(&mut self) -> Result<()> {
        Ok(())
    }
}

/// Append-only NDJSON file.
#[derive(Debug)]
pub struct FileSink {
    path: PathBuf,
    file: File,
    offset: u64,
    file_id: u64,
    buf: Vec<u8>,
}

/// How far back a recovery scan reads when the checkpoint does not match
/// the file (it was rotated); outbox events are recent, so they are there.
const MAX_RECOVERY_SCAN: u64 = 64 * 1024 * 1024;

impl FileSink {
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(path)
            .with_context(|| format!("opening output file {}", path.display()))?;
        let meta = file
            .metadata()
            .with_context(|| format!("reading {}", path.display()))?;
        Ok(FileSink {
            path: path.to_path_buf(),
            offset: meta.len(),
            file_id: meta.ino(),
            file,
            buf: Vec::new(),
        })
    }

    /// Cuts a last line that a crash left without its newline; the event it
    /// held is still in the outbox and is written again whole.
    fn repair_torn_tail(&mut self) -> Result<()> {
        let len = self.file.metadata()?.len();
        if len == 0 {
            return Ok(());
        }
        let mut last = [0u8];
        self.file.seek(SeekFrom::Start(len - 1))?;
        self.file.read_exact(&mut last)?;
        if last[0] == b'\n' {
            return Ok(());
        }
        // Find the last newline, reading backwards in blocks.
        let mut end = len;
        let mut keep = 0;
        let mut block = vec![0u8; 64 * 1024];
        while end > 0 {
            let start = end.saturating_sub(block.len() as u64);
            let n = (end - start) as usize;
            self.file.seek(SeekFrom::Start(start))?;
            self.file.read_exact(&mut block[..n])?;
            if let Some(pos) = block[..n].iter().rposition(|&b| b == b'\n') {
                keep = start + pos as u64 + 1;
                break;
            }
            end = start;
        }
        tracing::warn!(
            file = %self.path.display(),
            bytes = len - keep,
            "output file ended in a partial line (crash during a write); cutting it, the event is written again"
        );
        self.file.set_len(keep)?;
        self.offset = keep;
        Ok(())
    }
}

/// The `event_id` of an event line, found without a full JSON parse.
fn event_id_of(line: &str) -> Option<&str> {
    let start = line.find("\"event_id\":\"")? + "\"event_id\":\"".len();
    let len = line[start..].find('"')?;
    Some(&line[start..start + len])
}

impl Sink for FileSink {
    async fn recover(
        &mut self,
        checkpoint: Option<Checkpoint>,
        undelivered: &[Undelivered],
    ) -> Result<HashSet<String>> {
        self.repair_torn_tail()
            .with_context(|| format!("repairing {}", self.path.display()))?;
        let len = self.file.metadata()?.len();
        self.offset = len;
        if undelivered.is_empty() {
            return Ok(HashSet::new());
        }
        let from = match checkpoint {
            Some(cp) if cp.file_id == self.file_id && cp.offset <= len => cp.offset,
            _ => len.saturating_sub(MAX_RECOVERY_SCAN),
        };
        let wanted: HashSet<&str> = undelivered.iter().map(|u| u.event_id.as_str()).collect();
        let mut found = HashSet::new();
        let mut reader = BufReader::new(File::open(&self.path)?);
        reader.seek(SeekFrom::Start(from))?;
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                break;
            }
            if let Some(id) = event_id_of(&line)
                && wanted.contains(id)
            {
                found.insert(id.to_string());
            }
        }
        Ok(found)
    }

    async fn write(&mut self, line: &str) -> Result<()> {
        self.buf.clear();
        self.buf.extend_from_slice(line.as_bytes());
        self.buf.push(b'\n');
        if let Err(e) = self.file.write_all(&self.buf) {
            // A write cut short (a full disk) leaves part of the line: it
            // goes, so the file never holds half an event; the event is
            // written again whole.
            let _ = self.file.set_len(self.offset);
            return Err(
                anyhow::Error::new(e).context(format!("writing to {}", self.path.display()))
            );
        }
        self.offset += self.buf.len() as u64;
        Ok(())
    }

    async fn flush(&mut self) -> Result<Option<Checkpoint>> {
        self.file
            .sync_data()
            .with_context(|| format!("syncing {}", self.path.display()))?;
        Ok(Some(Checkpoint {
            offset: self.offset,
            file_id: self.file_id,
        }))
    }

    fn reopen(&mut self) -> Result<()> {
        *self = FileSink::open(&self.path)?;
        tracing::info!(file = %self.path.display(), "output file reopened");
        Ok(())
    }
}

/// The configured sink.
pub enum AnySink {
    Stdout(StdoutSink),
    File(FileSink),
    #[cfg(feature = "kafka")]
    Kafka(kafka::KafkaSink),
}

impl Sink for AnySink {
    async fn recover(
        &mut self,
        cp: Option<Checkpoint>,
        undelivered: &[Undelivered],
    ) -> Result<HashSet<String>> {
        match self {
            AnySink::Stdout(s) => s.recover(cp, undelivered).await,
            AnySink::File(s) => s.recover(cp, undelivered).await,
            #[cfg(feature = "kafka")]
            AnySink::Kafka(s) => s.recover(cp, undelivered).await,
        }
    }
    async fn write(&mut self, line: &str) -> Result<()> {
        match self {
            AnySink::Stdout(s) => s.write(line).await,
            AnySink::File(s) => s.write(line).await,
            #[cfg(feature = "kafka")]
            AnySink::Kafka(s) => s.write(line).await,
        }
    }
    async fn flush(&mut self) -> Result<Option<Checkpoint>> {
        match self {
            AnySink::Stdout(s) => s.flush().await,
            AnySink::File(s) => s.flush().await,
            #[cfg(feature = "kafka")]
            AnySink::Kafka(s) => s.flush().await,
        }
    }
    fn reopen(&mut self) -> Result<()> {
        match self {
            AnySink::Stdout(s) => s.reopen(),
            AnySink::File(s) => s.reopen(),
            #[cfg(feature = "kafka")]
            AnySink::Kafka(s) => s.reopen(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn torn_tail_is_cut_and_held_events_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.ndjson");
        std::fs::write(
            &path,
            "{\"event_id\":\"a\"}\n{\"event_id\":\"b\"}\n{\"event_id\":\"c\",\"bo",
        )
        .unwrap();
        let mut sink = FileSink::open(&path).unwrap();
        let pending: Vec<Undelivered> = ["b", "c"]
            .iter()
            .map(|id| Undelivered {
                event_id: id.to_string(),
                line: format!("{{\"event_id\":\"{id}\"}}"),
            })
            .collect();
        let found = sink.recover(None, &pending).await.unwrap();
        assert_eq!(found, HashSet::from(["b".to_string()]));
        sink.write(&pending[1].line).await.unwrap();
        let cp = sink.flush().await.unwrap().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text,
            "{\"event_id\":\"a\"}\n{\"event_id\":\"b\"}\n{\"event_id\":\"c\"}\n"
        );
        assert_eq!(cp.offset, text.len() as u64);
    }

    #[test]
    fn event_id_is_read_from_the_line() {
        assert_eq!(
            event_id_of(r#"{"type":"article","schema":1,"event_id":"ab12","id":"x"}"#),
            Some("ab12")
        );
        assert_eq!(event_id_of("garbage"), None);
    }
}
