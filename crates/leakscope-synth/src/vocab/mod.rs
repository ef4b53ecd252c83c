//! Word lists and reference tables (names, places, products) per country.

pub mod cn;
pub mod sg;
pub mod vn;

/// Vietnamese vowels with diacritics, grouped by their ASCII base letter.
const VI_GROUPS: [(&str, char); 7] = [
    ("àáạảãâầấậẩẫăằắặẳẵ", 'a'),
    ("èéẹẻẽêềếệểễ", 'e'),
    ("ìíịỉĩ", 'i'),
    ("òóọỏõôồốộổỗơờớợởỡ", 'o'),
    ("ùúụủũưừứựửữ", 'u'),
    ("ỳýỵỷỹ", 'y'),
    ("đ", 'd'),
];

/// Removes Vietnamese diacritics (`Nguyễn Thị Hương` → `Nguyen Thi Huong`), keeping case.
pub fn strip_vi(s: &str) -> String {
    s.chars()
        .map(|c| {
            let lower = c.to_lowercase().next().unwrap_or(c);
            let base = VI_GROUPS.iter().find(|(g, _)| g.contains(lower)).map(|(_, b)| *b);
            match base {
                Some(b) if c.is_uppercase() => b.to_ascii_uppercase(),
                Some(b) => b,
                None => c,
            }
        })
        .collect()
}

/// ASCII slug for e-mail local parts (`Nguyễn Văn` → `nguyenvan`).
pub fn slug(s: &str) -> String {
    strip_vi(s).chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_vietnamese() {
        assert_eq!(strip_vi("Nguyễn Thị Hương"), "Nguyen Thi Huong");
        assert_eq!(strip_vi("ĐẶNG Đức"), "DANG Duc");
        assert_eq!(slug("Võ Thị Ánh"), "vothianh");
    }
}
