"""Map layers: pure models (query + style) and QPainter renderers that need no widgets."""
