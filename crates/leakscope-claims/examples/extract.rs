//! Prints the claims extracted from files as JSON (a development aid; the CLI verb is
//! `leakscope claim extract`). Usage: `cargo run -p leakscope-claims --example extract -- FILE…`
//! (`--all` keeps documents that make no claim, `--text` prints the text as read).

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let keep_empty = args.iter().any(|a| a == "--all");
    let show_text = args.iter().any(|a| a == "--text");
    let rules = leakscope_claims::Rules::builtin().expect("rules");
    let opts = leakscope_claims::Options {
        reveal: false,
        keep_empty,
    };
    for path in args.iter().filter(|a| !a.starts_with("--")) {
        let docs = match leakscope_claims::read::read_path(std::path::Path::new(path), None) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{e}");
                continue;
            }
        };
        for d in docs {
            if show_text {
                println!("----- {path} text as read -----\n{}", d.text);
            }
            match leakscope_claims::extract(&d, rules, &opts) {
                Some(c) => println!("{}", serde_json::to_string_pretty(&c).expect("json")),
                None => println!("{path}: no claim"),
            }
        }
    }
}
