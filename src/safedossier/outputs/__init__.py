"""Everything a reader receives: the MkDocs site and the Typst PDF, and the charts both use."""
