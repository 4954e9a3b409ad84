//! A long text-layer PDF written by hand, for the tests and the PDF
//! benchmark: `pages` A4 pages of Vietnamese report lines (a running header,
//! 36 lines of text with figures, "Trang N" at the foot), uncompressed.
//!
//! The font is the standard Helvetica with WinAnsi codes for ASCII; the
//! Vietnamese letters outside ASCII get the codes 128–255 and a ToUnicode
//! map, as a PDF printer subsets a font, so the text reads back as Unicode.

/// The text of line `l` of page `p` (0-based): the lines turn with the page, so
/// no text line recurs at the same place on most pages (as a header does).
pub(crate) fn line(p: usize, l: usize) -> String {
    match (l + p) % 6 {
        0 => format!(
            "Năm 2022, tỉnh đã đón {} đoàn khách nước ngoài đến thăm và làm việc.",
            10 + p
        ),
        1 => "Công tác đối ngoại tiếp tục được triển khai đồng bộ, hiệu quả trên các lĩnh vực."
            .into(),
        2 => format!(
            "Kim ngạch xuất khẩu đạt {},{} triệu USD, tăng {}% so với năm trước.",
            100 + p,
            l,
            l % 9 + 1
        ),
        3 => {
            "Tỉnh ký kết thỏa thuận hợp tác với tỉnh Xiêng Khoảng - Lào về giáo dục và y tế.".into()
        }
        4 => "Các sở, ngành phối hợp chặt chẽ trong việc tổ chức các hoạt động đối ngoại.".into(),
        _ => format!(
            "Trong năm, tỉnh cử {} đoàn ra nước ngoài công tác, học tập kinh nghiệm.",
            3 + p % 7
        ),
    }
}

pub(crate) fn long_pdf(pages: usize) -> Vec<u8> {
    let mut page_lines: Vec<Vec<String>> = Vec::new();
    for p in 0..pages {
        let mut ls = vec!["UBND TỈNH - BÁO CÁO CÔNG TÁC ĐỐI NGOẠI".to_string()];
        ls.extend((0..36).map(|l| line(p, l)));
        page_lines.push(ls);
    }
    // Codes for the letters outside ASCII, in order of first use.
    let mut extra: Vec<char> = Vec::new();
    for c in page_lines.iter().flatten().flat_map(|l| l.chars()) {
        if !c.is_ascii() && !extra.contains(&c) {
            extra.push(c);
        }
    }
    assert!(extra.len() <= 128, "too many letters for one simple font");
    let encode = |s: &str| -> Vec<u8> {
        let mut out = Vec::new();
        for c in s.chars() {
            match c {
                '(' | ')' | '\\' => out.extend([b'\\', c as u8]),
                c if c.is_ascii() => out.push(c as u8),
                c => out.push(128 + extra.iter().position(|&x| x == c).unwrap() as u8),
            }
        }
        out
    };
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adhoc-UCS def /CMapType 2 def\n1 begincodespacerange <00> <FF> endcodespacerange\n",
    );
    for chunk in extra.chunks(100).enumerate() {
        let (i, cs) = chunk;
        cmap.push_str(&format!("{} beginbfchar\n", cs.len()));
        for (j, c) in cs.iter().enumerate() {
            cmap.push_str(&format!(
                "<{:02X}> <{:04X}>\n",
                128 + i * 100 + j,
                *c as u32
            ));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap CMapName currentdict /CMap defineresource pop end end");
    let widths: Vec<String> = (32..=255)
        .map(|c| {
            if c == 32 {
                "278".into()
            } else {
                "556".to_string()
            }
        })
        .collect();

    let mut objs: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        Vec::new(), // the page tree, below
        format!(
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 255 /Widths [{}] /ToUnicode 4 0 R >>",
            widths.join(" ")
        )
        .into_bytes(),
        format!("<< /Length {} >>\nstream\n{cmap}\nendstream", cmap.len()).into_bytes(),
    ];
    let mut kids = Vec::new();
    for (p, ls) in page_lines.iter().enumerate() {
        let mut content = b"BT /F1 10 Tf 14 TL 60 800 Td\n".to_vec();
        for (i, l) in ls.iter().enumerate() {
            content.push(b'(');
            content.extend(encode(l));
            content.extend(b") Tj T*\n");
            if i == 0 {
                content.extend(b"T*\n");
            }
        }
        content.extend(format!("250 -30 Td (Trang {}) Tj ET", p + 1).bytes());
        let content_id = objs.len() + 1;
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend(content);
        stream.extend(b"\nendstream");
        objs.push(stream);
        let page_id = objs.len() + 1;
        objs.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"
        ).into_bytes());
        kids.push(format!("{page_id} 0 R"));
    }
    objs[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {pages} >>",
        kids.join(" ")
    )
    .into_bytes();
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objs.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).bytes());
        out.extend(o);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1).bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        )
        .bytes(),
    );
    out
}
