//! The web app's work, through its router request by request: a case opened from a claim with
//! a sample uploaded and scanned in the background (verdict, deadline, merchants and their
//! packs), what each role may do, exports, reveals, upload limits, corpus search and the audit
//! log — and no raw leaked value in any page, export, stored row or audit entry. (Sign-in,
//! sessions, CSRF and lock-out: `auth.rs`.)

mod harness;

use axum::http::StatusCode;
use harness::{no_files, rt, App, ANALYST_PW, VIEWER_PW};

#[test]
fn a_case_from_a_claim_a_sample_scanned_live_and_what_each_role_may_do() {
    let app = App::new(1 << 30);
    rt().block_on(async {
        let (mut ana, csrf) = app.sign_in("ana", ANALYST_PW).await;
        let feed = app
            .get(&mut ana, "/claims?country=VN&kind=sale&hits=1")
            .await;
        assert!(feed.body.contains("Open a case"), "{}", feed.body);
        let r = app
            .post(&mut ana, "/claims/1/case", &[("csrf", &csrf)])
            .await;
        assert_eq!(r.location(), "/cases/1");
        // Opening again goes to the same case.
        let again = app.get(&mut ana, "/claims").await;
        assert!(again.body.contains("href=\"/cases/1\""));
        let page = app.get(&mut ana, "/cases/1").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("id=\"upload-form\""));
        assert!(
            page.body.contains("not verified"),
            "no verdict before a sample"
        );

        // Upload the sample (JSON answer for the page's script) and follow the job to its end.
        let bytes = std::fs::read(app.path("sample.csv")).unwrap();
        let r = app
            .upload(
                &mut ana,
                1,
                &csrf,
                &[("../../Mẫu dữ liệu.csv", bytes.clone())],
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(v["schema"], "leakscope.web-job/1");
        let job = v["job"].as_u64().unwrap();
        let ev = app
            .get(&mut ana, &format!("/cases/1/jobs/{job}/events"))
            .await;
        assert_eq!(ev.status, StatusCode::OK);
        assert!(ev
            .headers
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/event-stream"));
        assert!(ev.body.contains("event: progress"), "{}", ev.body);
        let done = app.wait_job(&mut ana, 1, job).await;
        assert_eq!(done["state"], "done", "{done}");
        assert_eq!(done["result"]["verdict"], "authentic");
        assert_eq!(done["result"]["rows"], app.sample.len() as u64);
        // The upload was stored under the case with a safe name, privately.
        let uploads = app.home.join("cases");
        let files: Vec<_> = walkdir(&uploads)
            .into_iter()
            .filter(|p| p.to_string_lossy().contains("/uploads/"))
            .collect();
        assert_eq!(files.len(), 1, "{files:?}");
        assert!(files[0]
            .file_name()
            .unwrap()
            .to_string_lossy()
            .ends_with(".csv"));
        assert!(!files[0].to_string_lossy().contains(".."));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o077,
                0
            );
        }

        // The case page: verdict, people, merchants, the nearest deadline counting down, packs.
        let page = app.get(&mut ana, "/cases/1").await;
        let b = &page.body;
        assert!(b.contains("data-verdict=\"authentic\""));
        assert!(
            b.contains("id=\"kpi-deadline\"") && b.contains("class=\"countdown"),
            "a deadline counting down"
        );
        assert!(b.contains("data-due=\""));
        assert!(b.contains("Merchants affected") && b.contains("notice (.md)"));
        assert!(b.contains("chart-data-classes"), "the profile's own charts");
        assert!(
            b.contains("Shop &lt;b&gt;Lụa&lt;/b&gt; &amp; *Co*"),
            "a hostile merchant name escaped"
        );
        assert!(!b.contains("<b>Lụa</b>"));
        let pack = b
            .split("/files/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let server = page.headers.get("server-timing").unwrap().to_str().unwrap();
        assert!(server.starts_with("app;dur="));

        // Record a notification: the obligation it meets is shown met.
        let r = app
            .post(
                &mut ana,
                "/cases/1/events",
                &[
                    ("csrf", &csrf),
                    ("kind", "notified"),
                    ("text", "notified A05 by e-mail"),
                    ("at", ""),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let page = app.get(&mut ana, "/cases/1").await;
        assert!(page.body.contains("notified A05 by e-mail"));

        // Exports: STIX and MISP are JSON documents of the case.
        for (fmt, key) in [
            ("stix", "\"type\": \"bundle\""),
            ("misp", "\"Event\""),
            ("json", "leakscope.advisory/1"),
            ("md", "#"),
            ("html", "<!DOCTYPE html>"),
        ] {
            let r = app.get(&mut ana, &format!("/cases/1/export/{fmt}")).await;
            assert_eq!(r.status, StatusCode::OK, "{fmt}");
            assert!(r
                .headers
                .get("content-disposition")
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("attachment"));
            assert!(r.body.contains(key), "{fmt}");
            assert_raw_free(&app, &r.body, fmt);
        }
        let advisory = app.get(&mut ana, "/cases/1/view/advisory").await;
        let csp = advisory
            .headers
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            !csp.contains("script-src") && csp.starts_with("default-src 'none'"),
            "{csp}"
        );
        assert_raw_free(&app, &advisory.body, "advisory view");
        let report = app.get(&mut ana, "/cases/1/view/report").await;
        assert_eq!(report.status, StatusCode::OK);
        assert_raw_free(&app, &report.body, "report view");
        let pack_file = app.get(&mut ana, &format!("/cases/1/files/{pack}")).await;
        assert_eq!(pack_file.status, StatusCode::OK);
        let all = app.get(&mut ana, "/cases/1/merchants").await;
        assert!(all.body.contains("shop-001"));

        // A viewer reads but cannot upload, record, download customer ids or reveal.
        let (mut vic, vcsrf) = app.sign_in("vic", VIEWER_PW).await;
        let page = app.get(&mut vic, "/cases/1").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            !page.body.contains("id=\"upload-form\"")
                && page.body.contains("Viewers cannot add samples")
        );
        let r = app
            .upload(&mut vic, 1, &vcsrf, &[("s.csv", bytes.clone())], true)
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .post(
                &mut vic,
                "/cases/1/events",
                &[("csrf", &vcsrf), ("text", "x")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert_eq!(
            app.get(&mut vic, &format!("/cases/1/files/{pack}"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.post(&mut vic, "/cases/1/reveal", &[("csrf", &vcsrf)])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get(&mut vic, "/corpus").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get(&mut vic, "/cases/1/export/stix").await.status,
            StatusCode::OK
        );

        // An analyst may reveal; the reveal is audited (which case, never what was shown).
        let r = app
            .post(&mut ana, "/cases/1/reveal", &[("csrf", &csrf)])
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("NAMES REVEALED"));
        let audit = app.audit().join("\n");
        for needle in [
            "ana reveal ok case 1",
            "vic reveal refused",
            "ana sample_upload ok case 1",
            "ana sample_scanned ok case 1",
            "ana export ok case 1 stix",
            "ana download ok case 1",
            "vic download refused",
            "ana case_open ok case 1",
            "ana event_add ok case 1",
        ] {
            assert!(audit.contains(needle), "audit lacks `{needle}`:\n{audit}");
        }

        // No raw value of the sample anywhere: pages, stored rows, the audit log.
        for path in ["/", "/claims", "/cases", "/cases/1", "/cases/1/merchants"] {
            let r = app.get(&mut ana, path).await;
            assert_raw_free(&app, &r.body, path);
        }
        for table in [
            "web_audit",
            "web_sessions",
            "case_events",
            "case_documents",
            "cases",
            "claims",
        ] {
            assert_raw_free(&app, &app.dump_table(table), table);
        }
    });
}

fn walkdir(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walkdir(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn assert_raw_free(app: &App, text: &str, what: &str) {
    for v in harness::common::raw_values(&app.sample) {
        assert!(
            !text.contains(&v),
            "{what} holds a raw value from the sample"
        );
    }
}

#[test]
fn uploads_past_the_limit_are_refused_and_removed() {
    let app = App::new(2048);
    rt().block_on(async {
        let (mut ana, csrf) = app.sign_in("ana", ANALYST_PW).await;
        let r = app
            .post(
                &mut ana,
                "/cases",
                &[
                    ("csrf", &csrf),
                    ("title", "Small limit"),
                    ("lang", "en"),
                    ("tlp", "amber"),
                    ("timezone", "Asia/Ho_Chi_Minh"),
                ],
            )
            .await;
        assert_eq!(r.location(), "/cases/1");
        let big = std::fs::read(app.path("sample.csv")).unwrap();
        assert!(big.len() > 4096);
        let r = app
            .upload(&mut ana, 1, &csrf, &[("big.csv", big)], false)
            .await;
        assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
        assert!(r.body.contains("limit"));
        let uploads = app.home.join("cases");
        assert!(no_files(&uploads), "nothing kept of a refused upload");
        // An empty upload is a clear error.
        let r = app
            .upload(&mut ana, 1, &csrf, &[("empty.csv", Vec::new())], false)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        // A small one is accepted (plain form: redirected to the case page with the job).
        let small = b"email,phone\nan@example.vn,+84901234567\n".to_vec();
        let r = app
            .upload(&mut ana, 1, &csrf, &[("small.csv", small)], false)
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().starts_with("/cases/1?job="));
        let job: u64 = r
            .location()
            .split("job=")
            .nth(1)
            .unwrap()
            .split('#')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let done = app.wait_job(&mut ana, 1, job).await;
        assert_eq!(done["state"], "done", "{done}");
    });
}

#[test]
fn corpus_search_looks_up_keyed_hashes_and_keeps_no_value() {
    let app = App::new(1 << 30);
    rt().block_on(async {
        let (mut ana, csrf) = app.sign_in("ana", ANALYST_PW).await;
        let known = app.people[3].email.clone();
        let r = app
            .post(
                &mut ana,
                "/corpus",
                &[("csrf", &csrf), ("q", &known), ("kind", "auto")],
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(
            r.body.contains("cholua-2025") && r.body.contains("id=\"corpus-count\""),
            "{}",
            r.body
        );
        assert!(!r.body.contains(&known), "the value is shown masked");
        let unknown = app.people[300].email.clone();
        let r = app
            .post(
                &mut ana,
                "/corpus",
                &[("csrf", &csrf), ("q", &unknown), ("kind", "email")],
            )
            .await;
        assert!(r.body.contains("Not found in any breach"));
        let r = app
            .post(
                &mut ana,
                "/corpus",
                &[
                    ("csrf", &csrf),
                    ("q", "mail3.example.vn"),
                    ("kind", "domain"),
                ],
            )
            .await;
        assert!(
            r.body.contains("cholua-2025") && r.body.contains("of this domain"),
            "{}",
            r.body
        );
        let r = app
            .post(
                &mut ana,
                "/corpus",
                &[("csrf", &csrf), ("q", "not an e-mail"), ("kind", "email")],
            )
            .await;
        assert!(r.body.contains("not a valid"));
        let audit = app.dump_table("web_audit");
        assert!(
            audit.contains("corpus_search") && audit.contains("email: 1 breach(es)"),
            "{audit}"
        );
        for v in [&known, &unknown] {
            assert!(!audit.contains(v.as_str()));
        }
    });
}
