"""The documentation site's generated pages (docs/reference/), from the canonical spec."""
