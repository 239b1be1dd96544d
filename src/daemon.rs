//! Daemon.
use crate::config::Config;
pub async fn run_until_signal(
    _c: Config,
    _p: std::path::PathBuf,
    _once: bool,
) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
pub fn print_status(_c: &Config, _w: &mut dyn std::io::Write) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
