//! robots.txt (RFC 9309) for article page fetches, when `[fetch] robots`
//! is on: the group for our product token (else `*`), longest match wins,
//! `Allow` wins a tie, `*` and `$` patterns.

/// The rules that apply to one user agent on one host.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Robots {
    /// (allow, pattern)
    rules: Vec<(bool, String)>,
}

impl Robots {
    /// Everything allowed (no robots.txt, or a 4xx for it).
    pub fn allow_all() -> Self {
        Robots::default()
    }

    /// Nothing allowed.
    pub fn disallow_all() -> Self {
        Robots {
            rules: vec![(false, "/".into())],
        }
    }

    /// Parses a robots.txt for the user agent whose product token is
    /// `agent` (e.g. "newsflow").
    pub fn parse(text: &str, agent: &str) -> Self {
        let agent = agent.to_ascii_lowercase();
        let mut specific: Option<Vec<(bool, String)>> = None;
        let mut star: Option<Vec<(bool, String)>> = None;
        let mut group_agents: Vec<String> = Vec::new();
        let mut group_rules: Vec<(bool, String)> = Vec::new();
        let mut in_rules = false;
        let mut finish = |agents: &mut Vec<String>, rules: &mut Vec<(bool, String)>| {
            for a in agents.iter() {
                if a == "*" {
                    star.get_or_insert_with(Vec::new)
                        .extend(rules.iter().cloned());
                } else if agent.starts_with(a.as_str()) || a.starts_with(agent.as_str()) {
                    specific
                        .get_or_insert_with(Vec::new)
                        .extend(rules.iter().cloned());
                }
            }
            agents.clear();
            rules.clear();
        };
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if in_rules {
                        finish(&mut group_agents, &mut group_rules);
                        in_rules = false;
                    }
                    group_agents.push(value.to_ascii_lowercase());
                }
                "allow" | "disallow" => {
                    in_rules = true;
                    // An empty Disallow allows everything: no rule.
                    if !value.is_empty() {
                        group_rules.push((key == "allow", value.to_string()));
                    }
                }
                _ => {}
            }
        }
        finish(&mut group_agents, &mut group_rules);
        Robots {
            rules: specific.or(star).unwrap_or_default(),
        }
    }

    /// Whether `path` (path and query of the URL) may be fetched.
    pub fn allowed(&self, path: &str) -> bool {
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches(pattern, path) {
                let len = pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, *allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }
}

/// Robots pattern match: a prefix match where `*` matches any run and a
/// final `$` anchors the end.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut pos = 0;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            if !path.starts_with(part) {
                return false;
            }
            pos = part.len();
        } else if i == parts.len() - 1 && anchored {
            return path.len() >= pos + part.len() && path.ends_with(part);
        } else {
            match path[pos..].find(part) {
                Some(at) => pos += at + part.len(),
                None => return false,
            }
        }
    }
    !anchored || pos == path.len() || (parts.len() > 1 && parts.last() == Some(&""))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXT: &str = "
# comments are ignored
User-agent: *
Disallow: /private/
Disallow: /*.pdf$

User-agent: newsflow
User-agent: other
Disallow: /drafts/
Allow: /drafts/public
Disallow: /search
";

    #[test]
    fn our_group_wins_over_star() {
        let r = Robots::parse(TXT, "newsflow");
        assert!(!r.allowed("/drafts/x"));
        assert!(r.allowed("/drafts/public/story"));
        assert!(!r.allowed("/search?q=1"));
        // The * group does not apply when a specific group exists.
        assert!(r.allowed("/private/x"));
    }

    #[test]
    fn star_group_applies_to_others() {
        let r = Robots::parse(TXT, "somebot");
        assert!(!r.allowed("/private/x"));
        assert!(!r.allowed("/files/a.pdf"));
        assert!(r.allowed("/files/a.pdf?download=1"));
        assert!(r.allowed("/news/story"));
    }

    #[test]
    fn empty_disallow_and_wildcards() {
        let r = Robots::parse("User-agent: *\nDisallow:\n", "newsflow");
        assert!(r.allowed("/anything"));
        let r = Robots::parse("User-agent: *\nDisallow: /a*b\nAllow: /a*b$\n", "newsflow");
        assert!(!r.allowed("/axxbyy"));
        assert!(r.allowed("/axxb"));
        assert!(!Robots::disallow_all().allowed("/"));
    }
}
