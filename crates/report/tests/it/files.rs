//! The demo's reports as files, read back by readers we did not write:
//! LibreOffice prints the DOCX to PDF, poppler reads the text of both PDFs,
//! calamine reads the workbook's cells. The numbers of the source texts
//! must survive each format.
//!
//! Needs soffice (libreoffice-writer-nogui), pdftotext (poppler-utils);
//! scripts/test installs them. Missing tools fail the test.

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx};
use ngoaivu_core::{Actor, Lang, Role};
use ngoaivu_report::{Format, Kind, Spec, build, render};
use ngoaivu_store::Service;

fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run {cmd} ({e}): install libreoffice-writer-nogui and poppler-utils (scripts/test does)")
    });
    assert!(
        out.status.success(),
        "{cmd} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn workdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ngoaivu-report-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Text with every run of whitespace made one space: justified lines and
/// table cells break where the reader pleases.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pdf_text(pdf: &Path) -> String {
    squeeze(&tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]))
}

fn docx_text(dir: &Path, bytes: &[u8]) -> String {
    let file = dir.join("report.docx");
    std::fs::write(&file, bytes).unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("lo-profile").display()
    );
    tool(
        "soffice",
        &[
            &profile,
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            dir.to_str().unwrap(),
            file.to_str().unwrap(),
        ],
    );
    pdf_text(&dir.join("report.pdf"))
}

async fn demo_service() -> (Service, Actor, Actor) {
    let b = ngoaivu_store_tests::sqlite().await;
    let svc = Service::new(b.clone());
    ngoaivu_seed::demo::load(&svc, |_, _| {}).await.unwrap();
    let actor = |o: ngoaivu_store::Org| Actor {
        user_id: 1,
        username: format!("{}-viewer", o.slug),
        org_id: o.id,
        org_slug: o.slug,
        org_kind: o.kind,
        role: Role::Viewer,
        consular: false,
    };
    let vl = actor(b.org_by_slug("vinh-long").await.unwrap().unwrap());
    let bng = actor(b.org_by_slug("bo-ngoai-giao").await.unwrap().unwrap());
    (svc, vl, bng)
}

fn spec(kind: Kind, org: &str, year: i32) -> Spec {
    Spec {
        kind,
        org: org.into(),
        from: year,
        to: year,
        lang: Lang::Vi,
        units_of_the_time: false,
        date: time::macros::date!(2022 - 12 - 20),
    }
}

#[tokio::test]
async fn vinh_long_2022_in_every_format() {
    let (svc, vl, _) = demo_service().await;
    let doc = build(&svc, &vl, &spec(Kind::Annual, "vinh-long", 2022))
        .await
        .unwrap();
    let dir = workdir("vl");
    let sentence = "Năm 2022, tổng kim ngạch xuất khẩu của tỉnh đạt 793 triệu USD, tăng 37,91% so với năm 2021.";

    // HTML: the file as written.
    let html = String::from_utf8(render(&doc, Format::Html).unwrap()).unwrap();
    assert!(html.contains(sentence));

    // DOCX, printed by LibreOffice.
    let text = docx_text(&dir, &render(&doc, Format::Docx).unwrap());
    for want in [
        sentence,
        "UBND TỈNH VĨNH LONG",
        "SỞ NGOẠI VỤ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Vĩnh Long, ngày 20 tháng 12 năm 2022",
        "Kim ngạch xuất khẩu",
        "+37,91%",
        "876,92",
        "Nơi nhận:",
        "GIÁM ĐỐC",
    ] {
        assert!(
            text.contains(want),
            "DOCX (via LibreOffice) lacks {want:?}:\n{text}"
        );
    }

    // PDF, read by poppler.
    let pdf = dir.join("ours.pdf");
    std::fs::write(&pdf, render(&doc, Format::Pdf).unwrap()).unwrap();
    let text = pdf_text(&pdf);
    for want in [
        sentence,
        "UBND TỈNH VĨNH LONG",
        "Vĩnh Long, ngày 20 tháng 12 năm 2022",
        "+37,91%",
        "876,92",
    ] {
        assert!(text.contains(want), "PDF lacks {want:?}:\n{text}");
    }
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("(A4)"), "not A4: {info}");

    // XLSX, read by calamine: real numbers, not text.
    let path = dir.join("report.xlsx");
    std::fs::write(&path, render(&doc, Format::Xlsx).unwrap()).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sheets = wb.sheet_names().clone();
    assert_eq!(sheets[0], "Báo cáo");
    let sheet = sheets
        .iter()
        .find(|s| s.starts_with("Ngoại giao kinh tế"))
        .expect("the economic sheet");
    let range = wb.worksheet_range(sheet).unwrap();
    let row = range
        .rows()
        .find(|r| r.first() == Some(&Data::String("Kim ngạch xuất khẩu".into())))
        .expect("export row");
    assert_eq!(row[1], Data::String("triệu USD".into()));
    assert_eq!(row[3], Data::Float(793.0), "{row:?}");
    assert_eq!(row[5], Data::Float(37.91), "{row:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_2014_national_summary_in_every_format() {
    let (svc, _, bng) = demo_service().await;
    let doc = build(&svc, &bng, &spec(Kind::National, "bo-ngoai-giao", 2014))
        .await
        .unwrap();
    let dir = workdir("national");
    let docx = docx_text(&dir, &render(&doc, Format::Docx).unwrap());
    let pdf = dir.join("ours.pdf");
    std::fs::write(&pdf, render(&doc, Format::Pdf).unwrap()).unwrap();
    let pdf = pdf_text(&pdf);
    for text in [&docx, &pdf] {
        for want in [
            "BỘ NGOẠI GIAO",
            "Hà Nội, ngày 20 tháng 12 năm 2022",
            "Năm 2014, các địa phương ký kết 53 thỏa thuận quốc tế cấp địa phương",
            "150 bản ghi nhớ",
            "thu hút 1.588 dự án",
            "đạt 20,23 tỷ USD",
            "đạt 4,019 tỷ USD",
            "20.230",
        ] {
            assert!(text.contains(want), "lacks {want:?}:\n{text}");
        }
    }
    let path = dir.join("national.xlsx");
    std::fs::write(&path, render(&doc, Format::Xlsx).unwrap()).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let range = wb.worksheet_range("Toàn quốc").unwrap();
    let find = |label: &str| {
        range
            .rows()
            .find(|r| r.first() == Some(&Data::String(label.into())))
            .unwrap_or_else(|| panic!("no row {label}"))
            .to_vec()
    };
    assert_eq!(
        find("Thỏa thuận quốc tế cấp địa phương mới ký")[2],
        Data::Float(53.0)
    );
    assert_eq!(
        find("Bản ghi nhớ mới ký với doanh nghiệp và tổ chức nước ngoài")[2],
        Data::Float(150.0)
    );
    assert_eq!(
        find("Dự án đầu tư trực tiếp nước ngoài (FDI)")[2],
        Data::Float(1588.0)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
