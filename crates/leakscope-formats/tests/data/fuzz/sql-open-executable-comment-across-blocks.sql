-(/*!40014 S`orders`;
INSERT INTO "a" VALUE(repla,*/),(LL,b'19u