//! The columns of each record type: ONE declaration, used by the importer
//! (header vocabulary, value parsing), the exports and the templates.
//!
//! Every field of every body in `ngoaivu_core::records` is reachable
//! through a column (a test checks it against the bodies' JSON Schemas), so
//! an export imports back with nothing lost: scalars one column each; money
//! as an amount column and a currency column (`budget` → "Kinh phí" and
//! "Đơn vị tiền (kinh phí)"); lists of codes in one cell, comma-separated;
//! lists of objects (contacts, signatories, programme …) as JSON text.
//! Partners are named, not numbered: the integrator resolves names to ids.
//!
//! A column's key is the body field, with `.` for a part of a nested object
//! (`leader.name`, `translations.en.summary`) and `.currency` for the
//! currency of a money field (`capital.currency`). `id` and `link` are the
//! record's own (export only; ignored on import).

use std::sync::LazyLock;

use ngoaivu_core::RecordType;
use ngoaivu_core::refdata::refdata;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub code: &'static str,
    pub vi: &'static str,
    pub en: &'static str,
    pub synonyms: &'static [&'static str],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    LongText,
    Date,
    Integer,
    Decimal,
    /// An amount: with its currency in the cell (`12 tỷ đồng`), in the
    /// header (`Kinh phí (triệu đồng)`), or in the `<key>.currency` column.
    Money,
    Currency,
    Country,
    Countries,
    Choice(&'static [Choice]),
    /// Several coded values in one cell (sectors).
    Choices(&'static [Choice]),
    /// One partner, by name.
    Partner,
    /// Several partners, by name, separated by `;` or line breaks (names
    /// may hold commas: "Tỉnh Gyeonggi, Hàn Quốc").
    Partners,
    Bool,
    Period,
    /// Nested lists kept as JSON text so that nothing is lost. For lists of
    /// people, plain names (one per line or `;`) are accepted too.
    Json,
    Id,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    /// The header templates and Vietnamese exports write.
    pub vi: &'static str,
    /// The header English exports write.
    pub en: &'static str,
    /// Other usual names, Vietnamese and English, for header matching.
    pub synonyms: &'static [&'static str],
    pub kind: ColumnKind,
    /// The body cannot be saved without it.
    pub required: bool,
}

impl Column {
    pub fn header(&self, lang: ngoaivu_core::Lang) -> &'static str {
        lang.pick(self.vi, self.en)
    }
    /// Written on export, ignored on import.
    pub fn export_only(&self) -> bool {
        matches!(self.key, "id" | "link")
    }
}

const fn ch(
    code: &'static str,
    vi: &'static str,
    en: &'static str,
    synonyms: &'static [&'static str],
) -> Choice {
    Choice {
        code,
        vi,
        en,
        synonyms,
    }
}

// ------------------------------------------------------------------ choice lists

pub const PARTNER_KIND: &[Choice] = &[
    ch(
        "foreign_locality",
        "Địa phương nước ngoài",
        "Foreign locality",
        &[
            "chính quyền địa phương",
            "địa phương",
            "tỉnh",
            "bang",
            "thành phố",
            "local government",
            "province",
            "state",
            "city",
            "region",
        ],
    ),
    ch(
        "ngo",
        "Tổ chức phi chính phủ nước ngoài",
        "Foreign NGO",
        &[
            "PCPNN",
            "tổ chức PCPNN",
            "phi chính phủ",
            "tổ chức phi chính phủ",
            "NGO",
            "INGO",
            "non-governmental organisation",
        ],
    ),
    ch(
        "international_org",
        "Tổ chức quốc tế",
        "International organisation",
        &[
            "tổ chức liên chính phủ",
            "international organization",
            "intergovernmental organisation",
        ],
    ),
    ch(
        "enterprise",
        "Doanh nghiệp",
        "Enterprise",
        &[
            "công ty",
            "tập đoàn",
            "doanh nghiệp nước ngoài",
            "company",
            "corporation",
            "business",
            "firm",
        ],
    ),
    ch(
        "university",
        "Trường đại học, viện nghiên cứu",
        "University or institute",
        &[
            "trường đại học",
            "đại học",
            "viện nghiên cứu",
            "viện",
            "trường",
            "university",
            "institute",
            "research institute",
            "school",
        ],
    ),
    ch(
        "chamber_of_commerce",
        "Phòng thương mại, hiệp hội",
        "Chamber of commerce",
        &[
            "phòng thương mại",
            "phòng thương mại và công nghiệp",
            "hiệp hội",
            "hiệp hội doanh nghiệp",
            "chamber of commerce",
            "business association",
        ],
    ),
    ch(
        "ministry",
        "Bộ, ngành nước ngoài",
        "Foreign ministry or agency",
        &[
            "bộ",
            "bộ ngành",
            "cơ quan chính phủ",
            "ministry",
            "government agency",
        ],
    ),
    ch(
        "diplomatic_mission",
        "Cơ quan đại diện nước ngoài",
        "Foreign diplomatic mission",
        &[
            "đại sứ quán",
            "tổng lãnh sự quán",
            "lãnh sự quán",
            "cơ quan đại diện",
            "embassy",
            "consulate",
            "consulate general",
        ],
    ),
    ch(
        "political_party",
        "Chính đảng nước ngoài",
        "Foreign political party",
        &["chính đảng", "đảng", "political party"],
    ),
    ch(
        "friendship_society",
        "Hội hữu nghị",
        "Friendship society",
        &[
            "hội hữu nghị",
            "friendship society",
            "friendship association",
        ],
    ),
    ch("other", "Khác", "Other", &["loại khác"]),
];

pub const AGREEMENT_KIND: &[Choice] = &[
    ch(
        "agreement",
        "Thỏa thuận quốc tế",
        "International agreement",
        &[
            "thỏa thuận",
            "thỏa thuận hợp tác",
            "TTQT",
            "thỏa thuận quốc tế cấp địa phương",
            "hiệp định",
            "agreement",
            "cooperation agreement",
        ],
    ),
    ch(
        "mou",
        "Biên bản ghi nhớ",
        "Memorandum of understanding",
        &[
            "MOU",
            "BBGN",
            "bản ghi nhớ",
            "biên bản ghi nhớ hợp tác",
            "memorandum",
            "memo of understanding",
        ],
    ),
    ch(
        "twinning",
        "Kết nghĩa",
        "Twinning",
        &[
            "thỏa thuận kết nghĩa",
            "kết nghĩa hữu nghị",
            "quan hệ kết nghĩa",
            "sister city",
            "sister province",
            "twinning agreement",
            "friendship agreement",
        ],
    ),
];

pub const AGREEMENT_STATUS: &[Choice] = &[
    ch(
        "draft",
        "Dự thảo",
        "Draft",
        &["đang soạn thảo", "đang dự thảo"],
    ),
    ch(
        "consulting",
        "Đang lấy ý kiến",
        "Under consultation",
        &["lấy ý kiến", "xin ý kiến", "đang xin ý kiến", "consulting"],
    ),
    ch(
        "referred_pm",
        "Đã báo cáo Thủ tướng (còn ý kiến khác nhau)",
        "Referred to the Prime Minister",
        &[
            "xin ý kiến thủ tướng",
            "trình thủ tướng",
            "referred to the prime minister",
        ],
    ),
    ch(
        "approved",
        "Đã phê duyệt",
        "Approved",
        &[
            "được phê duyệt",
            "đã được phê duyệt",
            "cho phép ký",
            "đã được cho phép",
        ],
    ),
    ch(
        "refused",
        "Không chấp thuận",
        "Refused",
        &["không cho phép", "từ chối", "không đồng ý", "refused"],
    ),
    ch(
        "signed",
        "Đã ký",
        "Signed",
        &["đã ký kết", "ký kết", "đã ký"],
    ),
    ch(
        "in_force",
        "Đang có hiệu lực",
        "In force",
        &[
            "có hiệu lực",
            "còn hiệu lực",
            "đang hiệu lực",
            "đang thực hiện",
            "active",
            "effective",
        ],
    ),
    ch(
        "amended",
        "Đã sửa đổi, bổ sung",
        "Amended",
        &["sửa đổi", "bổ sung", "sửa đổi bổ sung", "amended"],
    ),
    ch(
        "renewed",
        "Đã gia hạn",
        "Extended",
        &["gia hạn", "được gia hạn", "renewed", "extended"],
    ),
    ch(
        "suspended",
        "Tạm đình chỉ",
        "Suspended",
        &["tạm đình chỉ thực hiện", "tạm dừng", "suspended"],
    ),
    ch(
        "expired",
        "Hết hiệu lực",
        "Expired",
        &["đã hết hiệu lực", "hết hạn", "đã hết hạn"],
    ),
    ch(
        "terminated",
        "Đã chấm dứt",
        "Terminated",
        &["chấm dứt", "đã chấm dứt hiệu lực"],
    ),
];

pub const VN_LEVEL: &[Choice] = &[
    ch(
        "province",
        "HĐND, UBND cấp tỉnh",
        "Province (People's Council or Committee)",
        &["tỉnh", "cấp tỉnh", "ubnd tỉnh", "hđnd tỉnh", "province"],
    ),
    ch(
        "department",
        "Sở, cơ quan cấp tỉnh",
        "Provincial department",
        &["sở", "cấp sở", "cơ quan chuyên môn", "department"],
    ),
    ch(
        "former_district",
        "UBND cấp huyện (trước 01/7/2025)",
        "District (before 1 July 2025)",
        &["huyện", "cấp huyện", "ubnd huyện", "district"],
    ),
    ch(
        "border_commune",
        "UBND xã biên giới",
        "Border commune",
        &["xã biên giới", "ubnd xã biên giới", "border commune"],
    ),
    ch(
        "provincial_organisation",
        "Cơ quan cấp tỉnh của tổ chức",
        "Provincial body of an organisation",
        &[
            "tổ chức cấp tỉnh",
            "đoàn thể cấp tỉnh",
            "provincial organisation",
        ],
    ),
];

pub const DIRECTION: &[Choice] = &[
    ch(
        "inbound",
        "Đoàn vào",
        "Inbound",
        &[
            "vào",
            "đón đoàn",
            "đoàn nước ngoài",
            "đoàn nước ngoài vào",
            "đoàn vào làm việc",
            "đón tiếp",
            "incoming",
            "inbound delegation",
        ],
    ),
    ch(
        "outbound",
        "Đoàn ra",
        "Outbound",
        &[
            "ra",
            "đoàn đi",
            "đoàn đi nước ngoài",
            "đoàn ra nước ngoài",
            "đi nước ngoài",
            "outgoing",
            "outbound delegation",
        ],
    ),
];

pub const DELEGATION_STATUS: &[Choice] = &[
    ch("draft", "Dự thảo", "Draft", &["nháp"]),
    ch(
        "submitted",
        "Đã trình",
        "Submitted",
        &["đã trình duyệt", "chờ phê duyệt", "trình"],
    ),
    ch(
        "approved",
        "Đã phê duyệt",
        "Approved",
        &[
            "đã được phê duyệt",
            "được phép",
            "đã được phép",
            "được phê duyệt",
        ],
    ),
    ch(
        "rejected",
        "Không phê duyệt",
        "Rejected",
        &["từ chối", "không được phê duyệt", "không được phép"],
    ),
    ch(
        "travelling",
        "Đang đi công tác",
        "Travelling",
        &["đang công tác", "đang ở nước ngoài", "đang đi"],
    ),
    ch("returned", "Đã về nước", "Returned", &["đã về", "về nước"]),
    ch(
        "planned",
        "Dự kiến",
        "Planned",
        &["kế hoạch", "theo kế hoạch", "dự kiến đón"],
    ),
    ch(
        "confirmed",
        "Đã xác nhận",
        "Confirmed",
        &["xác nhận", "đã đồng ý đón"],
    ),
    ch(
        "received",
        "Đã đón tiếp",
        "Received",
        &["đã đón", "đã tiếp", "đã làm việc", "đã tiếp đón"],
    ),
    ch(
        "reported",
        "Đã báo cáo kết quả",
        "Reported",
        &["đã báo cáo", "hoàn thành", "đã hoàn thành", "done"],
    ),
    ch(
        "cancelled",
        "Đã hủy",
        "Cancelled",
        &["hủy", "hoãn", "đã hoãn", "không thực hiện", "canceled"],
    ),
];

pub const PROJECT_KIND: &[Choice] = &[
    ch(
        "fdi",
        "Dự án FDI",
        "FDI project",
        &[
            "FDI",
            "đầu tư trực tiếp nước ngoài",
            "đầu tư nước ngoài",
            "vốn FDI",
            "foreign direct investment",
        ],
    ),
    ch(
        "oda",
        "Dự án ODA",
        "ODA project",
        &[
            "ODA",
            "vốn ODA",
            "vốn vay ưu đãi",
            "hỗ trợ phát triển chính thức",
            "ODA và vốn vay ưu đãi",
            "official development assistance",
        ],
    ),
    ch(
        "ngo_aid",
        "Viện trợ PCPNN",
        "Foreign NGO aid",
        &[
            "PCPNN",
            "viện trợ phi chính phủ nước ngoài",
            "viện trợ phi chính phủ",
            "dự án PCPNN",
            "NGO",
            "NGO aid",
            "viện trợ",
        ],
    ),
];

pub const PROJECT_STATUS: &[Choice] = &[
    ch(
        "proposed",
        "Đề xuất",
        "Proposed",
        &[
            "đang đề xuất",
            "đề xuất mới",
            "đang vận động",
            "vận động",
            "cam kết tài trợ",
            "pledged",
        ],
    ),
    ch(
        "appraisal",
        "Đang thẩm định",
        "Under appraisal",
        &["thẩm định", "chờ thẩm định"],
    ),
    ch(
        "approved",
        "Đã phê duyệt",
        "Approved",
        &[
            "đã cấp phép",
            "được cấp phép",
            "cấp phép",
            "đã được phê duyệt",
            "licensed",
        ],
    ),
    ch(
        "active",
        "Đang thực hiện",
        "Active",
        &[
            "đang triển khai",
            "đang hoạt động",
            "hoạt động",
            "triển khai",
            "in progress",
            "operating",
            "ongoing",
        ],
    ),
    ch(
        "completed",
        "Đã hoàn thành",
        "Completed",
        &[
            "hoàn thành",
            "kết thúc",
            "đã kết thúc",
            "closed",
            "finished",
        ],
    ),
    ch(
        "suspended",
        "Tạm dừng",
        "Suspended",
        &["tạm ngừng", "ngừng hoạt động", "tạm ngừng hoạt động"],
    ),
    ch(
        "cancelled",
        "Đã hủy",
        "Cancelled",
        &[
            "hủy",
            "chấm dứt",
            "thu hồi",
            "bị thu hồi",
            "canceled",
            "terminated",
            "revoked",
        ],
    ),
];

pub const AID_FORM: &[Choice] = &[
    ch(
        "programme",
        "Chương trình",
        "Programme",
        &["chương trình viện trợ", "program"],
    ),
    ch(
        "project",
        "Dự án",
        "Project",
        &["dự án viện trợ", "viện trợ dự án"],
    ),
    ch(
        "non_project",
        "Phi dự án",
        "Non-project aid",
        &[
            "viện trợ phi dự án",
            "khoản viện trợ phi dự án",
            "non-project",
        ],
    ),
];

pub const REPORTING_CYCLE: &[Choice] = &[
    ch("monthly", "Hằng tháng", "Monthly", &["tháng", "hàng tháng"]),
    ch(
        "six_monthly",
        "6 tháng",
        "Six-monthly",
        &["sáu tháng", "6 tháng một lần", "half-yearly", "semi-annual"],
    ),
    ch(
        "yearly",
        "Hằng năm",
        "Yearly",
        &["năm", "hàng năm", "annual", "annually"],
    ),
];

pub const EVENT_KIND: &[Choice] = &[
    ch(
        "trade_promotion",
        "Xúc tiến thương mại",
        "Trade promotion",
        &["XTTM", "hoạt động xúc tiến thương mại"],
    ),
    ch(
        "investment_promotion",
        "Xúc tiến đầu tư",
        "Investment promotion",
        &[
            "XTĐT",
            "hội nghị xúc tiến đầu tư",
            "hoạt động xúc tiến đầu tư",
        ],
    ),
    ch(
        "fair",
        "Hội chợ, triển lãm",
        "Fair or exhibition",
        &["hội chợ", "triển lãm", "fair", "exhibition", "expo"],
    ),
    ch(
        "conference",
        "Hội nghị quốc tế",
        "International conference",
        &["hội nghị", "conference"],
    ),
    ch(
        "seminar",
        "Hội thảo quốc tế",
        "International seminar",
        &[
            "hội thảo",
            "tọa đàm",
            "diễn đàn",
            "seminar",
            "workshop",
            "forum",
        ],
    ),
    ch(
        "cultural",
        "Ngoại giao văn hóa",
        "Cultural diplomacy",
        &[
            "văn hóa",
            "giao lưu văn hóa",
            "lễ hội",
            "cultural",
            "cultural exchange",
            "festival",
        ],
    ),
    ch(
        "foreign_information",
        "Thông tin đối ngoại",
        "Foreign information",
        &[
            "TTĐN",
            "thông tin tuyên truyền đối ngoại",
            "tuyên truyền đối ngoại",
        ],
    ),
    ch("other", "Khác", "Other", &["sự kiện khác"]),
];

pub const ABTC_STATUS: &[Choice] = &[
    ch(
        "applied",
        "Đã nộp hồ sơ",
        "Applied",
        &["nộp hồ sơ", "đang xử lý", "chờ xử lý", "pending"],
    ),
    ch(
        "checked",
        "Đã thẩm định",
        "Checked",
        &["thẩm định", "đã kiểm tra"],
    ),
    ch(
        "approved",
        "Đã phê duyệt",
        "Approved",
        &[
            "cho phép",
            "đã cho phép",
            "chấp thuận",
            "đã chấp thuận",
            "đồng ý",
        ],
    ),
    ch(
        "refused",
        "Không chấp thuận",
        "Refused",
        &["từ chối", "không cho phép", "không đồng ý", "rejected"],
    ),
    ch(
        "issued",
        "Đã cấp thẻ",
        "Card issued",
        &["cấp thẻ", "đã có thẻ", "issued"],
    ),
];

pub const CATALOG_STATUS: &[Choice] = &[
    ch("draft", "Dự thảo", "Draft", &["chưa công bố"]),
    ch(
        "published",
        "Đã công bố",
        "Published",
        &["công bố", "đang kêu gọi"],
    ),
    ch(
        "withdrawn",
        "Đã rút khỏi danh mục",
        "Withdrawn",
        &["rút khỏi danh mục", "đã rút", "rút"],
    ),
];

pub const OVERSEAS_KIND: &[Choice] = &[
    ch(
        "association",
        "Hội, đoàn thể",
        "Association",
        &[
            "hội",
            "hiệp hội",
            "đoàn thể",
            "tổ chức",
            "hội đoàn",
            "organisation",
            "organization",
        ],
    ),
    ch(
        "person",
        "Cá nhân",
        "Person",
        &["người", "kiều bào", "cá nhân tiêu biểu", "individual"],
    ),
];

pub const PUBLICATION_KIND: &[Choice] = &[
    ch(
        "bulletin",
        "Bản tin",
        "Bulletin",
        &[
            "bản tin đối ngoại",
            "bản tin thông tin đối ngoại",
            "tập san",
            "newsletter",
        ],
    ),
    ch(
        "book",
        "Sách",
        "Book",
        &["sách ảnh", "ấn phẩm sách", "cuốn sách"],
    ),
    ch(
        "leaflet",
        "Tờ gấp, tài liệu quảng bá",
        "Leaflet",
        &["tờ gấp", "tờ rơi", "tài liệu quảng bá", "brochure", "flyer"],
    ),
    ch(
        "video",
        "Phim, video",
        "Film or video",
        &["phim", "phóng sự", "phim tài liệu", "video clip", "film"],
    ),
    ch(
        "website",
        "Trang thông tin điện tử",
        "Website",
        &[
            "trang điện tử",
            "cổng thông tin",
            "chuyên mục điện tử",
            "web",
        ],
    ),
    ch("other", "Ấn phẩm khác", "Other", &["khác"]),
];

pub const TRAINING_KIND: &[Choice] = &[
    ch(
        "foreign_affairs",
        "Kiến thức, nghiệp vụ đối ngoại",
        "Foreign-affairs knowledge",
        &[
            "nghiệp vụ đối ngoại",
            "kiến thức đối ngoại",
            "đối ngoại",
            "foreign affairs",
        ],
    ),
    ch(
        "protocol",
        "Lễ tân đối ngoại",
        "Diplomatic protocol",
        &["lễ tân", "lễ tân ngoại giao", "protocol"],
    ),
    ch(
        "language",
        "Ngoại ngữ",
        "Foreign language",
        &["tiếng anh", "ngoại ngữ", "language"],
    ),
    ch(
        "international_integration",
        "Hội nhập quốc tế",
        "International integration",
        &["hội nhập", "hội nhập kinh tế quốc tế", "integration"],
    ),
    ch("other", "Nội dung khác", "Other", &["khác"]),
];

pub const NGO_REGISTRATION_KIND: &[Choice] = &[
    ch(
        "operation",
        "Giấy đăng ký hoạt động",
        "Operation registration",
        &["đăng ký hoạt động", "giấy đăng ký", "operation"],
    ),
    ch(
        "project_office",
        "Giấy đăng ký lập Văn phòng dự án",
        "Project office registration",
        &["văn phòng dự án", "project office"],
    ),
    ch(
        "representative_office",
        "Giấy đăng ký lập Văn phòng đại diện",
        "Representative office registration",
        &["văn phòng đại diện", "representative office"],
    ),
];

pub const CONFERENCE_KIND: &[Choice] = &[
    ch(
        "conference",
        "Hội nghị",
        "Conference",
        &["hội nghị quốc tế", "conference"],
    ),
    ch(
        "seminar",
        "Hội thảo",
        "Seminar",
        &["hội thảo quốc tế", "workshop", "seminar"],
    ),
    ch(
        "roundtable",
        "Tọa đàm",
        "Round table",
        &["tọa đàm", "roundtable"],
    ),
    ch("forum", "Diễn đàn", "Forum", &["diễn đàn", "forum"]),
];

pub const CONFERENCE_FORMAT: &[Choice] = &[
    ch(
        "in_person",
        "Trực tiếp",
        "In person",
        &["tập trung", "in person"],
    ),
    ch(
        "online",
        "Trực tuyến",
        "Online",
        &["trực tuyến", "online", "virtual"],
    ),
    ch(
        "hybrid",
        "Trực tiếp kết hợp trực tuyến",
        "Hybrid",
        &["kết hợp", "hybrid"],
    ),
];

pub const FOREIGN_RANK: &[Choice] = &[
    ch(
        "head_of_state",
        "Nguyên thủ, người đứng đầu Chính phủ, Quốc hội",
        "Head of state, government or parliament",
        &["nguyên thủ", "nguyên thủ quốc gia", "head of state"],
    ),
    ch(
        "minister",
        "Bộ trưởng hoặc tương đương",
        "Minister or equivalent",
        &["bộ trưởng", "cấp bộ trưởng", "minister"],
    ),
    ch("other", "Cấp khác", "Below minister", &["khác", "other"]),
];

pub const SENSITIVE_TOPIC: &[Choice] = &[
    ch(
        "sovereignty",
        "Chủ quyền, biên giới, lãnh thổ",
        "Sovereignty and borders",
        &["chủ quyền", "biên giới", "lãnh thổ", "sovereignty"],
    ),
    ch("security", "An ninh", "Security", &["an ninh", "security"]),
    ch(
        "defence",
        "Quốc phòng",
        "Defence",
        &["quốc phòng", "defence", "defense"],
    ),
    ch(
        "ethnicity",
        "Dân tộc",
        "Ethnicity",
        &["dân tộc", "ethnicity"],
    ),
    ch(
        "religion",
        "Tôn giáo",
        "Religion",
        &["tôn giáo", "religion"],
    ),
    ch(
        "human_rights",
        "Nhân quyền",
        "Human rights",
        &["nhân quyền", "quyền con người", "human rights"],
    ),
    ch(
        "state_secrets",
        "Bí mật nhà nước",
        "State secrets",
        &["bí mật nhà nước", "state secrets"],
    ),
];

pub const AUTHORITY: &[Choice] = &[
    ch(
        "chairman",
        "Chủ tịch UBND tỉnh",
        "Provincial chairman",
        &["chủ tịch", "ubnd tỉnh", "chairman"],
    ),
    ch(
        "prime_minister",
        "Thủ tướng Chính phủ",
        "Prime Minister",
        &["thủ tướng", "prime minister"],
    ),
];

pub const CONFERENCE_STATUS: &[Choice] = &[
    ch(
        "filed",
        "Đã nhận hồ sơ",
        "Dossier filed",
        &["tiếp nhận", "nhận hồ sơ", "received", "filed"],
    ),
    ch(
        "consulting",
        "Đang lấy ý kiến",
        "Consulting",
        &["lấy ý kiến", "consulting"],
    ),
    ch(
        "submitted",
        "Đã trình",
        "Submitted",
        &["trình", "submitted"],
    ),
    ch(
        "permitted",
        "Đã cho phép",
        "Permitted",
        &["cho phép", "đồng ý", "permitted"],
    ),
    ch(
        "refused",
        "Không cho phép",
        "Refused",
        &["từ chối", "refused"],
    ),
    ch("held", "Đã tổ chức", "Held", &["đã tổ chức", "held"]),
    ch(
        "reported",
        "Đã báo cáo",
        "Reported",
        &["đã báo cáo", "reported"],
    ),
    ch("cancelled", "Đã hủy", "Cancelled", &["hủy", "cancelled"]),
];

pub const CONSULAR_KIND: &[Choice] = &[
    ch(
        "distress",
        "Công dân gặp nạn ở nước ngoài",
        "Citizen in distress abroad",
        &["gặp nạn", "bảo hộ", "distress"],
    ),
    ch(
        "arrested",
        "Công dân bị bắt, tạm giữ",
        "Citizen arrested or detained",
        &["bị bắt", "tạm giữ", "tạm giam", "arrested"],
    ),
    ch(
        "deceased",
        "Công dân tử vong",
        "Citizen deceased",
        &["tử vong", "chết", "deceased"],
    ),
    ch(
        "repatriated",
        "Công dân hồi hương, bị trục xuất",
        "Citizen repatriated",
        &["hồi hương", "trục xuất", "đưa về nước", "repatriated"],
    ),
    ch(
        "foreigner_incident",
        "Vụ việc liên quan người nước ngoài",
        "Incident involving a foreigner",
        &["người nước ngoài", "foreigner"],
    ),
];

pub const CONSULAR_STATUS: &[Choice] = &[
    ch(
        "opened",
        "Mới tiếp nhận",
        "Opened",
        &["tiếp nhận", "reported", "opened"],
    ),
    ch(
        "verifying",
        "Đang xác minh",
        "Verifying",
        &["xác minh", "verifying"],
    ),
    ch(
        "handling",
        "Đang xử lý",
        "Being handled",
        &["đang giải quyết", "in progress", "handling"],
    ),
    ch(
        "resolved",
        "Đã giải quyết",
        "Resolved",
        &["giải quyết xong", "resolved"],
    ),
    ch("closed", "Đã đóng hồ sơ", "Closed", &["đóng", "closed"]),
];

pub const PLAN_KIND: &[Choice] = &[
    ch(
        "yearly_plan",
        "Kế hoạch đối ngoại năm",
        "Yearly foreign-affairs plan",
        &["kế hoạch", "kế hoạch năm", "plan"],
    ),
    ch(
        "directive",
        "Chỉ thị",
        "Directive",
        &["chỉ thị", "directive"],
    ),
    ch(
        "resolution",
        "Nghị quyết",
        "Resolution",
        &["nghị quyết", "resolution"],
    ),
    ch(
        "programme",
        "Chương trình",
        "Programme",
        &["chương trình", "đề án", "programme", "program"],
    ),
];

/// Languages a publication is written in (ISO 639-1), the ones the
/// provinces' bulletins use; the API takes any code.
pub const LANGUAGE: &[Choice] = &[
    ch("vi", "Tiếng Việt", "Vietnamese", &["việt", "vietnamese"]),
    ch("en", "Tiếng Anh", "English", &["anh", "english"]),
    ch("fr", "Tiếng Pháp", "French", &["pháp", "french"]),
    ch(
        "zh",
        "Tiếng Trung",
        "Chinese",
        &["trung", "tiếng hoa", "chinese"],
    ),
    ch("ja", "Tiếng Nhật", "Japanese", &["nhật", "japanese"]),
    ch("ko", "Tiếng Hàn", "Korean", &["hàn", "korean"]),
    ch("lo", "Tiếng Lào", "Lao", &["lào", "lao"]),
    ch("km", "Tiếng Khmer", "Khmer", &["khmer", "tiếng campuchia"]),
    ch("th", "Tiếng Thái", "Thai", &["thái", "thai"]),
    ch("ru", "Tiếng Nga", "Russian", &["nga", "russian"]),
    ch("de", "Tiếng Đức", "German", &["đức", "german"]),
    ch(
        "es",
        "Tiếng Tây Ban Nha",
        "Spanish",
        &["tây ban nha", "spanish"],
    ),
];

pub const QUALIFIER: &[Choice] = &[
    ch("exact", "Chính xác", "Exact", &["bằng", "="]),
    ch("over", "Trên", "Over", &["hơn", "trên", "more than", ">"]),
    ch("under", "Dưới", "Under", &["chưa đến", "less than", "<"]),
    ch(
        "about",
        "Khoảng",
        "About",
        &[
            "gần",
            "ước",
            "ước tính",
            "khoảng chừng",
            "approximately",
            "~",
        ],
    ),
];

pub const SOURCE: &[Choice] = &[
    ch("manual", "Nhập tay", "Entered by hand", &["nhập trực tiếp"]),
    ch("import", "Nhập từ tệp", "Imported", &["nhập từ excel"]),
    ch(
        "reader",
        "Đọc từ báo cáo",
        "Read from a report",
        &["trích báo cáo"],
    ),
    ch("derived", "Tính toán", "Derived", &["tính từ dữ liệu"]),
];

pub const OBS_UNIT: &[Choice] = &[
    ch("USD", "USD", "USD", &["đô la Mỹ", "US dollars"]),
    ch("VND", "Đồng", "VND", &["VNĐ", "đồng Việt Nam"]),
    ch(
        "count",
        "Số lượng",
        "Count",
        &["lượt", "cái", "số", "number"],
    ),
    ch("percent", "%", "Percent", &["phần trăm"]),
    ch("people", "Người", "People", &["lượt người", "persons"]),
];

const SECTOR_SYNONYMS: &[(&str, &[&str])] = &[
    (
        "agriculture",
        &[
            "nông nghiệp",
            "nông lâm nghiệp",
            "nông nghiệp công nghệ cao",
            "lâm nghiệp",
            "nông, lâm nghiệp",
        ],
    ),
    (
        "aquaculture",
        &[
            "thủy sản",
            "nuôi trồng thủy sản",
            "fisheries",
            "aquaculture",
        ],
    ),
    (
        "industry",
        &[
            "công nghiệp",
            "chế biến",
            "chế tạo",
            "công nghiệp chế biến, chế tạo",
            "sản xuất",
            "manufacturing",
        ],
    ),
    (
        "energy",
        &["năng lượng tái tạo", "điện", "renewable energy"],
    ),
    (
        "infrastructure",
        &[
            "hạ tầng",
            "cơ sở hạ tầng",
            "giao thông",
            "xây dựng",
            "transport",
        ],
    ),
    (
        "trade",
        &["thương mại", "xuất nhập khẩu", "dịch vụ thương mại"],
    ),
    ("investment", &["đầu tư", "xúc tiến đầu tư"]),
    ("tourism", &["du lịch", "dịch vụ du lịch"]),
    (
        "education",
        &[
            "giáo dục",
            "đào tạo",
            "giáo dục đào tạo",
            "education",
            "training",
        ],
    ),
    ("health", &["y tế", "chăm sóc sức khỏe", "healthcare"]),
    (
        "culture",
        &[
            "văn hóa",
            "thể thao",
            "văn hóa, thể thao và du lịch",
            "culture",
            "sport",
        ],
    ),
    (
        "environment",
        &[
            "môi trường",
            "biến đổi khí hậu",
            "tài nguyên môi trường",
            "climate change",
        ],
    ),
    (
        "water",
        &["nước sạch", "thủy lợi", "cấp nước", "irrigation"],
    ),
    (
        "technology",
        &[
            "khoa học công nghệ",
            "công nghệ thông tin",
            "chuyển đổi số",
            "công nghệ",
            "science",
            "technology",
            "IT",
        ],
    ),
    ("finance", &["tài chính", "ngân hàng", "finance", "banking"]),
    (
        "labour",
        &[
            "lao động",
            "việc làm",
            "xuất khẩu lao động",
            "labor",
            "employment",
        ],
    ),
    (
        "social",
        &[
            "xã hội",
            "nhân đạo",
            "an sinh xã hội",
            "y tế xã hội",
            "humanitarian",
        ],
    ),
    (
        "governance",
        &[
            "quản lý nhà nước",
            "cải cách hành chính",
            "quản trị",
            "governance",
        ],
    ),
    (
        "security",
        &[
            "quốc phòng",
            "an ninh",
            "biên giới",
            "quốc phòng an ninh",
            "defence",
            "security",
            "border",
        ],
    ),
    ("other", &["khác", "lĩnh vực khác"]),
];

fn leak<T>(v: Vec<T>) -> &'static [T] {
    Box::leak(v.into_boxed_slice())
}

fn leak_str(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The sectors of `ngoaivu_core::values::SECTORS`, with usual synonyms.
pub static SECTOR: LazyLock<&'static [Choice]> = LazyLock::new(|| {
    leak(
        ngoaivu_core::values::SECTORS
            .iter()
            .map(|(code, vi, en)| {
                let syn = SECTOR_SYNONYMS
                    .iter()
                    .find(|(c, _)| c == code)
                    .map(|(_, s)| *s)
                    .unwrap_or(&[]);
                ch(code, vi, en, syn)
            })
            .collect(),
    )
});

/// The indicators of the reference data.
pub static INDICATOR: LazyLock<&'static [Choice]> = LazyLock::new(|| {
    leak(
        refdata()
            .indicators
            .iter()
            .map(|i| Choice {
                code: leak_str(i.code.clone()),
                vi: leak_str(i.name_vi.clone()),
                en: leak_str(i.name_en.clone()),
                synonyms: &[],
            })
            .collect(),
    )
});

/// Provincial units (current first, then the former ones), by slug, and
/// `viet-nam` for national figures.
pub static LOCALITY: LazyLock<&'static [Choice]> = LazyLock::new(|| {
    let mut out: Vec<Choice> = Vec::new();
    let mut units: Vec<_> = refdata().current_units().collect();
    units.extend(refdata().legacy_units());
    for u in units {
        if out.iter().any(|c| c.code == u.slug) {
            continue;
        }
        let short = leak_str(u.short_name.clone());
        let kind_word = if u.kind == "city" { "TP" } else { "tỉnh" };
        out.push(Choice {
            code: leak_str(u.slug.clone()),
            vi: leak_str(u.name.clone()),
            en: short,
            synonyms: leak(vec![
                short,
                leak_str(format!("{kind_word} {}", u.short_name)),
            ]),
        });
    }
    out.push(ch(
        ngoaivu_core::records::NATIONAL,
        "Việt Nam",
        "Viet Nam",
        &["toàn quốc", "cả nước", "national", "Vietnam"],
    ));
    leak(out)
});

// ------------------------------------------------------------------ columns

use ColumnKind as K;

const fn col(
    key: &'static str,
    vi: &'static str,
    en: &'static str,
    synonyms: &'static [&'static str],
    kind: ColumnKind,
    required: bool,
) -> Column {
    Column {
        key,
        vi,
        en,
        synonyms,
        kind,
        required,
    }
}

const ID: Column = col(
    "id",
    "Mã bản ghi",
    "Record ID",
    &["mã hệ thống", "id", "record id"],
    K::Id,
    false,
);
const LINK: Column = col(
    "link",
    "Đường dẫn",
    "Link",
    &["liên kết", "url"],
    K::Text,
    false,
);
const NOTES: Column = col(
    "notes",
    "Ghi chú",
    "Notes",
    &["ghi chú khác", "chú thích", "note", "remarks", "comments"],
    K::LongText,
    false,
);
const LOCALITY_SYN: &[&str] = &[
    "tỉnh",
    "tỉnh, thành phố",
    "tỉnh/thành phố",
    "tỉnh thành",
    "đơn vị hành chính",
    "province",
];

fn locality() -> Column {
    col(
        "locality",
        "Địa phương",
        "Locality",
        LOCALITY_SYN,
        K::Choice(*LOCALITY),
        false,
    )
}

fn partner() -> Vec<Column> {
    vec![
        ID,
        LINK,
        col(
            "name",
            "Tên đối tác",
            "Partner name",
            &[
                "tên",
                "đối tác",
                "tên tổ chức",
                "tên địa phương",
                "tên cơ quan",
                "tên đơn vị",
                "tên đối tác nước ngoài",
                "name",
                "partner",
                "organisation",
                "organization",
            ],
            K::Text,
            true,
        ),
        col(
            "name_original",
            "Tên nguyên gốc",
            "Original name",
            &[
                "tên gốc",
                "tên tiếng anh",
                "tên nước ngoài",
                "tên giao dịch",
                "tên bằng tiếng nước ngoài",
                "name in original language",
                "english name",
                "foreign name",
            ],
            K::Text,
            false,
        ),
        col(
            "kind",
            "Loại đối tác",
            "Partner type",
            &[
                "loại",
                "loại hình",
                "phân loại",
                "loại hình đối tác",
                "type",
                "kind",
                "category",
            ],
            K::Choice(PARTNER_KIND),
            true,
        ),
        col(
            "country",
            "Quốc gia",
            "Country",
            &[
                "nước",
                "quốc tịch",
                "quốc gia/vùng lãnh thổ",
                "quốc gia, vùng lãnh thổ",
                "nation",
                "country/territory",
            ],
            K::Country,
            true,
        ),
        col(
            "sectors",
            "Lĩnh vực hợp tác",
            "Sectors",
            &[
                "lĩnh vực",
                "ngành",
                "ngành nghề",
                "sector",
                "fields of cooperation",
                "areas of cooperation",
            ],
            K::Choices(*SECTOR),
            false,
        ),
        col(
            "contacts",
            "Người liên hệ",
            "Contacts",
            &["đầu mối liên hệ", "liên hệ", "contact", "contact person"],
            K::Json,
            false,
        ),
        col(
            "website",
            "Trang web",
            "Website",
            &[
                "web",
                "địa chỉ web",
                "trang thông tin điện tử",
                "url website",
            ],
            K::Text,
            false,
        ),
        NOTES,
    ]
}

fn agreement() -> Vec<Column> {
    vec![
        ID,
        LINK,
        col(
            "title",
            "Tên thỏa thuận",
            "Title",
            &[
                "tên văn bản",
                "tên thỏa thuận quốc tế",
                "tên gọi",
                "tiêu đề",
                "trích yếu",
                "tên",
                "tên văn bản thỏa thuận",
                "agreement",
                "agreement title",
                "name",
            ],
            K::Text,
            true,
        ),
        col(
            "kind",
            "Loại thỏa thuận",
            "Agreement type",
            &[
                "loại",
                "loại văn bản",
                "hình thức",
                "hình thức văn bản",
                "type",
                "kind",
            ],
            K::Choice(AGREEMENT_KIND),
            true,
        ),
        col(
            "partner_ids",
            "Đối tác",
            "Partners",
            &[
                "đối tác ký kết",
                "đối tác nước ngoài",
                "bên ký kết nước ngoài",
                "tên đối tác",
                "cơ quan ký kết nước ngoài",
                "partner",
                "counterpart",
                "foreign partner",
            ],
            K::Partners,
            true,
        ),
        col(
            "sectors",
            "Lĩnh vực hợp tác",
            "Sectors",
            &[
                "lĩnh vực",
                "ngành",
                "sector",
                "fields of cooperation",
                "areas of cooperation",
            ],
            K::Choices(*SECTOR),
            false,
        ),
        col(
            "signed_on",
            "Ngày ký",
            "Signed on",
            &[
                "ngày ký kết",
                "thời gian ký",
                "thời gian ký kết",
                "ngày tháng ký",
                "date signed",
                "signing date",
                "date of signing",
            ],
            K::Date,
            false,
        ),
        col(
            "signed_place",
            "Nơi ký",
            "Place of signing",
            &[
                "địa điểm ký",
                "địa điểm ký kết",
                "nơi ký kết",
                "place signed",
                "signed at",
            ],
            K::Text,
            false,
        ),
        col(
            "signatories",
            "Người ký",
            "Signatories",
            &[
                "người ký kết",
                "đại diện ký",
                "đại diện ký kết",
                "signed by",
                "signatory",
            ],
            K::Json,
            false,
        ),
        col(
            "valid_from",
            "Hiệu lực từ",
            "Valid from",
            &[
                "ngày có hiệu lực",
                "có hiệu lực từ",
                "ngày hiệu lực",
                "hiệu lực từ ngày",
                "effective date",
                "effective from",
                "in force from",
            ],
            K::Date,
            false,
        ),
        col(
            "valid_until",
            "Hiệu lực đến",
            "Valid until",
            &[
                "ngày hết hiệu lực",
                "hiệu lực đến ngày",
                "hết hiệu lực",
                "ngày hết hạn",
                "expiry date",
                "expires",
                "valid to",
            ],
            K::Date,
            false,
        ),
        col(
            "status",
            "Trạng thái",
            "Status",
            &["tình trạng", "tình trạng hiệu lực", "state"],
            K::Choice(AGREEMENT_STATUS),
            false,
        ),
        col(
            "vn_level",
            "Cấp của bên Việt Nam",
            "Vietnamese party's level",
            &[
                "cấp ký kết",
                "cấp ký",
                "cơ quan ký kết",
                "level",
                "vn level",
            ],
            K::Choice(VN_LEVEL),
            false,
        ),
        col(
            "consultations",
            "Lấy ý kiến",
            "Consultations",
            &["xin ý kiến", "ý kiến các cơ quan"],
            K::Json,
            false,
        ),
        col(
            "referred_pm_on",
            "Ngày báo cáo Thủ tướng về ý kiến khác nhau",
            "Disagreement referred to the Prime Minister on",
            &["ngày trình thủ tướng", "ngày xin ý kiến thủ tướng"],
            K::Date,
            false,
        ),
        col(
            "permission_decision_number",
            "Số quyết định cho phép ký",
            "Permission decision number",
            &[
                "số quyết định cho phép",
                "quyết định cho phép ký",
                "số quyết định",
                "permission decision",
            ],
            K::Text,
            false,
        ),
        col(
            "permission_decision_on",
            "Ngày quyết định cho phép ký",
            "Permission decision date",
            &[
                "ngày quyết định cho phép",
                "ngày quyết định",
                "permission date",
            ],
            K::Date,
            false,
        ),
        col(
            "report_due",
            "Hạn báo cáo",
            "Report due",
            &["hạn báo cáo thủ tướng"],
            K::Date,
            false,
        ),
        col(
            "reported_pm_on",
            "Ngày báo cáo Thủ tướng",
            "Reported to the Prime Minister on",
            &["ngày báo cáo thủ tướng chính phủ", "báo cáo thủ tướng"],
            K::Date,
            false,
        ),
        col(
            "copy_to_mofa_on",
            "Ngày gửi bản sao cho Bộ Ngoại giao",
            "Copy sent to the Ministry on",
            &["ngày gửi bộ ngoại giao", "gửi bản sao bộ ngoại giao"],
            K::Date,
            false,
        ),
        col(
            "actions",
            "Quyết định sau đó (sửa đổi, gia hạn, tạm đình chỉ, chấm dứt)",
            "Acts (amendment, extension, suspension, termination)",
            &["sửa đổi, gia hạn", "quyết định sửa đổi", "acts", "actions"],
            K::Json,
            false,
        ),
        col(
            "replaces_id",
            "Thay thế thỏa thuận (mã)",
            "Replaces (record ID)",
            &["thay thế thỏa thuận", "replaces"],
            K::Id,
            false,
        ),
        locality(),
        col(
            "inherited",
            "Kế thừa từ đơn vị cũ",
            "Inherited from a former unit",
            &["kế thừa", "inherited"],
            K::Bool,
            false,
        ),
        NOTES,
    ]
}

fn delegation() -> Vec<Column> {
    vec![
        ID,
        LINK,
        col(
            "direction",
            "Đoàn ra/đoàn vào",
            "Direction",
            &[
                "chiều",
                "loại đoàn",
                "đoàn ra, đoàn vào",
                "đoàn ra đoàn vào",
                "inbound/outbound",
                "type",
            ],
            K::Choice(DIRECTION),
            true,
        ),
        col(
            "purpose",
            "Tên đoàn",
            "Purpose",
            &[
                "mục đích",
                "mục đích chuyến đi",
                "mục đích chuyến công tác",
                "nội dung",
                "nội dung làm việc",
                "nội dung công tác",
                "mục đích, nội dung",
                "tên đoàn công tác",
                "đoàn",
                "delegation",
                "delegation name",
                "mission",
            ],
            K::Text,
            true,
        ),
        col(
            "leader.name",
            "Trưởng đoàn",
            "Head of delegation",
            &[
                "họ tên trưởng đoàn",
                "người dẫn đoàn",
                "trưởng đoàn (họ tên)",
                "leader",
                "delegation leader",
                "head",
            ],
            K::Text,
            false,
        ),
        col(
            "leader.position",
            "Chức vụ trưởng đoàn",
            "Position of the head",
            &[
                "chức vụ",
                "chức danh trưởng đoàn",
                "chức danh",
                "leader's position",
                "position",
            ],
            K::Text,
            false,
        ),
        col(
            "member_count",
            "Số thành viên",
            "Number of members",
            &[
                "số người",
                "số lượng",
                "số lượng thành viên",
                "số lượng người",
                "số thành viên đoàn",
                "quân số",
                "number of people",
                "size",
                "pax",
            ],
            K::Integer,
            false,
        ),
        col(
            "members",
            "Thành viên",
            "Members",
            &[
                "danh sách thành viên",
                "thành phần đoàn",
                "thành phần",
                "member list",
            ],
            K::Json,
            false,
        ),
        col(
            "countries",
            "Nước đến",
            "Countries",
            &[
                "quốc gia",
                "nước",
                "nước đến công tác",
                "quốc gia đến",
                "nước, vùng lãnh thổ",
                "nước cử đoàn",
                "quốc gia cử đoàn",
                "đoàn nước",
                "nước đi",
                "country",
                "countries visited",
                "destination",
            ],
            K::Countries,
            false,
        ),
        col(
            "partner_ids",
            "Đối tác",
            "Partners",
            &[
                "cơ quan, tổ chức làm việc",
                "đối tác làm việc",
                "cơ quan mời",
                "đơn vị mời",
                "cơ quan đón tiếp",
                "đối tác nước ngoài",
                "partner",
                "host",
                "counterpart",
            ],
            K::Partners,
            false,
        ),
        col(
            "start_on",
            "Thời gian đi",
            "Start date",
            &[
                "ngày đi",
                "từ ngày",
                "ngày bắt đầu",
                "thời gian",
                "thời gian công tác",
                "thời gian bắt đầu",
                "ngày đến",
                "thời gian đến",
                "thời gian làm việc",
                "start",
                "from",
                "date",
                "dates",
                "departure",
            ],
            K::Date,
            false,
        ),
        col(
            "end_on",
            "Ngày về",
            "End date",
            &[
                "đến ngày",
                "ngày kết thúc",
                "thời gian về",
                "thời gian kết thúc",
                "end",
                "to",
                "return",
            ],
            K::Date,
            false,
        ),
        col(
            "budget",
            "Kinh phí",
            "Budget",
            &[
                "kinh phí dự kiến",
                "dự toán kinh phí",
                "tổng kinh phí",
                "chi phí",
                "kinh phí chuyến đi",
                "cost",
                "expenses",
            ],
            K::Money,
            false,
        ),
        col(
            "budget.currency",
            "Đơn vị tiền (kinh phí)",
            "Currency (budget)",
            &[
                "đơn vị tiền",
                "loại tiền",
                "tiền tệ",
                "đơn vị tính",
                "ĐVT",
                "currency",
            ],
            K::Currency,
            false,
        ),
        col(
            "funding_source",
            "Nguồn kinh phí",
            "Funding source",
            &[
                "nguồn",
                "nguồn vốn",
                "kinh phí do",
                "đơn vị chi trả",
                "funded by",
                "funding",
            ],
            K::Text,
            false,
        ),
        col(
            "in_plan",
            "Trong kế hoạch",
            "In the plan",
            &["theo kế hoạch", "kế hoạch năm", "in plan"],
            K::Bool,
            false,
        ),
        col(
            "decision_number",
            "Số QĐ cử đoàn",
            "Decision number",
            &[
                "số quyết định",
                "số QĐ",
                "số quyết định cử đoàn",
                "quyết định cử đoàn",
                "quyết định",
                "số QĐ cho phép",
                "số văn bản cho phép",
                "decision",
                "decision no",
                "decision number",
            ],
            K::Text,
            false,
        ),
        col(
            "status",
            "Trạng thái",
            "Status",
            &["tình trạng", "state"],
            K::Choice(DELEGATION_STATUS),
            false,
        ),
        col(
            "outcome",
            "Kết quả",
            "Outcome",
            &[
                "kết quả chuyến đi",
                "kết quả làm việc",
                "kết quả đạt được",
                "kết quả chuyến công tác",
                "results",
                "result",
            ],
            K::LongText,
            false,
        ),
        col(
            "programme",
            "Chương trình làm việc",
            "Programme",
            &["lịch trình", "chương trình", "program", "schedule"],
            K::Json,
            false,
        ),
        col(
            "guests",
            "Khách",
            "Guests",
            &["danh sách khách", "thành phần khách", "khách mời"],
            K::Json,
            false,
        ),
        col(
            "submitted_on",
            "Ngày trình",
            "Submitted on",
            &["ngày trình duyệt", "ngày tờ trình"],
            K::Date,
            false,
        ),
        col(
            "decided_on",
            "Ngày phê duyệt, xác nhận",
            "Decided on",
            &[
                "ngày phê duyệt",
                "ngày quyết định",
                "ngày QĐ cử đoàn",
                "ngày quyết định cử đoàn",
                "ngày xác nhận",
                "decision date",
            ],
            K::Date,
            false,
        ),
        col(
            "returned_on",
            "Ngày về nước, đón tiếp",
            "Returned or received on",
            &["ngày về nước", "ngày đón tiếp", "returned on"],
            K::Date,
            false,
        ),
        col(
            "report_due",
            "Hạn báo cáo",
            "Report due",
            &["hạn báo cáo kết quả"],
            K::Date,
            false,
        ),
        col(
            "reported_on",
            "Ngày báo cáo kết quả",
            "Reported on",
            &["ngày báo cáo"],
            K::Date,
            false,
        ),
        locality(),
        NOTES,
    ]
}

fn project() -> Vec<Column> {
    vec![
        ID,
        LINK,
        col(
            "kind",
            "Loại dự án",
            "Project type",
            &[
                "loại",
                "hình thức",
                "loại hình",
                "loại hình dự án",
                "type",
                "kind",
            ],
            K::Choice(PROJECT_KIND),
            true,
        ),
        col(
            "name",
            "Tên dự án",
            "Project name",
            &[
                "dự án",
                "tên chương trình, dự án",
                "tên chương trình dự án",
                "tên dự án, chương trình",
                "tên",
                "project",
                "name",
            ],
            K::Text,
            true,
        ),
        col(
            "investor_id",
            "Nhà đầu tư / nhà tài trợ",
            "Investor or donor",
            &[
                "nhà đầu tư, nhà tài trợ",
                "nhà đầu tư",
                "chủ đầu tư",
                "nhà tài trợ",
                "nhà đầu tư nước ngoài",
                "nhà tài trợ nước ngoài",
                "tổ chức tài trợ",
                "đối tác",
                "investor",
                "donor",
                "sponsor",
            ],
            K::Partner,
            false,
        ),
        col(
            "country",
            "Quốc gia",
            "Country",
            &[
                "nước",
                "quốc gia/vùng lãnh thổ",
                "quốc tịch",
                "quốc tịch nhà đầu tư",
                "nước đầu tư",
                "quốc gia đầu tư",
                "nation",
            ],
            K::Country,
            false,
        ),
        col(
            "sector",
            "Lĩnh vực",
            "Sector",
            &[
                "ngành",
                "ngành nghề",
                "lĩnh vực đầu tư",
                "lĩnh vực hoạt động",
                "lĩnh vực tài trợ",
                "field",
                "industry",
            ],
            K::Choice(*SECTOR),
            false,
        ),
        col(
            "capital",
            "Vốn đầu tư",
            "Capital",
            &[
                "vốn đăng ký",
                "tổng vốn",
                "tổng vốn đầu tư",
                "vốn cam kết",
                "tổng vốn đăng ký",
                "giá trị tài trợ",
                "giá trị viện trợ",
                "tổng giá trị",
                "tổng kinh phí",
                "kinh phí",
                "vốn",
                "registered capital",
                "investment capital",
                "total investment",
                "committed capital",
                "value",
                "amount",
            ],
            K::Money,
            false,
        ),
        col(
            "capital.currency",
            "Đơn vị tiền (vốn)",
            "Currency (capital)",
            &[
                "đơn vị tiền",
                "loại tiền",
                "tiền tệ",
                "đơn vị tính",
                "ĐVT",
                "currency",
            ],
            K::Currency,
            false,
        ),
        col(
            "disbursed",
            "Đã giải ngân",
            "Disbursed",
            &[
                "vốn đã giải ngân",
                "giải ngân",
                "vốn thực hiện",
                "vốn giải ngân",
                "giá trị giải ngân",
                "lũy kế giải ngân",
                "disbursement",
                "disbursed amount",
            ],
            K::Money,
            false,
        ),
        col(
            "disbursed.currency",
            "Đơn vị tiền (giải ngân)",
            "Currency (disbursed)",
            &["currency of disbursement"],
            K::Currency,
            false,
        ),
        col(
            "approved_on",
            "Ngày cấp phép",
            "Approved on",
            &[
                "ngày cấp phép, phê duyệt",
                "ngày phê duyệt",
                "ngày cấp giấy chứng nhận đầu tư",
                "ngày cấp GCNĐKĐT",
                "ngày cấp GCNĐT",
                "ngày cấp",
                "ngày quyết định",
                "ngày quyết định phê duyệt",
                "licence date",
                "approval date",
                "date approved",
            ],
            K::Date,
            false,
        ),
        col(
            "period_from",
            "Thời gian thực hiện từ",
            "Period from",
            &[
                "thời gian bắt đầu",
                "ngày bắt đầu",
                "bắt đầu",
                "từ",
                "start",
                "start date",
            ],
            K::Date,
            false,
        ),
        col(
            "period_until",
            "Thời gian thực hiện đến",
            "Period until",
            &[
                "thời gian kết thúc",
                "ngày kết thúc",
                "kết thúc",
                "đến",
                "end",
                "end date",
            ],
            K::Date,
            false,
        ),
        col(
            "status",
            "Trạng thái",
            "Status",
            &["tình trạng", "tình trạng dự án", "state"],
            K::Choice(PROJECT_STATUS),
            false,
        ),
        // Earlier workbooks' "Giải ngân theo ngày" holds `{on, amount}`
        // items: actual foreign disbursements, as transactions read them.
        col(
            "transactions",
            "Cam kết, giải ngân, chi tiêu theo ngày",
            "Commitments, disbursements, expenditures",
            &[
                "giải ngân theo ngày",
                "các đợt giải ngân",
                "disbursements by date",
                "transactions",
            ],
            K::Json,
            false,
        ),
        col(
            "aid_form",
            "Hình thức viện trợ",
            "Form of aid",
            &[
                "hình thức",
                "loại hình viện trợ",
                "aid form",
                "aid modality",
            ],
            K::Choice(AID_FORM),
            false,
        ),
        col(
            "appraisal_started_on",
            "Ngày nhận đủ hồ sơ thẩm định",
            "Appraisal started on",
            &["ngày thẩm định", "ngày nhận hồ sơ"],
            K::Date,
            false,
        ),
        col(
            "appraisal_due",
            "Hạn thẩm định",
            "Appraisal due",
            &["thời hạn thẩm định"],
            K::Date,
            false,
        ),
        col(
            "appraisal_opinions",
            "Ý kiến thẩm định",
            "Appraisal opinions",
            &["ý kiến các cơ quan", "lấy ý kiến thẩm định"],
            K::Json,
            false,
        ),
        col(
            "reporting",
            "Kỳ báo cáo",
            "Reporting",
            &["chế độ báo cáo", "báo cáo định kỳ", "reporting cycle"],
            K::Choice(REPORTING_CYCLE),
            false,
        ),
        col(
            "reported_through",
            "Đã báo cáo đến hết ngày",
            "Reported through",
            &["báo cáo đến ngày", "kỳ báo cáo gần nhất"],
            K::Date,
            false,
        ),
        col(
            "location",
            "Địa điểm",
            "Location",
            &[
                "địa điểm thực hiện",
                "địa điểm dự án",
                "địa chỉ",
                "địa bàn",
                "địa bàn thực hiện",
                "nơi thực hiện",
                "place",
                "site",
                "address",
            ],
            K::Text,
            false,
        ),
        locality(),
        NOTES,
    ]
}

fn event() -> Vec<Column> {
    vec![
        ID,
        LINK,
        col(
            "kind",
            "Loại sự kiện",
            "Event type",
            &[
                "loại",
                "loại hình",
                "hình thức",
                "loại hoạt động",
                "type",
                "kind",
            ],
            K::Choice(EVENT_KIND),
            true,
        ),
        col(
            "title",
            "Tên sự kiện",
            "Event",
            &[
                "tên hoạt động",
                "sự kiện",
                "hoạt động",
                "nội dung",
                "tên chương trình",
                "tên",
                "tên hội nghị, hội thảo",
                "nội dung hoạt động",
                "title",
                "name",
                "activity",
            ],
            K::Text,
            true,
        ),
        col(
            "start_on",
            "Ngày bắt đầu",
            "Start date",
            &[
                "thời gian",
                "ngày",
                "thời gian tổ chức",
                "ngày tổ chức",
                "từ ngày",
                "thời gian bắt đầu",
                "date",
                "start",
            ],
            K::Date,
            false,
        ),
        col(
            "end_on",
            "Ngày kết thúc",
            "End date",
            &["đến ngày", "thời gian kết thúc", "end"],
            K::Date,
            false,
        ),
        col(
            "place",
            "Địa điểm",
            "Place",
            &["địa điểm tổ chức", "nơi tổ chức", "venue", "location"],
            K::Text,
            false,
        ),
        col(
            "country",
            "Quốc gia",
            "Country",
            &["nước", "nước tổ chức", "quốc gia tổ chức", "nation"],
            K::Country,
            false,
        ),
        col(
            "partner_ids",
            "Đối tác",
            "Partners",
            &[
                "đơn vị phối hợp",
                "đối tác phối hợp",
                "cơ quan phối hợp",
                "đồng tổ chức",
                "đơn vị đồng tổ chức",
                "partner",
                "co-organisers",
            ],
            K::Partners,
            false,
        ),
        col(
            "participants",
            "Số người tham dự",
            "Participants",
            &[
                "số lượng tham dự",
                "số đại biểu",
                "số lượng đại biểu",
                "số người",
                "số lượng người tham dự",
                "số lượt người",
                "attendance",
                "attendees",
            ],
            K::Integer,
            false,
        ),
        locality(),
        NOTES,
    ]
}

fn abtc() -> Vec<Column> {
    vec![
        ID,
        LINK,
        col(
            "person_name",
            "Họ và tên",
            "Full name",
            &[
                "họ tên",
                "tên",
                "người đề nghị",
                "họ và tên người đề nghị",
                "name",
                "applicant",
            ],
            K::Text,
            true,
        ),
        col(
            "enterprise",
            "Doanh nghiệp",
            "Enterprise",
            &[
                "tên doanh nghiệp",
                "đơn vị công tác",
                "công ty",
                "cơ quan",
                "nơi làm việc",
                "company",
                "employer",
            ],
            K::Text,
            true,
        ),
        col(
            "position",
            "Chức vụ",
            "Position",
            &["chức danh", "job title", "title"],
            K::Text,
            false,
        ),
        col(
            "economies",
            "Nền kinh tế APEC",
            "APEC economies",
            &[
                "nền kinh tế",
                "các nền kinh tế",
                "nước đi",
                "nước đề nghị",
                "các nước đề nghị",
                "quốc gia",
                "economies",
                "countries",
            ],
            K::Countries,
            true,
        ),
        col(
            "decision_number",
            "Số quyết định",
            "Decision number",
            &[
                "số QĐ",
                "số văn bản",
                "quyết định số",
                "số văn bản cho phép",
                "decision no",
            ],
            K::Text,
            false,
        ),
        col(
            "decision_on",
            "Ngày quyết định",
            "Decision date",
            &[
                "ngày QĐ",
                "ngày cho phép",
                "ngày ký quyết định",
                "ngày văn bản",
            ],
            K::Date,
            false,
        ),
        col(
            "status",
            "Trạng thái",
            "Status",
            &["tình trạng", "kết quả", "state"],
            K::Choice(ABTC_STATUS),
            false,
        ),
        col(
            "enterprise_months",
            "Số tháng hoạt động của doanh nghiệp",
            "Months the enterprise has operated",
            &[
                "thời gian hoạt động của doanh nghiệp (tháng)",
                "số tháng hoạt động",
            ],
            K::Integer,
            false,
        ),
        col(
            "applicant_months",
            "Số tháng làm việc của người đề nghị",
            "Months the applicant has worked there",
            &[
                "thời gian làm việc (tháng)",
                "số tháng làm việc",
                "thời gian công tác (tháng)",
            ],
            K::Integer,
            false,
        ),
        col(
            "preclearance",
            "Chấp thuận trước của các nền kinh tế",
            "Pre-clearance by economy",
            &["chấp thuận trước", "pre-clearance"],
            K::Json,
            false,
        ),
        col(
            "card_number",
            "Số thẻ",
            "Card number",
            &["số thẻ ABTC", "card no"],
            K::Text,
            false,
        ),
        col(
            "card_issued_on",
            "Ngày cấp thẻ",
            "Card issued on",
            &["ngày cấp", "issue date"],
            K::Date,
            false,
        ),
        col(
            "card_expires_on",
            "Thẻ hết hạn ngày",
            "Card expires on",
            &[
                "ngày hết hạn",
                "hạn thẻ",
                "thời hạn thẻ",
                "expiry date",
                "expires",
            ],
            K::Date,
            false,
        ),
        locality(),
        NOTES,
    ]
}

fn overseas() -> Vec<Column> {
    vec![
        ID,
        LINK,
        col(
            "kind",
            "Hội hay cá nhân",
            "Kind",
            &["loại", "phân loại", "hội/cá nhân", "type"],
            K::Choice(OVERSEAS_KIND),
            true,
        ),
        col(
            "name",
            "Tên hội, cá nhân",
            "Name",
            &[
                "họ và tên",
                "họ tên",
                "tên",
                "tên hội",
                "tên tổ chức",
                "tên hội, đoàn thể",
                "full name",
            ],
            K::Text,
            true,
        ),
        col(
            "country",
            "Nước cư trú",
            "Country",
            &[
                "quốc gia",
                "nước",
                "nơi cư trú",
                "quốc gia cư trú",
                "nước sở tại",
                "country of residence",
            ],
            K::Country,
            true,
        ),
        col(
            "city",
            "Thành phố",
            "City",
            &["tỉnh, bang", "bang", "thành phố cư trú", "city"],
            K::Text,
            false,
        ),
        col(
            "field",
            "Lĩnh vực hoạt động",
            "Field of activity",
            &[
                "lĩnh vực",
                "ngành nghề",
                "nghề nghiệp",
                "field",
                "occupation",
            ],
            K::Text,
            false,
        ),
        col(
            "contact",
            "Liên hệ",
            "Contact",
            &[
                "thông tin liên hệ",
                "địa chỉ liên hệ",
                "điện thoại, email",
                "contact details",
            ],
            K::Text,
            false,
        ),
        col(
            "consent",
            "Đồng ý lưu dữ liệu cá nhân",
            "Consent to keep personal data",
            &["đồng ý", "đã đồng ý", "consent"],
            K::Bool,
            false,
        ),
        col(
            "consent_on",
            "Ngày đồng ý",
            "Consent date",
            &["consent on"],
            K::Date,
            false,
        ),
        NOTES,
    ]
}

fn observation() -> Vec<Column> {
    vec![
        ID,
        LINK,
        col(
            "indicator",
            "Chỉ tiêu",
            "Indicator",
            &[
                "tên chỉ tiêu",
                "chỉ số",
                "nội dung chỉ tiêu",
                "indicator name",
            ],
            K::Choice(*INDICATOR),
            true,
        ),
        locality(),
        col(
            "period",
            "Kỳ số liệu",
            "Period",
            &[
                "năm",
                "kỳ",
                "kỳ báo cáo",
                "thời kỳ",
                "giai đoạn",
                "year",
                "reporting period",
            ],
            K::Period,
            true,
        ),
        col(
            "value",
            "Giá trị",
            "Value",
            &["số liệu", "giá trị số liệu", "kết quả", "figure", "amount"],
            K::Decimal,
            true,
        ),
        col(
            "unit",
            "Đơn vị",
            "Unit",
            &["đơn vị tính", "ĐVT", "unit of measure"],
            K::Choice(OBS_UNIT),
            true,
        ),
        col(
            "qualifier",
            "Mức chính xác",
            "Qualifier",
            &["độ chính xác", "qualifier"],
            K::Choice(QUALIFIER),
            false,
        ),
        col(
            "change_pct",
            "Tăng, giảm (%)",
            "Change (%)",
            &[
                "tăng giảm",
                "tăng/giảm so với cùng kỳ",
                "so với cùng kỳ",
                "tốc độ tăng",
                "change",
                "growth",
            ],
            K::Decimal,
            false,
        ),
        col(
            "source",
            "Nguồn",
            "Source",
            &["cách nhập", "source"],
            K::Choice(SOURCE),
            false,
        ),
        col(
            "source_document",
            "Tài liệu nguồn",
            "Source document",
            &["văn bản nguồn", "nguồn số liệu", "trích từ", "document"],
            K::Text,
            false,
        ),
        col(
            "note",
            "Ghi chú",
            "Note",
            &["chú thích", "notes", "remarks"],
            K::LongText,
            false,
        ),
    ]
}

fn catalog() -> Vec<Column> {
    vec![
        ID,
        LINK,
        col(
            "translations.vi.name",
            "Tên dự án",
            "Name (Vietnamese)",
            &[
                "tên dự án kêu gọi đầu tư",
                "tên dự án (tiếng việt)",
                "dự án",
                "tên",
                "project name",
                "project",
            ],
            K::Text,
            true,
        ),
        col(
            "translations.vi.summary",
            "Giới thiệu dự án",
            "Summary (Vietnamese)",
            &[
                "mục tiêu",
                "quy mô",
                "mục tiêu, quy mô",
                "mục tiêu quy mô dự án",
                "mô tả",
                "mô tả dự án",
                "nội dung",
                "summary",
                "description",
            ],
            K::LongText,
            false,
        ),
        col(
            "translations.vi.incentives",
            "Ưu đãi đầu tư",
            "Incentives (Vietnamese)",
            &[
                "ưu đãi",
                "chính sách ưu đãi",
                "ưu đãi, hỗ trợ",
                "chính sách ưu đãi đầu tư",
                "incentives",
            ],
            K::LongText,
            false,
        ),
        col(
            "translations.vi.location",
            "Địa điểm",
            "Location (Vietnamese)",
            &[
                "địa điểm thực hiện",
                "địa điểm dự án",
                "vị trí",
                "location",
                "site",
            ],
            K::Text,
            false,
        ),
        col(
            "translations.en.name",
            "Tên dự án (tiếng Anh)",
            "Name (English)",
            &["tên tiếng anh", "english name", "project name (english)"],
            K::Text,
            false,
        ),
        col(
            "translations.en.summary",
            "Giới thiệu dự án (tiếng Anh)",
            "Summary (English)",
            &["mô tả tiếng anh", "summary in english"],
            K::LongText,
            false,
        ),
        col(
            "translations.en.incentives",
            "Ưu đãi đầu tư (tiếng Anh)",
            "Incentives (English)",
            &["incentives in english"],
            K::LongText,
            false,
        ),
        col(
            "translations.en.location",
            "Địa điểm (tiếng Anh)",
            "Location (English)",
            &["location in english"],
            K::Text,
            false,
        ),
        col(
            "translations",
            "Bản dịch khác (JSON)",
            "Other translations (JSON)",
            &["bản dịch khác", "other translations"],
            K::Json,
            false,
        ),
        col(
            "sector",
            "Lĩnh vực",
            "Sector",
            &[
                "ngành",
                "lĩnh vực kêu gọi đầu tư",
                "lĩnh vực đầu tư",
                "ngành nghề",
                "field",
                "industry",
            ],
            K::Choice(*SECTOR),
            true,
        ),
        col(
            "status",
            "Trạng thái",
            "Status",
            &["tình trạng", "state"],
            K::Choice(CATALOG_STATUS),
            false,
        ),
        locality(),
        col(
            "area_ha",
            "Diện tích (ha)",
            "Area (ha)",
            &[
                "diện tích",
                "quy mô diện tích",
                "diện tích đất",
                "diện tích sử dụng đất",
                "area",
            ],
            K::Decimal,
            false,
        ),
        col(
            "capital",
            "Tổng vốn đầu tư",
            "Capital",
            &[
                "vốn đầu tư",
                "tổng mức đầu tư",
                "sơ bộ tổng vốn đầu tư",
                "dự kiến tổng vốn đầu tư",
                "tổng vốn",
                "vốn",
                "investment",
                "total investment",
            ],
            K::Money,
            false,
        ),
        col(
            "capital.currency",
            "Đơn vị tiền (vốn)",
            "Currency (capital)",
            &[
                "đơn vị tiền",
                "loại tiền",
                "tiền tệ",
                "đơn vị tính",
                "ĐVT",
                "currency",
            ],
            K::Currency,
            false,
        ),
        col(
            "countries_of_interest",
            "Quốc gia mục tiêu",
            "Countries of interest",
            &[
                "thị trường mục tiêu",
                "nhà đầu tư mục tiêu",
                "đối tác mục tiêu",
                "quốc gia mục tiêu xúc tiến đầu tư",
                "target countries",
                "target markets",
            ],
            K::Countries,
            false,
        ),
        col(
            "contact.name",
            "Người liên hệ",
            "Contact person",
            &["đầu mối liên hệ", "cơ quan liên hệ", "liên hệ", "contact"],
            K::Text,
            false,
        ),
        col(
            "contact.position",
            "Chức vụ người liên hệ",
            "Contact's position",
            &["chức vụ"],
            K::Text,
            false,
        ),
        col(
            "contact.email",
            "Thư điện tử liên hệ",
            "Contact email",
            &["email", "e-mail", "thư điện tử"],
            K::Text,
            false,
        ),
        col(
            "contact.phone",
            "Điện thoại liên hệ",
            "Contact phone",
            &["điện thoại", "số điện thoại", "phone", "tel"],
            K::Text,
            false,
        ),
        NOTES,
    ]
}

fn publication() -> Vec<Column> {
    vec![
        ID,
        LINK,
        col(
            "title",
            "Tên ấn phẩm",
            "Title",
            &["ấn phẩm", "tên", "tên bản tin", "tên sách", "name"],
            K::Text,
            true,
        ),
        col(
            "kind",
            "Loại ấn phẩm",
            "Kind",
            &["loại", "hình thức", "thể loại", "type"],
            K::Choice(PUBLICATION_KIND),
            true,
        ),
        col(
            "year",
            "Năm",
            "Year",
            &["năm phát hành", "năm xuất bản", "year published"],
            K::Integer,
            true,
        ),
        col(
            "issues",
            "Số kỳ",
            "Issues",
            &["số kỳ phát hành", "kỳ/năm", "số số", "number of issues"],
            K::Integer,
            false,
        ),
        col(
            "languages",
            "Ngôn ngữ",
            "Languages",
            &["ngôn ngữ phát hành", "thứ tiếng", "language"],
            K::Choices(LANGUAGE),
            false,
        ),
        col(
            "print_run",
            "Số lượng in",
            "Print run",
            &["số bản", "số lượng", "số bản in", "copies"],
            K::Integer,
            false,
        ),
        col(
            "distribution",
            "Nơi phát hành",
            "Distribution",
            &["phát hành tới", "đối tượng", "nơi gửi", "distributed to"],
            K::Text,
            false,
        ),
        locality(),
        NOTES,
    ]
}

fn training() -> Vec<Column> {
    vec![
        ID,
        LINK,
        col(
            "topic",
            "Nội dung bồi dưỡng",
            "Topic",
            &[
                "tên lớp",
                "chuyên đề",
                "nội dung",
                "lớp bồi dưỡng",
                "course",
            ],
            K::Text,
            true,
        ),
        col(
            "kind",
            "Loại",
            "Kind",
            &["lĩnh vực", "hình thức", "type"],
            K::Choice(TRAINING_KIND),
            true,
        ),
        col(
            "organiser",
            "Đơn vị tổ chức",
            "Organiser",
            &[
                "cơ quan tổ chức",
                "tổ chức",
                "đơn vị chủ trì",
                "organized by",
            ],
            K::Text,
            false,
        ),
        col(
            "start_on",
            "Ngày bắt đầu",
            "Start date",
            &["thời gian", "từ ngày", "ngày", "start"],
            K::Date,
            false,
        ),
        col(
            "end_on",
            "Ngày kết thúc",
            "End date",
            &["đến ngày", "end"],
            K::Date,
            false,
        ),
        col(
            "place",
            "Địa điểm",
            "Place",
            &["nơi tổ chức", "venue"],
            K::Text,
            false,
        ),
        col(
            "trainees",
            "Học viên theo đơn vị",
            "Trainees by unit",
            &["thành phần", "đơn vị cử học viên"],
            K::Json,
            false,
        ),
        col(
            "trainee_count",
            "Số học viên",
            "Trainees",
            &[
                "số lượng học viên",
                "số người tham gia",
                "số lượt người",
                "participants",
            ],
            K::Integer,
            false,
        ),
        col(
            "partner_ids",
            "Đối tác",
            "Partners",
            &["đối tác phối hợp", "nhà tài trợ", "partner"],
            K::Partners,
            false,
        ),
        locality(),
        NOTES,
    ]
}

fn ngo_registration() -> Vec<Column> {
    vec![
        ID,
        LINK,
        col(
            "name",
            "Tên tổ chức",
            "Organisation",
            &[
                "tên tổ chức phi chính phủ",
                "tổ chức",
                "tên",
                "tên tổ chức pcp",
                "ngo",
                "name",
            ],
            K::Text,
            true,
        ),
        col(
            "partner_id",
            "Đối tác",
            "Partner",
            &["đối tác", "partner"],
            K::Partner,
            false,
        ),
        col(
            "country",
            "Quốc tịch",
            "Country",
            &["quốc gia", "nước", "nationality"],
            K::Country,
            false,
        ),
        col(
            "kind",
            "Loại giấy đăng ký",
            "Registration",
            &["loại giấy", "loại", "hình thức", "type"],
            K::Choice(NGO_REGISTRATION_KIND),
            true,
        ),
        col(
            "number",
            "Số giấy đăng ký",
            "Number",
            &["số giấy", "số đăng ký", "số", "number"],
            K::Text,
            true,
        ),
        col(
            "issued_on",
            "Ngày cấp",
            "Issued",
            &["ngày cấp giấy", "cấp ngày", "issued"],
            K::Date,
            true,
        ),
        col(
            "valid_until",
            "Có giá trị đến",
            "Valid until",
            &["thời hạn", "hết hạn", "ngày hết hạn", "expiry"],
            K::Date,
            false,
        ),
        col(
            "sectors",
            "Lĩnh vực hoạt động",
            "Fields",
            &["lĩnh vực", "lĩnh vực đăng ký", "fields", "sectors"],
            K::Choices(*SECTOR),
            false,
        ),
        col(
            "provinces",
            "Địa bàn hoạt động",
            "Provinces of work",
            &["địa bàn", "tỉnh hoạt động", "provinces"],
            K::Choices(*LOCALITY),
            false,
        ),
        col(
            "ended_on",
            "Ngày chấm dứt",
            "Ended",
            &["chấm dứt", "thu hồi", "ended"],
            K::Date,
            false,
        ),
        locality(),
        NOTES,
    ]
}

fn conference_permit() -> Vec<Column> {
    vec![
        ID,
        LINK,
        col(
            "title",
            "Tên hội nghị, hội thảo",
            "Title",
            &["tên hội nghị", "tên hội thảo", "tên", "title"],
            K::Text,
            true,
        ),
        col(
            "kind",
            "Loại",
            "Kind",
            &["hình thức", "loại hình", "type"],
            K::Choice(CONFERENCE_KIND),
            true,
        ),
        col(
            "organiser",
            "Cơ quan tổ chức",
            "Organiser",
            &["đơn vị tổ chức", "cơ quan đề nghị", "organizer"],
            K::Text,
            true,
        ),
        col(
            "partner_ids",
            "Đối tác nước ngoài",
            "Foreign partners",
            &["đồng tổ chức", "nhà tài trợ", "partners"],
            K::Partners,
            false,
        ),
        col(
            "start_on",
            "Ngày khai mạc",
            "Opens",
            &["từ ngày", "thời gian", "ngày bắt đầu", "start"],
            K::Date,
            true,
        ),
        col(
            "end_on",
            "Ngày bế mạc",
            "Closes",
            &["đến ngày", "ngày kết thúc", "end"],
            K::Date,
            false,
        ),
        col(
            "format",
            "Hình thức tổ chức",
            "Format",
            &["trực tiếp/trực tuyến", "format"],
            K::Choice(CONFERENCE_FORMAT),
            false,
        ),
        col(
            "venue",
            "Địa điểm",
            "Venue",
            &["nơi tổ chức", "venue"],
            K::Text,
            false,
        ),
        col(
            "countries",
            "Quốc gia tham dự",
            "Countries",
            &["nước tham dự", "quốc tịch đại biểu", "countries"],
            K::Countries,
            false,
        ),
        col(
            "participants",
            "Số đại biểu",
            "Participants",
            &["tổng số đại biểu", "số người tham dự", "participants"],
            K::Integer,
            false,
        ),
        col(
            "foreign_participants",
            "Số đại biểu nước ngoài",
            "Foreign participants",
            &["đại biểu nước ngoài", "foreign participants"],
            K::Integer,
            false,
        ),
        col(
            "highest_rank",
            "Cấp cao nhất tham dự",
            "Highest rank",
            &["thành phần cao nhất", "cấp tham dự", "rank"],
            K::Choice(FOREIGN_RANK),
            false,
        ),
        col(
            "sensitive_topics",
            "Nội dung nhạy cảm",
            "Sensitive topics",
            &["nội dung liên quan", "sensitive"],
            K::Choices(SENSITIVE_TOPIC),
            false,
        ),
        col(
            "topics",
            "Nội dung",
            "Topics",
            &["chủ đề", "nội dung chính", "topics"],
            K::LongText,
            false,
        ),
        col(
            "funding",
            "Nguồn kinh phí",
            "Funding",
            &["kinh phí từ", "funding"],
            K::Text,
            false,
        ),
        col(
            "budget",
            "Kinh phí",
            "Budget",
            &["dự toán", "budget"],
            K::Money,
            false,
        ),
        col(
            "budget.currency",
            "Đơn vị tiền (kinh phí)",
            "Currency (budget)",
            &["đơn vị tiền"],
            K::Currency,
            false,
        ),
        col(
            "authority",
            "Thẩm quyền cho phép",
            "Permitted by",
            &["thẩm quyền", "cấp cho phép", "authority"],
            K::Choice(AUTHORITY),
            false,
        ),
        col(
            "received_on",
            "Ngày nhận hồ sơ",
            "Dossier received",
            &["nhận hồ sơ", "ngày nộp", "received"],
            K::Date,
            false,
        ),
        col(
            "consultations",
            "Lấy ý kiến",
            "Consultations",
            &["xin ý kiến", "ý kiến các cơ quan"],
            K::Json,
            false,
        ),
        col(
            "submitted_on",
            "Ngày trình",
            "Submitted",
            &["trình ngày", "submitted"],
            K::Date,
            false,
        ),
        col(
            "decision_number",
            "Số văn bản cho phép",
            "Decision number",
            &["số quyết định", "số văn bản", "decision"],
            K::Text,
            false,
        ),
        col(
            "decided_on",
            "Ngày cho phép",
            "Decided",
            &["ngày quyết định", "ngày văn bản", "decided"],
            K::Date,
            false,
        ),
        col(
            "event_id",
            "Sự kiện đã tổ chức (mã)",
            "Event held (record ID)",
            &["sự kiện", "event"],
            K::Id,
            false,
        ),
        col(
            "report_due",
            "Hạn báo cáo kết quả",
            "Report due",
            &["hạn báo cáo"],
            K::Date,
            false,
        ),
        col(
            "reported_on",
            "Ngày báo cáo kết quả",
            "Reported",
            &["đã báo cáo ngày", "reported"],
            K::Date,
            false,
        ),
        col(
            "status",
            "Trạng thái",
            "Status",
            &["tình trạng", "status"],
            K::Choice(CONFERENCE_STATUS),
            false,
        ),
        locality(),
        NOTES,
    ]
}

fn consular_case() -> Vec<Column> {
    vec![
        ID,
        LINK,
        col(
            "kind",
            "Loại vụ việc",
            "Kind",
            &["loại", "kind"],
            K::Choice(CONSULAR_KIND),
            true,
        ),
        col(
            "incident",
            "Vụ việc",
            "Incident",
            &["tóm tắt vụ việc", "nội dung", "summary", "incident"],
            K::Text,
            true,
        ),
        col(
            "person.name",
            "Họ tên",
            "Name",
            &["họ và tên", "công dân", "name"],
            K::Text,
            true,
        ),
        col(
            "person.birth_year",
            "Năm sinh",
            "Year of birth",
            &["sinh năm", "born"],
            K::Integer,
            false,
        ),
        col(
            "person.document_number",
            "Số hộ chiếu, giấy tờ",
            "Document number",
            &["hộ chiếu", "số hộ chiếu", "passport"],
            K::Text,
            false,
        ),
        col(
            "person.home",
            "Quê quán, địa chỉ",
            "Home",
            &["địa chỉ", "quê quán", "address"],
            K::Text,
            false,
        ),
        col(
            "person.contact",
            "Người liên hệ",
            "Contact",
            &["thân nhân", "gia đình", "contact"],
            K::Text,
            false,
        ),
        col(
            "person.consent",
            "Đồng ý xử lý dữ liệu cá nhân",
            "Consent",
            &["đồng ý", "consent"],
            K::Bool,
            false,
        ),
        col(
            "person.consent_on",
            "Ngày đồng ý",
            "Consent date",
            &["ngày đồng ý"],
            K::Date,
            false,
        ),
        col(
            "nationality",
            "Quốc tịch",
            "Nationality",
            &["quốc tịch", "nationality"],
            K::Country,
            true,
        ),
        col(
            "country",
            "Nơi xảy ra",
            "Where",
            &["quốc gia xảy ra", "nước sở tại", "country"],
            K::Country,
            false,
        ),
        col(
            "mission",
            "Cơ quan đại diện, đại sứ quán",
            "Mission or embassy",
            &["cơ quan đại diện", "đại sứ quán", "lãnh sự quán", "mission"],
            K::Text,
            false,
        ),
        col(
            "agencies",
            "Cơ quan phối hợp",
            "Agencies",
            &["phối hợp", "agencies"],
            K::Json,
            false,
        ),
        col(
            "opened_on",
            "Ngày tiếp nhận",
            "Opened",
            &["ngày nhận tin", "ngày tiếp nhận", "opened"],
            K::Date,
            true,
        ),
        col(
            "actions",
            "Diễn biến xử lý",
            "Actions",
            &["quá trình xử lý", "actions"],
            K::Json,
            false,
        ),
        col(
            "resolved_on",
            "Ngày giải quyết xong",
            "Resolved",
            &["giải quyết xong", "resolved"],
            K::Date,
            false,
        ),
        col(
            "closed_on",
            "Ngày đóng hồ sơ",
            "Closed",
            &["đóng hồ sơ", "closed"],
            K::Date,
            false,
        ),
        col(
            "status",
            "Trạng thái",
            "Status",
            &["tình trạng", "status"],
            K::Choice(CONSULAR_STATUS),
            false,
        ),
        locality(),
        NOTES,
    ]
}

fn plan() -> Vec<Column> {
    vec![
        ID,
        LINK,
        col(
            "kind",
            "Loại văn bản",
            "Kind",
            &["loại", "kind"],
            K::Choice(PLAN_KIND),
            true,
        ),
        col(
            "title",
            "Tên văn bản",
            "Title",
            &["trích yếu", "tên kế hoạch", "title"],
            K::Text,
            true,
        ),
        col(
            "year",
            "Năm",
            "Year",
            &["năm kế hoạch", "year"],
            K::Integer,
            true,
        ),
        col(
            "reference",
            "Số, ký hiệu",
            "Reference",
            &["số hiệu", "số văn bản", "số kế hoạch", "reference"],
            K::Text,
            false,
        ),
        col(
            "signed_on",
            "Ngày ban hành",
            "Signed",
            &["ngày ký", "ngày ban hành", "issued"],
            K::Date,
            false,
        ),
        col(
            "issuer",
            "Cơ quan ban hành",
            "Issued by",
            &["nơi ban hành", "issuer"],
            K::Text,
            false,
        ),
        col(
            "tasks",
            "Nhiệm vụ",
            "Tasks",
            &["các nhiệm vụ", "tasks"],
            K::Json,
            false,
        ),
        locality(),
        NOTES,
    ]
}

static TABLES: LazyLock<Vec<Vec<Column>>> = LazyLock::new(|| {
    RecordType::ALL
        .iter()
        .map(|rt| match rt {
            RecordType::Partner => partner(),
            RecordType::Agreement => agreement(),
            RecordType::Delegation => delegation(),
            RecordType::Project => project(),
            RecordType::Event => event(),
            RecordType::AbtcApproval => abtc(),
            RecordType::OverseasContact => overseas(),
            RecordType::Observation => observation(),
            RecordType::CatalogProject => catalog(),
            RecordType::Publication => publication(),
            RecordType::TrainingCourse => training(),
            RecordType::NgoRegistration => ngo_registration(),
            RecordType::ConferencePermit => conference_permit(),
            RecordType::ConsularCase => consular_case(),
            RecordType::Plan => plan(),
        })
        .collect()
});

pub(crate) fn type_index(rt: RecordType) -> usize {
    RecordType::ALL.iter().position(|t| *t == rt).unwrap_or(0)
}

/// The columns of a record type, in the order templates and exports write them.
pub fn columns(rt: RecordType) -> &'static [Column] {
    &TABLES[type_index(rt)]
}

/// One column of a type by key.
pub fn column(rt: RecordType, key: &str) -> Option<&'static Column> {
    columns(rt).iter().find(|c| c.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::header_norm;
    use std::collections::HashMap;

    #[test]
    fn every_body_field_has_a_column() {
        for rt in RecordType::ALL {
            let schema = ngoaivu_core::records::body_schema(rt);
            let props = schema
                .get("properties")
                .and_then(|p| p.as_object())
                .unwrap();
            for field in props.keys() {
                assert!(
                    columns(rt)
                        .iter()
                        .any(|c| c.key == field || c.key.starts_with(&format!("{field}."))),
                    "{rt:?}.{field} has no column"
                );
            }
            for c in columns(rt) {
                let top = c.key.split('.').next().unwrap();
                assert!(
                    c.export_only() || props.contains_key(top),
                    "{rt:?}: column {} is no field",
                    c.key
                );
            }
        }
    }

    #[test]
    fn headers_are_unique_within_a_type() {
        for rt in RecordType::ALL {
            let mut seen: HashMap<String, &str> = HashMap::new();
            for c in columns(rt) {
                for h in [c.vi, c.en] {
                    let n = header_norm(h).0;
                    if let Some(other) = seen.insert(n.clone(), c.key) {
                        assert_eq!(
                            other, c.key,
                            "{rt:?}: header “{h}” of {} is also {other}'s",
                            c.key
                        );
                    }
                }
            }
            // A synonym never equals another column's own header.
            for c in columns(rt) {
                for s in c.synonyms {
                    let n = header_norm(s).0;
                    if let Some(other) = seen.get(&n) {
                        assert_eq!(
                            *other, c.key,
                            "{rt:?}: synonym “{s}” of {} is {other}'s header",
                            c.key
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn choice_labels_are_unique_and_cover_the_codes() {
        use ngoaivu_core::records::*;
        let lists: Vec<(&[Choice], &[&str])> = vec![
            (PARTNER_KIND, PARTNER_KINDS),
            (AGREEMENT_KIND, AGREEMENT_KINDS),
            (AGREEMENT_STATUS, AGREEMENT_STATUSES),
            (VN_LEVEL, VN_LEVELS),
            (AID_FORM, AID_FORMS),
            (REPORTING_CYCLE, REPORTING_CYCLES),
            (DIRECTION, DIRECTIONS),
            (DELEGATION_STATUS, DELEGATION_STATUSES),
            (PROJECT_KIND, PROJECT_KINDS),
            (PROJECT_STATUS, PROJECT_STATUSES),
            (EVENT_KIND, EVENT_KINDS),
            (ABTC_STATUS, ABTC_STATUSES),
            (CATALOG_STATUS, CATALOG_STATUSES),
            (OVERSEAS_KIND, OVERSEAS_KINDS),
            (PUBLICATION_KIND, PublicationKind::CODES),
            (TRAINING_KIND, TrainingKind::CODES),
            (NGO_REGISTRATION_KIND, NgoRegistrationKind::CODES),
            (CONFERENCE_KIND, ConferenceKind::CODES),
            (CONFERENCE_FORMAT, ConferenceFormat::CODES),
            (FOREIGN_RANK, ForeignRank::CODES),
            (SENSITIVE_TOPIC, SensitiveTopic::CODES),
            (AUTHORITY, Authority::CODES),
            (CONFERENCE_STATUS, ConferenceStatus::CODES),
            (CONSULAR_KIND, ConsularKind::CODES),
            (CONSULAR_STATUS, ConsularStatus::CODES),
            (PLAN_KIND, PlanKind::CODES),
            (QUALIFIER, QUALIFIERS),
            (SOURCE, SOURCES),
            (OBS_UNIT, OBS_UNITS),
        ];
        for (list, codes) in lists {
            let mine: Vec<&str> = list.iter().map(|c| c.code).collect();
            assert_eq!(mine, codes.to_vec());
        }
        for list in [
            *SECTOR,
            *INDICATOR,
            *LOCALITY,
            PARTNER_KIND,
            DELEGATION_STATUS,
            PROJECT_STATUS,
        ] {
            let idx = crate::values::ChoiceIndex::new(list);
            for c in list {
                for label in [c.vi, c.en, c.code] {
                    assert_eq!(idx.find(label), Some(c.code), "{label}");
                }
            }
        }
    }
}
