//! Is the first row of a table a header? Decided on the whole row's evidence — what kind of
//! value each of its cells is against the values below it in the same column — never on one
//! cell's veto: a header may have an empty cell (pandas' index column), long names, `$ ' % : ( )`
//! and codes like `CD113` or `Q1`; a data row holds values of the same kinds as the rows below.
//!
//! Per column: text above a column of numbers, dates, e-mails, phones or hashes is strong header
//! evidence; a value of the same kind as the column is strong data evidence; a text cell that
//! also appears below, or a typed value above text, leans to data; a known header word, or an
//! identifier-like name (`snake_case`, `camelCase`, a single token) above values with spaces,
//! leans to header. E-mails, phones, hashes and URLs in the first row are data. The row is a
//! header when the evidence adds up to more than nothing.

/// What a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Empty,
    Number,
    /// Long digit strings: ids, phone numbers without punctuation, card numbers.
    Digits,
    Date,
    Time,
    Bool,
    Email,
    Url,
    Phone,
    Hash,
    Text,
}

impl Kind {
    fn typed(self) -> bool {
        !matches!(self, Kind::Empty | Kind::Text)
    }

    /// Kinds a header never is: seeing one in the first row says "data".
    fn identifying(self) -> bool {
        matches!(
            self,
            Kind::Email | Kind::Url | Kind::Phone | Kind::Hash | Kind::Digits
        )
    }
}

/// Words (lower case) that name columns in the languages leaks come in.
const HEADER_WORDS: &[&str] = &[
    "id",
    "name",
    "email",
    "e-mail",
    "mail",
    "phone",
    "mobile",
    "tel",
    "telephone",
    "password",
    "pass",
    "pwd",
    "user",
    "username",
    "login",
    "address",
    "addr",
    "city",
    "country",
    "state",
    "province",
    "district",
    "zip",
    "postcode",
    "postal",
    "date",
    "time",
    "created",
    "updated",
    "birth",
    "dob",
    "birthday",
    "gender",
    "sex",
    "age",
    "card",
    "hash",
    "salt",
    "ip",
    "amount",
    "price",
    "total",
    "qty",
    "quantity",
    "status",
    "type",
    "code",
    "note",
    "description",
    "title",
    "first",
    "last",
    "surname",
    "company",
    "order",
    "customer",
    "account",
    "number",
    "no",
    "ho ten",
    "họ tên",
    "họ và tên",
    "tên",
    "địa chỉ",
    "điện thoại",
    "số điện thoại",
    "sđt",
    "ngày sinh",
    "giới tính",
    "mật khẩu",
    "mã",
    "số",
    "姓名",
    "名字",
    "手机",
    "手机号",
    "电话",
    "電話",
    "地址",
    "邮箱",
    "郵箱",
    "身份证",
    "身分證",
    "性别",
    "性別",
    "出生",
    "生日",
    "密码",
    "密碼",
    "名称",
    "名稱",
    "编号",
    "編號",
    "日期",
    "金额",
    "金額",
    "用户",
    "用戶",
    "账号",
    "帳號",
];

/// Classifies one cell.
pub(crate) fn kind(cell: &str) -> Kind {
    let c = cell.trim();
    if c.is_empty() {
        return Kind::Empty;
    }
    let lower = c.to_ascii_lowercase();
    if matches!(lower.as_str(), "true" | "false") {
        return Kind::Bool;
    }
    if c.contains("://") || lower.starts_with("www.") {
        return Kind::Url;
    }
    if let Some((local, domain)) = c.split_once('@') {
        if !local.is_empty() && domain.contains('.') && !c.contains(' ') {
            return Kind::Email;
        }
    }
    if is_hash(c) {
        return Kind::Hash;
    }
    if is_date(c) {
        return Kind::Date;
    }
    if is_time(c) {
        return Kind::Time;
    }
    let digits = c.bytes().filter(u8::is_ascii_digit).count();
    if digits > 0 && c.bytes().all(|b| b.is_ascii_digit()) {
        return if digits >= 9 {
            Kind::Digits
        } else {
            Kind::Number
        };
    }
    if is_number(c) {
        return Kind::Number;
    }
    if digits >= 7
        && c.bytes()
            .all(|b| b.is_ascii_digit() || b" +-().".contains(&b))
        && (c.starts_with('+') || c.starts_with('(') || c.as_bytes()[0].is_ascii_digit())
    {
        return Kind::Phone;
    }
    Kind::Text
}

fn is_hash(c: &str) -> bool {
    let b = c.as_bytes();
    (b.len() >= 16 && b.iter().all(u8::is_ascii_hexdigit) && b.iter().any(u8::is_ascii_digit))
        || (c.starts_with("$2") && c.len() >= 50)
        || (c.starts_with("$argon2") || c.starts_with("pbkdf2_") || c.starts_with("sha1$"))
}

/// A number, possibly signed, with thousands separators, a decimal part, an exponent, a
/// percent sign or a currency symbol.
fn is_number(c: &str) -> bool {
    let t = c.trim_matches(|ch: char| "$€£¥₫%+- ".contains(ch) || ch == '\u{a0}');
    let t = t
        .strip_suffix("VND")
        .or_else(|| t.strip_suffix("đ"))
        .unwrap_or(t)
        .trim();
    if t.is_empty() || !t.as_bytes()[0].is_ascii_digit() {
        return false;
    }
    let mut seen_e = false;
    for (i, ch) in t.char_indices() {
        match ch {
            '0'..='9' | ',' | '.' | '\'' => {}
            'e' | 'E' if !seen_e && i > 0 => seen_e = true,
            '+' | '-' if seen_e => {}
            _ => return false,
        }
    }
    true
}

/// `2015-01-31`, `31/01/2015`, `2015/1/31`, `31.01.2015`, with an optional time after.
fn is_date(c: &str) -> bool {
    let head = c.split(['T', ' ']).next().unwrap_or("");
    let parts: Vec<&str> = head.split(['-', '/', '.']).collect();
    if parts.len() != 3
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return false;
    }
    let year_first = parts[0].len() == 4;
    let year_last = parts[2].len() == 4 || parts[2].len() == 2;
    (year_first && parts[1].len() <= 2 && parts[2].len() <= 2)
        || (year_last && parts[0].len() <= 2 && parts[1].len() <= 2)
}

fn is_time(c: &str) -> bool {
    let parts: Vec<&str> = c.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// A year (1900–2100) written alone: a column name in wide tables (`2015`, `2016`).
fn is_year(c: &str) -> bool {
    c.len() == 4 && c.parse::<u32>().is_ok_and(|y| (1900..=2100).contains(&y))
}

fn has_header_word(c: &str) -> bool {
    let l = c.trim().to_lowercase();
    let words: Vec<&str> = l
        .split(|ch: char| !ch.is_alphanumeric() && ch != '-')
        .filter(|w| !w.is_empty())
        .collect();
    HEADER_WORDS.iter().any(|w| {
        l == *w
            || words.contains(w)
            || (!w.is_ascii() && l.contains(w))
            || (w.len() >= 4 && l.contains(w) && l.len() <= w.len() + 16)
    })
}

/// `snake_case`, `camelCase`, `UPPER_CASE` or a short single token.
fn identifier_like(c: &str) -> bool {
    let c = c.trim();
    if c.is_empty() || c.contains(' ') || c.chars().count() > 64 {
        return false;
    }
    let first = c.chars().next().unwrap_or(' ');
    if !first.is_alphabetic() && first != '_' {
        return false;
    }
    let camel = c.chars().skip(1).any(char::is_uppercase) && c.chars().any(char::is_lowercase);
    c.contains('_') || camel || c.chars().all(|ch| ch.is_uppercase() || ch.is_ascii_digit())
}

/// The most common kind among `kinds` (empties ignored) and its share.
fn majority(kinds: &[Kind]) -> Option<(Kind, f64)> {
    let filled: Vec<Kind> = kinds
        .iter()
        .copied()
        .filter(|k| *k != Kind::Empty)
        .collect();
    if filled.is_empty() {
        return None;
    }
    let mut best = (Kind::Text, 0usize);
    for k in &filled {
        let n = filled.iter().filter(|x| *x == k).count();
        if n > best.1 {
            best = (*k, n);
        }
    }
    Some((best.0, best.1 as f64 / filled.len() as f64))
}

/// Evidence for (positive) or against (negative) the first row being a header, in column `c`.
fn column_evidence(head: &str, below: &[&str]) -> i32 {
    let h = kind(head);
    if h == Kind::Empty {
        return 0;
    }
    let kinds: Vec<Kind> = below.iter().map(|v| kind(v)).collect();
    let Some((major, share)) = majority(&kinds) else {
        // Nothing below: a name is weak evidence.
        return (h == Kind::Text && (has_header_word(head) || identifier_like(head))) as i32;
    };
    if h.identifying() {
        return -3;
    }
    if h == Kind::Text {
        let mut e = 0;
        if major.typed() && share >= 0.6 {
            e += 2;
        }
        let trimmed = head.trim();
        if below.iter().any(|v| v.trim() == trimmed) {
            e -= 1;
        } else if has_header_word(head) {
            e += 1;
        } else if major == Kind::Text && identifier_like(head) {
            let spaced = below.iter().filter(|v| v.trim().contains(' ')).count();
            let filled = kinds.iter().filter(|k| **k != Kind::Empty).count();
            let lowercase_data = below
                .iter()
                .filter(|v| v.chars().any(char::is_lowercase))
                .count();
            // A name above values that do not look like names themselves.
            if spaced * 10 >= filled * 6
                || (head.contains('_') && !below.iter().any(|v| v.contains('_')))
                || (head.chars().all(|c| !c.is_lowercase()) && lowercase_data * 10 >= filled * 6)
            {
                e += 1;
            }
        }
        return e;
    }
    if h == Kind::Number && is_year(head.trim()) && matches!(major, Kind::Number | Kind::Digits) {
        let years = below.iter().filter(|v| is_year(v.trim())).count();
        return if years * 2 < below.len() { 1 } else { -2 };
    }
    if h == major || (h == Kind::Number && major == Kind::Digits) {
        -2
    } else {
        -1
    }
}

/// Decides whether the first record of `recs` (the first rows of a table) is a header.
pub(crate) fn looks_like_header(recs: &[Vec<String>]) -> bool {
    let Some(first) = recs.first() else {
        return false;
    };
    let filled: Vec<&str> = first
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    if filled.is_empty() {
        return false;
    }
    // Half the row empty is not a header row.
    if filled.len() * 2 < first.len() && first.len() > 2 {
        return false;
    }
    let rest = &recs[1..];
    let mut score = 0i32;
    for (c, head) in first.iter().enumerate() {
        let below: Vec<&str> = rest
            .iter()
            .filter_map(|r| r.get(c).map(String::as_str))
            .collect();
        score += column_evidence(head, &below);
    }
    let mut distinct = std::collections::HashSet::new();
    if !filled.iter().all(|c| distinct.insert(c.to_lowercase())) {
        score -= 1;
    }
    score > 0
}
