//! Name candidates: format hints, platform names, legal forms (suffixes, Vietnamese prefixes,
//! Chinese suffixes), victim contexts, sector words next to a name, and domains.

use super::attrs::title_range;
use super::runs::Runs;
use super::{Cand, Strength};
use crate::extract::{Ctx, Draft, Ev};
use crate::text::{fold, is_cjk};
use regex::Regex;
use std::sync::OnceLock;

pub(super) fn domain_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?:https?://)?(?:www\.)?((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+([a-z]{2,12}))\b",
        )
        .expect("valid regex")
    })
}

pub(super) fn candidates(cx: &Ctx, d: &Draft) -> Vec<Cand> {
    let f = &cx.t.folded;
    let orig = &cx.t.orig;
    let runs = Runs {
        orig,
        names: &cx.rules.names,
    };
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
        if core.is_empty() || cx.rules.names.is_stop(core) {
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
            } else if cx.lang_tag == "zh-Hant" && suffix == "股份有限公司" {
                // Traditional script + 股份有限公司 is the Taiwanese company form.
                c.legal_country = Some(("TW".into(), Ev::new(h.start, h.end)));
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
pub(super) fn generic(cx: &Ctx, s: usize, e: usize) -> bool {
    let f = &cx.t.folded;
    let mut covered = vec![false; e - s];
    for fam in [
        "sector", "kind", "class", "ctx", "unit", "other", "venue", "service", "date", "status",
        "country", "month", "weekday",
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

pub(super) fn weak_legal(suffix: &str) -> bool {
    matches!(
        suffix,
        "group" | "holdings" | "holding" | "company" | "limited" | "ag"
    )
}

pub(super) fn strength_at(cx: &Ctx, s: usize, e: usize, title_end: usize) -> Strength {
    if s < title_end || has_context(cx, s, e) {
        Strength::Strong
    } else {
        Strength::Weak
    }
}

/// A victim context right before or after `[s, e)`, or a kind / data cue in the sentence.
pub(super) fn has_context(cx: &Ctx, s: usize, e: usize) -> bool {
    let f = &cx.t.folded;
    let before = f[..s].trim_end();
    let after = f[e..].trim_start();
    if cx.rules.names.context_before.iter().any(|c| {
        before.ends_with(c.as_str())
            || before
                .strip_suffix(" the")
                .is_some_and(|b| b.ends_with(c.as_str()))
    }) || cx
        .rules
        .names
        .context_after
        .iter()
        .any(|c| after.starts_with(c))
    {
        return true;
    }
    let sent = cx.sent_of(s);
    let kinds = cx.hits_in("kind", sent.start, sent.end);
    kinds
        .iter()
        .any(|h| cx.rules.lex.entries[h.entry].weight >= 2)
}

pub(super) fn in_contact(cx: &Ctx, pos: usize) -> bool {
    let c = cx.clause_of(pos);
    cx.hits_in("ctx", c.start, c.end)
        .iter()
        .any(|h| cx.value(h) == "contact")
}

/// Ranges that cannot be victim names: regulators, laws, forums, groups, countries, months,
/// contacts, actors and the reader's label words.
pub(super) fn blocked_ranges(cx: &Ctx, d: &Draft) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for fam in [
        "reg", "regamb", "law", "lawamb", "forum", "group", "contact", "venue", "service",
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
pub(super) fn zh_name(cx: &Ctx, s: usize, e: usize) -> Option<(usize, String)> {
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

pub(super) fn context_names(
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
        if name.chars().count() < 2
            || cx.rules.names.is_stop(&name)
            || name.chars().all(|c| c.is_ascii_digit())
        {
            return;
        }
        if generic(cx, fs, fe) {
            return;
        }
        let _ = title_end;
        out.push(Cand::new(name, fs, fe, Strength::Strong));
    };
    // Names right after a context or a type word.
    let names = &cx.rules.names;
    let before_matches: Vec<(usize, &str)> = names
        .before_ac
        .as_ref()
        .map(|ac| {
            ac.find_overlapping_iter(f.as_str())
                .map(|m| (m.start(), names.before_phrase(m.pattern().as_usize())))
                .collect()
        })
        .unwrap_or_default();
    for (at, cue) in before_matches {
        {
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
                let type_word = cx.rules.names.type_prefix.iter().any(|t| t == cue);
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
    let after_matches: Vec<(usize, &str)> = names
        .after_ac
        .as_ref()
        .map(|ac| {
            ac.find_overlapping_iter(f.as_str())
                .map(|m| {
                    (
                        m.start(),
                        names.context_after[m.pattern().as_usize()].as_str(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    for (at, cue) in after_matches {
        {
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

pub(super) fn domains(
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

pub(super) fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', ':', '?']).next()
}
