"""An attacker on the published trend tables, kept apart from the method it attacks (cases/trends)."""
