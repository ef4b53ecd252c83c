//! Shared test fixtures: hostile and CJK profiles derived from the samples.
#![allow(dead_code)]

use leakscope_profile::sample::{sample_profile, sample_vn_platform};
use leakscope_profile::*;

/// A payload that would run script, break out of an attribute, inject a terminal escape,
/// break a Markdown table and reorder text, if any renderer let it through.
pub const HOSTILE: &str =
    "<script>alert(1)</script>\"><img src=x onerror=alert(2)>|**x**\x1b[31m\u{202E}gnp";

/// The Singapore sample with a fixed tool version (snapshots must not change on a version bump).
pub fn sg() -> ScanProfile {
    let mut p = sample_profile();
    p.tool.version = "0.0.0-test".into();
    p
}

/// The Vietnamese sample with a fixed tool version.
pub fn vn() -> ScanProfile {
    let mut p = sample_vn_platform();
    p.tool.version = "0.0.0-test".into();
    p
}

/// The VN sample with the hostile payload in every attacker-controlled string.
pub fn hostile() -> ScanProfile {
    let mut p = vn();
    p.sources[0].path = format!("dump{HOSTILE}.csv");
    p.sources[0].format = HOSTILE.into();
    p.sources[0].encoding = Some(HOSTILE.into());
    for t in &mut p.tables {
        t.name = format!("t{HOSTILE}");
        t.source = HOSTILE.into();
        for c in &mut t.columns {
            c.name = format!("{HOSTILE}{}", c.name);
            c.evidence = HOSTILE.into();
            c.examples = vec![HOSTILE.into(), "<b>bold</b>".into()];
            c.kind = Some(HOSTILE.into());
        }
    }
    if let Some(t) = &mut p.tenants {
        t.column = HOSTILE.into();
        for x in &mut t.top {
            x.name = format!("{HOSTILE}{}", x.name);
        }
    }
    p.countries[0].name = HOSTILE.into();
    p.records.columns = vec![HOSTILE.into()];
    p.records.age_text = Some(HOSTILE.into());
    p.records.by_month[0].month = HOSTILE.into();
    p.sensitivity.reasons[0].text = HOSTILE.into();
    p.diagnostics[0].message = HOSTILE.into();
    p.diagnostics[0].source = HOSTILE.into();
    p.passwords.by_algorithm[0].algorithm = HOSTILE.into();
    p.data_classes_hibp.push(HOSTILE.into());
    p.generated_at = HOSTILE.into();
    p
}

/// A Chinese-transactions profile: CJK headers of double display width.
pub fn cjk() -> ScanProfile {
    let mut p = sg();
    let t = &mut p.tables[0];
    t.name = "交易记录".into();
    let names = [
        "编号",
        "姓名",
        "邮箱",
        "手机号",
        "身份证号",
        "密码",
        "收货地址",
        "下单时间",
    ];
    for (c, n) in t.columns.iter_mut().zip(names) {
        c.name = n.into();
    }
    t.columns[1].examples = vec!["张•".into(), "欧阳••".into(), "李•".into()];
    p
}
