"""Open Referral HSDS: the table map, reading and importing packages (3.0 and 1.1), export,
and the public read-only API."""
