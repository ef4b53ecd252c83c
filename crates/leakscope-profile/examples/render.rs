//! Renders a sample profile: `cargo run -p leakscope-profile --example render -- <human|color|markdown|html|json> [sg|vn] [width]`.

use leakscope_profile::render::{self, HumanOptions};
use leakscope_profile::sample::{sample_profile, sample_vn_platform};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let what = args.first().map(String::as_str).unwrap_or("human");
    let p = match args.get(1).map(String::as_str) {
        Some("vn") => sample_vn_platform(),
        _ => sample_profile(),
    };
    let width = args.get(2).and_then(|w| w.parse().ok()).unwrap_or(100);
    let out = match what {
        "color" => render::human(&p, &HumanOptions { color: true, width }),
        "markdown" => render::markdown(&p),
        "html" => render::html(&p, &[]),
        "json" => render::json(&p),
        _ => render::human(
            &p,
            &HumanOptions {
                color: false,
                width,
            },
        ),
    };
    print!("{out}");
}
