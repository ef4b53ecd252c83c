//! The header and table of contents of a `pg_dump` archive (`-Fc` custom format, and the
//! `toc.dat` of the `-Ft` tar and `-Fd` directory formats), read from a stream.
//!
//! Layout (PostgreSQL's `pg_backup_archiver.c`, archive versions 1.10–1.16): `PGDMP`, version
//! bytes, int and offset sizes, format, compression, creation date, database and version
//! strings, then the TOC entries. Integers are a sign byte and `intSize` little-endian bytes;
//! strings are an integer length (-1 for NULL) and the bytes.

use std::collections::HashMap;
use std::io::Read;

/// How the archive's data is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compression {
    None,
    /// zlib streams (custom format) or gzip files (directory format).
    Gzip,
    Lz4,
    Zstd,
    Unknown(u8),
}

/// One TOC entry (what a restore would run, and where its data is).
#[derive(Debug, Clone, Default)]
pub(crate) struct Entry {
    pub dump_id: i64,
    /// `TABLE DATA`, `TABLE`, `BLOBS`, `INDEX`, …
    pub desc: String,
    /// The object's name (for TABLE DATA: the table).
    pub tag: String,
    pub namespace: Option<String>,
    /// `COPY schema.table (cols) FROM stdin;` for TABLE DATA entries dumped as COPY.
    pub copy_stmt: Option<String>,
    /// The data file of the tar and directory formats (`3346.dat`).
    pub filename: Option<String>,
    /// The `CREATE TABLE` of a TABLE entry (names the columns of `--inserts` data).
    pub defn: Option<String>,
}

/// An archive's header and TOC.
#[derive(Debug, Clone)]
pub(crate) struct Toc {
    /// 1 custom; 3 tar (and the `toc.dat` of a directory archive); 5 directory.
    pub format: u8,
    pub compression: Compression,
    pub entries: Vec<Entry>,
    /// Index of each dump id in `entries`.
    by_id: HashMap<i64, usize>,
    int_size: usize,
}

/// Largest string accepted in a TOC (a table definition can be long, not gigabytes).
const MAX_STRING: i64 = 256 << 20;
/// Most TOC entries accepted.
const MAX_ENTRIES: i64 = 10_000_000;

/// Reads integers and strings in the archive's encoding.
pub(crate) struct Reader<'r> {
    pub r: &'r mut dyn Read,
    pub int_size: usize,
    /// Bytes consumed.
    pub pos: u64,
}

impl Reader<'_> {
    pub fn byte(&mut self) -> Result<u8, String> {
        let mut b = [0u8; 1];
        self.r
            .read_exact(&mut b)
            .map_err(|e| format!("archive ends early: {e}"))?;
        self.pos += 1;
        Ok(b[0])
    }

    /// A byte, or `None` at a clean end of input.
    pub fn byte_or_end(&mut self) -> Result<Option<u8>, String> {
        let mut b = [0u8; 1];
        loop {
            return match self.r.read(&mut b) {
                Ok(0) => Ok(None),
                Ok(_) => {
                    self.pos += 1;
                    Ok(Some(b[0]))
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => Err(format!("cannot read the archive: {e}")),
            };
        }
    }

    pub fn int(&mut self) -> Result<i64, String> {
        let negative = self.byte()? != 0;
        let mut v: i64 = 0;
        for i in 0..self.int_size {
            let b = i64::from(self.byte()?);
            if i < 8 {
                v |= b << (8 * i);
            }
        }
        Ok(if negative { -v } else { v })
    }

    pub fn string(&mut self) -> Result<Option<String>, String> {
        let n = self.int()?;
        if n < 0 {
            return Ok(None);
        }
        if n > MAX_STRING {
            return Err(format!("a {n}-byte string in the TOC (damaged archive)"));
        }
        let mut b = vec![0u8; n as usize];
        self.r
            .read_exact(&mut b)
            .map_err(|e| format!("archive ends early: {e}"))?;
        self.pos += n as u64;
        Ok(Some(String::from_utf8_lossy(&b).into_owned()))
    }

    fn skip(&mut self, n: usize) -> Result<(), String> {
        for _ in 0..n {
            self.byte()?;
        }
        Ok(())
    }
}

/// Reads the header and TOC at the start of `r` (its first bytes are `PGDMP`).
pub(crate) fn read(r: &mut dyn Read) -> Result<(Toc, u64), String> {
    let mut rd = Reader {
        r,
        int_size: 4,
        pos: 0,
    };
    let mut magic = [0u8; 5];
    for m in &mut magic {
        *m = rd.byte()?;
    }
    if &magic != b"PGDMP" {
        return Err("not a pg_dump archive".into());
    }
    let version = (rd.byte()?, rd.byte()?, rd.byte()?);
    let v = (version.0, version.1);
    if !((1, 10)..=(1, 16)).contains(&v) {
        return Err(format!(
            "archive version {}.{}.{} is not one this build reads (1.10–1.16: pg_dump 9.0–17)",
            version.0, version.1, version.2
        ));
    }
    let int_size = rd.byte()? as usize;
    if !(1..=8).contains(&int_size) {
        return Err(format!("integer size {int_size} (damaged archive)"));
    }
    rd.int_size = int_size;
    let off_size = rd.byte()? as usize;
    if !(1..=16).contains(&off_size) {
        return Err(format!("offset size {off_size} (damaged archive)"));
    }
    let format = rd.byte()?;
    let compression = if v >= (1, 15) {
        match rd.byte()? {
            0 => Compression::None,
            1 => Compression::Gzip,
            2 => Compression::Lz4,
            3 => Compression::Zstd,
            c => Compression::Unknown(c),
        }
    } else if rd.int()? != 0 {
        Compression::Gzip
    } else {
        Compression::None
    };
    for _ in 0..7 {
        rd.int()?; // creation date
    }
    rd.string()?; // database name
    rd.string()?; // server version
    rd.string()?; // pg_dump version
    let count = rd.int()?;
    if !(0..=MAX_ENTRIES).contains(&count) {
        return Err(format!("{count} TOC entries (damaged archive)"));
    }
    let mut entries = Vec::with_capacity(count.min(100_000) as usize);
    for _ in 0..count {
        let mut e = Entry {
            dump_id: rd.int()?,
            ..Entry::default()
        };
        rd.int()?; // had dumper
        rd.string()?; // table oid
        rd.string()?; // oid
        e.tag = rd.string()?.unwrap_or_default();
        e.desc = rd.string()?.unwrap_or_default();
        if v >= (1, 11) {
            rd.int()?; // section
        }
        let defn = rd.string()?;
        if e.desc == "TABLE" {
            e.defn = defn;
        }
        rd.string()?; // drop statement
        e.copy_stmt = rd.string()?;
        e.namespace = rd.string()?;
        rd.string()?; // tablespace
        if v >= (1, 14) {
            rd.string()?; // table access method
        }
        if v >= (1, 16) {
            rd.int()?; // relkind
        }
        rd.string()?; // owner
        rd.string()?; // "with oids"
        while rd.string()?.is_some() {} // dependencies
        if format == 1 {
            // Custom format: where the data block is (flag byte and offset).
            rd.byte()?;
            rd.skip(off_size)?;
        } else {
            e.filename = rd.string()?;
        }
        entries.push(e);
    }
    let pos = rd.pos;
    let by_id = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.dump_id, i))
        .collect();
    Ok((
        Toc {
            format,
            compression,
            entries,
            by_id,
            int_size,
        },
        pos,
    ))
}

impl Toc {
    /// A reader of archive integers over `r`.
    pub fn reader<'r>(&self, r: &'r mut dyn Read) -> Reader<'r> {
        Reader {
            r,
            int_size: self.int_size,
            pos: 0,
        }
    }

    /// The entry with this dump id.
    pub fn entry(&self, id: i64) -> Option<&Entry> {
        self.by_id.get(&id).map(|&i| &self.entries[i])
    }
}
