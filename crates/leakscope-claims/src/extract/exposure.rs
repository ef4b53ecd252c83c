//! Exposure details for open-service reports: the service, whether it needed authentication,
//! for how long it was open, and the records / size it held.

use super::{Ctx, Draft, Ev, ExposureValue};
use crate::model::Kind;

pub(super) fn extract(cx: &Ctx, d: &mut Draft) {
    if !d.kinds.iter().any(|k| k.0 == Kind::Exposure) {
        return;
    }
    let lex = &cx.rules.lex;
    let f = &cx.t.folded;
    if let Some(h) = cx.hits("service").first() {
        d.exposure.insert(
            "service",
            (ExposureValue::Text(cx.value(h).into()), vec![Ev::hit(h)]),
        );
    }
    if let Some(h) = cx.hits("auth").first() {
        d.exposure.insert(
            "auth",
            (ExposureValue::Text(cx.value(h).into()), vec![Ev::hit(h)]),
        );
    }
    // "exposed for at least 60 days", "至少已暴露30天", "暴露了两个月".
    'cues: for cue in cx.hits("durcue") {
        let sent = cx.sent_of(cue.start);
        for n in cx
            .nums
            .iter()
            .filter(|n| n.start >= cue.end && n.end <= sent.end && n.start - cue.end <= 40)
        {
            let mut pos = n.end;
            while f[pos..].starts_with(' ') {
                pos += 1;
            }
            if let Some((ue, entry)) = lex.prefix_at(&cx.t, pos, "durunit", cx.lang) {
                let per: u64 = lex.value(entry).parse().unwrap_or(1);
                let days = (n.value * per as f64).round() as u64;
                if days > 0 {
                    d.exposure.insert(
                        "duration_days",
                        (ExposureValue::Number(days), vec![Ev::new(cue.start, ue)]),
                    );
                    break 'cues;
                }
            }
        }
    }
    if let Some((r, ev, _)) = d.records.iter().max_by_key(|r| r.0.count) {
        d.exposure
            .insert("records", (ExposureValue::Number(r.count), ev.clone()));
    }
    if let Some((s, ev)) = &d.size {
        d.exposure
            .insert("size_bytes", (ExposureValue::Number(*s), ev.clone()));
    }
}
