//! Vietnam: province codes (CCCD), names, addresses, shops, products.

/// CCCD province codes (Circular 07/2016/TT-BCA) with province names.
pub const PROVINCE_CODES: [(&str, &str); 63] = [
    ("001", "Hà Nội"), ("002", "Hà Giang"), ("004", "Cao Bằng"), ("006", "Bắc Kạn"),
    ("008", "Tuyên Quang"), ("010", "Lào Cai"), ("011", "Điện Biên"), ("012", "Lai Châu"),
    ("014", "Sơn La"), ("015", "Yên Bái"), ("017", "Hòa Bình"), ("019", "Thái Nguyên"),
    ("020", "Lạng Sơn"), ("022", "Quảng Ninh"), ("024", "Bắc Giang"), ("025", "Phú Thọ"),
    ("026", "Vĩnh Phúc"), ("027", "Bắc Ninh"), ("030", "Hải Dương"), ("031", "Hải Phòng"),
    ("033", "Hưng Yên"), ("034", "Thái Bình"), ("035", "Hà Nam"), ("036", "Nam Định"),
    ("037", "Ninh Bình"), ("038", "Thanh Hóa"), ("040", "Nghệ An"), ("042", "Hà Tĩnh"),
    ("044", "Quảng Bình"), ("045", "Quảng Trị"), ("046", "Thừa Thiên Huế"), ("048", "Đà Nẵng"),
    ("049", "Quảng Nam"), ("051", "Quảng Ngãi"), ("052", "Bình Định"), ("054", "Phú Yên"),
    ("056", "Khánh Hòa"), ("058", "Ninh Thuận"), ("060", "Bình Thuận"), ("062", "Kon Tum"),
    ("064", "Gia Lai"), ("066", "Đắk Lắk"), ("067", "Đắk Nông"), ("068", "Lâm Đồng"),
    ("070", "Bình Phước"), ("072", "Tây Ninh"), ("074", "Bình Dương"), ("075", "Đồng Nai"),
    ("077", "Bà Rịa - Vũng Tàu"), ("079", "Hồ Chí Minh"), ("080", "Long An"), ("082", "Tiền Giang"),
    ("083", "Bến Tre"), ("084", "Trà Vinh"), ("086", "Vĩnh Long"), ("087", "Đồng Tháp"),
    ("089", "An Giang"), ("091", "Kiên Giang"), ("092", "Cần Thơ"), ("093", "Hậu Giang"),
    ("094", "Sóc Trăng"), ("095", "Bạc Liêu"), ("096", "Cà Mau"),
];

/// Surnames with their approximate population shares (%).
pub const SURNAMES: [(&str, f64); 20] = [
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.1), ("Hoàng", 3.1), ("Huỳnh", 2.0),
    ("Phan", 4.5), ("Vũ", 2.4), ("Võ", 1.5), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4),
    ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Trương", 1.0), ("Đinh", 0.8),
    ("Lương", 0.6), ("Mai", 0.5),
];

/// Male middle names.
pub const MIDDLE_M: [&str; 10] = ["Văn", "Minh", "Đức", "Hữu", "Quang", "Thanh", "Hoàng", "Anh", "Công", "Tuấn"];
/// Female middle names.
pub const MIDDLE_F: [&str; 10] = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Phương", "Hồng", "Mai", "Bảo"];
/// Male given names.
pub const GIVEN_M: [&str; 24] = [
    "Anh", "Hùng", "Dũng", "Tuấn", "Nam", "Hải", "Long", "Huy", "Khoa", "Sơn", "Tâm", "Hiếu",
    "Thắng", "Bình", "Cường", "Đạt", "Phúc", "Quân", "Trung", "Việt", "Khánh", "Lâm", "Phong", "Tài",
];
/// Female given names.
pub const GIVEN_F: [&str; 24] = [
    "Linh", "Trang", "Hương", "Hà", "Lan", "Mai", "Phương", "Thảo", "Vy", "Ngân", "Quỳnh", "Yến",
    "Nhung", "Hạnh", "Hoa", "Nga", "Dung", "Huyền", "Trâm", "Uyên", "Tiên", "Ánh", "Nhi", "Châu",
];

/// Cities with their districts (for addresses).
pub const CITIES: [(&str, &[&str]); 6] = [
    ("TP. Hồ Chí Minh", &["Quận 1", "Quận 3", "Quận 7", "Quận 10", "Quận Bình Thạnh", "Quận Gò Vấp", "Quận Tân Bình", "TP. Thủ Đức"]),
    ("Hà Nội", &["Quận Ba Đình", "Quận Hoàn Kiếm", "Quận Đống Đa", "Quận Cầu Giấy", "Quận Hai Bà Trưng", "Quận Thanh Xuân", "Huyện Gia Lâm"]),
    ("Đà Nẵng", &["Quận Hải Châu", "Quận Thanh Khê", "Quận Sơn Trà", "Huyện Hòa Vang"]),
    ("Hải Phòng", &["Quận Lê Chân", "Quận Ngô Quyền", "Huyện An Dương"]),
    ("Cần Thơ", &["Quận Ninh Kiều", "Quận Cái Răng", "Huyện Phong Điền"]),
    ("Tỉnh Bình Dương", &["TP. Thủ Dầu Một", "TP. Dĩ An", "TP. Thuận An"]),
];

/// Street names.
pub const STREETS: [&str; 16] = [
    "Lê Lợi", "Nguyễn Huệ", "Trần Hưng Đạo", "Hai Bà Trưng", "Lý Thường Kiệt", "Điện Biên Phủ",
    "Cách Mạng Tháng Tám", "Nguyễn Thị Minh Khai", "Phan Đình Phùng", "Võ Văn Tần", "Lê Duẩn",
    "Hoàng Văn Thụ", "Nguyễn Trãi", "Quang Trung", "Phạm Văn Đồng", "Xô Viết Nghệ Tĩnh",
];

/// Ward names (Phường/Xã).
pub const WARDS: [&str; 12] = [
    "Phường Bến Nghé", "Phường 12", "Phường Tân Định", "Phường Dịch Vọng", "Phường 7",
    "Phường Láng Hạ", "Xã Tân Thông Hội", "Phường An Phú", "Phường Thạc Gián", "Phường 15",
    "Xã Vĩnh Lộc A", "Phường Hòa Cường Bắc",
];

/// Shop-name openings and themes (`Shop`, `Tiệm`...).
pub const SHOP_PREFIX: [&str; 8] = ["Shop", "Tiệm", "Cửa hàng", "Nhà", "Kho", "Góc", "Thế giới", "Chợ"];
/// Shop themes.
pub const SHOP_THEME: [&str; 12] = [
    "Mỹ Phẩm", "Thời Trang", "Đồ Gia Dụng", "Bánh Kẹo", "Giày Dép", "Điện Thoại", "Mẹ và Bé",
    "Đồ Chơi", "Sách", "Trà Sữa", "Phụ Kiện", "Nông Sản",
];

/// Product names; several contain person-like words (adversarial for name detectors).
pub const PRODUCTS: [&str; 20] = [
    "Áo thun cotton unisex", "Bánh mì Huỳnh Hoa", "Nước mắm Cô Ba", "Cà phê Trung Nguyên G7",
    "Son dưỡng môi Thị Mai", "Dép tổ ong Bà Tư", "Bánh tráng trộn Cô Hoa", "Mì Hảo Hảo thùng 30 gói",
    "Sữa rửa mặt Senka", "Tai nghe Bluetooth i12", "Ốp lưng iPhone 14", "Kem chống nắng Anessa",
    "Giày sneaker Bitis Hunter", "Nồi chiên không dầu Lock&Lock", "Trà sữa Ông Bầu",
    "Bột giặt Omo 3kg", "Khô gà lá chanh Bà Năm", "Váy hoa nhí Minh Thư", "Sạc dự phòng Xiaomi 10000mAh",
    "Tương ớt Chinsu",
];

/// Free-text delivery notes.
pub const NOTES: [&str; 10] = [
    "Giao giờ hành chính", "Giao buổi tối sau 18h", "Để hàng ở bảo vệ", "Không giao thứ 7",
    "Cho xem hàng trước khi nhận", "Hàng dễ vỡ, nhẹ tay", "", "Gói quà giúp em", "Giao nhanh giúp shop",
    "",
];
