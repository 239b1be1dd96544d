//! When two feed items are the same item: the rule behind "emitted once".
//!
//! - An item is known by its id (RSS GUID, Atom id, JSON Feed id). An id in
//!   URI form (`http:`, `https:`, `urn:`, `tag:`) is meant to be unique
//!   everywhere and counts across feeds; a bare id (`"42"`) only means
//!   something inside its feed. An item whose URL changes while its id
//!   stays (an edited slug) is the same item.
//! - Without an id, it is known by its canonical link; without either, by a
//!   digest of what it says (title, text, date, authors, categories).
//!   Identical id-less, link-less entries of one document are told apart by
//!   their order among themselves, so none is lost.
//! - Within one document, an id that several entries with different links
//!   share is a publisher's mistake, not an identity: those entries are
//!   known by their links (the id is still recorded, so a later document
//!   where it is unique again does not bring them back).
//! - Across feeds, an item whose link another feed already emitted is that
//!   feed's article seen again, and is not emitted. Within one feed,
//!   distinct ids sharing a link stay distinct items (a sponsor who comes
//!   back with a new post).
//! - A link names no article, identifies nothing and is not fetched as the
//!   article's page when it is a site's front page, or when several ids of
//!   one document point to it (a podcast whose every episode links to the
//!   show's page).
//! - The event id derives from the article's link where it has one (not
//!   from the id that decides "emitted once"): feeds that list one article
//!   under their own ids agree on its link, so the id does not depend on
//!   which feed was polled first ([`ItemKeys::event_key`]).

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use url::Url;

use crate::event::digest;
use crate::feed::Item;

/// The keys recorded for an item when it is emitted, and the rule that
/// decides from them whether a later item is a duplicate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemKeys {
    /// The item's identity; each identity is emitted once. The event id
    /// derives from it.
    pub id: String,
    /// The article's link, for the rule across feeds.
    pub link: Option<LinkKeys>,
    /// Recorded with the item but never checked on their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
}

/// The same link keyed across all feeds and within the item's own feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkKeys {
    pub any_feed: String,
    pub this_feed: String,
}

impl ItemKeys {
    /// Whether the item was already emitted, given a lookup of recorded
    /// keys (`seen` may be asked about every key of [`ItemKeys::all`]).
    pub fn is_duplicate<E>(
        &self,
        mut seen: impl FnMut(&str) -> Result<bool, E>,
    ) -> Result<bool, E> {
        if seen(&self.id)? {
            return Ok(true);
        }
        match &self.link {
            // Another feed emitted this link, this feed never did.
            Some(l) if l.any_feed != self.id => Ok(seen(&l.any_feed)? && !seen(&l.this_feed)?),
            _ => Ok(false),
        }
    }

    /// The key the event `id` derives from: the canonical link when the
    /// item has an article link, else the identity. Two feeds that list
    /// one article under their own ids agree on its link, so the id does
    /// not depend on which feed was polled first. `link_taken`: this feed
    /// already emitted the link for another item (a sponsor back with a
    /// new post); that item owns the link's id, so this one keeps its own.
    pub fn event_key(&self, link_taken: bool) -> &str {
        match &self.link {
            Some(l) if !link_taken => &l.any_feed,
            _ => &self.id,
        }
    }

    /// Keys that, when already recorded, mean the link's id is taken:
    /// the link itself, unless it is the identity (then the item would be
    /// a duplicate, not emitted).
    pub fn link_key(&self) -> Option<&str> {
        self.link
            .as_ref()
            .map(|l| l.any_feed.as_str())
            .filter(|k| *k != self.id)
    }

    /// Every key to record when the item is emitted, identity first.
    pub fn all(&self) -> Vec<&str> {
        let mut keys = vec![self.id.as_str()];
        if let Some(l) = &self.link {
            if l.any_feed != self.id {
                keys.push(&l.any_feed);
            }
            keys.push(&l.this_feed);
        }
        keys.extend(self.also.iter().map(String::as_str));
        keys
    }
}

/// The keys of every item of one feed document, in document order.
pub fn document_keys(feed_url: &Url, items: &[Item]) -> Vec<ItemKeys> {
    let ids: Vec<Option<String>> = items
        .iter()
        .map(|i| guid_key(feed_url, i.guid.as_deref()))
        .collect();
    let links = article_links(items, &ids);
    let ambiguous = ambiguous_ids(&ids, &links);
    let mut twins: HashMap<String, usize> = HashMap::new();
    items
        .iter()
        .zip(ids.iter().zip(&links))
        .map(|(item, (id, link))| {
            let link_keys = link.as_ref().map(|l| LinkKeys {
                any_feed: format!("link:{l}"),
                this_feed: format!("feedlink:{feed_url}\n{l}"),
            });
            let (id, also) = match id {
                Some(id) if !ambiguous.contains(id.as_str()) => (id.clone(), Vec::new()),
                id => {
                    let id_key = match &link_keys {
                        Some(l) => l.any_feed.clone(),
                        None => content_id(feed_url, item, &mut twins),
                    };
                    (id_key, id.iter().cloned().collect())
                }
            };
            ItemKeys {
                id,
                link: link_keys,
                also,
            }
        })
        .collect()
}

/// Each item's canonical link, `None` where the link names no article: a
/// front page, or a link several ids of the document point to (a hub: a
/// show's page, a sponsor's site), which is not any one item's article.
fn article_links(items: &[Item], ids: &[Option<String>]) -> Vec<Option<String>> {
    let links: Vec<Option<String>> = items
        .iter()
        .map(|i| {
            i.link
                .as_ref()
                .filter(|l| names_an_article(l))
                .map(canonical_link)
        })
        .collect();
    let mut ids_per_link: HashMap<&str, HashSet<&str>> = HashMap::new();
    for (id, link) in ids.iter().zip(&links) {
        if let (Some(id), Some(link)) = (id, link) {
            ids_per_link.entry(link).or_default().insert(id);
        }
    }
    let hub = |l: &str| ids_per_link.get(l).is_some_and(|ids| ids.len() > 1);
    links
        .iter()
        .map(|l| l.clone().filter(|l| !hub(l)))
        .collect()
}

/// Ids that entries of the document carry with different links.
fn ambiguous_ids<'a>(ids: &'a [Option<String>], links: &'a [Option<String>]) -> HashSet<&'a str> {
    let mut first_link: HashMap<&str, &Option<String>> = HashMap::new();
    let mut ambiguous: HashSet<&str> = HashSet::new();
    for (id, link) in ids.iter().zip(links) {
        if let Some(id) = id {
            let first = *first_link.entry(id).or_insert(link);
            if first != link {
                ambiguous.insert(id);
            }
        }
    }
    ambiguous
}

/// The content digest of an item with neither id nor link; identical
/// entries of one document are told apart by their order (`twins` counts
/// them).
fn content_id(feed_url: &Url, item: &Item, twins: &mut HashMap<String, usize>) -> String {
    let key = content_key(feed_url, item);
    let n = twins.entry(key.clone()).or_default();
    *n += 1;
    if *n == 1 {
        key
    } else {
        format!("{key}#{}", *n - 1)
    }
}

/// The keys of an item seen on its own (no document around it).
pub fn item_keys(feed_url: &Url, item: &Item) -> ItemKeys {
    document_keys(feed_url, std::slice::from_ref(item))
        .pop()
        .expect("one item, one set of keys")
}

fn guid_key(feed_url: &Url, guid: Option<&str>) -> Option<String> {
    let guid = guid.map(str::trim).filter(|g| !g.is_empty())?;
    let global = guid.split_once(':').is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && ["http", "https", "urn", "tag"]
                .iter()
                .any(|s| s.eq_ignore_ascii_case(scheme))
    });
    Some(if global {
        format!("guid:{guid}")
    } else {
        format!("guid:{feed_url}\n{guid}")
    })
}

/// What an item says, within its feed: an edited item then counts as new,
/// which beats losing it.
fn content_key(feed_url: &Url, item: &Item) -> String {
    let published = item.published.map(|d| d.to_rfc3339()).unwrap_or_default();
    let authors = item.authors.join("\n");
    let categories = item.categories.join("\n");
    let fields = [
        item.title.as_deref().unwrap_or(""),
        item.summary.as_deref().unwrap_or(""),
        item.content.as_deref().unwrap_or(""),
        &published,
        &authors,
        &categories,
    ];
    format!("content:{feed_url}\n{}", digest(&fields))
}

/// False for a site's front page, which feeds give as the link of items
/// that have no page of their own.
fn names_an_article(link: &Url) -> bool {
    !(matches!(link.path(), "" | "/") && link.query().is_none() && link.fragment().is_none())
}

/// The link with what does not name the article removed: tracking
/// parameters (utm_*, fbclid, gclid, mc_cid, mc_eid). The fragment stays:
/// old-style blogs give each post of a daily page its own anchor.
pub fn canonical_link(link: &Url) -> String {
    let mut u = link.clone();
    if u.query().is_some() {
        let kept: Vec<(String, String)> = u
            .query_pairs()
            .filter(|(k, _)| {
                let k = k.to_ascii_lowercase();
                !(k.starts_with("utm_")
                    || matches!(k.as_str(), "fbclid" | "gclid" | "mc_cid" | "mc_eid"))
            })
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if kept.is_empty() {
            u.set_query(None);
        } else {
            u.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    u.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn item(guid: Option<&str>, link: Option<&str>, title: &str) -> Item {
        Item {
            guid: guid.map(Into::into),
            link: link.map(url),
            title: Some(title.into()).filter(|t: &String| !t.is_empty()),
            ..Item::default()
        }
    }

    /// A store in miniature: what `claim` does, without the outbox.
    #[derive(Default)]
    struct Seen(HashSet<String>);

    impl Seen {
        fn emit(&mut self, keys: &ItemKeys) -> bool {
            let dup = keys
                .is_duplicate(|k| Ok::<_, ()>(self.0.contains(k)))
                .unwrap();
            if !dup {
                self.0.extend(keys.all().into_iter().map(String::from));
            }
            !dup
        }

        /// Polls one document: how many of its items are emitted.
        fn poll(&mut self, feed: &str, items: &[Item]) -> usize {
            let mut here = HashSet::new();
            document_keys(&url(feed), items)
                .iter()
                .filter(|k| here.insert(k.id.clone()) && self.emit(k))
                .count()
        }
    }

    #[test]
    fn tracking_parameters_and_fragments_do_not_make_a_new_item() {
        let a = url("https://Example.org/a?id=3&utm_source=x");
        let b = url("https://example.org/a?id=3");
        assert_eq!(canonical_link(&a), canonical_link(&b));
        let post = url("http://example.org/2002/09/29#When:6:52:02PM");
        assert_eq!(canonical_link(&post), post.as_str());
        let c = url("https://example.org/a?utm_medium=rss");
        assert_eq!(canonical_link(&c), "https://example.org/a");
    }

    #[test]
    fn the_id_is_the_identity_and_uri_ids_count_across_feeds() {
        let feed = url("http://f/rss");
        let bare = item_keys(
            &feed,
            &item(Some(" 42 "), Some("http://x/a?utm_campaign=c"), ""),
        );
        assert_eq!(bare.id, "guid:http://f/rss\n42");
        assert_eq!(
            bare.all(),
            [
                "guid:http://f/rss\n42",
                "link:http://x/a",
                "feedlink:http://f/rss\nhttp://x/a"
            ]
        );
        let uri = item_keys(&feed, &item(Some("tag:x.org,2024:1"), None, ""));
        assert_eq!(uri.id, "guid:tag:x.org,2024:1");
        let mut s = Seen::default();
        assert_eq!(
            s.poll(
                "http://f/a",
                &[item(Some("urn:uuid:1"), Some("http://x/1"), "")]
            ),
            1
        );
        assert_eq!(
            s.poll(
                "http://f/b",
                &[item(Some("urn:uuid:1"), Some("http://mirror/1"), "")]
            ),
            0,
            "a URI id is the same item in any feed"
        );
        assert_eq!(
            s.poll("http://f/b", &[item(Some("1"), Some("http://y/1"), "")]),
            1
        );
        assert_eq!(
            s.poll("http://f/c", &[item(Some("1"), Some("http://z/1"), "")]),
            1,
            "a bare id means nothing outside its feed"
        );
    }

    #[test]
    fn the_event_key_is_the_link_whoever_lists_it() {
        let a = item_keys(
            &url("http://f/a"),
            &item(Some("a-1"), Some("http://x/s"), ""),
        );
        let b = item_keys(
            &url("http://f/b"),
            &item(Some("b-9"), Some("http://x/s?utm_source=b"), ""),
        );
        assert_ne!(a.id, b.id);
        assert_eq!(a.event_key(false), "link:http://x/s");
        assert_eq!(a.event_key(false), b.event_key(false));
        assert_eq!(a.link_key(), Some("link:http://x/s"));
        // Taken by an earlier item of the feed: the item's own identity.
        assert_eq!(a.event_key(true), a.id);
        let uri = item_keys(
            &url("http://f/a"),
            &item(Some("urn:1"), Some("http://x/s"), ""),
        );
        assert_eq!(uri.event_key(false), "link:http://x/s");
        let no_link = item_keys(&url("http://f/a"), &item(Some("7"), None, ""));
        assert_eq!(no_link.event_key(false), no_link.id);
        assert_eq!(no_link.link_key(), None);
        let no_id = item_keys(&url("http://f/a"), &item(None, Some("http://x/s"), ""));
        assert_eq!(no_id.link_key(), None, "the link is the identity");
        assert_eq!(no_id.event_key(false), "link:http://x/s");
    }

    #[test]
    fn an_edited_link_keeps_the_item_and_a_repeat_is_not_new() {
        let mut s = Seen::default();
        let feed = "http://f/rss";
        assert_eq!(
            s.poll(feed, &[item(Some("7"), Some("http://x/old-slug"), "A")]),
            1
        );
        assert_eq!(
            s.poll(feed, &[item(Some("7"), Some("http://x/new-slug"), "A!")]),
            0
        );
        let twice = [
            item(Some("8"), Some("http://x/8"), "B"),
            item(Some("8"), Some("http://x/8"), "B"),
        ];
        assert_eq!(s.poll(feed, &twice), 1);
        let no_id = [
            item(None, Some("http://x/9"), "C"),
            item(None, Some("http://x/9?utm_source=t"), "C"),
        ];
        assert_eq!(s.poll(feed, &no_id), 1);
    }

    #[test]
    fn the_same_link_is_one_article_across_feeds_but_not_within_one() {
        let mut s = Seen::default();
        assert_eq!(
            s.poll(
                "http://f/world",
                &[item(Some("w1"), Some("http://x/story"), "")]
            ),
            1
        );
        assert_eq!(
            s.poll(
                "http://f/top",
                &[item(Some("t1"), Some("http://x/story"), "")]
            ),
            0
        );
        assert_eq!(
            s.poll("http://f/top", &[item(None, Some("http://x/story"), "")]),
            0
        );
        // Episodes that all link to the show page, one poll at a time.
        let show = "http://pod/show";
        assert_eq!(
            s.poll(show, &[item(Some("ep1"), Some("http://pod/shows/a"), "")]),
            1
        );
        assert_eq!(
            s.poll(show, &[item(Some("ep2"), Some("http://pod/shows/a"), "")]),
            1
        );
        let both = [
            item(Some("ep3"), Some("http://pod/shows/a"), ""),
            item(Some("ep2"), Some("http://pod/shows/a"), ""),
        ];
        assert_eq!(s.poll(show, &both), 1);
    }

    #[test]
    fn an_id_shared_by_different_links_is_no_identity() {
        let mut s = Seen::default();
        let feed = "http://f/rss";
        assert_eq!(
            s.poll(feed, &[item(Some("dup"), Some("http://x/a"), "A")]),
            1
        );
        let shared = [
            item(Some("dup"), Some("http://x/a"), "A"),
            item(Some("dup"), Some("http://x/b"), "B"),
            item(Some("dup"), None, "C"),
        ];
        assert_eq!(s.poll(feed, &shared), 2, "B and C are new, A is not");
        assert_eq!(s.poll(feed, &shared), 0);
        assert_eq!(
            s.poll(feed, &[item(Some("dup"), Some("http://x/b"), "B")]),
            0,
            "unique again, the id is recorded"
        );
    }

    #[test]
    fn items_without_id_or_link_are_known_by_content_and_twins_by_order() {
        let feed = url("http://f/rss");
        let bare = item(None, None, "Only a title");
        let keys = item_keys(&feed, &bare);
        assert!(keys.id.starts_with("content:http://f/rss\n"), "{}", keys.id);
        let other = item_keys(&feed, &item(None, None, "Another title"));
        assert_ne!(keys.id, other.id, "the content is what identifies it");
        let mut s = Seen::default();
        let empties = [Item::default(), Item::default(), bare.clone()];
        assert_eq!(s.poll(feed.as_str(), &empties), 3);
        assert_eq!(s.poll(feed.as_str(), &empties), 0);
    }

    #[test]
    fn a_front_page_link_names_no_article() {
        assert!(!names_an_article(&url("http://x.org/")));
        assert!(names_an_article(&url("http://x.org/#post-3")));
        assert!(names_an_article(&url("http://x.org/?p=3")));
        let mut s = Seen::default();
        let items = [
            item(None, Some("http://x.org/"), "One"),
            item(None, Some("http://x.org/"), "Two"),
        ];
        assert_eq!(s.poll("http://f/rss", &items), 2);
        assert!(item_keys(&url("http://f/rss"), &items[0]).link.is_none());
    }

    #[test]
    fn a_link_several_ids_share_is_a_hub_in_any_feed() {
        let mut s = Seen::default();
        let shows = |feed: &str| {
            [
                item(
                    Some(&format!("{feed}-2")),
                    Some("http://net.example/shows"),
                    "",
                ),
                item(
                    Some(&format!("{feed}-1")),
                    Some("http://net.example/shows"),
                    "",
                ),
            ]
        };
        assert_eq!(s.poll("http://net.example/a.xml", &shows("a")), 2);
        assert_eq!(s.poll("http://net.example/b.xml", &shows("b")), 2);
        let keys = document_keys(&url("http://net.example/a.xml"), &shows("a"));
        assert!(keys.iter().all(|k| k.link.is_none()));
    }
}
