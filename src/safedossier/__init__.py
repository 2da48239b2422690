"""Safe-community dossier tool: check, site, PDF and change reports for 安全社区 dossiers."""

__version__ = "0.1.0"
