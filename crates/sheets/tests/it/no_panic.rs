//! Whatever people type, the parsers answer with a value or an error,
//! never a panic.

use ngoaivu_sheets::mapping::header_norm;
use ngoaivu_sheets::values::*;
use ngoaivu_sheets::{Cell, Limits, read};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn parsers_never_panic(s in "[0-9/.,:;()\\- –—a-zA-ZđĐàáảãạăắằẳẵặâấầẩẫậêếềểễệôốồổỗộơớờởỡợưứừửữựİ%$€ \\t\\n]{0,24}") {
        let _ = parse_date(&s);
        let _ = parse_date_range(&s);
        let _ = parse_number(&s);
        let _ = parse_unit(&s);
        let _ = parse_countries(&s);
        let _ = parse_country(&s);
        let _ = parse_period_cell(&Cell::Text(s.clone()));
        let _ = parse_integer_cell(&Cell::Text(s.clone()));
        let _ = parse_bool_cell(&Cell::Text(s.clone()));
        let _ = header_norm(&s);
    }

    #[test]
    fn any_number_cell(x in any::<f64>()) {
        let _ = parse_date_cell(&Cell::Number(x));
        let _ = parse_date_cell(&Cell::Date(x));
        let _ = parse_number_cell(&Cell::Number(x));
        let _ = parse_integer_cell(&Cell::Number(x));
        let _ = parse_period_cell(&Cell::Number(x));
    }

    #[test]
    fn any_text_reads_as_csv_or_is_refused(s in "\\PC{0,200}") {
        let _ = read(s.as_bytes(), "x.csv", &Limits::default());
    }

    #[test]
    fn any_bytes_are_read_or_refused(b in proptest::collection::vec(any::<u8>(), 0..300)) {
        let _ = read(&b, "x.xlsx", &Limits::default());
    }
}
