//! Configuration.
use std::path::Path;

#[derive(Debug)]
pub struct Config {
    pub feeds: Vec<FeedConfig>,
}
#[derive(Debug)]
pub struct FeedConfig {
    pub enabled: bool,
}
#[derive(Debug, thiserror::Error)]
#[error("config errors")]
pub struct ConfigErrors;
pub fn load(_p: &Path) -> anyhow::Result<Config> {
    anyhow::bail!("not yet")
}
