//! Table schemas shared by every input of one read: a `CREATE TABLE` read anywhere names the
//! columns of a header-less `INSERT` of the same table anywhere else (`sakila-schema.sql` +
//! `sakila-data.sql`), whatever the order the inputs come in.
//!
//! When a header-less table's schema is not known yet, the schema may sit in an input that has
//! not been read (the data file came first), in a later member of the same archive, or in a
//! file beside the input that nobody named (`scan data.sql` with `schema.sql` next to it). The registry then *probes* those files once:
//! it reads their SQL text (at most [`PROBE_BYTES`] each, [`PROBE_BUDGET`] in all, and only
//! table definitions are kept) and says so in an `info` diagnostic. A schema is only applied when
//! its column count equals the width of the table's rows.

use crate::ctx::Ctx;
use crate::model::{Diagnostic, Flow, RowBatch, Severity, Sink, TableInfo};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Bytes of SQL text read from one probed file.
pub(crate) const PROBE_BYTES: u64 = 32 << 20;
/// Bytes of SQL text probed in one read in all.
pub(crate) const PROBE_BUDGET: u64 = 256 << 20;
/// Files probed for one input at most.
const MAX_CANDIDATES: usize = 64;

/// Columns of one table and where they were defined.
#[derive(Debug, Clone)]
pub(crate) struct Schema {
    pub columns: Vec<String>,
    /// Display path of the source that defined them.
    pub source: String,
}

/// Every table definition seen in one read, and what is needed to look for more.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    tables: HashMap<String, Schema>,
    /// Command-line inputs not read yet.
    pub later: Vec<PathBuf>,
    /// The file on disk the current top-level input is (or is inside).
    pub origin: Option<PathBuf>,
    /// The origin discovery last ran for.
    discovered_for: Option<Option<PathBuf>>,
    /// Files already probed.
    probed: HashSet<PathBuf>,
    /// Probe bytes left.
    budget: Option<u64>,
    /// This registry belongs to a probe (which never probes further).
    pub probing: bool,
}

/// The registry key of a table name: lower case, quotes and brackets removed, schema prefix
/// dropped.
pub(crate) fn key(name: &str) -> String {
    let n: String = name
        .chars()
        .filter(|c| !matches!(c, '`' | '"' | '[' | ']'))
        .collect();
    n.rsplit('.').next().unwrap_or(&n).trim().to_lowercase()
}

impl Registry {
    /// Records a table definition (the first definition of a name is kept).
    pub fn define(&mut self, table: &str, columns: &[String], source: &str) {
        if columns.is_empty() {
            return;
        }
        self.tables.entry(key(table)).or_insert_with(|| Schema {
            columns: columns.to_vec(),
            source: source.to_string(),
        });
    }

    /// The schema of `table` for rows `width` fields wide (any width when 0).
    pub fn lookup(&self, table: &str, width: usize) -> Option<&Schema> {
        self.tables
            .get(&key(table))
            .filter(|s| width == 0 || s.columns.len() == width)
    }
}

/// A sink that keeps nothing (probes only want table definitions).
struct Discard;

impl Sink for Discard {
    fn rows(&mut self, _t: &TableInfo, _b: RowBatch) -> Flow {
        Flow::Continue
    }
}

/// An archive by its name (its members are probed like files beside each other).
fn archive_name(p: &Path) -> bool {
    let n = p
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    [
        ".zip", ".tar", ".tgz", ".tar.gz", ".tar.bz2", ".tar.xz", ".tar.zst", ".7z",
    ]
    .iter()
    .any(|x| n.ends_with(x))
}

/// Files that may hold the schema of the current input's tables: the archive the input is a
/// member of (its other members), the command-line inputs not read yet, then SQL files in the
/// directory of the input on disk.
fn candidates(reg: &Registry) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = reg
        .origin
        .iter()
        .filter(|o| archive_name(o))
        .cloned()
        .collect();
    out.extend(
        reg.later
            .iter()
            .filter(|p| p.as_os_str() != "-" && p.is_file())
            .cloned(),
    );
    if let Some(origin) = &reg.origin {
        let dir = origin.parent().filter(|d| !d.as_os_str().is_empty());
        let dir = dir.unwrap_or(Path::new("."));
        if let Ok(rd) = std::fs::read_dir(dir) {
            let mut sibs: Vec<PathBuf> = rd
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.path())
                .filter(|p| {
                    let n = p
                        .file_name()
                        .map(|n| n.to_string_lossy().to_lowercase())
                        .unwrap_or_default();
                    (n.contains(".sql") || n.ends_with(".ddl")) && !same_file(p, origin)
                })
                .collect();
            sibs.sort();
            out.extend(sibs);
        }
    }
    out.retain(|p| !reg.probed.contains(p));
    out.dedup();
    out.truncate(MAX_CANDIDATES);
    out
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Probes the candidate files of the current input (once per input) for table definitions.
fn discover(ctx: &mut Ctx) {
    let origin = ctx.schemas.origin.clone();
    if ctx.schemas.probing || ctx.schemas.discovered_for.as_ref() == Some(&origin) {
        return;
    }
    ctx.schemas.discovered_for = Some(origin);
    let mut budget = ctx.schemas.budget.unwrap_or(PROBE_BUDGET);
    for path in candidates(&ctx.schemas) {
        if budget == 0 {
            break;
        }
        ctx.schemas.probed.insert(path.clone());
        // Decompression (an archive's other members, skipped or not) is bounded by what is
        // left of the budget; SQL text by PROBE_BYTES per stream.
        let opts = crate::ReadOptions {
            threads: 1,
            max_expanded_bytes: budget,
            max_depth: 2,
            ..ctx.opts.clone()
        };
        let mut sink = Discard;
        let mut probe = Ctx::new(&opts, &mut sink);
        probe.schemas.probing = true;
        probe.probe_limit = Some(PROBE_BYTES.min(budget));
        crate::source::read_path(&mut probe, &path);
        budget = budget.saturating_sub(probe.probe_read);
        let found = std::mem::take(&mut probe.schemas.tables);
        drop(probe);
        for (k, s) in found {
            ctx.schemas.tables.entry(k).or_insert(s);
        }
    }
    ctx.schemas.budget = Some(budget);
}

/// The columns of a header-less table `width` fields wide: from a definition read earlier in
/// this read, else from a probe of the other inputs and the files beside this one. `None` when
/// no definition of that width exists; with the source that defined them otherwise.
pub(crate) fn columns_for(ctx: &mut Ctx, table: &str, width: usize) -> Option<Schema> {
    if ctx.schemas.probing {
        return None;
    }
    if ctx.schemas.lookup(table, width).is_none() {
        discover(ctx);
    }
    ctx.schemas.lookup(table, width).cloned()
}

/// Names quoted in a note at most.
const NAMED: usize = 5;

fn names(tables: &[String], count: usize) -> String {
    let mut s = tables
        .iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if count > tables.len() {
        s.push_str(&format!(" and {} more", count - tables.len()));
    }
    s
}

/// Notes a name among the first [`NAMED`] and counts it.
fn note(list: &mut Vec<String>, count: &mut usize, table: &str) {
    if list.len() < NAMED {
        list.push(table.to_string());
    }
    *count += 1;
}

/// What a source's header-less tables got, said once per source (a dump of 200,000 tables
/// gets two lines, not 200,000): which tables took their columns from which schema file, and
/// which found none.
#[derive(Debug, Default)]
pub(crate) struct Notes {
    /// Tables joined, by the source of their schema (in first-use order): the first names
    /// and how many.
    joined: Vec<(String, Vec<String>, usize)>,
    /// The first tables that found no schema, and how many did.
    unnamed: (Vec<String>, usize),
}

impl Notes {
    /// Records what `table` got.
    pub fn record(&mut self, table: &str, schema: Option<&Schema>) {
        match schema {
            Some(s) => match self.joined.iter_mut().find(|(src, _, _)| *src == s.source) {
                Some((_, t, n)) => note(t, n, table),
                None => self
                    .joined
                    .push((s.source.clone(), vec![table.to_string()], 1)),
            },
            None => {
                let (list, n) = &mut self.unnamed;
                note(list, n, table);
            }
        }
    }

    /// The `schema-joined` and `no-schema` info diagnostics of `source`.
    pub fn report(self, ctx: &mut Ctx, source: &str) {
        for (from, tables, n) in self.joined {
            ctx.diag(Diagnostic::new(
                Severity::Info,
                "schema-joined",
                source,
                format!(
                    "this dump names no columns for {} {}; they come from the CREATE TABLE statements in {from}",
                    if n == 1 { "table" } else { "tables" },
                    names(&tables, n)
                ),
            ));
        }
        let (unnamed, n) = self.unnamed;
        if n > 0 {
            ctx.diag(Diagnostic::new(
                Severity::Info,
                "no-schema",
                source,
                format!(
                    "no CREATE TABLE of the right width for {} {} in the dump, the other inputs or the SQL files beside it; columns are named col_1…",
                    if n == 1 { "table" } else { "tables" },
                    names(&unnamed, n)
                ),
            ));
        }
    }
}
