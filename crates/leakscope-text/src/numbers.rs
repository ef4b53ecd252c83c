//! Numbers as people read them: thousands separators, byte sizes, and size arguments.

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Bytes in decimal units (`412.3 MB`).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "kB", "MB", "GB", "TB", "PB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// Parses a size argument: a number (decimals allowed) and an optional unit, case-insensitive:
/// `B`; decimal `K`/`KB`, `M`/`MB`, `G`/`GB`, `T`/`TB` (powers of 1000); binary `KiB`, `MiB`,
/// `GiB`, `TiB` (powers of 1024). `1GB` = 1,000,000,000 bytes, `1GiB` = 1,073,741,824.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .replace('_', "")
        .parse()
        .map_err(|_| format!("bad size `{s}`: use a number and a unit, e.g. 1GiB or 300MB"))?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "t" | "tb" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "tib" => 1024.0 * 1024.0 * 1024.0 * 1024.0,
        _ => {
            return Err(format!(
                "bad size unit in `{s}` (use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB)"
            ))
        }
    };
    let v = n * mult;
    if !v.is_finite() || v >= u64::MAX as f64 {
        return Err(format!("size `{s}` is too large"));
    }
    Ok(v as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(898_791), "898,791");
        assert_eq!(thousands(1_104_312), "1,104,312");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn bytes_use_decimal_units() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(412_300_000), "412.3 MB");
        assert_eq!(bytes(10_000_000_000), "10.0 GB");
    }

    #[test]
    fn sizes_parse_decimal_and_binary_units() {
        assert_eq!(parse_size("12345"), Ok(12345));
        assert_eq!(parse_size("1GB"), Ok(1_000_000_000));
        assert_eq!(parse_size("1 gb"), Ok(1_000_000_000));
        assert_eq!(parse_size("1G"), Ok(1_000_000_000));
        assert_eq!(parse_size("1GiB"), Ok(1 << 30));
        assert_eq!(parse_size("64KiB"), Ok(65536));
        assert_eq!(parse_size("1.5MB"), Ok(1_500_000));
        assert_eq!(parse_size("10_000"), Ok(10_000));
        assert!(parse_size("12 parsecs").is_err());
        assert!(parse_size("GB").is_err());
        assert!(parse_size("1e30TB").is_err());
    }
}
