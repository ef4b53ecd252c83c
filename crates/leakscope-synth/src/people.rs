//! People: one record per real person, with identifiers unique across the population, so that
//! deduplication by strongest identifier counts exactly the people generated.

use std::collections::HashSet;

use crate::checks::{cn_resident_id, nric, vn_cccd};
use crate::rng::Rng;
use crate::vocab::{cn, sg, slug, strip_vi, vn};

/// A generated person.
#[derive(Debug, Clone)]
pub struct Person {
    /// Full name as normally written.
    pub name: String,
    /// Male?
    pub male: bool,
    /// Birth date.
    pub birth: (i32, u32, u32),
    /// Mobile in E.164 (`+84912345678`).
    pub phone: String,
    /// ISO2 country of the phone's country code.
    pub country: &'static str,
    /// E-mail address (canonical, lower-case).
    pub email: Option<String>,
    /// National ID (CCCD, resident ID, NRIC/FIN).
    pub national_id: Option<String>,
    /// Postal address.
    pub address: String,
    /// Postal code, where the country uses one in addresses.
    pub postal: Option<String>,
}

impl Person {
    /// The strongest identifier, as the individuals count keys it.
    pub fn key(&self) -> String {
        match (&self.national_id, &self.email) {
            (Some(id), _) => format!("id:{}", id.to_uppercase()),
            (None, Some(e)) => format!("em:{}", e.to_lowercase()),
            (None, None) => format!("ph:{}", self.phone),
        }
    }
}

/// Unique-value registry so no two people share an identifier.
#[derive(Default)]
struct Unique(HashSet<String>);

impl Unique {
    fn take(&mut self, mut make: impl FnMut() -> String) -> String {
        loop {
            let v = make();
            if self.0.insert(v.clone()) {
                return v;
            }
        }
    }
}

fn birth(rng: &mut Rng, lo: i32, hi: i32) -> (i32, u32, u32) {
    let y = rng.range(lo as i64, hi as i64) as i32;
    let m = rng.range(1, 12) as u32;
    let d = rng.range(1, 28) as u32;
    (y, m, d)
}

const VN_MOBILE: [&str; 26] = [
    "32", "33", "34", "35", "36", "37", "38", "39", "56", "58", "59", "70", "76", "77", "78", "79", "81",
    "83", "84", "85", "86", "88", "90", "91", "94", "98",
];
const CN_MOBILE: [&str; 16] = [
    "130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "158", "159", "177", "186", "188", "199",
];

/// Generates `n` Vietnamese people.
pub fn vn_people(rng: &mut Rng, n: usize) -> Vec<Person> {
    let (mut phones, mut emails, mut ids) = (Unique::default(), Unique::default(), Unique::default());
    (0..n)
        .map(|_| {
            let male = rng.chance(0.5);
            let sur = *rng.weighted(&vn::SURNAMES.map(|(s, w)| (s, w)));
            let mid = if male { *rng.pick(&vn::MIDDLE_M) } else { *rng.pick(&vn::MIDDLE_F) };
            let given = if male { *rng.pick(&vn::GIVEN_M) } else { *rng.pick(&vn::GIVEN_F) };
            let name = format!("{sur} {mid} {given}");
            let b = birth(rng, 1962, 2006);
            let phone = phones.take(|| format!("+84{}{}", rng.pick(&VN_MOBILE), rng.digits(7)));
            let email = rng.chance(0.6).then(|| {
                emails.take(|| {
                    let domain = rng.pick(&["gmail.com", "gmail.com", "yahoo.com", "outlook.com", "fpt.vn"]);
                    format!("{}{}{}@{domain}", slug(given), slug(sur), rng.range(1, 9999))
                })
            });
            let province = rng.pick(&vn::PROVINCE_CODES).0;
            let national_id = rng.chance(0.65).then(|| {
                ids.take(|| vn_cccd(province, b.0, male, rng.below(1_000_000) as u32))
            });
            let (city, districts) = *rng.pick(&vn::CITIES);
            let address = format!(
                "{} {}, {}, {}, {city}",
                rng.range(1, 450),
                rng.pick(&vn::STREETS),
                rng.pick(&vn::WARDS),
                rng.pick(districts)
            );
            Person { name, male, birth: b, phone, country: "VN", email, national_id, address, postal: None }
        })
        .collect()
}

/// Generates `n` Chinese people (everyone with an e-mail also has a resident ID).
pub fn cn_people(rng: &mut Rng, n: usize) -> Vec<Person> {
    let (mut phones, mut emails, mut ids) = (Unique::default(), Unique::default(), Unique::default());
    (0..n)
        .map(|_| {
            let male = rng.chance(0.5);
            let sur = if rng.chance(0.03) { *rng.pick(&cn::COMPOUND_SURNAMES) } else { *rng.pick(&cn::SURNAMES) };
            let given_len = if sur.chars().count() == 2 || rng.chance(0.25) { 1 } else { 2 };
            let mut name = sur.to_string();
            for _ in 0..given_len {
                name.push_str(*rng.pick(&cn::GIVEN));
            }
            let b = birth(rng, 1960, 2005);
            let area = *rng.pick(&cn::AREAS);
            let phone = phones.take(|| format!("+86{}{}", rng.pick(&CN_MOBILE), rng.digits(8)));
            let national_id = rng.chance(0.9).then(|| {
                ids.take(|| {
                    let seq = rng.below(500) as u32 * 2 + u32::from(male);
                    cn_resident_id(area.code, b, seq)
                })
            });
            let email = (national_id.is_some() && rng.chance(0.7)).then(|| {
                emails.take(|| {
                    let domain = rng.pick(&cn::MAIL);
                    if *domain == "qq.com" {
                        format!("{}@qq.com", rng.range(10_000_000, 3_999_999_999))
                    } else {
                        let letters: String = (0..rng.range(5, 9)).map(|_| (b'a' + rng.below(26) as u8) as char).collect();
                        format!("{letters}{}@{domain}", rng.range(1, 999))
                    }
                })
            });
            let city = if area.province == area.city { String::new() } else { area.city.to_string() };
            let address = format!(
                "{}{city}{}{}{}号{}栋{}室",
                area.province,
                area.district,
                rng.pick(&cn::ROADS),
                rng.range(1, 999),
                rng.range(1, 20),
                rng.range(101, 2808)
            );
            Person { name, male, birth: b, phone, country: "CN", email, national_id, address, postal: None }
        })
        .collect()
}

fn sg_name(rng: &mut Rng, male: bool) -> String {
    match rng.below(10) {
        0..=6 => {
            let sur = rng.pick(&sg::CN_SURNAMES);
            format!("{sur} {} {}", rng.pick(&sg::CN_GIVEN), rng.pick(&sg::CN_GIVEN))
        }
        7 | 8 => {
            let given = if male { rng.pick(&sg::MALAY_GIVEN_M) } else { rng.pick(&sg::MALAY_GIVEN_F) };
            let rel = if male { "bin" } else { "binte" };
            format!("{given} {rel} {}", rng.pick(&sg::MALAY_FATHER))
        }
        _ => {
            let rel = if male { "s/o" } else { "d/o" };
            let given = if male { rng.pick(&sg::INDIAN_GIVEN_M) } else { rng.pick(&sg::INDIAN_GIVEN_F) };
            format!("{given} {rel} {}", rng.pick(&sg::INDIAN_FATHER))
        }
    }
}

/// Generates `n` people of the Singapore grocery platform: citizens/PRs (NRIC), foreign residents
/// (FIN incl. the M series) and ~6% foreign customers with +1/+44/+61 phones and no ID.
pub fn sg_people(rng: &mut Rng, n: usize) -> Vec<Person> {
    let (mut phones, mut emails, mut ids) = (Unique::default(), Unique::default(), Unique::default());
    (0..n)
        .map(|_| {
            let male = rng.chance(0.5);
            let roll = rng.float();
            let foreign_phone = roll >= 0.94;
            let name = if roll >= 0.86 { rng.pick(&sg::WESTERN).to_string() } else { sg_name(rng, male) };
            let b = birth(rng, 1955, 2006);
            let (phone, country) = if foreign_phone {
                match rng.below(3) {
                    0 => (phones.take(|| format!("+1{}{}", rng.range(201, 989), rng.digits(7))), "US"),
                    1 => (phones.take(|| format!("+447700{}", rng.digits(6))), "GB"),
                    _ => (phones.take(|| format!("+614{}", rng.digits(8))), "AU"),
                }
            } else {
                (phones.take(|| format!("+65{}{}", rng.pick(&["8", "9"]), rng.digits(7))), "SG")
            };
            let national_id = if foreign_phone {
                None
            } else if roll >= 0.86 {
                Some(ids.take(|| {
                    let prefix = *rng.pick(&[b'F', b'G', b'G', b'M']);
                    nric(prefix, rng.below(10_000_000) as u32)
                }))
            } else {
                rng.chance(0.92).then(|| {
                    ids.take(|| {
                        let prefix = if b.0 >= 2000 { b'T' } else { b'S' };
                        let body = (b.0 as u32 % 100) * 100_000 + rng.below(100_000) as u32;
                        nric(prefix, body)
                    })
                })
            };
            let email = Some(emails.take(|| {
                let base = slug(&strip_vi(&name));
                let cut = base.len().min(rng.range(4, 12) as usize);
                format!("{}{}@{}", &base[..cut], rng.range(1, 9999), rng.pick(&sg::MAIL))
            }));
            let (town, sector) = *rng.pick(&sg::TOWNS);
            let blk = rng.range(1, 999);
            let postal = format!("{sector}{blk:04}");
            let street = match rng.below(3) {
                0 => format!("{town} Ave {}", rng.range(1, 10)),
                1 => format!("{town} St {}", rng.range(11, 99)),
                _ => format!("{town} Dr {}", rng.range(1, 8)),
            };
            let address = format!(
                "Blk {blk} {street} #{:02}-{:02} Singapore {postal}",
                rng.range(1, 25),
                rng.range(1, 180)
            );
            Person { name, male, birth: b, phone, country, email, national_id, address, postal: Some(postal) }
        })
        .collect()
}

/// Renders an E.164 phone in one of the formats seen in real dumps of that country.
pub fn render_phone(rng: &mut Rng, e164: &str) -> String {
    let style = rng.below(6);
    if let Some(n) = e164.strip_prefix("+84") {
        match style {
            0 | 1 => format!("0{n}"),
            2 => format!("84{n}"),
            3 => format!("+84 {} {} {}", &n[..3], &n[3..6], &n[6..]),
            4 => format!("0{}.{}.{}", &n[..3], &n[3..6], &n[6..]),
            _ => format!("0{}-{}-{}", &n[..3], &n[3..6], &n[6..]),
        }
    } else if let Some(n) = e164.strip_prefix("+86") {
        match style {
            0..=2 => n.to_string(),
            3 => format!("+86 {} {} {}", &n[..3], &n[3..7], &n[7..]),
            4 => e164.to_string(),
            _ => format!("{}-{}-{}", &n[..3], &n[3..7], &n[7..]),
        }
    } else if let Some(n) = e164.strip_prefix("+65") {
        match style {
            0..=2 => n.to_string(),
            3 => format!("+65 {} {}", &n[..4], &n[4..]),
            4 => e164.to_string(),
            _ => format!("{} {}", &n[..4], &n[4..]),
        }
    } else {
        let (cc, rest) = e164.split_at(if e164.starts_with("+1") { 2 } else { 3 });
        format!("{cc} {} {}", &rest[..3], &rest[3..])
    }
}

/// Normalises a phone as emitted by [`render_phone`] to E.164, given the dataset's home country
/// calling code (`"84"`, `"86"`, `"65"`). `None` when the value is not a phone.
pub fn to_e164(raw: &str, home_cc: &str) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit() || b" +-.()".contains(&b)) {
        return None;
    }
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    if raw.starts_with('+') {
        return (digits.len() >= 8).then(|| format!("+{digits}"));
    }
    let national_len = match home_cc {
        "84" => 9,
        "86" => 11,
        _ => 8,
    };
    if home_cc == "84" && digits.len() == 10 && digits.starts_with('0') {
        return Some(format!("+84{}", &digits[1..]));
    }
    if digits.len() == national_len && !digits.starts_with('0') {
        return Some(format!("+{home_cc}{digits}"));
    }
    if digits.len() == national_len + home_cc.len() && digits.starts_with(home_cc) {
        return Some(format!("+{digits}"));
    }
    None
}

/// ISO2 country of an E.164 number among the countries this crate emits.
pub fn e164_country(e164: &str) -> Option<&'static str> {
    [("+84", "VN"), ("+86", "CN"), ("+65", "SG"), ("+1", "US"), ("+44", "GB"), ("+61", "AU")]
        .iter()
        .find(|(p, _)| e164.starts_with(p))
        .map(|(_, c)| *c)
}

/// Renders a name in the row's style: as written, ALL CAPS, or without diacritics.
pub fn render_name(rng: &mut Rng, name: &str) -> String {
    match rng.below(10) {
        0 => name.to_uppercase(),
        1 => strip_vi(name),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rendered_phone_normalises_back() {
        let mut rng = Rng::new(3, 3);
        for (people, cc) in [
            (vn_people(&mut rng, 200), "84"),
            (cn_people(&mut rng, 200), "86"),
            (sg_people(&mut rng, 300), "65"),
        ] {
            for p in &people {
                for _ in 0..6 {
                    let shown = render_phone(&mut rng, &p.phone);
                    assert_eq!(to_e164(&shown, cc).as_deref(), Some(p.phone.as_str()), "{shown}");
                }
                assert_eq!(e164_country(&p.phone), Some(p.country));
            }
        }
        assert_eq!(to_e164("nguyen@gmail.com", "84"), None);
    }

    #[test]
    fn sg_population_mix() {
        let mut rng = Rng::new(9, 0);
        let people = sg_people(&mut rng, 2000);
        let foreign = people.iter().filter(|p| p.country != "SG").count();
        assert!((60..=200).contains(&foreign), "{foreign}");
        assert!(people.iter().any(|p| p.national_id.as_deref().is_some_and(|i| i.starts_with('M'))));
        assert!(people.iter().all(|p| !p.name.trim().is_empty() && !p.name.contains("  ")));
    }
}
