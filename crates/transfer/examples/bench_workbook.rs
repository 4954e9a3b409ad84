//! Writes a province's register of delegations as large as asked, for the
//! import benchmark (`scripts/bench-transfer`): a merged title row, the
//! office's name, headers as people name them (units in the header), dates
//! as Excel dates and as typed text, several countries in a cell, money in
//! millions of đồng, a total row with a formula at the bottom. Deterministic.
//!
//!   cargo run --release -p ngoaivu-transfer --example bench_workbook -- ROWS OUT.xlsx [SEED]

use rust_xlsxwriter::{Format, Formula, Workbook};

const COUNTRIES: &[&str] = &[
    "Lào",
    "Campuchia",
    "Nhật Bản",
    "Hàn Quốc",
    "Trung Quốc",
    "Thái Lan",
    "Singapore",
    "Pháp",
    "Đức",
    "Hoa Kỳ",
    "Úc",
    "Hà Lan",
    "Lào, Campuchia",
    "Nhật Bản, Hàn Quốc",
];
const PURPOSES: &[&str] = &[
    "Đoàn xúc tiến thương mại và đầu tư tại",
    "Đoàn làm việc với chính quyền địa phương tại",
    "Đoàn dự hội chợ nông sản tại",
    "Đoàn khảo sát mô hình nông nghiệp công nghệ cao tại",
    "Đoàn trao đổi kinh nghiệm quản lý đô thị tại",
    "Đoàn dự hội nghị hợp tác địa phương tại",
];
const LEADERS: &[&str] = &[
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Em",
    "Đặng Thị Giang",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let rows: u32 = args.next().and_then(|s| s.parse().ok()).expect("ROWS");
    let out = args.next().expect("OUT.xlsx");
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        // xorshift64*: deterministic, enough for test data.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().unwrap();
    ws.set_name("Đoàn ra").unwrap();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    ws.write_string_with_format(0, 0, "DANH SÁCH ĐOÀN RA (dữ liệu thử tốc độ)", &bold)
        .unwrap();
    ws.write_string(1, 0, "Sở Ngoại vụ").unwrap();
    let headers = [
        "STT",
        "Tên đoàn",
        "Trưởng đoàn",
        "Thời gian đi",
        "Thời gian về",
        "Nước đến",
        "Số QĐ cử đoàn",
        "Kinh phí (triệu đồng)",
        "Nguồn kinh phí",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &bold).unwrap();
    }
    for i in 0..rows {
        let r = 4 + i;
        let n = next();
        let country = COUNTRIES[(n % COUNTRIES.len() as u64) as usize];
        let purpose = PURPOSES[((n >> 8) % PURPOSES.len() as u64) as usize];
        // 2010-01-01 is serial 40179; days spread over 15 years.
        let start = 40179 + ((n >> 16) % 5475) as u32;
        let days = 3 + ((n >> 32) % 10) as u32;
        ws.write_number(r, 0, f64::from(i + 1)).unwrap();
        ws.write_string(r, 1, format!("{purpose} {country} (số {}-{seed})", i + 1))
            .unwrap();
        ws.write_string(r, 2, LEADERS[((n >> 40) % LEADERS.len() as u64) as usize])
            .unwrap();
        if i % 2 == 0 {
            ws.write_number_with_format(r, 3, f64::from(start), &date)
                .unwrap();
        } else {
            // Typed as text, as often in registers kept for years.
            let d = time::Date::from_julian_day(2_440_588 - 25_569 + start as i32).unwrap();
            ws.write_string(
                r,
                3,
                format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year()),
            )
            .unwrap();
        }
        ws.write_number_with_format(r, 4, f64::from(start + days), &date)
            .unwrap();
        ws.write_string(r, 5, country).unwrap();
        ws.write_string(r, 6, format!("{}/QĐ-UBND", 100 + (n >> 48) % 900))
            .unwrap();
        ws.write_number(r, 7, ((n >> 20) % 500) as f64 + 0.5)
            .unwrap();
        ws.write_string(r, 8, "Ngân sách tỉnh").unwrap();
    }
    let last = 4 + rows;
    ws.write_string(last, 1, "Tổng cộng").unwrap();
    ws.write_formula(last, 7, Formula::new(format!("=SUM(H5:H{last})")))
        .unwrap();
    wb.save(&out).unwrap();
}
