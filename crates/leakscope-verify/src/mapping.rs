//! Which column of a reference or sample holds what: automatic classification (detect's verdict,
//! then header names and value shapes), overridable with `--map column=class`.

use crate::error::VerifyError;
use leakscope_detect::{DataClass, Detectors};
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

fn role_from_header(h: &str) -> Option<Role> {
    let k = header_key(h);
    let has = |words: &[&str]| words.iter().any(|w| k.contains(w));
    if has(&["email", "e_mail", "mail"]) {
        return Some(Role::Id(IdKind::Email));
    }
    if has(&[
        "phone",
        "mobile",
        "msisdn",
        "tel",
        "sdt",
        "dien_thoai",
        "手机",
        "电话",
    ]) {
        return Some(Role::Id(IdKind::Phone));
    }
    if has(&[
        "national_id",
        "nric",
        "ssn",
        "id_card",
        "idcard",
        "cccd",
        "cmnd",
        "resident_id",
        "passport",
        "身份证",
    ]) {
        return Some(Role::Id(IdKind::NationalId));
    }
    if has(&["username", "user_name", "login", "nickname"]) {
        return Some(Role::Id(IdKind::Username));
    }
    if has(&["tenant", "merchant", "shop", "store", "seller"]) {
        return Some(Role::Tenant);
    }
    if has(&["updated", "last_update", "modified", "last_modified"]) {
        return Some(Role::Updated);
    }
    if has(&[
        "address", "addr", "street", "city", "postcode", "postal", "zip", "district", "dia_chi",
        "地址",
    ]) {
        return Some(Role::Address);
    }
    if has(&["name", "surname", "ho_ten", "ho_va_ten", "姓名"])
        && !has(&["product", "item", "file", "host", "company"])
    {
        return Some(Role::Name);
    }
    if matches!(
        k.as_str(),
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
    ) {
        return Some(Role::CustomerId);
    }
    None
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

fn role_from_values(values: &[&str]) -> Option<Role> {
    let non_empty: Vec<&str> = values
        .iter()
        .copied()
        .filter(|v| !v.trim().is_empty())
        .collect();
    if non_empty.is_empty() {
        return None;
    }
    let share = |f: &dyn Fn(&str) -> bool| {
        non_empty.iter().filter(|v| f(v)).count() as f64 / non_empty.len() as f64
    };
    if share(&|v| crate::normalize::email(v).is_some()) > 0.8 {
        return Some(Role::Id(IdKind::Email));
    }
    let phone_shape = |v: &str| {
        let digits = v.chars().filter(char::is_ascii_digit).count();
        (8..=15).contains(&digits)
            && v.chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    };
    (share(&phone_shape) > 0.8).then_some(Role::Id(IdKind::Phone))
}

impl ColumnMap {
    /// Decides each column's role from overrides, then detect's verdict, then header names and
    /// value shapes. `samples[i]` holds sample values of column `i`.
    pub fn resolve(headers: &[String], samples: &[Vec<&str>], opts: &MapOptions) -> ColumnMap {
        let det = Detectors::builtin();
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
                let vals: &[&str] = samples.get(i).map(Vec::as_slice).unwrap_or(&[]);
                let explicit = |r: Role| match r {
                    Role::CustomerId => opts.id_column.is_none(),
                    Role::Tenant => opts.tenant_column.is_none(),
                    Role::Updated => opts.updated_column.is_none(),
                    _ => true,
                };
                if let Some(r) = role_from_header(h).filter(|r| explicit(*r)) {
                    return r;
                }
                let v = det.classify_column(Some(h), vals);
                if v.confidence >= 0.5 {
                    if let Some(r) = role_from_class(v.class).filter(|r| explicit(*r)) {
                        return r;
                    }
                }
                role_from_values(vals).unwrap_or(Role::Ignore)
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
        ]);
        let samples = vec![vec![]; headers.len()];
        let m = ColumnMap::resolve(&headers, &samples, &MapOptions::default());
        assert_eq!(m.roles[0], Role::CustomerId);
        assert_eq!(m.roles[1], Role::Name);
        assert_eq!(m.roles[2], Role::Id(IdKind::Phone));
        assert_eq!(m.roles[3], Role::Address);
        assert_eq!(m.roles[4], Role::CustomerId);
        assert_eq!(m.roles[5], Role::Id(IdKind::Phone));
        assert_eq!(m.roles[6], Role::Tenant);
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
            vec![],
            vec![],
            vec![],
            vec!["+65 9123 4567", "+65 8123 0000"],
            vec![],
            vec![],
            vec![],
            vec![],
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
