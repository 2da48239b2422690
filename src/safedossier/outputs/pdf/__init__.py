"""The submission PDF: the Typst document, its fonts, and the compile step."""
