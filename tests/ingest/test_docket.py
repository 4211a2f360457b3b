"""Docket details from ECF stamps and captions, on the patterns courts print."""

import pytest

from ingest.docket import filed_date, filing_title, read_caption, read_stamps


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


def test_a_district_caption_gives_court_case_name_and_kind():
    caption = read_caption(
        [
            "IN THE UNITED STATES DISTRICT COURT",
            "FOR THE NORTHERN DISTRICT OF CALIFORNIA",
            "EDWARD ALVARADO, et al.,",
            "Plaintiffs, v.",
            "FEDEX CORPORATION,",
            "Defendant.",
            "No. C 04-0098 SI",
            "ORDER DENYING MOTION TO QUASH",
            "SUBPOENA",
            "By letter briefs, defendant seeks an order quashing a subpoena.",
        ]
    )
    assert caption.court == "United States District Court for the Northern District of California"
    assert caption.case_name == "Edward Alvarado v. Fedex Corporation"
    assert caption.kind == "Order Denying Motion to Quash Subpoena"
    assert (
        caption.title()
        == "Edward Alvarado v. Fedex Corporation — Order Denying Motion to Quash Subpoena"
    )


def test_a_caption_with_colon_columns_is_read_cell_by_cell():
    caption = read_caption(
        [
            "UNITED STATES DISTRICT COURT",
            "DISTRICT OF NEW JERSEY _______________",
            "RASOOL McCRIMMON, :",
            "Plaintiff, : Civ. No. 3:18-cv-16281(BRM)(TJB)",
            "v. :",
            "STEVE JOHNSON, et al., : OPINION",
            "Defendants. :",
        ]
    )
    assert caption.court == "United States District Court for the District of New Jersey"
    assert caption.case_name == "Rasool McCrimmon v. Steve Johnson"
    assert caption.kind == "Opinion"


def test_an_appellate_caption_with_versus_on_its_own_line():
    caption = read_caption(
        [
            "United States Court of Appeals",
            "for the Fifth Circuit",
            "No. 21-50498",
            "Vanessa St. Pierre,",
            "Plaintiff—Appellant,",
            "versus",
            "Standard Insurance Company; Dearborn National Life Insurance Company,",
            "Defendants—Appellees.",
        ]
    )
    assert caption.court == "United States Court of Appeals for the Fifth Circuit"
    assert caption.case_name == "Vanessa St. Pierre v. Standard Insurance Company"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("FILED Jul 31, 2019 03:11 PM(CT)", "2019-07-31"),
        ("Filed 11 February 2022", "2022-02-11"),
        ("IT IS SO ORDERED. Dated: 8/23/05", "2005-08-23"),
        ("No date here.", ""),
    ],
)
def test_filed_and_signature_dates(text, iso):
    assert filed_date(text) == iso


def test_an_sec_cover_page_is_titled_by_its_registrant_and_form():
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
