//! A scan that read nothing still renders everywhere, saying so instead of drawing empty charts.

use leakscope_profile::render::{html, human, markdown, HumanOptions};
use leakscope_profile::sample::empty_profile;
use leakscope_profile::{from_json, json};

#[test]
fn empty_profile_renders_in_every_format() {
    let p = empty_profile();
    let term = human(
        &p,
        &HumanOptions {
            color: false,
            width: 80,
        },
    );
    // Nothing read: no sensitivity level is claimed (issue 11).
    assert!(term.contains("Sensitivity   NOTHING READ"), "{term}");
    assert!(!term.contains("LOW"));
    let colour = human(
        &p,
        &HumanOptions {
            color: true,
            width: 80,
        },
    );
    assert!(colour.contains("NOTHING READ") && !colour.contains(" LOW "));
    assert!(term.contains("no dated records found"));
    assert!(term.contains("Passwords     none found"));
    assert!(term.contains("0 sources · 0 rows read"));
    assert!(term.contains("Tables        0 tables · 0 columns · 0 sources · 0 B"));
    let md = markdown(&p);
    assert!(md.contains("# Leak profile: no sources"));
    assert!(md.contains("**Sensitivity: NOTHING READ**"));
    assert!(md.contains("## Nothing read"));
    assert!(md.contains("No password material found."));
    let page = html(&p, &[]);
    assert!(page.contains("class=\"badge none\">SENSITIVITY: NOTHING READ"));
    assert!(page.contains("<h2>Nothing read</h2>"));
    assert!(!page.contains("<svg"), "no chart without data");
    for note in [
        "No data class recognised",
        "No country signal",
        "No dated records",
        "No tenant",
    ] {
        assert!(page.contains(note), "{note}");
    }
    assert_eq!(from_json(&json(&p)).unwrap(), p);
}
