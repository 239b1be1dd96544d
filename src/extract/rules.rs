//! Per-host site rules that override the heuristics.
//!
//! Two file formats in one directory:
//!
//! - `*.toml`, newsflow's own:
//!   ```toml
//!   hosts = ["example.com"]          # the host and its subdomains
//!   body = ["article .story-body"]   # CSS selectors, first that matches wins
//!   title = ["h1.headline"]
//!   author = [".byline a"]
//!   date = ["time[datetime]"]
//!   strip = [".newsletter-box", "#comments"]
//!   ```
//! - `*.txt`, the ftr-site-config format (FiveFilters / Full-Text RSS), named
//!   after the host (`example.com.txt`, `.example.com.txt`): `body:`,
//!   `title:`, `author:`, `date:`, `strip:` lines hold XPath, translated to
//!   CSS for the common subset; `strip_id_or_class:` holds a name; `tidy:`,
//!   `prune:` and the rest are accepted and ignored.
//!
//! Errors name the file and line.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use scraper::{Html, Selector};

use super::attrs::Attr;
use super::dom::Dom;

#[derive(Debug, Default)]
pub struct SiteRules {
    /// Lower-case host (without a leading dot) → index into `rules`.
    hosts: HashMap<String, usize>,
    rules: Vec<Rule>,
}

#[derive(Debug, Default)]
pub struct Rule {
    /// Where the rule came from, for diagnostics.
    pub source: String,
    pub body: Vec<Selector>,
    pub title: Vec<Selector>,
    pub author: Vec<Selector>,
    pub date: Vec<Selector>,
    pub strip: Vec<Selector>,
}

/// What a rule found on one page, as indices into the flat DOM.
#[derive(Debug, Default)]
pub struct Matched {
    pub body: Vec<usize>,
    pub strip: Vec<usize>,
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub date: Option<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlRule {
    hosts: Vec<String>,
    #[serde(default)]
    body: Vec<String>,
    #[serde(default)]
    title: Vec<String>,
    #[serde(default)]
    author: Vec<String>,
    #[serde(default)]
    date: Vec<String>,
    #[serde(default)]
    strip: Vec<String>,
}

impl SiteRules {
    /// Loads every `*.toml` and `*.txt` rule file in `dir` (not recursive).
    pub fn load_dir(dir: &Path) -> Result<SiteRules> {
        let mut rules = SiteRules::default();
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .with_context(|| format!("reading site rules directory {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for path in entries {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !matches!(ext, "toml" | "txt") || !path.is_file() {
                continue;
            }
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let name = path.display().to_string();
            if ext == "toml" {
                rules.add_toml(&name, &text)?;
            } else {
                let host = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("")
                    .trim_start_matches('.');
                rules.add_ftr(&name, host, &text)?;
            }
        }
        Ok(rules)
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    pub fn add_toml(&mut self, source: &str, text: &str) -> Result<()> {
        let raw: TomlRule = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or(1);
            anyhow::anyhow!("{source}:{line}: {}", e.message())
        })?;
        if raw.hosts.is_empty() {
            bail!("{source}:1: `hosts` must name at least one host");
        }
        let line_of = |needle: &str| {
            text.lines()
                .position(|l| l.contains(needle))
                .map_or(1, |p| p + 1)
        };
        let compile = |list: &[String]| -> Result<Vec<Selector>> {
            list.iter()
                .map(|s| {
                    Selector::parse(s).map_err(|e| {
                        anyhow::anyhow!("{source}:{}: bad CSS selector {s:?}: {e}", line_of(s))
                    })
                })
                .collect()
        };
        let rule = Rule {
            source: source.to_string(),
            body: compile(&raw.body)?,
            title: compile(&raw.title)?,
            author: compile(&raw.author)?,
            date: compile(&raw.date)?,
            strip: compile(&raw.strip)?,
        };
        let idx = self.rules.len();
        self.rules.push(rule);
        for h in raw.hosts {
            self.hosts
                .insert(h.trim().trim_start_matches('.').to_ascii_lowercase(), idx);
        }
        Ok(())
    }

    pub fn add_ftr(&mut self, source: &str, host: &str, text: &str) -> Result<()> {
        if host.is_empty() {
            bail!("{source}:1: the file name must be the host, like example.com.txt");
        }
        let mut rule = Rule {
            source: source.to_string(),
            ..Rule::default()
        };
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((key, value)) = line.split_once(':') else {
                bail!("{source}:{}: expected `directive: value`", n + 1);
            };
            let (key, value) = (key.trim(), value.trim());
            let xpath = |v: &str| -> Result<Selector> {
                let css =
                    xpath_to_css(v).map_err(|e| anyhow::anyhow!("{source}:{}: {e}", n + 1))?;
                Selector::parse(&css).map_err(|e| {
                    anyhow::anyhow!(
                        "{source}:{}: XPath {v:?} became bad CSS {css:?}: {e}",
                        n + 1
                    )
                })
            };
            match key {
                "body" => rule.body.push(xpath(value)?),
                "title" => rule.title.push(xpath(value)?),
                "author" => rule.author.push(xpath(value)?),
                "date" => rule.date.push(xpath(value)?),
                "strip" => rule.strip.push(xpath(value)?),
                "strip_id_or_class" => {
                    let name = value.trim_matches(['"', '\'']);
                    if name.is_empty() || name.contains(['"', '\\']) {
                        bail!("{source}:{}: strip_id_or_class needs a plain name", n + 1);
                    }
                    let css = format!("[class*=\"{name}\"], [id*=\"{name}\"]");
                    rule.strip.push(
                        Selector::parse(&css)
                            .map_err(|e| anyhow::anyhow!("{source}:{}: {e}", n + 1))?,
                    );
                }
                // Known directives with no meaning for a parser that already
                // tidies and prunes, or that need a network.
                "tidy"
                | "prune"
                | "autodetect_on_failure"
                | "test_url"
                | "test_contains"
                | "single_page_link"
                | "next_page_link"
                | "strip_image_src"
                | "convert_double_br_tags"
                | "dissolve"
                | "parser"
                | "find_string"
                | "replace_string"
                | "http_header"
                | "login_uri"
                | "login_username_field"
                | "login_password_field"
                | "not_logged_in_xpath"
                | "skip_json_ld"
                | "src_lazy_load_attr"
                | "insert_detected_image"
                | "move_into"
                | "wrap_in"
                | "native_ad_clue"
                | "if_page_contains" => {}
                k if k.starts_with("replace_string(")
                    || k.starts_with("http_header(")
                    || k.starts_with("wrap_in(") => {}
                other => bail!("{source}:{}: unknown directive `{other}`", n + 1),
            }
        }
        let idx = self.rules.len();
        self.rules.push(rule);
        self.hosts.insert(host.to_ascii_lowercase(), idx);
        Ok(())
    }

    /// The rule for a host: the host itself, else its nearest parent domain.
    pub fn for_host(&self, host: &str) -> Option<&Rule> {
        if self.rules.is_empty() {
            return None;
        }
        let host = host.to_ascii_lowercase();
        let mut h = host.as_str();
        loop {
            if let Some(&i) = self.hosts.get(h) {
                return Some(&self.rules[i]);
            }
            h = h.split_once('.')?.1;
            if !h.contains('.') {
                return None;
            }
        }
    }
}

impl Rule {
    pub fn apply(&self, doc: &Html, dom: &Dom) -> Matched {
        let index: HashMap<ego_tree::NodeId, usize> = dom
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.node_id, i))
            .collect();
        let pick = |sels: &[Selector]| -> Vec<usize> {
            sels.iter()
                .map(|s| {
                    doc.select(s)
                        .filter_map(|e| index.get(&e.id()).copied())
                        .collect::<Vec<_>>()
                })
                .find(|v| !v.is_empty())
                .unwrap_or_default()
        };
        let mut body = pick(&self.body);
        // Nested matches would render twice: keep the outermost.
        body.sort_unstable();
        let mut outer: Vec<usize> = Vec::new();
        for b in body {
            if !outer.last().is_some_and(|&o| dom.contains(o, b)) {
                outer.push(b);
            }
        }
        let strip = self
            .strip
            .iter()
            .flat_map(|s| doc.select(s).filter_map(|e| index.get(&e.id()).copied()))
            .collect();
        let title = pick(&self.title)
            .first()
            .map(|&i| dom.text_of(i))
            .filter(|t| !t.is_empty());
        let authors = pick(&self.author)
            .into_iter()
            .flat_map(|i| super::byline::author_names(&dom.text_of(i)))
            .collect();
        let date = pick(&self.date).first().map(|&i| {
            let n = &dom.nodes[i];
            n.attr(Attr::Datetime)
                .or_else(|| n.attr(Attr::Content))
                .map(str::to_string)
                .unwrap_or_else(|| dom.text_of(i))
        });
        Matched {
            body: outer,
            strip,
            title,
            authors,
            date,
        }
    }
}

/// Translates the XPath subset site configs use into a CSS selector:
/// `//tag`, `/tag` (child), `*`, predicates `[@a='v']`, `[@a]`,
/// `[contains(@a,'v')]`, `[starts-with(@a,'v')]`, the
/// `contains(concat(' ',normalize-space(@class),' '),' v ')` class idiom,
/// `and` inside a predicate, and `|` unions.
pub fn xpath_to_css(xpath: &str) -> Result<String, String> {
    let parts: Vec<String> = split_top(xpath, '|')
        .into_iter()
        .map(|p| one_path(p.trim()))
        .collect::<Result<_, _>>()?;
    Ok(parts.join(", "))
}

fn split_top(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0);
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '[' | '(') => depth += 1,
            (None, ']' | ')') => depth -= 1,
            (None, c) if c == sep && depth == 0 => {
                out.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn one_path(p: &str) -> Result<String, String> {
    let unsupported = |what: &str| Err(format!("unsupported XPath {what} in {p:?}"));
    let mut css = String::new();
    let mut rest = p;
    if rest.is_empty() {
        return unsupported("(empty)");
    }
    while !rest.is_empty() {
        let combinator = if let Some(r) = rest.strip_prefix("//") {
            rest = r;
            " "
        } else if let Some(r) = rest.strip_prefix('/') {
            rest = r;
            " > "
        } else if css.is_empty() {
            " "
        } else {
            return unsupported("step");
        };
        if !css.is_empty() {
            css.push_str(combinator);
        }
        let end = rest.find(['[', '/']).unwrap_or(rest.len());
        let tag = &rest[..end];
        if tag.is_empty()
            || !tag
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '-')
        {
            return unsupported("node test");
        }
        css.push_str(tag);
        rest = &rest[end..];
        while let Some(r) = rest.strip_prefix('[') {
            let close = matching_bracket(r).ok_or_else(|| format!("unbalanced [ in {p:?}"))?;
            for cond in r[..close].split(" and ") {
                css.push_str(
                    &predicate(cond.trim())
                        .ok_or_else(|| format!("unsupported XPath predicate [{cond}] in {p:?}"))?,
                );
            }
            rest = &r[close + 1..];
        }
    }
    Ok(css.trim().to_string())
}

fn matching_bracket(s: &str) -> Option<usize> {
    let (mut depth, mut quote) = (0i32, None::<char>);
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') if depth == 0 => return Some(i),
            (None, ']') => depth -= 1,
            _ => {}
        }
    }
    None
}

fn predicate(c: &str) -> Option<String> {
    let lit = |s: &str| -> Option<String> {
        let s = s.trim();
        let q = s.chars().next()?;
        (matches!(q, '\'' | '"') && s.ends_with(q) && s.len() >= 2)
            .then(|| s[1..s.len() - 1].replace('"', "\\\""))
    };
    let attr = |s: &str| -> Option<String> {
        let a = s.trim().strip_prefix('@')?;
        a.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':')
            .then(|| a.to_string())
    };
    if let Some(inner) = c
        .strip_prefix("contains(")
        .and_then(|r| r.strip_suffix(')'))
    {
        let parts = split_top(inner, ',');
        if parts.len() == 2 {
            let value = lit(parts[1])?;
            if let Some(a) = attr(parts[0]) {
                return Some(format!("[{a}*=\"{value}\"]"));
            }
            // contains(concat(' ', normalize-space(@class), ' '), ' name ')
            let compact: String = parts[0].chars().filter(|c| !c.is_whitespace()).collect();
            if compact.contains("normalize-space(@class)") && !value.trim().is_empty() {
                return Some(format!(".{}", value.trim()));
            }
        }
        return None;
    }
    if let Some(inner) = c
        .strip_prefix("starts-with(")
        .and_then(|r| r.strip_suffix(')'))
    {
        let parts = split_top(inner, ',');
        if parts.len() == 2 {
            return Some(format!("[{}^=\"{}\"]", attr(parts[0])?, lit(parts[1])?));
        }
        return None;
    }
    if let Some((a, v)) = c.split_once('=') {
        let a = attr(a)?;
        let v = lit(v)?;
        return Some(if a == "id" {
            format!("[id=\"{v}\"]")
        } else {
            format!("[{a}=\"{v}\"]")
        });
    }
    attr(c).map(|a| format!("[{a}]"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_common_xpath() {
        assert_eq!(
            xpath_to_css("//div[@class='x']").unwrap(),
            "div[class=\"x\"]"
        );
        assert_eq!(xpath_to_css("//*[@id='y']").unwrap(), "*[id=\"y\"]");
        assert_eq!(xpath_to_css("//article").unwrap(), "article");
        assert_eq!(
            xpath_to_css("//div[contains(@class,'x')]//p").unwrap(),
            "div[class*=\"x\"] p"
        );
        assert_eq!(
            xpath_to_css("//div[contains(concat(' ',normalize-space(@class),' '),' body ')]")
                .unwrap(),
            "div.body"
        );
        assert_eq!(
            xpath_to_css("//h1 | //h2[@itemprop]").unwrap(),
            "h1, h2[itemprop]"
        );
        assert_eq!(
            xpath_to_css("//div[@id='a']/p").unwrap(),
            "div[id=\"a\"] > p"
        );
        assert!(xpath_to_css("//div[position()=1]").is_err());
        assert!(xpath_to_css("//div/following-sibling::p").is_err());
    }

    #[test]
    fn ftr_errors_name_file_and_line() {
        let mut r = SiteRules::default();
        let err = r
            .add_ftr("x.com.txt", "x.com", "title: //h1\nbody: //div[last()]\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("x.com.txt:2:"), "{err}");
        let err = r
            .add_ftr("x.com.txt", "x.com", "# c\nbogus: 1\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("x.com.txt:2: unknown directive"), "{err}");
    }

    #[test]
    fn toml_errors_and_host_lookup() {
        let mut r = SiteRules::default();
        let err = r
            .add_toml("a.toml", "hosts = [\"a.com\"]\nbody = [\"div[\"]\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("a.toml:2: bad CSS selector"), "{err}");
        let err = r
            .add_toml("b.toml", "hosts = [\"b.com\"]\nbogus = 1\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("b.toml:2:"), "{err}");
        r.add_toml(
            "c.toml",
            "hosts = [\"example.com\"]\nbody = [\"article\"]\n",
        )
        .unwrap();
        assert!(r.for_host("www.example.com").is_some());
        assert!(r.for_host("example.org").is_none());
    }
}
