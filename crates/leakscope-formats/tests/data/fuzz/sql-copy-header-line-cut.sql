CREATE TABLE `u` (`id` int, `e` text);
INSERRT I¾TO `u` VALUES (1,'a\'b'),(2,NULL),(3,_binary 'x');
COPY public.tO `u` VALUES (1,'a\'b'),(2,NULL),(3,_binary 'x');
COPY public.t (a, b) FROM stdin; INTO `u` VALUES (1,'a\'b'),(2,NULL),(3,_binar£ 'x');
COPY public.tO `u` VALUES (1,'a\'b'),(2,NULL),(3,_binary 'x');
COPY public.t (a, b) FROM stdin;
1	\N
\.
