//! Labels in Vietnamese and English: record values (kinds, statuses …),
//! field names, units, and value formatting (numbers, dates, countries).

use ngoaivu_core::refdata::refdata;
use ngoaivu_core::{Lang, RecordType};
use rust_decimal::Decimal;
use std::str::FromStr;

/// Pick the Vietnamese or the English text.
pub fn t(lang: Lang, vi: &'static str, en: &'static str) -> &'static str {
    lang.pick(vi, en)
}

/// Labels of the coded values (kinds, statuses, directions, qualifiers …).
const VALUES: &[(&str, &str, &str)] = &[
    // partner kinds
    (
        "foreign_locality",
        "Địa phương nước ngoài",
        "Foreign locality",
    ),
    ("ngo", "Tổ chức phi chính phủ nước ngoài", "Foreign NGO"),
    (
        "international_org",
        "Tổ chức quốc tế",
        "International organisation",
    ),
    ("enterprise", "Doanh nghiệp", "Enterprise"),
    (
        "university",
        "Trường đại học, viện nghiên cứu",
        "University or institute",
    ),
    (
        "chamber_of_commerce",
        "Phòng thương mại, hiệp hội",
        "Chamber of commerce",
    ),
    (
        "ministry",
        "Bộ, ngành nước ngoài",
        "Foreign ministry or agency",
    ),
    (
        "diplomatic_mission",
        "Cơ quan đại diện nước ngoài",
        "Foreign diplomatic mission",
    ),
    (
        "political_party",
        "Chính đảng nước ngoài",
        "Foreign political party",
    ),
    ("friendship_society", "Hội hữu nghị", "Friendship society"),
    ("other", "Khác", "Other"),
    // agreement kinds
    ("agreement", "Thỏa thuận quốc tế", "International agreement"),
    ("mou", "Biên bản ghi nhớ", "Memorandum of understanding"),
    ("twinning", "Kết nghĩa", "Twinning"),
    // agreement statuses
    ("draft", "Dự thảo", "Draft"),
    ("consulting", "Đang lấy ý kiến", "Under consultation"),
    ("approved", "Đã phê duyệt", "Approved"),
    ("signed", "Đã ký", "Signed"),
    ("in_force", "Đang có hiệu lực", "In force"),
    ("expired", "Hết hiệu lực", "Expired"),
    ("terminated", "Đã chấm dứt", "Terminated"),
    ("renewed", "Đã gia hạn", "Extended"),
    ("amended", "Đã sửa đổi, bổ sung", "Amended"),
    (
        "referred_pm",
        "Đã báo cáo Thủ tướng (còn ý kiến khác nhau)",
        "Referred to the Prime Minister",
    ),
    // agreement acts ("approved", "refused" … are above)
    ("resumed", "Có hiệu lực trở lại", "Back in force"),
    // the Vietnamese party's level
    (
        "province",
        "HĐND, UBND cấp tỉnh",
        "Province (People's Council or Committee)",
    ),
    (
        "department",
        "Sở, cơ quan cấp tỉnh",
        "Provincial department",
    ),
    (
        "former_district",
        "UBND cấp huyện (trước 01/7/2025)",
        "District (before 1 July 2025)",
    ),
    ("border_commune", "UBND xã biên giới", "Border commune"),
    (
        "provincial_organisation",
        "Cơ quan cấp tỉnh của tổ chức",
        "Provincial body of an organisation",
    ),
    // delegations
    ("inbound", "Đoàn vào", "Inbound"),
    ("outbound", "Đoàn ra", "Outbound"),
    ("submitted", "Đã trình", "Submitted"),
    ("rejected", "Không phê duyệt", "Rejected"),
    ("travelling", "Đang đi công tác", "Travelling"),
    ("returned", "Đã về nước", "Returned"),
    ("planned", "Dự kiến", "Planned"),
    ("confirmed", "Đã xác nhận", "Confirmed"),
    ("received", "Đã đón tiếp", "Received"),
    ("reported", "Đã báo cáo kết quả", "Reported"),
    ("cancelled", "Đã hủy", "Cancelled"),
    // projects
    ("fdi", "Dự án FDI", "FDI project"),
    ("oda", "Dự án ODA", "ODA project"),
    ("ngo_aid", "Viện trợ PCPNN", "Foreign NGO aid"),
    ("proposed", "Đề xuất", "Proposed"),
    ("appraisal", "Đang thẩm định", "Under appraisal"),
    ("active", "Đang thực hiện", "Active"),
    ("completed", "Đã hoàn thành", "Completed"),
    ("suspended", "Tạm dừng", "Suspended"),
    // aid: forms, transactions, reporting ("project" of a form is the
    // same word as the record)
    ("programme", "Chương trình", "Programme"),
    ("project", "Dự án", "Project"),
    ("non_project", "Phi dự án", "Non-project aid"),
    ("commitment", "Cam kết", "Commitment"),
    ("disbursement", "Giải ngân", "Disbursement"),
    ("expenditure", "Chi tiêu", "Expenditure"),
    ("actual", "Thực hiện", "Actual"),
    ("counterpart", "Vốn đối ứng", "Counterpart funds"),
    ("monthly", "Hằng tháng", "Monthly"),
    ("six_monthly", "6 tháng", "Six-monthly"),
    ("yearly", "Hằng năm", "Yearly"),
    // events
    ("trade_promotion", "Xúc tiến thương mại", "Trade promotion"),
    (
        "investment_promotion",
        "Xúc tiến đầu tư",
        "Investment promotion",
    ),
    ("fair", "Hội chợ, triển lãm", "Fair or exhibition"),
    ("conference", "Hội nghị quốc tế", "International conference"),
    ("seminar", "Hội thảo quốc tế", "International seminar"),
    ("cultural", "Ngoại giao văn hóa", "Cultural diplomacy"),
    (
        "foreign_information",
        "Thông tin đối ngoại",
        "Foreign information",
    ),
    // publications
    ("bulletin", "Bản tin", "Bulletin"),
    ("book", "Sách", "Book"),
    ("leaflet", "Tờ gấp, tài liệu quảng bá", "Leaflet"),
    ("video", "Phim, video", "Film or video"),
    ("website", "Trang thông tin điện tử", "Website"),
    // training courses
    (
        "foreign_affairs",
        "Kiến thức, nghiệp vụ đối ngoại",
        "Foreign-affairs knowledge",
    ),
    ("protocol", "Lễ tân đối ngoại", "Diplomatic protocol"),
    ("language", "Ngoại ngữ", "Foreign language"),
    (
        "international_integration",
        "Hội nhập quốc tế",
        "International integration",
    ),
    // foreign NGO registrations
    (
        "operation",
        "Giấy đăng ký hoạt động",
        "Operation registration",
    ),
    (
        "project_office",
        "Giấy đăng ký lập Văn phòng dự án",
        "Project office registration",
    ),
    (
        "representative_office",
        "Giấy đăng ký lập Văn phòng đại diện",
        "Representative office registration",
    ),
    // ABTC
    ("applied", "Đã nộp hồ sơ", "Applied"),
    ("checked", "Đã thẩm định", "Checked"),
    ("refused", "Không chấp thuận", "Refused"),
    ("issued", "Đã cấp thẻ", "Card issued"),
    // overseas
    ("association", "Hội, đoàn thể", "Association"),
    ("person", "Cá nhân", "Person"),
    // observations
    ("exact", "Chính xác", "Exact"),
    ("over", "Trên", "Over"),
    ("under", "Dưới", "Under"),
    ("about", "Khoảng", "About"),
    ("manual", "Nhập tay", "Entered by hand"),
    ("import", "Nhập từ tệp", "Imported"),
    ("reader", "Đọc từ báo cáo", "Read from a report"),
    ("derived", "Tính toán", "Derived"),
    // ABTC pre-clearance
    ("pending", "Đang chờ", "Pending"),
    ("cleared", "Đã chấp thuận trước", "Pre-cleared"),
    // signatory sides
    ("vn", "Phía Việt Nam", "Vietnamese side"),
    ("foreign", "Phía nước ngoài", "Foreign side"),
    // roles and organisation kinds
    ("viewer", "Xem", "Viewer"),
    ("editor", "Biên tập", "Editor"),
    ("approver", "Phê duyệt", "Approver"),
    ("admin", "Quản trị", "Administrator"),
    // audit actions
    ("create", "Tạo mới", "Created"),
    ("update", "Sửa", "Edited"),
    ("transition", "Chuyển bước quy trình", "Workflow step"),
    ("delete", "Xóa", "Deleted"),
    ("rotate", "Cấp địa chỉ lịch mới", "New calendar address"),
    ("read", "Xem hồ sơ", "Read"),
    // catalog statuses ("draft" is above)
    ("published", "Đã công bố", "Published"),
    ("withdrawn", "Đã rút khỏi danh mục", "Withdrawn"),
    ("attach", "Đính kèm tệp", "File attached"),
    ("detach", "Gỡ tệp đính kèm", "File removed"),
    ("bulk", "Nạp hàng loạt", "Bulk load"),
    // conference permits
    ("roundtable", "Tọa đàm quốc tế", "International round table"),
    ("forum", "Diễn đàn quốc tế", "International forum"),
    ("in_person", "Trực tiếp", "In person"),
    ("online", "Trực tuyến", "Online"),
    ("hybrid", "Trực tiếp kết hợp trực tuyến", "Hybrid"),
    (
        "head_of_state",
        "Nguyên thủ, người đứng đầu Chính phủ, Quốc hội",
        "Head of state, government or parliament",
    ),
    (
        "minister",
        "Bộ trưởng hoặc tương đương",
        "Minister or equivalent",
    ),
    (
        "sovereignty",
        "Chủ quyền, biên giới, lãnh thổ",
        "Sovereignty and borders",
    ),
    ("security", "An ninh", "Security"),
    ("defence", "Quốc phòng", "Defence"),
    ("ethnicity", "Dân tộc", "Ethnicity"),
    ("religion", "Tôn giáo", "Religion"),
    ("human_rights", "Nhân quyền", "Human rights"),
    ("state_secrets", "Bí mật nhà nước", "State secrets"),
    ("chairman", "Chủ tịch UBND tỉnh", "Provincial chairman"),
    ("prime_minister", "Thủ tướng Chính phủ", "Prime Minister"),
    ("filed", "Đã nhận hồ sơ", "Dossier filed"),
    ("permitted", "Đã cho phép", "Permitted"),
    ("held", "Đã tổ chức", "Held"),
    // consular cases
    (
        "distress",
        "Công dân gặp nạn ở nước ngoài",
        "Citizen in distress abroad",
    ),
    (
        "arrested",
        "Công dân bị bắt, tạm giữ",
        "Citizen arrested or detained",
    ),
    ("deceased", "Công dân tử vong", "Citizen deceased"),
    (
        "repatriated",
        "Công dân hồi hương, bị trục xuất",
        "Citizen repatriated",
    ),
    (
        "foreigner_incident",
        "Vụ việc liên quan người nước ngoài",
        "Incident involving a foreigner",
    ),
    ("opened", "Mới tiếp nhận", "Opened"),
    ("verifying", "Đang xác minh", "Verifying"),
    ("handling", "Đang xử lý", "Being handled"),
    ("resolved", "Đã giải quyết", "Resolved"),
    ("closed", "Đã đóng hồ sơ", "Closed"),
    // plans
    (
        "yearly_plan",
        "Kế hoạch đối ngoại năm",
        "Yearly foreign-affairs plan",
    ),
    ("directive", "Chỉ thị", "Directive"),
    ("resolution", "Nghị quyết", "Resolution"),
    ("programme", "Chương trình, đề án", "Programme"),
    ("not_started", "Chưa thực hiện", "Not started"),
    ("in_progress", "Đang thực hiện", "In progress"),
    ("done", "Hoàn thành", "Done"),
    ("dropped", "Không thực hiện", "Dropped"),
];

/// The label of a coded value; the code itself when unknown.
pub fn value_label(code: &str, lang: Lang) -> String {
    VALUES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, vi, en)| lang.pick(vi, en).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// Field names of the record bodies.
const FIELDS: &[(&str, &str, &str)] = &[
    ("name", "Tên", "Name"),
    (
        "translations",
        "Nội dung theo ngôn ngữ",
        "Texts by language",
    ),
    ("summary", "Giới thiệu dự án", "About the project"),
    ("incentives", "Ưu đãi đầu tư", "Investment incentives"),
    ("area_ha", "Diện tích", "Area"),
    (
        "countries_of_interest",
        "Quốc gia mục tiêu xúc tiến đầu tư",
        "Countries of interest",
    ),
    ("name_original", "Tên nguyên gốc", "Original name"),
    ("kind", "Loại", "Kind"),
    ("country", "Quốc gia", "Country"),
    ("countries", "Quốc gia", "Countries"),
    ("sectors", "Lĩnh vực", "Sectors"),
    ("sector", "Lĩnh vực", "Sector"),
    ("contacts", "Người liên hệ", "Contacts"),
    ("contact", "Liên hệ", "Contact"),
    ("website", "Trang web", "Website"),
    ("notes", "Ghi chú", "Notes"),
    ("note", "Ghi chú", "Note"),
    ("title", "Tên gọi", "Title"),
    ("partner_ids", "Đối tác", "Partners"),
    ("signed_on", "Ngày ký", "Signed on"),
    ("signed_place", "Nơi ký", "Place of signing"),
    ("signatories", "Người ký", "Signatories"),
    ("valid_from", "Hiệu lực từ", "Valid from"),
    ("valid_until", "Hiệu lực đến", "Valid until"),
    ("status", "Trạng thái", "Status"),
    ("replaces_id", "Thay thế thỏa thuận", "Replaces"),
    ("locality", "Địa phương", "Locality"),
    (
        "inherited",
        "Kế thừa từ đơn vị cũ",
        "Inherited from a former unit",
    ),
    ("direction", "Chiều", "Direction"),
    ("purpose", "Mục đích", "Purpose"),
    ("leader", "Trưởng đoàn", "Leader"),
    ("member_count", "Số thành viên", "Members"),
    ("members", "Thành viên", "Members"),
    ("start_on", "Ngày bắt đầu", "Start"),
    ("end_on", "Ngày kết thúc", "End"),
    ("budget", "Kinh phí", "Budget"),
    ("funding_source", "Nguồn kinh phí", "Funding source"),
    ("outcome", "Kết quả", "Outcome"),
    ("programme", "Chương trình làm việc", "Programme"),
    ("guests", "Khách", "Guests"),
    ("activity", "Hoạt động", "Activity"),
    ("date", "Ngày", "Date"),
    ("submitted_on", "Ngày trình", "Submitted on"),
    ("decided_on", "Ngày phê duyệt, xác nhận", "Decided on"),
    (
        "returned_on",
        "Ngày về nước, đón tiếp",
        "Returned or received on",
    ),
    ("report_due", "Hạn báo cáo", "Report due"),
    ("reported_on", "Ngày báo cáo kết quả", "Reported on"),
    ("consultations", "Lấy ý kiến", "Consultations"),
    ("asked_on", "Ngày gửi xin ý kiến", "Asked on"),
    ("answered_on", "Ngày trả lời", "Answered on"),
    ("opinion", "Ý kiến", "Opinion"),
    (
        "ministry",
        "Là Bộ Ngoại giao",
        "The Ministry of Foreign Affairs",
    ),
    (
        "reported_pm_on",
        "Ngày báo cáo Thủ tướng",
        "Reported to the Prime Minister on",
    ),
    (
        "vn_level",
        "Cấp của bên Việt Nam",
        "Vietnamese party's level",
    ),
    (
        "referred_pm_on",
        "Ngày báo cáo Thủ tướng về ý kiến khác nhau",
        "Disagreement referred to the Prime Minister on",
    ),
    (
        "permission_decision_number",
        "Số quyết định cho phép ký",
        "Permission decision number",
    ),
    (
        "permission_decision_on",
        "Ngày quyết định cho phép ký",
        "Permission decision date",
    ),
    (
        "actions",
        "Quyết định sau đó (sửa đổi, gia hạn, tạm đình chỉ, chấm dứt)",
        "Acts (amendment, extension, suspension, termination)",
    ),
    (
        "copy_to_mofa_on",
        "Ngày gửi bản sao cho Bộ Ngoại giao",
        "Copy sent to the Ministry on",
    ),
    (
        "enterprise_months",
        "Số tháng hoạt động của doanh nghiệp",
        "Months the enterprise has operated",
    ),
    (
        "applicant_months",
        "Số tháng làm việc của người đề nghị",
        "Months the applicant has worked there",
    ),
    (
        "preclearance",
        "Chấp thuận trước của các nền kinh tế",
        "Pre-clearance by economy",
    ),
    ("economy", "Nền kinh tế", "Economy"),
    ("card_number", "Số thẻ", "Card number"),
    ("card_issued_on", "Ngày cấp thẻ", "Card issued on"),
    ("card_expires_on", "Thẻ hết hạn ngày", "Card expires on"),
    // A project stored before its transactions, until saved again.
    (
        "disbursements",
        "Giải ngân theo ngày",
        "Disbursements by date",
    ),
    (
        "transactions",
        "Cam kết, giải ngân, chi tiêu theo ngày",
        "Commitments, disbursements, expenditures",
    ),
    ("aid_form", "Hình thức viện trợ", "Form of aid"),
    (
        "appraisal_started_on",
        "Ngày nhận đủ hồ sơ thẩm định",
        "Appraisal started on",
    ),
    ("appraisal_due", "Hạn thẩm định", "Appraisal due"),
    (
        "appraisal_opinions",
        "Ý kiến thẩm định",
        "Appraisal opinions",
    ),
    ("due_on", "Hạn trả lời", "Due on"),
    ("reporting", "Kỳ báo cáo", "Reporting"),
    (
        "reported_through",
        "Đã báo cáo đến hết ngày",
        "Reported through",
    ),
    ("stage", "Kế hoạch hay thực hiện", "Planned or actual"),
    ("on", "Ngày", "On"),
    (
        "investor_id",
        "Nhà đầu tư, nhà tài trợ",
        "Investor or donor",
    ),
    ("capital", "Vốn", "Capital"),
    ("disbursed", "Đã giải ngân", "Disbursed"),
    ("approved_on", "Ngày cấp phép, phê duyệt", "Approved on"),
    ("period_from", "Thời gian từ", "Period from"),
    ("period_until", "Thời gian đến", "Period until"),
    ("location", "Địa điểm", "Location"),
    ("place", "Địa điểm", "Place"),
    ("participants", "Số người tham dự", "Participants"),
    ("person_name", "Họ và tên", "Full name"),
    ("enterprise", "Doanh nghiệp", "Enterprise"),
    ("position", "Chức vụ", "Position"),
    ("economies", "Nền kinh tế APEC", "APEC economies"),
    ("decision_number", "Số quyết định", "Decision number"),
    ("decision_on", "Ngày quyết định", "Decision date"),
    ("city", "Thành phố", "City"),
    ("field", "Lĩnh vực hoạt động", "Field of activity"),
    (
        "consent",
        "Đồng ý lưu dữ liệu cá nhân",
        "Consent to keep personal data",
    ),
    ("consent_on", "Ngày đồng ý", "Consent date"),
    ("indicator", "Chỉ tiêu", "Indicator"),
    ("period", "Kỳ số liệu", "Period"),
    ("value", "Giá trị", "Value"),
    ("unit", "Đơn vị", "Unit"),
    ("qualifier", "Mức chính xác", "Qualifier"),
    ("change_pct", "Tăng, giảm (%)", "Change (%)"),
    ("source", "Nguồn", "Source"),
    ("source_document", "Tài liệu nguồn", "Source document"),
    ("email", "Thư điện tử", "Email"),
    ("phone", "Điện thoại", "Phone"),
    ("side", "Phía", "Side"),
    ("amount", "Số tiền", "Amount"),
    ("currency", "Tiền tệ", "Currency"),
    ("org", "Cơ quan", "Organisation"),
    ("year", "Năm", "Year"),
    ("issues", "Số kỳ", "Issues"),
    ("languages", "Ngôn ngữ", "Languages"),
    ("print_run", "Số lượng in mỗi kỳ", "Print run per issue"),
    ("distribution", "Nơi phát hành", "Distribution"),
    ("topic", "Nội dung bồi dưỡng", "Topic"),
    ("organiser", "Đơn vị tổ chức", "Organiser"),
    ("trainees", "Học viên theo đơn vị", "Trainees by unit"),
    ("unit", "Đơn vị", "Unit"),
    ("count", "Số người", "Number"),
    ("trainee_count", "Tổng số học viên", "Trainees"),
    ("number", "Số giấy đăng ký", "Certificate number"),
    ("issued_on", "Ngày cấp", "Issued"),
    ("provinces", "Địa bàn hoạt động", "Provinces of work"),
    ("ended_on", "Ngày chấm dứt", "Ended"),
    ("partner_id", "Đối tác", "Partner"),
    // conference permits
    ("format", "Hình thức tổ chức", "Format"),
    ("venue", "Địa điểm", "Venue"),
    (
        "foreign_participants",
        "Số đại biểu nước ngoài",
        "Foreign participants",
    ),
    (
        "highest_rank",
        "Cấp cao nhất của khách nước ngoài",
        "Highest foreign rank",
    ),
    ("sensitive_topics", "Nội dung nhạy cảm", "Sensitive topics"),
    ("topics", "Nội dung", "Topics"),
    ("funding", "Nguồn kinh phí", "Funding"),
    ("authority", "Thẩm quyền cho phép", "Permitted by"),
    ("received_on", "Ngày nhận hồ sơ", "Dossier received"),
    ("event_id", "Sự kiện đã tổ chức", "Event held"),
    // consular cases
    ("incident", "Vụ việc", "Incident"),
    ("opened_on", "Ngày tiếp nhận", "Opened on"),
    ("person", "Người liên quan", "Person"),
    ("birth_year", "Năm sinh", "Year of birth"),
    (
        "document_number",
        "Số hộ chiếu, giấy tờ",
        "Passport or ID number",
    ),
    ("home", "Quê quán, địa chỉ", "Home"),
    ("nationality", "Quốc tịch", "Nationality"),
    (
        "mission",
        "Cơ quan đại diện, đại sứ quán",
        "Mission or embassy",
    ),
    ("agencies", "Cơ quan phối hợp", "Agencies"),
    ("action", "Việc đã làm", "Action"),
    ("by", "Cơ quan, người thực hiện", "By"),
    ("resolved_on", "Ngày giải quyết xong", "Resolved on"),
    ("closed_on", "Ngày đóng hồ sơ", "Closed on"),
    // plans
    ("reference", "Số, ký hiệu văn bản", "Reference"),
    ("issuer", "Cơ quan ban hành", "Issued by"),
    ("tasks", "Nhiệm vụ", "Tasks"),
    ("lead", "Cơ quan chủ trì", "Lead body"),
    ("due_on", "Hạn hoàn thành", "Due"),
    ("target", "Chỉ tiêu", "Target"),
    ("delegation_ids", "Đoàn thực hiện", "Delegations"),
    ("agreement_ids", "Thỏa thuận thực hiện", "Agreements"),
    ("event_ids", "Sự kiện thực hiện", "Events"),
    ("in_plan", "Trong kế hoạch năm", "In the yearly plan"),
    ("q", "Từ khóa", "Keywords"),
    ("sort", "Sắp xếp", "Sort"),
    ("page", "Trang", "Page"),
    ("username", "Tên đăng nhập", "Username"),
    ("password", "Mật khẩu", "Password"),
    ("created_at", "Tạo lúc", "Created"),
    ("updated_at", "Sửa lần cuối", "Last changed"),
];

/// Where a field comes on a detail page: the order of the label table.
pub fn field_rank(name: &str) -> usize {
    if matches!(name, "notes" | "note") {
        return FIELDS.len();
    }
    FIELDS
        .iter()
        .position(|(c, _, _)| *c == name)
        .unwrap_or(FIELDS.len())
}

/// Field names whose meaning differs by record type: the label of one
/// type's field where the shared table's would mislead (an agreement's
/// `actions` are its dated acts; a consular case's, the steps taken).
const TYPE_FIELDS: &[(RecordType, &str, &str, &str)] = &[(
    RecordType::ConsularCase,
    "actions",
    "Diễn biến xử lý",
    "Actions taken",
)];

/// The label of a field of a record of type `rt`.
pub fn field_label_in(rt: RecordType, name: &str, lang: Lang) -> String {
    match TYPE_FIELDS.iter().find(|(t, f, ..)| *t == rt && *f == name) {
        Some((.., vi, en)) => lang.pick(vi, en).to_owned(),
        None => field_label(name, lang),
    }
}

pub fn field_label(name: &str, lang: Lang) -> String {
    if let Some((_, vi, en)) = FIELDS.iter().find(|(c, _, _)| *c == name) {
        return lang.pick(vi, en).to_owned();
    }
    // A catalog project's text: `translations.en.name` is "Tên (tiếng Anh)".
    if let Some(rest) = name.strip_prefix("translations.") {
        return match rest.split_once('.') {
            Some((code, part)) => format!(
                "{} ({})",
                field_label(part, lang),
                language_name(code, lang).to_lowercase()
            ),
            None => language_name(rest, lang),
        };
    }
    // A part of a nested value (`budget.amount`, `members[2].name`): the
    // whole's label, then the part's.
    if let Some(i) = name.find(['.', '[']) {
        let (head, rest) = name.split_at(i);
        let last = rest.rsplit(['.', ']']).next().unwrap_or("");
        let head = field_label(head, lang);
        return match FIELDS.iter().find(|(c, _, _)| *c == last) {
            Some((_, vi, en)) => format!("{head} – {}", lang.pick(vi, en).to_lowercase()),
            None => head,
        };
    }
    name.replace('_', " ")
}

/// A language by its ISO 639-1 code (the catalog's translations).
pub fn language_name(code: &str, lang: Lang) -> String {
    let (vi, en) = match code {
        "vi" => ("Tiếng Việt", "Vietnamese"),
        "en" => ("Tiếng Anh", "English"),
        "ja" => ("Tiếng Nhật", "Japanese"),
        "ko" => ("Tiếng Hàn", "Korean"),
        "zh" => ("Tiếng Trung", "Chinese"),
        "fr" => ("Tiếng Pháp", "French"),
        "de" => ("Tiếng Đức", "German"),
        "ru" => ("Tiếng Nga", "Russian"),
        "th" => ("Tiếng Thái", "Thai"),
        "lo" => ("Tiếng Lào", "Lao"),
        "km" => ("Tiếng Khmer", "Khmer"),
        other => (other, other),
    };
    lang.pick(vi, en).to_owned()
}

pub fn country_name(code: &str, lang: Lang) -> String {
    match refdata().country(code) {
        Some(c) => lang.pick(&c.name_vi, &c.name_en).to_owned(),
        None => code.to_owned(),
    }
}

pub fn sector_label(code: &str, lang: Lang) -> String {
    ngoaivu_core::values::SECTORS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, vi, en)| lang.pick(vi, en).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// A provincial unit (current or former) by slug; `viet-nam` is the nation.
pub fn locality_name(slug: &str, lang: Lang) -> String {
    if slug == ngoaivu_core::records::NATIONAL {
        return t(lang, "Toàn quốc", "Nationwide").to_owned();
    }
    match refdata().unit(slug) {
        Some(u) => u.name.clone(),
        None => slug.to_owned(),
    }
}

/// The unit of an observation's value, as shown after the number.
pub fn unit_label(unit: &str, lang: Lang) -> String {
    match unit {
        "count" => String::new(),
        "percent" => "%".into(),
        "people" => t(lang, "người", "people").into(),
        u => u.to_owned(),
    }
}

pub fn number(d: Decimal, lang: Lang) -> String {
    ngoaivu_core::numfmt::format_number(d, 2, lang)
}

/// A decimal given as JSON (string or number), formatted for `lang`.
pub fn number_json(v: &serde_json::Value, lang: Lang) -> Option<String> {
    let text = match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return None,
    };
    Decimal::from_str(text.trim()).ok().map(|d| number(d, lang))
}

/// A number as the user wrote it in `lang` (`1.588`, `370,34`; in English
/// `1,588`, `370.34`) in the plain form the API reads (`1588`, `370.34`).
/// A lone separator of the other language's kind (`37.91` typed on the
/// Vietnamese page) is read as a decimal point. Text that is not a number is
/// returned as typed, for the service to refuse with its own message.
pub fn number_input(raw: &str, lang: Lang) -> String {
    let typed = raw.trim();
    let s: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    let (neg, body) = match s.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, s.as_str()),
    };
    let (thousands, point) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    // `1.588.000`: groups of three digits after the first.
    let grouped = |t: &str| {
        let parts: Vec<&str> = t.split(thousands).collect();
        parts.len() > 1
            && (1..=3).contains(&parts[0].len())
            && parts[1..].iter().all(|p| p.len() == 3)
            && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
    };
    let plain = if let Some((int, frac)) = body.split_once(point) {
        if int.contains(thousands) && !grouped(int) {
            return typed.to_owned();
        }
        format!("{}.{frac}", int.replace(thousands, ""))
    } else if body.contains(thousands) {
        if grouped(body) {
            body.replace(thousands, "")
        } else if body.matches(thousands).count() == 1 {
            body.replace(thousands, ".")
        } else {
            return typed.to_owned();
        }
    } else {
        body.to_owned()
    };
    let out = if neg { format!("-{plain}") } else { plain };
    if Decimal::from_str(&out).is_ok() {
        out
    } else {
        typed.to_owned()
    }
}

/// An ISO date as `dd/mm/yyyy` (both languages: the office convention).
pub fn date(s: &str) -> String {
    match ngoaivu_core::values::parse_date(s) {
        Some(d) => ngoaivu_core::values::format_date_vi(d),
        None => s.to_owned(),
    }
}

/// A moment as `dd/mm/yyyy HH:MM`, Vietnam time (UTC+7).
pub fn moment(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::macros::offset!(+7));
    let fmt = time::macros::format_description!("[day]/[month]/[year] [hour]:[minute]");
    t.format(fmt).unwrap_or_default()
}

/// A reporting period in words.
pub fn period(p: &serde_json::Value, lang: Lang) -> String {
    let g = |k: &str| p.get(k).and_then(|v| v.as_i64());
    match (g("year"), g("from"), g("to"), g("as_of"), g("since")) {
        (Some(y), ..) => format!("{} {y}", t(lang, "Năm", "Year")),
        (_, Some(f), Some(to), ..) => format!("{f}–{to}"),
        (.., Some(a), _) => format!("{} {a}", t(lang, "Đến năm", "As of")),
        (.., Some(s)) => format!("{} {s}", t(lang, "Từ năm", "Since")),
        _ => String::new(),
    }
}

/// Money `{amount, currency}` as `1.250.000 USD`.
pub fn money(v: &serde_json::Value, lang: Lang) -> Option<String> {
    let amount = number_json(v.get("amount")?, lang)?;
    let cur = v.get("currency").and_then(|c| c.as_str()).unwrap_or("");
    Some(format!("{amount} {cur}").trim().to_owned())
}

/// A count as a page says it: `1.588`, or `hơn 10.000` when the count
/// reached its cap.
pub fn count_number(total: i64, cap: i64, lang: Lang) -> String {
    let n = number(total.into(), lang);
    if total >= cap {
        format!("{} {n}", t(lang, "hơn", "more than"))
    } else {
        n
    }
}

pub fn count_text(total: i64, cap: i64, lang: Lang) -> String {
    let n = count_number(total, cap, lang);
    match lang {
        Lang::Vi => format!("{n} bản ghi"),
        Lang::En if total == 1 => "1 record".into(),
        Lang::En => format!("{n} records"),
    }
}

/// A file size as people read it: `512 B`, `37 KB`, `2,4 MB`.
pub fn size_text(bytes: i64, lang: Lang) -> String {
    if bytes < 1024 {
        format!("{} B", number(bytes.into(), lang))
    } else if bytes < 1024 * 1024 {
        format!(
            "{} KB",
            ngoaivu_core::numfmt::format_number(
                rust_decimal::Decimal::from(bytes) / rust_decimal::Decimal::from(1024),
                0,
                lang
            )
        )
    } else {
        format!(
            "{} MB",
            ngoaivu_core::numfmt::format_number(
                rust_decimal::Decimal::from(bytes) / rust_decimal::Decimal::from(1024 * 1024),
                1,
                lang
            )
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn every_kind_and_status_has_a_label() {
        for rt in ngoaivu_core::RecordType::ALL {
            if rt == ngoaivu_core::RecordType::Observation {
                continue;
            }
            for v in rt.kinds().into_iter().chain(rt.statuses().iter().copied()) {
                assert_ne!(value_label(v, Lang::Vi), v, "{v}");
                assert_ne!(value_label(v, Lang::En), v, "{v}");
            }
        }
        assert_eq!(value_label("in_force", Lang::Vi), "Đang có hiệu lực");
        assert_eq!(
            value_label("foreign_locality", Lang::Vi),
            "Địa phương nước ngoài"
        );
    }

    #[test]
    fn numbers_as_people_write_them() {
        for (typed, lang, want) in [
            ("1.588", Lang::Vi, "1588"),
            ("370,34", Lang::Vi, "370.34"),
            ("793.000.000", Lang::Vi, "793000000"),
            ("1.250.000,5", Lang::Vi, "1250000.5"),
            ("37.91", Lang::Vi, "37.91"),
            ("-5,2", Lang::Vi, "-5.2"),
            ("1 588", Lang::Vi, "1588"),
            ("1,588", Lang::En, "1588"),
            ("370.34", Lang::En, "370.34"),
            ("1,250,000.5", Lang::En, "1250000.5"),
            ("370,34", Lang::En, "370.34"),
            ("12", Lang::En, "12"),
            ("mười", Lang::Vi, "mười"),
            ("1.2.3", Lang::Vi, "1.2.3"),
        ] {
            assert_eq!(number_input(typed, lang), want, "{typed} ({lang:?})");
        }
    }

    #[test]
    fn nested_fields_have_labels() {
        assert_eq!(field_label("budget.amount", Lang::Vi), "Kinh phí – số tiền");
        assert_eq!(field_label("members[2].name", Lang::Vi), "Thành viên – tên");
        assert_eq!(
            field_label("capital.currency", Lang::En),
            "Capital – currency"
        );
    }
}
