//! Validation errors. Each carries a stable code (usable as a translation
//! key by other clients) and renders its message in Vietnamese or English.

use crate::i18n::Lang;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Required,
    UnknownField,
    WrongType { expected: &'static str },
    InvalidDate { value: String },
    DateOrder { earlier_field: &'static str },
    UnknownCountry { value: String },
    UnknownUnit { value: String },
    UnitOutsideOrg { value: String },
    UnknownIndicator { value: String },
    UnitNotAllowed { value: String, allowed: String },
    Negative,
    TooLong { max: usize },
    TooMany { max: usize },
    OneOf { allowed: String },
    NotApec { value: String },
    LinkNotFound { id: i64 },
    Invalid { vi: String, en: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        FieldError {
            field: field.into(),
            problem,
        }
    }

    pub fn code(&self) -> &'static str {
        match self.problem {
            Problem::Required => "required",
            Problem::UnknownField => "unknown_field",
            Problem::WrongType { .. } => "wrong_type",
            Problem::InvalidDate { .. } => "invalid_date",
            Problem::DateOrder { .. } => "date_order",
            Problem::UnknownCountry { .. } => "unknown_country",
            Problem::UnknownUnit { .. } => "unknown_unit",
            Problem::UnitOutsideOrg { .. } => "unit_outside_org",
            Problem::UnknownIndicator { .. } => "unknown_indicator",
            Problem::UnitNotAllowed { .. } => "unit_not_allowed",
            Problem::Negative => "negative",
            Problem::TooLong { .. } => "too_long",
            Problem::TooMany { .. } => "too_many",
            Problem::OneOf { .. } => "not_allowed_value",
            Problem::NotApec { .. } => "not_apec",
            Problem::LinkNotFound { .. } => "link_not_found",
            Problem::Invalid { .. } => "invalid",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        use Problem::*;
        let en = lang == Lang::En;
        match &self.problem {
            Required => {
                if en {
                    "This field is required.".into()
                } else {
                    "Trường này là bắt buộc.".into()
                }
            }
            UnknownField => {
                if en {
                    "Unknown field.".into()
                } else {
                    "Trường không có trong mẫu dữ liệu.".into()
                }
            }
            WrongType { expected } => {
                let (vi, en_s) = type_names(expected);
                if en {
                    format!("Wrong type: expected {en_s}.")
                } else {
                    format!("Sai kiểu dữ liệu: cần {vi}.")
                }
            }
            InvalidDate { value } => {
                if en {
                    format!("“{value}” is not a valid date (YYYY-MM-DD).")
                } else {
                    format!("“{value}” không phải là ngày hợp lệ (định dạng YYYY-MM-DD).")
                }
            }
            DateOrder { earlier_field } => {
                if en {
                    format!("Must not be before {earlier_field}.")
                } else {
                    format!("Không được trước {earlier_field}.")
                }
            }
            UnknownCountry { value } => {
                if en {
                    format!("“{value}” is not an ISO 3166-1 alpha-2 country code.")
                } else {
                    format!("“{value}” không phải là mã quốc gia ISO 3166-1 alpha-2.")
                }
            }
            UnknownUnit { value } => {
                if en {
                    format!("“{value}” is not a provincial unit (current or former).")
                } else {
                    format!(
                        "“{value}” không phải là đơn vị cấp tỉnh (hiện nay hoặc trước sáp nhập)."
                    )
                }
            }
            UnitOutsideOrg { value } => {
                if en {
                    format!("“{value}” is not part of this organisation's province.")
                } else {
                    format!("“{value}” không thuộc địa bàn của cơ quan này.")
                }
            }
            UnknownIndicator { value } => {
                if en {
                    format!("Unknown indicator “{value}”.")
                } else {
                    format!("Không có chỉ tiêu “{value}”.")
                }
            }
            UnitNotAllowed { value, allowed } => {
                if en {
                    format!("Unit “{value}” does not fit this indicator (allowed: {allowed}).")
                } else {
                    format!("Đơn vị “{value}” không phù hợp với chỉ tiêu (cho phép: {allowed}).")
                }
            }
            Negative => {
                if en {
                    "Must not be negative.".into()
                } else {
                    "Không được là số âm.".into()
                }
            }
            TooLong { max } => {
                if en {
                    format!("Too long: at most {max} characters.")
                } else {
                    format!("Quá dài: tối đa {max} ký tự.")
                }
            }
            TooMany { max } => {
                if en {
                    format!("Too many: at most {max}.")
                } else {
                    format!("Quá nhiều: tối đa {max}.")
                }
            }
            OneOf { allowed } => {
                if en {
                    format!("Not an allowed value; one of: {allowed}.")
                } else {
                    format!("Giá trị không hợp lệ; chọn một trong: {allowed}.")
                }
            }
            NotApec { value } => {
                if en {
                    format!("“{value}” is not an APEC member economy.")
                } else {
                    format!("“{value}” không phải là nền kinh tế thành viên APEC.")
                }
            }
            LinkNotFound { id } => {
                if en {
                    format!("No record {id} of the right kind is within your reach.")
                } else {
                    format!("Không tìm thấy bản ghi {id} phù hợp trong phạm vi của bạn.")
                }
            }
            Invalid { vi, en: e } => {
                if en {
                    e.clone()
                } else {
                    vi.clone()
                }
            }
        }
    }
}

fn type_names(expected: &str) -> (&'static str, &'static str) {
    match expected {
        "string" => ("chuỗi ký tự", "a string"),
        "integer" => ("số nguyên", "an integer"),
        "number" => ("số", "a number"),
        "boolean" => ("true hoặc false", "true or false"),
        "array" => ("danh sách", "a list"),
        "object" => ("đối tượng JSON", "a JSON object"),
        "date" => ("ngày dạng YYYY-MM-DD", "a date as YYYY-MM-DD"),
        "decimal" => (
            "số thập phân (chuỗi hoặc số)",
            "a decimal number (string or number)",
        ),
        _ => ("giá trị khác", "another value"),
    }
}

/// Every problem found in one input, all reported together.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn push(&mut self, field: impl Into<String>, problem: Problem) {
        self.0.push(FieldError::new(field, problem));
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn into_result(self) -> Result<(), Invalid> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
    pub fn one(field: impl Into<String>, problem: Problem) -> Invalid {
        Invalid(vec![FieldError::new(field, problem)])
    }
}
