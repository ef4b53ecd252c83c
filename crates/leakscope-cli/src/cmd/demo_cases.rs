//! The demo's cases: for each demo leak, a forum post claiming it (Vietnamese, Chinese, English),
//! the organisation's own customer table as the reference, a case opened from the post with the
//! leak added as its sample (scan, verify, obligations), and the advisory written in the post's
//! language (plus English), with STIX 2.1 and MISP exports. Everything lives in the demo
//! directory, laid out as a data directory of its own (`leakscope.db`, `secret.key`, `cases/`) so
//! `LEAKSCOPE_HOME=<demo dir> leakscope case …` works on it — never the user's data directory.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{Duration, Utc};
use leakscope_cases::analyse::{self, Env, EventInput, ReferenceInput, SampleInput};
use leakscope_cases::claim::ClaimInput;
use leakscope_cases::model::{OrgFacts, Tlp};
use leakscope_cases::{render, store, CaseView, Templates};
use leakscope_db::{Db, Target};
use leakscope_synth::{Dataset, Flavour};

/// One demo case and where its advisory is.
pub struct DemoCase {
    /// The leak.
    pub flavour: Flavour,
    /// Case number in the demo database.
    pub case_id: i64,
    /// Verify verdict.
    pub verdict: String,
    /// Insights and mitigations in the advisory.
    pub insights: usize,
    /// Mitigations.
    pub mitigations: usize,
    /// The advisory (HTML, in the case's language).
    pub html: PathBuf,
}

struct Story {
    lang: &'static str,
    tz: &'static str,
    org: &'static str,
    reference_table: &'static str,
    aware_hours_ago: i64,
    notified: Option<(&'static str, i64)>,
    post: String,
}

fn story(flavour: Flavour, d: &Dataset, now: chrono::DateTime<Utc>) -> Story {
    let rows = d.truth.rows;
    let people = d.truth.individuals;
    let day = |back: i64| (now - Duration::days(back)).format("%Y-%m-%d").to_string();
    match flavour {
        Flavour::VnShop => {
            let posted = (now - Duration::days(4)).format("%d/%m/%Y").to_string();
            Story {
                lang: "vi",
                tz: "Asia/Ho_Chi_Minh",
                org: "Công ty Cổ phần Sàn Chợ Phố",
                reference_table: "customers",
                aware_hours_ago: 80,
                notified: None,
                post: format!(
                    "Diễn đàn > Mua bán dữ liệu\n\n[BÁN] Dữ liệu khách hàng sàn Chợ Phố (chopho.vn) - {people} khách hàng\nNgười bán: saigon_dump | Ngày đăng: {posted}\n\n\
                     Bán toàn bộ dữ liệu của Công ty Cổ phần Sàn Chợ Phố (chopho.vn): {rows} bản ghi đơn hàng và khách hàng của các nhà bán hàng trên sàn.\n\
                     Thông tin gồm: họ và tên, số điện thoại, email, số CCCD, địa chỉ giao hàng, lịch sử mua hàng.\n\
                     Giá 1.500 USDT, có file mẫu (csv). Liên hệ Telegram @saigon_dump\n"
                ),
            }
        }
        Flavour::CnTransactions => Story {
            lang: "zh",
            tz: "Asia/Shanghai",
            org: "杭州云购网络科技有限公司",
            reference_table: "users",
            aware_hours_ago: 2,
            notified: None,
            post: format!(
                "标题：出售 电商平台 交易数据\n发布时间：{}\n卖家：dragon_leaks\n\n\
                 出售杭州云购网络科技有限公司（yungou.cn）用户交易数据，共 {rows} 条记录。\n\
                 数据包含：姓名、手机号、身份证号、收货地址、订单号、购买商品。\n\
                 价格 800 USDT，可提供样本。联系 Telegram @dragon_leaks\n",
                day(1)
            ),
        },
        Flavour::SgGrocery => Story {
            lang: "en",
            tz: "Asia/Singapore",
            org: "FreshCart Pte Ltd",
            reference_table: "customers",
            aware_hours_ago: 30,
            notified: Some(("notified PDPC via the online notification form", 20)),
            post: format!(
                "Selling FreshCart Pte Ltd (freshcart.com.sg) customer database - {people} accounts\n\n\
                 Posted: {} by sgdumps on BreachForums\n\n\
                 Full dump of FreshCart Pte Ltd, the Singapore online grocery service: {people} customer accounts with names, emails, phone numbers, NRIC numbers, home addresses, bcrypt password hashes and partial credit card numbers.\n\
                 Price: 500 USD in XMR. Sample available. Contact: Tox, or PM me on the forum.\n",
                day(2)
            ),
        },
    }
}

/// Writes the organisation's own customer table (the demo's reference) as CSV.
fn write_reference(d: &Dataset, table: &str, path: &Path) -> anyhow::Result<()> {
    let t = d
        .tables
        .iter()
        .find(|t| t.name == table)
        .with_context(|| format!("the {} demo has no {table} table", d.flavour))?;
    let mut w = csv::Writer::from_path(path)?;
    w.write_record((0..t.columns.len()).map(|i| t.column_name(i)))?;
    for r in &t.rows {
        w.write_record(r)?;
    }
    w.flush()?;
    Ok(())
}

/// Builds the demo cases and writes their advisories into `out`.
pub fn build(
    out: &Path,
    leaks: &[(Flavour, Dataset, PathBuf)],
    say: &dyn Fn(&str),
) -> anyhow::Result<Vec<DemoCase>> {
    let now = Utc::now();
    let mut db = Db::open(&Target::Sqlite(out.join(leakscope_db::FILE_NAME)))
        .context("demo case database")?;
    let env = Env {
        data_dir: out.to_path_buf(),
        database: None,
        secret: Some(leakscope_keys::secret_path(out)),
        rules: None,
        now,
        actor: Some("demo".into()),
    };
    // The demo organisation watches the three brands, so their claims arrive as watchlist hits.
    for (name, alias, domain) in [
        ("Công ty Cổ phần Sàn Chợ Phố", "Chợ Phố", "chopho.vn"),
        ("杭州云购网络科技有限公司", "云购", "yungou.cn"),
        ("FreshCart Pte Ltd", "FreshCart", "freshcart.com.sg"),
    ] {
        leakscope_claims::watch::add(
            &mut db,
            &leakscope_claims::watch::Entry {
                kind: "organisation".into(),
                name: name.into(),
                aliases: vec![alias.into()],
                domains: vec![domain.into()],
                ..Default::default()
            },
        )
        .context("demo watchlist")?;
    }
    let posts = out.join("posts");
    let refs = out.join("reference");
    std::fs::create_dir_all(&posts)?;
    std::fs::create_dir_all(&refs)?;
    let mut made = Vec::new();
    for (flavour, dataset, dir) in leaks {
        let s = story(*flavour, dataset, now);
        let post = posts.join(format!("{}.txt", flavour.id()));
        std::fs::write(&post, &s.post)?;
        let reference = refs.join(format!("{}-{}.csv", flavour.id(), s.reference_table));
        write_reference(dataset, s.reference_table, &reference)?;
        say(&format!(
            "case for {}: claim, sample, verify, obligations",
            flavour.id()
        ));
        let aware = leakscope_cases::time::fmt_utc(now - Duration::hours(s.aware_hours_ago));
        let new = store::NewCase {
            title: String::new(),
            lang: s.lang.into(),
            tlp: Tlp::Amber,
            timezone: s.tz.into(),
            facts: OrgFacts {
                organisation: Some(s.org.into()),
                ..OrgFacts::default()
            },
            aware_at: None,
            opened_at: aware,
            actor: env.actor.clone(),
        };
        let input = ClaimInput::Post {
            path: post.clone(),
            format: None,
            item: None,
        };
        let fail = |e: leakscope_cases::CaseError| anyhow::anyhow!("demo case for {flavour}: {e}");
        let mut case = analyse::open(&mut db, &new, Some(&input), &env).map_err(fail)?;
        analyse::set_reference(
            &mut db,
            &mut case,
            &ReferenceInput {
                specs: vec![reference.display().to_string()],
                ..ReferenceInput::default()
            },
            &env,
        )
        .map_err(fail)?;
        analyse::add_sample(
            &mut db,
            &case,
            &SampleInput {
                paths: vec![dir.clone()],
                ..SampleInput::default()
            },
            &env,
            &mut |_| {},
        )
        .map_err(fail)?;
        if let Some((text, after)) = s.notified {
            let at = now - Duration::hours(s.aware_hours_ago) + Duration::hours(after);
            analyse::record_event(
                &mut db,
                &case,
                &EventInput {
                    text: text.into(),
                    kind: Some("notified".into()),
                    at: Some(leakscope_cases::time::fmt_utc(at)),
                },
                &env,
            )
            .map_err(fail)?;
        }
        let view = CaseView::load(&mut db, case.id).map_err(fail)?;
        let stem = out.join(format!("advisory-{}", flavour.id()));
        let t = Templates::builtin(s.lang).map_err(fail)?;
        let adv = leakscope_cases::build_advisory(&view, &t, now);
        std::fs::write(stem.with_extension("html"), render::html(&adv, &t))?;
        std::fs::write(stem.with_extension("md"), render::markdown(&adv, &t))?;
        std::fs::write(stem.with_extension("json"), render::json(&adv) + "\n")?;
        if s.lang != "en" {
            let en = Templates::builtin("en").map_err(fail)?;
            let adv_en = leakscope_cases::build_advisory(&view, &en, now);
            std::fs::write(
                out.join(format!("advisory-{}.en.html", flavour.id())),
                render::html(&adv_en, &en),
            )?;
        }
        let stix = leakscope_cases::export::stix::bundle(&view, &adv, None);
        std::fs::write(
            stem.with_extension("stix.json"),
            serde_json::to_string_pretty(&stix)? + "\n",
        )?;
        let misp = leakscope_cases::export::misp::event(&view, &adv, None).map_err(fail)?;
        std::fs::write(
            stem.with_extension("misp.json"),
            serde_json::to_string_pretty(&misp)? + "\n",
        )?;
        made.push(DemoCase {
            flavour: *flavour,
            case_id: case.id,
            verdict: view.case.verdict.clone().unwrap_or_else(|| "-".into()),
            insights: adv.insights.len(),
            mitigations: adv.mitigations.len(),
            html: stem.with_extension("html"),
        });
    }
    Ok(made)
}
