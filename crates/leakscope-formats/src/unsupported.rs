//! Formats leakscope does not read, recognised by their magic bytes (and, where the format has
//! none, by its file name and page layout) so the diagnostic names them and says how to turn
//! them into something it reads.

/// A recognised format that is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Unsupported {
    /// Format id reported for the source.
    pub id: &'static str,
    /// What it is.
    pub name: &'static str,
    /// One line that converts it (`FILE` stands for the file).
    pub convert: &'static str,
}

const PARQUET: Unsupported = Unsupported {
    id: "parquet",
    name: "an Apache Parquet file",
    convert: "duckdb -c \"COPY (SELECT * FROM 'FILE') TO 'FILE.csv' (HEADER)\"",
};
const AVRO: Unsupported = Unsupported {
    id: "avro",
    name: "an Apache Avro container file",
    convert: "duckdb -c \"INSTALL avro; LOAD avro; COPY (SELECT * FROM read_avro('FILE')) TO 'FILE.csv' (HEADER)\"",
};
const ORC: Unsupported = Unsupported {
    id: "orc",
    name: "an Apache ORC file",
    convert: "python3 -c \"import pyarrow.orc as o, pyarrow.csv as c; c.write_csv(o.read_table('FILE'), 'FILE.csv')\"",
};
const ACCESS: Unsupported = Unsupported {
    id: "ms-access",
    name: "a Microsoft Access database (.mdb/.accdb)",
    convert:
        "for t in $(mdb-tables -1 FILE); do mdb-export FILE \"$t\" > \"$t.csv\"; done   (mdbtools)",
};
const ORACLE_EXP: Unsupported = Unsupported {
    id: "oracle-exp",
    name: "an Oracle export dump made by `exp`",
    convert: "imp system/PASSWORD file=FILE full=y   into a scratch Oracle (e.g. the gvenzl/oracle-xe image), then export the tables as CSV (SQL*Plus: SET MARKUP CSV ON)",
};
const ORACLE_EXPDP: Unsupported = Unsupported {
    id: "oracle-datapump",
    name: "an Oracle Data Pump dump made by `expdp`",
    convert: "impdp system/PASSWORD directory=DIR dumpfile=FILE full=y   into a scratch Oracle (e.g. the gvenzl/oracle-xe image), then export the tables as CSV (SQL*Plus: SET MARKUP CSV ON)",
};
const ORACLE_DMP: Unsupported = Unsupported {
    id: "oracle-dmp",
    name: "probably an Oracle dump (.dmp, from `exp` or `expdp`)",
    convert: "imp (for exp) or impdp (for expdp) into a scratch Oracle, then export the tables as CSV (SQL*Plus: SET MARKUP CSV ON)",
};
const INNODB: Unsupported = Unsupported {
    id: "mysql-innodb",
    name: "a MySQL InnoDB tablespace (.ibd)",
    convert: "copy the data directory into a scratch MySQL of the same version (or import the tablespace with ALTER TABLE … IMPORT TABLESPACE), then mysqldump the tables",
};
const FRM: Unsupported = Unsupported {
    id: "mysql-frm",
    name: "a MySQL table definition (.frm: columns only, no rows; the rows are in the .ibd or .MYD file)",
    convert: "mysqlfrm --diagnostic FILE   prints its CREATE TABLE",
};
const MSSQL_BAK: Unsupported = Unsupported {
    id: "mssql-backup",
    name: "a Microsoft SQL Server backup (.bak, tape format)",
    convert: "RESTORE DATABASE leak FROM DISK='FILE'   in a scratch SQL Server (e.g. the mcr.microsoft.com/mssql/server image), then bcp each table out to CSV",
};
const MSSQL_MDF: Unsupported = Unsupported {
    id: "mssql-data-file",
    name: "a Microsoft SQL Server data file (.mdf/.ndf)",
    convert: "CREATE DATABASE leak ON (FILENAME='FILE') FOR ATTACH   in a scratch SQL Server, then bcp each table out to CSV",
};
const MONGO_ARCHIVE: Unsupported = Unsupported {
    id: "mongodump-archive",
    name: "a mongodump archive (--archive)",
    convert: "mongorestore --archive=FILE   into a scratch MongoDB, then mongodump --out DIR (a directory of .bson files leakscope reads)",
};

/// The unsupported format `head` (the first bytes of a file named `name`) is, if any.
pub(crate) fn recognise(head: &[u8], name: &str) -> Option<Unsupported> {
    let lower = name.to_ascii_lowercase();
    // Weaker signatures count only for binary content (a text dump may be named `.dmp`).
    let binary = crate::text::looks_binary(head);
    let ext = |e: &str| lower.ends_with(e);
    let starts = |m: &[u8]| head.starts_with(m);
    if starts(b"PAR1") {
        return Some(PARQUET);
    }
    if starts(b"Obj\x01") {
        return Some(AVRO);
    }
    if starts(b"ORC") && binary {
        return Some(ORC);
    }
    if head.len() >= 19
        && (&head[4..19] == b"Standard Jet DB" || &head[4..19] == b"Standard ACE DB")
    {
        return Some(ACCESS);
    }
    if head.len() >= 16 && memchr::memmem::find(&head[..16], b"EXPORT:V").is_some() {
        return Some(ORACLE_EXP);
    }
    if starts(&[0x6d, 0xe2, 0x99, 0x81]) {
        return Some(MONGO_ARCHIVE);
    }
    if starts(b"TAPE") && binary {
        return Some(MSSQL_BAK);
    }
    if starts(&[0xfe, 0x01]) && ext(".frm") {
        return Some(FRM);
    }
    if !binary {
        return None;
    }
    let window = &head[..head.len().min(64 << 10)];
    if ext(".dmp") {
        if memchr::memmem::find(window, b"SYS_EXPORT_").is_some() {
            return Some(ORACLE_EXPDP);
        }
        return Some(ORACLE_DMP);
    }
    if memchr::memmem::find(window, b"SYS_EXPORT_").is_some_and(|at| at < 8192) {
        return Some(ORACLE_EXPDP);
    }
    // InnoDB page 0: page type FIL_PAGE_TYPE_FSP_HDR (8) at byte 24, page number 0 at 4.
    if ext(".ibd") && head.len() >= 38 && head[24..26] == [0, 8] && head[4..8] == [0; 4] {
        return Some(INNODB);
    }
    // SQL Server page 0: header version 1, page type 15 (file header).
    if (ext(".mdf") || ext(".ndf")) && head.len() >= 96 && head[0] == 1 && head[1] == 15 {
        return Some(MSSQL_MDF);
    }
    None
}

/// The diagnostic's message for `u` in a file named `name`.
pub(crate) fn message(u: Unsupported, name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    format!(
        "this is {}, which leakscope does not read; convert it, then scan the result: {}",
        u.name,
        u.convert.replace("FILE", base)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_bytes() {
        let cases: [(&[u8], &str, &str); 10] = [
            (b"PAR1\x15\x00\x15", "x.bin", "parquet"),
            (b"Obj\x01\x04\x14avro.codec", "x", "avro"),
            (b"ORC\x0a\x05\x00\x00\x00\x00", "t.orc", "orc"),
            (
                b"\x00\x01\x00\x00Standard Jet DB\x00\x01",
                "a.mdb",
                "ms-access",
            ),
            (
                b"\x00\x01\x00\x00Standard ACE DB\x00\x01",
                "a.accdb",
                "ms-access",
            ),
            (
                b"\x03\x00\x01EXPORT:V11.02.00\nDSCOTT",
                "x.dmp",
                "oracle-exp",
            ),
            (
                b"\x6d\xe2\x99\x81\x00\x00",
                "dump.archive",
                "mongodump-archive",
            ),
            (b"TAPE\x00\x00\x1c\x00\x00\x00", "db.bak", "mssql-backup"),
            (b"\xfe\x01\x0a\x0c", "users.frm", "mysql-frm"),
            (
                b"\x00\x00\x00\x00junk SYS_EXPORT_SCHEMA_01",
                "exp.dmp",
                "oracle-datapump",
            ),
        ];
        for (head, name, id) in cases {
            assert_eq!(recognise(head, name).map(|u| u.id), Some(id), "{name}");
        }
        let mut ibd = vec![0u8; 64];
        ibd[25] = 8;
        assert_eq!(
            recognise(&ibd, "users.ibd").map(|u| u.id),
            Some("mysql-innodb")
        );
        let mut mdf = vec![0u8; 128];
        mdf[0] = 1;
        mdf[1] = 15;
        assert_eq!(
            recognise(&mdf, "shop.mdf").map(|u| u.id),
            Some("mssql-data-file")
        );
        assert_eq!(recognise(b"id,name\n", "x.csv"), None);
        assert_eq!(recognise(&ibd, "users.bin"), None);
        let m = message(PARQUET, "/data/x.parquet");
        assert!(
            m.contains("COPY (SELECT * FROM 'x.parquet') TO 'x.parquet.csv'"),
            "{m}"
        );
    }
}
