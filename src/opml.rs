//! OPML subscription lists (replaced by the full reader from the feed branch).
pub struct OpmlFeed {
    pub url: String,
    pub title: Option<String>,
    pub category: Option<String>,
}
pub fn read_file(p: &std::path::Path) -> anyhow::Result<Vec<OpmlFeed>> {
    anyhow::bail!("{}: OPML import not available yet", p.display())
}
pub fn to_toml(_f: &[OpmlFeed]) -> String {
    String::new()
}
