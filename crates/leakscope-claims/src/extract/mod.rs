//! The extractor: one document → at most one claim.
//!
//! All matching runs on the folded text (see [`crate::text`]); every value keeps the folded
//! spans it came from ([`Ev`]) and becomes an evidence entry of the claim. A field the text does
//! not state stays empty. Each concern has its module: quantities (records, size, price,
//! penalties), dates, data classes and samples, kinds and status, organisations (victims),
//! people (actors, venue, contacts), legal (laws, regulators) and exposure.

mod classes;
mod dates;
mod exposure;
mod kinds;
mod legal;
pub mod numbers;
mod orgs;
mod people;
mod quantities;

use crate::lexicon::Hit;
use crate::mask::mask_text;
use crate::model::*;
use crate::read::Document;
use crate::rules::Rules;
use crate::text::{clauses, is_cjk, sentences, Seg, Text};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// Extraction options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Show raw values in evidence quotes (otherwise personal data in quotes is masked).
    pub reveal: bool,
    /// Keep documents that make no claim (as claims with no kind); for debugging.
    pub keep_empty: bool,
}

/// A piece of evidence: a folded byte range and where the value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ev {
    pub s: usize,
    pub e: usize,
    pub basis: Option<&'static str>,
}

impl Ev {
    pub fn new(s: usize, e: usize) -> Ev {
        Ev { s, e, basis: None }
    }
    pub fn with(s: usize, e: usize, basis: &'static str) -> Ev {
        Ev {
            s,
            e,
            basis: Some(basis),
        }
    }
    pub fn hit(h: &Hit) -> Ev {
        Ev::new(h.start, h.end)
    }
}

/// A victim being built, with evidence per field.
#[derive(Debug, Clone, Default)]
pub(crate) struct VictimDraft {
    pub v: Victim,
    pub ev: BTreeMap<&'static str, Vec<Ev>>,
    /// Folded start of its first mention (order of appearance).
    pub first: usize,
}

impl VictimDraft {
    pub fn add_ev(&mut self, field: &'static str, ev: Ev) {
        let list = self.ev.entry(field).or_default();
        if !list.contains(&ev) {
            list.push(ev);
        }
    }
}

/// Everything found, with evidence; becomes a [`Claim`].
#[derive(Debug, Default)]
pub(crate) struct Draft {
    pub kinds: Vec<(Kind, Vec<Ev>)>,
    pub status: Option<(Status, Vec<Ev>)>,
    pub victims: Vec<VictimDraft>,
    pub actors: Vec<(Actor, Vec<Ev>)>,
    pub venue: Option<(Venue, Vec<Ev>)>,
    pub contacts: Vec<(Contact, Vec<Ev>)>,
    pub price: Option<(Money, Vec<Ev>)>,
    pub records: Vec<(Records, Vec<Ev>, u32)>,
    pub size: Option<(u64, Vec<Ev>)>,
    pub classes: Vec<(String, Vec<Ev>)>,
    pub other: Vec<(String, Vec<Ev>)>,
    pub sample: Option<(Sample, Vec<Ev>)>,
    pub dates: BTreeMap<&'static str, (DateValue, Vec<Ev>)>,
    pub exposure: BTreeMap<&'static str, (ExposureValue, Vec<Ev>)>,
    pub laws: Vec<(Law, Vec<Ev>)>,
    pub regulators: Vec<(Regulator, Vec<Ev>)>,
    pub penalties: Vec<(Penalty, Vec<Ev>)>,
}

/// One exposure field's value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ExposureValue {
    Text(String),
    Number(u64),
}

/// Shared state of one extraction.
pub(crate) struct Ctx<'a> {
    pub rules: &'a Rules,
    pub doc: &'a Document,
    pub t: Text,
    /// `en`, `vi` or `zh`.
    pub lang: &'static str,
    /// `zh-Hans` / `zh-Hant` for Chinese, else the same as `lang`.
    pub lang_tag: &'static str,
    pub hits: HashMap<String, Vec<Hit>>,
    pub sents: Vec<Seg>,
    pub clauses: Vec<Seg>,
    pub nums: Vec<numbers::Num>,
    /// Numbers consumed as dates, money, sizes, percentages or durations (folded starts).
    pub used_nums: Vec<usize>,
    pub posted: Option<NaiveDate>,
    /// Amounts of money (assigned to price / penalties later).
    pub money: Vec<quantities::MoneyAt>,
    /// Percentages of turnover.
    pub percents: Vec<quantities::PercentAt>,
}

const NO_HITS: &[Hit] = &[];

impl<'a> Ctx<'a> {
    pub fn hits(&self, family: &str) -> &[Hit] {
        self.hits.get(family).map_or(NO_HITS, Vec::as_slice)
    }

    /// Hits of a family inside `[s, e)`.
    pub fn hits_in(&self, family: &str, s: usize, e: usize) -> Vec<Hit> {
        self.hits(family)
            .iter()
            .filter(|h| h.start >= s && h.end <= e)
            .copied()
            .collect()
    }

    pub fn value(&self, h: &Hit) -> &str {
        self.rules.lex.value(h.entry)
    }

    pub fn sent_of(&self, pos: usize) -> Seg {
        self.sents
            .iter()
            .find(|s| s.contains(pos))
            .copied()
            .unwrap_or(Seg {
                start: pos,
                end: pos,
            })
    }

    pub fn clause_of(&self, pos: usize) -> Seg {
        self.clauses
            .iter()
            .find(|s| s.contains(pos))
            .copied()
            .unwrap_or_else(|| self.sent_of(pos))
    }

    /// True when the clause around `pos` holds a negation cue.
    pub fn negated(&self, pos: usize) -> bool {
        let c = self.clause_of(pos);
        !self.hits_in("neg", c.start, c.end).is_empty()
    }

    /// Folded range of a byte range of the original text.
    pub fn folded_range(&self, r: (usize, usize)) -> (usize, usize) {
        (self.t.folded_offset(r.0), self.t.folded_offset(r.1))
    }

    pub fn f(&self, s: usize, e: usize) -> &str {
        &self.t.folded[s..e]
    }

    pub fn orig(&self, s: usize, e: usize) -> &str {
        self.t.orig_str(s, e)
    }

    pub fn num_used(&self, n: &numbers::Num) -> bool {
        self.used_nums.contains(&n.start)
    }
}

/// Extracts the claims of many documents on all cores (a Telegram export, a feed), in order.
pub fn extract_all(docs: &[Document], rules: &Rules, opts: &Options) -> Vec<Option<Claim>> {
    use rayon::prelude::*;
    docs.par_iter().map(|d| extract(d, rules, opts)).collect()
}

/// Extracts the claim a document makes, if it makes one.
pub fn extract(doc: &Document, rules: &Rules, opts: &Options) -> Option<Claim> {
    let t = Text::new(doc.text.clone());
    let (lang, lang_tag) = detect_lang(&t);
    let hits = rules.lex.find(&t, lang);
    let sents = sentences(&t);
    let clauses = sents.iter().flat_map(|s| clauses(&t, *s)).collect();
    let nums = numbers::find(&t, &rules.lex, lang);
    let mut cx = Ctx {
        rules,
        doc,
        t,
        lang,
        lang_tag,
        hits,
        sents,
        clauses,
        nums,
        used_nums: Vec::new(),
        posted: None,
        money: Vec::new(),
        percents: Vec::new(),
    };
    let mut d = Draft::default();
    dates::extract(&mut cx, &mut d);
    quantities::extract(&mut cx, &mut d);
    people::extract(&cx, &mut d);
    legal::extract(&cx, &mut d);
    orgs::extract(&cx, &mut d);
    quantities::assign_penalties(&cx, &mut d);
    classes::extract(&cx, &mut d);
    kinds::extract(&cx, &mut d);
    quantities::assign_price(&cx, &mut d);
    exposure::extract(&cx, &mut d);
    let claim = d.is_claim();
    if !claim && !opts.keep_empty {
        return None;
    }
    Some(build(&cx, d, opts))
}

impl Draft {
    fn is_claim(&self) -> bool {
        let has_kind = !self.kinds.is_empty()
            || matches!(
                self.status.as_ref().map(|s| s.0),
                Some(Status::Denied | Status::Confirmed | Status::Fined)
            );
        let has_victim = !self.victims.is_empty();
        let has_data = !self.records.is_empty()
            || !self.classes.is_empty()
            || self.size.is_some()
            || !self.other.is_empty();
        let regulatory_only = self.kinds.iter().all(|k| k.0 == Kind::RegulatoryAction);
        has_kind && (has_victim || (has_data && !regulatory_only))
    }
}

/// Main language: `zh` when CJK characters dominate (Hans/Hant by characters only one script
/// uses), `vi` by Vietnamese letters or (without diacritics) Vietnamese function words, else `en`.
fn detect_lang(t: &Text) -> (&'static str, &'static str) {
    let mut cjk = 0usize;
    let mut latin_letters = 0usize;
    let mut vi_letters = 0usize;
    let mut hant = 0usize;
    let mut hans = 0usize;
    const HANT: &str = "們個國這為說對時會來發與體數據資訊點務網際灣臺於並號碼帳戶購買賣價將實當從還過經門問間關係壓縮檔處罰機構";
    const HANS: &str = "们个国这为说对时会来发与体数据资讯点务网际湾台于并号码帐户购买卖价将实当从还过经门问间关系压缩档处罚机构";
    const VI: &str = "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĂÂĐÊÔƠƯ";
    for c in t.orig.chars() {
        if is_cjk(c) {
            cjk += 1;
            if HANT.contains(c) {
                hant += 1;
            } else if HANS.contains(c) {
                hans += 1;
            }
        } else if c.is_alphabetic() {
            latin_letters += 1;
            if VI.contains(c) {
                vi_letters += 1;
            }
        }
    }
    let latin_words = latin_letters / 5;
    if cjk >= 6 && cjk >= latin_words {
        return ("zh", if hant > hans { "zh-Hant" } else { "zh-Hans" });
    }
    if latin_letters > 0 && vi_letters * 100 / latin_letters.max(1) >= 2 {
        return ("vi", "vi");
    }
    const VI_WORDS: [&str; 30] = [
        "cua", "va", "cac", "nguoi", "khach", "hang", "du", "lieu", "duoc", "trong", "cong", "ty",
        "thong", "tin", "tai", "khoan", "dang", "voi", "nhung", "mot", "cho", "bi", "gom", "nay",
        "da", "se", "la", "so", "dien", "thoai",
    ];
    const EN_WORDS: [&str; 20] = [
        "the", "and", "of", "to", "in", "is", "for", "with", "was", "are", "that", "this", "on",
        "by", "from", "has", "have", "we", "it", "our",
    ];
    let (mut vi, mut en) = (0usize, 0usize);
    for w in t.folded.split(|c: char| !c.is_alphanumeric()) {
        if VI_WORDS.contains(&w) {
            vi += 1;
        } else if EN_WORDS.contains(&w) {
            en += 1;
        }
    }
    if vi >= 5 && vi * 10 > en * 12 {
        return ("vi", "vi");
    }
    ("en", "en")
}

/// Normalised text for the fingerprint: the body (reader header lines excluded), folded, links
/// removed, letters and digits only, single spaces.
pub fn normalised_body(doc: &Document) -> String {
    let body = &doc.text[doc.body_start.min(doc.text.len())..];
    let folded = crate::text::fold(body);
    let mut out = String::with_capacity(folded.len());
    for word in folded.split_whitespace() {
        if word.starts_with("http://") || word.starts_with("https://") || word.starts_with("www.") {
            continue;
        }
        let w: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
        if !w.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&w);
        }
    }
    out
}

/// SHA-256 of [`normalised_body`], hex.
pub fn fingerprint(doc: &Document) -> String {
    hex::encode(Sha256::digest(normalised_body(doc).as_bytes()))
}

/// 64-bit SimHash of the word 3-shingles of [`normalised_body`] (CJK: character 3-grams), for
/// near-duplicate detection (re-shares with a line added or removed).
pub fn simhash(doc: &Document) -> u64 {
    let norm = normalised_body(doc);
    let tokens: Vec<String> = norm
        .split(' ')
        .flat_map(|w| {
            if w.chars().any(is_cjk) {
                w.chars().map(|c| c.to_string()).collect::<Vec<_>>()
            } else {
                vec![w.to_string()]
            }
        })
        .collect();
    let mut acc = [0i32; 64];
    for win in tokens.windows(3.min(tokens.len().max(1))) {
        let h = Sha256::digest(win.join(" ").as_bytes());
        let v = u64::from_le_bytes(h[..8].try_into().expect("8 bytes"));
        for (bit, a) in acc.iter_mut().enumerate() {
            *a += if v >> bit & 1 == 1 { 1 } else { -1 };
        }
    }
    acc.iter()
        .enumerate()
        .fold(0u64, |h, (bit, a)| if *a > 0 { h | 1 << bit } else { h })
}

fn build(cx: &Ctx, d: Draft, opts: &Options) -> Claim {
    let doc = cx.doc;
    let fp = fingerprint(doc);
    let mut ev: BTreeMap<String, Vec<Ev>> = BTreeMap::new();
    let mut put = |k: String, list: &[Ev]| {
        if !list.is_empty() {
            ev.entry(k).or_default().extend_from_slice(list);
        }
    };
    let mut c = Claim {
        schema: SCHEMA.into(),
        id: format!("clm-{}", &fp[..16]),
        lang: cx.lang_tag.into(),
        fingerprint: fp.clone(),
        ..Claim::default()
    };
    for (i, (k, e)) in d.kinds.iter().enumerate() {
        c.kind.push(*k);
        put(format!("kind[{i}]"), e);
    }
    if let Some((s, e)) = &d.status {
        c.status = Some(*s);
        put("status".into(), e);
    }
    let mut victims = d.victims;
    victims.sort_by_key(|v| (role_rank(&v.v.role), v.first));
    for (i, v) in victims.iter().enumerate() {
        c.victims.push(v.v.clone());
        for (field, list) in &v.ev {
            put(format!("victims[{i}].{field}"), list);
        }
    }
    for (i, (a, e)) in d.actors.iter().enumerate() {
        c.actors.push(a.clone());
        put(format!("actors[{i}]"), e);
    }
    if let Some((v, e)) = &d.venue {
        c.venue = Some(v.clone());
        put("venue".into(), e);
    }
    let mut keep = Vec::new();
    for (i, (k, e)) in d.contacts.iter().enumerate() {
        c.contacts.push(k.clone());
        put(format!("contacts[{i}]"), e);
        keep.extend(e.iter().map(|x| cx.t.orig_range(x.s, x.e)));
    }
    if let Some((p, e)) = &d.price {
        c.price = Some(p.clone());
        put("price".into(), e);
    }
    for (i, (r, e, _)) in d.records.iter().enumerate() {
        c.records.push(r.clone());
        put(format!("records[{i}]"), e);
    }
    if let Some((s, e)) = &d.size {
        c.size_bytes = Some(*s);
        put("size_bytes".into(), e);
    }
    for (i, (k, e)) in d.classes.iter().enumerate() {
        c.data_classes.push(k.clone());
        put(format!("data_classes[{i}]"), e);
    }
    for (i, (k, e)) in d.other.iter().enumerate() {
        c.data_other.push(k.clone());
        put(format!("data_other[{i}]"), e);
    }
    if let Some((s, e)) = &d.sample {
        c.sample = Some(s.clone());
        put("sample".into(), e);
    }
    for (k, (v, e)) in &d.dates {
        if let Some(slot) = c.dates.field_mut(k) {
            *slot = Some(v.clone());
        }
        put(format!("dates.{k}"), e);
    }
    if !d.exposure.is_empty() {
        let mut x = Exposure::default();
        for (k, (v, e)) in &d.exposure {
            match (*k, v) {
                ("service", ExposureValue::Text(s)) => x.service = Some(s.clone()),
                ("auth", ExposureValue::Text(s)) => x.auth = Some(s.clone()),
                ("duration_days", ExposureValue::Number(n)) => x.duration_days = Some(*n),
                ("records", ExposureValue::Number(n)) => x.records = Some(*n),
                ("size_bytes", ExposureValue::Number(n)) => x.size_bytes = Some(*n),
                _ => continue,
            }
            put(format!("exposure.{k}"), e);
        }
        c.exposure = Some(x);
    }
    for (i, (l, e)) in d.laws.iter().enumerate() {
        c.laws.push(l.clone());
        put(format!("laws[{i}]"), e);
    }
    for (i, (r, e)) in d.regulators.iter().enumerate() {
        c.regulators.push(r.clone());
        put(format!("regulators[{i}]"), e);
    }
    for (i, (p, e)) in d.penalties.iter().enumerate() {
        c.penalties.push(p.clone());
        put(format!("penalties[{i}]"), e);
    }

    // Spans: folded → original bytes → characters; quotes masked unless revealed.
    let masked = if opts.reveal {
        cx.t.orig.clone()
    } else {
        mask_text(&cx.t.orig, &keep)
    };
    for (k, list) in ev {
        let mut spans: Vec<Span> = Vec::new();
        for x in list {
            let (bs, be) = cx.t.orig_range(x.s, x.e);
            let (cs, ce) = (cx.t.char_index(bs), cx.t.char_index(be));
            let text: String = masked.chars().skip(cs).take(ce - cs).collect();
            let span = Span {
                start: cs,
                end: ce,
                text,
                basis: x.basis.map(String::from),
            };
            if !spans.contains(&span) {
                spans.push(span);
            }
        }
        spans.sort_by_key(|s| s.start);
        c.evidence.insert(k, spans);
    }
    c.source = Source {
        path: None,
        format: doc.format.map_or("text", |f| f.id()).to_string(),
        item: doc.item.clone(),
        title: doc.title.clone(),
        url: doc.url.clone(),
        chars: cx.t.chars(),
        sha256: hex::encode(Sha256::digest(cx.t.orig.as_bytes())),
    };
    c
}

fn role_rank(role: &str) -> u8 {
    match role {
        "victim" => 0,
        "service_provider" => 1,
        "platform" => 2,
        "parent" => 3,
        "owner" => 4,
        _ => 5,
    }
}
