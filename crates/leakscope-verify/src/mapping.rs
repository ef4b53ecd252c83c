//! Which column of a reference or sample holds what: automatic classification (detect's verdict,
//! then header names and value shapes), overridable with `--map column=class`.

use crate::error::VerifyError;
use leakscope_detect::{DataClass, Detectors, TableSample};
use leakscope_keys::IdKind;

/// What a column contributes to matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// An identifier looked up in the index.
    Id(IdKind),
    /// (Part of) the person's name.
    Name,
    /// (Part of) the postal address.
    Address,
    /// The organisation's own customer id (reference only).
    CustomerId,
    /// Tenant / merchant id.
    Tenant,
    /// Last-update date of the customer record (reference only).
    Updated,
    /// Not used.
    Ignore,
}

impl Role {
    /// Parses a `--map` class: `email`, `phone`, `national_id`, `username`, `name`/`person_name`,
    /// `address`/`postal_code`, `customer_id`/`id`, `tenant`/`merchant`, `updated`, `ignore`.
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "email" => Role::Id(IdKind::Email),
            "phone" => Role::Id(IdKind::Phone),
            "national_id" => Role::Id(IdKind::NationalId),
            "username" => Role::Id(IdKind::Username),
            "name" | "person_name" => Role::Name,
            "address" | "postal_code" => Role::Address,
            "customer_id" | "id" => Role::CustomerId,
            "tenant" | "merchant" => Role::Tenant,
            "updated" | "last_update" => Role::Updated,
            "ignore" | "other" => Role::Ignore,
            _ => return None,
        })
    }

    /// Stable id, the inverse of [`Role::parse`].
    pub fn id(self) -> &'static str {
        match self {
            Role::Id(k) => k.id(),
            Role::Name => "name",
            Role::Address => "address",
            Role::CustomerId => "customer_id",
            Role::Tenant => "tenant",
            Role::Updated => "updated",
            Role::Ignore => "ignore",
        }
    }
}

/// User overrides for column mapping.
#[derive(Debug, Clone, Default)]
pub struct MapOptions {
    /// `--map column=class` pairs (column names compare case-insensitively).
    pub map: Vec<(String, Role)>,
    /// `--id-column`.
    pub id_column: Option<String>,
    /// `--tenant-column`.
    pub tenant_column: Option<String>,
    /// `--updated-column`.
    pub updated_column: Option<String>,
    /// ISO country for phone numbers written without a country code (`--default-country`).
    pub default_country: Option<String>,
}

impl MapOptions {
    /// Parses one `column=class` argument.
    pub fn push_map(&mut self, arg: &str) -> Result<(), VerifyError> {
        let (col, class) = arg.split_once('=').ok_or_else(|| {
            VerifyError::Usage(format!("--map expects column=class, got `{arg}`"))
        })?;
        let role = Role::parse(class).ok_or_else(|| {
            VerifyError::Usage(format!("--map {col}=`{class}`: unknown class (email, phone, national_id, username, name, address, customer_id, tenant, updated, ignore)"))
        })?;
        self.map.push((col.trim().to_string(), role));
        Ok(())
    }
}

/// The role of every column of one table.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnMap {
    /// One role per header, in column order.
    pub roles: Vec<Role>,
}

/// A header lower-cased, without diacritics (`Mã khách hàng` → `ma_khach_hang`), with every
/// non-alphanumeric character as `_`.
fn header_key(h: &str) -> String {
    leakscope_detect::text::fold(h.trim())
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect()
}

/// Which key column is the organisation's own customer id, and which timestamp is the record's
/// last update: roles of `verify` among columns the shared decision already called keys and
/// timestamps (`leakscope_detect::Detectors::classify_table`), not data classes of their own.
fn customer_id_header(h: &str) -> bool {
    matches!(
        header_key(h).as_str(),
        "id" | "customer_id"
            | "cust_id"
            | "user_id"
            | "uid"
            | "account_id"
            | "customerid"
            | "userid"
            | "member_id"
            | "customer_no"
            | "customer_code"
            | "client_id"
            | "ma_khach_hang"
            | "ma_kh"
            | "makh"
            | "用户id"
            | "客户id"
            | "客户编号"
            | "会员id"
            | "会员编号"
    )
}

fn updated_header(h: &str) -> bool {
    let k = header_key(h);
    ["updated", "last_update", "modified", "last_modified"]
        .iter()
        .any(|w| k.contains(w))
}

fn role_from_class(class: DataClass) -> Option<Role> {
    Some(match class {
        DataClass::Email => Role::Id(IdKind::Email),
        DataClass::Phone => Role::Id(IdKind::Phone),
        DataClass::NationalId => Role::Id(IdKind::NationalId),
        DataClass::Username => Role::Id(IdKind::Username),
        DataClass::PersonName => Role::Name,
        DataClass::Address | DataClass::PostalCode => Role::Address,
        DataClass::Merchant => Role::Tenant,
        _ => return None,
    })
}

impl ColumnMap {
    /// Decides each column's role from overrides, then the shared column decision
    /// (`leakscope_detect::Detectors::classify_table`, the one `scan` and `corpus` use).
    /// `samples[i]` holds sample values of column `i`, row-aligned.
    pub fn resolve(headers: &[String], samples: &[Vec<&str>], opts: &MapOptions) -> ColumnMap {
        ColumnMap::resolve_table("", headers, samples, opts)
    }

    /// [`ColumnMap::resolve`] knowing the table's name (what a bare `name` column means).
    pub fn resolve_table(
        table: &str,
        headers: &[String],
        samples: &[Vec<&str>],
        opts: &MapOptions,
    ) -> ColumnMap {
        let rows = samples.iter().map(Vec::len).max().unwrap_or(0);
        let columns: Vec<Vec<&str>> = (0..headers.len())
            .map(|i| {
                let mut v = samples.get(i).cloned().unwrap_or_default();
                v.resize(rows, "");
                v
            })
            .collect();
        let verdicts = Detectors::builtin().classify_table(&TableSample {
            name: table,
            format: None,
            headers,
            has_header_row: true,
            columns: &columns,
        });
        let named = |c: &Option<String>, h: &str| {
            c.as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(h.trim()))
        };
        let roles = headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                if let Some((_, r)) = opts
                    .map
                    .iter()
                    .find(|(c, _)| c.eq_ignore_ascii_case(h.trim()))
                {
                    return *r;
                }
                if named(&opts.id_column, h) {
                    return Role::CustomerId;
                }
                if named(&opts.tenant_column, h) {
                    return Role::Tenant;
                }
                if named(&opts.updated_column, h) {
                    return Role::Updated;
                }
                let Some(v) = verdicts.get(i) else {
                    return Role::Ignore;
                };
                match v.class {
                    DataClass::Other
                        if opts.id_column.is_none()
                            && customer_id_header(h)
                            && v.kind.as_deref().is_none_or(|k| k == "key") =>
                    {
                        Role::CustomerId
                    }
                    DataClass::Timestamp | DataClass::Other
                        if opts.updated_column.is_none() && updated_header(h) =>
                    {
                        Role::Updated
                    }
                    DataClass::Merchant if opts.tenant_column.is_some() => Role::Ignore,
                    c => role_from_class(c).unwrap_or(Role::Ignore),
                }
            })
            .collect();
        ColumnMap { roles }
    }

    /// Columns with role `r`.
    pub fn columns(&self, r: Role) -> impl Iterator<Item = usize> + '_ {
        self.roles
            .iter()
            .enumerate()
            .filter(move |(_, x)| **x == r)
            .map(|(i, _)| i)
    }

    /// True when at least one identifier column was found.
    pub fn has_identifier(&self) -> bool {
        self.roles.iter().any(|r| matches!(r, Role::Id(_)))
    }

    /// `header=role` for every used column (for messages; no values).
    pub fn describe(&self, headers: &[String]) -> String {
        let parts: Vec<String> = self
            .roles
            .iter()
            .zip(headers)
            .filter(|(r, _)| **r != Role::Ignore)
            .map(|(r, h)| format!("{}={}", leakscope_text::mask_identifiers(h), r.id()))
            .collect();
        if parts.is_empty() {
            "no usable columns".into()
        } else {
            parts.join(", ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn vietnamese_and_chinese_headers_with_diacritics_decide_roles() {
        let headers = h(&[
            "Mã khách hàng",
            "Họ và tên",
            "Số điện thoại",
            "Địa chỉ",
            "用户ID",
            "手机号",
            "Mã shop",
            "出生日期",
            "运单号",
        ]);
        let samples = vec![
            vec!["1", "2", "3"],
            vec!["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"],
            vec!["0912345678", "0987654321", "0356789012"],
            vec!["12 Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh"; 3],
            vec!["10", "11", "12"],
            vec!["13812345678", "13912345678", "15012345678"],
            vec!["S1", "S2", "S1"],
            vec!["1990-01-15", "1985-03-02", "1979-12-30"],
            vec!["773012345678901", "773012345699902", "773012346541203"],
        ];
        let m = ColumnMap::resolve(&headers, &samples, &MapOptions::default());
        assert_eq!(m.roles[0], Role::CustomerId);
        assert_eq!(m.roles[1], Role::Name);
        assert_eq!(m.roles[2], Role::Id(IdKind::Phone));
        assert_eq!(m.roles[3], Role::Address);
        assert_eq!(m.roles[4], Role::CustomerId);
        assert_eq!(m.roles[5], Role::Id(IdKind::Phone));
        assert_eq!(m.roles[6], Role::Tenant);
        // Dates of birth and tracking numbers are never phones (issue 12).
        assert_eq!(m.roles[7], Role::Ignore);
        assert_eq!(m.roles[8], Role::Ignore);
    }

    #[test]
    fn headers_values_and_overrides_decide_roles() {
        let headers = h(&[
            "id",
            "Full Name",
            "E-Mail",
            "col_4",
            "shop_id",
            "updated_at",
            "street_address",
            "product_name",
        ]);
        let samples = vec![
            vec!["1", "2"],
            vec!["Tan Wei Ming", "Sarah Lim"],
            vec!["tan@example.sg", "sarah@example.sg"],
            vec!["+65 9123 4567", "+65 8123 0000"],
            vec!["7", "8"],
            vec!["2024-01-02 10:00:00", "2024-02-03 11:00:00"],
            vec![
                "Blk 123 Ang Mo Kio Ave 3 #05-67 Singapore 560123",
                "10 Anson Road #20-05 Singapore 079903",
            ],
            vec!["Fresh Milk 1L", "Jasmine Rice 5kg"],
        ];
        let m = ColumnMap::resolve(&headers, &samples, &MapOptions::default());
        assert_eq!(
            m.roles,
            vec![
                Role::CustomerId,
                Role::Name,
                Role::Id(IdKind::Email),
                Role::Id(IdKind::Phone),
                Role::Tenant,
                Role::Updated,
                Role::Address,
                Role::Ignore
            ]
        );
        let mut o = MapOptions {
            id_column: Some("E-Mail".into()),
            ..Default::default()
        };
        o.push_map("col_4=ignore").unwrap();
        o.push_map("product_name=username").unwrap();
        let m = ColumnMap::resolve(&headers, &samples, &o);
        assert_eq!(m.roles[2], Role::CustomerId);
        assert_eq!(
            m.roles[0],
            Role::Ignore,
            "auto id column yields to --id-column"
        );
        assert_eq!(m.roles[3], Role::Ignore);
        assert_eq!(m.roles[7], Role::Id(IdKind::Username));
        assert!(o.push_map("x=shoe_size").is_err());
        assert!(o.push_map("no-equals").is_err());
    }
}
