"""Synthetic content of realistic shape for benchmarks: N fictional providers.

Every organisation is invented and named as such ("Trung tâm Mẫu", "Sample
Centre"); phone numbers are well-formed for their province's area code so
that QR codes and links are made as for real entries, but belong to nobody
on our list. Never copy this content into content/.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

# Words with stacked diacritics (Ấ, Ễ, Ộ ...) so text layout meets them.
VI_WORDS = (
    "hỗ trợ người trở về tư vấn pháp lý miễn phí chăm sóc sức khỏe tâm thần "
    "đào tạo nghề việc làm nơi ở an toàn tạm thời giới thiệu dịch vụ gia đình "
    "phụ nữ trẻ em nạn nhân xác minh hồ sơ giấy tờ tùy thân ấn tượng kiễng "
    "nghiêng nguyễn thị ộp ễnh ương tổ chức xã hội cộng đồng địa phương "
    "khám chữa bệnh bảo hiểm y tế hướng nghiệp vốn vay sinh kế tái hòa nhập"
).split()
EN_WORDS = (
    "support for returnees free legal advice mental health care vocational "
    "training employment temporary safe shelter referral family women "
    "children survivors identification documents community local services "
    "health insurance counselling livelihoods small loans reintegration case "
    "management accompaniment interpretation outreach follow-up"
).split()
CATEGORIES = ("accommodation", "medical", "psychological", "legal",
              "social_welfare", "education_vocational", "economic_employment")
CRITERIA = ("women_only", "children", "confirmed_victim", "being_identified",
            "id_required", "youth")
KINDS = ("government_provincial", "government_communal", "mass_organisation",
         "ngo", "international")


def _sentence(rng: random.Random, words: tuple | list, n: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(n))
    return text[0].upper() + text[1:] + "."


def _phone(rng: random.Random, area: str) -> str:
    # Landline: area code, then a subscriber number of 10 digits in all.
    rest = 11 - len(area)
    digits = "3" + "".join(str(rng.randrange(10)) for _ in range(rest - 1))
    return f"{area} {digits[:4]} {digits[4:]}"


def provider(i: int, province: dict, rng: random.Random) -> dict:
    area = province["area_code"]
    n_phones = rng.randint(1, 3)
    return {
        "id": f"sample-{i:05d}",
        "name": {"vi": f"Trung tâm Mẫu số {i} – {province['short_name']['vi']} "
                       f"{_sentence(rng, VI_WORDS, 3)[:-1]}",
                 "en": f"Sample Centre No. {i} – {province['short_name']['en']} "
                       f"{_sentence(rng, EN_WORDS, 3)[:-1]}"},
        "short_name": {"vi": f"TT Mẫu {i}", "en": f"Sample {i}"},
        "kind": rng.choice(KINDS),
        "province": province["code"],
        "address": {"text": {
            "vi": f"Số {rng.randint(1, 300)} đường Mẫu, {province['short_name']['vi']}",
            "en": f"{rng.randint(1, 300)} Sample Street, "
                  f"{province['short_name']['en']}"},
            "visibility": "public" if rng.random() > 0.1 else "confidential"},
        "phones": [{"number": _phone(rng, area), "cost": "standard",
                    "hotline": j == 0,
                    "label": {"vi": "Tiếp nhận", "en": "Intake"}}
                   for j in range(n_phones)],
        "email": f"contact{i}@sample.example",
        "website": f"https://sample{i}.example/dich-vu/ho-tro-nguoi-tro-ve",
        "hours": {"spans": [{"days": ["mon", "tue", "wed", "thu", "fri"],
                             "opens": "07:30", "closes": "17:00"}]},
        "services": [{
            "category": category,
            "description": {"vi": _sentence(rng, VI_WORDS, rng.randint(12, 40)),
                            "en": _sentence(rng, EN_WORDS, rng.randint(10, 35))},
            "fees": {"kind": rng.choice(("free", "paid", "unknown"))},
            "eligibility": {"criteria": rng.sample(CRITERIA, rng.randint(0, 2))},
        } for category in rng.sample(CATEGORIES, rng.randint(1, 4))],
        "referral": {"process": {"vi": _sentence(rng, VI_WORDS, 15),
                                 "en": _sentence(rng, EN_WORDS, 12)},
                     "requirements": {"vi": _sentence(rng, VI_WORDS, 10),
                                      "en": _sentence(rng, EN_WORDS, 9)}},
        "care_standards": {"trauma_informed": rng.choice(("yes", "no", "unknown")),
                           "survivor_centred": rng.choice(("yes", "unknown"))},
        "consent": {"print": {"given": "yes"}, "digital": {"given": "yes"}},
        "verification": {"status": "verified", "date": "2026-10-01",
                         "method": "phone"},
        "sources": [f"https://sample{i}.example/"],
    }


def generate(target: Path, n: int, seed: int = 2025) -> Path:
    """Write a content tree with `n` synthetic providers into `target`."""
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    (target / "providers").mkdir(parents=True)
    for name in ("document.yaml", "guidance.yaml", "categories.yaml",
                 "eligibility.yaml", "provinces.yaml", "regions.yaml"):
        shutil.copy(ROOT / "content" / name, target / name)
    provinces = yaml.safe_load((ROOT / "content" / "provinces.yaml").read_text(
        encoding="utf-8"))["provinces"]
    for i in range(n):
        province = provinces[i % len(provinces)]
        folder = target / "providers" / province["slug"]
        folder.mkdir(exist_ok=True)
        data = provider(i, province, rng)
        (folder / f"{data['id']}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False,
                           default_style='"'), encoding="utf-8")
    return target


def change_one_phone(target: Path) -> str:
    """Change the first phone of the first provider; return its id."""
    path = sorted((target / "providers").rglob("*.yaml"))[0]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    number = data["phones"][0]["number"]
    last = str((int(number[-1]) + 1) % 10)
    data["phones"][0]["number"] = number[:-1] + last
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False,
                                   default_style='"'), encoding="utf-8")
    return data["id"]
