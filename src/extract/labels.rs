//! Boilerplate wording, by language: data, not code.
//!
//! Page furniture that carries no telling class name is recognised by its
//! words: a paragraph that is only a label ("Comments", "Kommentare"), a
//! line that starts with a "read also" lead-in followed by a link, or a
//! notice (paywall, typo report) that no article sentence contains. A
//! language is supported by adding its row; the matcher does not care which
//! language a page is in, since labels rarely collide across languages.

/// Whole-paragraph labels, lower case, compared after trimming punctuation.
pub const LABELS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "comments",
            "comment",
            "show comments",
            "view comments",
            "leave a comment",
            "leave a reply",
            "post a comment",
            "add a comment",
            "join the conversation",
            "advertisement",
            "advertising",
            "ad",
            "sponsored",
            "sponsored content",
            "share",
            "share this",
            "share this article",
            "share this story",
            "share this post",
            "share on facebook",
            "share on twitter",
            "tweet",
            "email",
            "print",
            "related",
            "related articles",
            "related stories",
            "related content",
            "related posts",
            "read more",
            "read also",
            "see also",
            "more on this",
            "more from",
            "tags",
            "topics",
            "continue reading",
            "continue reading below",
            "story continues below",
            "story continues below advertisement",
            "article continues below",
            "article continues below advertisement",
            "scroll to continue with content",
            "loading",
            "loading...",
            "click here",
            "subscribe",
            "sign up",
            "follow us",
            "back to top",
            "top",
            "skip to main content",
            "skip to content",
            "you may also like",
            "recommended",
            "recommended for you",
            "most popular",
            "most read",
            "trending",
            "newsletter",
            "photo",
            "image",
            "video",
            "close",
            "don't miss",
            "dont miss",
            "see more",
            "more stories",
            "more news",
            "this slideshow requires javascript.",
            "this slideshow requires javascript",
        ],
    ),
    (
        "de",
        &[
            "kommentare",
            "kommentar",
            "kommentieren",
            "anzeige",
            "werbung",
            "teilen",
            "artikel teilen",
            "drucken",
            "lesen sie auch",
            "auch interessant",
            "das könnte sie auch interessieren",
            "mehr zum thema",
            "verwandte artikel",
            "weitere artikel",
            "schlagworte",
            "meistgelesen",
            "weiterlesen",
        ],
    ),
    (
        "fr",
        &[
            "commentaires",
            "commentaire",
            "réagir",
            "publicité",
            "partager",
            "partager cet article",
            "imprimer",
            "à lire aussi",
            "lire aussi",
            "à lire également",
            "voir aussi",
            "sur le même sujet",
            "articles similaires",
            "articles liés",
            "mots-clés",
            "les plus lus",
        ],
    ),
    (
        "es",
        &[
            "comentarios",
            "comentario",
            "publicidad",
            "compartir",
            "imprimir",
            "te puede interesar",
            "también te puede interesar",
            "lee también",
            "lea también",
            "ver también",
            "noticias relacionadas",
            "artículos relacionados",
            "etiquetas",
            "lo más leído",
            "contenido patrocinado",
        ],
    ),
    (
        "pt",
        &[
            "comentários",
            "publicidade",
            "compartilhar",
            "partilhar",
            "leia também",
            "leia mais",
            "veja também",
            "notícias relacionadas",
            "mais lidas",
            "mais lidos",
        ],
    ),
    (
        "it",
        &[
            "commenti",
            "pubblicità",
            "condividi",
            "potrebbe interessarti anche",
            "articoli correlati",
            "i più letti",
        ],
    ),
    (
        "nl",
        &[
            "reacties",
            "advertentie",
            "delen",
            "lees ook",
            "gerelateerde artikelen",
            "meest gelezen",
        ],
    ),
    (
        "pl",
        &[
            "komentarze",
            "reklama",
            "udostępnij",
            "czytaj także",
            "czytaj też",
            "zobacz także",
            "zobacz też",
            "najczęściej czytane",
        ],
    ),
    (
        "cs",
        &[
            "komentáře",
            "diskuse",
            "sdílet",
            "čtěte také",
            "přečtěte si také",
            "související články",
            "nejčtenější",
        ],
    ),
    (
        "lv",
        &[
            "komentāri",
            "reklāma",
            "dalīties",
            "lasi arī",
            "saistītie raksti",
            "kļūda rakstā",
        ],
    ),
    (
        "ru",
        &[
            "комментарии",
            "реклама",
            "поделиться",
            "читайте также",
            "смотрите также",
            "по теме",
            "похожие статьи",
            "самое читаемое",
            "нашли ошибку",
        ],
    ),
    (
        "uk",
        &["коментарі", "поділитися", "читайте також", "дивіться також"],
    ),
    (
        "tr",
        &[
            "yorumlar",
            "reklam",
            "paylaş",
            "ilgili haberler",
            "bunlar da ilginizi çekebilir",
        ],
    ),
    (
        "ar",
        &[
            "التعليقات",
            "تعليقات",
            "إعلان",
            "شارك",
            "اقرأ أيضا",
            "اقرأ أيضاً",
            "مواضيع ذات صلة",
            "أخبار ذات صلة",
            "الأكثر قراءة",
        ],
    ),
    (
        "zh",
        &[
            "评论",
            "評論",
            "广告",
            "廣告",
            "分享",
            "分享到",
            "相关阅读",
            "相關閱讀",
            "相关新闻",
            "相關新聞",
            "相关文章",
            "延伸阅读",
            "延伸閱讀",
            "推荐阅读",
            "热门文章",
        ],
    ),
    (
        "ja",
        &[
            "コメント",
            "広告",
            "シェア",
            "関連記事",
            "関連ニュース",
            "あわせて読みたい",
            "おすすめ記事",
            "人気記事",
        ],
    ),
    (
        "ko",
        &[
            "댓글",
            "광고",
            "공유하기",
            "관련기사",
            "관련 기사",
            "추천기사",
            "많이 본 뉴스",
        ],
    ),
    (
        "th",
        &[
            "ความคิดเห็น",
            "แสดงความคิดเห็น",
            "โฆษณา",
            "แชร์",
            "เรื่องที่เกี่ยวข้อง",
            "ข่าวที่เกี่ยวข้อง",
            "อ่านเพิ่มเติม",
        ],
    ),
];

/// Lead-ins of "read also" lines: a line starting with one of these and a
/// colon, dash or arrow is a link to another story. Left out: lead-ins
/// that both dev sets' annotators keep as body ("Lire aussi :", "Leggi
/// anche"), where a link line in the text is part of the article.
pub const LEAD_INS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "read also",
            "also read",
            "read more",
            "see also",
            "see more",
            "related",
            "more",
            "recommended",
            "watch",
            "listen",
            "most read",
            "don't miss",
            "read next",
            "up next",
            "further reading",
            "more on this",
            "more on this story",
        ],
    ),
    (
        "de",
        &[
            "lesen sie auch",
            "lesen sie mehr",
            "mehr zum thema",
            "auch interessant",
        ],
    ),
    ("fr", &["voir aussi"]),
    (
        "es",
        &[
            "te puede interesar",
            "lee también",
            "lea también",
            "ver también",
        ],
    ),
    ("pt", &["leia também", "leia mais", "veja também"]),
    ("nl", &["lees ook"]),
    (
        "pl",
        &["czytaj także", "czytaj też", "zobacz także", "zobacz też"],
    ),
    ("cs", &["čtěte také", "přečtěte si také"]),
    ("lv", &["lasi arī"]),
    ("ru", &["читайте также", "смотрите также"]),
    ("uk", &["читайте також"]),
    ("ar", &["اقرأ أيضا", "اقرأ أيضاً"]),
    (
        "zh",
        &["相关阅读", "相關閱讀", "延伸阅读", "延伸閱讀", "推荐阅读"],
    ),
    ("ja", &["関連記事"]),
    ("ko", &["관련기사"]),
    ("th", &["อ่านเพิ่มเติม"]),
];

/// Phrases found only in notices: paywall prompts and "found a typo?"
/// widgets. A short paragraph holding one is dropped.
pub const NOTICES: &[(&str, &[&str])] = &[
    // Typo-report widgets, in any language.
    ("*", &["ctrl+enter", "ctrl + enter"]),
    (
        "en",
        &[
            "subscribe to continue reading",
            "subscribe to read the full",
            "this article is for subscribers only",
            "this content is for subscribers only",
            "already a subscriber? log in",
        ],
    ),
    (
        "de",
        &[
            "nur für abonnenten",
            "jetzt weiterlesen mit",
            "dieser artikel ist nur für",
        ],
    ),
    ("fr", &["réservé aux abonnés", "cet article est réservé"]),
    ("es", &["exclusivo para suscriptores"]),
    ("pt", &["exclusivo para assinantes"]),
    ("it", &["riservato agli abbonati"]),
    ("ja", &["会員限定", "続きをお読みいただけます"]),
    ("zh", &["付费内容", "訂閱後閱讀"]),
];

/// Last path segments (extension dropped) of the pages where sites keep
/// their legal texts and house rules.
const LEGAL_PAGES: &[&str] = &[
    "privacy",
    "privacy-policy",
    "privacy_policy",
    "privacypolicy",
    "terms",
    "terms-of-use",
    "terms_of_use",
    "terms-of-service",
    "terms-and-conditions",
    "tos",
    "guidelines",
    "community-guidelines",
    "community_guidelines",
    "house-rules",
    "cookie-policy",
    "cookies",
    "legal",
    "imprint",
    "impressum",
    "datenschutz",
    "datenschutzerklaerung",
    "nutzungsbedingungen",
    "agb",
    "mentions-legales",
    "cgu",
    "politica-de-privacidad",
    "aviso-legal",
    "privacidade",
];

/// Whether a link points at a privacy, terms or house-rules page: the
/// last step of its path, before any '.', is one of `LEGAL_PAGES`. Byte
/// searches, as the prescan asks this of every link on the page, of bytes
/// it has not checked for UTF-8.
pub fn is_legal_page(href: impl AsRef<[u8]>) -> bool {
    let b = href.as_ref();
    let mut path = &b[..memchr::memchr2(b'?', b'#', b).unwrap_or(b.len())];
    while let [rest @ .., b'/'] = path {
        path = rest;
    }
    let last = &path[memchr::memrchr(b'/', path).map_or(0, |k| k + 1)..];
    let stem = &last[..memchr::memchr(b'.', last).unwrap_or(last.len())];
    LEGAL_PAGES
        .iter()
        .any(|p| stem.eq_ignore_ascii_case(p.as_bytes()))
}

/// Every entry of a table, whatever its language.
pub fn all(table: &'static [(&str, &[&str])]) -> impl Iterator<Item = &'static str> {
    table.iter().flat_map(|(_, words)| words.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_pages_by_last_path_segment() {
        assert!(is_legal_page("/community_guidelines.html"));
        assert!(is_legal_page("https://example.com/privacy/?ref=footer"));
        assert!(is_legal_page("/de/Datenschutz"));
        // A story about a legal fight is not the legal page.
        assert!(!is_legal_page("/news/2019/legal-battle-over-terms"));
        assert!(!is_legal_page("/terms-of-trade-with-china.html"));
        // No slash, several slashes, a fragment, nothing at all.
        assert!(is_legal_page("Impressum"));
        assert!(is_legal_page("/a/tos.php//#top"));
        assert!(!is_legal_page("/privacy/x"));
        assert!(!is_legal_page(""));
        assert!(!is_legal_page("?privacy"));
    }
}
