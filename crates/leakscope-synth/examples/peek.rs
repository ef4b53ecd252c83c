//! Prints a few rows and the truth of each flavour (development aid).
use leakscope_synth::*;
fn main() {
    for f in Flavour::ALL {
        let d = generate(f, &GenOptions { rows: 2000, ..Default::default() });
        println!("== {f}: {}", serde_json::to_string(&d.truth).unwrap());
        for t in &d.tables {
            println!("-- {} ({} rows)", t.name, t.rows.len());
            println!("{:?}", t.columns.iter().map(|c| c.header.as_str()).collect::<Vec<_>>());
            for r in t.rows.iter().take(3) {
                println!("{r:?}");
            }
        }
    }
}
