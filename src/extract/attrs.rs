//! The attributes the extractor reads, and the names they reach the parser
//! under.
//!
//! html5ever's tokenizer reads an attribute's name a character at a time,
//! through its input queue, at about 200 instructions a character, and on
//! news pages `class` stands on most tags. So the prescan renames each
//! attribute it keeps to one letter ([`Attr::parsed`]), and the DOM view
//! asks for that letter: 2.5% fewer instructions for the whole extractor on
//! the 181 pages of extraction-dev. Four
//! keep their names: the tree builder reads `type` (where a hidden input in
//! a table goes), `http-equiv` and `content` (a meta's charset), and it
//! moves `xml:lang` into the XML namespace inside MathML.
//!
//! A page with a site rule keeps every attribute for the rule's selectors,
//! and each read one gets a copy under its letter beside it
//! (`prescan::Attributes::All`).

use std::sync::LazyLock;

use web_atoms::LocalName;

/// An attribute the extractor reads. Any other is dropped before parsing
/// unless a site rule may select by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attr {
    // Most frequent first: `from_parsed` tries them in this order.
    Class,
    Id,
    Style,
    Rel,
    Content,
    Name,
    Itemprop,
    Type,
    Property,
    Role,
    Href,
    AriaHidden,
    Datetime,
    Hidden,
    Lang,
    XmlLang,
    Datatable,
    HttpEquiv,
    Summary,
}

impl Attr {
    pub const ALL: [Attr; 19] = [
        Attr::Class,
        Attr::Id,
        Attr::Style,
        Attr::Rel,
        Attr::Content,
        Attr::Name,
        Attr::Itemprop,
        Attr::Type,
        Attr::Property,
        Attr::Role,
        Attr::Href,
        Attr::AriaHidden,
        Attr::Datetime,
        Attr::Hidden,
        Attr::Lang,
        Attr::XmlLang,
        Attr::Datatable,
        Attr::HttpEquiv,
        Attr::Summary,
    ];

    /// The read attribute a page's attribute name (in any case) is.
    pub fn of(name: &[u8]) -> Option<Attr> {
        let low = super::prescan::lower::<12>(name)?;
        Some(match &low[..name.len()] {
            b"aria-hidden" => Attr::AriaHidden,
            b"class" => Attr::Class,
            b"content" => Attr::Content,
            b"datatable" => Attr::Datatable,
            b"datetime" => Attr::Datetime,
            b"hidden" => Attr::Hidden,
            b"href" => Attr::Href,
            b"http-equiv" => Attr::HttpEquiv,
            b"id" => Attr::Id,
            b"itemprop" => Attr::Itemprop,
            b"lang" => Attr::Lang,
            b"name" => Attr::Name,
            b"property" => Attr::Property,
            b"rel" => Attr::Rel,
            b"role" => Attr::Role,
            b"style" => Attr::Style,
            b"summary" => Attr::Summary,
            b"type" => Attr::Type,
            b"xml:lang" => Attr::XmlLang,
            _ => return None,
        })
    }

    /// The name the parser sees: a letter, or the page's own name for the
    /// four the tree builder reads.
    pub fn parsed(self) -> &'static str {
        match self {
            Attr::AriaHidden => "a",
            Attr::Class => "c",
            Attr::Datatable => "b",
            Attr::Datetime => "d",
            Attr::Hidden => "h",
            Attr::Href => "f",
            Attr::Id => "i",
            Attr::Itemprop => "p",
            Attr::Lang => "l",
            Attr::Name => "n",
            Attr::Property => "o",
            Attr::Rel => "r",
            Attr::Role => "e",
            Attr::Style => "s",
            Attr::Summary => "u",
            Attr::Content => "content",
            Attr::HttpEquiv => "http-equiv",
            Attr::Type => "type",
            Attr::XmlLang => "xml:lang",
        }
    }

    /// [`Attr::parsed`] as the parser's atom. Two atoms compare as two
    /// words, where reading an atom's text unpacks it.
    pub fn parsed_atom(self) -> &'static LocalName {
        &PARSED_ATOMS[self as usize]
    }

    /// The read attribute the parser saw under the atom `name`
    /// ([`Attr::from_parsed`] without unpacking it).
    pub fn from_parsed_atom(name: &LocalName) -> Option<Attr> {
        let atoms = &*PARSED_ATOMS;
        Attr::ALL.into_iter().find(|&a| atoms[a as usize] == *name)
    }

    /// Whether the prescan renames it.
    pub fn renamed(self) -> bool {
        self.parsed().len() == 1
    }

    /// The read attribute the parser saw under `name`.
    pub fn from_parsed(name: &str) -> Option<Attr> {
        Attr::ALL.into_iter().find(|a| a.parsed() == name)
    }
}

static PARSED_ATOMS: LazyLock<[LocalName; Attr::ALL.len()]> =
    LazyLock::new(|| Attr::ALL.map(|a| LocalName::from(a.parsed())));

/// Whether a page's own attribute is named like a renamed one's letter:
/// with a site rule it is dropped, so that the copy is the one found.
pub fn is_letter(name: &[u8]) -> bool {
    name.len() == 1
        && Attr::ALL
            .into_iter()
            .any(|a| a.renamed() && a.parsed().as_bytes()[0] == name[0].to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attribute_has_its_own_parsed_name_and_round_trips() {
        let mut seen = std::collections::HashSet::new();
        for (k, a) in Attr::ALL.into_iter().enumerate() {
            assert_eq!(a as usize, k, "ALL is in the enum's order");
            assert_eq!(&**a.parsed_atom(), a.parsed());
            assert_eq!(
                Attr::from_parsed_atom(&LocalName::from(a.parsed())),
                Some(a)
            );
            assert!(seen.insert(a.parsed()), "{a:?} shares its parsed name");
            assert_eq!(Attr::from_parsed(a.parsed()), Some(a));
            assert!(Attr::of(a.parsed().as_bytes()).is_none() || !a.renamed());
            assert_eq!(is_letter(a.parsed().as_bytes()), a.renamed());
            assert_eq!(is_letter(a.parsed().to_uppercase().as_bytes()), a.renamed());
        }
        assert_eq!(Attr::of(b"CLASS"), Some(Attr::Class));
        assert_eq!(Attr::of(b"Xml:Lang"), Some(Attr::XmlLang));
        assert_eq!(Attr::of(b"data-class"), None);
        assert_eq!(Attr::of(b"a-very-long-name"), None);
        assert!(!is_letter(b"x") && !is_letter(b"cc"));
    }

    #[test]
    fn each_source_name_maps_to_its_variant() {
        // `of` and the enum are two lists: every variant is reachable.
        for a in Attr::ALL {
            let source = format!("{a:?}");
            let mut name = String::new();
            for (k, c) in source.chars().enumerate() {
                if c.is_uppercase() && k > 0 {
                    name.push(if a == Attr::XmlLang { ':' } else { '-' });
                }
                name.push(c.to_ascii_lowercase());
            }
            assert_eq!(Attr::of(name.as_bytes()), Some(a), "{name}");
        }
    }
}
