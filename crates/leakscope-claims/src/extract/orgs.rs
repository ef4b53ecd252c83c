//! Organisations (`victims[]`): names from the platform file, company legal forms (`Pte Ltd`,
//! `Công ty Cổ phần …`, `…有限公司`), domains, and victim contexts ("customer database of X",
//! "X confirmed", "online grocery service X", "X (x.vn)"); roles from the text ("a subsidiary
//! of", "merchants on", "third-party vendor") and from the platform file (parent, owner);
//! country and sector from the platform file, the domain, the legal form, or words written next
//! to the name.

use super::{Ctx, Draft, Ev, VictimDraft};
use crate::text::{fold, is_cjk};
use regex::Regex;
use std::sync::OnceLock;

/// How sure we are that a candidate is a victim (platform / legal-form mentions without
/// context are weak; contexts, titles, formats and domains next to a name are strong).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    Weak,
    Strong,
}

#[derive(Debug, Clone)]
struct Cand {
    name: String,
    s: usize,
    e: usize,
    strength: Strength,
    platform: Option<usize>,
    domain: Option<(String, usize, usize)>,
    country: Option<(String, Ev)>,
    role: Option<(&'static str, Ev)>,
    /// Country given by the legal form.
    legal_country: Option<(String, Ev)>,
}

impl Cand {
    fn new(name: String, s: usize, e: usize, strength: Strength) -> Cand {
        Cand {
            name,
            s,
            e,
            strength,
            platform: None,
            domain: None,
            country: None,
            role: None,
            legal_country: None,
        }
    }
}

/// Words that start a capitalised run but are never (the start of) an organisation name.
const STOP_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "our",
    "its",
    "their",
    "his",
    "her",
    "my",
    "we",
    "i",
    "it",
    "in",
    "on",
    "at",
    "for",
    "from",
    "by",
    "with",
    "and",
    "or",
    "of",
    "to",
    "hello",
    "hi",
    "today",
    "yesterday",
    "total",
    "fields",
    "field",
    "price",
    "sample",
    "samples",
    "contact",
    "data",
    "database",
    "db",
    "dump",
    "posted",
    "published",
    "date",
    "subject",
    "from",
    "site",
    "channel",
    "group",
    "victim",
    "website",
    "discovered",
    "activity",
    "country",
    "telegram",
    "jabber",
    "tox",
    "session",
    "signal",
    "whatsapp",
    "excel",
    "csv",
    "sql",
    "json",
    "bitcoin",
    "btc",
    "usdt",
    "xmr",
    "monero",
    "usd",
    "escrow",
    "selling",
    "sell",
    "wts",
    "leak",
    "leaked",
    "free",
    "download",
    "breaking",
    "update",
    "news",
    "security",
    "hacker",
    "hackers",
    "researchers",
    "researcher",
    "company",
    "firm",
    "customers",
    "users",
    "members",
    "records",
    "according",
    "however",
    "but",
    "also",
    "after",
    "before",
    "when",
    "while",
    "if",
    "as",
    "email",
    "fields:",
    "note",
    "proof",
    "link",
    "source",
    "ban",
    "can",
    "mua",
    "share",
    "wtb",
    "asia",
    "europe",
    "africa",
    "america",
    "dark",
    "web",
    "internet",
    "online",
    "hacking",
    "forum",
    "marketplace",
    "databases",
    "selling",
    "new",
    "full",
    "fresh",
    "private",
    "public",
    "all",
    "no",
    "not",
    "yes",
    "dm",
    "pm",
    "ransomware",
    "group:",
    "mr",
    "ms",
    "dr",
    "ceo",
    "cto",
    "statement",
    "spokesperson",
    "commission",
    "ministry",
    "department",
    "authority",
    "agency",
    "police",
    "government",
    "court",
    "office",
    "law",
    "act",
    "decree",
    "regulation",
    "article",
];

fn is_stop(word: &str) -> bool {
    STOP_NAMES.contains(&fold(word).trim_matches(|c: char| !c.is_alphanumeric()))
}

/// A capitalised run ending at original byte `end` (backwards) or starting at `start`.
struct Runs<'a> {
    orig: &'a str,
}

fn token_ok(tok: &str) -> bool {
    let first = tok.chars().next();
    let letters = tok.chars().filter(|c| c.is_alphabetic()).count();
    match first {
        Some(c) if c.is_uppercase() => true,
        // "7-Eleven", "8base" — but not "1.2M" or "500k".
        Some(c) if c.is_ascii_digit() => letters >= 3,
        _ => false,
    }
}

fn connector(tok: &str) -> bool {
    matches!(tok, "&" | "and" | "of" | "de" | "du" | "-" | "và" | "va")
}

impl<'a> Runs<'a> {
    /// Tokens (word, start, end) of a line segment.
    fn tokens(&self, from: usize, to: usize) -> Vec<(&'a str, usize, usize)> {
        let mut out = Vec::new();
        let seg = &self.orig[from..to];
        let mut i = 0;
        for part in seg.split_inclusive(|c: char| c.is_whitespace()) {
            let word = part.trim_end();
            if !word.is_empty() {
                out.push((word, from + i, from + i + word.len()));
            }
            i += part.len();
        }
        out
    }

    /// The capitalised run that ends right before original byte `end` (on the same line).
    fn before(&self, end: usize, max: usize) -> Option<(usize, usize)> {
        let line_start = self.orig[..end].rfind('\n').map_or(0, |p| p + 1);
        let toks = self.tokens(line_start, end);
        let mut start = None;
        let mut n = 0;
        for (w, s, _) in toks.iter().rev() {
            let clean = w.trim_matches(|c: char| {
                matches!(
                    c,
                    '"' | '\'' | '(' | ')' | '[' | ']' | '“' | '”' | '*' | '_' | '~' | '`'
                )
            });
            let abbrev = matches!(
                fold(clean).as_str(),
                "ltd."
                    | "pte."
                    | "co."
                    | "inc."
                    | "corp."
                    | "bhd."
                    | "sdn."
                    | "co.,"
                    | "jsc."
                    | "tbk."
                    | "s.a."
            );
            if clean.ends_with([',', ';', ':', '.']) && start.is_some() && !abbrev {
                break;
            }
            if token_ok(clean) && !is_stop(clean) {
                start = Some(*s);
                n += 1;
            } else if connector(clean) && start.is_some() {
                continue;
            } else {
                break;
            }
            if n >= max {
                break;
            }
            if w.starts_with(['(', '"', '“', '[']) {
                break;
            }
        }
        let s = start?;
        let s = s + self.orig[s..]
            .find(|c: char| c.is_alphanumeric())
            .unwrap_or(0);
        Some((s, trim_end_punct(self.orig, s, end)))
    }

    /// The capitalised run that starts at (or right after spaces from) original byte `start`.
    /// Lower-case words inside are kept when more capitalised words follow (Vietnamese names
    /// such as "Ví điện tử An Phát").
    fn after(&self, start: usize, max: usize, allow_lower: bool) -> Option<(usize, usize)> {
        let line_end = self.orig[start..]
            .find('\n')
            .map_or(self.orig.len(), |p| start + p);
        let toks = self.tokens(start, line_end);
        let mut end = None;
        let mut n = 0;
        let mut pending_lower = 0;
        for (w, _, e) in toks.iter() {
            let w = w.trim_start_matches(['*', '_', '~', '`']);
            let clean = w.trim_end_matches(|c: char| {
                matches!(
                    c,
                    ',' | ';' | ':' | '.' | ')' | '"' | '”' | '!' | '?' | '*' | '_' | '~' | '`'
                )
            });
            let stop_here = clean.len() != w.len();
            if clean.starts_with(['(', '"', '“']) {
                break;
            }
            if token_ok(clean) && !(n == 0 && is_stop(clean)) {
                end = Some(e - (w.len() - clean.len()));
                n += 1;
                pending_lower = 0;
            } else if (connector(clean) || allow_lower && is_plain_lower(clean))
                && end.is_some()
                && pending_lower < 3
            {
                pending_lower += 1;
            } else if allow_lower
                && is_plain_lower(clean)
                && end.is_none()
                && pending_lower < 3
                && n == 0
            {
                // "Ví điện tử": first word capitalised is required; lower before it stops.
                break;
            } else {
                break;
            }
            if stop_here || n >= max {
                break;
            }
        }
        let e = end?;
        let s = start
            + self.orig[start..]
                .find(|c: char| c.is_alphanumeric())
                .unwrap_or(0);
        (e > s).then_some((s, e))
    }
}

/// Vietnamese function words that end a name.
const VI_STOP: &[&str] = &[
    "bị",
    "đã",
    "là",
    "của",
    "và",
    "với",
    "cho",
    "tại",
    "về",
    "được",
    "có",
    "đang",
    "vì",
    "do",
    "khi",
    "sau",
    "trước",
    "theo",
    "này",
    "số",
    "tiền",
    "vừa",
    "hôm",
    "ngày",
    "xác",
    "thừa",
    "cho",
    "biết",
    "bi",
    "da",
    "la",
    "cua",
    "va",
    "voi",
    "tai",
    "ve",
    "duoc",
    "co",
    "dang",
    "vi",
    "do",
    "khi",
    "sau",
    "theo",
    "nay",
    "so",
    "tien",
    "vua",
    "hom",
    "ngay",
    "xac",
    "the",
    "a",
    "an",
    "of",
    "in",
    "on",
    "and",
    "has",
    "have",
    "was",
    "is",
    "said",
    "confirmed",
    "for",
    "to",
];

fn is_plain_lower(w: &str) -> bool {
    w.chars().all(|c| c.is_lowercase()) && !VI_STOP.contains(&w)
}

fn trim_end_punct(orig: &str, s: usize, mut e: usize) -> usize {
    while e > s {
        let c = orig[..e].chars().last().unwrap_or(' ');
        if c.is_alphanumeric()
            || c == '.' && orig[s..e].to_ascii_lowercase().ends_with("ltd.")
            || c == ')' && orig[s..e].contains('(')
        {
            break;
        }
        e -= c.len_utf8();
    }
    e
}

fn domain_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?:https?://)?(?:www\.)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,12}))\b",
        )
        .expect("valid regex")
    })
}

/// Victim-context cues (folded), with the side the name is on.
const CONTEXT_BEFORE_NAME: &[&str] = &[
    "database of",
    "databases of",
    "db of",
    "data of",
    "data from",
    "dump of",
    "customers of",
    "users of",
    "clients of",
    "members of",
    "records of",
    "accounts of",
    "customer database of",
    "user database of",
    "breach at",
    "breach of",
    "hack of",
    "hack at",
    "attack on",
    "attack against",
    "intrusion at",
    "leak at",
    "leak of",
    "incident at",
    "fined",
    "penalty on",
    "penalty against",
    "against",
    "selling the",
    "selling",
    "leaked the",
    "dumped the",
    "hacked",
    "breached",
    "du lieu khach hang cua",
    "du lieu nguoi dung cua",
    "du lieu cua",
    "khach hang cua",
    "nguoi dung cua",
    "thong tin khach hang cua",
    "data khach hang",
    "du lieu khach hang",
    "data cua",
    "doi voi",
    "ban data",
    "ban du lieu",
    "hacked into",
    "compromise of",
    "belonging to",
    "belongs to",
    "operated by",
    "run by",
    "thuoc ve",
    "cua cong ty",
    "subsidiary of",
    "owned by",
    "part of",
    "a unit of",
    "a division of",
    "cong ty con cua",
    "thuoc so huu cua",
    "merchants on",
    "sellers on",
    "shops on",
    "stores on",
    "vendors on",
    "third-party vendor",
    "third party vendor",
    "service provider",
    "vendor",
    "supplier",
    "nha cung cap",
];
const CONTEXT_AFTER_NAME: &[&str] = &[
    "confirmed",
    "confirms",
    "has confirmed",
    "denied",
    "denies",
    "has denied",
    "disclosed",
    "said",
    "says",
    "admitted",
    "acknowledged",
    "suffered",
    "was hacked",
    "was breached",
    "has been hacked",
    "data breach",
    "breach",
    "customer database",
    "customer data",
    "customer db",
    "user database",
    "user data",
    "users",
    "customers",
    "database",
    "db",
    "data",
    "leak",
    "hack",
    "'s customers",
    "'s users",
    "'s database",
    "'s data",
    "xac nhan",
    "thua nhan",
    "bi tan cong",
    "bi hack",
    "bi lo",
    "bi ro ri",
    "cho biet",
    "bac bo",
    "phu nhan",
    "的用户",
    "的客户",
    "的会员",
    "用户数据",
    "数据泄露",
    "确认",
    "否认",
    "遭",
    "被黑",
];
/// Type words before a Vietnamese / English name ("chuỗi nhà thuốc Minh Tâm").
const TYPE_PREFIX: &[&str] = &[
    "chuoi nha thuoc",
    "nha thuoc",
    "ngan hang",
    "san thuong mai dien tu",
    "san tmdt",
    "vi dien tu",
    "chuoi sieu thi",
    "sieu thi",
    "benh vien",
    "truong dai hoc",
    "dai hoc",
    "hang hang khong",
    "chuoi cua hang",
    "cua hang",
    "ung dung",
    "nen tang",
];
/// Contexts that make a name a researcher / source, not a victim.
const SOURCE_CONTEXT: &[&str] = &[
    "security firm",
    "cybersecurity firm",
    "cyber security firm",
    "security company",
    "cybersecurity company",
    "threat intelligence",
    "researchers at",
    "research team at",
    "according to",
    "told",
    "reported by",
    "security researchers",
    "researchers from",
    "cong ty bao mat",
    "hang bao mat",
    "安全公司",
    "据",
];

pub(super) fn extract(cx: &Ctx, d: &mut Draft) {
    let mut cands = candidates(cx, d);
    roles_from_text(cx, &mut cands);
    let merged = merge(cx, cands);
    let strong = merged
        .iter()
        .any(|(c, _)| c.strength == Strength::Strong && c.role.is_none());
    let mut victims: Vec<VictimDraft> = Vec::new();
    for (c, mentions) in merged {
        if strong && c.strength == Strength::Weak && c.role.is_none() {
            continue;
        }
        if matches!(c.role, Some(("source", _))) {
            continue;
        }
        victims.push(to_victim(cx, d, &c, &mentions));
    }
    add_platform_chain(cx, &mut victims);
    d.victims = victims;
}

fn candidates(cx: &Ctx, d: &Draft) -> Vec<Cand> {
    let f = &cx.t.folded;
    let orig = &cx.t.orig;
    let runs = Runs { orig };
    let mut out: Vec<Cand> = Vec::new();
    let blocked = blocked_ranges(cx, d);
    let is_blocked = |s: usize, e: usize| blocked.iter().any(|(bs, be)| s < *be && e > *bs);
    let (title_start, title_end) = title_range(cx);
    let _ = title_start;

    // 1. Format hints (leak-site post title and website).
    if let Some((name, r)) = &cx.doc.hints.victim {
        let (s, e) = cx.folded_range(*r);
        if domain_re().is_match(&fold(name)) && !name.contains(' ') {
            // a domain as title: handled below through the domain pass (strong)
        } else {
            let mut c = Cand::new(name.clone(), s, e, Strength::Strong);
            if let Some((cn, cr)) = &cx.doc.hints.country {
                let (cs, ce) = cx.folded_range(*cr);
                if cn.len() == 2 {
                    c.country = Some((cn.to_ascii_uppercase(), Ev::with(cs, ce, "metadata")));
                }
            }
            out.push(c);
        }
    }
    // 2. Platform-file names.
    for h in cx.hits("plat") {
        if is_blocked(h.start, h.end) || in_contact(cx, h.start) {
            continue;
        }
        let Some(idx) = cx.rules.platforms.by_id(cx.value(h)) else {
            continue;
        };
        let mut c = Cand::new(
            cx.rules.platforms.list[idx].name.clone(),
            h.start,
            h.end,
            Strength::Weak,
        );
        c.platform = Some(idx);
        if has_context(cx, h.start, h.end) || h.start < title_end {
            c.strength = Strength::Strong;
        }
        out.push(c);
    }
    // 3. Legal forms: suffixes after a capitalised run, Vietnamese prefixes, Chinese suffixes.
    for h in cx.hits("legal") {
        let (os, _) = cx.t.orig_range(h.start, h.end);
        let (_, oe) = cx.t.orig_range(h.start, h.end);
        let Some((rs, _)) = runs.before(os, 6) else {
            continue;
        };
        let fs = cx.t.folded_offset(rs);
        if fs >= h.start || is_blocked(fs, h.end) {
            continue;
        }
        let core = cx.orig(fs, h.start).trim();
        if core.is_empty() || is_stop(core) {
            continue;
        }
        let name = orig[rs..oe].trim().to_string();
        let mut c = Cand::new(name, fs, h.end, strength_at(cx, fs, h.end, title_end));
        let lc = cx.value(h);
        if lc != "-" && !(lc == "VN" && cx.lang != "vi" && !cx.t.folded.contains(".vn")) {
            c.legal_country = Some((lc.to_string(), Ev::new(h.start, h.end)));
        }
        if !weak_legal(cx.f(h.start, h.end)) || c.strength == Strength::Strong {
            out.push(c);
        }
    }
    for h in cx.hits("legalpre") {
        let (_, oe) = cx.t.orig_range(h.start, h.end);
        let Some((_, re)) = runs.after(oe, 8, true) else {
            continue;
        };
        let (os, _) = cx.t.orig_range(h.start, h.end);
        let fe = cx.t.folded_offset(re);
        if is_blocked(h.start, fe) {
            continue;
        }
        // "PT" alone needs an Indonesian context (Tbk or .id).
        if cx.value(h) == "ID" && !(f.contains(" tbk") || f.contains(".id")) {
            continue;
        }
        let name = orig[os..re].trim().to_string();
        let mut c = Cand::new(name, h.start, fe, strength_at(cx, h.start, fe, title_end));
        c.legal_country = Some((cx.value(h).to_string(), Ev::new(h.start, h.end)));
        out.push(c);
    }
    for h in cx.hits("legalzh") {
        if let Some((s, name)) = zh_name(cx, h.start, h.end) {
            if is_blocked(s, h.end) {
                continue;
            }
            let mut c = Cand::new(name, s, h.end, strength_at(cx, s, h.end, title_end));
            let suffix = cx.f(h.start, h.end);
            if cx.lang_tag == "zh-Hans" && suffix.contains("公司") {
                c.legal_country = Some(("CN".into(), Ev::new(h.start, h.end)));
            }
            if suffix.contains("公司") || suffix.contains("集团") || suffix.contains("集團") {
                c.strength = Strength::Strong.max(c.strength);
            }
            out.push(c);
        }
    }
    // 4. Names in victim contexts and after type words.
    context_names(cx, &runs, &mut out, &is_blocked, title_end);
    // 5. Domains.
    domains(cx, &mut out, &is_blocked, title_end);
    out
}

/// True when every word of `[s, e)` is covered by generic vocabulary (sector, kind, class,
/// context, unit words): "Telco", "Hacker", "Database" are not names.
fn generic(cx: &Ctx, s: usize, e: usize) -> bool {
    let f = &cx.t.folded;
    let mut covered = vec![false; e - s];
    for fam in [
        "sector", "kind", "class", "ctx", "unit", "other", "venue", "service", "date", "status",
        "country",
    ] {
        for h in cx.hits(fam) {
            if h.start < e && h.end > s {
                for c in covered
                    .iter_mut()
                    .take(h.end.min(e) - s)
                    .skip(h.start.max(s) - s)
                {
                    *c = true;
                }
            }
        }
    }
    f[s..e]
        .char_indices()
        .all(|(i, c)| !c.is_alphanumeric() || covered[i])
}

fn weak_legal(suffix: &str) -> bool {
    matches!(
        suffix,
        "group" | "holdings" | "holding" | "company" | "limited" | "ag"
    )
}

fn strength_at(cx: &Ctx, s: usize, e: usize, title_end: usize) -> Strength {
    if s < title_end || has_context(cx, s, e) {
        Strength::Strong
    } else {
        Strength::Weak
    }
}

/// A victim context right before or after `[s, e)`, or a kind / data cue in the sentence.
fn has_context(cx: &Ctx, s: usize, e: usize) -> bool {
    let f = &cx.t.folded;
    let before = f[..s].trim_end();
    let after = f[e..].trim_start();
    if CONTEXT_BEFORE_NAME
        .iter()
        .any(|c| before.ends_with(c) || before.ends_with(&format!("{c} the")))
        || CONTEXT_AFTER_NAME.iter().any(|c| after.starts_with(c))
    {
        return true;
    }
    let sent = cx.sent_of(s);
    let kinds = cx.hits_in("kind", sent.start, sent.end);
    kinds
        .iter()
        .any(|h| cx.rules.lex.entries[h.entry].weight >= 2)
}

fn in_contact(cx: &Ctx, pos: usize) -> bool {
    let c = cx.clause_of(pos);
    cx.hits_in("ctx", c.start, c.end)
        .iter()
        .any(|h| cx.value(h) == "contact")
}

/// Ranges that cannot be victim names: regulators, laws, forums, groups, countries, months,
/// contacts, actors and the reader's label words.
fn blocked_ranges(cx: &Ctx, d: &Draft) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for fam in [
        "reg", "regamb", "law", "lawamb", "forum", "group", "month", "weekday", "contact", "venue",
        "service",
    ] {
        for h in cx.hits(fam) {
            out.push((h.start, h.end));
        }
    }
    for (_, ev) in &d.actors {
        out.extend(ev.iter().map(|e| (e.s, e.e)));
    }
    for (_, ev) in &d.contacts {
        out.extend(ev.iter().map(|e| (e.s, e.e)));
    }
    if let Some((_, ev)) = &d.venue {
        out.extend(ev.iter().map(|e| (e.s, e.e)));
    }
    out
}

/// The CJK name before a Chinese legal suffix, stopping at function characters, verbs and
/// generic nouns; anonymous names (某) are refused.
fn zh_name(cx: &Ctx, s: usize, e: usize) -> Option<(usize, String)> {
    const STOP_CHARS: &str = "的了在对對向与與和是被为為将將由据據称稱该該其于於这這那此已、，。：；“”《》（）()【】[] \n\t:;,.!?！？\"'";
    const STOP_WORDS: [&str; 46] = [
        "出售", "泄露", "洩露", "外泄", "外洩", "遭到", "发现", "發現", "确认", "確認", "通报",
        "通報", "宣布", "表示", "获取", "獲取", "包含", "包括", "来自", "來自", "属于", "屬於",
        "旗下", "关于", "關於", "今日", "近日", "昨日", "日前", "用户", "用戶", "客户", "数据",
        "黑客", "窃取", "竊取", "攻击", "攻擊", "声称", "聲稱", "入侵", "针对", "針對", "披露",
        "对于", "一个",
    ];
    let f = &cx.t.folded;
    let mut start = s;
    let mut n = 0;
    for c in f[..s].chars().rev() {
        if !is_cjk(c) || STOP_CHARS.contains(c) || n >= 15 {
            break;
        }
        let cand = start - c.len_utf8();
        if STOP_WORDS
            .iter()
            .any(|w| f[cand..].starts_with(w) || f[..start].ends_with(w))
        {
            break;
        }
        start = cand;
        n += 1;
    }
    if n < 2 {
        return None;
    }
    let name = cx.orig(start, e).to_string();
    if name.contains('某')
        || [
            "该", "該", "本", "其", "这", "這", "此", "一家", "多家", "一个", "一個",
        ]
        .iter()
        .any(|p| name.starts_with(p))
    {
        return None;
    }
    Some((start, name))
}

fn context_names(
    cx: &Ctx,
    runs: &Runs,
    out: &mut Vec<Cand>,
    is_blocked: &dyn Fn(usize, usize) -> bool,
    title_end: usize,
) {
    let f = &cx.t.folded;
    let orig = &cx.t.orig;
    let push = |out: &mut Vec<Cand>, os: usize, oe: usize| {
        let (fs, fe) = (cx.t.folded_offset(os), cx.t.folded_offset(oe));
        if fe <= fs || is_blocked(fs, fe) || out.iter().any(|c| c.s == fs && c.e == fe) {
            return;
        }
        let name = orig[os..oe].trim().to_string();
        if name.chars().count() < 2 || is_stop(&name) || name.chars().all(|c| c.is_ascii_digit()) {
            return;
        }
        if generic(cx, fs, fe) {
            return;
        }
        let _ = title_end;
        out.push(Cand::new(name, fs, fe, Strength::Strong));
    };
    // Names right after a context or a type word.
    for cue in CONTEXT_BEFORE_NAME.iter().chain(TYPE_PREFIX) {
        let mut from = 0;
        while let Some(p) = f[from..].find(cue) {
            let at = from + p;
            from = at + cue.len();
            if !crate::text::on_boundaries(f, at, at + cue.len()) {
                continue;
            }
            let mut after = at + cue.len();
            for art in [" the ", " "] {
                if f[after..].starts_with(art) {
                    after += art.len() - 1;
                    break;
                }
            }
            let (cue_os, oe) = cx.t.orig_range(at, after);
            let allow_lower = cx.lang == "vi";
            if let Some((rs, re)) = runs.after(oe, if allow_lower { 8 } else { 5 }, allow_lower) {
                let rs_f = cx.t.folded_offset(rs);
                if rs_f.saturating_sub(after) > 2 {
                    continue;
                }
                // A capitalised type word is part of the name ("Bệnh viện Đa khoa Hải Âu",
                // "Ngân hàng TMCP Sao Việt"); a lower-case one is not ("chuỗi nhà thuốc Minh Tâm").
                let type_word = TYPE_PREFIX.contains(cue);
                let capitalised = orig[cue_os..]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase);
                if type_word && capitalised {
                    push(out, cue_os, re);
                } else {
                    push(out, rs, re);
                }
            }
        }
    }
    // Names right before a context ("FreshBasket confirmed", "X customer database").
    for cue in CONTEXT_AFTER_NAME {
        let mut from = 0;
        while let Some(p) = f[from..].find(cue) {
            let at = from + p;
            from = at + cue.len();
            let cue_is_cjk = cue.chars().any(is_cjk);
            if !cue_is_cjk && !crate::text::on_boundaries(f, at, at + cue.len()) {
                continue;
            }
            let (os, _) = cx.t.orig_range(at, at + cue.len());
            let os_trim = orig[..os].trim_end_matches([' ', '\'', '’']).len();
            let os_trim = if orig[..os_trim].ends_with("'s") || orig[..os_trim].ends_with("’s") {
                os_trim - 2
            } else {
                os_trim
            };
            if let Some((rs, re)) = runs.before(os_trim, 5) {
                push(out, rs, re);
            }
        }
    }
    // Names next to a sector word: "online grocery service FreshBasket", "Budget airline SkyLink
    // Air", "ride-hailing company RideNow".
    for h in cx.hits("sector") {
        let mut after = h.end;
        for w in [
            " service",
            " company",
            " platform",
            " app",
            " chain",
            " firm",
            " operator",
            " provider",
            " giant",
            " brand",
            " store",
        ] {
            if f[after..].starts_with(w) {
                after += w.len();
                break;
            }
        }
        let (_, oe) = cx.t.orig_range(h.start, after);
        if !orig[oe..].starts_with(' ') {
            continue;
        }
        if let Some((rs, re)) = runs.after(oe, 4, false) {
            if cx.t.folded_offset(rs) <= after + 1 {
                push(out, rs, re);
            }
        }
    }
    // "Name (domain)": handled by domains(); "Name, a … company" apposition.
    static APPOS: OnceLock<Regex> = OnceLock::new();
    let appos = APPOS.get_or_init(|| {
        Regex::new(r",\s+(?:a|an|the|one of the)\s+(?:[a-z\-']+\s+){0,4}?(?:company|firm|platform|retailer|store|shop|service|bank|operator|provider|chain|app|group|marketplace|startup|insurer|airline|hospital|school|university|academy|brand)\b")
            .expect("valid regex")
    });
    for m in appos.find_iter(f) {
        let (os, _) = cx.t.orig_range(m.start(), m.end());
        if let Some((rs, re)) = runs.before(os, 5) {
            push(out, rs, re);
        }
    }
}

fn domains(
    cx: &Ctx,
    out: &mut Vec<Cand>,
    is_blocked: &dyn Fn(usize, usize) -> bool,
    title_end: usize,
) {
    let f = &cx.t.folded;
    let own_host = cx
        .doc
        .url
        .as_deref()
        .and_then(host)
        .map(|h| h.trim_start_matches("www.").to_string());
    let infra: Vec<String> = cx
        .hits("infra")
        .iter()
        .map(|h| cx.f(h.start, h.end).to_string())
        .collect();
    let website_hint = cx
        .doc
        .hints
        .website
        .as_ref()
        .map(|(w, r)| (fold(w), cx.folded_range(*r)));
    for m in domain_re().captures_iter(f) {
        let whole = m.get(0).expect("match");
        let dom = m.get(1).expect("domain");
        let tld = m.get(2).expect("tld").as_str();
        let name = dom.as_str().to_string();
        if !cx.rules.known_tld(tld) || name.len() < 4 {
            continue;
        }
        if f[..whole.start()].ends_with('@') || f[..whole.start()].ends_with('.') {
            continue;
        }
        // Part of a URL path or an e-mail local part.
        if f[..whole.start()].ends_with('/') || f[whole.end()..].starts_with('@') {
            continue;
        }
        if infra
            .iter()
            .any(|i| name == *i || name.ends_with(&format!(".{i}")))
        {
            continue;
        }
        if own_host.as_deref() == Some(name.trim_start_matches("www.")) {
            continue;
        }
        // File names: "sample.xlsx" has no known TLD; "result.json" neither; reject "x.sql" too.
        if name.split('.').count() == 2 && name.len() <= 6 {
            continue;
        }
        let (s, e) = (dom.start(), dom.end());
        if is_blocked(s, e) {
            continue;
        }
        let from_hint = website_hint.as_ref().is_some_and(|(w, _)| *w == name)
            || cx
                .doc
                .hints
                .victim
                .as_ref()
                .is_some_and(|(v, _)| fold(v) == name);
        let mut c = Cand::new(name.clone(), s, e, Strength::Weak);
        c.domain = Some((name.clone(), s, e));
        if let Some(idx) = cx.rules.platforms.by_domain(&name) {
            c.platform = Some(idx);
            c.name = cx.rules.platforms.list[idx].name.clone();
        }
        if from_hint || s < title_end || has_context(cx, s, e) {
            c.strength = Strength::Strong;
        }
        out.push(c);
    }
}

fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', ':', '?']).next()
}

/// Marks candidates introduced as parents, platforms or service providers.
fn roles_from_text(cx: &Ctx, cands: &mut [Cand]) {
    let f = &cx.t.folded;
    const PARENT: [&str; 9] = [
        "a subsidiary of",
        "subsidiary of",
        "owned by",
        "part of",
        "a unit of",
        "a division of",
        "cong ty con cua",
        "thuoc so huu cua",
        "thuoc tap doan",
    ];
    const PLATFORM: [&str; 10] = [
        "merchants on",
        "sellers on",
        "shops on",
        "stores on",
        "vendors on",
        "nha ban hang tren",
        "shop tren",
        "cua hang tren",
        "gian hang tren",
        "selling on",
    ];
    const PROVIDER: [&str; 10] = [
        "third-party vendor",
        "third party vendor",
        "third-party provider",
        "service provider",
        "vendor",
        "supplier",
        "contractor",
        "nha cung cap",
        "doi tac",
        "供应商",
    ];
    for c in cands.iter_mut() {
        let before = f[..c.s].trim_end();
        let before = before.strip_suffix(" the").unwrap_or(before).trim_end();
        let before = before.strip_suffix(',').unwrap_or(before).trim_end();
        let ev_of = |phrase: &str| Ev::new(before.len() - phrase.len(), before.len());
        if let Some(p) = PARENT.iter().find(|p| before.ends_with(*p)) {
            c.role = Some(("parent", ev_of(p)));
        } else if let Some(p) = PLATFORM.iter().find(|p| before.ends_with(*p)) {
            c.role = Some(("platform", ev_of(p)));
        } else if let Some(p) = PROVIDER.iter().find(|p| before.ends_with(*p)) {
            c.role = Some(("service_provider", ev_of(p)));
        } else if f[..c.s].ends_with("旗下") || f[c.e..].starts_with("旗下") {
            c.role = Some((
                "parent",
                Ev::new(c.e, c.e + "旗下".len().min(f.len() - c.e)),
            ));
        }
        // "X-owned Y" / "Y, owned by X" handled above; researchers are not victims.
        if SOURCE_CONTEXT
            .iter()
            .any(|s| before.ends_with(s) || before.ends_with(&format!("{s} the")))
            || f[c.e..].trim_start().starts_with("researchers")
        {
            c.role = Some(("source", Ev::new(c.s, c.e)));
        }
    }
}

fn core_key(name: &str) -> String {
    let mut f = format!(" {}", fold(name));
    for suffix in [
        " pte. ltd.",
        " pte ltd",
        " pte. ltd",
        " sdn bhd",
        " sdn. bhd.",
        " co., ltd.",
        " co., ltd",
        " co. ltd",
        " ltd.",
        " ltd",
        " pte.",
        " pte",
        " limited",
        " inc.",
        " inc",
        " corp.",
        " corp",
        " corporation",
        " jsc",
        " llc",
        " plc",
        " tbk",
        " berhad",
        " bhd",
        " group",
        " holdings",
        "股份有限公司",
        "有限责任公司",
        "有限公司",
        "集团",
        "集團",
        "公司",
    ] {
        if let Some(x) = f.strip_suffix(suffix) {
            f = x.to_string();
            break;
        }
    }
    let mut f = f.trim_start().to_string();
    for prefix in [
        "cong ty co phan ",
        "cong ty cp ",
        "cong ty tnhh mtv ",
        "cong ty tnhh ",
        "cong ty ",
        "ctcp ",
        "tap doan ",
        "pt ",
    ] {
        if let Some(x) = f.strip_prefix(prefix) {
            f = x.to_string();
            break;
        }
    }
    f.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Merges candidates naming the same organisation (same platform, same domain, one core name
/// inside the other, or a domain label equal to a name).
fn merge(cx: &Ctx, cands: Vec<Cand>) -> Vec<(Cand, Vec<(usize, usize, String)>)> {
    let mut groups: Vec<Vec<Cand>> = Vec::new();
    let mut order: Vec<Cand> = cands;
    order.sort_by_key(|c| c.s);
    for c in order {
        let key = core_key(&c.name);
        if key.chars().count() < 2 {
            continue;
        }
        let same = groups.iter_mut().find(|g| {
            g.iter().any(|o| {
                let ok = core_key(&o.name);
                (c.platform.is_some() && c.platform == o.platform)
                    || (c.domain.is_some()
                        && c.domain.as_ref().map(|d| &d.0) == o.domain.as_ref().map(|d| &d.0))
                    || (ok.chars().count() >= 3
                        && key.chars().count() >= 3
                        && (ok.contains(&key) || key.contains(&ok)))
                    || domain_matches_name(c.domain.as_ref().map(|d| d.0.as_str()), &ok)
                    || domain_matches_name(o.domain.as_ref().map(|d| d.0.as_str()), &key)
                    || (c.s < o.e && c.e > o.s)
                    || (c.domain.is_some()
                        && o.domain.is_none()
                        && parenthesised_after(cx, o.e, c.s))
            })
        });
        match same {
            Some(g) => g.push(c),
            None => groups.push(vec![c]),
        }
    }
    let _ = cx;
    groups
        .into_iter()
        .map(|g| {
            // Name: a non-domain name, preferring legal forms, then the longest.
            let best = g
                .iter()
                .filter(|c| c.domain.is_none() || c.platform.is_some())
                .max_by_key(|c| {
                    (
                        c.platform.is_some(),
                        c.legal_country.is_some() || has_legal_word(&c.name),
                        c.name.chars().count(),
                    )
                })
                .or_else(|| g.first())
                .expect("non-empty group");
            let mut out = best.clone();
            out.strength = g.iter().map(|c| c.strength).max().unwrap_or(Strength::Weak);
            out.s = g.iter().map(|c| c.s).min().unwrap_or(out.s);
            for c in &g {
                if out.domain.is_none() {
                    out.domain.clone_from(&c.domain);
                }
                if out.platform.is_none() {
                    out.platform = c.platform;
                }
                if out.country.is_none() {
                    out.country.clone_from(&c.country);
                }
                if out.legal_country.is_none() {
                    out.legal_country.clone_from(&c.legal_country);
                }
                if out.role.is_none() {
                    out.role = c.role;
                }
            }
            if let Some(idx) = out.platform {
                out.name = cx.rules.platforms.list[idx].name.clone();
            }
            let mentions = g.iter().map(|c| (c.s, c.e, c.name.clone())).collect();
            (out, mentions)
        })
        .collect()
}

/// `name (domain)` / `name（domain）` / `name - domain`: the domain right after the name.
fn parenthesised_after(cx: &Ctx, name_end: usize, dom_start: usize) -> bool {
    dom_start >= name_end && {
        let gap = cx.f(name_end, dom_start).trim();
        matches!(gap, "(" | "（" | "-" | "–" | "(www." | "（www.")
            || gap.is_empty() && dom_start - name_end <= 1
    }
}

fn has_legal_word(name: &str) -> bool {
    let f = fold(name);
    [
        "ltd", "bhd", "jsc", "inc", "corp", "cong ty", "公司", "tbk", "llc", "plc",
    ]
    .iter()
    .any(|w| f.contains(w))
}

fn domain_matches_name(domain: Option<&str>, key: &str) -> bool {
    let Some(d) = domain else { return false };
    let label: String = d
        .split('.')
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    label.len() >= 4 && key.len() >= 4 && (label.contains(key) || key.contains(&label))
}

fn to_victim(cx: &Ctx, d: &Draft, c: &Cand, mentions: &[(usize, usize, String)]) -> VictimDraft {
    let mut v = VictimDraft {
        first: c.s,
        ..VictimDraft::default()
    };
    v.v.name = c.name.clone();
    v.v.role = "victim".into();
    let plat = c.platform.map(|i| &cx.rules.platforms.list[i]);
    let basis_plat = |s: usize, e: usize| Ev::with(s, e, "platforms");
    let mention_evs: Vec<Ev> = if mentions.is_empty() {
        vec![Ev::new(c.s, c.e)]
    } else {
        mentions.iter().map(|(s, e, _)| Ev::new(*s, *e)).collect()
    };
    for e in &mention_evs {
        v.add_ev("name", *e);
    }
    // Aliases: other names written in the text (a short form without the legal form, or a
    // different name), then the platform file's names. Fragments are not aliases.
    let main_core = core_key(&v.v.name);
    for (_, _, n) in mentions {
        let core = core_key(n);
        let short_form = core == main_core && !has_legal_word(n) && has_legal_word(&v.v.name);
        let other_name = !main_core.contains(&core) && !core.contains(&main_core);
        let useful = core.chars().count() >= 2 && (short_form || other_name);
        let is_domain = c.domain.as_ref().is_some_and(|d| d.0 == *n);
        if useful
            && !is_domain
            && fold(n) != fold(&v.v.name)
            && !v.v.aliases.iter().any(|a| fold(a) == fold(n))
        {
            v.v.aliases.push(n.clone());
        }
    }
    if let Some(p) = plat {
        v.v.platform_id = Some(p.id.clone());
        for a in &p.aliases {
            if !v.v.aliases.contains(a) && fold(a) != fold(&v.v.name) {
                v.v.aliases.push(a.clone());
            }
        }
        v.add_ev(
            "platform_id",
            basis_plat(mention_evs[0].s, mention_evs[0].e),
        );
    }
    if !v.v.aliases.is_empty() {
        let ev = mention_evs[0];
        v.add_ev(
            "aliases",
            if plat.is_some() {
                basis_plat(ev.s, ev.e)
            } else {
                ev
            },
        );
        for e in &mention_evs {
            v.add_ev("aliases", *e);
        }
    }
    // Domain.
    if let Some((d, s, e)) = &c.domain {
        v.v.domain = Some(d.clone());
        v.add_ev("domain", Ev::new(*s, *e));
    } else if let Some(p) = plat.filter(|p| !p.domains.is_empty()) {
        v.v.domain = Some(p.domains[0].clone());
        v.add_ev("domain", basis_plat(mention_evs[0].s, mention_evs[0].e));
    }
    // Country: format hint, ccTLD, legal form, words next to the name, platform file.
    let country = c
        .country
        .clone()
        .or_else(|| {
            c.domain.as_ref().and_then(|(d, s, e)| {
                cx.rules
                    .domain_country(d)
                    .map(|cc| (cc.to_string(), Ev::new(*s, *e)))
            })
        })
        .or_else(|| c.legal_country.clone())
        .or_else(|| adjacent(cx, "country", &mention_evs))
        .or_else(|| {
            plat.and_then(|p| p.country.clone())
                .map(|cc| (cc, basis_plat(mention_evs[0].s, mention_evs[0].e)))
        })
        .or_else(|| dateline_country(cx))
        .or_else(|| anonymous_org_country(cx))
        .or_else(|| regulator_country(cx, d));
    if let Some((cc, ev)) = country {
        v.v.country = Some(cc);
        v.add_ev("country", ev);
    }
    // Sector: platform file, a sector word inside the name, next to it, or in the title.
    let sector = plat
        .and_then(|p| p.sector.clone())
        .map(|s| (s, basis_plat(mention_evs[0].s, mention_evs[0].e)))
        .or_else(|| inside(cx, "sector", &mention_evs))
        .or_else(|| adjacent(cx, "sector", &mention_evs))
        .or_else(|| anonymous_org_sector(cx))
        .or_else(|| title_sector(cx));
    if let Some((s, ev)) = sector {
        v.v.sector = Some(s);
        v.add_ev("sector", ev);
    }
    // Role.
    match c.role {
        Some((role, ev)) if role != "source" => {
            v.v.role = role.into();
            v.add_ev("role", ev);
        }
        _ => v.add_ev("role", mention_evs[0]),
    }
    v
}

/// A `family` hit inside one of the mentions (a sector word in "Harbourline Freight").
fn inside(cx: &Ctx, family: &str, mentions: &[Ev]) -> Option<(String, Ev)> {
    mentions.iter().find_map(|m| {
        cx.hits_in(family, m.s, m.e)
            .first()
            .map(|h| (cx.value(h).to_string(), Ev::hit(h)))
    })
}

/// The nearest `family` hit next to a mention in the same sentence: within 60 bytes before, or
/// in apposition after (", a Vietnamese online grocery store").
fn adjacent(cx: &Ctx, family: &str, mentions: &[Ev]) -> Option<(String, Ev)> {
    let f = &cx.t.folded;
    let mut best: Option<(usize, String, Ev)> = None;
    for m in mentions {
        let sent = cx.sent_of(m.s);
        for h in cx.hits_in(family, sent.start, sent.end) {
            let dist = if h.end <= m.s {
                let gap = &f[h.end..m.s];
                if gap.contains(',') && family == "country"
                    || gap.contains(" and ")
                    || gap.len() > 60
                {
                    continue;
                }
                m.s - h.end
            } else if h.start >= m.e {
                let gap = &f[m.e..h.start];
                let g = gap
                    .trim_start()
                    .trim_start_matches([')', '）'])
                    .trim_start();
                let appos = g.starts_with(',') || g.starts_with('，');
                if !appos || gap.len() > 70 || g[1..].contains([',', '，']) {
                    continue;
                }
                h.start - m.e
            } else {
                continue;
            };
            if best.as_ref().is_none_or(|b| dist < b.0) {
                best = Some((dist, cx.value(&h).to_string(), Ev::hit(&h)));
            }
        }
    }
    best.map(|(_, v, e)| (v, e))
}

/// A regulator acting on the organisation: its jurisdiction (one regulator country only).
fn regulator_country(cx: &Ctx, d: &Draft) -> Option<(String, Ev)> {
    let regulatory = cx
        .hits("kind")
        .iter()
        .any(|h| cx.value(h) == "regulatory_action" && cx.rules.lex.entries[h.entry].weight >= 2);
    if !regulatory {
        return None;
    }
    let mut js = d.regulators.iter().filter_map(|r| r.0.jurisdiction.clone());
    let first = js.next()?;
    if js.any(|j| j != first) || first.len() != 2 || first == "EU" {
        return None;
    }
    let ev = d.regulators.first().and_then(|r| r.1.first()).copied()?;
    Some((first, ev))
}

/// A headline that names the organisation by its sector ("…fines online bookstore"): the only
/// sector word of the title line.
fn title_sector(cx: &Ctx) -> Option<(String, Ev)> {
    let f = &cx.t.folded;
    let (title_start, title_end) = title_range(cx);
    let _ = f;
    let hits = cx.hits_in("sector", title_start, title_end);
    let values: std::collections::BTreeSet<&str> = hits.iter().map(|h| cx.value(h)).collect();
    (values.len() == 1).then(|| (cx.value(&hits[0]).to_string(), Ev::hit(&hits[0])))
}

/// The folded range of the title line: the line holding the document title, else the first line.
fn title_range(cx: &Ctx) -> (usize, usize) {
    let f = &cx.t.folded;
    let start = cx
        .doc
        .title
        .as_deref()
        .map(fold)
        .filter(|t| !t.trim().is_empty())
        .and_then(|t| f.find(t.trim()))
        .map_or(0, |p| f[..p].rfind('\n').map_or(0, |q| q + 1));
    let end = f[start..].find('\n').map_or(f.len(), |p| start + p);
    (start, end)
}

/// "SINGAPORE —" / "HANOI -" at the start of a paragraph.
fn dateline_country(cx: &Ctx) -> Option<(String, Ev)> {
    let f = &cx.t.folded;
    cx.hits("country").iter().find_map(|h| {
        let line_start = f[..h.start].rfind('\n').map_or(0, |p| p + 1);
        let upper = cx
            .orig(h.start, h.end)
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
        let after = f[h.end..].trim_start();
        (f[line_start..h.start].trim().is_empty()
            && upper
            && (after.starts_with('-') || after.starts_with('—') || after.starts_with("--")))
        .then(|| (cx.value(h).to_string(), Ev::hit(h)))
    })
}

/// "台灣某連鎖藥局", "a Singapore bank": a country word right before a sector word.
fn anonymous_org_country(cx: &Ctx) -> Option<(String, Ev)> {
    let f = &cx.t.folded;
    cx.hits("country").iter().find_map(|h| {
        let next_sector = cx.hits("sector").iter().find(|s| {
            s.start >= h.end
                && s.start - h.end <= 16
                && !f[h.end..s.start].contains([',', '.', '\n'])
        });
        next_sector.map(|_| (cx.value(h).to_string(), Ev::hit(h)))
    })
}

fn anonymous_org_sector(cx: &Ctx) -> Option<(String, Ev)> {
    let f = &cx.t.folded;
    cx.hits("sector").iter().find_map(|s| {
        let before = &f[..s.start];
        let anon = before.ends_with('某') || before.ends_with("một ") || before.ends_with("mot ");
        anon.then(|| (cx.value(s).to_string(), Ev::hit(s)))
    })
}

/// Adds the platform file's parent chain of each platform victim (parent, then owners).
fn add_platform_chain(cx: &Ctx, victims: &mut Vec<VictimDraft>) {
    let mut extra = Vec::new();
    for v in victims.iter() {
        let Some(id) = &v.v.platform_id else { continue };
        let Some(idx) = cx.rules.platforms.by_id(id) else {
            continue;
        };
        let ev =
            v.ev.get("name")
                .and_then(|l| l.first())
                .copied()
                .map(|e| Ev::with(e.s, e.e, "platforms"));
        let Some(ev) = ev else { continue };
        let mut of = v.v.name.clone();
        for (depth, p) in cx.rules.platforms.chain(idx).into_iter().enumerate() {
            let p = &cx.rules.platforms.list[p];
            if victims
                .iter()
                .chain(extra.iter())
                .any(|x: &VictimDraft| x.v.platform_id.as_deref() == Some(&p.id))
            {
                of = p.name.clone();
                continue;
            }
            let mut d = VictimDraft {
                first: usize::MAX,
                ..VictimDraft::default()
            };
            d.v.name = p.name.clone();
            d.v.aliases = p.aliases.clone();
            d.v.domain = p.domains.first().cloned();
            d.v.country = p.country.clone();
            d.v.sector = p.sector.clone();
            d.v.role = if depth == 0 { "parent" } else { "owner" }.into();
            d.v.of = Some(of.clone());
            d.v.platform_id = Some(p.id.clone());
            for field in ["name", "role", "of", "platform_id"] {
                d.add_ev(field, ev);
            }
            for (field, set) in [
                ("aliases", !d.v.aliases.is_empty()),
                ("domain", d.v.domain.is_some()),
                ("country", d.v.country.is_some()),
                ("sector", d.v.sector.is_some()),
            ] {
                if set {
                    d.add_ev(field, ev);
                }
            }
            of = p.name.clone();
            extra.push(d);
        }
    }
    victims.extend(extra);
    // Text roles ("a subsidiary of Y"): `of` is the victim named before it.
    let names: Vec<(usize, String, String)> = victims
        .iter()
        .map(|v| (v.first, v.v.role.clone(), v.v.name.clone()))
        .collect();
    for v in victims.iter_mut() {
        if v.v.role != "victim" && v.v.of.is_none() {
            if let Some((_, _, n)) = names
                .iter()
                .filter(|(f, r, _)| r == "victim" && *f < v.first)
                .max_by_key(|(f, _, _)| *f)
            {
                v.v.of = Some(n.clone());
                if let Some(ev) = v.ev.get("role").and_then(|l| l.first()).copied() {
                    v.add_ev("of", ev);
                }
            }
        }
    }
}
