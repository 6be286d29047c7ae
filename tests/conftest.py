"""Shared fixtures: the bundled project and small fictional content trees."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from booklet.project import Project, open_project

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
LAYOUTS = ROOT / "layouts"
TODAY = dt.date(2026, 12, 1)

# Values that must never reach a public product; the leak tests search for them.
SECRET_ADDRESS = "Số 7 Ngõ Bí Mật, xã Hư Cấu"
SECRET_NOTE = "INTERNAL-NOTE-do-not-print"
CASEWORKER_ONLY = "Bring the intake form signed by the case manager"
NO_CONSENT_NAME = "Quỹ Hư Cấu Không Đồng Ý"

# Obviously fictional providers that exercise every rule of the select stage.
FICTIONAL = {
    "nghe-an/fict-shelter.yaml": f"""\
id: fict-shelter
name: {{vi: "Ngôi nhà Bình Minh Hư Cấu", en: "Fictional Dawn House"}}
short_name: {{vi: "Nhà Bình Minh", en: "Dawn House"}}
discreet_name: {{vi: "Chị Minh", en: "Ms Minh"}}
kind: ngo
province: "40"
address:
  text: {{vi: "{SECRET_ADDRESS}", en: "{SECRET_ADDRESS}"}}
  visibility: confidential
phones:
  - number: "0238 3000 001"
    label: {{vi: "Tiếp nhận", en: "Intake"}}
    hotline: true
    cost: standard
    hours: {{always: true}}
services:
  - category: accommodation
    description: {{vi: "Nơi ở an toàn tạm thời", en: "Temporary safe shelter"}}
    fees: {{kind: free}}
    eligibility:
      criteria: [women_only]
      notes: {{vi: "Phụ nữ từ 18 tuổi", en: "Women aged 18 and over"}}
referral:
  process: {{vi: "Gọi số tiếp nhận", en: "Call the intake line"}}
  requirements: {{vi: "Mẫu tiếp nhận", en: "{CASEWORKER_ONLY}"}}
  safeguarding: {{vi: "Không đưa địa chỉ", en: "Never give out the address"}}
care_standards: {{trauma_informed: "yes", survivor_centred: "yes"}}
consent:
  print: {{given: "yes", date: "2026-10-01"}}
  digital: {{given: "yes", date: "2026-10-01"}}
verification: {{status: verified, date: "2026-10-01", method: phone}}
internal_notes: "{SECRET_NOTE}"
""",
    "nghe-an/fict-noconsent.yaml": f"""\
id: fict-noconsent
name: {{vi: "{NO_CONSENT_NAME}", en: "Fictional Unconsenting Fund"}}
kind: ngo
province: "40"
phones:
  - number: "0238 3000 002"
    cost: standard
services:
  - category: legal
    description: {{vi: "Tư vấn pháp lý", en: "Legal advice"}}
consent:
  print: {{given: "no"}}
  digital: {{given: "no"}}
verification: {{status: verified, date: "2026-10-01", method: phone}}
""",
    "ha-tinh/fict-clinic.yaml": """\
id: fict-clinic
name: {vi: "Phòng khám Ảo Ảnh", en: "Mirage Clinic"}
short_name: {vi: "Ảo Ảnh", en: "Mirage"}
kind: government_provincial
province: "42"
address:
  text: {vi: "1 Đường Thử, Hà Tĩnh", en: "1 Test Street, Ha Tinh"}
website: "https://clinic.example.org"
phones:
  - number: "0239 3000 003"
    cost: standard
hours:
  spans:
    - {days: [mon, tue, wed, thu, fri], opens: "07:30", closes: "17:00"}
services:
  - category: medical
    description: {vi: "Khám sức khỏe", en: "Health check-ups"}
    fees: {kind: paid}
  - category: psychological
    description: {vi: "Tư vấn tâm lý", en: "Counselling"}
consent:
  print: {given: "yes"}
  digital: {given: "yes"}
verification: {status: verified, date: "2026-09-15", method: in_person}
""",
    "national/fict-national.yaml": """\
id: fict-national
name: {vi: "Đường dây Hư Cấu Quốc Gia", en: "Fictional National Line"}
kind: government_central
coverage: national
phones:
  - number: "1800 0000"
    hotline: true
    cost: free
    hours: {always: true}
services:
  - category: legal
    description: {vi: "Tư vấn qua điện thoại", en: "Advice by phone"}
consent:
  print: {given: "yes"}
  digital: {given: "yes"}
verification: {status: verified, date: "2026-11-01", method: phone}
""",
}


def copy_layouts(target: Path) -> Path:
    """A copy of the bundled layouts at `target` that still finds the fonts."""
    shutil.copytree(LAYOUTS, target)
    fonts = target / "fonts.yaml"
    fonts.write_text(fonts.read_text(encoding="utf-8").replace(
        "directory: ../fonts", f"directory: {LAYOUTS.parent / 'fonts'}"),
        encoding="utf-8")
    return target


def make_content(root: Path, providers: dict[str, str] | None = None) -> Path:
    """A content tree at `root`: the bundled document, codes and geography, and
    the given provider files (default: the fictional set above)."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("document.yaml", "guidance.yaml", "categories.yaml",
                 "eligibility.yaml", "provinces.yaml", "regions.yaml"):
        shutil.copy(CONTENT / name, root / name)
    for rel, text in (FICTIONAL if providers is None else providers).items():
        path = root / "providers" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def fictional(tmp_path) -> Project:
    """A project over the fictional content, writing into tmp_path/output."""
    content = make_content(tmp_path / "content")
    return open_project(content, LAYOUTS, tmp_path / "output", TODAY)


@pytest.fixture(scope="session")
def bundled(tmp_path_factory) -> Project:
    """A project over the bundled content, writing into a temporary folder."""
    out = tmp_path_factory.mktemp("bundled-output")
    return open_project(CONTENT, LAYOUTS, out, TODAY)


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory):
    """Keep the content cache of CLI runs out of the user's ~/.cache."""
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    yield
    patch.undo()
