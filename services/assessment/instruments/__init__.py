"""The instrument bank: question banks, their texts in several locales, import and export, and
the next steps the 5-level model recommends."""
