"""The daily digest for media monitors: model, summary, formats, delivery (see docs/digest.md)."""
