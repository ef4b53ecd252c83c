//! The Singapore grocery case: 1.1M accounts, 898,791 people, NRIC, bcrypt, partial cards.

use super::{col, country, months, reason, tool};
use crate::model::*;

const SOURCE: &str = "sg_grocery_backup_2019.sql.gz";
const CUSTOMERS: u64 = 1_104_312;
const CARDS: u64 = 412_087;
const PEOPLE: u64 = 898_791;

/// A filled-in profile of a Singapore grocery database dump: two tables (`customers`,
/// `payment_cards`), 12 columns, 898,791 people keyed mostly by NRIC/FIN, bcrypt (and some legacy
/// MD5) password hashes, partial card numbers, 31 months of records ending 18 months before
/// discovery, and 37 skipped rows explained by a diagnostic.
pub fn sample_profile() -> ScanProfile {
    let customers = TableProfile {
        name: "customers".into(),
        source: SOURCE.into(),
        rows: CUSTOMERS,
        rows_skipped: 37,
        columns: vec![
            col(
                "customer_id",
                "other",
                None,
                0.0,
                1.0,
                CUSTOMERS,
                &["••••81", "••••82", "••••83"],
                "sequential integer key; no personal data",
            ),
            col(
                "full_name",
                "person_name",
                None,
                0.94,
                0.998,
                771_402,
                &["T•• W•• M••", "N•••• B•••e A•••", "S•••••h K•••"],
                "91% of 10,000 sampled values look like personal names; header full_name",
            ),
            col(
                "email",
                "email",
                None,
                0.99,
                0.986,
                1_041_877,
                &[
                    "ta•••@gmail.com",
                    "j•••••9@yahoo.com.sg",
                    "m•••@hotmail.com",
                ],
                "99.6% of 10,000 sampled values are valid e-mail addresses",
            ),
            col(
                "mobile",
                "phone",
                None,
                0.98,
                0.912,
                896_015,
                &["+65 9••• ••34", "+65 8••• ••07", "+60 1•-••• ••51"],
                "98% of 10,000 sampled values are valid phone numbers (97% SG)",
            ),
            col(
                "nric",
                "national_id",
                Some("sg_nric_fin"),
                0.99,
                0.963,
                861_204,
                &["S•••••12D", "T•••••48J", "G•••••03K"],
                "99.7% of 10,000 sampled values pass the NRIC/FIN checksum; header nric",
            ),
            col(
                "password_hash",
                "password_hash",
                Some("bcrypt"),
                0.99,
                1.0,
                1_104_275,
                &["$2y$10$•••", "$2y$10$•••", "$2y$10$•••"],
                "99.5% bcrypt ($2y$10$), 0.5% 32-hex unsalted MD5",
            ),
            col(
                "address",
                "address",
                None,
                0.88,
                0.874,
                702_118,
                &[
                    "Blk 1•• Tampines St ••, #••-•••",
                    "••• Jurong West Ave •",
                    "Blk •• Bedok North Rd, #••-••",
                ],
                "84% of sampled values hold street tokens (Blk, Ave, St, Rd) and unit numbers",
            ),
            col(
                "created_at",
                "timestamp",
                None,
                0.99,
                1.0,
                1_092_540,
                &["2018-••-•• ••:••", "2017-••-•• ••:••", "2019-••-•• ••:••"],
                "100% of sampled values are date-times between 2017-02-11 and 2019-08-14",
            ),
        ],
    };
    let cards = TableProfile {
        name: "payment_cards".into(),
        source: SOURCE.into(),
        rows: CARDS,
        rows_skipped: 0,
        columns: vec![
            col("customer_id", "other", None, 0.0, 1.0, 388_530, &["••••17", "••••02", "••••95"], "integer key referencing customers.customer_id"),
            col("card_masked", "payment_card_partial", Some("visa"), 0.97, 1.0, 401_276, &["************••21", "************••08", "************••64"], "97% of sampled values are 16-digit card numbers masked to the last 4 (Visa 61%, Mastercard 36%)"),
            col("billing_postcode", "postal_code", None, 0.93, 0.95, 29_811, &["52••••", "64••••", "46••••"], "96% of sampled values are 6-digit Singapore postal codes"),
            col("updated_at", "timestamp", None, 0.99, 1.0, 409_931, &["2019-••-•• ••:••", "2018-••-•• ••:••", "2019-••-•• ••:••"], "100% of sampled values are date-times between 2017-03-02 and 2019-08-14"),
        ],
    };

    let total = CUSTOMERS + CARDS;
    let known_country = PEOPLE - 6_912;
    // Sign-ups grow steadily, with peaks at Chinese New Year (Jan/Feb) and the 11.11 sales.
    let by_month = months(2017, 2, 31, |i| {
        let month = (i + 1) % 12; // 0 = January
        let season = match month {
            0 | 1 => 9_500,
            10 => 14_000,
            _ => 0,
        };
        20_000 + 1_350 * i as u64 + season + (i as u64 * 7_919) % 3_100
    });

    ScanProfile {
        schema: SCAN_SCHEMA.into(),
        tool: tool(),
        generated_at: "2026-11-22T04:30:00Z".into(),
        found_on: Some("2021-02-20".into()),
        rows: total,
        rows_skipped: 37,
        bytes: 398_415_872,
        sources: vec![SourceSummary {
            path: SOURCE.into(),
            format: "sql".into(),
            encoding: Some("utf-8".into()),
            bytes: 398_415_872,
            compression: vec!["gzip".into()],
            rows: total,
        }],
        tables: vec![customers, cards],
        individuals: Individuals {
            estimate: PEOPLE,
            method: "exact".into(),
            relative_error: 0.0,
            keyed_by: vec![
                KeyCount { key: "national_id".into(), rows: 1_061_480 },
                KeyCount { key: "email".into(), rows: 38_127 },
                KeyCount { key: "phone".into(), rows: 4_168 },
            ],
            rows_without_identifier: total - 1_061_480 - 38_127 - 4_168,
            basis: "identifiers".into(),
        },
        data_classes: ["national_id", "person_name", "payment_card_partial", "password_hash", "email", "phone", "address", "postal_code", "timestamp"]
            .map(String::from)
            .to_vec(),
        data_classes_hibp: ["Government issued IDs", "Names", "Partial credit card data", "Passwords", "Email addresses", "Phone numbers", "Physical addresses"]
            .map(String::from)
            .to_vec(),
        countries: vec![
            country("SG", "Singapore", 0.971, known_country, &["phone", "national_id", "address"]),
            country("MY", "Malaysia", 0.016, known_country, &["phone"]),
            country("ID", "Indonesia", 0.005, known_country, &["phone"]),
            country("PH", "Philippines", 0.003, known_country, &["phone"]),
            country("IN", "India", 0.003, known_country, &["phone"]),
            country("CN", "China", 0.002, known_country, &["phone"]),
        ],
        records: RecordDates {
            oldest: Some("2017-02-11".into()),
            newest: Some("2019-08-14".into()),
            columns: vec!["customers.created_at".into(), "payment_cards.updated_at".into()],
            age_days: Some(556),
            age_text: Some("newest record 2019-08-14, 18 months before discovery (2021-02-20)".into()),
            by_month,
        },
        tenants: None,
        passwords: Passwords {
            total: 1_104_275,
            plaintext: 0,
            fast_or_unsalted: 5_673,
            by_algorithm: vec![
                AlgorithmCount { algorithm: "bcrypt".into(), count: 1_098_602, weak: false },
                AlgorithmCount { algorithm: "md5".into(), count: 5_673, weak: true },
            ],
        },
        sensitivity: Sensitivity {
            level: Level::Critical,
            reasons: vec![
                reason("id-and-name", Level::Critical, "NRIC/FIN + full name for 861,204 people: identity theft and fraudulent account recovery; notify them and advise monitoring"),
                reason("weak-password-hashes", Level::High, "5,673 unsalted MD5 password hashes: crackable within hours; expect credential stuffing, force resets"),
                reason("card-partial-with-identity", Level::High, "partial card numbers (last 4) with names and addresses: convincing bank-impersonation phishing"),
                reason("contact-details", Level::Moderate, "e-mail, mobile and home address together: targeted phishing and smishing"),
                reason("slow-password-hashes", Level::Moderate, "1,098,602 bcrypt hashes: slow to crack, but common passwords will fall; force resets"),
            ],
        },
        diagnostics: vec![
            DiagnosticSummary {
                severity: "warning".into(),
                code: "sql-unbalanced-quote".into(),
                message: "table customers: 37 INSERT tuples with an unbalanced quote skipped (first at line 1,204,411)".into(),
                source: SOURCE.into(),
                rows_skipped: 37,
            count: 1,
            },
            DiagnosticSummary {
                severity: "info".into(),
                code: "sql-statement-ignored".into(),
                message: "42 statements that hold no rows ignored (CREATE INDEX, LOCK TABLES, SET)".into(),
                source: SOURCE.into(),
                rows_skipped: 0,
            count: 1,
            },
        ],
        revealed: false,
    }
}
