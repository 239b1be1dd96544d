//! Data tables for tag cleaning, one row per language where the words
//! differ. Adding a language is adding rows here, not code.

/// Taxonomy prefixes a CMS writes before the tag itself ("Category: X").
/// Matched case-insensitively, followed by a colon.
pub const TAXONOMY_PREFIXES: &[&str] = &[
    // en
    "category",
    "categories",
    "section",
    "topic",
    "topics",
    "tag",
    "tags",
    "keyword",
    "keywords",
    "subject",
    "theme",
    // de
    "kategorie",
    "rubrik",
    "thema",
    "themen",
    "schlagwort",
    "schlagworte",
    // fr
    "catégorie",
    "rubrique",
    "sujet",
    "thème",
    "mots-clés",
    // es, pt, it
    "categoría",
    "sección",
    "tema",
    "etiqueta",
    "etiquetas",
    "categoria",
    "seção",
    "assunto",
    "argomento",
    "argomenti",
    // nl
    "categorie",
    "onderwerp",
    "rubriek",
    // ru
    "категория",
    "рубрика",
    "тема",
    "теги",
];

/// Prefixes of machine-made labels: the whole tag is dropped
/// ("NLP Category: Politics", "NLP Entity Tokens: ...").
pub const MACHINE_PREFIXES: &[&str] = &[
    "nlp ",
    "nlp:",
    "auto ",
    "autotag",
    "ai ",
    // A CMS's primary-placement fields ("Primary Region National").
    "primary region",
    "primary section",
    "primary category",
    "primary tag",
];

/// A CMS's placement labels written into its tags, compared
/// case-insensitively with the whole tag ("Region National"); a region's
/// own name ("Region Hannover") is a topic and stays.
pub const INTERNAL_LABELS: &[&str] = &[
    "region national",
    "region international",
    "region local",
    "region regional",
    "region world",
    "region state",
    "region metro",
];

/// Wire-service topic and region codes (Reuters, AP), compared with the
/// whole tag, case and all: they are codes only in capitals ("MEAST" is
/// Middle East desk, "ASXPAC" Asia ex-Pacific). Codes that are also words
/// or acronyms a reader would keep (`US`, `EU`, `NATO`) are not here.
pub const WIRE_CODES: &[&str] = &[
    "MEAST", "ASXPAC", "EMRG", "WEU", "EZONE", "MCE", "TOPNWS", "TOPNEWS", "TOPCMB", "DIP", "VIO",
    "CRIM", "MKTREP", "ECI", "INDU", "WASH", "LATAM", "AFRICA", "ASIA", "EUROP", "SWEUR", "CEEU",
    "PXP", "EXPLN", "RTRS", "ODD",
];

/// Entity-type words that taggers append or prepend in capitals
/// ("Mark Esper GOVERNMENT_FIGURE PERSON"); removed from the tag.
pub const ENTITY_TYPES: &[&str] = &[
    "PERSON",
    "POLITICIAN",
    "ORGANIZATION",
    "ORGANISATION",
    "LOCATION",
    "GPE",
    "PLACE",
    "COMPANY",
    "EVENT",
    "PRODUCT",
    "ATHLETE",
    "CELEBRITY",
    "NEWSMAKER",
];

/// Section headings and CMS defaults that describe the site, not the
/// article. Compared case-insensitively with the whole tag.
pub const SECTION_LABELS: &[&str] = &[
    // en
    "news",
    "all",
    "home",
    "homepage",
    "front page",
    "articles",
    "article",
    "uncategorized",
    "uncategorised",
    "general",
    "general news",
    "misc",
    "other",
    "top stories",
    "latest news",
    "breaking news",
    "show more",
    "more",
    "premium",
    "premium content",
    "trending",
    "featured",
    "top story",
    "video",
    "videos",
    "local",
    "no autolink",
    // content-type and placement labels of CMSs
    "tags",
    "tag",
    "feature",
    "features",
    "featured article",
    "featured-story",
    "front-page",
    "editor's picks",
    "exclusive",
    "story",
    "standard",
    // de
    "nachrichten",
    "themen",
    "startseite",
    "allgemein",
    "aktuell",
    "aktuelles",
    "meldungen",
    // fr
    "actualités",
    "actualites",
    "actualité",
    "accueil",
    "non classé",
    "à la une",
    // es
    "noticias",
    "portada",
    "sin categoría",
    "sin categoria",
    "actualidad",
    "últimas noticias",
    // pt
    "notícias",
    "noticias do dia",
    "sem categoria",
    "geral",
    "destaques",
    // it
    "notizie",
    "senza categoria",
    "generale",
    "primo piano",
    // nl
    "nieuws",
    "algemeen",
    "voorpagina",
    // ru
    "новости",
    "главное",
    "без рубрики",
    // ja, zh, ko
    "ニュース",
    "新聞",
    "新闻",
    "뉴스",
];

/// Endings of host names, for dropping tags that are a site's address.
pub const HOST_ENDINGS: &[&str] = &[
    ".com", ".org", ".net", ".co", ".uk", ".ca", ".de", ".fr", ".es", ".it", ".nl", ".ru", ".au",
    ".in", ".io", ".news", ".info", ".jp", ".cn", ".br",
];
