"""Pure renderers: arrays in, a matplotlib Figure (or an HTML string) out; no widgets here."""
