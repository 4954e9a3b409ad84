//! Writes `data/demo-workbook.xlsx`: the sample register of a province's
//! delegations and agreements that `serve --demo` imports through the same
//! importer as any upload, so that a new user sees what an import gives
//! and has a workbook to try. Its rows are illustrative (the title row says
//! so), laid out as offices keep such registers: a merged title, the
//! office's name, headers named as people name them, dates typed both ways,
//! money in millions of đồng, a total row.
//!
//!   cargo run -p ngoaivu-transfer --example demo_workbook -- data/demo-workbook.xlsx

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet};

fn title(ws: &mut Worksheet, text: &str, cols: u16) {
    let big = Format::new()
        .set_bold()
        .set_font_size(13)
        .set_align(FormatAlign::Center);
    ws.merge_range(0, 0, 0, cols - 1, text, &big).unwrap();
    let italic = Format::new().set_italic().set_align(FormatAlign::Center);
    ws.merge_range(
        1,
        0,
        1,
        cols - 1,
        "Sở Ngoại vụ tỉnh Vĩnh Long — dữ liệu minh họa của bản trình diễn",
        &italic,
    )
    .unwrap();
}

fn headers(ws: &mut Worksheet, row: u32, names: &[&str], widths: &[f64]) {
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_border(FormatBorder::Thin)
        .set_background_color("#DDEBF7");
    for (c, (h, w)) in names.iter().zip(widths).enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &head)
            .unwrap();
        ws.set_column_width(c as u16, *w).unwrap();
    }
}

fn main() {
    let out = std::env::args().nth(1).expect("OUT.xlsx");
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let money = Format::new().set_num_format("#,##0.0");
    let bold = Format::new().set_bold();

    // Outbound delegations: dates as Excel dates, one typed as text.
    let ws = wb.add_worksheet();
    ws.set_name("Đoàn ra").unwrap();
    title(ws, "DANH SÁCH ĐOÀN RA NĂM 2023", 9);
    headers(
        ws,
        3,
        &[
            "STT",
            "Tên đoàn",
            "Trưởng đoàn",
            "Thời gian đi",
            "Thời gian về",
            "Nước đến",
            "Số QĐ cử đoàn",
            "Kinh phí (triệu đồng)",
            "Tình trạng",
        ],
        &[5.0, 48.0, 26.0, 13.0, 13.0, 18.0, 16.0, 14.0, 16.0],
    );
    let outbound: [(&str, &str, f64, f64, &str, &str, f64); 4] = [
        (
            "Đoàn xúc tiến thương mại nông sản tại Nhật Bản",
            "Phó Chủ tịch UBND tỉnh",
            45089.0,
            45094.0,
            "Nhật Bản",
            "1125/QĐ-UBND",
            420.0,
        ),
        (
            "Đoàn làm việc với tỉnh Xiêng Khoảng",
            "Giám đốc Sở Ngoại vụ",
            45189.0,
            45192.0,
            "Lào",
            "1840/QĐ-UBND",
            135.5,
        ),
        (
            "Đoàn dự Hội chợ thực phẩm quốc tế",
            "Giám đốc Sở Công Thương",
            45236.0,
            45241.0,
            "Hàn Quốc",
            "2210/QĐ-UBND",
            310.0,
        ),
        (
            "Đoàn khảo sát mô hình nông nghiệp công nghệ cao",
            "Giám đốc Sở Nông nghiệp",
            45250.0,
            45257.0,
            "Hà Lan, Bỉ",
            "2305/QĐ-UBND",
            560.0,
        ),
    ];
    for (i, (name, leader, from, to, countries, decision, budget)) in outbound.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_string(r, 2, *leader).unwrap();
        if i == 1 {
            ws.write_string(r, 3, "18/09/2023").unwrap();
        } else {
            ws.write_number_with_format(r, 3, *from, &date).unwrap();
        }
        ws.write_number_with_format(r, 4, *to, &date).unwrap();
        ws.write_string(r, 5, *countries).unwrap();
        ws.write_string(r, 6, *decision).unwrap();
        ws.write_number_with_format(r, 7, *budget, &money).unwrap();
        ws.write_string(r, 8, "Hoàn thành").unwrap();
    }
    ws.write_string_with_format(8, 1, "Tổng cộng", &bold)
        .unwrap();
    ws.write_formula_with_format(
        8,
        7,
        Formula::new("=SUM(H5:H8)").set_result("1425.5"),
        &money,
    )
    .unwrap();

    // Inbound delegations.
    let ws = wb.add_worksheet();
    ws.set_name("Đoàn vào").unwrap();
    title(ws, "DANH SÁCH ĐOÀN VÀO NĂM 2023", 8);
    headers(
        ws,
        3,
        &[
            "STT",
            "Tên đoàn",
            "Trưởng đoàn",
            "Ngày đến",
            "Ngày đi",
            "Quốc gia",
            "Số văn bản cho phép",
            "Tình trạng",
        ],
        &[5.0, 52.0, 30.0, 13.0, 13.0, 16.0, 18.0, 16.0],
    );
    // A visit received has been allowed by a decision (its number here),
    // which an import of the row as received asks for.
    let inbound: [(&str, &str, f64, f64, &str, &str); 3] = [
        (
            "Đoàn tỉnh Xiêng Khoảng thăm và làm việc",
            "Phó Tỉnh trưởng tỉnh Xiêng Khoảng",
            45012.0,
            45015.0,
            "Lào",
            "512/UBND-NV",
        ),
        (
            "Đoàn doanh nghiệp tìm hiểu cơ hội đầu tư chế biến nông sản",
            "Chủ tịch Hiệp hội doanh nghiệp",
            45140.0,
            45142.0,
            "Hàn Quốc",
            "2046/UBND-NV",
        ),
        (
            "Đoàn Tổng Lãnh sự quán thăm và chào xã giao",
            "Tổng Lãnh sự",
            45205.0,
            45205.0,
            "Nhật Bản",
            "2891/UBND-NV",
        ),
    ];
    for (i, (name, leader, from, to, country, allowed)) in inbound.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, *name).unwrap();
        ws.write_string(r, 2, *leader).unwrap();
        ws.write_number_with_format(r, 3, *from, &date).unwrap();
        ws.write_number_with_format(r, 4, *to, &date).unwrap();
        ws.write_string(r, 5, *country).unwrap();
        ws.write_string(r, 6, *allowed).unwrap();
        ws.write_string(r, 7, "Đã đón tiếp").unwrap();
    }

    // Agreements: one partner the province has already, one new.
    let ws = wb.add_worksheet();
    ws.set_name("Thỏa thuận").unwrap();
    title(ws, "THỎA THUẬN QUỐC TẾ ĐÃ KÝ KẾT", 8);
    headers(
        ws,
        3,
        &[
            "STT",
            "Tên thỏa thuận",
            "Loại",
            "Đối tác",
            "Nước",
            "Ngày ký",
            "Hiệu lực đến",
            "Tình trạng",
        ],
        &[5.0, 52.0, 20.0, 24.0, 12.0, 13.0, 13.0, 16.0],
    );
    let agreements: [(&str, &str, &str, &str, &str, &str); 2] = [
        (
            "Biên bản ghi nhớ hợp tác giáo dục và đào tạo giai đoạn 2023-2027",
            "Biên bản ghi nhớ",
            "Xiêng Khoảng",
            "Lào",
            "20/03/2023",
            "31/12/2027",
        ),
        (
            "Thỏa thuận hợp tác phát triển nông nghiệp công nghệ cao",
            "Thỏa thuận",
            "Tỉnh Gelderland",
            "Hà Lan",
            "22/11/2023",
            "",
        ),
    ];
    for (i, (name, kind, partner, country, signed, until)) in agreements.iter().enumerate() {
        let r = 4 + i as u32;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        for (c, v) in [
            *name,
            *kind,
            *partner,
            *country,
            *signed,
            *until,
            "Đang có hiệu lực",
        ]
        .iter()
        .enumerate()
        {
            if !v.is_empty() {
                ws.write_string(r, (c + 1) as u16, *v).unwrap();
            }
        }
    }
    wb.save(&out).unwrap();
}
