//! China: administrative areas (GB/T 2260), names, products.

/// One county-level administrative area.
#[derive(Debug, Clone, Copy)]
pub struct Area {
    /// 6-digit GB/T 2260 code (prefix of the resident ID).
    pub code: &'static str,
    /// Province / municipality.
    pub province: &'static str,
    /// City.
    pub city: &'static str,
    /// District.
    pub district: &'static str,
}

const fn a(code: &'static str, province: &'static str, city: &'static str, district: &'static str) -> Area {
    Area { code, province, city, district }
}

/// Real administrative area codes.
pub const AREAS: [Area; 26] = [
    a("110101", "北京市", "北京市", "东城区"),
    a("110105", "北京市", "北京市", "朝阳区"),
    a("110108", "北京市", "北京市", "海淀区"),
    a("120101", "天津市", "天津市", "和平区"),
    a("310101", "上海市", "上海市", "黄浦区"),
    a("310104", "上海市", "上海市", "徐汇区"),
    a("310115", "上海市", "上海市", "浦东新区"),
    a("320102", "江苏省", "南京市", "玄武区"),
    a("320506", "江苏省", "苏州市", "吴中区"),
    a("330102", "浙江省", "杭州市", "上城区"),
    a("330106", "浙江省", "杭州市", "西湖区"),
    a("350203", "福建省", "厦门市", "思明区"),
    a("370202", "山东省", "青岛市", "市南区"),
    a("410105", "河南省", "郑州市", "金水区"),
    a("420106", "湖北省", "武汉市", "武昌区"),
    a("430104", "湖南省", "长沙市", "岳麓区"),
    a("440103", "广东省", "广州市", "荔湾区"),
    a("440106", "广东省", "广州市", "天河区"),
    a("440304", "广东省", "深圳市", "福田区"),
    a("440305", "广东省", "深圳市", "南山区"),
    a("500103", "重庆市", "重庆市", "渝中区"),
    a("510104", "四川省", "成都市", "锦江区"),
    a("510107", "四川省", "成都市", "武侯区"),
    a("530102", "云南省", "昆明市", "五华区"),
    a("610113", "陕西省", "西安市", "雁塔区"),
    a("210102", "辽宁省", "沈阳市", "和平区"),
];

/// Single-character surnames (most common first).
pub const SURNAMES: [&str; 40] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "蒋", "蔡", "叶",
];
/// Compound surnames.
pub const COMPOUND_SURNAMES: [&str; 6] = ["欧阳", "司马", "上官", "诸葛", "东方", "慕容"];
/// Given-name characters.
pub const GIVEN: [&str; 40] = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "兰", "霞", "平", "刚", "英", "华", "玲", "鹏", "辉", "建", "婷", "宇", "浩", "欣", "雪",
    "佳", "俊", "晨", "梓", "子", "文", "嘉", "思",
];

/// Road names.
pub const ROADS: [&str; 12] = [
    "人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "文化路", "胜利路", "长江路", "南京路",
    "科技园路", "滨海大道",
];

/// Products; several contain surname-like characters (adversarial for name detectors).
pub const PRODUCTS: [&str; 16] = [
    "王老吉凉茶 310ml×24罐", "李宁运动鞋 男款", "张小泉剪刀套装", "老干妈风味豆豉", "周黑鸭鸭脖 200g",
    "小米手环8", "华为 Mate 60 手机壳", "三只松鼠坚果礼盒", "蓝月亮洗衣液 3kg", "陈皮普洱茶",
    "安踏跑步鞋", "农夫山泉 550ml×24", "完美日记口红", "良品铺子肉干", "格力空调扇", "马应龙痔疮膏",
];

/// Order notes.
pub const NOTES: [&str; 8] = ["请尽快发货", "周末送货", "放快递柜", "不要放门口", "", "发顺丰", "", "开发票"];

/// Mail domains.
pub const MAIL: [&str; 5] = ["qq.com", "163.com", "126.com", "sina.com", "foxmail.com"];
