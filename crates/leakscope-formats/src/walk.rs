//! Which files a set of input paths names — one rule for the reader and for everything that
//! sizes its work (progress bars): a path named on the command line is followed (a symbolic link
//! to a file or directory is read); inside a directory, symbolic links are not followed and only
//! regular files are read; entries come in name order, depth first.

use std::path::{Path, PathBuf};

/// One entry found under a directory.
#[derive(Debug)]
pub enum Entry {
    /// A regular file and its size.
    File(PathBuf, u64),
    /// A symbolic link (not followed).
    Symlink(PathBuf),
    /// A FIFO, socket or device (not read).
    Special(PathBuf),
    /// An entry or directory that could not be listed or examined.
    Error(PathBuf, std::io::Error),
}

/// The entries under `dir` (not `dir` itself), by the rule above.
pub fn entries(dir: &Path) -> impl Iterator<Item = Entry> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .follow_root_links(true)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| match e {
            Ok(e) => {
                let t = e.file_type();
                if t.is_dir() {
                    None
                } else if t.is_symlink() {
                    Some(Entry::Symlink(e.into_path()))
                } else if t.is_file() {
                    let len = e.metadata().map(|m| m.len()).unwrap_or(0);
                    Some(Entry::File(e.into_path(), len))
                } else {
                    Some(Entry::Special(e.into_path()))
                }
            }
            Err(err) => {
                let path = err.path().map(Path::to_path_buf).unwrap_or_default();
                let io = err
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("directory loop"));
                Some(Entry::Error(path, io))
            }
        })
}

/// Stored bytes of the regular files the paths name (0 for stdin `-` and anything unreadable):
/// the total a progress bar measures reading against.
pub fn input_bytes(paths: &[PathBuf]) -> u64 {
    paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .map(|p| match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => entries(p)
                .map(|e| match e {
                    Entry::File(_, len) => len,
                    _ => 0,
                })
                .sum(),
            Ok(m) if m.is_file() => m.len(),
            _ => 0,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlinks_inside_directories_are_not_followed_but_named_paths_are() {
        let root = tempfile::tempdir().unwrap();
        let data = root.path().join("data");
        std::fs::create_dir(&data).unwrap();
        std::fs::write(data.join("b.csv"), vec![b'x'; 1000]).unwrap();
        std::fs::create_dir(data.join("a")).unwrap();
        std::fs::write(data.join("a").join("x.csv"), vec![b'x'; 300]).unwrap();
        let big = root.path().join("big.bin");
        std::fs::write(&big, vec![0u8; 1 << 20]).unwrap();
        std::os::unix::fs::symlink(&big, data.join("link-to-big")).unwrap();
        std::os::unix::fs::symlink(root.path(), data.join("loop")).unwrap();

        assert_eq!(
            input_bytes(std::slice::from_ref(&data)),
            1300,
            "links inside not followed"
        );
        let link = root.path().join("named-link");
        std::os::unix::fs::symlink(&big, &link).unwrap();
        assert_eq!(
            input_bytes(&[link, "-".into()]),
            1 << 20,
            "a named link is followed"
        );
        let kinds: Vec<String> = entries(&data)
            .map(|e| match e {
                Entry::File(p, _) => format!("file {}", p.file_name().unwrap().to_string_lossy()),
                Entry::Symlink(p) => format!("link {}", p.file_name().unwrap().to_string_lossy()),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            kinds,
            ["file x.csv", "file b.csv", "link link-to-big", "link loop"]
        );
    }
}
