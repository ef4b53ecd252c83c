//! Every `[[example]]` of every rule file is run: text examples through the extractor (the
//! expected facts must be found, the rejected ones must not), platform examples through the
//! platform look-up (id and parent chain). Rules are data with examples, checked here.

use leakscope_claims::accuracy::{align_victims, facts};
use leakscope_claims::read::Document;
use leakscope_claims::text::Text;
use leakscope_claims::{extract, Options, Rules};
use serde_json::Value;

fn to_json(v: &toml::Value) -> Value {
    serde_json::to_value(v).expect("TOML converts to JSON")
}

#[test]
fn every_rule_file_example_holds() {
    let rules = Rules::builtin().expect("built-in rules load");
    let mut failures = Vec::new();
    let mut text_examples = 0;
    let mut platform_examples = 0;
    for (file, ex) in &rules.examples {
        if let Some(text) = &ex.text {
            text_examples += 1;
            let doc = Document {
                text: text.clone(),
                ..Document::default()
            };
            let opts = Options {
                reveal: false,
                keep_empty: true,
            };
            let claim = extract(&doc, rules, &opts).expect("keep_empty returns a claim");
            let mut got = serde_json::to_value(&claim).unwrap();
            if let Some(exp) = &ex.expect {
                let exp = to_json(exp);
                align_victims(&mut got, &exp);
                let have = facts(&got);
                for f in facts(&exp) {
                    if !have.contains(&f) {
                        failures.push(format!("{file}: {text:?}\n    missing {} = {}", f.0, f.1));
                    }
                }
            }
            if let Some(rej) = &ex.reject {
                let have = facts(&got);
                for f in facts(&to_json(rej)) {
                    if have.contains(&f) {
                        failures.push(format!(
                            "{file}: {text:?}\n    must not have {} = {}",
                            f.0, f.1
                        ));
                    }
                }
            }
        }
        if let Some(mention) = &ex.mention {
            platform_examples += 1;
            let t = Text::new(mention.clone());
            let hits = rules.lex.find(&t, "en");
            let by_name = hits
                .get("plat")
                .and_then(|h| h.first())
                .and_then(|h| rules.platforms.by_id(rules.lex.value(h.entry)));
            let found = by_name.or_else(|| rules.platforms.by_domain(mention));
            let want = ex.id.clone().unwrap_or_default();
            let got_id = found
                .map(|i| rules.platforms.list[i].id.clone())
                .unwrap_or_default();
            if got_id != want {
                failures.push(format!(
                    "{file}: mention {mention:?} resolved to {got_id:?}, want {want:?}"
                ));
                continue;
            }
            if let (Some(i), Some(chain)) = (found, &ex.chain) {
                let got: Vec<String> = rules
                    .platforms
                    .chain(i)
                    .into_iter()
                    .map(|p| rules.platforms.list[p].id.clone())
                    .collect();
                if &got != chain {
                    failures.push(format!("{file}: {mention:?} chain {got:?}, want {chain:?}"));
                }
            }
        }
    }
    assert!(text_examples >= 25, "only {text_examples} text examples");
    assert!(platform_examples >= 4);
    assert!(
        failures.is_empty(),
        "{} failing examples:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn regulators_link_to_obligation_rules_that_exist() {
    let rules = Rules::builtin().unwrap();
    let set = leakscope_obligations::builtin().unwrap();
    let pdpc = rules.regulator("sg-pdpc").unwrap();
    assert_eq!(pdpc.obligations, vec!["sg-pdpa-26d".to_string()]);
    let a05 = rules.regulator("vn-a05").unwrap();
    assert!(a05.obligations.len() >= 2, "{:?}", a05.obligations);
    for r in &rules.regulators {
        if r.obligations_match.is_some() {
            assert!(
                !r.obligations.is_empty(),
                "{} links to no obligations rule",
                r.id
            );
        }
        for id in &r.obligations {
            let rule = set.rules.iter().find(|x| &x.id == id).unwrap();
            assert_eq!(rule.jurisdiction, r.jurisdiction);
        }
    }
}

#[test]
fn data_classes_are_scan_vocabulary() {
    let rules = Rules::builtin().unwrap();
    let ids: Vec<&str> = leakscope_detect::DataClass::ALL
        .iter()
        .map(|c| c.id())
        .collect();
    for e in &rules.lex.entries {
        let Some((fam, value)) = e.signal.split_once(':') else {
            continue;
        };
        if fam == "class" || fam == "classweak" {
            for v in value.split('+') {
                if v == "none" || v == "ids_ambiguous" {
                    continue;
                }
                assert!(
                    ids.contains(&v),
                    "{} is not a leakscope_detect::DataClass id",
                    v
                );
            }
        }
    }
}
