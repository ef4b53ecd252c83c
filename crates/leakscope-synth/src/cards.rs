//! Payment cards (Luhn-valid full numbers) and their masked forms, plus password hashes.

use crate::checks::luhn_complete;
use crate::rng::Rng;

/// A Luhn-valid card number of a real brand layout (Visa 16, Mastercard 51–55 / 2221–2720 16,
/// Amex 34/37 15, JCB 3528–3589 16, UnionPay 62 16).
pub fn card_number(rng: &mut Rng) -> String {
    let (prefix, len) = match rng.below(10) {
        0..=4 => (format!("4{}", rng.digits(5)), 16),
        5 | 6 => (format!("5{}{}", rng.range(1, 5), rng.digits(4)), 16),
        7 => (format!("{}{}", rng.range(2221, 2720), rng.digits(2)), 16),
        8 => (format!("3{}{}", rng.pick(&["4", "7"]), rng.digits(4)), 15),
        _ => (format!("{}{}", rng.range(3528, 3589), rng.digits(2)), 16),
    };
    let body = format!("{prefix}{}", rng.digits(len - 1 - prefix.len()));
    luhn_complete(&body)
}

/// Masks a card the way shops store it: `**** **** **** 1234` or `411111******1111`.
pub fn mask_card(rng: &mut Rng, card: &str) -> String {
    let last4 = &card[card.len() - 4..];
    if rng.chance(0.5) {
        format!("**** **** **** {last4}")
    } else {
        format!("{}{}{last4}", &card[..6], "*".repeat(card.len() - 10))
    }
}

const BCRYPT_ALPHABET: &[u8; 64] = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A bcrypt-shaped hash (`$2a$10$` + 53 characters of bcrypt's base64).
pub fn bcrypt_like(rng: &mut Rng) -> String {
    let cost = *rng.pick(&["10", "10", "12"]);
    let tail: String = (0..53).map(|_| BCRYPT_ALPHABET[rng.below(64) as usize] as char).collect();
    format!("$2{}${cost}${tail}", rng.pick(&["a", "b", "y"]))
}

/// A 32-character lower-case hex digest (unsalted MD5 shape).
pub fn md5_like(rng: &mut Rng) -> String {
    (0..32).map(|_| char::from_digit(rng.below(16) as u32, 16).unwrap_or('0')).collect()
}

/// A weak-looking plaintext password derived from a seed value (for combolists).
pub fn weak_password(seed: &str) -> String {
    let h = seed.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3));
    const WORDS: [&str; 8] = ["iloveyou", "matkhau", "password", "sunshine", "qwerty", "dragon", "abc", "singapore"];
    let word = WORDS[(h % 8) as usize];
    format!("{word}{}{}", h >> 8 & 0xfff, if h & 1 == 0 { "!" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::luhn_valid;

    #[test]
    fn cards_pass_luhn_and_masks_keep_last4() {
        let mut rng = Rng::new(5, 5);
        for _ in 0..500 {
            let c = card_number(&mut rng);
            assert!(luhn_valid(&c), "{c}");
            assert!(c.len() == 15 || c.len() == 16);
            let m = mask_card(&mut rng, &c);
            assert!(m.ends_with(&c[c.len() - 4..]) && m.contains('*'));
        }
        let h = bcrypt_like(&mut rng);
        assert_eq!(h.len(), 60);
        assert_eq!(md5_like(&mut rng).len(), 32);
        assert_eq!(weak_password("a@b.c"), weak_password("a@b.c"));
    }
}
