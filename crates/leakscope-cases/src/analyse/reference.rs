//! The reference verify matches samples against: an index file, reference files, or a database
//! URL kept without its password.

use super::*;
/// What the user gives as a reference (paths or one URL, as for `leakscope verify`).
#[derive(Debug, Clone, Default)]
pub struct ReferenceInput {
    /// An index file, reference files, or one `postgres://` / `sqlite://` URL.
    pub specs: Vec<String>,
    /// Table of a database reference.
    pub table: Option<String>,
    /// Query of a database reference.
    pub query: Option<String>,
    /// `COLUMN=CLASS` overrides.
    pub map: Vec<String>,
    /// Customer id column.
    pub id_column: Option<String>,
    /// Tenant column.
    pub tenant_column: Option<String>,
    /// Last-update column.
    pub updated_column: Option<String>,
    /// Default phone country.
    pub default_country: Option<String>,
}

/// A URL without its password (user name, host, database and other parameters kept).
pub fn strip_password(url: &str) -> (String, bool) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_string(), false);
    };
    let (auth_host, query) = match rest.split_once('?') {
        Some((a, q)) => (a, Some(q)),
        None => (rest, None),
    };
    let mut removed = false;
    let auth_host = match auth_host.rfind('@') {
        Some(at) => {
            let (auth, host) = auth_host.split_at(at);
            match auth.split_once(':') {
                Some((user, _)) => {
                    removed = true;
                    format!("{user}{host}")
                }
                None => auth_host.to_string(),
            }
        }
        None => auth_host.to_string(),
    };
    let query = query.map(|q| {
        q.split('&')
            .filter(|kv| {
                let pw = kv.to_ascii_lowercase().starts_with("password=");
                removed |= pw;
                !pw
            })
            .collect::<Vec<_>>()
            .join("&")
    });
    let mut out = format!("{scheme}://{auth_host}");
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        out.push('?');
        out.push_str(&q);
    }
    (out, removed)
}

fn is_index_file(path: &Path) -> bool {
    let mut magic = [0u8; 6];
    std::fs::File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut magic))
        .is_ok()
        && &magic == b"LSKIDX"
}

/// Sets the case's reference (files hashed and registered; a URL kept without its password).
pub fn set_reference(db: &mut Db, case: &mut Case, r: &ReferenceInput, env: &Env) -> Result<()> {
    let first = r
        .specs
        .first()
        .ok_or_else(|| CaseError::Usage("--reference needs a file, an index or a URL".into()))?;
    let is_url = |s: &str| {
        s.starts_with("postgres://") || s.starts_with("postgresql://") || s.starts_with("sqlite://")
    };
    let mut reference = Reference {
        table: r.table.clone(),
        query: r.query.clone(),
        map: r.map.clone(),
        id_column: r.id_column.clone(),
        tenant_column: r.tenant_column.clone(),
        updated_column: r.updated_column.clone(),
        default_country: r.default_country.clone(),
        ..Reference::default()
    };
    let mut artefact = None;
    if is_url(first) {
        if r.specs.len() > 1 {
            return Err(CaseError::Usage(
                "a database reference is one URL; files and URLs cannot be mixed".into(),
            ));
        }
        reference.kind = "database".into();
        if let Some(p) = first.strip_prefix("sqlite://") {
            let (a, h) = register_file(db, case.id, Path::new(p), "reference")?;
            artefact = Some(a);
            reference.sha256.push(h);
            reference.locations.push(first.clone());
        } else {
            let (clean, removed) = strip_password(first);
            reference.locations.push(clean);
            reference.password_removed = removed;
        }
    } else {
        let paths: Vec<PathBuf> = r.specs.iter().map(PathBuf::from).collect();
        let index = paths.len() == 1 && is_index_file(&paths[0]);
        reference.kind = if index { "index" } else { "files" }.into();
        for p in &paths {
            let (a, h) = register_file(db, case.id, p, if index { "index" } else { "reference" })?;
            artefact = Some(a);
            reference.sha256.push(h);
            reference.locations.push(
                std::fs::canonicalize(p)
                    .unwrap_or_else(|_| p.clone())
                    .display()
                    .to_string(),
            );
        }
    }
    let what = format!(
        "reference set: {} ({})",
        reference.kind,
        reference
            .locations
            .iter()
            .map(|l| Path::new(l)
                .file_name()
                .map_or_else(|| l.clone(), |n| n.to_string_lossy().into_owned()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    case.reference = Some(reference);
    store::update_settings(db, case)?;
    store::add_event(
        db,
        case.id,
        &NewEvent {
            at: fmt_utc(env.now),
            kind: "reference".into(),
            text: what,
            actor: env.actor.clone(),
            artefact,
            document: None,
        },
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_kept_in_reference_urls() {
        assert_eq!(
            strip_password("postgres://ro:s3cret@db.example:5432/crm?sslmode=require&password=x"),
            (
                "postgres://ro@db.example:5432/crm?sslmode=require".into(),
                true
            )
        );
        assert_eq!(
            strip_password("postgres://ro@db/crm"),
            ("postgres://ro@db/crm".into(), false)
        );
        assert_eq!(kind_of("Notified PDPC by portal"), "notified");
        assert_eq!(kind_of("called the bank"), "event");
    }
}
