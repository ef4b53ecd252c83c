//! Singapore: names, HDB towns with postal sectors, products.

/// Chinese-Singaporean surnames (romanised).
pub const CN_SURNAMES: [&str; 20] = [
    "Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Chan", "Koh", "Teo", "Ang", "Yeo",
    "Tay", "Ho", "Low", "Toh", "Sim", "Chong", "Chia",
];
/// Chinese-Singaporean given-name syllables.
pub const CN_GIVEN: [&str; 20] = [
    "Wei", "Ming", "Hui", "Jun", "Xin", "Ling", "Kai", "Jia", "Yi", "Hao", "Mei", "Siew", "Boon",
    "Keng", "Hock", "Li", "Zhi", "Qian", "Seng", "Yong",
];
/// Malay given names (male).
pub const MALAY_GIVEN_M: [&str; 6] = ["Muhammad Hafiz", "Ahmad Faizal", "Mohamed Irfan", "Khairul Anwar", "Zulkifli", "Syafiq"];
/// Malay given names (female).
pub const MALAY_GIVEN_F: [&str; 6] = ["Nur Aisyah", "Siti Nurhaliza", "Nurul Huda", "Hidayah", "Farah", "Aminah"];
/// Malay fathers' names.
pub const MALAY_FATHER: [&str; 8] = ["Ahmad", "Rahman", "Ismail", "Hassan", "Osman", "Yusof", "Salleh", "Ibrahim"];
/// Indian given names (male).
pub const INDIAN_GIVEN_M: [&str; 5] = ["Rajesh", "Suresh", "Arjun", "Vikram", "Ganesh"];
/// Indian given names (female).
pub const INDIAN_GIVEN_F: [&str; 5] = ["Priya", "Kavitha", "Deepa", "Meena", "Lakshmi"];
/// Indian fathers' names.
pub const INDIAN_FATHER: [&str; 6] = ["Kumar", "Subramaniam", "Krishnan", "Raman", "Pillai", "Nair"];
/// Western names (expats and tourists).
pub const WESTERN: [&str; 12] = [
    "John Smith", "Emily Clarke", "Michael Brown", "Sarah Wilson", "David Taylor", "Olivia Jones",
    "James Walker", "Chloe Martin", "Daniel White", "Grace Hall", "Thomas Wright", "Hannah King",
];

/// HDB towns with their 2-digit postal sector.
pub const TOWNS: [(&str, &str); 18] = [
    ("Ang Mo Kio", "56"), ("Bedok", "46"), ("Tampines", "52"), ("Jurong West", "64"),
    ("Woodlands", "73"), ("Yishun", "76"), ("Toa Payoh", "31"), ("Bukit Batok", "65"),
    ("Sengkang", "54"), ("Punggol", "82"), ("Hougang", "53"), ("Clementi", "12"), ("Bishan", "57"),
    ("Pasir Ris", "51"), ("Choa Chu Kang", "68"), ("Bukit Merah", "15"), ("Queenstown", "14"),
    ("Serangoon", "55"),
];

/// Grocery products; some contain person-like words.
pub const PRODUCTS: [&str; 16] = [
    "Gardenia Enriched White Bread 600g", "Meiji Fresh Milk 2L", "Ayam Brand Sardines 155g",
    "Uncle Tobys Oats 1kg", "Aunt Jemima Pancake Mix", "Tiger Beer 24 x 320ml", "Pasar Fresh Eggs 10s",
    "Old Chang Kee Curry Puff (frozen)", "Mr Bean Soya Milk 1L", "Khong Guan Cream Crackers",
    "Ben & Jerry's Cookie Dough 458ml", "Prima Taste Laksa Kit", "Yeo's Chrysanthemum Tea 24s",
    "F&N Seasons Ice Lemon Tea", "Lee Kum Kee Oyster Sauce", "Uncle Saba Coconut Rice",
];

/// Delivery notes.
pub const NOTES: [&str; 8] = [
    "Leave at door", "Please call upon arrival", "", "No plastic bags", "Deliver after 6pm", "",
    "Fragile - eggs", "Ring bell twice",
];

/// Mail domains.
pub const MAIL: [&str; 6] = ["gmail.com", "yahoo.com.sg", "hotmail.com", "outlook.com", "singnet.com.sg", "icloud.com"];
