//! The content scorer: finds the element holding the article.
//!
//! Readability's method on the flat DOM: paragraph-like blocks vote for
//! their ancestors with a score built from length and commas, candidates
//! are weighted by class/id hints and tag, discounted by link density, the
//! best one is widened to its ancestors when several strong candidates share
//! one, and siblings that look like more of the same text are merged in.
//! Statistics are computed once, bottom-up, in a single reverse pass.

use super::attrs::Attr;
use super::dom::{Dom, NONE, is_block, is_heading};
use super::hints::{self, BOILER, MAYBE, META, POSITIVE, UNLIKELY};

/// Per-node counts over the live part of a subtree.
#[derive(Clone, Copy, Default)]
pub struct Stat {
    /// Non-white-space characters.
    pub text: u32,
    pub link: u32,
    pub commas: u32,
    pub p: u32,
    pub img: u32,
    pub li: u32,
    pub input: u32,
    pub heading: u32,
    /// Text inside list items.
    pub li_text: u32,
    /// <article> elements in the subtree, itself included.
    pub articles: u32,
    /// Unlinked text of paragraph-like blocks (<p>, and leaf <div>s long
    /// enough to be paragraphs): the evidence of running text.
    pub para: u32,
    /// The subtree holds a block-level element.
    pub block: bool,
}

impl Stat {
    fn add(&mut self, o: &Stat) {
        self.text += o.text;
        self.link += o.link;
        self.commas += o.commas;
        self.p += o.p;
        self.img += o.img;
        self.li += o.li;
        self.input += o.input;
        self.heading += o.heading;
        self.li_text += o.li_text;
        self.articles += o.articles;
        self.para += o.para;
        self.block |= o.block;
    }

    fn sub(&mut self, o: &Stat) {
        self.text = self.text.saturating_sub(o.text);
        self.link = self.link.saturating_sub(o.link);
        self.commas = self.commas.saturating_sub(o.commas);
        self.p = self.p.saturating_sub(o.p);
        self.img = self.img.saturating_sub(o.img);
        self.li = self.li.saturating_sub(o.li);
        self.input = self.input.saturating_sub(o.input);
        self.heading = self.heading.saturating_sub(o.heading);
        self.li_text = self.li_text.saturating_sub(o.li_text);
        self.articles = self.articles.saturating_sub(o.articles);
        self.para = self.para.saturating_sub(o.para);
    }

    pub fn link_density(&self) -> f32 {
        if self.text == 0 {
            0.0
        } else {
            self.link as f32 / self.text as f32
        }
    }
}

/// Which of readability's heuristics are on; later attempts switch them off
/// when the first finds too little text.
#[derive(Clone, Copy)]
pub struct Flags {
    pub strip_unlikely: bool,
    pub weight_classes: bool,
    pub clean_conditionally: bool,
}

pub const ATTEMPTS: [Flags; 3] = [
    Flags {
        strip_unlikely: true,
        weight_classes: true,
        clean_conditionally: true,
    },
    Flags {
        strip_unlikely: false,
        weight_classes: true,
        clean_conditionally: true,
    },
    Flags {
        strip_unlikely: false,
        weight_classes: false,
        clean_conditionally: false,
    },
];

/// Content scores of the candidates (elements some block voted for).
struct Votes {
    score: Vec<f32>,
    cand: Vec<bool>,
}

impl Votes {
    /// Makes `i` a candidate, starting from its tag and name bias.
    fn ensure(&mut self, sc: &Scorer, i: usize) {
        if !self.cand[i] {
            self.cand[i] = true;
            self.score[i] = tag_bias(sc.dom.nodes[i].name) + sc.weight(i);
        }
    }
}

/// An element's tag and class, as the kind of box that holds a paragraph.
type Wrapper<'a> = (&'a str, &'a str);

/// The working state of one extraction attempt over a parsed page.
pub struct Scorer<'d, 'a> {
    pub dom: &'d Dom<'a>,
    pub dead: Vec<bool>,
    pub stats: Vec<Stat>,
    pub flags: Flags,
}

impl<'d, 'a> Scorer<'d, 'a> {
    /// Marks what never holds article text (scripts, hidden and navigation
    /// boxes, and with `strip_unlikely` the boxes whose names say so), then
    /// counts the rest.
    pub fn new(dom: &'d Dom<'a>, flags: Flags, forced_dead: &[usize]) -> Self {
        let n = dom.len();
        let mut dead = vec![false; n];
        for &i in forced_dead {
            dead[i] = true;
        }
        let mut i = 0;
        while i < n {
            let node = &dom.nodes[i];
            if dead[i] || (node.is_element() && is_junk(dom, i, flags.strip_unlikely)) {
                dead[i] = true;
                i = node.end as usize;
            } else {
                i += 1;
            }
        }
        let mut s = Scorer {
            dom,
            dead,
            stats: Vec::new(),
            flags,
        };
        s.count();
        s
    }

    fn count(&mut self) {
        let dom = self.dom;
        let n = dom.len();
        let mut stats = vec![Stat::default(); n];
        for i in (0..n).rev() {
            let node = &dom.nodes[i];
            let mut st = stats[i];
            if node.is_element() {
                match node.name {
                    "a" => st.link = st.text,
                    "p" => st.p += 1,
                    "img" => st.img += 1,
                    "li" => {
                        st.li += 1;
                        st.li_text = st.text;
                    }
                    "input" => st.input += 1,
                    "article" => st.articles += 1,
                    _ => {}
                }
                if is_heading(node.name) {
                    st.heading = st.text;
                }
                let leaf_div = matches!(node.name, "div" | "section") && !st.block && st.text >= 50;
                if node.name == "p" || leaf_div {
                    st.para = st.text.saturating_sub(st.link);
                }
                // A line break is phrasing content (Readability's too): a
                // box of text cut by <br>s is still one paragraph.
                if is_block(node.name) && node.name != "br" {
                    st.block = true;
                }
            } else {
                st.text = node.chars;
                st.commas = node.commas;
            }
            stats[i] = st;
            if !self.dead[i] && node.parent != NONE {
                // `block` now covers the node itself, which is what its
                // parent needs to know about a child.
                stats[node.parent as usize].add(&st);
            }
        }
        self.stats = stats;
    }

    /// Whether some element below `i` (not `i` itself) is block-level.
    pub fn has_block_child(&self, i: usize) -> bool {
        self.dom
            .children(i)
            .any(|c| !self.dead[c] && self.stats[c].block)
    }

    pub fn remove(&mut self, i: usize) {
        if self.dead[i] {
            return;
        }
        self.dead[i] = true;
        let s = self.stats[i];
        let mut p = self.dom.nodes[i].parent;
        while p != NONE {
            self.stats[p as usize].sub(&s);
            p = self.dom.nodes[p as usize].parent;
        }
    }

    fn weight(&self, i: usize) -> f32 {
        if !self.flags.weight_classes {
            return 0.0;
        }
        let n = &self.dom.nodes[i];
        let mut w = hints::class_weight(n.class_flags, n.id_flags);
        if n.attr(Attr::Itemprop)
            .is_some_and(|v| v.contains("articleBody"))
        {
            w += 30.0;
        }
        w
    }

    /// Runs the vote and returns the content roots in document order.
    pub fn select(&mut self) -> Option<Vec<usize>> {
        let body = self.dom.find("body").unwrap_or(0);
        let mut votes = self.vote();
        let top = self.top_candidates(&mut votes);
        let mut best = *top.first()?;
        if best == body {
            return Some(vec![body]);
        }
        best = self.merge_split_boxes(best, &top, &votes, body);
        votes.ensure(self, best);
        best = self.climb(best, &votes, body);
        // Both steps stay inside the <article> the climb ended in.
        let home = nearest_article(self.dom, best);
        best = self.only_child_up(best, home, body);
        best = self.widen_to_paragraphs(best, home, body);
        let Some(parent) = self.dom.parent(best) else {
            return Some(vec![best]);
        };
        let roots = self.with_siblings(best, parent, &votes);
        tracing::trace!(?roots, best, "content roots");
        Some(roots)
    }

    /// Paragraph-like blocks vote for their ancestors (readability's
    /// scores: length and commas, less with each level up).
    fn vote(&self) -> Votes {
        let dom = self.dom;
        let n = dom.len();
        let mut votes = Votes {
            score: vec![0f32; n],
            cand: vec![false; n],
        };
        let mut i = 0;
        while i < n {
            if self.dead[i] {
                i = dom.nodes[i].end as usize;
                continue;
            }
            if let Some((first, len, commas)) = self.voting_unit(i)
                && len >= 22
                && first as u32 != NONE
            {
                let content = 1.0 + commas as f32 + (len as f32 / 90.0).floor().min(3.0);
                self.credit_ancestors(&mut votes, first, content);
            }
            i += 1;
        }
        votes
    }

    /// The node whose ancestors a block at `i` votes for, with its text
    /// length and commas; `None` when `i` is no paragraph-like block.
    fn voting_unit(&self, i: usize) -> Option<(usize, u32, u32)> {
        let dom = self.dom;
        let node = &dom.nodes[i];
        if !node.is_element() {
            return None;
        }
        let st = &self.stats[i];
        match node.name {
            "p" | "pre" | "td" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                Some((node.parent as usize, st.text, st.commas))
            }
            "div" | "section" | "article" | "main" | "center" | "font" => {
                if !self.has_block_child(i) {
                    return Some((node.parent as usize, st.text, st.commas));
                }
                // Loose text between blocks, as readability wraps it in a <p>.
                let (mut t, mut c) = (0, 0);
                for ch in dom.children(i) {
                    if self.dead[ch] {
                        continue;
                    }
                    let cn = &dom.nodes[ch];
                    if !cn.is_element() || (!is_block(cn.name) && !self.stats[ch].block) {
                        t += self.stats[ch].text;
                        c += self.stats[ch].commas;
                    }
                }
                Some((i, t, c))
            }
            _ => None,
        }
    }

    fn credit_ancestors(&self, votes: &mut Votes, first: usize, content: f32) {
        let dom = self.dom;
        let mut anc = first;
        for level in 0..5 {
            let an = &dom.nodes[anc];
            if !an.is_element() || an.parent == NONE || !dom.nodes[an.parent as usize].is_element()
            {
                break;
            }
            votes.ensure(self, anc);
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            votes.score[anc] += content / div;
            anc = an.parent as usize;
        }
    }

    /// Discounts link lists and story listings, and returns the five best
    /// candidates, best first.
    fn top_candidates(&self, votes: &mut Votes) -> Vec<usize> {
        let dom = self.dom;
        let mut top: Vec<usize> = Vec::with_capacity(5);
        for i in 0..dom.len() {
            if !votes.cand[i] {
                continue;
            }
            votes.score[i] = self.discounted(i, votes.score[i]);
            let score = &votes.score;
            let pos = top
                .iter()
                .position(|&t| score[i] > score[t])
                .unwrap_or(top.len());
            if pos < 5 {
                top.insert(pos, i);
                top.truncate(5);
            }
        }
        self.trace_candidates(&top, &votes.score);
        top
    }

    fn discounted(&self, i: usize, score: f32) -> f32 {
        let dom = self.dom;
        let mut f = score * (1.0 - self.stats[i].link_density());
        // One <article> among three or more siblings is an item of a
        // listing (teasers), not the page's story.
        if dom.nodes[i].name == "article"
            && let Some(p) = dom.parent(i)
            && dom
                .children(p)
                .filter(|&c| dom.nodes[c].name == "article")
                .count()
                >= 3
        {
            f *= 0.5;
        }
        // A box of several <article>s is a listing of stories.
        let own = u32::from(dom.nodes[i].name == "article");
        if self.stats[i].articles - own >= 2 {
            f *= 0.3;
        }
        f
    }

    fn trace_candidates(&self, top: &[usize], score: &[f32]) {
        if !tracing::enabled!(tracing::Level::TRACE) {
            return;
        }
        for &t in top {
            let n = &self.dom.nodes[t];
            tracing::trace!(
                node = t,
                tag = n.name,
                class = n.attr(Attr::Class).unwrap_or(""),
                id = n.attr(Attr::Id).unwrap_or(""),
                score = score[t],
                text = self.stats[t].text,
                "content candidate"
            );
        }
    }

    /// Several strong candidates under one ancestor: the article is split
    /// into boxes, take the ancestor. Candidates inside other <article>
    /// elements are other stories (a teaser list), not pieces of this one.
    fn merge_split_boxes(&self, best: usize, top: &[usize], votes: &Votes, body: usize) -> usize {
        let dom = self.dom;
        let score = &votes.score;
        let home = nearest_article(dom, best);
        let alts: Vec<usize> = top[1..]
            .iter()
            .copied()
            .filter(|&t| score[t] / score[best] >= 0.75 && nearest_article(dom, t) == home)
            .collect();
        if alts.len() < 3 {
            return best;
        }
        let mut p = dom.nodes[best].parent;
        while p != NONE && p as usize != body && !leaves_article(dom, home, p as usize) {
            let pu = p as usize;
            if alts.iter().filter(|&&a| dom.contains(pu, a)).count() >= 3 {
                return pu;
            }
            p = dom.nodes[pu].parent;
        }
        best
    }

    /// Climbs while the parent scores better: the chosen box is a piece.
    fn climb(&self, mut best: usize, votes: &Votes, body: usize) -> usize {
        let dom = self.dom;
        let mut last = votes.score[best];
        let threshold = last / 3.0;
        let home = nearest_article(dom, best);
        let mut p = dom.nodes[best].parent;
        while p != NONE && p as usize != body && !leaves_article(dom, home, p as usize) {
            let pu = p as usize;
            if !votes.cand[pu] {
                p = dom.nodes[pu].parent;
                continue;
            }
            if votes.score[pu] < threshold {
                break;
            }
            if votes.score[pu] > last {
                best = pu;
                break;
            }
            last = votes.score[pu];
            p = dom.nodes[pu].parent;
        }
        best
    }

    /// An only child stands for its parent.
    fn only_child_up(&self, mut best: usize, home: Option<usize>, body: usize) -> usize {
        let dom = self.dom;
        loop {
            let p = dom.nodes[best].parent;
            if p == NONE || p as usize == body || leaves_article(dom, home, p as usize) {
                return best;
            }
            let live = dom
                .children(p as usize)
                .filter(|&c| !self.dead[c] && dom.nodes[c].is_element())
                .count();
            if live != 1 {
                return best;
            }
            best = p as usize;
        }
    }

    /// The text continues in boxes beside the chosen one, a few levels up
    /// (sections each wrapped in their own containers): widens to the
    /// ancestor that adds real paragraphs without adding link lists. Only
    /// paragraphs in the same kind of wrapper as the chosen box's count, so
    /// a feed of other stories beside it ("Právě se děje") adds nothing.
    fn widen_to_paragraphs(&self, best: usize, home: Option<usize>, body: usize) -> usize {
        let dom = self.dom;
        let base = self.stats[best].para;
        let Some(wrapper) = self.paragraph_wrapper(best) else {
            return best;
        };
        let mut p = dom.nodes[best].parent;
        let mut chosen = best;
        for _ in 0..6 {
            if p == NONE || p as usize == body || leaves_article(dom, home, p as usize) {
                break;
            }
            let pu = p as usize;
            let st = &self.stats[pu];
            if st.link_density() > 0.3 {
                break;
            }
            let extra = self.paragraphs_like(best, pu, wrapper);
            if extra >= 300
                && extra as f32 >= 0.5 * base as f32
                && st.para as f32 >= 0.6 * st.text as f32
            {
                chosen = pu;
            }
            p = dom.nodes[pu].parent;
        }
        chosen
    }

    /// The tag and class of the element holding most of `best`'s paragraph
    /// text.
    fn paragraph_wrapper(&self, best: usize) -> Option<Wrapper<'a>> {
        let mut counts: Vec<(Wrapper<'a>, u32)> = Vec::new();
        for k in (best..self.dom.nodes[best].end as usize).filter(|&k| self.is_paragraph(k)) {
            let Some(w) = self.wrapper_of(k) else {
                continue;
            };
            match counts.iter_mut().find(|(c, _)| *c == w) {
                Some((_, n)) => *n += self.stats[k].para,
                None => counts.push((w, self.stats[k].para)),
            }
        }
        counts.into_iter().max_by_key(|&(_, n)| n).map(|(w, _)| w)
    }

    /// Paragraph text under `pu`, outside `best`, held by a `wrapper`.
    fn paragraphs_like(&self, best: usize, pu: usize, wrapper: Wrapper<'a>) -> u32 {
        (pu..self.dom.nodes[pu].end as usize)
            .filter(|&k| !self.dom.contains(best, k) && self.is_paragraph(k))
            .filter(|&k| self.wrapper_of(k) == Some(wrapper))
            .map(|k| self.stats[k].para)
            .sum()
    }

    fn is_paragraph(&self, k: usize) -> bool {
        self.dom.nodes[k].name == "p" && self.stats[k].para > 0
    }

    fn wrapper_of(&self, k: usize) -> Option<Wrapper<'a>> {
        let q = self.dom.parent(k)?;
        let node = &self.dom.nodes[q];
        Some((node.name, node.attr(Attr::Class).unwrap_or("")))
    }

    /// Siblings that look like more of the article join it.
    fn with_siblings(&self, best: usize, parent: usize, votes: &Votes) -> Vec<usize> {
        let dom = self.dom;
        let best_score = votes.score[best];
        let threshold = (best_score * 0.2).max(10.0);
        let best_class = dom.nodes[best].attr(Attr::Class).unwrap_or("");
        let mut roots = Vec::new();
        for s in dom.children(parent) {
            if self.dead[s] || !dom.nodes[s].is_element() {
                continue;
            }
            if s == best {
                roots.push(s);
                continue;
            }
            if self.other_story_or_header(best, s) {
                continue;
            }
            let mut bonus = 0.0;
            if !best_class.is_empty() && dom.nodes[s].attr(Attr::Class) == Some(best_class) {
                bonus = best_score * 0.2;
            }
            let voted = votes.cand[s] && votes.score[s] + bonus >= threshold;
            if voted || self.paragraph_sibling(s) {
                roots.push(s);
            }
        }
        roots
    }

    fn other_story_or_header(&self, best: usize, s: usize) -> bool {
        let dom = self.dom;
        // An <article> is self-contained: sibling boxes holding <article>s
        // are other stories (teasers, "related"), not more of this one.
        if dom.nodes[best].name == "article" && self.stats[s].articles > 0 {
            return true;
        }
        // The block holding the headline, kicker and byline is the
        // article's header, not more of its text.
        let end = dom.nodes[s].end as usize;
        dom.nodes[s..end].iter().any(|n| n.name == "h1")
            && self.stats[s].text.saturating_sub(self.stats[s].heading) < 150
    }

    /// A sibling that no vote chose but that reads as a paragraph.
    fn paragraph_sibling(&self, s: usize) -> bool {
        let sn = &self.dom.nodes[s];
        let st = &self.stats[s];
        if sn.name == "p" {
            let ld = st.link_density();
            if st.text > 70 && ld < 0.25 {
                return true;
            }
            if st.text > 0 && st.text <= 70 && ld == 0.0 {
                let t = self.dom.text_of(s);
                return t.ends_with('.') || t.contains(". ");
            }
            return false;
        }
        // Readability turns these into <p>; only long, unlinked ones are
        // more paragraphs rather than teasers or notices.
        matches!(sn.name, "div" | "section")
            && !self.has_block_child(s)
            && st.text > 70
            && st.link_density() < 0.1
    }

    /// Readability's conditional cleaning inside the content, plus removal of
    /// furniture whose name gives it away. Inner boxes go first so an outer
    /// box is judged on what is left of it.
    pub fn clean(&mut self, roots: &[usize]) {
        let dom = self.dom;
        let total: u32 = roots.iter().map(|&r| self.stats[r].text).sum();
        for &root in roots {
            let end = dom.nodes[root].end as usize;
            let tables: Vec<usize> = (root..end)
                .filter(|&i| dom.nodes[i].name == "table" && is_data_table(dom, i))
                .collect();
            for i in (root..end).rev() {
                if self.dead[i] || !dom.nodes[i].is_element() || self.under_dead(i, root) {
                    continue;
                }
                let tabular = tables.iter().any(|&t| dom.contains(t, i));
                if i != root && (self.furniture(i, root) || self.junk_inside(i, total, tabular)) {
                    self.remove(i);
                }
            }
        }
    }

    /// Elements that never hold body text: the headline, captions,
    /// navigation, footers and forms.
    fn furniture(&self, i: usize, root: usize) -> bool {
        let dom = self.dom;
        let node = &dom.nodes[i];
        matches!(
            node.name,
            "h1" | "figcaption" | "nav" | "aside" | "footer" | "form"
        ) && (node.name != "form" || self.stats[i].input > 0)
            && !dom.cites_blockquote(i)
            // Some CMSs (Medium) mark the subheadings in the text <h1>: an
            // <h1> after the first paragraphs is not the headline.
            && (node.name != "h1" || !text_before(dom, root, i, 200))
    }

    /// Boxes named as furniture, and readability's conditional cleaning.
    /// `tabular`: `i` is a data table or inside one, which holds figures
    /// and names (often linked) rather than prose, so link density and
    /// length say nothing about it.
    fn junk_inside(&self, i: usize, total: u32, tabular: bool) -> bool {
        let dom = self.dom;
        let node = &dom.nodes[i];
        let f = node.flags();
        let st = self.stats[i];
        let big = st.text as f32 > 0.3 * total as f32;
        let named = f & BOILER != 0 || node.ad;
        let embed = has_blockquote(dom, i) && !dom.class_id(i).contains("comment");
        let in_text = (named || f & META != 0) && self.inline_in_text(i);
        let keep = embed || in_text || (named && self.continues_prose(i));
        if named && f & POSITIVE == 0 && (!big || st.link_density() > 0.5) && !keep {
            return true;
        }
        if f & BOILER != 0 && !big && st.p <= 1 && !keep {
            return true;
        }
        if f & META != 0 && st.text < 160 && st.p <= 1 && !in_text {
            return true;
        }
        if self.link_card(i) {
            return true;
        }
        self.flags.clean_conditionally
            && !embed
            && !tabular
            && matches!(
                node.name,
                "table" | "ul" | "ol" | "div" | "section" | "fieldset" | "header"
            )
            && self.conditionally_junk(i)
    }

    /// An inline box of links inside a paragraph: a person's hover card
    /// (photo, name, their latest headlines) or a run of "related" links
    /// that a CMS nests in the sentence. Only links, several of them, and
    /// the paragraph has a sentence of its own around it.
    fn link_card(&self, i: usize) -> bool {
        let dom = self.dom;
        let st = &self.stats[i];
        if is_block(dom.nodes[i].name)
            || st.block
            || st.text <= 60
            || (st.link as f32) < 0.9 * st.text as f32
        {
            return false;
        }
        let mut up = dom.parent(i);
        while let Some(q) = up.filter(|&q| !is_block(dom.nodes[q].name)) {
            up = dom.parent(q);
        }
        let in_paragraph = up.is_some_and(|q| {
            matches!(dom.nodes[q].name, "p" | "li") && self.stats[q].text >= st.text + 40
        });
        let links = (i..dom.nodes[i].end as usize)
            .filter(|&k| !self.dead[k] && dom.nodes[k].name == "a")
            .count();
        in_paragraph && links >= 2
    }

    /// An inline element inside a sentence (`<a class="meta-loc">Sudan</a>`,
    /// `<span class="dateline">CAIRO —</span>`): its class names what it
    /// says, not a box to remove.
    fn inline_in_text(&self, i: usize) -> bool {
        let dom = self.dom;
        if is_block(dom.nodes[i].name) || self.stats[i].block {
            return false;
        }
        dom.parent(i).is_some_and(|p| {
            matches!(dom.nodes[p].name, "p" | "li" | "blockquote" | "dd")
                && self.stats[p].text >= self.stats[i].text + 40
        })
    }

    /// A paragraph of running text next to another one is more of the text,
    /// whatever its class says: sites mark the paragraphs behind their
    /// paywall (`<p class="paywall">`) or give them ad-slot names. A long
    /// one needs a neighbour of at least a sentence, a short one two long
    /// neighbours.
    fn continues_prose(&self, i: usize) -> bool {
        let dom = self.dom;
        let prose = |j: usize, min: u32| {
            let st = &self.stats[j];
            dom.nodes[j].name == "p" && st.para >= min && st.link_density() < 0.25
        };
        let Some(parent) = dom.parent(i).filter(|_| prose(i, 40)) else {
            return false;
        };
        // Neighbours with text: empty ad slots often sit between paragraphs.
        let (mut before, mut after) = (None, None);
        for c in dom.children(parent) {
            if c == i || self.dead[c] || self.stats[c].text == 0 || !dom.nodes[c].is_element() {
                continue;
            }
            if c < i {
                before = Some(c);
            } else {
                after = Some(c);
                break;
            }
        }
        let next_to = |j: Option<usize>, min: u32| j.is_some_and(|j| prose(j, min));
        if prose(i, 120) {
            next_to(before, 40) || next_to(after, 40)
        } else {
            next_to(before, 120) && next_to(after, 120)
        }
    }

    fn under_dead(&self, i: usize, root: usize) -> bool {
        let mut p = self.dom.nodes[i].parent;
        while p != NONE && p as usize >= root {
            if self.dead[p as usize] {
                return true;
            }
            if p as usize == root {
                break;
            }
            p = self.dom.nodes[p as usize].parent;
        }
        false
    }

    fn conditionally_junk(&self, i: usize) -> bool {
        let node = &self.dom.nodes[i];
        let weight = self.weight(i);
        if weight < 0.0 {
            return true;
        }
        let st = &self.stats[i];
        if st.commas >= 10 {
            return false;
        }
        let is_list = matches!(node.name, "ul" | "ol")
            || (st.text > 0 && st.li_text as f32 > 0.9 * st.text as f32);
        let p = st.p as f32;
        let img = st.img as f32;
        let li = st.li as f32 - 100.0;
        let heading_density = if st.text > 0 {
            st.heading as f32 / st.text as f32
        } else {
            0.0
        };
        let ld = st.link_density();
        let len = st.text;
        (img > 1.0 && p / img < 0.5)
            || (!is_list && li > p)
            || (st.input as f32 > (p / 3.0).floor())
            || (!is_list && heading_density < 0.9 && len < 22 && (st.img == 0 || st.img > 2))
            || (!is_list && weight < 25.0 && ld > 0.2)
            || (weight >= 25.0 && ld > 0.5)
            || (is_list && ld > 0.6 && st.text < 600)
    }
}

fn tag_bias(name: &str) -> f32 {
    match name {
        "div" => 5.0,
        "article" => 8.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// Whether an element never carries article text.
fn is_junk(dom: &Dom, i: usize, strip_unlikely: bool) -> bool {
    let node = &dom.nodes[i];
    match node.name {
        "script" | "style" | "noscript" | "template" | "iframe" | "svg" | "canvas" | "object"
        | "embed" | "button" | "input" | "select" | "textarea" | "link" | "meta" | "head"
        | "title" | "dialog" => {
            return true;
        }
        "nav" | "aside" | "footer" if strip_unlikely && !dom.cites_blockquote(i) => return true,
        "html" | "body" => return false,
        _ => {}
    }
    if node.hidden {
        return true;
    }
    // A heading is no box: "subheader" names its style, not page furniture.
    if strip_unlikely && !matches!(node.name, "a" | "article" | "main") && !is_heading(node.name) {
        let f = node.flags();
        if ((f & UNLIKELY != 0 && f & MAYBE == 0) || node.ad)
            && (!has_blockquote(dom, i) || dom.class_id(i).contains("comment"))
        {
            return true;
        }
    }
    false
}

/// Whether the subtree of `root` holds at least `n` characters of text
/// before node `i`.
fn text_before(dom: &Dom, root: usize, i: usize, n: u32) -> bool {
    let mut seen = 0;
    for node in &dom.nodes[root..i] {
        seen += node.chars;
        if seen >= n {
            return true;
        }
    }
    false
}

/// The innermost <article> element holding `i` (itself included).
fn nearest_article(dom: &Dom, i: usize) -> Option<usize> {
    let mut p = i as u32;
    while p != NONE {
        if dom.nodes[p as usize].name == "article" {
            return Some(p as usize);
        }
        p = dom.nodes[p as usize].parent;
    }
    None
}

/// Whether widening to `to` would take in other <article> elements beside
/// `home`, i.e. leave one story for a list of stories.
fn leaves_article(dom: &Dom, home: Option<usize>, to: usize) -> bool {
    let Some(a) = home else { return false };
    if dom.contains(a, to) {
        return false;
    }
    let (a_end, end) = (dom.nodes[a].end as usize, dom.nodes[to].end as usize);
    (to..a)
        .chain(a_end..end)
        .any(|j| dom.nodes[j].name == "article")
}

/// Readability's test for a table of data rather than one used for layout:
/// marked up as data (a summary, a caption, header cells, column groups),
/// or big enough in rows or columns, and never holding another table.
fn is_data_table(dom: &Dom, i: usize) -> bool {
    let node = &dom.nodes[i];
    if node.attr(Attr::Role) == Some("presentation") || node.attr(Attr::Datatable) == Some("0") {
        return false;
    }
    let inside = (i + 1)..node.end as usize;
    let marked = node.attr(Attr::Summary).is_some()
        || inside.clone().any(|k| {
            matches!(
                dom.nodes[k].name,
                "caption" | "col" | "colgroup" | "tfoot" | "thead" | "th"
            )
        });
    if marked {
        return true;
    }
    if inside.clone().any(|k| dom.nodes[k].name == "table") {
        return false;
    }
    let rows: Vec<usize> = inside.filter(|&k| dom.nodes[k].name == "tr").collect();
    let columns = rows
        .iter()
        .map(|&r| {
            dom.children(r)
                .filter(|&c| matches!(dom.nodes[c].name, "td" | "th"))
                .count()
        })
        .max()
        .unwrap_or(0);
    rows.len() >= 10 || columns > 4 || rows.len() * columns > 10
}

/// Embedded posts (tweets, Instagram, quotes) come as blockquotes inside
/// boxes named "social" or "embed"; their text is part of the story.
fn has_blockquote(dom: &Dom, i: usize) -> bool {
    let end = dom.nodes[i].end as usize;
    end - i < 400 && dom.nodes[i + 1..end].iter().any(|n| n.name == "blockquote")
}
