//! Issue 12: identifiers need evidence. Property tests (coordinates and UUID/hex ids never become
//! phones or other identifiers, in any notation) and real-shaped cases of every failure kind the
//! issue lists, written for this suite (no third-party data).

mod common;

use common::Rng;
use leakscope_detect::{DataClass, Detectors, TableSample};

use DataClass::*;

/// A latitude or longitude with 4–8 decimals in one of the common notations.
fn coordinate(r: &mut Rng) -> String {
    let lat = r.chance(50);
    let max = if lat { 90 } else { 180 };
    let whole = r.below(max);
    let decimals = 4 + r.below(5) as usize;
    let frac = r.digits(decimals);
    let neg = r.chance(50);
    let hemi = match (lat, neg) {
        (true, false) => "N",
        (true, true) => "S",
        (false, false) => "E",
        (false, true) => "W",
    };
    match r.below(7) {
        0 => format!("{}{whole}.{frac}", if neg { "-" } else { "" }),
        1 => format!("{whole}.{frac}"),
        2 => format!("{hemi} {whole}.{frac}"),
        3 => format!("{whole}.{frac}°"),
        4 => format!("{whole}.{frac}° {hemi}"),
        5 => format!("+{whole}.{frac}"),
        _ => format!(
            "{whole}°{}'{}.{}\"{hemi}",
            r.below(60),
            r.below(60),
            r.below(10)
        ),
    }
}

fn hex(r: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| b"0123456789abcdef"[r.below(16) as usize] as char)
        .collect()
}

fn uuid(r: &mut Rng) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        hex(r, 8),
        hex(r, 4),
        hex(r, 4),
        hex(r, 4),
        hex(r, 12)
    )
}

#[test]
fn a_coordinate_is_never_a_phone() {
    let ds = Detectors::builtin();
    let mut r = Rng::new(12);
    let mut values = Vec::new();
    for _ in 0..20_000 {
        let v = coordinate(&mut r);
        for country in [
            None,
            Some("US"),
            Some("VN"),
            Some("SG"),
            Some("DE"),
            Some("CN"),
        ] {
            assert!(
                ds.check_value_in(Phone, None, &v, country).is_none(),
                "{v} read as a phone ({country:?})"
            );
        }
        assert!(ds.check_value(NationalId, None, &v).is_none(), "{v}");
        assert!(ds.check_value(PaymentCard, None, &v).is_none(), "{v}");
        values.push(v);
    }
    // Columns of them, under every kind of header, alone or beside a country column.
    for chunk in values.chunks(400) {
        let vals: Vec<&str> = chunk.iter().map(String::as_str).collect();
        for h in [
            None,
            Some("longitude"),
            Some("lat"),
            Some("x"),
            Some("phone"),
            Some("tel"),
        ] {
            let v = ds.classify_column(h, &vals);
            assert!(
                !v.class.is_sensitive_identifier(),
                "{h:?}: {:?} {}",
                v.class,
                v.evidence
            );
            assert!(v.embedded.is_empty(), "{h:?}: {:?}", v.embedded);
        }
    }
    let headers: Vec<String> = ["Latitude", "Longitude", "Country"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let lat: Vec<&str> = values[..300].iter().map(String::as_str).collect();
    let lon: Vec<&str> = values[300..600].iter().map(String::as_str).collect();
    let country = vec!["Vietnam"; 300];
    let cols = vec![lat, lon, country];
    let verdicts = ds.classify_table(&TableSample {
        name: "places",
        format: None,
        headers: &headers,
        has_header_row: true,
        columns: &cols,
    });
    assert!(verdicts.iter().all(|v| !v.class.is_sensitive_identifier()));
}

#[test]
fn uuids_and_hex_ids_never_add_a_class() {
    let ds = Detectors::builtin();
    let mut r = Rng::new(34);
    for _ in 0..20_000 {
        let v = if r.chance(50) {
            uuid(&mut r)
        } else {
            let n = 8 + r.below(33) as usize;
            hex(&mut r, n)
        };
        // A hex id that happens to hold no letter is just a number (and may be a valid phone
        // number); every id written visibly in hex must not be one.
        if !v.bytes().any(|b| b.is_ascii_alphabetic()) {
            continue;
        }
        assert!(ds.check_value(Phone, None, &v).is_none(), "{v}");
        assert!(ds.check_value(PaymentCard, None, &v).is_none(), "{v}");
    }
    // A column of random hex ids of 8-40 digits (some all-digit by chance) is no class.
    let raw: Vec<String> = (0..500)
        .map(|_| {
            let n = 8 + r.below(33) as usize;
            hex(&mut r, n)
        })
        .collect();
    let vals: Vec<&str> = raw.iter().map(String::as_str).collect();
    for h in [None, Some("id"), Some("token")] {
        let v = ds.classify_column(h, &vals);
        assert!(!v.class.is_sensitive_identifier(), "{h:?}: {}", v.evidence);
        assert!(v.embedded.is_empty(), "{h:?}: {:?}", v.embedded);
    }
    let ids: Vec<String> = (0..500).map(|_| uuid(&mut r)).collect();
    let vals: Vec<&str> = ids.iter().map(String::as_str).collect();
    for h in [None, Some("id"), Some("employee_uuid"), Some("ref")] {
        let v = ds.classify_column(h, &vals);
        assert_eq!(v.class, Other, "{h:?}: {}", v.evidence);
        assert!(v.embedded.is_empty(), "{h:?}: {:?}", v.embedded);
    }
    // Free text quoting ids: no embedded phones or cards.
    let notes: Vec<String> = (0..300)
        .map(|_| {
            format!(
                "ticket {} merged into {} by agent",
                uuid(&mut r),
                hex(&mut r, 24)
            )
        })
        .collect();
    let vals: Vec<&str> = notes.iter().map(String::as_str).collect();
    let v = ds.classify_column(Some("notes"), &vals);
    assert!(v.embedded.is_empty(), "{:?} {}", v.embedded, v.evidence);
}

fn table(name: &str, headers: &[&str], rows: &[Vec<&str>]) -> Vec<leakscope_detect::ColumnVerdict> {
    let headers: Vec<String> = headers.iter().map(|s| s.to_string()).collect();
    let cols: Vec<Vec<&str>> = (0..headers.len())
        .map(|c| rows.iter().map(|r| r[c]).collect())
        .collect();
    Detectors::builtin().classify_table(&TableSample {
        name,
        format: None,
        headers: &headers,
        has_header_row: true,
        columns: &cols,
    })
}

#[test]
fn what_a_name_column_holds_depends_on_its_table() {
    let songs = [
        "Balls to the Wall",
        "Fast As a Shark",
        "Restless and Wild",
        "Princess of the Dawn",
        "Put The Finger On You",
        "Let's Get It Up",
        "Inject The Venom",
        "Snowballed",
        "Evil Walks",
        "Breaking The Rules",
    ];
    let people = [
        "Mary Smith",
        "Luis Goncalves",
        "Leonie Kohler",
        "Francois Tremblay",
        "Bjorn Hansen",
        "Frantisek Wichterlova",
        "Helena Holy",
        "Astrid Gruber",
        "Daan Peeters",
        "Kara Nielsen",
    ];
    let genres = [
        "Rock",
        "Jazz",
        "Metal",
        "Alternative & Punk",
        "Blues",
        "Latin",
        "Reggae",
        "Pop",
        "Soundtrack",
        "Classical",
    ];
    let companies = [
        "Acme Trading Pte Ltd",
        "Embraer SA",
        "JetBrains s.r.o.",
        "Woodstock Discos",
        "Banco do Brasil",
        "Riotur",
        "Telus",
        "Rogers Canada",
        "Google Inc.",
        "Apple Inc.",
    ];
    let rows = |xs: &[&'static str]| xs.iter().map(|x| vec![*x]).collect::<Vec<_>>();
    assert_eq!(table("Track", &["Name"], &rows(&songs))[0].class, Product);
    assert_eq!(table("Genre", &["Name"], &rows(&genres))[0].class, Other);
    assert_eq!(table("category", &["name"], &rows(&genres))[0].class, Other);
    assert_eq!(
        table("Customer", &["Name"], &rows(&people))[0].class,
        PersonName
    );
    assert_eq!(
        table("export", &["company_name"], &rows(&companies))[0].class,
        Other
    );
    assert_eq!(
        table("orders", &["ship_name"], &rows(&companies))[0].class,
        Other
    );
    assert_eq!(
        table("export", &["filename"], &rows(&["a.pdf", "b.png", "c.txt"]))[0].class,
        Other
    );
    assert_eq!(
        table(
            "export",
            &["screen_name"],
            &rows(&["tanwm", "lan_ng", "mike88"])
        )[0]
        .class,
        Username
    );
    // Unknown table, bare "name": the values decide.
    assert_eq!(
        table("export", &["name"], &rows(&people))[0].class,
        PersonName
    );
    assert_ne!(
        table("export", &["name"], &rows(&songs))[0].class,
        PersonName
    );
    // Keys and places are never content classes.
    let keys: Vec<Vec<&str>> = (1..=60)
        .map(|i| vec![["1", "17", "305", "42"][i % 4]])
        .collect();
    assert_eq!(table("customer", &["address_id"], &keys)[0].class, Other);
    assert_eq!(table("address", &["city_id"], &keys)[0].class, Other);
    assert_eq!(
        table("customer", &["City"], &rows(&["Hanoi", "Berlin", "Paris"]))[0].class,
        Other
    );
}

#[test]
fn national_format_phones_with_a_country_and_landlines() {
    let rows: Vec<Vec<&str>> = vec![
        vec!["(206) 555-9857", "USA"],
        vec!["030-0074321", "Germany"],
        vec!["(02)27653147", "Taiwan"],
        vec!["(604) 555-3392", "Canada"],
        vec!["0621-08460", "Germany"],
        vec!["(212) 221-3546", "USA"],
        vec!["02-2765-3000", "Taiwan"],
        vec!["(650) 253-0000", "USA"],
    ];
    let v = table("Customers", &["Phone", "Country"], &rows);
    assert_eq!(v[0].class, Phone, "{}", v[0].evidence);
    let ctx = v[0].country.as_ref().expect("country context");
    let ds = Detectors::builtin();
    let f = ds
        .check_value_in(Phone, None, "030-0074321", ctx.of_row(ds, &["", "Germany"]))
        .unwrap();
    assert_eq!(f.country, Some("DE"));
    // Beijing landlines, with and without the trunk 0, under a Chinese header.
    let beijing = [
        "010-6552 9988",
        "(010)65123456",
        "010 8462 1234",
        "010-5881 2233",
    ];
    let rows: Vec<Vec<&str>> = beijing.iter().map(|x| vec![*x]).collect();
    let v = table("酒店", &["电话"], &rows);
    assert_eq!(
        (v[0].class, v[0].kind.as_deref()),
        (Phone, None),
        "{}",
        v[0].evidence
    );
    let dropped = [
        "1065529988",
        "1065123456",
        "1084621234",
        "1058812233",
        "1062345678",
    ];
    let rows: Vec<Vec<&str>> = dropped.iter().map(|x| vec![*x, "中国"]).collect();
    let v = table("酒店", &["电话", "国家"], &rows);
    assert_eq!(
        v[0].class, Phone,
        "trunk 0 dropped, CN context: {}",
        v[0].evidence
    );
    // A phone column whose country cannot be told is still phone, country unknown.
    let rows: Vec<Vec<&str>> = ["(206) 555-9857", "(415) 555-0199", "(312) 332-3232"]
        .iter()
        .map(|x| vec![*x])
        .collect();
    let v = table("contacts", &["Fax"], &rows);
    assert_eq!(v[0].class, Phone, "{}", v[0].evidence);
}

#[test]
fn traditional_chinese_headers_and_every_card_brand() {
    let rows: Vec<Vec<&str>> = vec![
        vec![
            "王小明",
            "0912-345-678",
            "a.wang@example.com.tw",
            "A123456789",
            "台北市信義區市府路1號",
        ],
        vec![
            "陳美玲",
            "0928-111-222",
            "mei@example.com.tw",
            "M140051653",
            "新北市板橋區中山路一段161號",
        ],
        vec![
            "林志豪",
            "0933-456-789",
            "lin@example.com.tw",
            "Q238927307",
            "台中市西屯區台灣大道三段99號",
        ],
    ];
    let v = table(
        "會員",
        &["姓名", "手機", "電子郵件", "身分證字號", "地址"],
        &rows,
    );
    let classes: Vec<DataClass> = v.iter().map(|x| x.class).collect();
    assert_eq!(classes, vec![PersonName, Phone, Email, NationalId, Address]);
    assert_eq!(v[3].kind.as_deref(), Some("tw_id"));
    let cards = [
        "6759000000000000",
        "5066991111111118",
        "6062826786276634",
        "6521501111111112",
        "2200000000000004",
        "9792000000000003",
        "6799990100000000019",
        "6212345678901232",
    ];
    let rows: Vec<Vec<&str>> = cards.iter().map(|x| vec![*x]).collect();
    for h in ["cc", "ccnum", "credit card number"] {
        let v = table("payments", &[h], &rows);
        assert_eq!(v[0].class, PaymentCard, "{h}: {}", v[0].evidence);
    }
}
