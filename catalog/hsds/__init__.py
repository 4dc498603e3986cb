"""Open Referral HSDS: the table map, reading and importing packages (3.0, 3.1 and 1.1), export
(3.0, or 3.1 with the public part of capacity), and the public read-only API."""
