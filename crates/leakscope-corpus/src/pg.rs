//! PostgreSQL store for teams: the same model in tables, one transaction per added leak (so a
//! killed ingest rolls back), bulk loading with `COPY`, indexed keyed hashes.

use crate::ingest::Prepared;
use crate::model::{now_iso, Breach, BreachMeta};
use crate::overlap;
use crate::passwords::PwMode;
use crate::records::Records;
use crate::store::{breach_record, Added, CorpusError, Marks, OverlapRow, RangeHit, Result, Store};
use postgres::{Client, NoTls};
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Mutex;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS ls_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS ls_breach (id bigserial PRIMARY KEY, lname text UNIQUE NOT NULL, record text NOT NULL);
CREATE TABLE IF NOT EXISTS ls_id (breach bigint NOT NULL REFERENCES ls_breach(id) ON DELETE CASCADE, h bytea NOT NULL);
CREATE INDEX IF NOT EXISTS ls_id_h ON ls_id (h);
CREATE TABLE IF NOT EXISTS ls_domain (breach bigint NOT NULL REFERENCES ls_breach(id) ON DELETE CASCADE, dk bytea NOT NULL, h bytea NOT NULL);
CREATE INDEX IF NOT EXISTS ls_domain_dk ON ls_domain (dk);
CREATE TABLE IF NOT EXISTS ls_email_sha1 (breach bigint NOT NULL REFERENCES ls_breach(id) ON DELETE CASCADE, h bytea NOT NULL);
CREATE INDEX IF NOT EXISTS ls_email_sha1_h ON ls_email_sha1 (h);
CREATE TABLE IF NOT EXISTS ls_pw (breach bigint NOT NULL REFERENCES ls_breach(id) ON DELETE CASCADE, mode smallint NOT NULL, h bytea NOT NULL, n bigint NOT NULL);
CREATE INDEX IF NOT EXISTS ls_pw_h ON ls_pw (mode, h);
";

/// A corpus in PostgreSQL.
pub struct PgStore {
    client: Mutex<Client>,
}

fn db(e: impl std::fmt::Display) -> CorpusError {
    CorpusError::Db(e.to_string())
}

/// `(low, high)` byte bounds of all values whose first `bits` bits equal those of `prefix`;
/// `high` is None when the range runs to the end.
fn bounds(prefix: [u8; 3], bits: u32) -> (Vec<u8>, Option<Vec<u8>>) {
    let v = (u32::from(prefix[0]) << 16) | (u32::from(prefix[1]) << 8) | u32::from(prefix[2]);
    let step = 1u32 << (24 - bits);
    let lo = v & !(step - 1);
    let hi = lo + step;
    let bytes = |x: u32| x.to_be_bytes()[1..].to_vec();
    (bytes(lo), (hi < (1 << 24)).then(|| bytes(hi)))
}

fn read_err(e: std::io::Error) -> CorpusError {
    CorpusError::Io("reading the prepared leak".into(), e)
}

fn copy_rows(
    tx: &mut postgres::Transaction<'_>,
    sql: &str,
    rows: impl Iterator<Item = std::io::Result<String>>,
) -> Result<()> {
    let mut w = tx.copy_in(sql).map_err(db)?;
    let mut buf = Vec::with_capacity(1 << 20);
    for r in rows {
        buf.extend_from_slice(r.map_err(read_err)?.as_bytes());
        if buf.len() > 1 << 20 {
            w.write_all(&buf).map_err(db)?;
            buf.clear();
        }
    }
    w.write_all(&buf).map_err(db)?;
    w.finish().map_err(db)?;
    Ok(())
}

/// Per breach, how many of `ids` it holds, and how many are in any breach, in `tx`.
fn overlap_in(
    tx: &mut postgres::Transaction<'_>,
    ids: &Records<16>,
) -> Result<(Vec<OverlapRow>, u64)> {
    tx.batch_execute("CREATE TEMP TABLE ls_new (h bytea PRIMARY KEY) ON COMMIT DROP")
        .map_err(db)?;
    copy_rows(
        tx,
        "COPY ls_new (h) FROM STDIN",
        ids.stream()
            .map_err(read_err)?
            .map(|h| h.map(|h| format!("\\\\x{}\n", hex::encode(h)))),
    )?;
    tx.batch_execute("ANALYZE ls_new").map_err(db)?;
    let rows = tx
        .query(
            "SELECT b.record, count(*) FROM ls_new n JOIN ls_id i ON i.h = n.h JOIN ls_breach b ON b.id = i.breach GROUP BY b.record",
            &[],
        )
        .map_err(db)?;
    let mut out = Vec::new();
    for r in &rows {
        let b: Breach = serde_json::from_str(r.get::<_, &str>(0))
            .map_err(|e| CorpusError::Invalid(e.to_string()))?;
        out.push(OverlapRow {
            breach: b.name,
            shared: r.get::<_, i64>(1) as u64,
        });
    }
    let known: i64 = tx
        .query_one(
            "SELECT count(*) FROM ls_new n WHERE EXISTS (SELECT 1 FROM ls_id i WHERE i.h = n.h)",
            &[],
        )
        .map_err(db)?
        .get(0);
    tx.batch_execute("DROP TABLE ls_new").map_err(db)?;
    Ok((out, known as u64))
}

impl PgStore {
    /// Connects, creates the schema if needed, and checks the secret fingerprint.
    pub fn connect(url: &str, fingerprint: &str) -> Result<PgStore> {
        let mut client = Client::connect(url, NoTls).map_err(db)?;
        client.batch_execute(SCHEMA).map_err(db)?;
        client
            .execute(
                "INSERT INTO ls_meta (key, value) VALUES ('secret_fingerprint', $1) ON CONFLICT (key) DO NOTHING",
                &[&fingerprint],
            )
            .map_err(db)?;
        let row = client
            .query_one(
                "SELECT value FROM ls_meta WHERE key = 'secret_fingerprint'",
                &[],
            )
            .map_err(db)?;
        let stored: String = row.get(0);
        if stored != fingerprint {
            return Err(CorpusError::SecretMismatch {
                store: stored,
                ours: fingerprint.to_string(),
            });
        }
        Ok(PgStore {
            client: Mutex::new(client),
        })
    }

    fn client(&self) -> std::sync::MutexGuard<'_, Client> {
        self.client.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Store for PgStore {
    fn breaches(&self) -> Result<Vec<Breach>> {
        let rows = self
            .client()
            .query("SELECT record FROM ls_breach ORDER BY lname", &[])
            .map_err(db)?;
        rows.iter()
            .map(|r| {
                serde_json::from_str(r.get::<_, &str>(0))
                    .map_err(|e| CorpusError::Invalid(e.to_string()))
            })
            .collect()
    }

    fn add(&self, meta: &BreachMeta, p: Prepared) -> Result<Added> {
        let breach = breach_record(meta, &p, &now_iso())?;
        let record =
            serde_json::to_string(&breach).map_err(|e| CorpusError::Invalid(e.to_string()))?;
        let mut client = self.client();
        let mut tx = client.transaction().map_err(db)?;
        // Concurrent adds take turns here, so each one's re-post verdict counts the others.
        tx.batch_execute("LOCK TABLE ls_breach IN SHARE ROW EXCLUSIVE MODE")
            .map_err(db)?;
        let lname = breach.name.to_ascii_lowercase();
        let exists = tx
            .query_opt("SELECT 1 FROM ls_breach WHERE lname = $1", &[&lname])
            .map_err(db)?;
        if exists.is_some() {
            return Err(CorpusError::Exists(breach.name));
        }
        let (rows, known) = overlap_in(&mut tx, &p.ids)?;
        let report = overlap::report(rows, known, p.ids.len() as u64);
        let row = tx
            .query_one(
                "INSERT INTO ls_breach (lname, record) VALUES ($1, $2) RETURNING id",
                &[&lname, &record],
            )
            .map_err(db)?;
        let id: i64 = row.get(0);
        let hexrow = |h: &[u8]| format!("{id}\t\\\\x{}\n", hex::encode(h));
        copy_rows(
            &mut tx,
            "COPY ls_id (breach, h) FROM STDIN",
            p.ids
                .stream()
                .map_err(read_err)?
                .map(|h| h.map(|h| hexrow(&h))),
        )?;
        let ids = p.ids.view().map_err(read_err)?;
        copy_rows(
            &mut tx,
            "COPY ls_domain (breach, dk, h) FROM STDIN",
            p.domains.stream().map_err(read_err)?.map(|r| {
                let r = r?;
                let idx = u32::from_be_bytes(r[8..12].try_into().expect("4 bytes")) as usize;
                let h = ids.get(idx).ok_or_else(|| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "domain index out of range",
                    )
                })?;
                Ok(format!(
                    "{id}\t\\\\x{}\t\\\\x{}\n",
                    hex::encode(&r[..8]),
                    hex::encode(h)
                ))
            }),
        )?;
        drop(ids);
        copy_rows(
            &mut tx,
            "COPY ls_email_sha1 (breach, h) FROM STDIN",
            p.email_sha1
                .stream()
                .map_err(read_err)?
                .map(|h| h.map(|h| hexrow(&h))),
        )?;
        let pw_row = |m: u8, r: &[u8]| {
            let w = r.len() - 4;
            format!(
                "{id}\t{m}\t\\\\x{}\t{}\n",
                hex::encode(&r[..w]),
                Prepared::count_of(r)
            )
        };
        copy_rows(
            &mut tx,
            "COPY ls_pw (breach, mode, h, n) FROM STDIN",
            p.pw_sha1
                .stream()
                .map_err(read_err)?
                .map(|r| r.map(|r| pw_row(0, &r)))
                .chain(
                    p.pw_ntlm
                        .stream()
                        .map_err(read_err)?
                        .map(|r| r.map(|r| pw_row(1, &r))),
                ),
        )?;
        tx.commit().map_err(db)?;
        Ok(Added {
            breach,
            overlap: report,
        })
    }

    fn mark(&self, name: &str, marks: &Marks) -> Result<Option<Breach>> {
        let mut client = self.client();
        let mut tx = client.transaction().map_err(db)?;
        let lname = name.to_ascii_lowercase();
        let Some(row) = tx
            .query_opt(
                "SELECT record FROM ls_breach WHERE lname = $1 FOR UPDATE",
                &[&lname],
            )
            .map_err(db)?
        else {
            return Ok(None);
        };
        let mut b: Breach = serde_json::from_str(row.get::<_, &str>(0))
            .map_err(|e| CorpusError::Invalid(e.to_string()))?;
        if marks.apply(&mut b, &now_iso()) {
            let record =
                serde_json::to_string(&b).map_err(|e| CorpusError::Invalid(e.to_string()))?;
            tx.execute(
                "UPDATE ls_breach SET record = $2 WHERE lname = $1",
                &[&lname, &record],
            )
            .map_err(db)?;
        }
        tx.commit().map_err(db)?;
        Ok(Some(b))
    }

    fn remove(&self, name: &str) -> Result<bool> {
        let n = self
            .client()
            .execute(
                "DELETE FROM ls_breach WHERE lname = $1",
                &[&name.to_ascii_lowercase()],
            )
            .map_err(db)?;
        Ok(n > 0)
    }

    fn lookup(&self, id: &[u8; 16]) -> Result<Vec<String>> {
        let rows = self
            .client()
            .query(
                "SELECT DISTINCT b.record FROM ls_id i JOIN ls_breach b ON b.id = i.breach WHERE i.h = $1",
                &[&&id[..]],
            )
            .map_err(db)?;
        names(&rows)
    }

    fn overlap(&self, ids: &Records<16>) -> Result<(Vec<OverlapRow>, u64)> {
        let mut client = self.client();
        let mut tx = client.transaction().map_err(db)?;
        let out = overlap_in(&mut tx, ids)?;
        tx.commit().map_err(db)?;
        Ok(out)
    }

    fn email_range(&self, prefix: [u8; 3]) -> Result<Vec<RangeHit>> {
        let (lo, hi) = bounds(prefix, 24);
        let hi = hi.unwrap_or_else(|| vec![0xff; 21]);
        let rows = self
            .client()
            .query(
                "SELECT e.h, b.record FROM ls_email_sha1 e JOIN ls_breach b ON b.id = e.breach WHERE e.h >= $1 AND e.h < $2",
                &[&lo, &hi],
            )
            .map_err(db)?;
        let mut acc: BTreeMap<[u8; 20], Vec<String>> = BTreeMap::new();
        for r in &rows {
            let h: &[u8] = r.get(0);
            let b: Breach = serde_json::from_str(r.get::<_, &str>(1))
                .map_err(|e| CorpusError::Invalid(e.to_string()))?;
            if let Ok(h) = <[u8; 20]>::try_from(h) {
                acc.entry(h).or_default().push(b.name);
            }
        }
        Ok(acc
            .into_iter()
            .map(|(sha1, mut breaches)| {
                breaches.sort();
                RangeHit { sha1, breaches }
            })
            .collect())
    }

    fn password_range(&self, prefix: [u8; 3], mode: PwMode) -> Result<Vec<(Vec<u8>, u64)>> {
        let (lo, hi) = bounds(prefix, 20);
        let hi = hi.unwrap_or_else(|| vec![0xff; 21]);
        let m: i16 = if mode == PwMode::Sha1 { 0 } else { 1 };
        let rows = self
            .client()
            .query(
                "SELECT h, sum(n)::bigint FROM ls_pw WHERE mode = $1 AND h >= $2 AND h < $3 GROUP BY h ORDER BY h",
                &[&m, &lo, &hi],
            )
            .map_err(db)?;
        Ok(rows
            .iter()
            .map(|r| (r.get::<_, Vec<u8>>(0), r.get::<_, i64>(1) as u64))
            .collect())
    }

    fn domain_accounts(&self, domain_key: [u8; 8]) -> Result<Vec<([u8; 16], Vec<String>)>> {
        let rows = self
            .client()
            .query(
                "SELECT d.h, b.record FROM ls_domain d JOIN ls_breach b ON b.id = d.breach WHERE d.dk = $1",
                &[&&domain_key[..]],
            )
            .map_err(db)?;
        let mut acc: BTreeMap<[u8; 16], Vec<String>> = BTreeMap::new();
        for r in &rows {
            let h: &[u8] = r.get(0);
            let b: Breach = serde_json::from_str(r.get::<_, &str>(1))
                .map_err(|e| CorpusError::Invalid(e.to_string()))?;
            if let Ok(h) = <[u8; 16]>::try_from(h) {
                acc.entry(h).or_default().push(b.name);
            }
        }
        Ok(acc
            .into_iter()
            .map(|(h, mut v)| {
                v.sort();
                (h, v)
            })
            .collect())
    }
}

fn names(rows: &[postgres::Row]) -> Result<Vec<String>> {
    let mut out: Vec<String> = rows
        .iter()
        .map(|r| serde_json::from_str::<Breach>(r.get::<_, &str>(0)).map(|b| b.name))
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| CorpusError::Invalid(e.to_string()))?;
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_bounds() {
        assert_eq!(
            bounds([0x5b, 0xaa, 0x6f], 20),
            (vec![0x5b, 0xaa, 0x60], Some(vec![0x5b, 0xaa, 0x70]))
        );
        assert_eq!(
            bounds([0xff, 0xff, 0xf3], 20),
            (vec![0xff, 0xff, 0xf0], None)
        );
        assert_eq!(
            bounds([0x00, 0x01, 0xff], 24),
            (vec![0x00, 0x01, 0xff], Some(vec![0x00, 0x02, 0x00]))
        );
    }
}
