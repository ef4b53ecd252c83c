//! Renders the HTML report in headless Chromium (screenshot and PDF) and checks the result is a
//! real page: non-trivial sizes, varied pixels, the sensitivity badge drawn in red.
//!
//! Skipped with a notice when `/usr/bin/chromium` is missing, except under `CI` (where
//! `.ci/chromium.sh` installs it) — there a missing browser fails the test.
//! `LEAKSCOPE_SAVE_SCREENSHOT=DIR` keeps the screenshots (used for `docs/img/report-sample.png`).

mod common;

use leakscope_profile::render::html;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

/// A scratch directory removed on drop.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn chromium_or_skip() -> Option<&'static str> {
    if Path::new(CHROMIUM).exists() {
        return Some(CHROMIUM);
    }
    if std::env::var_os("CI").is_some() {
        panic!("{CHROMIUM} is missing under CI: run .ci/chromium.sh first");
    }
    eprintln!("NOTICE: {CHROMIUM} not found; skipping the headless-Chromium report test (install with .ci/chromium.sh)");
    None
}

/// Runs chromium headless with one output flag, killing it after 120 s.
fn run(chromium: &str, profile_dir: &Path, output_flag: &str, url: &str) {
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile_dir.display()))
        .arg("--window-size=1280,2400")
        .arg(output_flag)
        .arg(url)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait chromium") {
            assert!(
                status.success(),
                "chromium {output_flag} exited with {status}"
            );
            return;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium {output_flag} took more than 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Decoded RGB(A) pixels.
struct Image {
    width: u32,
    height: u32,
    channels: usize,
    data: Vec<u8>,
}

fn decode(path: &Path) -> Image {
    let decoder = png::Decoder::new(std::fs::File::open(path).expect("open png"));
    let mut reader = decoder.read_info().expect("png header");
    let mut data = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut data).expect("png frame");
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    let channels = match info.color_type {
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        other => panic!("unexpected colour type {other:?}"),
    };
    data.truncate(info.buffer_size());
    Image {
        width: info.width,
        height: info.height,
        channels,
        data,
    }
}

fn render_and_check(name: &str, profile: &leakscope_profile::ScanProfile, accent: (u8, u8, u8)) {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("leakscope-report-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let scratch = Scratch(dir.clone());
    let page = dir.join("report.html");
    std::fs::write(&page, html(profile, &[])).unwrap();
    let url = format!("file://{}", page.display());
    let png_path = dir.join("report.png");
    let pdf_path = dir.join("report.pdf");
    run(
        chromium,
        &dir.join("chrome-profile"),
        &format!("--screenshot={}", png_path.display()),
        &url,
    );
    run(
        chromium,
        &dir.join("chrome-profile"),
        &format!("--print-to-pdf={}", pdf_path.display()),
        &url,
    );

    let png_len = std::fs::metadata(&png_path)
        .expect("screenshot written")
        .len();
    assert!(png_len > 50_000, "screenshot too small: {png_len} bytes");
    let img = decode(&png_path);
    assert_eq!((img.width, img.height), (1280, 2400));
    let px: Vec<(u8, u8, u8)> = img
        .data
        .chunks(img.channels)
        .map(|c| (c[0], c[1], c[2]))
        .collect();
    let lum: Vec<f64> = px
        .iter()
        .map(|&(r, g, b)| 0.299 * r as f64 + 0.587 * g as f64 + 0.114 * b as f64)
        .collect();
    let mean = lum.iter().sum::<f64>() / lum.len() as f64;
    let var = lum.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / lum.len() as f64;
    assert!(
        var > 100.0,
        "screenshot is nearly one colour (variance {var:.1})"
    );
    assert!(
        mean > 200.0,
        "light, ink-friendly page expected (mean luminance {mean:.1})"
    );
    let ink = lum.iter().filter(|&&l| l < 128.0).count() as f64 / lum.len() as f64;
    assert!((0.005..0.5).contains(&ink), "dark pixel share {ink:.3}");
    let near = |c: (u8, u8, u8), t: (u8, u8, u8)| {
        (c.0 as i32 - t.0 as i32).abs() < 24
            && (c.1 as i32 - t.1 as i32).abs() < 24
            && (c.2 as i32 - t.2 as i32).abs() < 24
    };
    let red = px.iter().filter(|&&c| near(c, (0xb9, 0x1c, 0x1c))).count();
    assert!(red > 500, "critical badge not drawn in red ({red} px)");
    let accent_px = px.iter().filter(|&&c| near(c, accent)).count();
    assert!(
        accent_px > 2_000,
        "chart bars not drawn ({accent_px} px of {accent:?})"
    );

    let pdf = std::fs::read(&pdf_path).expect("pdf written");
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    assert!(pdf.len() > 20_000, "pdf too small: {} bytes", pdf.len());
    let pages = pdf
        .windows(10)
        .filter(|w| w == b"/Type /Pag" || w == b"/Type/Page")
        .count();
    assert!(
        pages >= 2,
        "expected a multi-page A4 report, found {pages} page markers"
    );

    if let Some(keep) = std::env::var_os("LEAKSCOPE_SAVE_SCREENSHOT") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(&png_path, keep.join(format!("report-{name}.png"))).unwrap();
        std::fs::copy(&pdf_path, keep.join(format!("report-{name}.pdf"))).unwrap();
    }
    drop(scratch);
}

#[test]
fn singapore_report_renders_in_chromium() {
    // Timeline bars are blue.
    render_and_check("sg", &common::sg(), (0x25, 0x63, 0xeb));
}

#[test]
fn vietnamese_report_renders_in_chromium() {
    // Tenant bars are teal.
    render_and_check("vn", &common::vn(), (0x0f, 0x76, 0x6e));
}
