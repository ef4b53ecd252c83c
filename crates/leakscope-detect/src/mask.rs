//! Masking for display: enough to recognise a value, never enough to use it.

use crate::DataClass;

const DOT: char = '•';

/// Masks a value of `class` for display (`ng•••@gmail.com`, `+84 9•• ••• •12`).
pub fn mask(class: DataClass, value: &str) -> String {
    let v = value.trim();
    match class {
        DataClass::Email => mask_email(v),
        DataClass::Phone => mask_phone(v),
        DataClass::NationalId
        | DataClass::BankAccount
        | DataClass::PaymentCard
        | DataClass::PaymentCardPartial => keep_ends(v, 2, 2),
        DataClass::PasswordHash => keep_ends(v, 4, 0),
        DataClass::Password => DOT.to_string().repeat(6),
        DataClass::PersonName => v
            .split_whitespace()
            .map(|t| keep_ends(t, 1, 0))
            .collect::<Vec<_>>()
            .join(" "),
        DataClass::IpAddress => match v.rsplit_once(['.', ':']) {
            Some((head, _)) => format!(
                "{}{}{DOT}{DOT}",
                keep_ends(head, 3, 0),
                if v.contains(':') { ':' } else { '.' }
            ),
            None => keep_ends(v, 2, 0),
        },
        DataClass::Gender
        | DataClass::Amount
        | DataClass::Timestamp
        | DataClass::OrderId
        | DataClass::Product
        | DataClass::Merchant => keep_ends(v, 3, 0),
        _ => keep_ends(v, 2, 0),
    }
}

/// Keeps `head` leading and `tail` trailing alphanumerics; other characters stay as separators.
fn keep_ends(v: &str, head: usize, tail: usize) -> String {
    let total = v.chars().filter(|c| c.is_alphanumeric()).count();
    let (head, tail) = if head + tail >= total {
        (total / 3, 0)
    } else {
        (head, tail)
    };
    let mut seen = 0;
    v.chars()
        .map(|c| {
            if !c.is_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= head || seen > total - tail {
                c
            } else {
                DOT
            }
        })
        .collect()
}

fn mask_email(v: &str) -> String {
    match v.rsplit_once('@') {
        Some((local, domain)) => {
            let keep: String = local
                .chars()
                .take(if local.chars().count() > 3 { 2 } else { 1 })
                .collect();
            format!("{keep}{DOT}{DOT}{DOT}@{domain}")
        }
        None => keep_ends(v, 2, 0),
    }
}

/// `+84 9•• ••• •12`: country code, first national digit and last two digits.
fn mask_phone(v: &str) -> String {
    match crate::normalize::phone(v, None) {
        Some((e164, _)) => {
            let cc_len = if e164.starts_with("+1") || e164.starts_with("+7") {
                1
            } else {
                2
            };
            let nsn: Vec<char> = e164[1 + cc_len..].chars().collect();
            let mut out = format!("{} ", &e164[..1 + cc_len]);
            for (i, c) in nsn.iter().enumerate() {
                if i > 0 && (nsn.len() - i).is_multiple_of(3) {
                    out.push(' ');
                }
                out.push(if i == 0 || i + 2 >= nsn.len() {
                    *c
                } else {
                    DOT
                });
            }
            out
        }
        None => keep_ends(v, 2, 2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(
            mask(DataClass::Email, "nguyen.van@gmail.com"),
            "ng•••@gmail.com"
        );
        assert_eq!(mask(DataClass::Phone, "0912345612"), "+84 9•• ••• •12");
        assert_eq!(
            mask(DataClass::NationalId, "11010519491231002X"),
            "11••••••••••••••2X"
        );
        assert_eq!(
            mask(DataClass::PersonName, "Nguyễn Văn An"),
            "N••••• V•• A•"
        );
        assert!(!mask(DataClass::PaymentCard, "4111 1111 1111 1111").contains("1111 1111"));
    }
}
