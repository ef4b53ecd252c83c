#!/bin/sh
# Regenerates the binary fixtures no Rust writer can produce (XLS, ODS, 7z, encrypted zip/7z).
# Needs: apt-get install -y libreoffice-calc-nogui p7zip-full
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
printf 'id,name,phone\n1,Nguyễn Văn An,0912345678\n2,Trần Thị Bích,0987654321\n3,王伟,13812345678\n' > "$tmp/customers.csv"
(cd "$tmp" && libreoffice --headless --infilter="CSV:44,34,76,1" --convert-to xls customers.csv >/dev/null 2>&1 \
   && libreoffice --headless --infilter="CSV:44,34,76,1" --convert-to ods customers.csv >/dev/null 2>&1)
cp "$tmp/customers.xls" legacy.xls
cp "$tmp/customers.ods" sheet.ods
rm -f members.7z secret.7z secret.zip
(cd "$tmp" && printf 'email,password\nan@example.vn,hunter2\nbich@example.vn,123456\n' > accounts.csv \
   && 7z a -t7z members.7z customers.csv accounts.csv >/dev/null \
   && 7z a -t7z -pSECRET -mhe=on secret.7z accounts.csv >/dev/null \
   && 7z a -tzip -pSECRET secret.zip accounts.csv >/dev/null)
cp "$tmp/members.7z" "$tmp/secret.7z" "$tmp/secret.zip" .
rm -rf "$tmp"
