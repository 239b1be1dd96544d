//! Tags shown on the page: `rel=tag` links and links inside boxes named for
//! tags ("post-tags", "tag-list", "keywords"), in page order, never from
//! menus, headers, footers or sidebars.

use super::attrs::Attr;
use super::dom::{Dom, NONE};

/// A box with more links than this is a tag cloud or a menu, not the
/// article's own tags.
const MAX_LINKS: usize = 25;
/// Longer link texts are headlines, not tags.
const MAX_TAG_CHARS: usize = 50;

pub fn visible_tags(dom: &Dom, rel_tags: &[(usize, String)]) -> Vec<String> {
    let mut found: Vec<(usize, String)> = Vec::new();
    let mut i = 0;
    let n = dom.len();
    while i < n {
        let node = &dom.nodes[i];
        if !node.is_element()
            || matches!(
                node.name,
                "html" | "body" | "a" | "script" | "meta" | "link"
            )
        {
            i += 1;
            continue;
        }
        if !node.tag_box || in_furniture(dom, i) {
            i += 1;
            continue;
        }
        let links: Vec<usize> = (i..node.end as usize)
            .filter(|&j| dom.nodes[j].name == "a")
            .collect();
        if !links.is_empty() && links.len() <= MAX_LINKS {
            for j in links {
                let t = dom.text_of(j);
                if !t.is_empty() && t.chars().count() <= MAX_TAG_CHARS {
                    found.push((j, t));
                }
            }
            i = node.end as usize;
            continue;
        }
        i += 1;
    }
    for (j, t) in rel_tags {
        if !found.iter().any(|(k, _)| k == j)
            && !in_furniture(dom, *j)
            && t.chars().count() <= MAX_TAG_CHARS
        {
            found.push((*j, t.clone()));
        }
    }
    found.sort_by_key(|(j, _)| *j);
    found.into_iter().map(|(_, t)| t).collect()
}

/// Inside site navigation, a page header/footer, or a sidebar. A footer
/// inside the article (where blogs put their tag list) does not count.
fn in_furniture(dom: &Dom, i: usize) -> bool {
    let mut p = dom.nodes[i].parent;
    let mut page_band = false;
    while p != NONE {
        let node = &dom.nodes[p as usize];
        match node.name {
            "nav" | "aside" => return true,
            "header" | "footer" => page_band = true,
            "article" | "main" => page_band = false,
            _ => {}
        }
        if node
            .attr(Attr::Role)
            .is_some_and(|r| r == "navigation" || r == "complementary")
        {
            return true;
        }
        let ci = dom.class_id(p as usize);
        if ci.contains("sidebar")
            || ci.contains("menu")
            || ci.contains("widget")
            || ci.contains("cloud")
        {
            return true;
        }
        p = node.parent;
    }
    page_band
}
