//! The web app's doors, through its router request by request: sign-in, sessions and their
//! cookies (a stolen cookie after sign-out), security headers, CSRF on every form and
//! cross-site posts refused, and lock-out after repeated failures.

mod harness;

use axum::http::StatusCode;
use harness::{csrf_in, no_files, rt, App, Jar, ADMIN_PW, ANALYST_PW, VIEWER_PW};

#[test]
fn sign_in_cookies_headers_and_a_stolen_cookie_after_sign_out() {
    let app = App::new(1 << 30);
    rt().block_on(async {
        let mut jar = Jar::default();
        // Not signed in: pages redirect to the sign-in page, keeping where to return.
        let r = app.get(&mut jar, "/cases?status=open").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/login?next=/cases%3Fstatus%3Dopen");
        let form = app.get(&mut jar, "/login").await;
        assert_eq!(form.status, StatusCode::OK);
        let set = form.headers.get("set-cookie").unwrap().to_str().unwrap();
        assert!(
            set.starts_with("__Host-leakscope-login=")
                && set.contains("HttpOnly")
                && set.contains("SameSite=Strict")
                && set.contains("Secure"),
            "{set}"
        );
        // Every page carries the security headers.
        let h = &form.headers;
        let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
        assert_eq!(h.get("x-frame-options").unwrap(), "DENY");
        assert_eq!(h.get("referrer-policy").unwrap(), "no-referrer");
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(h.get("cache-control").unwrap(), "no-store");
        assert!(
            !form.body.contains("<script>") && !form.body.contains(" style="),
            "no inline script or style"
        );

        // A wrong password: 401, generic message, audited without the password.
        let token = csrf_in(&form.body);
        let r = app
            .post(
                &mut jar,
                "/login",
                &[
                    ("csrf", &token),
                    ("name", "ana"),
                    ("password", "not the password"),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("Sign-in failed"));
        // An unknown name gets the same answer; the name is not recorded (it may be a password).
        let token = csrf_in(&r.body);
        let r = app
            .post(
                &mut jar,
                "/login",
                &[
                    ("csrf", &token),
                    ("name", "hunter2hunter2"),
                    ("password", "x"),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let audit = app.audit().join("\n");
        assert!(
            audit.contains("ana sign_in failed") && audit.contains("unknown user name"),
            "{audit}"
        );
        assert!(!audit.contains("hunter2") && !audit.contains("not the password"));

        // The right password: a session cookie, HttpOnly + SameSite=Strict + Secure.
        let token = csrf_in(&r.body);
        let r = app
            .post(
                &mut jar,
                "/login",
                &[
                    ("csrf", &token),
                    ("name", "ana"),
                    ("password", ANALYST_PW),
                    ("next", "/claims"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/claims");
        let cookie = r
            .headers
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|c| c.starts_with("__Host-leakscope="))
            .unwrap();
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Strict")
                && cookie.contains("Secure")
                && cookie.contains("Path=/"),
            "{cookie}"
        );
        // Only a hash of the token is stored.
        let token_value = cookie
            .split(';')
            .next()
            .unwrap()
            .split_once('=')
            .unwrap()
            .1
            .to_string();
        assert!(!app.dump_table("web_sessions").contains(&token_value));

        let feed = app.get(&mut jar, "/claims").await;
        assert_eq!(feed.status, StatusCode::OK);
        assert!(
            feed.body.contains("Chợ Lúa") && feed.body.contains("Watchlist"),
            "the claim with its hit"
        );
        let stolen = jar.clone();
        let csrf = csrf_in(&feed.body);
        let r = app.post(&mut jar, "/logout", &[("csrf", &csrf)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/login");
        // The copied cookie no longer opens anything.
        let mut thief = stolen;
        let r = app.get(&mut thief, "/claims").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.location().starts_with("/login"));
        assert_eq!(app.dump_table("web_sessions"), "");
        // The page's script gets 401 JSON, not the sign-in page, for a job it follows.
        let r = app.get(&mut thief, "/cases/1/jobs/1").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        assert!(r.body.contains("sign in again"));
        // A made-up cookie neither.
        let mut forged = Jar::default();
        forged.0.insert("__Host-leakscope".into(), "A".repeat(43));
        assert_eq!(
            app.get(&mut forged, "/").await.status,
            StatusCode::SEE_OTHER
        );
        // Open redirects are refused.
        let (mut j, _) = app.sign_in("vic", VIEWER_PW).await;
        let form = app
            .get(&mut Jar::default(), "/login?next=//evil.example/")
            .await;
        assert!(form.body.contains("name=\"next\" value=\"/\""));
        let _ = app.get(&mut j, "/").await;
    });
}

#[test]
fn every_form_refuses_a_forged_csrf_token_and_cross_site_posts() {
    let app = App::new(1 << 30);
    rt().block_on(async {
        let (mut jar, csrf) = app.sign_in("ada", ADMIN_PW).await;
        let forged = "forged-token-forged-token-forged-token-xyz";
        for (path, extra) in [
            ("/logout", vec![]),
            ("/claims/1/case", vec![]),
            ("/cases", vec![("title", "forged case")]),
            (
                "/corpus",
                vec![("q", "someone@example.vn"), ("kind", "email")],
            ),
            ("/admin/users/ana/unlock", vec![]),
        ] {
            let mut fields = vec![("csrf", forged)];
            fields.extend(extra);
            let r = app.post(&mut jar, path, &fields).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
            assert!(r.body.contains("security token"), "{path}: {}", r.body);
            // Without any token too.
            let r = app.post(&mut jar, path, &[]).await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path} without a token");
        }
        // Nothing happened: no case, still signed in.
        assert_eq!(app.dump_table("cases"), "");
        assert_eq!(app.get(&mut jar, "/").await.status, StatusCode::OK);
        // A real case, then its forms with a forged token.
        let r = app
            .post(&mut jar, "/claims/1/case", &[("csrf", &csrf)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(r.location(), "/cases/1");
        for path in ["/cases/1/events", "/cases/1/status", "/cases/1/reveal"] {
            let r = app
                .post(
                    &mut jar,
                    path,
                    &[
                        ("csrf", forged),
                        ("text", "x"),
                        ("action", "close"),
                        ("reason", "x"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        }
        let r = app
            .upload(
                &mut jar,
                1,
                forged,
                &[("s.csv", b"email\na@b.vn\n".to_vec())],
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        assert!(
            no_files(&app.home.join("cases")),
            "a refused upload leaves nothing"
        );
        // A cross-site POST is refused even with the right token.
        let req = axum::http::Request::builder()
            .method("POST")
            .uri("/cases/1/events")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "cross-site")
            .body(axum::body::Body::from(format!(
                "csrf={csrf}&text=x&kind=note"
            )))
            .unwrap();
        assert_eq!(app.send(&mut jar, req).await.status, StatusCode::FORBIDDEN);
        // The sign-in form without its cookie.
        let mut fresh = Jar::default();
        let r = app
            .post(
                &mut fresh,
                "/login",
                &[("csrf", forged), ("name", "ada"), ("password", ADMIN_PW)],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let events = app.dump_table("case_events");
        assert!(
            !events.contains("\"x\""),
            "no forged event recorded: {events}"
        );
    });
}

#[test]
fn repeated_failures_lock_the_account_until_an_admin_unlocks_it() {
    let app = App::new(1 << 30);
    rt().block_on(async {
        let mut jar = Jar::default();
        for _ in 0..5 {
            let t = csrf_in(&app.get(&mut jar, "/login").await.body);
            let r = app
                .post(
                    &mut jar,
                    "/login",
                    &[
                        ("csrf", &t),
                        ("name", "vic"),
                        ("password", "wrong wrong wrong"),
                    ],
                )
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        }
        // Locked: even the right password is refused, and the password is not checked.
        let t = csrf_in(&app.get(&mut jar, "/login").await.body);
        let r = app
            .post(
                &mut jar,
                "/login",
                &[("csrf", &t), ("name", "vic"), ("password", VIEWER_PW)],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
        let audit = app.audit().join("\n");
        assert!(
            audit.contains("vic sign_in refused") && audit.contains("locked until"),
            "{audit}"
        );
        assert!(audit.contains("the account is now locked"));
        // The admin sees the lock and lifts it.
        let (mut admin, csrf) = app.sign_in("ada", ADMIN_PW).await;
        let users = app.get(&mut admin, "/admin/users").await;
        assert!(users.body.contains("Unlock"), "{}", users.body);
        let r = app
            .post(&mut admin, "/admin/users/vic/unlock", &[("csrf", &csrf)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let _ = app.sign_in("vic", VIEWER_PW).await;
        // Only admins see the users and the audit log.
        let (mut analyst, _) = app.sign_in("ana", ANALYST_PW).await;
        assert_eq!(
            app.get(&mut analyst, "/admin/audit").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get(&mut analyst, "/admin/users").await.status,
            StatusCode::FORBIDDEN
        );
        let log = app.get(&mut admin, "/admin/audit?action=user_unlock").await;
        assert!(log.body.contains("user vic"), "{}", log.body);
    });
}
