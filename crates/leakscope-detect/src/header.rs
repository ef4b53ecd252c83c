//! Header evidence: which detector's keywords a column header names.

use crate::rules::Detector;
use crate::text::{compact, is_han, tokens};

/// The best header match.
#[derive(Debug, Clone)]
pub struct HeaderHit {
    /// Index of the detector whose keyword matched.
    pub detector: usize,
    /// Score: longer and exact matches win.
    pub score: usize,
}

fn weight(kw: &str) -> usize {
    kw.chars().map(|c| if is_han(c) { 3 } else { 1 }).sum()
}

/// Finds the detector whose keyword best matches `header`: exact match (folded, no separators),
/// then a whole-token match or containment (keywords of ≥ 4 letters or ≥ 2 Han characters);
/// the longest keyword wins (`tên cửa hàng`: `cua hang` over `ten`), and on a tie the keyword
/// nearer the end (the head noun in ZH/EN).
pub fn match_header(detectors: &[Detector], header: &str) -> Option<HeaderHit> {
    let h = compact(header);
    if h.is_empty() {
        return None;
    }
    let toks = tokens(header);
    // Headers of several words (`CapacityType`, `billing_city`) match a keyword only on word
    // boundaries (`capacity` does not hold `city`); a single run (`customerphone`) by containment.
    let words = crate::context::words(header);
    let aligned = |kw: &str| {
        words.len() < 2
            || kw.chars().any(is_han)
            || (0..words.len()).any(|i| {
                let mut acc = String::new();
                words[i..].iter().any(|w| {
                    acc.push_str(w);
                    acc == kw
                })
            })
    };
    let mut best: Option<(usize, usize, usize)> = None; // (score, end position, detector)
    for (i, d) in detectors.iter().enumerate() {
        for kw in &d.keywords {
            let w = weight(kw);
            let (score, pos) = if *kw == h {
                (1000 + w, h.len())
            } else if toks.iter().any(|t| t == kw) {
                (100 + w, h.rfind(kw.as_str()).map_or(0, |p| p + kw.len()))
            } else if (w >= 4 || (kw.chars().all(is_han) && kw.chars().count() >= 2)) && aligned(kw)
            {
                match h.rfind(kw.as_str()) {
                    Some(p) => (100 + w, p + kw.len()),
                    None => continue,
                }
            } else {
                continue;
            };
            let cand = (score, pos, i);
            if best.is_none_or(|b| (cand.0, cand.1) > (b.0, b.1)) {
                best = Some(cand);
            }
        }
    }
    best.map(|(score, _, detector)| HeaderHit { detector, score })
}
