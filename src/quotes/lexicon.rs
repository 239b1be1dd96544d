//! Small bundled word lists: speech verbs, titles, organisation words and
//! common given names (for telling people from places and for gender).

use std::collections::HashSet;
use std::sync::LazyLock;

/// A word list as a set, built on first use.
pub type WordSet = LazyLock<HashSet<&'static str>>;

macro_rules! word_sets {
    ($($set:ident = $list:path;)*) => {
        $(pub static $set: WordSet = LazyLock::new(|| $list.iter().copied().collect());)*
    };
}

word_sets! {
    CUE_VERBS_SET = CUE_VERBS;
    WEAK_CUES_SET = WEAK_CUES;
    NOUN_LIKE_SET = NOUN_LIKE;
    NAMING_CUES_SET = NAMING_CUES;
    TITLES_SET = TITLES;
    ORG_WORDS_SET = ORG_WORDS;
    CAP_STOP_SET = CAP_STOP;
    PLATFORMS_SET = PLATFORMS;
    NAME_PARTICLES_SET = NAME_PARTICLES;
    DEMONYM_LIKE_SET = DEMONYM_LIKE;
    FEMALE_NAMES_SET = FEMALE_NAMES;
    MALE_NAMES_SET = MALE_NAMES;
    GENERIC_TITLES_SET = GENERIC_TITLES;
}

/// Speech and attribution verbs, all inflections listed so that matching is
/// a plain lookup.
pub const CUE_VERBS: &[&str] = &[
    "say", "says", "said", "saying", "tell", "tells", "told", "telling", "add", "adds", "added",
    "adding", "write", "writes", "wrote", "writing", "tweet", "tweets", "tweeted", "tweeting",
    "post", "posts", "posted", "note", "notes", "noted", "noting", "state", "states", "stated",
    "stating", "explain", "explains", "explained", "explaining", "claim", "claims", "claimed",
    "claiming", "announce", "announces", "announced", "announcing", "remark", "remarks",
    "remarked", "comment", "comments", "commented", "commenting", "continue", "continues",
    "continued", "ask", "asks", "asked", "asking", "reply", "replies", "replied", "respond",
    "responds", "responded", "argue", "argues", "argued", "arguing", "insist", "insists",
    "insisted", "warn", "warns", "warned", "warning", "declare", "declares", "declared",
    "describe", "describes", "described", "describing", "call", "calls", "called", "calling",
    "characterise", "characterised", "characterize", "characterized", "recall", "recalls",
    "recalled", "suggest", "suggests", "suggested", "affirm", "affirms", "affirmed", "confirm",
    "confirms", "confirmed", "acknowledge", "acknowledged", "admit", "admits", "admitted",
    "conclude", "concludes", "concluded", "agree", "agreed", "disagree", "disagreed", "allege",
    "alleges", "alleged", "cite", "cites", "cited", "citing", "indicate", "indicates",
    "indicated", "read", "reads", "report", "reports", "reported", "urge", "urges", "urged",
    "predict", "predicted", "promise", "promised", "vow", "vowed", "emphasise", "emphasised",
    "emphasize", "emphasized", "stress", "stressed", "mention", "mentioned", "speak", "speaks",
    "spoke", "speaking", "criticise", "criticised", "criticize", "criticized", "defend",
    "defended", "answer", "answered", "exclaim", "exclaimed", "shout", "shouted", "added",
    "reiterate", "reiterated", "observe", "observed", "joke", "joked", "testify", "testified",
    "tout", "touted", "decide", "decided", "find", "found", "rule", "ruled", "point",
    "pointed", "went", "go", "goes", "recount", "recounted", "quip", "quipped", "contend",
    "contended", "maintain", "maintained", "assert", "asserted", "admitted", "wonder",
    "wondered", "concede", "conceded", "boast", "boasted", "complain", "complained", "lament",
    "lamented", "denounce", "denounced", "condemn", "condemned", "praise", "praised", "thank",
    "thanked", "welcome", "welcomed", "describe", "dub", "dubbed", "label", "labelled",
    "labeled", "term", "termed", "reveal", "reveals", "revealed", "inform", "informs",
    "informed", "refer", "refers", "referred", "disclose", "disclosed", "recalling",
    "explaining", "arguing", "insisting", "noting", "wrote", "quoted", "share", "shares",
    "shared", "sharing",
];

/// Third-person forms that are more often plural nouns ("his comments");
/// they count only right after a name or pronoun.
pub const NOUN_LIKE: &[&str] = &[
    "comments", "remarks", "claims", "reports", "notes", "posts", "calls", "tweets",
    "answers", "replies", "states", "statements", "warns", "reads", "thanks", "hopes",
    "points", "cites", "urges", "stresses", "vows", "promises", "concludes",
];

/// Cue verbs that only count when the quotation follows them closely; on
/// their own they are too common ("found", "decided", "went").
pub const WEAK_CUES: &[&str] = &[
    "find", "found", "rule", "ruled", "decide", "decided", "believe", "believes", "think",
    "thinks", "hope", "hopes", "hoped", "feel", "feels", "felt", "went", "go", "goes", "read",
    "post", "posts", "posted", "report", "reports", "reported", "point", "pointed", "state",
    "states", "call", "calls", "calling", "welcome", "welcomed", "thank", "thanked", "praise",
    "praised", "term", "note", "notes",
];

/// Words that turn a following quotation into a name, title or term.
pub const NAMING_CUES: &[&str] = &[
    "nicknamed", "dubbed", "named", "titled", "entitled", "known", "so-called", "hashtag",
    "slogan", "motto", "song", "songs", "film", "films", "movie", "movies", "book", "books",
    "novel", "album", "documentary", "series", "programme", "poem", "painting", "word",
    "term", "phrase", "sign", "signs", "banner", "banners", "placard", "placards", "headline",
    "codenamed", "branded", "renamed", "episode", "exhibition", "podcast", "chanting",
    "chanted", "chants", "nickname", "moniker",
];

/// Titles, roles and honorifics stripped from names.
pub const TITLES: &[&str] = &[
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "miss", "dr", "dr.", "sir", "dame", "lord", "lady",
    "prof", "prof.", "professor", "president", "vice", "prime", "minister", "premier",
    "chancellor", "senator", "sen", "sen.", "rep", "rep.", "representative", "gov", "gov.",
    "governor", "mayor", "secretary", "general", "secretary-general", "gen", "gen.", "judge",
    "justice", "chief", "spokesman", "spokeswoman", "spokesperson", "ambassador", "king",
    "queen", "prince", "princess", "pope", "cardinal", "archbishop", "bishop", "rev", "rev.",
    "reverend", "father", "sheriff", "officer", "lt", "col", "sgt", "capt", "captain", "former",
    "deputy", "acting", "interim", "commissioner", "chairman", "chairwoman", "chairperson",
    "chair", "director", "ceo", "founder", "co-founder", "leader", "speaker", "mp", "qc",
    "attorney", "envoy", "inspector", "detective", "superintendent", "constable", "coach",
    "manager", "executive", "editor", "author", "co-author", "lead", "head", "member",
    "interior", "foreign", "health", "defence", "defense", "finance", "home", "education",
    "trade", "first", "state", "special", "presidential", "councillor", "councilor",
    "congressman", "congresswoman", "assemblyman", "assemblywoman", "doctor", "dean",
    "rabbi", "imam", "sheikh", "emir", "sultan", "colonel", "major", "sergeant", "lieutenant",
    "admiral", "marshal", "commander", "spokesmen", "saint", "st", "senior", "junior",
    "associate", "assistant", "professor", "economist", "analyst", "researcher", "scientist",
    "candidate", "student", "protester", "activist", "lawyer", "prosecutor", "defender",
    "pastor", "chancellor", "press", "officer", "foreign", "chairperson", "vice-president",
    "then-secretary", "ex-prime", "mrs", "madam", "mme", "herr", "frau", "senhor",
];

/// Words marking an organisation, court, outlet or body.
pub const ORG_WORDS: &[&str] = &[
    "ministry", "department", "court", "council", "police", "forces", "force", "party",
    "union", "agency", "commission", "committee", "office", "university", "institute",
    "college", "school", "company", "corporation", "corp", "inc", "ltd", "llc", "group",
    "association", "bank", "fund", "organization", "organisation", "government", "service",
    "services", "army", "navy", "military", "news", "times", "post", "journal", "network",
    "channel", "tv", "radio", "board", "authority", "administration", "foundation", "society",
    "trust", "federation", "league", "club", "church", "senate", "parliament", "assembly",
    "congress", "house", "embassy", "hospital", "airline", "airlines", "airways",
    "international", "coalition", "alliance", "front", "movement", "brigade", "centre",
    "center", "bureau", "cabinet", "kremlin", "pentagon", "secretariat", "tribunal",
    "prosecutors", "prosecutor's", "museum", "observatory", "laboratory", "laboratories",
    "foundation", "programme", "mission", "council's", "guard", "unit", "units", "press",
    "media", "broadcasting", "broadcaster", "herald", "tribune", "gazette", "telegraph",
    "guardian", "daily", "weekly", "magazine", "review", "studios", "records", "systems",
    "technologies", "motors", "holdings", "partners", "industries", "union's", "party's",
    "nations", "states", "republic", "kingdom", "federation", "club", "fc", "team",
];

/// Capitalised words that are never part of a name at the start of a run.
pub const CAP_STOP: &[&str] = &[
    "the", "a", "an", "in", "on", "at", "of", "for", "to", "from", "by", "with", "and", "but",
    "or", "as", "after", "before", "during", "since", "until", "while", "when", "where",
    "what", "who", "why", "how", "this", "that", "these", "those", "there", "their", "they",
    "he", "she", "it", "we", "i", "you", "his", "her", "its", "our", "my", "your", "if", "then",
    "so", "yet", "also", "however", "according", "speaking", "yesterday", "today", "tomorrow",
    "last", "next", "earlier", "later", "meanwhile", "now", "here", "both", "some", "many",
    "most", "all", "no", "not", "one", "two", "three", "several", "other", "another", "each",
    "every", "such", "although", "though", "because", "despite", "instead", "image", "photo",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "about", "over", "under", "between", "among", "against", "into",
    "through", "without", "within", "upon", "is", "was", "are", "were", "be", "do", "does",
    "did", "has", "have", "had", "will", "would", "can", "could", "should", "must", "might",
    "let", "let's", "please", "thank", "thanks", "yes", "oh", "well", "only", "even", "just",
    "still", "once", "twice", "than", "like", "unlike", "via", "per", "ex", "amid", "around",
    "near", "onto", "towards", "toward", "following", "including", "ahead", "again",
    "further", "furthermore", "moreover", "nonetheless", "nevertheless", "similarly",
    "additionally", "reportedly", "specifically", "currently", "previously", "recently",
    "overall", "initially", "finally", "first", "second", "third", "part", "known",
    "strong", "people", "many", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
    "ninety", "hundred", "thousand", "million", "half", "dozens", "hundreds", "thousands",
    "most", "few", "none", "everyone", "nobody", "someone", "anyone",
];

/// Online platforms: where something was said, never who said it.
pub const PLATFORMS: &[&str] = &[
    "twitter", "facebook", "instagram", "youtube", "tiktok", "telegram", "weibo", "linkedin",
    "reddit", "snapchat", "whatsapp", "x",
];

/// Lowercase particles that may sit inside a personal name.
pub const NAME_PARTICLES: &[&str] = &[
    "bin", "bint", "al", "el", "van", "von", "de", "del", "della", "der", "den", "da", "dos",
    "du", "la", "le", "di", "ibn", "y", "ten", "ter", "zu",
];

/// Demonyms and country abbreviations that precede titles.
pub const DEMONYM_LIKE: &[&str] = &["us", "u.s", "u.s.", "uk", "u.k", "eu", "un", "au", "ex"];

pub const FEMALE_NAMES: &[&str] = &[
    "mary", "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan", "jessica",
    "sarah", "karen", "nancy", "lisa", "betty", "margaret", "sandra", "ashley", "kimberly",
    "emily", "donna", "michelle", "dorothy", "carol", "amanda", "melissa", "deborah",
    "stephanie", "rebecca", "sharon", "laura", "cynthia", "kathleen", "amy", "shirley",
    "angela", "helen", "anna", "brenda", "pamela", "nicole", "emma", "samantha", "katherine",
    "christine", "debra", "rachel", "catherine", "carolyn", "janet", "ruth", "maria",
    "heather", "diane", "virginia", "julie", "joyce", "victoria", "olivia", "kelly",
    "christina", "lauren", "joan", "evelyn", "judith", "megan", "cheryl", "andrea", "hannah",
    "martha", "jacqueline", "frances", "gloria", "ann", "anne", "teresa", "kathryn", "sara",
    "janice", "jean", "alice", "madison", "doris", "abigail", "julia", "judy", "grace",
    "denise", "amber", "marilyn", "beverly", "danielle", "theresa", "sophia", "marie",
    "diana", "brittany", "natalie", "isabella", "charlotte", "rose", "alexis", "kayla",
    "angelina", "angelique", "hillary", "kamala", "nikki", "nicola", "theresa", "yvette",
    "angela", "ursula", "christine", "marine", "ségolène", "segolene", "carrie", "tsai",
    "jacinda", "greta", "malala", "oprah", "taylor", "beyoncé", "rihanna", "kate", "meghan",
    "elizabeth", "camilla", "agnès", "agnes", "hatice", "kay", "wanda", "joanna", "priti",
    "liz", "kemi", "penny", "andrea", "nadine", "gina", "elise", "ilhan", "alexandria",
    "nancy", "lindsey", "mia", "chloe", "zoe", "ella", "lily", "eva", "ava", "sofia", "lucy",
    "ruby", "irene", "tatiana", "olga", "natalia", "svetlana", "yulia", "maria", "elena",
    "irina", "marina", "ekaterina", "anastasia", "ana", "lucia", "carmen", "isabel",
    "francesca", "giulia", "chiara", "ines", "aisha", "fatima", "leila", "layla", "yasmin",
    "priya", "sonia", "indira", "mei", "yuki", "hana", "sakura", "jo", "jane", "joanne",
    "louise", "sally", "charlotte", "tima", "carlotta", "brenda", "monika", "monica",
    "deirdre", "emma", "lisa", "rachel", "anne", "marta", "agnieszka", "katarzyna", "beata",
    "ewa", "dominique", "sylvie", "brigitte", "claire", "sophie", "mette", "sanna",
    "magdalena", "annalena", "kristalina", "christiane", "ruth", "naomi", "esther", "miriam",
    "abigail", "deborah", "tamar", "hadas", "alina", "oksana", "iryna", "halyna", "larysa",
    "katya", "kamala", "sheila", "samantha", "paula", "rosa", "juana", "lorena", "gabriela",
    "cristina", "dilma", "michelle", "hillary", "betsy", "elaine", "kirstjen", "gretchen",
    "kristi", "janet", "gina", "jill", "melania", "ivanka", "tiffany", "stacey", "ayanna",
    "rashida", "pramila", "amy", "elizabeth", "tulsi", "kirsten", "dianne", "susan", "lisa",
    "maxine", "frederica", "val", "caroline", "harriet", "diane", "emily", "jess", "ash",
];

pub const MALE_NAMES: &[&str] = &[
    "james", "john", "robert", "michael", "william", "david", "richard", "joseph", "thomas",
    "charles", "christopher", "daniel", "matthew", "anthony", "mark", "donald", "steven",
    "paul", "andrew", "joshua", "kenneth", "kevin", "brian", "george", "timothy", "ronald",
    "edward", "jason", "jeffrey", "ryan", "jacob", "gary", "nicholas", "eric", "jonathan",
    "stephen", "larry", "justin", "scott", "brandon", "benjamin", "samuel", "gregory",
    "alexander", "frank", "patrick", "raymond", "jack", "dennis", "jerry", "tyler", "aaron",
    "jose", "adam", "nathan", "henry", "douglas", "zachary", "peter", "kyle", "ethan",
    "walter", "noah", "jeremy", "christian", "keith", "roger", "terry", "gerald", "harold",
    "sean", "austin", "carl", "arthur", "lawrence", "dylan", "jesse", "jordan", "bryan",
    "billy", "joe", "bruce", "gabriel", "logan", "albert", "willie", "alan", "juan", "wayne",
    "elijah", "randy", "roy", "vincent", "ralph", "eugene", "russell", "bobby", "mason",
    "philip", "louis", "bill", "mike", "jim", "tom", "bob", "dick", "tony", "steve", "jeff",
    "vladimir", "dmitry", "dmitri", "sergei", "sergey", "alexei", "alexey", "volodymyr",
    "petro", "viktor", "emmanuel", "boris", "jeremy", "keir", "rishi", "nigel", "jens",
    "angelo", "xi", "recep", "tayyip", "hassan", "ali", "mohammad", "mohammed", "muhammad",
    "ahmed", "ahmad", "abdullah", "omar", "mahmoud", "bashar", "benjamin", "naftali", "yair",
    "joe", "barack", "hunter", "mitch", "chuck", "lindsey", "rand", "ted", "marco", "bernie",
    "pete", "beto", "kamal", "narendra", "rahul", "imran", "shinzo", "fumio", "moon", "kim",
    "jair", "luiz", "andrés", "andres", "manuel", "nicolás", "nicolas", "hugo", "evo",
    "jacinto", "pedro", "pablo", "carlos", "luis", "miguel", "jorge", "francisco", "antonio",
    "javier", "sergio", "mateusz", "andrzej", "donald", "jarosław", "jaroslaw", "tomasz",
    "łukasz", "lukasz", "paweł", "pawel", "piotr", "krzysztof", "marek", "joachim",
    "mariusz", "wojciech", "olaf", "frank-walter", "heiko", "horst", "wolfgang",
    "helmut", "gerhard", "markus", "friedrich", "giuseppe", "matteo", "sergio", "silvio",
    "mario", "emmanuel", "françois", "francois", "nicolas", "jacques", "jean", "pierre",
    "edouard", "édouard", "bruno", "franky", "eliud", "okey", "albert", "mahamadou",
    "abdel", "fattah", "kino", "brett", "steffen", "richard", "xavier", "gray", "maninder",
    "julian", "ash", "elon", "jeff", "mark", "tim", "sundar", "satya", "bill", "warren",
    "travis", "bernard", "marc", "kevin", "nick", "rob", "howard", "sid", "don", "jing-shan",
    "man-kei", "joshua", "colin", "ian", "ron", "abe", "philip", "yvan", "durham", "sean",
    "mick", "mickey", "jens", "recep", "mike", "lord", "kurt", "rudy", "rudolph", "rex",
    "newt", "lloyd", "antony", "jake", "jen", "ned", "fred", "ben", "sam", "max", "leo",
    "oscar", "victor", "ivan", "igor", "oleg", "yuri", "mikhail", "nikolai", "andrei",
    "pavel", "maxim", "alexander", "ramzan", "sergiy", "oleksiy", "dmytro", "vitali",
    "vitaliy", "arseniy", "yevgeny", "yevgeniy", "dzhokhar", "jamal", "mohamed", "khalid",
    "salman", "hamad", "tamim", "abdulaziz", "faisal", "yousef", "mahmud", "ismail", "kemal",
    "ekrem", "binali", "mevlut", "ahmet", "mustafa", "fethullah", "selahattin", "abiy",
    "cyril", "jacob", "thabo", "nelson", "uhuru", "william", "paul", "yoweri", "muhammadu",
    "goodluck", "olusegun", "john", "robert", "emmerson", "edgar", "hage", "felix", "joseph",
    "denis", "macky", "alassane", "nana", "george", "chris", "david", "kipchoge",
    "gianni", "sepp", "michel", "mauricio", "luka", "cristiano", "lionel", "neymar",
];

/// Title words that are adjectives or too generic to mark a person alone.
pub const GENERIC_TITLES: &[&str] = &[
    "first", "state", "home", "trade", "lead", "head", "member", "press", "former", "senior",
    "junior", "deputy", "acting", "interim", "vice", "prime", "chief", "special",
    "presidential", "interior", "foreign", "health", "defence", "defense", "finance",
    "education", "associate", "assistant", "general", "officer", "student", "candidate",
];

