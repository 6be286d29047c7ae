"""The data-collection workbook's design: sheets, columns, drop-down lists.

One row per provider on the Providers sheet; the parts that repeat (phones,
services, the documents a service asks for, sources) get a sheet each, keyed by
the provider id. Every field of model.Provider has a column; a Text field has
a Vietnamese and an English column. Template, export and import all read this
one table, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from booklet.model import (
    Answer,
    Cost,
    ProviderKind,
    VerificationMethod,
    VerificationStatus,
    Visibility,
)

# Column kinds: how a cell becomes a value.
LINE = "line"          # single-line text: spaces and line breaks collapsed
TEXT = "text"          # text that may hold paragraphs
CODE = "code"          # lower-case code or id
CHOICE = "choice"      # one of a drop-down list ("code — label")
BOOL = "bool"          # yes / no
PHONE = "phone"
DATE = "date"
NUMBER = "number"
HOURS = "hours"        # "mon-fri 07:30-17:00; sat 08:00-12:00" or "24/7"
PROVINCE = "province"
COVERAGE = "coverage"
CODES = "codes"        # a list of codes separated by commas


@dataclass(frozen=True)
class Column:
    key: str
    path: tuple
    vi: str
    en: str
    kind: str = LINE
    choices: str | None = None   # the list on the Lists sheet
    width: int = 18

    @property
    def header(self) -> str:
        return f"{self.vi}\n{self.en}"


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _text(key: str, path: tuple, vi: str, en: str, kind: str = TEXT,
          width: int = 30) -> tuple[Column, Column]:
    """A bilingual Text field as two columns."""
    return (Column(f"{key}_vi", (*path, "vi"), f"{vi} (tiếng Việt)",
                   f"{en} (Vietnamese)", kind, width=width),
            Column(f"{key}_en", (*path, "en"), f"{vi} (tiếng Anh)",
                   f"{en} (English)", kind, width=width))


ID = Column("provider_id", ("id",), "Mã nhà cung cấp", "Provider id", CODE, width=26)

_CARE = (("trauma_informed", "Hiểu biết về sang chấn", "Trauma-informed"),
         ("survivor_centred", "Lấy nạn nhân làm trung tâm", "Survivor-centred"),
         ("gender_sensitive", "Nhạy cảm giới", "Gender-sensitive"),
         ("culturally_appropriate", "Phù hợp văn hóa", "Culturally appropriate"),
         ("child_friendly", "Thân thiện với trẻ em", "Child-friendly"))

PROVIDERS = Sheet("providers", "Nhà cung cấp (Providers)", (
    ID,
    *_text("name", ("name",), "Tên đầy đủ", "Full name", LINE, 36),
    *_text("short_name", ("short_name",), "Tên ngắn", "Short name", LINE, 24),
    *_text("discreet_name", ("discreet_name",), "Tên kín đáo", "Discreet name",
           LINE, 20),
    Column("kind", ("kind",), "Loại tổ chức", "Kind of organisation", CHOICE,
           "kind", 30),
    Column("province", ("province",), "Tỉnh/thành phố", "Province", PROVINCE,
           "province", 26),
    Column("coverage", ("coverage",), "Phạm vi phục vụ", "Coverage", COVERAGE,
           "coverage", 30),
    *_text("address", ("address", "text"), "Địa chỉ", "Address", TEXT, 36),
    Column("address_visibility", ("address", "visibility"), "Công khai địa chỉ",
           "Address visibility", CHOICE, "visibility", 24),
    *_text("address_note", ("address", "note"), "Ghi chú địa chỉ", "Address note"),
    Column("geo_lat", ("geo", "lat"), "Vĩ độ", "Latitude", NUMBER, width=12),
    Column("geo_lon", ("geo", "lon"), "Kinh độ", "Longitude", NUMBER, width=12),
    Column("email", ("email",), "Thư điện tử", "Email", width=26),
    Column("website", ("website",), "Trang web", "Website", width=30),
    Column("zalo", ("zalo",), "Zalo", "Zalo", width=16),
    Column("facebook", ("facebook",), "Facebook", "Facebook", width=30),
    Column("hours", ("hours",), "Giờ làm việc", "Working hours", HOURS, width=30),
    *_text("hours_note", ("hours", "note"), "Ghi chú giờ làm việc", "Hours note"),
    *_text("how_to_reach", ("how_to_reach",), "Cách tìm đến", "How to reach"),
    Column("languages", ("languages",), "Ngôn ngữ (mã, cách nhau bằng dấu phẩy)",
           "Languages (codes, comma-separated)", CODES, width=20),
    *_text("referral_process", ("referral", "process"), "Cách chuyển gửi",
           "Referral process"),
    *_text("referral_requirements", ("referral", "requirements"),
           "Yêu cầu chuyển gửi", "Referral requirements"),
    *_text("referral_constraints", ("referral", "constraints"),
           "Giới hạn (ngôn ngữ, địa điểm)", "Constraints (language, location)"),
    Column("referral_template_url", ("referral", "template_url"),
           "Mẫu chuyển gửi (đường dẫn)", "Referral template (link)", width=30),
    *_text("referral_safeguarding", ("referral", "safeguarding"),
           "Biện pháp bảo vệ", "Safeguarding precautions"),
    Column("contact_name", ("referral", "contact_person", "name"),
           "Người liên hệ", "Contact person", width=22),
    *_text("contact_role", ("referral", "contact_person", "role"),
           "Chức vụ người liên hệ", "Contact person's role", LINE, 22),
    Column("contact_phone", ("referral", "contact_person", "phone"),
           "Điện thoại người liên hệ", "Contact person's phone", PHONE, width=18),
    Column("contact_email", ("referral", "contact_person", "email"),
           "Thư điện tử người liên hệ", "Contact person's email", width=24),
    *(Column(f"care_{key}", ("care_standards", key), vi, en, CHOICE, "answer", 16)
      for key, vi, en in _CARE),
    Column("consent_print", ("consent", "print", "given"),
           "Đồng ý đăng trên bản in", "Consent to print", CHOICE, "answer", 16),
    Column("consent_print_date", ("consent", "print", "date"),
           "Ngày đồng ý (bản in) dd/mm/yyyy", "Date of print consent", DATE,
           width=16),
    Column("consent_digital", ("consent", "digital", "given"),
           "Đồng ý đăng bản điện tử", "Consent to digital", CHOICE, "answer", 16),
    Column("consent_digital_date", ("consent", "digital", "date"),
           "Ngày đồng ý (điện tử) dd/mm/yyyy", "Date of digital consent", DATE,
           width=16),
    Column("verification_status", ("verification", "status"),
           "Tình trạng xác minh", "Verification status", CHOICE, "status", 22),
    Column("verification_date", ("verification", "date"),
           "Ngày xác minh dd/mm/yyyy", "Date verified", DATE, width=16),
    Column("verification_method", ("verification", "method"),
           "Cách xác minh", "Verification method", CHOICE, "method", 22),
    Column("verification_by", ("verification", "by"), "Người xác minh",
           "Verified by", width=18),
    Column("internal_notes", ("internal_notes",), "Ghi chú nội bộ (không in)",
           "Internal notes (never printed)", TEXT, width=40),
))

PHONES = Sheet("phones", "Điện thoại (Phones)", (
    ID,
    Column("number", ("number",), "Số điện thoại", "Phone number", PHONE, width=18),
    *_text("label", ("label",), "Nhãn", "Label", LINE, 20),
    Column("hotline", ("hotline",), "Đường dây nóng", "Hotline", BOOL, "yesno", 14),
    Column("cost", ("cost",), "Cước gọi", "Call cost", CHOICE, "cost", 24),
    Column("hours", ("hours",), "Giờ trực", "Hours", HOURS, width=28),
    *_text("hours_note", ("hours", "note"), "Ghi chú giờ trực", "Hours note"),
    Column("visibility", ("visibility",), "Công khai", "Visibility", CHOICE,
           "visibility", 24),
))

# Eligibility criteria get one drop-down column each; an export adds columns
# when a service has more criteria than the template shows.
CRITERIA_COLUMNS = 6
MAX_CRITERIA_COLUMNS = 60


def services_sheet(criteria: int = CRITERIA_COLUMNS) -> Sheet:
    return Sheet("services", "Dịch vụ (Services)", (
        ID,
        Column("service_no", (), "Số thứ tự dịch vụ", "Service no.", NUMBER,
               width=10),
        Column("category", ("category",), "Lĩnh vực", "Category", CHOICE,
               "category", 30),
        *_text("description", ("description",), "Mô tả", "Description", TEXT, 40),
        Column("fees", ("fees", "kind"), "Phí", "Fees", CHOICE, "fees", 22),
        *_text("fees_note", ("fees", "note"), "Ghi chú phí", "Fees note"),
        *(Column(f"eligibility_{n}", ("eligibility", "criteria", n - 1),
                 f"Đối tượng {n}", f"Eligibility {n}", CHOICE, "criterion", 26)
          for n in range(1, criteria + 1)),
        *_text("eligibility_notes", ("eligibility", "notes"), "Ghi chú đối tượng",
               "Eligibility notes"),
    ))


SERVICES = services_sheet()

DOCUMENTS = Sheet("documents", "Giấy tờ (Documents)", (
    ID,
    Column("service_no", (), "Số thứ tự dịch vụ", "Service no.", NUMBER, width=10),
    *_text("document", (), "Giấy tờ cần mang", "Document required", LINE, 40),
))

SOURCES = Sheet("sources", "Nguồn (Sources)", (
    ID,
    Column("url", (), "Đường dẫn nguồn", "Source URL", width=60),
))

SHEETS = (PROVIDERS, PHONES, SERVICES, DOCUMENTS, SOURCES)
INSTRUCTIONS_TITLE = "Hướng dẫn (Instructions)"
LISTS_TITLE = "Lists"

# Labels of the fixed drop-down lists: code -> (Vietnamese, English).
LABELS = {
    "kind": {
        ProviderKind.government_central: ("Cơ quan trung ương", "Central government"),
        ProviderKind.government_provincial: ("Cơ quan cấp tỉnh",
                                             "Provincial government"),
        ProviderKind.government_communal: ("Cơ quan cấp xã", "Communal government"),
        ProviderKind.mass_organisation: ("Tổ chức đoàn thể", "Mass organisation"),
        ProviderKind.ngo: ("Tổ chức phi chính phủ", "NGO"),
        ProviderKind.international: ("Tổ chức quốc tế", "International organisation"),
        ProviderKind.social_enterprise: ("Doanh nghiệp xã hội", "Social enterprise"),
    },
    "answer": {Answer.yes: ("có", "yes"), Answer.no: ("không", "no"),
               Answer.unknown: ("chưa rõ", "unknown")},
    "yesno": {"yes": ("có", "yes"), "no": ("không", "no")},
    "cost": {Cost.free: ("miễn phí", "free"), Cost.standard: ("cước thường",
                                                              "standard rate"),
             Cost.premium: ("cước cao", "premium rate"),
             Cost.unknown: ("chưa rõ", "unknown")},
    "visibility": {
        Visibility.public: ("công khai", "public"),
        Visibility.caseworker: ("chỉ cán bộ", "caseworkers only"),
        Visibility.confidential: ("bí mật", "confidential")},
    "fees": {"free": ("miễn phí", "free"), "paid": ("có thu phí", "paid"),
             "partly_free": ("miễn phí một phần", "partly free"),
             "unknown": ("chưa rõ", "unknown")},
    "status": {VerificationStatus.desk_research: ("nghiên cứu tài liệu",
                                                  "desk research"),
               VerificationStatus.verified: ("đã xác minh", "verified")},
    "method": {VerificationMethod.desk: ("tài liệu", "desk"),
               VerificationMethod.phone: ("điện thoại", "phone"),
               VerificationMethod.video: ("gọi video", "video"),
               VerificationMethod.in_person: ("gặp trực tiếp", "in person")},
    "coverage": {"province": ("chỉ tỉnh này", "this province only"),
                 "national": ("toàn quốc", "nationwide")},
}


# What a cell of each kind expects, shown by Excel when the cell is selected
# (an input message is limited to 255 characters, its title to 32).
HINTS = {
    DATE: ("Ngày / Date", "Ngày/tháng/năm, ví dụ 01/10/2026.\n"
           "Day/month/year, for example 01/10/2026."),
    HOURS: ("Giờ / Hours", "Ví dụ: T2-T6 07:30-17:00; T7 07:30-11:30 hoặc 24/7.\n"
            "For example: mon-fri 07:30-17:00; sat 07:30-11:30 or 24/7."),
    PHONE: ("Số điện thoại / Phone", "Gõ như khi gọi, giữ số 0 ở đầu: 024 3385 3227."
            "\nType it as dialled, with the leading 0: 024 3385 3227."),
    CODE: ("Mã / Id", "Chữ thường không dấu, số, dấu gạch ngang: blue-dragon.\n"
           "Lower-case letters, digits and hyphens: blue-dragon."),
    COVERAGE: ("Phạm vi / Coverage", "Chọn trong danh sách, hoặc gõ các tỉnh cách "
               "nhau bằng dấu chấm phẩy.\nChoose from the list, or type provinces "
               "separated by semicolons."),
    CODES: ("Ngôn ngữ / Languages", "Mã ngôn ngữ, cách nhau bằng dấu phẩy: vi, en."
            "\nLanguage codes separated by commas: vi, en."),
}


def choice_label(code: str, vi: str, en: str) -> str:
    """How a code appears in a drop-down: 'ngo — Tổ chức phi chính phủ / NGO'."""
    if en == code:
        return f"{code} — {vi}"
    return f"{code} — {vi} / {en}"
