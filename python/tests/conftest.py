"""Shared fixtures: a deterministic, real-shaped customer leak written as CSV and NDJSON."""

from __future__ import annotations

import csv
import hashlib
import json
import random
from pathlib import Path
from typing import Dict, List

import pytest

HEADERS = ["customer_id", "full_name", "email", "phone", "created_at", "password_md5", "shop", "city"]
SHOPS = ["Bún Chả Hương Liên", "Phở Thìn", "Cộng Cà Phê", "Bánh Mì 25", "Highlands Coffee Q1"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thu Hà", "Hữu Khang", "Ngọc Lan", "Đức Minh"]
PREFIXES = ["90", "91", "93", "94", "96", "97", "98", "32", "33", "35", "70", "77", "86", "88"]


def person(i: int) -> Dict[str, str]:
    """Person `i`: the same fields every time they appear (one country per person)."""
    r = random.Random(i * 7919 + 17)
    name = "%s %s" % (FAMILY[r.randrange(len(FAMILY))], GIVEN[r.randrange(len(GIVEN))])
    local = "%s.%d" % (["an", "binh", "chau", "dung", "ha", "khang", "lan", "minh"][i % 8], i)
    domain = ["gmail.com", "yahoo.com", "outlook.com", "fpt.vn"][i % 4]
    phone = "0%s%07d" % (PREFIXES[i % len(PREFIXES)], r.randrange(10_000_000))
    day = "20%02d-%02d-%02d %02d:%02d:%02d" % (
        19 + i % 5,
        1 + i % 12,
        1 + i % 28,
        r.randrange(24),
        r.randrange(60),
        r.randrange(60),
    )
    return {
        "customer_id": str(100_000 + i),
        "full_name": name,
        "email": "%s@%s" % (local, domain),
        "phone": phone,
        "created_at": day,
        "password_md5": hashlib.md5(("pw%d" % (i % 997)).encode()).hexdigest(),
        "shop": SHOPS[i % len(SHOPS)],
        "city": ["Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Hải Phòng"][i % 4],
    }


def rows(n: int, people: int, seed: int = 1) -> List[Dict[str, str]]:
    r = random.Random(seed)
    return [person(r.randrange(people)) for _ in range(n)]


@pytest.fixture(scope="session")
def leak_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("leak")
    data = rows(12_000, 9_000)
    with open(d / "customers.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=HEADERS)
        w.writeheader()
        w.writerows(data)
    with open(d / "orders.ndjson", "w", encoding="utf-8") as f:
        for i, p in enumerate(rows(5_000, 12_000, seed=2)):
            f.write(json.dumps({"order": i, "email": p["email"], "phone": p["phone"], "shop": p["shop"]}, ensure_ascii=False))
            f.write("\n")
    (d / "small.csv").write_text("email,phone\nan.1@gmail.com,0901234567\nbinh.2@yahoo.com,0912345678\n", encoding="utf-8")
    return d
