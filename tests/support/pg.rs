//! A throwaway PostgreSQL for tests and the load benchmark.
//!
//! `NEWSFLOW_TEST_PG_URL` (e.g. `postgres://postgres@127.0.0.1:5432/postgres`)
//! points at an existing server; otherwise a private cluster is made with
//! the server binaries (`NEWSFLOW_TEST_PG_BIN`, or the newest
//! `/usr/lib/postgresql/*/bin`) in a temporary directory, on a free port of
//! 127.0.0.1, and stopped when the [`PgServer`] is dropped. As root, the
//! cluster runs as the `postgres` user (PostgreSQL refuses root). When
//! neither is available, [`PgServer::start`] says why and returns `None`, and
//! the caller skips.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::free_port;

pub struct PgServer {
    /// Server address without a database, e.g. `postgres://postgres@127.0.0.1:5433`.
    base: String,
    cluster: Option<Cluster>,
}

struct Cluster {
    bin: PathBuf,
    data: PathBuf,
    run_as: Option<String>,
    /// The server options it was started with (port, socket folder).
    opts: String,
    _dir: tempfile::TempDir,
}

impl PgServer {
    /// The server to test against, or `None` (with a message) when there is
    /// none on this machine. A private cluster trades durability for speed
    /// (`synchronous_commit = off`): a crash may lose its last commits.
    pub fn start(test: &str) -> Option<PgServer> {
        Self::start_with(test, false)
    }

    /// Like [`PgServer::start`], but a commit is on disk when it returns, as
    /// on a production server: for tests that crash the server.
    pub fn start_durable(test: &str) -> Option<PgServer> {
        Self::start_with(test, true)
    }

    fn start_with(test: &str, durable: bool) -> Option<PgServer> {
        if let Ok(url) = std::env::var("NEWSFLOW_TEST_PG_URL") {
            let mut u = url::Url::parse(&url).expect("NEWSFLOW_TEST_PG_URL is not a URL");
            u.set_path("");
            return Some(PgServer {
                base: u.to_string().trim_end_matches('/').to_string(),
                cluster: None,
            });
        }
        match Cluster::start(durable) {
            Ok((cluster, port)) => Some(PgServer {
                base: format!("postgres://postgres@127.0.0.1:{port}"),
                cluster: Some(cluster),
            }),
            Err(why) => {
                super::skip(
                    test,
                    &format!(
                        "no PostgreSQL ({why}); set NEWSFLOW_TEST_PG_URL or install the server binaries"
                    ),
                );
                None
            }
        }
    }

    /// The server process of the private cluster (`None` for an external
    /// server): its CPU time includes that of its exited backends.
    pub fn postmaster_pid(&self) -> Option<u32> {
        let c = self.cluster.as_ref()?;
        std::fs::read_to_string(c.data.join("postmaster.pid"))
            .ok()?
            .lines()
            .next()?
            .trim()
            .parse()
            .ok()
    }

    /// Stops the private cluster at once, as a crash would (`false` for an
    /// external server, which a test cannot stop).
    pub fn stop_immediately(&self) -> bool {
        self.cluster.as_ref().is_some_and(Cluster::pg_ctl_stop)
    }

    /// Starts the stopped cluster again on the same port.
    pub fn start_again(&self) -> bool {
        self.cluster
            .as_ref()
            .is_some_and(|c| c.pg_ctl_start().unwrap_or(false))
    }

    /// Creates a fresh, empty database and returns its URL.
    pub async fn database(&self) -> String {
        let name = format!("newsflow_test_{:016x}", rand::random::<u64>());
        let admin = format!("{}/postgres", self.base);
        let (client, conn) = tokio_postgres::connect(&admin, tokio_postgres::NoTls)
            .await
            .unwrap_or_else(|e| panic!("connecting to {admin}: {e}"));
        let task = tokio::spawn(conn);
        client
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .await
            .expect("CREATE DATABASE");
        drop(client);
        let _ = task.await;
        format!("{}/{name}", self.base)
    }
}

/// Connects as instance `name`, retrying while an earlier holder of the
/// name is still being torn down by the server (its session ends a moment
/// after the client drops).
pub async fn reconnect(url: &str, name: &str) -> newsflow::store::PostgresStore {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match newsflow::store::PostgresStore::connect(url, name).await {
            Ok(s) => return s,
            Err(e) if std::time::Instant::now() < deadline => {
                assert!(e.to_string().contains("another newsflow instance"), "{e:#}");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(e) => panic!("{e:#}"),
        }
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        if let Some(c) = &self.cluster {
            c.pg_ctl_stop();
        }
    }
}

impl Cluster {
    fn start(durable: bool) -> Result<(Cluster, u16), String> {
        let bin = server_bin().ok_or("no initdb/pg_ctl under /usr/lib/postgresql/*/bin")?;
        let run_as = if is_root() {
            let ok = Command::new("id")
                .args(["-u", "postgres"])
                .output()
                .map(|o| o.status.success())
                .unwrap_or(false);
            if !ok {
                return Err("running as root and there is no `postgres` user".into());
            }
            Some("postgres".to_string())
        } else {
            None
        };
        let dir = tempfile::Builder::new()
            .prefix("newsflow-pg-")
            .tempdir()
            .map_err(|e| e.to_string())?;
        if let Some(user) = &run_as {
            let status = Command::new("chown")
                .arg(user)
                .arg(dir.path())
                .status()
                .map_err(|e| e.to_string())?;
            if !status.success() {
                return Err(format!("chown {user} {} failed", dir.path().display()));
            }
        }
        let mut cluster = Cluster {
            bin,
            data: dir.path().join("data"),
            run_as,
            opts: String::new(),
            _dir: dir,
        };
        let out = cluster
            .command("initdb")
            .arg("-D")
            .arg(&cluster.data)
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ])
            .output()
            .map_err(|e| format!("initdb: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "initdb failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        // A port taken between here and the server's bind makes pg_ctl
        // fail; try a few.
        let mut last = String::new();
        for _ in 0..5 {
            let port = free_port();
            let sockets = cluster.data.parent().unwrap();
            let speed = if durable {
                ""
            } else {
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            };
            let opts = format!(
                "-p {port} -k {} -c listen_addresses=127.0.0.1 {speed} -c max_connections=300",
                sockets.display()
            );
            cluster.opts = opts;
            if cluster.pg_ctl_start()? {
                return Ok((cluster, port));
            }
            last = std::fs::read_to_string(sockets.join("server.log")).unwrap_or_default();
        }
        Err(format!("pg_ctl start failed: {last}"))
    }

    fn pg_ctl_start(&self) -> Result<bool, String> {
        let out = self
            .command("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(self.data.parent().unwrap().join("server.log"))
            .args(["-o", &self.opts, "-w", "-t", "30", "start"])
            .output()
            .map_err(|e| format!("pg_ctl: {e}"))?;
        Ok(out.status.success())
    }

    fn pg_ctl_stop(&self) -> bool {
        self.command("pg_ctl")
            .arg("-D")
            .arg(&self.data)
            .args(["-m", "immediate", "-w", "stop"])
            .output()
            .is_ok_and(|o| o.status.success())
    }

    fn command(&self, tool: &str) -> Command {
        let exe = self.bin.join(tool);
        match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(exe);
                c
            }
            None => Command::new(exe),
        }
    }
}

fn server_bin() -> Option<PathBuf> {
    let has_tools = |d: &Path| d.join("initdb").exists() && d.join("pg_ctl").exists();
    if let Ok(d) = std::env::var("NEWSFLOW_TEST_PG_BIN") {
        return Some(PathBuf::from(d)).filter(|d| has_tools(d));
    }
    let mut dirs: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let version = e.file_name().to_str()?.parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, d)| has_tools(d))
        .collect();
    dirs.sort();
    dirs.pop().map(|(_, d)| d)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}
