//! `leakscope bench` on a small generated input: every step runs in its own process, reports the
//! `leakscope.bench/1` document, and the reading steps (one thread, all cores) and the scan agree
//! on the number of rows the generator wrote — so the parallel reader is measured on the same
//! work as the sequential one.

use std::process::Command;

fn bench(format: &str, dir: &std::path::Path) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .args([
            "bench", "--size", "6MB", "--format", format, "--json", "--runs", "2", "--dir",
        ])
        .arg(dir)
        .output()
        .expect("run leakscope");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn bench_steps_agree_on_rows() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["csv", "mysql", "tables"] {
        let doc = bench(format, dir.path());
        assert_eq!(doc["schema"], "leakscope.bench/1");
        assert!(doc["load_average"].is_string());
        assert_eq!(doc["runs_per_step"], 2);
        let steps = doc["steps"].as_array().unwrap();
        let rows = |id: &str| {
            steps
                .iter()
                .find(|s| s["step"] == id)
                .unwrap_or_else(|| panic!("{format}: no step {id}"))["rows"]
                .as_u64()
                .unwrap()
        };
        let n = rows("read-1thread");
        assert!(n > 10_000, "{format}: {n} rows");
        assert_eq!(rows("read"), n, "{format}: parallel read");
        assert_eq!(rows("scan"), n, "{format}: scan");
        if format == "csv" {
            assert_eq!(rows("csv-byterecord"), n, "csv crate (header skipped)");
        }
        for s in steps {
            assert!(s["mb_per_s"].as_f64().unwrap() > 0.0);
        }
    }
}
