//! The database on both backends: migrations, the portable API, file permissions, a reader
//! while a writer holds a transaction, and refusing a database from a newer leakscope.

use leakscope_db::{migrations, Db, DbError, Target, Value};

fn exercise(db: &mut Db) {
    assert_eq!(db.schema_version().unwrap(), migrations::latest());
    let id = db
        .insert(
            "INSERT INTO watch_entries (kind, name, name_key, created_at) VALUES (?, ?, ?, ?) RETURNING id",
            &["organisation".into(), "FooMart".into(), "foomart".into(), leakscope_db::now().into()],
        )
        .unwrap();
    assert!(id > 0);
    // ON CONFLICT works on both.
    let changed = db
        .execute(
            "INSERT INTO watch_entries (kind, name, name_key, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (kind, name_key) DO NOTHING",
            &["organisation".into(), "FOOMART".into(), "foomart".into(), leakscope_db::now().into()],
        )
        .unwrap();
    assert_eq!(changed, 0);
    // A failed transaction leaves nothing behind.
    let r: Result<(), DbError> = db.transaction(|tx| {
        tx.execute(
            "INSERT INTO watch_entries (kind, name, name_key, created_at) VALUES (?, ?, ?, ?)",
            &[
                "brand".into(),
                "Bar".into(),
                "bar".into(),
                leakscope_db::now().into(),
            ],
        )?;
        tx.execute("INSERT INTO no_such_table VALUES (1)", &[])?;
        Ok(())
    });
    assert!(r.is_err());
    let rows = db
        .query(
            "SELECT name, id, parent FROM watch_entries ORDER BY id",
            &[],
        )
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].str(0), "FooMart");
    assert_eq!(rows[0].i64(1), id);
    assert_eq!(rows[0].opt_str(2), None);
    let n = db
        .query_opt(
            "SELECT COUNT(*) FROM watch_entries WHERE name_key = ?",
            &[Value::from("foomart")],
        )
        .unwrap()
        .unwrap()
        .i64(0);
    assert_eq!(n, 1);
}

#[test]
fn sqlite_migrates_is_private_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let target = Target::resolve(None, &data).unwrap();
    let mut db = Db::open(&target).unwrap();
    exercise(&mut db);
    drop(db);
    let path = data.join(leakscope_db::FILE_NAME);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for p in [
            path.clone(),
            path.with_extension("db-wal"),
            path.with_extension("db-shm"),
        ] {
            if p.exists() {
                let mode = std::fs::metadata(&p).unwrap().permissions().mode();
                assert_eq!(
                    mode & 0o077,
                    0,
                    "{} is readable by others ({mode:o})",
                    p.display()
                );
            }
        }
        let dmode = std::fs::metadata(&data).unwrap().permissions().mode();
        assert_eq!(dmode & 0o077, 0);
    }
    // Reopening applies nothing twice.
    let mut db = Db::open(&target).unwrap();
    assert_eq!(db.schema_version().unwrap(), migrations::latest());
    let n = db
        .query("SELECT COUNT(*) FROM schema_migrations", &[])
        .unwrap()[0]
        .i64(0);
    assert_eq!(n as u32, migrations::MIGRATIONS.len() as u32);
}

#[test]
fn sqlite_reader_is_not_blocked_by_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let target = Target::Sqlite(dir.path().join("x.db"));
    let mut writer = Db::open(&target).unwrap();
    let mut reader = Db::open(&target).unwrap();
    writer
        .transaction(|w| -> Result<(), DbError> {
            w.execute(
                "INSERT INTO feeds (url, created_at) VALUES (?, ?)",
                &["https://a.example/feed".into(), leakscope_db::now().into()],
            )?;
            // The reader sees the committed state (no feed yet) without waiting.
            let n = reader.query("SELECT COUNT(*) FROM feeds", &[])?[0].i64(0);
            assert_eq!(n, 0);
            Ok(())
        })
        .unwrap();
    let n = reader.query("SELECT COUNT(*) FROM feeds", &[]).unwrap()[0].i64(0);
    assert_eq!(n, 1);
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let target = Target::Sqlite(dir.path().join("x.db"));
    let mut db = Db::open(&target).unwrap();
    db.execute(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', ?)",
        &[
            Value::Int(migrations::latest() as i64 + 1),
            leakscope_db::now().into(),
        ],
    )
    .unwrap();
    drop(db);
    match Db::open(&target) {
        Err(DbError::TooNew { found, known }) => assert!(found > known),
        other => panic!("expected TooNew, got {other:?}"),
    }
}

#[test]
fn bad_database_value_is_a_clear_error_without_the_value() {
    let err = Target::resolve(
        Some("mysql://user:secret@host/db"),
        std::path::Path::new("."),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("postgres://"));
    assert!(!err.contains("secret"));
    let t = Target::Postgres("postgres://u:secret@db.example:5432/x".into());
    assert!(!t.describe().contains("secret"));
}

#[test]
fn postgres_backend_runs_the_same_migrations_and_api() {
    let Some(pg) =
        leakscope_testpg::start_or_skip("postgres_backend_runs_the_same_migrations_and_api")
    else {
        return;
    };
    let target = Target::resolve(Some(&pg.url()), std::path::Path::new(".")).unwrap();
    let mut db = Db::open(&target).unwrap();
    exercise(&mut db);
    drop(db);
    let mut again = Db::open(&target).unwrap();
    assert_eq!(again.schema_version().unwrap(), migrations::latest());
}
