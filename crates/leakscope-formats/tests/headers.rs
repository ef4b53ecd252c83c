//! Header-row detection, table-driven: real-shaped header rows (pandas' empty index cell,
//! long names, punctuation, codes, years, Vietnamese and Chinese names) are taken as headers;
//! data rows — including look-alikes made of words, and header-less files whose first row is
//! data — are not. Each case is also read end to end (the first row is a header or a row).

mod common;

use common::*;
use leakscope_formats::sniff::sniff_dialect;
use leakscope_formats::{read_bytes, ReadOptions};

const HEADERS: &[(&str, &str)] = &[
    ("pandas index column", ",name,email,age\n0,Lê An,an@x.vn,31\n1,Trần Bình,binh@x.vn,45\n2,Phạm Chi,chi@x.vn,28\n"),
    ("names longer than 48 characters", "Organisation_code,Total_formal_admissions_excluding_place_of_safety_detentions\nABC,12\nDEF,7\nGHI,0\n"),
    ("punctuation $ ' % : ( )", "Customer's name,amount ($),growth %,start:time,Phone (mobile)\nLê An,12.50,3%,08:30,+84 912 345 678\nTrần Bình,7.00,-1%,09:15,+84 987 654 321\n"),
    ("codes CD113 and Q1", "CD113,CD114,Q1,Q2\n12,15,0.5,0.7\n13,11,0.4,0.9\n"),
    ("budget table with empty cells and a year in a name", "GF_ID,FN_ID,SF_ID,GF,F,SF,Gasto total 2011,Descripción\n1,,,Gobierno,,,\"229,932.50\",Comprende las acciones\n1,1,,Legislación,,,\"10,120.3\",Otro texto largo\n1,2,,Justicia,,,\"33,500.00\",Más texto aquí\n"),
    ("years as column names", "Country,2015,2016,2017\nVietnam,6.7,6.2,6.8\nSingapore,3.0,3.6,4.5\nThailand,3.1,3.4,4.2\n"),
    ("flight table over dates of 2015", "YEAR,MONTH,DAY,FLIGHT,ORIGIN,DEPARTED\n2015,1,1,98,ANC,2015-01-01 00:05\n2015,1,1,2336,LAX,2015-01-01 00:10\n"),
    ("Vietnamese names", "Họ và tên,Số điện thoại,Địa chỉ\nNguyễn Văn An,0912345678,12 Lý Thường Kiệt\nTrần Thị Bích,0987654321,45 Nguyễn Huệ\n"),
    ("Chinese names", "姓名,手机号,地址\n王伟,13812345678,北京市朝阳区建国路88号\n李娜,13912345678,上海市浦东新区\n"),
    ("snake_case over words", "first_name,last_name,city\nAn,Nguyen,Hue\nBinh,Tran,Hanoi\nChi,Pham,Hai Phong\n"),
    ("trailing empty header cell", "id,email,\n1,a@x.vn,\n2,b@x.vn,\n"),
    ("header only", "email,password,phone\n"),
    ("repeated names", "name,name,email\nAn,Binh,a@x.vn\nChi,Dung,c@x.vn\n"),
    ("upper-case names over lower-case text", "PRODUCT,COLOUR\ngreen apple,light green\nred cherry,dark red\n"),
    ("tab-separated with spaces in names", "Order No\tOrder Date\tTotal (VND)\nA-1001\t2024-03-01\t1,250,000\nA-1002\t2024-03-02\t980,000\n"),
];

const DATA: &[(&str, &str)] = &[
    ("header-less leak rows", "1,Nguyễn Văn An,an@x.vn,0912345678\n2,Trần Thị Bích,bich@x.vn,0987654321\n3,Lê Minh,minh@x.vn,0901234567\n"),
    ("a data row of words", "apple,red,fruit\nbanana,yellow,fruit\ncherry,red,fruit\n"),
    ("names and cities", "Nguyen Van An,Ha Noi\nTran Thi Binh,Hue\nLe Minh,Da Nang\n"),
    ("numbers only", "12,15,0.5\n13,16,0.6\n11,14,0.7\n"),
    ("credentials", "an@x.vn,secret1\nbinh@y.vn,secret2\nchi@z.vn,secret3\n"),
    ("words that repeat below", "status,active\nstatus,inactive\nstatus,active\n"),
    ("dated rows", "2015-01-01,ANC,98\n2015-01-02,LAX,2336\n2015-01-03,SFO,12\n"),
    ("person rows with ages", "John,Smith,42\nJane,Doe,37\nMinh,Le,29\n"),
    ("codes over codes and numbers", "A123,Nguyen Van An,12.5\nB456,Tran Thi Binh,13.5\nC789,Le Minh,9.0\n"),
    ("hashes", "u1,5f4dcc3b5aa765d61d8327deb882cf99\nu2,e10adc3949ba59abbe56e057f20f883e\n"),
    ("phones with names", "+84 912 345 678,Nguyễn An\n+84 987 654 321,Trần Bình\n"),
];

#[test]
fn header_rows_are_recognised() {
    let mut wrong = Vec::new();
    for (what, text) in HEADERS {
        if !sniff_dialect(text, true).has_header {
            wrong.push(format!("header missed: {what}"));
        }
    }
    for (what, text) in DATA {
        if sniff_dialect(text, true).has_header {
            wrong.push(format!("data taken for a header: {what}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn read_end_to_end_the_first_row_is_a_header_or_a_row() {
    for (what, text) in HEADERS.iter().chain(DATA) {
        let mut c = Collect::default();
        read_bytes("t.csv", text.as_bytes(), &ReadOptions::default(), &mut c);
        let t = c.one();
        let lines = text.lines().count();
        let header = HEADERS.iter().any(|(w, _)| w == what);
        assert_eq!(t.info.has_header_row, header, "{what}");
        assert_eq!(t.rows.len(), lines - header as usize, "{what}");
    }
    // pandas' empty index header cell becomes a named column, nothing is lost.
    let mut c = Collect::default();
    read_bytes(
        "p.csv",
        HEADERS[0].1.as_bytes(),
        &ReadOptions::default(),
        &mut c,
    );
    assert_eq!(
        c.one().info.headers,
        strs(&["col_1", "name", "email", "age"])
    );
}
