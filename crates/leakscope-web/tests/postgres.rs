//! Users, sessions and the audit log on a team's PostgreSQL server (the same portable SQL as
//! SQLite): a throwaway server from `leakscope-testpg`, skipped with a notice when the Debian
//! `postgresql` binaries are missing (a failure under `CI`).

use chrono::{Duration, Utc};
use leakscope_db::{Db, Target};
use leakscope_web::users::{self, Role, SignIn};
use leakscope_web::{audit, sessions, Lockout, Pool};

#[test]
fn users_sessions_and_audit_on_postgresql() {
    let Some(pg) = leakscope_testpg::start_or_skip("users_sessions_and_audit_on_postgresql") else {
        return;
    };
    let target = Target::Postgres(pg.url());
    let pool = Pool::open(target.clone(), 2).unwrap();
    pool.blocking(|db: &mut Db| {
        let u = users::add(db, "ana", Role::Analyst, "analyst password 2026").unwrap();
        assert_eq!(u.role, Role::Analyst);
        assert!(matches!(
            users::add(db, "ana", Role::Admin, "another password 1"),
            Err(users::UserError::Exists(_))
        ));
        let now = Utc::now();
        let policy = Lockout::default();
        for i in 0..5 {
            let r = users::authenticate(db, "ana", "wrong wrong wrong", now, &policy).unwrap();
            assert!(
                matches!(r, SignIn::Failed { locked_now, .. } if locked_now == (i == 4)),
                "{r:?}"
            );
        }
        let r = users::authenticate(db, "ana", "analyst password 2026", now, &policy).unwrap();
        assert!(matches!(r, SignIn::Locked { .. }), "{r:?}");
        // After the lock's time the right password works again.
        let later = now + Duration::minutes(16);
        let SignIn::Ok(u) =
            users::authenticate(db, "ana", "analyst password 2026", later, &policy).unwrap()
        else {
            panic!("sign-in after the lock");
        };
        let (token, s) = sessions::create(
            db,
            &u,
            Some("127.0.0.1"),
            later,
            std::time::Duration::from_secs(3600),
        )
        .unwrap();
        let found = sessions::lookup(db, &token, later, std::time::Duration::from_secs(600))
            .unwrap()
            .unwrap();
        assert_eq!((found.id, found.user.name.as_str()), (s.id, "ana"));
        // Idle too long: gone.
        assert!(sessions::lookup(
            db,
            &token,
            later + Duration::minutes(11),
            std::time::Duration::from_secs(600)
        )
        .unwrap()
        .is_none());
        let (token, s) =
            sessions::create(db, &u, None, later, std::time::Duration::from_secs(3600)).unwrap();
        sessions::delete(db, s.id).unwrap();
        assert!(
            sessions::lookup(db, &token, later, std::time::Duration::from_secs(600))
                .unwrap()
                .is_none()
        );
        // A new password ends every session.
        let (token, _) =
            sessions::create(db, &u, None, later, std::time::Duration::from_secs(3600)).unwrap();
        users::set_password(db, "ana", "a brand new password").unwrap();
        assert!(
            sessions::lookup(db, &token, later, std::time::Duration::from_secs(600))
                .unwrap()
                .is_none()
        );
        audit::record(
            db,
            &audit::New::ok(Some("ana"), "export", Some("case 1".into()), "stix".into()),
        )
        .unwrap();
        let log = audit::list(
            db,
            &audit::Filter {
                action: Some("export".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].detail, "stix");
        assert!(users::remove(db, "ana").unwrap());
        assert!(users::list(db).unwrap().is_empty());
        Ok(())
    })
    .unwrap();
}
