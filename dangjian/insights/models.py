"""The dashboard keeps no tables of its own: its figures are counted from the other apps' records and derived
tables when asked for (docs/architecture.md, "Derived figures")."""
