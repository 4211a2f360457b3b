"""Docket details from ECF stamps and captions, on the patterns courts print. Every caption
here is made up; the titles and dates are what a citation shows the user. Whether a name
of a person's shape is a person's is read by the real English model (`ingest.nlp`)."""

from pathlib import Path

import pytest

from ingest.docket import (
    caption_parties,
    read_caption,
    read_docket_report,
    read_stamps,
    title_from_file_name,
)
from ingest.document_dates import document_date
from ingest.sec_filings import filing_title


@pytest.mark.parametrize(
    ("stamp", "case", "entry", "filed"),
    [
        (
            "Case 1:12-cv-05708-ER Document 11 Filed 09/27/13 Page 3 of 15",
            "1:12-cv-05708-ER",
            "11",
            "2013-09-27",
        ),
        (
            "Case: 21-50498 Document: 00516242060 Page: 1 Date Filed: 03/16/2022",
            "21-50498",
            "00516242060",
            "2022-03-16",
        ),
        (
            "Case: 20-16276, 08/05/2020, ID: 11778722, DktEntry: 19, Page 1 of 15",
            "20-16276",
            "19",
            "2020-08-05",
        ),
        (
            "Case 3:04-cv-00098-SI Document 199 Filed 08/23/05 Page 1 of 2",
            "3:04-cv-00098-SI",
            "199",
            "2005-08-23",
        ),
    ],
)
def test_the_ecf_stamp_gives_case_number_entry_and_filed_date(stamp, case, entry, filed):
    docket = read_stamps(["Some body text.", stamp])
    assert (docket.case_number, docket.docket_entry, docket.filed) == (case, entry, filed)


class TestCaseNames:
    def test_people_go_by_their_surnames(self):
        caption = read_caption(
            [
                "IN THE UNITED STATES DISTRICT COURT",
                "FOR THE WESTERN DISTRICT OF TEXAS",
                "MARGARET L. HOLLOWAY, et al.,",
                "Plaintiffs, v.",
                "DEREK PASCOE,",
                "Defendant.",
                "No. C 19-0456 RT",
                "ORDER GRANTING MOTION TO DISMISS",
                "Defendant moves to dismiss the complaint for lack of jurisdiction.",
            ]
        )
        assert caption.court == "United States District Court for the Western District of Texas"
        assert caption.title() == "Holloway v. Pascoe — Order Granting Motion to Dismiss"

    def test_companies_lose_their_legal_form_and_keep_their_own_spelling(self):
        caption = read_caption(
            [
                "UNITED STATES DISTRICT COURT",
                "DISTRICT OF OREGON",
                "BRIGHTWATER SOLAR, INC.,",
                "Plaintiff,",
                "v.",
                "THE NORTHFIELD MUTUAL INSURANCE COMPANY,",
                "Defendant.",
                "OPINION AND ORDER",
                "Brightwater sued its insurer, and the insurer answered that BrightWater's "
                "policy had lapsed.",
            ]
        )
        assert (
            caption.title()
            == "BrightWater Solar v. Northfield Mutual Insurance Co. — Opinion and Order"
        )

    def test_a_business_named_like_a_person_keeps_its_whole_name(self):
        caption = read_caption(["BLUE RIDGE ORCHARDS, Plaintiff, v. TOMAS ORTEGA, Defendant."])
        assert caption.case_name == "Blue Ridge Orchards v. Ortega"

    def test_a_corporation_goes_by_its_name_and_a_firm_keeps_its_co(self):
        caption = read_caption(
            [
                "KESTREL CORPORATION, Plaintiff, v. HALVORSEN & CO., INC. and",
                "DUNMORE FREIGHT LLC, Defendants.",
            ]
        )
        assert caption.case_name == "Kestrel v. Halvorsen & Co."

    def test_the_united_states_and_a_defendant_with_a_suffix(self):
        caption = read_caption(
            [
                "United States Court of Appeals",
                "FOR THE DISTRICT OF COLUMBIA CIRCUIT",
                "Argued March 3, 2015 Decided June 9, 2015",
                "No. 14-3001",
                "UNITED STATES OF AMERICA,",
                "APPELLEE",
                "v.",
                "DARNELL W. FITCH, JR.,",
                "APPELLANT",
            ]
        )
        assert (
            caption.court == "United States Court of Appeals for the District of Columbia Circuit"
        )
        assert caption.title() == "United States v. Fitch"

    def test_an_in_re_caption_names_the_matter(self):
        caption = read_caption(
            [
                "UNITED STATES DISTRICT COURT",
                "SOUTHERN DISTRICT OF NEW YORK",
                "IN RE: ACME ROBOTICS, INC., SECURITIES LITIGATION",
                "This document relates to:",
                "ALL ACTIONS",
                "Case No. 1:20-md-00077-PKC",
                "ORDER APPROVING SETTLEMENT",
            ]
        )
        assert caption.title() == (
            "In re Acme Robotics, Inc. Securities Litigation — Order Approving Settlement"
        )

    def test_the_cases_a_table_of_authorities_lists_are_not_the_caption(self):
        opening = [
            "UNITED STATES DISTRICT COURT",
            "NORTHERN DISTRICT OF ILLINOIS",
            "HARBOR SAVINGS DEPOSITORS' ASSOCIATION",
            "Case No. 1:21-cv-00412",
            "MEMORANDUM IN SUPPORT OF MOTION FOR APPROVAL",
            "TABLE OF CONTENTS",
            "I. INTRODUCTION .................................. 1 V. CONCLUSION .......... 14",
            "TABLE OF AUTHORITIES",
            "Page Cases",
            "Abernathy v. Quill Mutual Ins. Co., 512 F.3d 77 (7th Cir. 2008) ......... 4",
        ]
        assert caption_parties(opening) is None  # no party of this filing is named Conclusion
        assert "Abernathy" not in read_caption(opening).title()

    @pytest.mark.parametrize(
        ("line", "name"),
        [
            ("In re Marriage of Delgado", "In re Marriage of Delgado"),
            (
                "In re Northwind Traders, Inc., Data Breach Litigation",
                "In re Northwind Traders, Inc. Data Breach Litigation",
            ),
            ("In re Delgado, the court held that the appeal was moot.", ""),
            ("In re Delgado, 123 F.3d 456 (9th Cir. 1999).", ""),
        ],
    )
    def test_in_re_in_mixed_case_but_not_in_a_sentence_or_citation(self, line, name):
        assert read_caption([line]).case_name == name

    def test_counsel_above_the_court_is_neither_party_nor_title(self):
        caption = read_caption(
            [
                "Jane Q. Advocate (Bar No. 123456)",
                "ADVOCATE & PARTNERS LLP",
                "100 Main Street, Suite 5",
                "Attorneys for Plaintiff",
                "UNITED STATES DISTRICT COURT",
                "NORTHERN DISTRICT OF CALIFORNIA",
                "OAKLAND DIVISION",
                "PRIYA NANDAKUMAR, on behalf of herself and all others similarly situated,",
                "Plaintiff,",
                "v.",
                "SUMMIT LENDING CORP.; and",
                "DOES 1 through 20,",
                "Defendants.",
                "Case No. 4:21-cv-01234-JST",
                "[REDACTED VERSION]",
                "PLAINTIFF’S NOTICE OF",
                "MOTION AND MOTION FOR CLASS CERTIFICATION",
                "Date: March 3, 2022",
                "Time: 9:00 a.m.",
            ]
        )
        assert caption.title() == (
            "Nandakumar v. Summit Lending — Plaintiff’s Notice of Motion and Motion for Class "
            "Certification"
        )

    def test_a_long_name_in_capitals_over_several_lines_is_read_whole(self):
        caption = read_caption(
            [
                "UNITED STATES DISTRICT COURT",
                "EASTERN DISTRICT OF MICHIGAN",
                "GREAT LAKES REGIONAL",
                "CARDIOLOGY PARTNERS,",
                "INC., d/b/a LAKESHORE HEART, a Michigan corporation,",
                "Plaintiff,",
                "vs.",
                "CONTINENTAL SURETY",
                "INSURANCE COMPANY, A Delaware corporation,",
                "Defendant.",
                "COMPLAINT FOR: (1) BREACH OF CONTRACT (2) DECLARATORY RELIEF",
            ]
        )
        assert caption.title() == (
            "Great Lakes Regional Cardiology Partners v. Continental Surety Insurance Co. — "
            "Complaint for Breach of Contract…"
        )

    def test_a_transcript_caption_does_not_take_the_presiding_judge_for_a_party(self):
        caption = read_caption(
            [
                "UNITED STATES DISTRICT COURT",
                "CENTRAL DISTRICT OF CALIFORNIA",
                "THE HONORABLE ROSALIND V. ABERNATHY, JUDGE PRESIDING",
                "UNITED STATES OF AMERICA, ) CERTIFIED TRANSCRIPT",
                ")",
                "Plaintiff, ) vs. )",
                ") CR-18-00412-RVA OLUWASEUN OKAFOR, )",
                "Defendant. ) ------------------)",
                "REPORTER'S TRANSCRIPT OF PROCEEDINGS",
                "Los Angeles, California",
                "March 12, 2019",
            ]
        )
        assert caption.title() == "United States v. Okafor — Reporter's Transcript of Proceedings"

    def test_docket_stamps_among_the_lines_are_not_read_as_the_caption(self):
        lines = [
            "Case 2:20-cv-00456-ABC Document 12 Filed 04/05/21 Page 1 of 9 Page ID #:88",
            "UNITED STATES DISTRICT COURT",
            "DISTRICT OF ARIZONA",
            "Tomas Ortega,",
            "Plaintiff,",
            "v.",
            "Greenleaf Farms, LLC,",
            "Defendant.",
            "ORDER",
        ]
        caption = read_caption(lines)
        assert caption.title() == "Ortega v. Greenleaf Farms — Order"
        assert document_date(lines, "\n".join(lines), read_stamps(lines).filed) == "2021-04-05"

    def test_a_minutes_form_is_titled_from_its_title_field_and_running_head(self):
        page = [
            "Case No. 2:19-cv-01111-ABC Date March 2, 2020 Title GREENLEAF FARMS,",
            "LLC V. TOMAS ORTEGA, ET AL.",
            "Present: The Honorable ANITA B. CRUZ",
            "Proceedings: (IN CHAMBERS) - DEFENDANTS’ MOTION TO DISMISS (Dkt. 20, filed "
            "January 6, 2020)",
        ]
        caption = read_caption(page, ["UNITED STATES DISTRICT COURT", "CIVIL MINUTES – GENERAL"])
        assert caption.title() == "Greenleaf Farms v. Ortega — Civil Minutes"
        assert document_date(page, "\n".join(page)) == "2020-03-02"

    def test_a_citation_after_the_case_name_is_left_out(self):
        caption = read_caption(["Doe v. Roe, 123 F.3d 456 - Court of Appeals 1999", "DOE v. ROE."])
        assert caption.case_name == "Doe v. Roe"

    def test_a_case_law_caption_with_surnames_in_capitals(self):
        caption = read_caption(
            ["Anna MARSH, Appellant, v. Peter D. VAN HORN and Lucy Van Horn, Appellees."]
        )
        assert caption.case_name == "Marsh v. Van Horn"

    def test_a_relator_is_shortened_like_any_party(self):
        caption = read_caption(
            [
                "IN THE SUPREME COURT OF OHIO",
                "Filed 3 May 2021",
                "RIVERBEND GAMING, LLC, Plaintiff, v.",
                "STATE OF OHIO, ex rel. DANA WHITFIELD, ATTORNEY GENERAL, in her official "
                "capacity.",
            ]
        )
        assert caption.case_name == "Riverbend Gaming v. State of Ohio ex rel. Whitfield"

    def test_a_caption_with_colon_columns_is_read_cell_by_cell(self):
        caption = read_caption(
            [
                "UNITED STATES DISTRICT COURT",
                "DISTRICT OF NEW JERSEY _______________",
                "RASHID McCORMACK, :",
                "Plaintiff, : Civ. No. 3:18-cv-16000(ABC)(DEF)",
                "v. :",
                "STEVE JOHNSON, et al., : OPINION",
                "Defendants. :",
            ]
        )
        assert caption.court == "United States District Court for the District of New Jersey"
        assert caption.title() == "McCormack v. Johnson — Opinion"

    def test_an_appellate_caption_with_versus_on_its_own_line(self):
        caption = read_caption(
            [
                "United States Court of Appeals",
                "for the Fifth Circuit",
                "No. 21-50111",
                "Vanessa St. Clair,",
                "Plaintiff—Appellant,",
                "versus",
                "Lone Star Life Insurance Company; Pecos Mutual Company,",
                "Defendants—Appellees.",
            ]
        )
        assert caption.court == "United States Court of Appeals for the Fifth Circuit"
        assert caption.case_name == "St. Clair v. Lone Star Life Insurance Co."

    def test_without_a_case_name_there_is_no_caption_title(self):
        assert read_caption(["MEMORANDUM", "The parties shall confer."]).title() == ""


class TestKinds:
    def test_a_long_heading_is_cut_at_a_word(self):
        caption = read_caption(
            [
                "ALPHA v. BETA",
                "PLAINTIFFS’ MEMORANDUM OF POINTS AND AUTHORITIES IN SUPPORT OF MOTION FOR",
                "PRELIMINARY APPROVAL OF CLASS ACTION SETTLEMENT",
            ]
        )
        assert (
            caption.kind == "Plaintiffs’ Memorandum of Points and Authorities in Support of Motion…"
        )

    def test_a_numbered_order_keeps_its_first_ruling(self):
        caption = read_caption(
            [
                "ALPHA v. BETA",
                "REDACTED ORDER (1) GRANTING PLAINTIFF’S MOTION FOR SUMMARY JUDGMENT; (2)",
                "DENYING DEFENDANT’S MOTION TO STRIKE",
            ]
        )
        assert caption.kind == "Order Granting Plaintiff’s Motion for Summary Judgment…"

    def test_a_heading_in_title_case_with_its_version_above(self):
        caption = read_caption(
            ["ALPHA v. BETA", "Amended", "Memorandum of Findings of Fact and Conclusions of Law"]
        )
        assert caption.kind == "Amended Memorandum of Findings of Fact and Conclusions of Law"


class TestDates:
    def test_an_opinion_is_dated_the_day_it_was_decided(self):
        page = [
            "United States Court of Appeals",
            "Argued March 3, 2015 Decided June 9, 2015",
            "No. 14-3001",
        ]
        assert document_date(page, "\n".join(page)) == "2015-06-09"

    @pytest.mark.parametrize(
        ("page", "iso"),
        [
            (
                ["FILED Jul 31, 2019 03:11 PM(CT)", "WORKERS' COMPENSATION APPEALS BOARD"],
                "2019-07-31",
            ),
            (["IN THE SUPREME COURT OF OHIO", "Filed 11 February 2022"], "2022-02-11"),
            (["Before: A, B and C, Circuit Judges.", "(Filed:February 5, 2010)"], "2010-02-05"),
        ],
    )
    def test_a_clerks_filed_line_dates_the_document(self, page, iso):
        assert document_date(page, "\n".join(page)) == iso

    def test_the_ecf_stamp_comes_first(self):
        page = ["ORDER", "Dated: June 1, 2020"]
        assert document_date(page, "\n".join(page), "2020-06-02") == "2020-06-02"

    def test_a_signature_date_and_not_a_date_quoted_in_a_sentence(self):
        text = (
            "By letter brief dated July 14, 2005, defendant seeks an order.\n"
            "Plaintiff filed a response on July 20, 2005.\n"
            "IT IS SO ORDERED.\nDated: 8/23/05\nSUSAN Q. JUDGE"
        )
        assert document_date(text.splitlines()[:1], text) == "2005-08-23"

    def test_a_hearing_date_is_not_the_documents_date(self):
        page = ["NOTICE OF MOTION", "Date: March 3, 2022", "Time: 9:00 a.m.", "Courtroom: 4"]
        assert document_date(page, "\n".join(page)) == ""

    def test_sec_covers_by_date_of_report_or_period_end(self):
        current = ["FORM 8-K", "Date of report (Date of earliest event reported):", "May 2, 2023"]
        annual = ["FORM 10-K", "For the fiscal year ended December 31, 2022"]
        assert document_date(current, "") == "2023-05-02"
        assert document_date(annual, "") == "2022-12-31"

    def test_a_press_release_by_its_dateline(self):
        page = ["May 25, 2023", "Acme Announces First Quarter Results", "Net sales rose 9%."]
        assert document_date(page, "\n".join(page)) == "2023-05-25"


class TestFilingsAndFallbacks:
    def test_an_sec_cover_page_is_titled_by_its_registrant_and_form(self):
        cover = [
            "UNITED STATES",
            "SECURITIES AND EXCHANGE COMMISSION",
            "FORM 10-Q",
            "QUARTERLY REPORT",
            "ACME WIDGET HOLDINGS, INC.",
            "(Exact name of registrant as specified in its charter)",
            "Delaware 1-2345 12-3456789",
        ]
        assert filing_title(cover) == "Acme Widget Holdings, Inc. — Form 10-Q"
        assert filing_title(["Mixed Case Corp (Exact name of registrant as specified)"]) == (
            "Mixed Case Corp"
        )
        assert filing_title(["ORDER GRANTING MOTION", "Plaintiff v. Defendant"]) == ""

    def test_a_registrant_after_the_file_number_keeps_its_acronym_and_digits(self):
        cover = [
            "FORM 10-K",
            "For the fiscal year ended December 31, 2022",
            "Commission file number 1-9999",
            "4X NVQ HOLDING COMPANY",
            "State of Incorporation: Delaware",
            "Principal executive offices: 1 NVQ Plaza, Springfield",
        ]
        assert filing_title(cover) == "4X NVQ Holding Company — Form 10-K"

    def test_a_filing_without_a_readable_caption_is_titled_by_its_file_name(self):
        name = Path("acme_v_beta_sdny_2020_motion-to-dismiss.pdf")
        assert title_from_file_name(name) == "Acme v. Beta Sdny 2020 Motion-to-dismiss"

    def test_a_pacer_docket_report_names_its_case_and_the_day_it_was_run(self):
        blocks = [
            "Query",
            "Reports",
            "2:19-cv-04567-ABC Northwind Traders, Inc. v. Harold P. Finch et al",
            "Anita B. Cruz, presiding",
            "Date filed: 03/05/2019",
            "Date of last filing: 11/20/2020",
            "Filed & Entered:",
            "03/05/2019",
            "Complaint",
            "PACER Service Center",
            "Transaction Receipt",
            "12/01/2020 10:15:02",
        ]
        assert read_docket_report(blocks) == (
            "Northwind Traders v. Finch — Docket Report",
            "2020-12-01",
        )
        assert read_docket_report(["Judge orders phone records", "By a reporter"]) == ("", "")
