#!/usr/bin/env python3
"""Writes the CSV files of BENCHMARKS.md's end-to-end verify figures (deterministic).

    python3 gen_reference.py 10000000 800000 200000 ref.csv sample.csv

ref.csv: REF_ROWS customers (id, name, e-mail, phone, address, shop, update date).
sample.csv: the first MATCHED of those customers, then STRANGERS people who are not customers.
"""
import sys

FAMILY = ["Nguyen", "Tran", "Le", "Tan", "Lim", "Ng", "Kumar", "Pham", "Wong", "Goh"]
GIVEN = ["Lan", "Hung", "Dao", "Anh", "Tuan", "Wei Ling", "Rajesh", "Siti", "Daniel", "Hui Min"]
STREETS = ["Tampines St 81", "Bedok North Ave 3", "Jurong West St 52", "Le Loi", "Nguyen Hue",
           "Yishun Ring Rd"]
HEADER = "customer_id,full_name,email,mobile,address,shop_id,updated_at\n"


def customer(i):
    return (f"C{i:09d},{FAMILY[i % 10]} {GIVEN[(i // 10) % 10]} {i % 997},"
            f"user{i}@mail{i % 50}.example.com,+65 {80000000 + (i * 7919) % 19999999},"
            f"\"Blk {i % 900} {STREETS[i % 6]}, #{i % 20:02d}-{i % 300:03d}\","
            f"S{i % 5000:05d},2024-{1 + i % 12:02d}-{1 + i % 28:02d}\n")


def main():
    ref_rows, matched, strangers = (int(a) for a in sys.argv[1:4])
    with open(sys.argv[4], "w", buffering=1 << 20) as ref:
        ref.write(HEADER)
        for i in range(ref_rows):
            ref.write(customer(i))
    with open(sys.argv[5], "w", buffering=1 << 20) as sample:
        sample.write(HEADER)
        for i in range(matched):
            sample.write(customer(i))
        for i in range(strangers):
            sample.write(f"X{i:09d},Someone Else {i},other{i}@elsewhere.example.org,"
                         f"+84 9{i:08d},\"1 Nowhere Rd\",S99999,2020-01-01\n")


if __name__ == "__main__":
    main()
