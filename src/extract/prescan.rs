//! Cuts scripts, styles, inline SVG, navigation blocks and comments out of
//! the page text before it reaches the HTML parser.
//!
//! On news pages these hold more than half of the bytes and none of the
//! article, yet the tokenizer must walk every byte of them and the tree
//! builder must store them. A byte scan (memchr) is far cheaper. `<nav>`
//! menus are a fifth of what is left and are never article text (the scorer
//! drops them anyway). JSON-LD scripts are kept: they are metadata.

use std::borrow::Cow;

use memchr::{memchr, memmem};

pub fn strip_raw_text(html: &str) -> Cow<'_, str> {
    let b = html.as_bytes();
    let mut out: Option<String> = None;
    let mut last = 0;
    let mut pos = 0;
    while let Some(off) = memchr(b'<', &b[pos..]) {
        let i = pos + off;
        let rest = &b[i + 1..];
        if rest.starts_with(b"!--") {
            let end = memmem::find(&b[i + 4..], b"-->").map_or(b.len(), |e| i + 4 + e + 3);
            cut(&mut out, html, last, i);
            last = end;
            pos = end;
            continue;
        }
        let name: Option<&[u8]> = [&b"script"[..], b"style", b"svg", b"nav"]
            .into_iter()
            .find(|n| rest.len() > n.len() && rest[..n.len()].eq_ignore_ascii_case(n));
        // `<navbar>`-like custom tags are not <nav>: the delimiter test below
        // rejects them.
        if let Some(name) = name {
            let after = i + 1 + name.len();
            if matches!(
                b[after],
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>' | b'/'
            ) {
                let tag_end = memchr(b'>', &b[after..]).map_or(b.len(), |e| after + e + 1);
                let open = &b[i..tag_end];
                if name == b"script"
                    && memmem::find(&open.to_ascii_lowercase(), b"ld+json").is_some()
                {
                    pos = tag_end;
                    continue;
                }
                let end = if name == b"svg" && open.ends_with(b"/>") {
                    tag_end
                } else {
                    find_close(b, tag_end, name)
                };
                cut(&mut out, html, last, i);
                last = end;
                pos = end;
                continue;
            }
        }
        pos = i + 1;
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut s) => {
            s.push_str(&html[last..]);
            Cow::Owned(s)
        }
    }
}

fn cut(out: &mut Option<String>, html: &str, from: usize, to: usize) {
    out.get_or_insert_with(|| String::with_capacity(html.len() / 2))
        .push_str(&html[from..to]);
}

/// End (exclusive) of the `</name ...>` closing tag at or after `from`, or
/// the end of input, as the HTML tokenizer would have it.
fn find_close(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut pos = from;
    while let Some(off) = memmem::find(&b[pos..], b"</") {
        let i = pos + off + 2;
        if b.len() >= i + name.len() && b[i..i + name.len()].eq_ignore_ascii_case(name) {
            let after = i + name.len();
            if after == b.len()
                || matches!(
                    b[after],
                    b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'>' | b'/'
                )
            {
                return memchr(b'>', &b[after..]).map_or(b.len(), |e| after + e + 1);
            }
        }
        pos = i;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_raw_text_keeps_json_ld() {
        let html = "<nav><a>Home</a></nav><p>a</p><SCRIPT>if (a<b) x='</div>';</script ><style>p{}</style><!-- c --><svg><path/></svg>\
                    <script type=\"application/ld+json\">{\"a\":1}</script><scripts>t</scripts><p>b</p>";
        assert_eq!(
            strip_raw_text(html),
            "<p>a</p><script type=\"application/ld+json\">{\"a\":1}</script><scripts>t</scripts><p>b</p>"
        );
        assert!(matches!(strip_raw_text("<p>plain</p>"), Cow::Borrowed(_)));
        assert_eq!(strip_raw_text("<p>x</p><script>never closed"), "<p>x</p>");
    }
}
